"""OpenCV contrib's WeChat QR decoder: a CNN detector plus CNN super-resolution in front of a zxing-derived reader.

OpenCV 5 takes two ONNX models (``detect.onnx``, ``sr.onnx``); OpenCV 4.x took four Caffe files. The models
are looked up in ``assets/models``; without them the decoder is unavailable, because WeChat's model-less
fallback can spend seconds on an empty frame.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from scanner.assets import models_dir
from scanner.decoders.base import Decoded, DecoderUnavailable, clean_text, order_corners

ONNX_FILES = ("detect.onnx", "sr.onnx")
CAFFE_FILES = ("detect.prototxt", "detect.caffemodel", "sr.prototxt", "sr.caffemodel")


def model_files(folder: Path | None = None) -> tuple[str, ...]:
    """The model paths this OpenCV build takes, found in ``folder`` (default assets/models); raises if missing."""
    if not hasattr(cv2, "wechat_qrcode_WeChatQRCode"):
        raise DecoderUnavailable("wechat backend unavailable: this OpenCV build has no wechat_qrcode module")
    try:
        folder = models_dir() if folder is None else folder
    except FileNotFoundError as exc:
        raise DecoderUnavailable(f"wechat backend unavailable: {exc}") from exc
    major = int(cv2.__version__.split(".")[0])
    names = ONNX_FILES if major >= 5 else CAFFE_FILES
    paths = [folder / n for n in names]
    missing = [p.name for p in paths if not p.is_file()]
    if missing:
        raise DecoderUnavailable(f"wechat backend unavailable: models missing in {folder}: {', '.join(missing)}")
    return tuple(str(p) for p in paths)


class WeChatDecoder:
    name = "wechat"

    def __init__(self, model_folder: Path | None = None) -> None:
        files = model_files(model_folder)
        try:
            self._detector = cv2.wechat_qrcode_WeChatQRCode(*files)
        except cv2.error as exc:
            raise DecoderUnavailable(f"wechat backend could not load its models: {exc}") from exc

    def decode(self, gray: np.ndarray) -> list[Decoded]:
        try:
            texts, points = self._detector.detectAndDecode(gray)
        except (cv2.error, UnicodeDecodeError, SystemError, ValueError):  # raises on non-UTF-8 payloads
            return []
        out: list[Decoded] = []
        for i, raw in enumerate(texts):
            text = clean_text(raw)
            if text is None:
                continue
            corners = order_corners(points[i]) if i < len(points) else None
            out.append(Decoded(text, self.name, corners))
        return out
