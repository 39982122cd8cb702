"""ZBar through pyzbar's ctypes wrapper, in binary mode so the payload bytes arrive untouched.

Without ``ZBAR_CFG_BINARY`` ZBar guesses the charset of a QR code that has no ECI header and turns many
UTF-8 Vietnamese names into Shift-JIS/Big5 mojibake. pyzbar's ``decode()`` cannot set that option, so this
module drives the scanner itself and decodes the raw bytes as strict UTF-8; anything else is dropped.
"""

from __future__ import annotations

import ctypes

import numpy as np

from scanner.decoders.base import Decoded, DecoderUnavailable, clean_text

ZBAR_CFG_BINARY = 4  # zbar.h: ZBAR_CFG_BINARY (not in pyzbar's ZBarConfig enum)
_ZBAR_QRCODE = 64
_FOURCC_Y800 = 0x30303859  # 'Y800' little-endian


class ZbarDecoder:
    """ZBar QR decoding with exact UTF-8 text (binary mode)."""

    name = "zbar"

    def __init__(self) -> None:
        try:
            from pyzbar import wrapper
        except ImportError as exc:  # pyzbar missing, or libzbar not installed
            raise DecoderUnavailable(f"zbar backend unavailable: {exc}") from exc
        self._w = wrapper

    def decode(self, gray: np.ndarray) -> list[Decoded]:
        w = self._w
        gray = np.ascontiguousarray(gray, dtype=np.uint8)
        height, width = gray.shape[:2]
        scanner = w.zbar_image_scanner_create()
        if not scanner:
            raise RuntimeError("could not create a ZBar image scanner")
        out: list[Decoded] = []
        try:
            w.zbar_image_scanner_set_config(scanner, 0, w.ZBarConfig.CFG_ENABLE, 0)  # all symbologies off
            w.zbar_image_scanner_set_config(scanner, _ZBAR_QRCODE, w.ZBarConfig.CFG_ENABLE, 1)
            w.zbar_image_scanner_set_config(scanner, _ZBAR_QRCODE, ZBAR_CFG_BINARY, 1)
            image = w.zbar_image_create()
            try:
                w.zbar_image_set_format(image, _FOURCC_Y800)
                w.zbar_image_set_size(image, width, height)
                data = gray.tobytes()
                w.zbar_image_set_data(image, ctypes.cast(data, ctypes.c_void_p), len(data), None)
                if w.zbar_scan_image(scanner, image) < 0:
                    raise RuntimeError("ZBar rejected the image")
                symbol = w.zbar_image_first_symbol(image)
                while symbol:
                    raw = ctypes.string_at(w.zbar_symbol_get_data(symbol), w.zbar_symbol_get_data_length(symbol))
                    text = clean_text(raw, charset_guessed=True)
                    if text is not None:
                        n = w.zbar_symbol_get_loc_size(symbol)
                        pts = [(w.zbar_symbol_get_loc_x(symbol, i), w.zbar_symbol_get_loc_y(symbol, i))
                               for i in range(n)]
                        corners = np.array(pts, np.float32) if n == 4 else None
                        out.append(Decoded(text, self.name, corners))
                    symbol = w.zbar_symbol_next(symbol)
            finally:
                w.zbar_image_destroy(image)
        finally:
            w.zbar_image_scanner_destroy(scanner)
        return out
