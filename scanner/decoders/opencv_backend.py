"""OpenCV's classic ``QRCodeDetector``, read as bytes and decoded as strict UTF-8."""

from __future__ import annotations

import cv2
import numpy as np

from scanner.decoders.base import Decoded, clean_text, order_corners


class OpenCVDecoder:
    name = "opencv"

    def __init__(self) -> None:
        self._detector = cv2.QRCodeDetector()
        self._bytes = hasattr(self._detector, "detectAndDecodeBytes")

    def decode(self, gray: np.ndarray) -> list[Decoded]:
        try:
            if self._bytes:
                raw, points, _ = self._detector.detectAndDecodeBytes(gray)
            else:  # OpenCV < 4.11: text only (latin-1 for payloads without ECI)
                raw, points, _ = self._detector.detectAndDecode(gray)
        except cv2.error:
            return []
        return self._result(raw, points)

    def decode_curved(self, gray: np.ndarray) -> list[Decoded]:
        """OpenCV's decoder for codes on curved surfaces (slower; for crops around a candidate region)."""
        try:
            text, points, _ = self._detector.detectAndDecodeCurved(gray)
        except cv2.error:
            return []
        if text and not self._bytes:
            return self._result(text, points)
        if not text:
            return []
        # detectAndDecodeCurved returns str: re-read the same corners as bytes for a strict UTF-8 check
        try:
            raw, _ = self._detector.decodeBytes(gray, points)
        except (cv2.error, AttributeError):
            raw = b""
        if raw:
            return self._result(raw, points)
        return self._result(text, points)

    def _result(self, raw: bytes | str | None, points: np.ndarray | None) -> list[Decoded]:
        if not raw:
            return []
        text = clean_text(bytes(raw) if not isinstance(raw, str) else raw, charset_guessed=True)
        if text is None:
            return []
        return [Decoded(text, self.name, order_corners(points) if points is not None else None)]
