"""The headless kiosk pipeline: frames -> decode -> confirm -> validate -> signed lookup -> result -> log.

One component with clear states and events, used by the Qt app (through a thin adapter), by
``bhyt-kiosk scan`` and by tests. No Qt here. See ``/tmp/pipeline_api.md`` (the contract with the UI)::

    pipeline = KioskPipeline(config=config, client=client, log=log, source=source, hasher=hasher)
    pipeline.add_listener(on_event)          # called from pipeline threads; must be quick
    pipeline.start()
    ...
    pipeline.stop()                          # joins every thread it started

Threads
-------
* capture (when a source is set): reads the source. Live sources (cameras): only the newest frame is
  kept for the decoder, FRAME events go out at most at ``preview_fps``. Recorded sources (image, folder,
  video): every frame is handed over in order (the capture thread waits for the decoder), so nothing is
  skipped and a folder run is deterministic.
* decode: :class:`scanner.stream.StreamReader` on each frame, then the attempt bookkeeping
  (:class:`kiosk.attempt_tracker.AttemptTracker`): card seen -> read -> confirmed.
* lookup worker: one attempt at a time, in order: validation result, the signed lookup, the record.
  The lookup itself runs as a task on the lookup loop (:mod:`kiosk.lookup_loop`, one thread for every
  lookup); :meth:`KioskPipeline.cancel` and :meth:`KioskPipeline.stop` cancel that task, which aborts a
  request in flight at once.

Attempts
--------
Every attempt ends in exactly one :class:`kiosk.attempts.LookupAttempt` handed to the log (unreadable,
invalid card, not an ID card, cancelled, every lookup outcome). A record that cannot be written becomes
an ERROR event (and the log's own counters); it never stops the pipeline. Records carry the keyed
``person_hash`` and the masked number only, never the number, the name or the address.

Presentations: a camera (or video) is a stream; each still image (image file, folder of images) is its
own presentation: an image with a code that never decodes is UNREADABLE, an image with no code at all
makes no attempt, and the same card in two images is two attempts (no hold-off between images).
"""

from __future__ import annotations

import collections
import concurrent.futures
import contextlib
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.attempt_tracker import (
    ActionKind,
    AttemptTracker,
    CameraAttempt,
    Observation,
    TrackerAction,
    TrackerTiming,
    new_attempt_id,
)
from kiosk.attempts import InputSource, LookupAttempt, Stage
from kiosk.lookup_loop import LookupLoop
from kiosk.outcomes import Outcome
from scanner.masking import mask_id

if TYPE_CHECKING:
    import numpy as np

    from kiosk.client import LookupClient
    from kiosk.config import KioskConfig
    from kiosk.eligibility import EligibilityResult
    from kiosk.lookup_log import LookupLog
    from kiosk.privacy import PersonHasher
    from scanner.cccd import CitizenCard
    from scanner.payload import PayloadReading
    from scanner.reader import ReadHint
    from scanner.sources.base import Frame, FrameSource
    from scanner.stream import StreamReader, StreamResult

log = logging.getLogger(__name__)

__all__ = [
    "EventKind",
    "KioskPipeline",
    "PipelineEvent",
    "PipelineState",
    "RecordedAttempt",
    "TrackerTiming",
    "is_recorded",
    "manual_card",
]


class PipelineState(StrEnum):
    STOPPED = "stopped"
    WAITING = "waiting"
    READING = "reading"
    LOOKING_UP = "looking-up"
    RESULT = "result"
    ERROR = "error"


class EventKind(StrEnum):
    STATE = "state"  # state changed (event.state is the new state)
    FRAME = "frame"  # a preview frame (event.frame, BGR; listeners must not modify it) + event.hint
    CARD_SEEN = "card-seen"  # a QR code appeared (an attempt starts: event.attempt_id)
    CARD_READ = "card-read"  # a valid CCCD was read (event.card)
    CARD_INVALID = "card-invalid"  # a CCCD-shaped payload failed validation (event.error; outcome INVALID_CARD)
    NOT_ID_CARD = "not-id-card"  # a QR that is not an ID card (event.outcome NOT_ID_CARD)
    LOOKING_UP = "looking-up"  # the signed request is on its way (event.card)
    RESULT = "result"  # event.result: EligibilityResult; event.card; event.outcome
    ERROR = "error"  # a problem outside an attempt (camera lost, log write failure); event.error
    SOURCE_LOST = "source-lost"
    SOURCE_RESTORED = "source-restored"


@dataclass(frozen=True)
class PipelineEvent:
    kind: EventKind
    state: PipelineState
    attempt_id: str | None = None
    source: InputSource | None = None
    frame: np.ndarray | None = None
    hint: ReadHint | None = None
    module_px: float | None = None  # FRAME: QR module size of the best candidate (camera pixels), if measured
    card: CitizenCard | None = None
    result: EligibilityResult | None = None
    outcome: Outcome | None = None
    error: str | None = None  # technical English reason (for logs/staff); the UI maps outcome -> text
    timestamp: float = field(default_factory=time.monotonic)


@dataclass(frozen=True)
class RecordedAttempt:
    """What :meth:`KioskPipeline.add_record_listener` listeners get once per ended attempt."""

    attempt: LookupAttempt
    path: Path | None = None  # the image file (image and folder sources) or video the card came from
    result: EligibilityResult | None = None  # when a lookup returned


