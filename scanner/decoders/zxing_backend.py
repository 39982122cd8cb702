"""zxing-cpp: fast, exact text (TextMode.Plain), the best all-round reader."""

from __future__ import annotations

import numpy as np
import zxingcpp

from scanner.decoders.base import Decoded, clean_text, module_px_of


class ZxingDecoder:
    """zxing-cpp ``read_barcodes`` restricted to QR codes. ``try_harder`` adds rotation, downscale and inversion."""

    name = "zxing"

    def __init__(self, *, try_harder: bool = True, binarizer: str = "LocalAverage") -> None:
        self.try_harder = try_harder
        self._binarizer = getattr(zxingcpp.Binarizer, binarizer)
        self._formats = zxingcpp.BarcodeFormat.QRCode

    def decode(self, gray: np.ndarray) -> list[Decoded]:
        results = zxingcpp.read_barcodes(
            gray,
            formats=self._formats,
            try_rotate=self.try_harder,
            try_downscale=self.try_harder,
            try_invert=self.try_harder,
            text_mode=zxingcpp.TextMode.Plain,
            binarizer=self._binarizer,
        )
        out: list[Decoded] = []
        for barcode in results:
            if not barcode.valid:
                continue
            text = clean_text(self._text(barcode))
            if text is None:
                continue
            p = barcode.position
            corners = np.array(
                [[q.x, q.y] for q in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)], np.float32
            )
            version = str(barcode.extra.get("Version", "")) if isinstance(barcode.extra, dict) else ""
            module_px = module_px_of(corners, int(version)) if version.isdigit() else None
            out.append(Decoded(text, self.name, corners, module_px))
        return out

    @staticmethod
    def _text(barcode: zxingcpp.Barcode) -> str | bytes:
        """The payload text. A code zxing-cpp calls binary (byte segments it could not tell a charset for, or the
        binary ECI) is UTF-8 when its bytes are: writers store UTF-8 text that way (zxing-cpp's own writer, given
        bytes). Anything else keeps zxing-cpp's ECI-aware text."""
        if barcode.content_type == zxingcpp.ContentType.Binary:
            raw = bytes(barcode.bytes)
            try:
                return raw.decode("utf-8")
            except UnicodeDecodeError:
                return barcode.text
        return barcode.text
