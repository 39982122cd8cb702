"""A synthetic card frame that no zxing-cpp ladder step reads, shared by the reader and stream tests."""

from __future__ import annotations

import numpy as np

from scanner.standins import synth


def hard_frame() -> np.ndarray:
    """A small, tilted, dark code in JPEG that no zxing-cpp step reads: its ladder reaches WeChat."""
    return synth.synth_frame(synth.SAMPLE_PAYLOAD, synth.FrameConditions(
        frame_size=(1280, 720), card_width_frac=0.37, center=(0.44, 0.57), rotation_deg=-5.2, tilt=(22.0, 7.9),
        defocus_sigma=0.2, noise_sigma=10.0, jpeg_quality=58, brightness=0.33, seed=1927968621))