Listener = Callable[[PipelineEvent], None]
RecordListener = Callable[[RecordedAttempt], None]

_END = object()  # the capture thread's last item for a recorded source: the input has ended


def is_recorded(source: FrameSource) -> bool:
    """Frames are handed over one by one, on the source's own clock (files, or a camera-like source
    that is not paced in real time such as ``synthetic`` with ``realtime=False``)."""
    return not source.live or getattr(source, "realtime", True) is False


def _wall(mono: float) -> datetime:
    """A ``time.monotonic()`` value as a UTC datetime."""
    return datetime.fromtimestamp(time.time() - (time.monotonic() - mono), UTC)


def _ms(seconds: float) -> float:
    return round(max(0.0, seconds) * 1000.0, 3)


# --------------------------------------------------------------------------------------------- manual entry


def manual_card(id_number: str, full_name: str, date_of_birth: str) -> CitizenCard:
    """A card from what staff typed: 12-digit number, name, birth date (dd/MM/yyyy, ddMMyyyy, MM/yyyy, yyyy, ISO).

    Raises :class:`scanner.cccd.CardPayloadError` (the same reasons as a scanned card) when it is invalid;
    the sex comes from the number's century/sex digit.
    """
    from scanner.cccd import CardPayloadError, CitizenCard, InvalidReason, id_sex, validate_id_number
    from scanner.dates import PartialDate

    number = (id_number or "").strip()
    name = " ".join((full_name or "").split())
    dob_text = (date_of_birth or "").strip()
    if not name:
        raise CardPayloadError(InvalidReason.EMPTY_NAME, "The full name is empty.", field="full_name")
    if any(ch.isdigit() or ch == "|" for ch in name):
        raise CardPayloadError(InvalidReason.BAD_NAME, "The full name contains digits or '|'.", field="full_name")
    try:
        dob = PartialDate.parse_any(dob_text)
    except (ValueError, TypeError):
        raise CardPayloadError(
            InvalidReason.BAD_BIRTH_DATE,
            "The date of birth is not a date (dd/MM/yyyy, MM/yyyy or yyyy).",
            field="date_of_birth",
        ) from None
    if dob.earliest() > datetime.now(UTC).date():
        raise CardPayloadError(InvalidReason.FUTURE_BIRTH_DATE, "The date of birth is in the future.",
                               field="date_of_birth")
    validate_id_number(number, dob)
    return CitizenCard(
        id_number=number,
        old_id_number=None,
        full_name=name,
        date_of_birth=dob,
        sex=id_sex(number),
        address="",
        issue_date=None,
    )


# --------------------------------------------------------------------------------------------- internals


class _JobKind(StrEnum):
    TEXT = "text"  # a decoded / scanned payload (camera, USB scanner, command line)
    MANUAL = "manual"


@dataclass
class _Job:
    """One attempt on its way through validation and lookup (lookup worker)."""

    attempt: LookupAttempt
    kind: _JobKind
    source: InputSource
    first_seen: float  # monotonic
    read_done: float | None  # monotonic, when the text was in hand (None: never read)
    text: str | None = None
    reading: PayloadReading | None = None
    validate_s: float | None = None
    manual: tuple[str, str, str] | None = None
    path: Path | None = None
    cancel: threading.Event = field(default_factory=threading.Event)
    lookup: concurrent.futures.Future[EligibilityResult] | None = None
    cancel_reason: str = "cancelled by the user"


@dataclass
class _Reading:
    """Per-attempt decode details the tracker does not keep."""

    path: Path | None = None
    hints: collections.Counter[str] = field(default_factory=collections.Counter)
    decode_ms: float = 0.0


