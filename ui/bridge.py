"""From pipeline threads to the GUI thread: a QObject whose signals carry pipeline events.

The pipeline calls :meth:`PipelineBridge.listener` on its own threads. Non-frame events are emitted as
``event`` (a queued connection to the GUI thread: there are few of them). Preview frames are NOT queued:
the bridge keeps only the newest one and emits ``frame_ready`` once; the GUI takes it with
:meth:`take_frame` when it gets round to it, so a busy GUI simply skips frames and nothing piles up.
:class:`RetryBridge` does the same for the background retrier's events (reception's pending list).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from kiosk.pipeline.flow import EventKind

if TYPE_CHECKING:  # numpy itself is not imported here: the window shows before the pipeline loads it
    import numpy as np

    from kiosk.pipeline import PipelineEvent
    from kiosk.retrier import RetryEvent


@dataclass(frozen=True)
class PreviewFrame:
    frame: np.ndarray
    hint: Any  # scanner.reader.ReadHint
    module_px: float | None  # the QR module size the reader measured (None: no code, or not measured)


class PipelineBridge(QObject):
    event = Signal(object)  # PipelineEvent (never a FRAME)
    frame_ready = Signal()  # a new preview frame is waiting in take_frame()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._frame: np.ndarray | None = None
        self._hint: Any = None
        self._module_px: float | None = None
        self._pending = False
        self._closed = False
        self.frames_in = 0  # frames offered by the pipeline
        self.frames_taken = 0  # frames the GUI took (the rest were dropped)

    def listener(self, event: PipelineEvent) -> None:
        """Called on pipeline threads: must be quick and never touch widgets."""
        if self._closed:
            return
        if event.kind is EventKind.FRAME:
            if event.frame is None:
                return
            with self._lock:
                self._frame = event.frame
                self._hint = event.hint
                self._module_px = getattr(event, "module_px", None)
                self.frames_in += 1
                notify = not self._pending
                self._pending = True
            if notify:
                self.frame_ready.emit()
            return
        self.event.emit(event)

    def take_frame(self) -> PreviewFrame | None:
        """The newest frame with its hint and module size (GUI thread), or None if it was already taken."""
        with self._lock:
            frame, hint, module_px = self._frame, self._hint, self._module_px
            self._frame = None
            self._pending = False
            if frame is not None:
                self.frames_taken += 1
        return None if frame is None else PreviewFrame(frame, hint, module_px)

    def close(self) -> None:
        """Stop forwarding (the window is going away); safe to call twice."""
        self._closed = True
        with self._lock:
            self._frame = None


class RetryBridge(QObject):
    """Moves retrier events (any thread) to the GUI thread."""

    event = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._closed = False

    def listener(self, event: RetryEvent) -> None:
        if not self._closed:
            self.event.emit(event)

    def close(self) -> None:
        """Stop forwarding (the window is going away)."""
        self._closed = True


def bgr_to_qimage(frame: np.ndarray) -> QImage:
    """A QImage of a BGR (or grayscale) uint8 image.

    A C-contiguous uint8 ``frame`` is shown in place (no copy): keep it alive as long as the image is used.
    """
    if frame.ndim == 2:
        fmt = QImage.Format.Format_Grayscale8
    elif frame.ndim == 3 and frame.shape[2] == 3 and frame.dtype == "uint8":
        fmt = QImage.Format.Format_BGR888
    else:
        raise ValueError(f"expected a BGR uint8 image, got shape {frame.shape} {frame.dtype}")
    packed = frame.astype("uint8", order="C", copy=False)
    h, w = packed.shape[:2]
    image = QImage(packed.data, w, h, packed.strides[0], fmt)
    return image if packed is frame else image.copy()  # a packed copy dies here: the image takes its own
