"""The decoder interface shared by every QR backend."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np

from scanner.vntext import is_mojibake


class DecoderUnavailable(RuntimeError):
    """The backend's library (or its model files) is not installed on this machine."""


@dataclass(frozen=True)
class Decoded:
    """One QR code read from an image: its exact text, the backend that read it, its corners (4x2, TL TR BR BL)
    and, when the backend tells the symbol's version, its module size in the image's pixels."""

    text: str
    backend: str
    points: np.ndarray | None = field(default=None, compare=False)
    module_px: float | None = field(default=None, compare=False)


@runtime_checkable
class Decoder(Protocol):
    name: str

    def decode(self, gray: np.ndarray) -> list[Decoded]:
        """Every QR code found in a grayscale uint8 image (empty list: none)."""
        ...


def as_gray(image: np.ndarray) -> np.ndarray:
    """A contiguous uint8 grayscale view of a gray or BGR(A) image; ValueError for anything else."""
    import cv2

    if not isinstance(image, np.ndarray):
        raise ValueError(f"expected a numpy image, got {type(image).__name__}")
    if image.dtype != np.uint8:
        raise ValueError(f"expected a uint8 image, got {image.dtype}")
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[..., 0]
    if image.ndim == 3 and image.shape[2] == 3:
        image = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    elif image.ndim == 3 and image.shape[2] == 4:
        image = cv2.cvtColor(image, cv2.COLOR_BGRA2GRAY)
    elif image.ndim != 2:
        raise ValueError(f"expected a gray or BGR image, got shape {image.shape}")
    if image.shape[0] < 8 or image.shape[1] < 8:
        raise ValueError(f"image too small: {image.shape[1]}x{image.shape[0]}")
    return np.ascontiguousarray(image)


_C1_CONTROLS = re.compile("[\u0080-\u009f]")


def clean_text(raw: bytes | str, *, charset_guessed: bool = False) -> str | None:
    """The payload as exact text, or None when it cannot be trusted.

    Rejected: bytes that are not strict UTF-8, empty text, C1 control characters (latin-1 damage).
    Kept: text holding U+FFFD — the code itself carries damaged text (bytes EF BF BD); it is read, and refused
    downstream with a reason (:attr:`scanner.payload.PayloadReading.damaged`), not taken for "no code".
    ``charset_guessed`` (backends that transcode payloads without an ECI header themselves: ZBar, OpenCV) also
    rejects text that looks like mojibake; zxing-cpp and WeChat keep genuine CJK payloads.
    """
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return None
    else:
        text = raw
    if not text or _C1_CONTROLS.search(text):
        return None
    if charset_guessed and is_mojibake(text):
        return None
    return text


def symbol_side(corners: np.ndarray) -> float:
    """The mean side (px) of the quadrilateral ``corners`` (4x2, in order around it)."""
    pts = np.asarray(corners, np.float64).reshape(-1, 2)
    return float(np.mean(np.linalg.norm(pts - np.roll(pts, 1, axis=0), axis=1)))


def module_px_of(corners: np.ndarray | None, version: int | None) -> float | None:
    """The module size (px) of a QR symbol of ``version`` whose corners are ``corners`` (mean side / modules)."""
    if corners is None or version is None or not 1 <= version <= 40:
        return None
    return symbol_side(corners) / (17 + 4 * version)


def order_corners(points: np.ndarray) -> np.ndarray | None:
    """4 corner points as float32 (4, 2), or None when the backend gave something else."""
    pts = np.asarray(points, dtype=np.float32).reshape(-1, 2)
    if pts.shape[0] != 4 or not np.all(np.isfinite(pts)):
        return None
    return pts