class _Mailbox:
    """Frames from the capture thread to the decode thread: newest-only (live) or one-by-one (recorded)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._item: Any = None
        self._has = False
        self._closed = False
        self.busy = False  # the consumer is working on an item

    def put(self, item: Any, *, wait: bool) -> bool:
        with self._cond:
            if wait:
                while (self._has or self.busy) and not self._closed:
                    self._cond.wait(0.1)
            if self._closed:
                return False
            self._item, self._has = item, True
            self._cond.notify_all()
            return True

    def get(self, timeout: float) -> tuple[bool, Any]:
        with self._cond:
            if not self._has and not self._closed:
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
            self._closed = True
            self._item, self._has = None, False
            self._cond.notify_all()

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def empty(self) -> bool:
        with self._cond:
            return not self._has and not self.busy


# --------------------------------------------------------------------------------------------- the pipeline


class KioskPipeline:
    def __init__(
        self,
        *,
        config: KioskConfig,
        client: LookupClient | None = None,
        log: LookupLog | None = None,
        source: FrameSource | None = None,
        stream_reader: StreamReader | None = None,
        hasher: PersonHasher | None = None,
        preview_fps: float = 30.0,
        timing: TrackerTiming | None = None,
        stills: bool | None = None,
    ) -> None:
        """``client``/``log``/``hasher`` default to the ones the configuration names (created at start).

        ``stills``: treat each frame as its own presentation; ``None`` decides per frame (a frame read from
        an image file is a still). ``timing``: hold-off and "card gone" times of the camera bookkeeping.
        The pipeline owns the sources it is given (closes them at :meth:`stop` / :meth:`set_source`); it
        closes the client and log only when it created them.
        """
        self.config = config
        self._client = client
        self._log = log
        self._hasher = hasher
        self._owns_client = client is None
        self._owns_log = log is None
        self._source = source
        self._reader = stream_reader
        self._preview_interval = 1.0 / preview_fps if preview_fps > 0 else 0.0
        self._stills = stills
        self._tracker = AttemptTracker(timing or TrackerTiming(), make_id=new_attempt_id)

        self._lock = threading.RLock()  # state, tracker, jobs
        self._idle_cond = threading.Condition(self._lock)
        self._listeners: list[Listener] = []
        self._record_listeners: list[RecordListener] = []
        self._state = PipelineState.STOPPED
        self._started = False
        self._stopping = threading.Event()
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._queued = 0  # jobs queued or in progress
        self._current: _Job | None = None
        self._readings: dict[str, _Reading] = {}  # attempt_id -> decode details (camera attempts)
        self._camera_jobs: dict[str, _Job] = {}  # attempt_id -> job, for camera attempts being read
        self._mailbox = _Mailbox()
        self._capture_thread: threading.Thread | None = None
        self._decode_thread: threading.Thread | None = None
        self._worker_thread: threading.Thread | None = None
        self._lookups = LookupLoop()
        self._input_done = threading.Event()
        self._last_hint: ReadHint | None = None
        self._last_module_px: float | None = None
        self._last_preview = 0.0
        self._source_connected = True
        self._tracker_now = time.monotonic()
        self._setup_error: str | None = None
        self._decoding = False  # the decode thread is between a frame and the actions it caused

    # ------------------------------------------------------------------ listeners

    def add_listener(self, fn: Listener) -> None:
        with self._lock:
            self._listeners.append(fn)

    def remove_listener(self, fn: Listener) -> None:
        with self._lock, contextlib.suppress(ValueError):
            self._listeners.remove(fn)

    def add_record_listener(self, fn: RecordListener) -> None:
        """``fn(RecordedAttempt)`` once per ended attempt, after it was handed to the log."""
        with self._lock:
            self._record_listeners.append(fn)

    def _emit(self, kind: EventKind, **fields: Any) -> None:
        event = PipelineEvent(kind=kind, state=self._state, **fields)
        for fn in list(self._listeners):
            try:
                fn(event)
            except Exception:  # a broken listener must not stop the pipeline
                log.exception("pipeline listener failed on %s", kind.value)

    def _set_state(self, state: PipelineState, **fields: Any) -> None:
        """Move to ``state``; a STATE event goes out when it changed (or when ``fields`` say why)."""
        with self._lock:
            changed = state is not self._state
            self._state = state
        if changed or fields:
            self._emit(EventKind.STATE, **fields)

    def report_error(self, message: str) -> None:
        """Publish an ERROR event (e.g. the lookup log's ``on_error`` callback)."""
        log.error("%s", message)
        self._emit(EventKind.ERROR, error=message)

    # ------------------------------------------------------------------ properties

    @property
    def state(self) -> PipelineState:
        return self._state

    @property
    def source(self) -> FrameSource | None:
        return self._source

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> None:
        with self._lock:
            if self._started:
                return
            self._started = True
            self._stopping.clear()
        if self._reader is None and self._source is not None:
            self._reader = default_stream_reader()
        self._ensure_services()
        self._lookups.start()
        self._set_state(PipelineState.WAITING)
        self._worker_thread = threading.Thread(target=self._worker_loop, name="pipeline-lookup", daemon=True)
        self._worker_thread.start()
        if self._source is not None:
            self._start_source_threads()

    def _ensure_services(self) -> None:
        if self._hasher is None:
            from kiosk.privacy import PersonHasher, load_or_create_secret

            self._hasher = PersonHasher(load_or_create_secret())
        if self._log is None:
            from kiosk.lookup_log import LookupLog

            self._log = LookupLog(self.config.effective_log_db, retention_days=self.config.log_retention_days,
                                  on_error=self.report_error)
        if self._client is None:
            from kiosk.client import LookupClient
            from kiosk.config import ConfigError

            try:
                self._client = LookupClient(self.config)
            except ConfigError as exc:
                self._setup_error = str(exc)
                self.report_error(f"lookups disabled: {exc}")

    def _start_source_threads(self) -> None:
        source = self._source
        assert source is not None
        self._mailbox = _Mailbox()
        self._input_done.clear()
        try:
            source.open()
        except Exception as exc:
            self._input_done.set()
            self._set_state(PipelineState.ERROR)
            self.report_error(f"source {source.description or source!r}: {exc}")
            return
        self._source_connected = True
        self._capture_thread = threading.Thread(target=self._capture_loop, args=(source, self._mailbox),
                                                name="pipeline-capture", daemon=True)
        self._decode_thread = threading.Thread(target=self._decode_loop, args=(source, self._mailbox),
                                               name="pipeline-decode", daemon=True)
        self._decode_thread.start()
        self._capture_thread.start()

    def _stop_source_threads(self, deadline: float) -> None:
        source = self._source
        self._mailbox.close()
        if source is not None:
            try:
                source.close()
            except Exception:
                log.exception("closing the frame source failed")
        for thread in (self._capture_thread, self._decode_thread):
            if thread is not None:
                thread.join(max(0.0, deadline - time.monotonic()))
                if thread.is_alive():
                    log.error("pipeline thread %s did not stop in time", thread.name)
        self._capture_thread = self._decode_thread = None

    def stop(self, timeout: float = 5.0) -> None:
        """Stop and join every thread started; open and queued attempts end as CANCELLED. Idempotent."""
        with self._lock:
            if not self._started:
                return
            self._started = False
            self._stopping.set()
            current = self._current
        deadline = time.monotonic() + timeout
        if current is not None:
            self._cancel_job(current, "cancelled: the pipeline stopped")
        self._stop_source_threads(deadline)
        self._jobs.put(None)
        if self._worker_thread is not None:
            self._worker_thread.join(max(0.0, deadline - time.monotonic()))
            if self._worker_thread.is_alive():
                log.error("pipeline lookup worker did not stop in time")
            self._worker_thread = None
        # Everything still open ends now, each attempt exactly once.
        with self._lock:
            leftovers = self._tracker.flush() + self._tracker.cancel(self._tracker_now)
        for action in leftovers:
            self._handle_leftover(action)
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                break
            if job is not None:
                self._finish(job, Outcome.CANCELLED, stage=None, error="cancelled: the pipeline stopped")
        client = self._client
        if client is not None:  # its connections belong to this loop
            with contextlib.suppress(Exception):
                self._lookups.submit(client.aclose()).result(max(0.1, deadline - time.monotonic()))
        self._lookups.stop(max(0.1, deadline - time.monotonic()))
        if self._owns_client:
            self._client = None
        if self._owns_log and self._log is not None:
            self._log.close()
            self._log = None
        with self._lock:
            self._queued = 0
            self._current = None
            self._idle_cond.notify_all()
        self._set_state(PipelineState.STOPPED)

    def _handle_leftover(self, action: TrackerAction) -> None:
        if action.kind is not ActionKind.READ:
            self._handle_actions([action], cancel_reason="cancelled: the pipeline stopped")
            return
        attempt = action.attempt
        job = self._camera_job(attempt)
        job.attempt.frames_to_read = attempt.frames_seen
        self._finish(job, Outcome.CANCELLED, stage=Stage.READ, error="cancelled: the pipeline stopped")

    def set_source(self, source: FrameSource | None) -> None:
        """Switch the frame source at run time (an attempt being read ends as CANCELLED)."""
        with self._lock:
            running = self._started
        if running:
            self._stop_source_threads(time.monotonic() + 5.0)
            with self._lock:
                actions = self._tracker.cancel(self._tracker_now)
                actions += self._tracker.end_presentation(self._tracker_now, forget_held=False)
            self._handle_actions(actions, cancel_reason="cancelled: the camera was changed")
            if self._reader is not None:
                self._reader.reset()
        self._source = source
        if running and source is not None:
            if self._reader is None:
                self._reader = default_stream_reader()
            self._start_source_threads()

    # ------------------------------------------------------------------ submissions

    def submit_payload(self, text: str, source: InputSource = InputSource.USB_SCANNER) -> str:
        """A payload from a USB scanner (or the command line): validated, looked up and logged. Returns the id."""
        now = time.monotonic()
        job = _Job(attempt=self._new_attempt(source, now), kind=_JobKind.TEXT, source=source,
                   first_seen=now, read_done=now, text=text)
        self._enqueue(job)
        return job.attempt.attempt_id

    def submit_manual(self, id_number: str, full_name: str, date_of_birth: str) -> str:
        """A manual entry by staff: validated, looked up and logged like a scanned card. Returns the id."""
        now = time.monotonic()
        job = _Job(attempt=self._new_attempt(InputSource.MANUAL, now), kind=_JobKind.MANUAL,
                   source=InputSource.MANUAL, first_seen=now, read_done=now,
                   manual=(id_number, full_name, date_of_birth))
        self._enqueue(job)
        return job.attempt.attempt_id

    def _new_attempt(self, source: InputSource, first_seen: float, attempt_id: str | None = None) -> LookupAttempt:
        attempt = LookupAttempt.start(kiosk_id=self.config.kiosk_id, facility_code=self.config.facility_code,
                                      source=source, now=_wall(first_seen))
        if attempt_id is not None:
            attempt.attempt_id = attempt_id
        return attempt

    def _enqueue(self, job: _Job) -> None:
        with self._lock:
            stopped = self._stopping.is_set() and not self._started
            if not stopped:
                self._queued += 1
                self._tracker.set_busy(True)
        if stopped:  # submitted after stop(): still recorded, never silently dropped
            self._finish(job, Outcome.CANCELLED, stage=None, error="cancelled: the pipeline is stopped")
            return
        self._jobs.put(job)

    # ------------------------------------------------------------------ control

    def cancel(self) -> None:
        """Cancel the current lookup (or the card being read): outcome CANCELLED, state back to WAITING."""
        with self._lock:
            current = self._current
            actions = self._tracker.cancel(self._tracker_now) if current is None else []
        if current is not None:
            self._cancel_job(current, "cancelled by the user")
        self._handle_actions(actions, cancel_reason="cancelled by the user")

    def _cancel_job(self, job: _Job, reason: str) -> None:
        job.cancel_reason = reason
        job.cancel.set()
        if job.lookup is not None:
            self._lookups.cancel(job.lookup)

    def reset(self) -> None:
        """The result was dismissed (or timed out): back to WAITING for the next card."""
        with self._lock:
            if self._state in (PipelineState.RESULT, PipelineState.ERROR) and self._current is None:
                self._state = PipelineState.WAITING
            else:
                return
        self._emit(EventKind.STATE)

    def _idle_locked(self) -> bool:
        if (self._queued or self._current is not None or self._decoding or self._tracker.reading
                or self._tracker.has_deferred):
            return False
        source = self._source
        recorded = source is not None and is_recorded(source) and self._decode_thread is not None
        return not recorded or self._input_done.is_set() or self._mailbox.empty

    def wait_idle(self, timeout: float) -> bool:
        """True when no attempt is in flight (nothing being read, queued or looked up) within ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._idle_cond:
            while not self._idle_locked():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._idle_cond.wait(min(remaining, 0.1))
            return True

    def wait_input_finished(self, timeout: float) -> bool:
        """Recorded sources: True when the input has ended and its last attempt was recorded."""
        deadline = time.monotonic() + timeout
        if not self._input_done.wait(timeout):
            return False
        return self.wait_idle(max(0.0, deadline - time.monotonic()))

    # ------------------------------------------------------------------ capture thread

    def _capture_loop(self, source: FrameSource, mailbox: _Mailbox) -> None:
        from scanner.sources.base import SourceError

        live = not is_recorded(source)
        while not self._stopping.is_set() and not source.closed and not mailbox.closed:
            try:
                frame = source.read(timeout=0.25 if live else None)
            except SourceError as exc:
                self._source_state(False, str(exc))
                if not live:
                    break
                time.sleep(0.25)
                continue
            except Exception as exc:  # a broken source must not kill the thread silently
                log.exception("frame source failed")
                self.report_error(f"frame source failed: {exc}")
                if not live:
                    break
                time.sleep(0.25)
                continue
            if frame is None:
                if not live:
                    break
                self._source_state(source.connected, "camera delivers no frames")
                continue
            self._source_state(True, None)
            self._preview(frame.image)
            if not mailbox.put(frame, wait=not live):
                return
        if not live:
            mailbox.put(_END, wait=True)

    def _source_state(self, connected: bool, reason: str | None) -> None:
        if connected == self._source_connected:
            return
        self._source_connected = connected
        if connected:
            with self._lock:
                if self._state is PipelineState.ERROR:
                    self._state = PipelineState.WAITING
            self._emit(EventKind.SOURCE_RESTORED)
        else:
            with self._lock:
                if self._state in (PipelineState.WAITING, PipelineState.READING):
                    self._state = PipelineState.ERROR
            self._emit(EventKind.SOURCE_LOST, error=reason)

    def _preview(self, image: np.ndarray) -> None:
        now = time.monotonic()
        if now - self._last_preview < self._preview_interval:
            return
        self._last_preview = now
        self._emit(EventKind.FRAME, frame=image, hint=self._last_hint, module_px=self._last_module_px)

    # ------------------------------------------------------------------ decode thread

    def _is_still(self, source: FrameSource, frame: Frame) -> bool:
        if self._stills is not None:
            return self._stills
        if source.live or frame.path is None:
            return False
        from scanner.sources.files import is_image_path

        return is_image_path(frame.path) and getattr(source, "fps", None) is None

    def _decode_loop(self, source: FrameSource, mailbox: _Mailbox) -> None:
        live = not is_recorded(source)
        last_ts = time.monotonic()
        try:
            while not self._stopping.is_set() and not mailbox.closed:
                got, item = mailbox.get(0.1)
                if not got:
                    if live:
                        self._tick(time.monotonic())
                    continue
                try:
                    if item is _END:
                        with self._lock:
                            self._tracker_now = max(self._tracker_now, last_ts)
                            actions = self._tracker.end_presentation(last_ts)
                        self._handle_actions(actions)
                        self._input_done.set()
                        return
                    frame: Frame = item
                    last_ts = frame.timestamp
                    still = self._is_still(source, frame)
                    self._process_frame(frame, still)
                    if still:
                        self._wait_lookups(mailbox)
                finally:
                    mailbox.done()
                    with self._idle_cond:
                        self._idle_cond.notify_all()
        except Exception as exc:
            log.exception("decode thread failed")
            self.report_error(f"decoding stopped: {exc}")
        finally:
            self._input_done.set()

    def _wait_lookups(self, mailbox: _Mailbox) -> None:
        """Still images: the next image waits until this one's attempt has ended (one presentation at a time)."""
        with self._idle_cond:
            while (self._queued or self._tracker.has_deferred) and not self._stopping.is_set() and not mailbox.closed:
                self._idle_cond.wait(0.1)

    def _tick(self, now: float) -> None:
        with self._lock:
            if now < self._tracker_now:
                return
            self._tracker_now = now
            actions = self._tracker.tick(now)
            self._decoding = bool(actions)
        if actions:
            try:
                self._handle_actions(actions)
            finally:
                with self._idle_cond:
                    self._decoding = False
                    self._idle_cond.notify_all()

    def _observation(self, frame: Frame, result: StreamResult, still: bool) -> tuple[Observation, float | None]:
        from scanner.payload import classify_payload

        fr = result.frame_read
        candidate = (bool(result.texts) or result.accepted is not None or getattr(fr, "qr_box", None) is not None
                     or _hint_key(result.hint) not in ("no-code", "none"))
        text = result.accepted
        reading = result.reading
        if text is None and still and result.texts:
            # a still image has no "next frame" to confirm with: what it decodes to is the reading
            readings = [classify_payload(t) for t in result.texts]
            pick = next((r for r in readings if r.kind == "cccd"), readings[0])
            text, reading = pick.text, pick
        validate_s: float | None = None
        if text is not None:
            t0 = time.perf_counter()
            reading = classify_payload(text)
            validate_s = time.perf_counter() - t0
            if reading.retry_advised and not still:
                text, reading, validate_s = None, None, None  # decoder charset trouble: read it again
        obs = Observation(now=frame.timestamp, candidate=candidate, accepted=text, reading=reading,
                          backend=getattr(fr, "backend", None), stage=_stage_name(getattr(fr, "stage", None)))
        return obs, validate_s

    def _process_frame(self, frame: Frame, still: bool) -> None:
        reader = self._reader
        assert reader is not None
        if still:
            reader.reset()
        try:
            result = reader.feed(frame.image, now=frame.timestamp)
        except Exception as exc:
            log.exception("stream reader failed on frame %s", frame.index)
            self.report_error(f"decoder failed on frame {frame.index}: {exc}")
            return
        self._last_hint = result.hint
        self._last_module_px = getattr(result, "module_px", None)
        obs, validate_s = self._observation(frame, result, still)
        decode_ms = float(getattr(result.frame_read, "ms", 0.0) or 0.0)
        with self._lock:
            self._decoding = True
            self._tracker_now = max(self._tracker_now, obs.now)
            current = self._tracker.current if self._tracker.reading else None
            if current is not None and obs.candidate:
                details = self._readings.setdefault(current.attempt_id, _Reading(path=frame.path))
                details.hints["unconfirmed" if result.texts else _hint_key(result.hint)] += 1
            actions = self._tracker.observe(obs)
            if still:
                actions += self._tracker.end_presentation(obs.now)
        for action in actions:
            details = self._readings.setdefault(action.attempt.attempt_id, _Reading(path=frame.path))
            if action.kind is ActionKind.READ:
                details.decode_ms = decode_ms
            if action.kind is ActionKind.UNREADABLE and not details.hints and obs.candidate:
                details.hints[_hint_key(result.hint)] += 1
        try:
            self._handle_actions(actions, validate_s=validate_s)
        finally:
            with self._idle_cond:
                self._decoding = False
                self._idle_cond.notify_all()

    # ------------------------------------------------------------------ tracker actions

    def _seen(self, attempt_id: str, source: InputSource) -> None:
        with self._lock:
            busy = self._current is not None and self._current.attempt.attempt_id != attempt_id
        if not busy:
            self._set_state(PipelineState.READING)
        self._emit(EventKind.CARD_SEEN, attempt_id=attempt_id, source=source)

    def _camera_job(self, attempt: CameraAttempt) -> _Job:
        job = self._camera_jobs.get(attempt.attempt_id)
        if job is None:
            details = self._readings.get(attempt.attempt_id)
            first_seen = self._mono_of(attempt.first_seen)
            job = _Job(attempt=self._new_attempt(InputSource.CAMERA, first_seen, attempt.attempt_id),
                       kind=_JobKind.TEXT, source=InputSource.CAMERA, first_seen=first_seen,
                       read_done=None, path=details.path if details else None)
            self._camera_jobs[attempt.attempt_id] = job
        return job

    def _mono_of(self, tracker_time: float) -> float:
        """Tracker time (frame timestamps) as processing time: anchored at the newest frame processed now."""
        return time.monotonic() - max(0.0, self._tracker_now - tracker_time)

    def _handle_actions(self, actions: list[TrackerAction], *, validate_s: float | None = None,
                        cancel_reason: str = "cancelled") -> None:
        for action in actions:
            attempt = action.attempt
            if action.kind is ActionKind.STARTED:
                self._camera_job(attempt)
                self._seen(attempt.attempt_id, InputSource.CAMERA)
            elif action.kind is ActionKind.UNREADABLE:
                job = self._camera_job(attempt)
                details = self._readings.get(attempt.attempt_id)
                hint = details.hints.most_common(1)[0][0] if details and details.hints else "no-code"
                job.attempt.frames_to_read = attempt.frames_seen  # frames seen; it was never read
                self._finish(job, Outcome.UNREADABLE, stage=Stage.SEEN,
                             error=f"unreadable: {hint}")
            elif action.kind is ActionKind.CANCELLED:
                job = self._camera_job(attempt)
                job.attempt.frames_to_read = attempt.frames_seen
                self._finish(job, Outcome.CANCELLED, stage=Stage.SEEN, error=cancel_reason)
            elif action.kind is ActionKind.READ:
                job = self._camera_job(attempt)
                details = self._readings.get(attempt.attempt_id)
                assert attempt.read_at is not None
                read_s = attempt.read_at - attempt.first_seen + (details.decode_ms / 1000.0 if details else 0.0)
                job.read_done = self._mono_of(attempt.read_at)
                job.attempt.read_at = _wall(job.read_done)
                job.attempt.read_ms = _ms(read_s)
                job.attempt.frames_to_read = attempt.frames_seen
                job.attempt.decoder_backend = attempt.backend
                job.attempt.decode_stage = attempt.stage
                job.attempt.stage = Stage.READ
                job.text = attempt.text
                job.reading = attempt.reading
                job.validate_s = validate_s
                if details is not None and details.path is not None:
                    job.path = details.path
                self._enqueue(job)

    # ------------------------------------------------------------------ lookup worker

    def _worker_loop(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None or self._stopping.is_set():
                if job is not None:
                    self._jobs.put(job)  # stop() cancels what is left
                return
            with self._lock:
                self._current = job
            try:
                self._run_job(job)
            except Exception as exc:  # never lose the attempt, never kill the worker
                log.exception("lookup worker failed")
                if not job.attempt.outcome:
                    self._finish(job, Outcome.SERVICE_ERROR, stage=None, error=f"service-error: internal: {exc}")
            finally:
                with self._lock:
                    self._current = None
                    # this job still counts as queued while the cards that waited for it are handed on
                    actions = self._tracker.set_busy(False) if self._queued <= 1 else []
                if actions:
                    self._handle_actions(actions)
                with self._idle_cond:
                    self._queued = max(0, self._queued - 1)
                    if self._queued == 0 and self._tracker.busy:
                        self._tracker.set_busy(False)  # nothing was handed on: free
                    self._idle_cond.notify_all()

    def _run_job(self, job: _Job) -> None:
        from scanner.cccd import CardPayloadError

        if job.source is not InputSource.CAMERA:
            self._seen(job.attempt.attempt_id, job.source)
        if job.cancel.is_set():
            self._finish(job, Outcome.CANCELLED, stage=None, error=job.cancel_reason)
            return
        card: CitizenCard | None = None
        t0 = time.perf_counter()
        if job.kind is _JobKind.MANUAL:
            assert job.manual is not None
            job.attempt.read_at = _wall(job.read_done)
            job.attempt.stage = Stage.READ
            try:
                card = manual_card(*job.manual)
            except CardPayloadError as exc:
                job.validate_s = time.perf_counter() - t0
                self._invalid(job, exc.reason.value, str(exc))
                return
            job.validate_s = time.perf_counter() - t0
        else:
            if job.reading is None:
                from scanner.payload import classify_payload

                job.attempt.read_at = _wall(job.read_done)
                job.attempt.stage = Stage.READ
                job.reading = classify_payload(job.text or "", typed=job.source is InputSource.USB_SCANNER)
                job.validate_s = time.perf_counter() - t0
            reading = job.reading
            if reading.kind != "cccd":
                self._finish(job, Outcome.NOT_ID_CARD, stage=Stage.READ,
                             error=f"not-id-card: {getattr(reading.kind, 'value', reading.kind)}",
                             event=EventKind.NOT_ID_CARD)
                return
            if not reading.valid or reading.card is None:
                reason = reading.error.reason.value if reading.error is not None else "unknown"
                self._invalid(job, reason, str(reading.error) if reading.error else reason)
                return
            card = reading.card
        assert card is not None
        job.attempt.stage = Stage.VALIDATED
        job.attempt.masked_id = mask_id(card.id_number)
        if self._hasher is not None:
            job.attempt.person_hash = self._hasher.hash_id(card.id_number)
        self._emit(EventKind.CARD_READ, attempt_id=job.attempt.attempt_id, source=job.source, card=card)
        self._lookup(job, card)

    def _invalid(self, job: _Job, reason: str, detail: str) -> None:
        self._finish(job, Outcome.INVALID_CARD, stage=Stage.READ, error=f"invalid-card: {reason}",
                     event=EventKind.CARD_INVALID, event_error=detail)

    def _lookup(self, job: _Job, card: CitizenCard) -> None:
        from kiosk.eligibility import EligibilityResult, LookupRequest

        if self._setup_error is not None or self._client is None:
            reason = self._setup_error or "no lookup client"
            self._finish(job, Outcome.SETUP_ERROR, stage=Stage.VALIDATED, error=f"setup-error: {reason}", card=card,
                         result=EligibilityResult.failure(Outcome.SETUP_ERROR, reason, attempts=0, elapsed_ms=0.0))
            return
        request = LookupRequest.from_card(card, self.config)
        sent = time.monotonic()
        job.attempt.lookup_sent_at = _wall(sent)
        job.attempt.stage = Stage.LOOKUP_SENT
        self._set_state(PipelineState.LOOKING_UP)
        self._emit(EventKind.LOOKING_UP, attempt_id=job.attempt.attempt_id, source=job.source, card=card)
        job.lookup = self._lookups.submit(self._client.lookup(request))
        if job.cancel.is_set():  # cancelled while the lookup was being submitted
            self._lookups.cancel(job.lookup)
        concurrent.futures.wait([job.lookup])  # the lookup loop ends a cancelled lookup at once
        job.attempt.lookup_ms = _ms(time.monotonic() - sent)
        if job.lookup.cancelled():  # cancelled before it started: nothing was sent
            job.attempt.lookup_sent_at = None
            job.attempt.http_attempts = 0
            self._finish(job, Outcome.CANCELLED, stage=Stage.VALIDATED, error=job.cancel_reason, card=card)
            return
        if job.lookup.exception() is not None:  # the client should never raise; record it as a service error
            err = job.lookup.exception()
            self._finish(job, Outcome.SERVICE_ERROR, stage=Stage.LOOKUP_SENT, card=card,
                         error=f"service-error: client failed: {type(err).__name__}: {err}")
            return
        result = job.lookup.result()
        outcome = Outcome.CANCELLED if job.cancel.is_set() and not result.definitive else result.outcome
        if result.attempts:
            job.attempt.http_attempts = result.attempts
        elif job.attempt.lookup_sent_at is not None and result.outcome in (Outcome.CANCELLED, Outcome.SETUP_ERROR):
            job.attempt.lookup_sent_at = None  # nothing went out (cancelled first, circuit open, bad request)
            job.attempt.http_attempts = 0
        answered = result.result_code is not None
        if answered:
            job.attempt.answered_at = _wall(time.monotonic())
        if outcome is Outcome.CANCELLED:
            error: str | None = job.cancel_reason if job.cancel.is_set() else f"cancelled: {result.reason}"
        elif result.reason:
            error = f"{outcome.value}: {result.reason}"
        else:
            error = None
        stage = Stage.ANSWERED if answered else (Stage.LOOKUP_SENT if job.attempt.lookup_sent_at else
                                                   Stage.VALIDATED)
        self._finish(job, outcome, stage=stage, error=error, card=card, result=result,
                     event=EventKind.RESULT)

    # ------------------------------------------------------------------ ending an attempt

    def _finish(self, job: _Job, outcome: Outcome, *, stage: Stage | None, error: str | None,
                event: EventKind | None = None, event_error: str | None = None,
                card: CitizenCard | None = None, result: EligibilityResult | None = None) -> None:
        attempt = job.attempt
        with self._lock:
            if attempt.outcome is not None:
                return  # already ended (exactly one record per attempt)
            attempt.outcome = outcome
        end = time.monotonic()
        if stage is not None:
            attempt.stage = stage
        attempt.error_reason = error
        if result is not None:
            attempt.result_code = result.result_code
            attempt.eligible = bool(result.eligible)
        elif outcome in (Outcome.INVALID_CARD, Outcome.NOT_ID_CARD, Outcome.UNREADABLE, Outcome.CANCELLED):
            attempt.eligible = False
        if job.validate_s is not None:
            attempt.validate_ms = _ms(job.validate_s)
        if job.read_done is not None:
            attempt.total_ms = round((attempt.read_ms or 0.0) + _ms(end - job.read_done), 3)
        else:
            attempt.total_ms = _ms(end - job.first_seen)
        self._camera_jobs.pop(attempt.attempt_id, None)
        self._readings.pop(attempt.attempt_id, None)
        self._record(attempt, job, result)
        # events and state
        if outcome in (Outcome.UNREADABLE, Outcome.CANCELLED):
            with self._lock:
                others_busy = self._current is not None and self._current is not job
                new_state = self._state if others_busy else PipelineState.WAITING
                if self._tracker.reading and new_state is PipelineState.WAITING:
                    new_state = PipelineState.READING
            # the STATE event tells which attempt ended and how (there is no result screen for these)
            self._set_state(new_state, attempt_id=attempt.attempt_id, source=job.source, outcome=outcome, error=error)
            return
        self._set_state(PipelineState.RESULT)
        kind = event or EventKind.RESULT
        self._emit(kind, attempt_id=attempt.attempt_id, source=job.source, card=card, result=result,
                   outcome=outcome, error=event_error if event_error is not None else error)

    def _record(self, attempt: LookupAttempt, job: _Job, result: EligibilityResult | None) -> None:
        sink = self._log
        if sink is None:
            self.report_error(f"no lookup log: attempt {attempt.attempt_id} ({attempt.outcome}) not recorded")
        else:
            try:
                sink.record(attempt)
            except Exception as exc:
                self.report_error(f"lookup log: attempt {attempt.attempt_id} not recorded: {exc}")
        recorded = RecordedAttempt(attempt=attempt, path=job.path, result=result)
        for fn in list(self._record_listeners):
            try:
                fn(recorded)
            except Exception:
                log.exception("pipeline record listener failed")


def default_stream_reader() -> StreamReader:
    """The stream reader the pipeline uses when none is given.

    Its confirmer has no hold-off of its own (a text is reported whenever it is confirmed): the same-card
    hold-off is the pipeline's (:class:`TrackerTiming`), so that a code the confirmer would keep quiet about
    is never mistaken for an unreadable one.
    """
    from scanner.confirm import ReadConfirmer
    from scanner.payload import classify_payload
    from scanner.stream import StreamReader

    return StreamReader(confirmer=ReadConfirmer(holdoff_s=0.0, validator=lambda text: classify_payload(text).valid))


def _hint_key(hint: object) -> str:
    """``ReadHint.TOO_SMALL`` -> ``'too-small'`` (the enum's values are user messages)."""
    if hint is None:
        return "none"
    name = getattr(hint, "name", None)
    return str(name if name is not None else hint).lower().replace("_", "-")


def _stage_name(stage: object) -> str | None:
    if stage is None:
        return None
    value = getattr(stage, "value", stage)
    return str(value)
