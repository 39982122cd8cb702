"""Synthetic frames the reader and stream tests share: a code no zxing-cpp step reads, QR-like texture."""

from __future__ import annotations

import cv2
import numpy as np

from scanner.standins import synth


def hard_frame() -> np.ndarray:
    """A small, tilted, dark code in JPEG that no zxing-cpp step reads: its ladder reaches WeChat."""
    return synth.synth_frame(synth.SAMPLE_PAYLOAD, synth.FrameConditions(
        frame_size=(1280, 720), card_width_frac=0.37, center=(0.44, 0.57), rotation_deg=-5.2, tilt=(22.0, 7.9),
        defocus_sigma=0.2, noise_sigma=10.0, jpeg_quality=58, brightness=0.33, seed=1927968621))


def texture_frame() -> np.ndarray:
    """Desk or card texture that looks QR-dense (random 3 px blocks, smeared sideways) but has no finder mark."""
    rng = np.random.default_rng(4)
    gray = np.full((720, 1280), 170, np.uint8)
    blocks = rng.integers(0, 2, (60, 60), dtype=np.uint8)
    gray[200:380, 500:680] = np.where(np.kron(blocks, np.ones((3, 3), np.uint8)) > 0, 40, 220)
    return cv2.blur(gray, (5, 1))
