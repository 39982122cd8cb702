""""Move closer / further": from the QR's measured module size to a distance hint (pure Python, no Qt).

The decoder reads a CCCD code best at about 2-4 pixels per QR module at the camera's resolution (README,
decoder figures by module size: below 1.3 px/module almost nothing reads, 2.0-2.5 nearly everything). The
reader measures the module size of its best candidate (``module_px`` on ``scanner.reader.FrameRead`` and
``scanner.stream.StreamResult``); :class:`DistanceGuide` smooths it over the last frames and says whether the
card should come closer or go further, with some hysteresis so that the hint does not flicker at a boundary.

The card guide on the preview is sized the same way: a card held so that it fills the guide shows its QR at
:data:`GUIDE_MODULE_PX` pixels per module.
"""

from __future__ import annotations

import statistics
from collections import deque
from enum import StrEnum

CLOSER_BELOW_PX = 2.0  # smaller modules: bring the card closer
CLOSER_CLEAR_PX = 2.3
FURTHER_ABOVE_PX = 5.0  # larger modules: the code fills too much (focus, framing): move it away a little
FURTHER_CLEAR_PX = 4.5
GUIDE_MODULE_PX = 3.0

# A CCCD payload (about 100-150 UTF-8 bytes, error correction M) is a QR of version 7-8: ~47 modules across,
# printed about 13 mm wide on the 85.6 x 54 mm card (domain.md: 11-15 mm).
CARD_MM = (85.6, 54.0)
CARD_QR_MM = 13.0
CARD_QR_MARGIN_MM = 2.5  # the QR sits in the card's top right corner
CARD_QR_MODULES = 47


class Distance(StrEnum):
    CLOSER = "closer"
    FURTHER = "further"


def guide_card_width(frame_width: int, frame_height: int) -> float:
    """The card guide's width in frame pixels: the card at which its QR has :data:`GUIDE_MODULE_PX` per module,
    kept inside the frame."""
    wanted = GUIDE_MODULE_PX * CARD_QR_MODULES * CARD_MM[0] / CARD_QR_MM
    fits = min(0.92 * frame_width, 0.92 * frame_height * CARD_MM[0] / CARD_MM[1])
    return min(wanted, fits)


class DistanceGuide:
    """Feed it each preview frame's ``module_px`` (None: no code in view); :attr:`hint` is the advice."""

    def __init__(self, window: int = 5) -> None:
        self._sizes: deque[float] = deque(maxlen=window)
        self.hint: Distance | None = None

    def update(self, module_px: float | None) -> Distance | None:
        if module_px is None or not module_px > 0:
            self._sizes.clear()
            self.hint = None
            return None
        self._sizes.append(float(module_px))
        size = statistics.median(self._sizes)
        if self.hint is Distance.CLOSER and size < CLOSER_CLEAR_PX:
            return self.hint
        if self.hint is Distance.FURTHER and size > FURTHER_CLEAR_PX:
            return self.hint
        if size < CLOSER_BELOW_PX:
            self.hint = Distance.CLOSER
        elif size > FURTHER_ABOVE_PX:
            self.hint = Distance.FURTHER
        else:
            self.hint = None
        return self.hint
