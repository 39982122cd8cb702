"""The capture and decode threads of one frame source.

* capture: reads the source. Live sources (cameras): only the newest frame is kept for the decoder. Recorded
  sources (image, folder, video, a synthetic camera not paced in real time): every frame is handed over in order
  (the capture thread waits for the decoder), so nothing is skipped and a folder run is deterministic.
* decode: hands each frame to the pipeline (:meth:`KioskPipeline.on_frame`: the stream reader and the attempt
  bookkeeping); between frames of a live source it lets the pipeline's clock tick.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING, Any

from scanner.sources.base import Frame, FrameSource, SourceError
from scanner.sources.files import is_image_path

if TYPE_CHECKING:
    from kiosk.pipeline.pipeline import KioskPipeline
    from scanner.stream import StreamReader

log = logging.getLogger(__name__)

_END = object()  # the capture thread's last item for a recorded source: the input has ended


def is_recorded(source: FrameSource) -> bool:
    """Frames are handed over one by one, on the source's own clock (files, or a camera-like source
    that is not paced in real time such as ``synthetic`` with ``realtime=False``)."""
    return not source.live or getattr(source, "realtime", True) is False


class Mailbox:
    """Frames from the capture thread to the decode thread: newest-only (live) or one-by-one (recorded)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._item: Any = None
        self._has = False
        self.closed = False
        self.busy = False  # the consumer is working on an item

    def put(self, item: Any, *, wait: bool) -> bool:
        with self._cond:
            if wait:
                while (self._has or self.busy) and not self.closed:
                    self._cond.wait(0.1)
            if self.closed:
                return False
            self._item, self._has = item, True
            self._cond.notify_all()
            return True

    def get(self, timeout: float) -> tuple[bool, Any]:
        with self._cond:
            if not self._has and not self.closed:
                self._cond.wait(timeout)
            if self._has:
                item, self._item, self._has = self._item, None, False
                self.busy = True
                return True, item
            return False, None

    def done(self) -> None:
        with self._cond:
            self.busy = False
            self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            self.closed = True
            self._item, self._has = None, False
            self._cond.notify_all()

    @property
    def empty(self) -> bool:
        with self._cond:
            return not self._has and not self.busy


class FrameLoops:
    """Opens ``source`` and runs its capture and decode threads until :meth:`stop`."""

    def __init__(self, source: FrameSource, handler: KioskPipeline, *, stills: bool | None,
                 stopping: threading.Event) -> None:
        self.source = source
        self.handler = handler
        self.stills = stills  # each frame its own presentation; None: decided per frame (an image file)
        self.stopping = stopping
        self.mailbox = Mailbox()
        self.input_done = threading.Event()
        self.recorded = is_recorded(source)
        self._threads: list[threading.Thread] = []

    @property
    def idle(self) -> bool:
        """Nothing of a recorded source is waiting to be decoded (a live source is always idle here)."""
        return not self.recorded or self.input_done.is_set() or self.mailbox.empty

    def start(self) -> None:
        """Open the source (raises what it raises) and start the threads."""
        try:
            self.source.open()
        except Exception:
            self.input_done.set()
            raise
        self._threads = [
            threading.Thread(target=self._decode_loop, name="pipeline-decode", daemon=True),
            threading.Thread(target=self._capture_loop, name="pipeline-capture", daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def stop(self, deadline: float) -> None:
        self.mailbox.close()
        try:
            self.source.close()
        except Exception:
            log.exception("closing the frame source failed")
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
            if thread.is_alive():
                log.error("pipeline thread %s did not stop in time", thread.name)
        self._threads = []

    def _capture_loop(self) -> None:
        source, mailbox, live = self.source, self.mailbox, not self.recorded
        while not self.stopping.is_set() and not source.closed and not mailbox.closed:
            try:
                frame = source.read(timeout=0.25 if live else None)
            except Exception as exc:  # a broken source must not kill the thread silently
                if isinstance(exc, SourceError):
                    self.handler.source_state(False, str(exc))
                else:
                    log.exception("frame source failed")
                    self.handler.report_error(f"frame source failed: {exc}")
                if not live:
                    break
                time.sleep(0.25)
                continue
            if frame is None:
                if not live:
                    break
                self.handler.source_state(source.connected, "camera delivers no frames")
                continue
            self.handler.source_state(True, None)
            self.handler.preview(frame.image)
            if not mailbox.put(frame, wait=not live):
                return
        if not live:
            mailbox.put(_END, wait=True)

    def _is_still(self, frame: Frame) -> bool:
        if self.stills is not None:
            return self.stills
        if self.source.live or frame.path is None:
            return False
        return is_image_path(frame.path) and getattr(self.source, "fps", None) is None

    def _decode_loop(self) -> None:
        live = not self.recorded
        last_ts = time.monotonic()
        try:
            while not self.stopping.is_set() and not self.mailbox.closed:
                got, item = self.mailbox.get(0.1)
                if not got:
                    if live:
                        self.handler.on_tick(time.monotonic())
                    continue
                try:
                    if item is _END:
                        self.handler.on_input_end(last_ts)
                        self.input_done.set()
                        return
                    last_ts = item.timestamp
                    still = self._is_still(item)
                    self.handler.on_frame(item, still)
                    if still:
                        self.handler.wait_presentation(self)
                finally:
                    self.mailbox.done()
                    self.handler.frame_done()
        except Exception as exc:
            log.exception("decode thread failed")
            self.handler.report_error(f"decoding stopped: {exc}")
        finally:
            self.input_done.set()


def default_stream_reader() -> StreamReader:
    """The stream reader the pipeline uses when none is given.

    Its confirmer has no hold-off of its own (a text is reported whenever it is confirmed): the same-card
    hold-off is the pipeline's (:class:`~kiosk.attempt_tracker.TrackerTiming`), so that a code the confirmer
    would keep quiet about is never mistaken for an unreadable one.
    """
    from scanner.confirm import ReadConfirmer
    from scanner.payload import classify_payload
    from scanner.stream import StreamReader

    return StreamReader(confirmer=ReadConfirmer(holdoff_s=0.0, validator=lambda text: classify_payload(text).valid))
