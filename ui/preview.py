"""The live camera preview with a guide frame showing where to hold the card, and the decoder's live hint."""

from __future__ import annotations

import time
from collections import deque
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui.bridge import bgr_to_qimage
from ui.theme import GUIDE_COLOUR

if TYPE_CHECKING:
    import numpy as np

GUIDE_FRACTION = 0.62  # guide square side, as a fraction of the image height


class PreviewWidget(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 180)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAccessibleName(self.tr("Hình ảnh camera"))
        self._frame: np.ndarray | None = None  # keeps the QImage's memory alive
        self._image: QImage | None = None
        self._placeholder = ""
        self._paint_times: deque[float] = deque(maxlen=60)
        self.frames_shown = 0

    def set_frame(self, frame: np.ndarray) -> None:
        self._frame = frame
        self._image = bgr_to_qimage(frame)
        self.frames_shown += 1
        self.update()

    def clear(self, placeholder: str = "") -> None:
        """Drop the picture (it may show a person's card) and show ``placeholder`` text instead."""
        self._frame = None
        self._image = None
        self._placeholder = placeholder
        self.update()

    def set_placeholder(self, text: str) -> None:
        self._placeholder = text
        if self._image is None:
            self.update()

    @property
    def has_frame(self) -> bool:
        return self._image is not None

    def fps(self) -> float:
        if len(self._paint_times) < 2:
            return 0.0
        span = self._paint_times[-1] - self._paint_times[0]
        return (len(self._paint_times) - 1) / span if span > 0 else 0.0

    def paintEvent(self, _event: object) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#111417"))
        if self._image is None:
            painter.setPen(QColor("#e0e0e0"))
            font = painter.font()
            font.setPixelSize(max(14, self.height() // 18))
            painter.setFont(font)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self._placeholder)
            painter.end()
            return
        self._paint_times.append(time.monotonic())
        iw, ih = self._image.width(), self._image.height()
        scale = min(self.width() / iw, self.height() / ih)
        w, h = iw * scale, ih * scale
        target = QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)
        painter.drawImage(target, self._image)
        side = h * GUIDE_FRACTION
        guide = QRectF(target.center().x() - side / 2, target.center().y() - side / 2, side, side)
        shade = QPainterPath()
        shade.addRect(target)
        hole = QPainterPath()
        hole.addRoundedRect(guide, 16, 16)
        painter.fillPath(shade.subtracted(hole), QColor(0, 0, 0, 110))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(QColor(GUIDE_COLOUR))
        pen.setWidthF(max(3.0, side / 90))
        painter.setPen(pen)
        corner = side / 6
        for x, y, dx, dy in (
            (guide.left(), guide.top(), 1, 1),
            (guide.right(), guide.top(), -1, 1),
            (guide.left(), guide.bottom(), 1, -1),
            (guide.right(), guide.bottom(), -1, -1),
        ):
            painter.drawLine(int(x), int(y), int(x + dx * corner), int(y))
            painter.drawLine(int(x), int(y), int(x), int(y + dy * corner))
        painter.end()
