"""The frame-source interface: something that delivers BGR frames, one at a time.

A source knows nothing about Qt or about QR codes. The consumer (a worker thread in the app, the
headless pipeline, the ``decode`` command) opens it, calls :meth:`FrameSource.read` in a loop and closes
it. Sources are context managers and iterable::

    with open_source("0") as source:
        for frame in source:
            ...

Two kinds:

* recorded sources (image, folder of images, video file): ``read()`` returns every frame in order and
  ``None`` at the end of the input;
* live sources (camera, synthetic): there is no end; when the consumer is slower than the source, older
  frames are dropped (``Frame.index`` shows the gaps) and ``read(timeout)`` returns ``None`` when no
  frame arrived in time. Iterating a live source runs until it is closed (from another thread).
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import numpy as np


class SourceError(Exception):
    """The source cannot be used (no such file, unreadable video, camera that cannot be opened, ...)."""


@dataclass(frozen=True)
class Frame:
    """One image from a source.

    ``timestamp`` is on the ``time.monotonic()`` clock: the capture time for cameras and for sources paced
    in real time; for recorded media read as fast as possible it is the time the source was opened plus
    the frame's position in the recording, so frame spacing is the recording's own (a video's 30 fps stay
    1/30 s apart even when decoded at 300 fps).
    """

    image: np.ndarray  # BGR, uint8, shape (h, w, 3)
    index: int  # 0-based position in the source (live sources: capture count, so dropped frames leave gaps)
    timestamp: float
    path: Path | None = None  # the file the frame came from (image and folder sources)


class FrameSource(ABC):
    """Delivers frames; see the module docstring. Not reusable after :meth:`close`."""

    description: str = ""
    live: bool = False

    def __init__(self) -> None:
        self._state_lock = threading.Lock()
        self._opened = False
        self._closed = False

    # -- lifecycle ------------------------------------------------------------------------------------
    def open(self) -> None:
        """Acquire the device/file; raises :class:`SourceError` when it cannot be used. Idempotent."""
        with self._state_lock:
            if self._closed:
                raise SourceError(f"{self.description}: source already closed")
            if self._opened:
                return
            self._open()
            self._opened = True

    def close(self) -> None:
        """Release everything (threads joined). Idempotent; safe to call from any thread."""
        with self._state_lock:
            if self._closed:
                return
            self._closed = True
            was_open = self._opened
        if was_open:
            self._close()

    @property
    def is_open(self) -> bool:
        return self._opened and not self._closed

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def connected(self) -> bool:
        """Whether frames can currently be delivered (live sources: the device delivers frames)."""
        return self.is_open

    @property
    def finished(self) -> bool:
        """A live source that will deliver no more frames (e.g. a synthetic source with a frame budget)."""
        return False

    def read(self, timeout: float | None = None) -> Frame | None:
        """The next frame, or ``None`` at the end of input / when no frame arrived within ``timeout``.

        Recorded sources ignore ``timeout``. A live source with ``timeout=None`` waits until a frame
        arrives or the source is closed. Raises :class:`SourceError` if the source is not open.
        """
        if not self._opened:
            raise SourceError(f"{self.description}: read() before open()")
        if self._closed:
            return None
        return self._read(timeout)

    def __iter__(self) -> Iterator[Frame]:
        if not self._opened:
            self.open()
        while not self._closed:
            frame = self.read(timeout=0.5 if self.live else None)
            if frame is None:
                if self.live and not self.finished:
                    continue  # no frame yet (camera reconnecting): keep waiting until closed
                return
            yield frame

    def __enter__(self) -> FrameSource:
        self.open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.description!r}>"

    # -- for subclasses -------------------------------------------------------------------------------
    @abstractmethod
    def _open(self) -> None: ...

    @abstractmethod
    def _close(self) -> None: ...

    @abstractmethod
    def _read(self, timeout: float | None) -> Frame | None: ...


def as_bgr(image: np.ndarray) -> np.ndarray:
    """Any 8/16-bit gray, BGR or BGRA image as contiguous BGR uint8."""
    import cv2

    if image.dtype == np.uint16:
        image = (image >> 8).astype(np.uint8)
    elif image.dtype != np.uint8:
        image = np.clip(image, 0, 255).astype(np.uint8)
    if image.ndim == 2 or (image.ndim == 3 and image.shape[2] == 1):
        image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    elif image.ndim == 3 and image.shape[2] == 4:
        image = cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    elif not (image.ndim == 3 and image.shape[2] == 3):
        raise ValueError(f"unsupported image shape {image.shape}")
    return np.ascontiguousarray(image)
