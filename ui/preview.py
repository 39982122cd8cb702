"""The live camera preview: a card-shaped guide showing where the QR code sits, privacy on a public screen,
and a watchdog for a camera that stops sending pictures.

Without a picture it shows one of its own texts (:data:`NO_CAMERA`, :data:`CAMERA_STARTING`, ...), translated when
painted, so a language switch changes the text on screen at once.

``privacy`` (kiosk mode): the picture is shown blurred — coarse enough that neither the printed name nor the QR
code can be read from the screen or from a photo of it, fine enough to see where the card is — and dimmed
outside the card guide. A frame is never kept on screen once the camera stops: after ``stale_after_s`` without
a new frame the picture is dropped and :attr:`PreviewWidget.frames_stopped` fires.
"""

from __future__ import annotations

import time
from collections import deque
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui.bridge import bgr_to_qimage
from ui.guidance import CARD_MM, CARD_QR_MARGIN_MM, CARD_QR_MM, guide_card_width
from ui.i18n import QT_TRANSLATE_NOOP
from ui.theme import GUIDE_COLOUR

if TYPE_CHECKING:
    import numpy as np

PRIVACY_CELLS = 64  # the blurred picture is this many cells across (a QR module needs several to be read)
STALE_AFTER_S = 2.0

# What the preview says instead of a picture (source texts; translated when painted)
NO_CAMERA = QT_TRANSLATE_NOOP("PreviewWidget", "Không có camera")
CAMERA_STARTING = QT_TRANSLATE_NOOP("PreviewWidget", "Đang khởi động camera…")
CAMERA_WAITING = QT_TRANSLATE_NOOP("PreviewWidget", "Đang chờ hình ảnh từ camera…")
CAMERA_SWITCHING = QT_TRANSLATE_NOOP("PreviewWidget", "Đang chuyển camera…")
CAMERA_RECONNECTING = QT_TRANSLATE_NOOP("PreviewWidget", "Mất kết nối camera — đang thử kết nối lại…")
CAMERA_STALE = QT_TRANSLATE_NOOP("PreviewWidget", "Không nhận được hình ảnh từ camera")  # the camera stopped sending


class PreviewWidget(QWidget):
    frames_stopped = Signal()  # a camera that was sending frames sent none for ``stale_after_s``

    def __init__(self, parent: QWidget | None = None, *, privacy: bool = False) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 180)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAccessibleName(self.tr("Hình ảnh camera"))
        self.privacy = privacy
        self.stale_after_s = STALE_AFTER_S
        self._frame: np.ndarray | None = None  # keeps the QImage's memory alive
        self._image: QImage | None = None
        self._frame_size: tuple[int, int] = (0, 0)
        self._last_frame = 0.0
        self._placeholder = ""  # a source text (one of the constants above), "" for none
        self._paint_times: deque[float] = deque(maxlen=60)
        self.frames_shown = 0
        self._watchdog = QTimer(self)
        self._watchdog.setInterval(250)
        self._watchdog.timeout.connect(self._check_stale)

    def set_frame(self, frame: np.ndarray) -> None:
        image = bgr_to_qimage(frame)
        self._frame_size = (image.width(), image.height())
        if self.privacy:  # only the coarse picture is kept: the sharp one is dropped here
            cells = max(8, min(PRIVACY_CELLS, image.width()))
            self._image = image.scaled(cells, max(1, round(cells * image.height() / image.width())),
                                       Qt.AspectRatioMode.IgnoreAspectRatio,
                                       Qt.TransformationMode.SmoothTransformation)
            self._frame = None
        else:
            self._frame = frame
            self._image = image
        self._last_frame = time.monotonic()
        self.frames_shown += 1
        if not self._watchdog.isActive():
            self._watchdog.start()
        self.update()

    def clear(self, placeholder: str = "") -> None:
        """Drop the picture (it may show a person's card) and show ``placeholder`` (e.g. :data:`NO_CAMERA`)."""
        self._frame = None
        self._image = None
        self._placeholder = placeholder
        self._watchdog.stop()
        self.update()

    def set_placeholder(self, text: str) -> None:
        """What to say while there is no picture: one of the source texts above (e.g. :data:`CAMERA_WAITING`)."""
        self._placeholder = text
        if self._image is None:
            self.update()

    @property
    def placeholder(self) -> str:
        """The source text (Vietnamese) the preview shows without a picture."""
        return self._placeholder

    def placeholder_text(self) -> str:
        """That text as it is painted, in the language of the moment."""
        return QCoreApplication.translate("PreviewWidget", self._placeholder) if self._placeholder else ""

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.setAccessibleName(self.tr("Hình ảnh camera"))
            self.update()
        super().changeEvent(event)

    def _check_stale(self) -> None:
        if self._image is not None and time.monotonic() - self._last_frame > self.stale_after_s:
            self.clear(CAMERA_STALE)
            self.frames_stopped.emit()

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
            flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
            painter.drawText(self.rect(), flags, self.placeholder_text())
            painter.end()
            return
        self._paint_times.append(time.monotonic())
        fw, fh = self._frame_size
        scale = min(self.width() / fw, self.height() / fh)
        w, h = fw * scale, fh * scale
        target = QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)  # the coarse picture is blurred up
        painter.drawImage(target, self._image)
        self._paint_guide(painter, target, scale)
        painter.end()

    def _paint_guide(self, painter: QPainter, target: QRectF, scale: float) -> None:
        """A card outline of the size that reads best, with the QR's place on it (top right)."""
        fw, fh = self._frame_size
        card_w = guide_card_width(fw, fh) * scale
        card_h = card_w * CARD_MM[1] / CARD_MM[0]
        card = QRectF(target.center().x() - card_w / 2, target.center().y() - card_h / 2, card_w, card_h)
        mm = card_w / CARD_MM[0]
        qr_side = CARD_QR_MM * mm
        qr = QRectF(card.right() - CARD_QR_MARGIN_MM * mm - qr_side, card.top() + CARD_QR_MARGIN_MM * mm,
                    qr_side, qr_side)
        shade = QPainterPath()
        shade.addRect(target)
        hole = QPainterPath()
        hole.addRoundedRect(card, 3.2 * mm, 3.2 * mm)
        painter.fillPath(shade.subtracted(hole), QColor(0, 0, 0, 150))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(QColor(GUIDE_COLOUR))
        pen.setWidthF(max(2.0, card_w / 260))
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawRoundedRect(card, 3.2 * mm, 3.2 * mm)
        pen.setStyle(Qt.PenStyle.SolidLine)
        pen.setWidthF(max(3.0, card_w / 150))
        painter.setPen(pen)
        corner = qr_side / 3
        for x, y, dx, dy in (
            (qr.left(), qr.top(), 1, 1),
            (qr.right(), qr.top(), -1, 1),
            (qr.left(), qr.bottom(), 1, -1),
            (qr.right(), qr.bottom(), -1, -1),
        ):
            painter.drawLine(int(x), int(y), int(x + dx * corner), int(y))
            painter.drawLine(int(x), int(y), int(x), int(y + dy * corner))
