"""The headless kiosk pipeline: frames -> decode -> confirm -> validate -> signed lookup -> result -> log.

Used by the Qt app (through a thin adapter), by ``bhyt-kiosk scan`` and by tests. No Qt here::

    pipeline = KioskPipeline(config=config, client=client, log=log, source=source, hasher=hasher)
    pipeline.add_listener(on_event)          # called from pipeline threads; must be quick
    pipeline.start()
    ...
    pipeline.stop()                          # joins every thread it started

Threads: capture and decode (:mod:`kiosk.pipeline.frames`, when a source is set), the lookup loop (the lookup
worker and every lookup, :mod:`kiosk.pipeline.lookups`), and the lookup log's writer. States and events:
:mod:`kiosk.pipeline.flow`.

Every attempt ends in exactly one :class:`kiosk.attempts.LookupAttempt` handed to the log (unreadable, invalid
card, not an ID card, cancelled, every lookup outcome): :mod:`kiosk.pipeline.recording`. Records carry the keyed
``person_hash`` and the masked number only, never the number, the name or the address.

Presentations: a camera (or video) is a stream; each still image (image file, folder of images) is its own
presentation: an image with a code that never decodes is UNREADABLE, an image with no code at all makes no
attempt, and the same card in two images is two attempts (no hold-off between images).
"""

from __future__ import annotations

import collections
import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
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
from kiosk.pipeline.flow import EventKind, PipelineEvent, PipelineState, next_state
from kiosk.pipeline.frames import FrameLoops, default_stream_reader
from kiosk.pipeline.lookups import LookupWorker
from kiosk.pipeline.recording import Job, Recorder, RecordListener, complete, ms, wall

if TYPE_CHECKING:
    from kiosk.client import LookupClient
    from kiosk.config import KioskConfig
    from kiosk.eligibility import EligibilityResult
    from kiosk.lookup_log import LookupLog
    from kiosk.privacy import PersonHasher
    from kiosk.retrier import BackgroundRetrier, RetryEvent
    from kiosk.tickets.issuer import IssuedTicket, TicketIssuer
    from scanner.cccd import CitizenCard
    from scanner.reader import ReadHint
    from scanner.sources.base import Frame, FrameSource
    from scanner.stream import StreamReader, StreamResult

log = logging.getLogger(__name__)

Listener = Callable[[PipelineEvent], None]


@dataclass
class _Reading:
    """Per-attempt decode details the tracker does not keep."""

    path: Path | None = None
    hints: collections.Counter[str] = field(default_factory=collections.Counter)
    decode_ms: float = 0.0


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
        background_retries: bool = False,
        tickets: TicketIssuer | None = None,
    ) -> None:
        """``client``/``log``/``hasher`` default to the ones the configuration names (created at start).

        ``stills``: treat each frame as its own presentation; ``None`` decides per frame (a frame read from
        an image file is a still). ``timing``: hold-off and "card gone" times of the camera bookkeeping.
        The pipeline owns the sources it is given (closes them at :meth:`stop` / :meth:`set_source`); it
        closes the log only when it created it, and the client's connections (they belong to its lookup loop).

        ``background_retries``: a lookup without a definitive answer within ``first_try_deadline_s`` (or with a
        transient failure) is recorded as pending and retried in the background (:mod:`kiosk.retrier`, on the lookup
        loop) up to ``retry_limit_s``; a PENDING event says so, :meth:`add_retry_listener` listeners hear how each
        ends. ``tickets``: a queue ticket for every pending lookup, and :meth:`issue_ticket` (kiosk mode).
        """
        self.config = config
        self.client = client
        self.hasher = hasher
        self.setup_error: str | None = None
        self._log = log
        self._owns_log = log is None
        self._source = source
        self._reader = stream_reader
        self._preview_interval = 1.0 / preview_fps if preview_fps > 0 else 0.0
        self._stills = stills
        self._tracker = AttemptTracker(timing or TrackerTiming(), make_id=new_attempt_id)

        self._lock = threading.RLock()  # state, tracker, jobs
        self._idle_cond = threading.Condition(self._lock)
        self._listeners: list[Listener] = []
        self._recorder = Recorder(self.report_error)
        self._state = PipelineState.STOPPED
        self._started = False
        self._stopping = threading.Event()
        self._queued = 0  # jobs queued or in progress
        self._current: Job | None = None  # the job the lookup worker has in hand
        self._readings: dict[str, _Reading] = {}  # attempt_id -> decode details (camera attempts)
        self._camera_jobs: dict[str, Job] = {}  # attempt_id -> job, for camera attempts being read
        self._lookups = LookupLoop()
        self._worker = LookupWorker(self, self._lookups)
        self._frames: FrameLoops | None = None
        self._last_hint: ReadHint | None = None
        self._last_module_px: float | None = None
        self._frame_path: Path | None = None  # the file the newest frame came from (image, folder, video)
        self._last_preview = 0.0
        self._source_connected = True
        self._tracker_now = time.monotonic()
        self._decoding = False  # the decode thread is between a frame and the actions it caused
        self._background_retries = background_retries
        self.tickets = tickets
        self.retrier: BackgroundRetrier | None = None
        self._retry_listeners: list[Callable[[RetryEvent], None]] = []

    # ------------------------------------------------------------------ listeners and events

    def add_listener(self, fn: Listener) -> None:
        with self._lock:
            self._listeners.append(fn)

    def remove_listener(self, fn: Listener) -> None:
        with self._lock, contextlib.suppress(ValueError):
            self._listeners.remove(fn)

    def add_record_listener(self, fn: RecordListener) -> None:
        """``fn(RecordedAttempt)`` once per ended attempt, after it was handed to the log."""
        with self._lock:
            self._recorder.add_listener(fn)

    def add_retry_listener(self, fn: Callable[[RetryEvent], None]) -> None:
        """``fn(RetryEvent)`` when a lookup goes to the background and when it ends (on the lookup loop's thread).
        Add listeners before :meth:`start`: lookups resumed at start are announced then."""
        with self._lock:
            self._retry_listeners.append(fn)
            retrier = self.retrier
        if retrier is not None:
            retrier.add_listener(fn)

    def emit(self, kind: EventKind, **fields: Any) -> None:
        """Publish an event; the state follows the transition table when the event's attempt is in focus."""
        with self._lock:
            attempt_id = fields.get("attempt_id")
            current = self._current
            if attempt_id is None or current is None or current.attempt.attempt_id == attempt_id:
                self._state = next_state(self._state, kind)
            event = PipelineEvent(kind=kind, state=self._state, **fields)
            listeners = list(self._listeners)
        for fn in listeners:
            try:
                fn(event)
            except Exception:  # a broken listener must not stop the pipeline
                log.exception("pipeline listener failed on %s", kind.value)

    def report_error(self, message: str) -> None:
        """Publish an ERROR event (e.g. the lookup log's ``on_error`` callback)."""
        log.error("%s", message)
        self.emit(EventKind.ERROR, error=message)

    @property
    def state(self) -> PipelineState:
        return self._state

    @property
    def source(self) -> FrameSource | None:
        return self._source

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

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
        if self._background_retries and self.client is not None:
            self._start_retrier()
        self._worker.start()
        self.emit(EventKind.STARTED)
        if self._source is not None:
            self._start_frames(self._source)

    def _ensure_services(self) -> None:
        if self.hasher is None:
            from kiosk.privacy import PersonHasher, load_or_create_secret

            self.hasher = PersonHasher(load_or_create_secret())
        if self._log is None:
            from kiosk.lookup_log import LookupLog

            self._log = LookupLog(self.config.effective_log_db, retention_days=self.config.log_retention_days,
                                  on_error=self.report_error)
            for notice in self._log.notices:  # a damaged log set aside, a full disk or read-only file: tell staff
                self.report_error(notice)
        self._recorder.log = self._log
        if self.client is None:
            from kiosk.client import LookupClient
            from kiosk.config import ConfigError

            try:
                self.client = LookupClient(self.config)
            except ConfigError as exc:
                self.setup_error = str(exc)
                self.report_error(f"lookups disabled: {exc}")

    def _start_retrier(self) -> None:
        from kiosk.pending import PendingStore, PendingStoreError
        from kiosk.retrier import BackgroundRetrier
        from kiosk.retry import RetryPolicy

        config = self.config
        assert self.client is not None
        log_path = getattr(self._log, "path", None)
        store = PendingStore()
        if config.pending_at_rest:  # beside the log they belong to
            folder = (Path(log_path).parent if log_path is not None else config.effective_log_db.parent) / "pending"
            try:
                store = PendingStore(folder)
            except PendingStoreError as exc:
                self.report_error(f"pending lookups kept in memory only: {exc}")
        policy = RetryPolicy(first_try_deadline_s=config.first_try_deadline_s, limit_s=config.retry_limit_s)
        retrier = BackgroundRetrier(self.client.lookup, self._log, store, policy, loop=self._lookups)
        with self._lock:
            for fn in self._retry_listeners:
                retrier.add_listener(fn)
            self.retrier = retrier
        retrier.resume(resume=config.pending_resume, log_path=log_path, kiosk_id=config.kiosk_id)

    def wait_pending(self, timeout: float | None) -> bool:
        """Wait until no lookup is pending in the background (True), or ``timeout`` s passed (False)."""
        retrier = self.retrier
        return True if retrier is None else retrier.wait_idle(timeout)

    def issue_ticket(self, checked: bool, *, masked_id: str | None = None,
                     attempt_id: str | None = None) -> IssuedTicket | None:
        """A queue ticket now (not on the GUI thread nor the lookup loop: printing may wait on the printer); None
        without tickets or when it failed (staff are told)."""
        from kiosk.tickets.ticket import BhytStatus

        if self.tickets is None:
            return None
        try:
            return self.tickets.issue(BhytStatus.CHECKED if checked else BhytStatus.WAITING,
                                      attempt_id=attempt_id, masked_id=masked_id)
        except Exception as exc:  # the number file or the printer: staff must know, the attempt goes on
            self.report_error(f"queue ticket not issued: {exc}")
            return None

    def _start_frames(self, source: FrameSource) -> None:
        frames = FrameLoops(source, self, stills=self._stills, stopping=self._stopping)
        self._source_connected = True
        try:
            frames.start()
        except Exception as exc:
            message = f"source {source.description or source!r}: {exc}"
            log.error("%s", message)
            self.emit(EventKind.SOURCE_FAILED, error=message)
        self._frames = frames

    def _stop_frames(self, deadline: float) -> None:
        if self._frames is not None:
            self._frames.stop(deadline)

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
        self._stop_frames(deadline)
        leftovers = self._worker.stop(max(0.1, deadline - time.monotonic()))
        # Everything still open ends now, each attempt exactly once.
        with self._lock:
            actions = self._tracker.flush() + self._tracker.cancel(self._tracker_now)
        for action in actions:
            if action.kind is ActionKind.READ:
                job = self._camera_job(action.attempt)
                job.attempt.frames_to_read = action.attempt.frames_seen
                self.finish(job, Outcome.CANCELLED, stage=Stage.READ, error="cancelled: the pipeline stopped")
            else:
                self._handle_actions([action], cancel_reason="cancelled: the pipeline stopped")
        for job in leftovers:
            self.finish(job, Outcome.CANCELLED, stage=None, error="cancelled: the pipeline stopped")
        retrier, self.retrier = self.retrier, None
        if retrier is not None:  # pending lookups stay encrypted for the next start (or are recorded abandoned)
            retrier.close(max(0.1, deadline - time.monotonic()))
        if self.client is not None:  # its connections belong to the lookup loop
            with contextlib.suppress(Exception):
                self._lookups.submit(self.client.aclose()).result(max(0.1, deadline - time.monotonic()))
        self._lookups.stop(max(0.1, deadline - time.monotonic()))
        if self._owns_log and self._log is not None:
            self._log.close()
            self._log = self._recorder.log = None
        with self._lock:
            self._queued = 0
            self._current = None
            self._idle_cond.notify_all()
        self.emit(EventKind.STOPPED)

    def set_source(self, source: FrameSource | None) -> None:
        """Switch the frame source at run time (an attempt being read ends as CANCELLED)."""
        with self._lock:
            running = self._started
        if running:
            self._stop_frames(time.monotonic() + 5.0)
            with self._lock:
                actions = self._tracker.cancel(self._tracker_now)
                actions += self._tracker.end_presentation(self._tracker_now, forget_held=False)
            self._handle_actions(actions, cancel_reason="cancelled: the camera was changed")
            if self._reader is not None:
                self._reader.reset()
        self._source = source
        self._frames = None
        if running and source is not None:
            if self._reader is None:
                self._reader = default_stream_reader()
            self._start_frames(source)

    # ------------------------------------------------------------------ submissions and control

    def submit_payload(self, text: str, source: InputSource = InputSource.USB_SCANNER) -> str:
        """A payload from a USB scanner (or the command line): validated, looked up and logged. Returns the id."""
        now = time.monotonic()
        job = Job(attempt=self._new_attempt(source, now), source=source, first_seen=now, read_done=now, text=text)
        self._enqueue(job)
        return job.attempt.attempt_id

    def submit_manual(self, id_number: str, full_name: str, date_of_birth: str) -> str:
        """A manual entry by staff: validated, looked up and logged like a scanned card. Returns the id."""
        now = time.monotonic()
        job = Job(attempt=self._new_attempt(InputSource.MANUAL, now), source=InputSource.MANUAL, first_seen=now,
                  read_done=now, manual=(id_number, full_name, date_of_birth))
        self._enqueue(job)
        return job.attempt.attempt_id

    def _new_attempt(self, source: InputSource, first_seen: float, attempt_id: str | None = None) -> LookupAttempt:
        attempt = LookupAttempt.start(kiosk_id=self.config.kiosk_id, facility_code=self.config.facility_code,
                                      source=source, now=wall(first_seen))
        if attempt_id is not None:
            attempt.attempt_id = attempt_id
        return attempt

    def _enqueue(self, job: Job) -> None:
        with self._lock:
            stopped = self._stopping.is_set() and not self._started
            if not stopped:
                self._queued += 1
                self._tracker.set_busy(True)
        if stopped:  # submitted after stop(): still recorded, never silently dropped
            self.finish(job, Outcome.CANCELLED, stage=None, error="cancelled: the pipeline is stopped")
            return
        self._worker.put(job)

    def cancel(self) -> None:
        """Cancel the current lookup (or the card being read): outcome CANCELLED, state back to WAITING."""
        with self._lock:
            current = self._current
            actions = self._tracker.cancel(self._tracker_now) if current is None else []
        if current is not None:
            self._cancel_job(current, "cancelled by the user")
        self._handle_actions(actions, cancel_reason="cancelled by the user")

    def _cancel_job(self, job: Job, reason: str) -> None:
        job.cancel_reason = reason
        job.cancel.set()
        self._worker.cancel(job)

    def reset(self) -> None:
        """The result was dismissed (or timed out): back to WAITING for the next card."""
        with self._lock:
            if self._current is not None or next_state(self._state, EventKind.RESET) is self._state:
                return
        self.emit(EventKind.RESET)

    def _idle_locked(self) -> bool:
        if (self._queued or self._current is not None or self._decoding or self._tracker.reading
                or self._tracker.has_deferred):
            return False
        return self._frames is None or self._frames.idle

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
        frames = self._frames
        if frames is not None and not frames.input_done.wait(timeout):
            return False
        return self.wait_idle(max(0.0, deadline - time.monotonic()))

    # ------------------------------------------------------------------ what the frame threads call

    def source_state(self, connected: bool, reason: str | None) -> None:
        if connected == self._source_connected:
            return
        self._source_connected = connected
        if connected:
            self.emit(EventKind.SOURCE_RESTORED)
        else:
            self.emit(EventKind.SOURCE_LOST, error=reason)

    def preview(self, image: Any) -> None:
        now = time.monotonic()
        if now - self._last_preview < self._preview_interval:
            return
        self._last_preview = now
        self.emit(EventKind.FRAME, frame=image, hint=self._last_hint, module_px=self._last_module_px)

    def on_tick(self, now: float) -> None:
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
                self.frame_done()

    def on_input_end(self, last_timestamp: float) -> None:
        with self._lock:
            self._tracker_now = max(self._tracker_now, last_timestamp)
            actions = self._tracker.end_presentation(last_timestamp)
        self._handle_actions(actions)

    def wait_presentation(self, loops: FrameLoops) -> None:
        """Still images: the next image waits until this one's attempt has ended (one presentation at a time)."""
        with self._idle_cond:
            while ((self._queued or self._tracker.has_deferred) and not self._stopping.is_set()
                   and not loops.mailbox.closed):
                self._idle_cond.wait(0.1)

    def frame_done(self) -> None:
        with self._idle_cond:
            self._decoding = False
            self._idle_cond.notify_all()

    def on_frame(self, frame: Frame, still: bool) -> None:
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
        self._last_module_px = getattr(result, "module_px", None)  # scanner.stream.StreamResult.module_px
        self._frame_path = frame.path
        obs, validate_s = _observation(frame, result, still)
        decode_ms = float(getattr(result.frame_read, "ms", 0.0) or 0.0)
        hint = _hint_key(result.hint)
        with self._lock:
            self._decoding = True
            self._tracker_now = max(self._tracker_now, obs.now)
            current = self._tracker.current if self._tracker.reading else None
            if current is not None and obs.candidate:
                details = self._readings.setdefault(current.attempt_id, _Reading(path=frame.path))
                details.hints["unconfirmed" if result.texts else hint] += 1
            actions = self._tracker.observe(obs)
            if still:
                actions += self._tracker.end_presentation(obs.now)
            for action in actions:
                details = self._readings.setdefault(action.attempt.attempt_id, _Reading(path=frame.path))
                if action.kind is ActionKind.READ:
                    details.decode_ms = decode_ms
                if action.kind is ActionKind.UNREADABLE and not details.hints and obs.candidate:
                    details.hints[hint] += 1
        self._handle_actions(actions, validate_s=validate_s)

    # ------------------------------------------------------------------ camera attempts (tracker actions)

    def _camera_job(self, attempt: CameraAttempt) -> Job:
        job = self._camera_jobs.get(attempt.attempt_id)
        if job is None:
            details = self._readings.get(attempt.attempt_id)
            first_seen = self._mono_of(attempt.first_seen)
            job = Job(attempt=self._new_attempt(InputSource.CAMERA, first_seen, attempt.attempt_id),
                      source=InputSource.CAMERA, first_seen=first_seen, read_done=None,
                      path=details.path if details else self._frame_path)
            self._camera_jobs[attempt.attempt_id] = job
        return job

    def _mono_of(self, tracker_time: float) -> float:
        """Tracker time (frame timestamps) as processing time: anchored at the newest frame processed now."""
        return time.monotonic() - max(0.0, self._tracker_now - tracker_time)

    def _handle_actions(self, actions: list[TrackerAction], *, validate_s: float | None = None,
                        cancel_reason: str = "cancelled") -> None:
        for action in actions:
            attempt = action.attempt
            job = self._camera_job(attempt)
            details = self._readings.get(attempt.attempt_id)
            job.attempt.frames_to_read = attempt.frames_seen  # (an unreadable attempt: the frames it was seen in)
            if action.kind is ActionKind.STARTED:
                self.emit(EventKind.CARD_SEEN, attempt_id=attempt.attempt_id, source=InputSource.CAMERA)
            elif action.kind is ActionKind.UNREADABLE:
                hint = details.hints.most_common(1)[0][0] if details and details.hints else "no-code"
                self.finish(job, Outcome.UNREADABLE, stage=Stage.SEEN, error=f"unreadable: {hint}")
            elif action.kind is ActionKind.CANCELLED:
                self.finish(job, Outcome.CANCELLED, stage=Stage.SEEN, error=cancel_reason)
            elif action.kind is ActionKind.READ:
                assert attempt.read_at is not None
                read_s = attempt.read_at - attempt.first_seen + (details.decode_ms / 1000.0 if details else 0.0)
                job.read_done = self._mono_of(attempt.read_at)
                job.attempt.read_at = wall(job.read_done)
                job.attempt.read_ms = ms(read_s)
                job.attempt.decoder_backend = attempt.backend
                job.attempt.decode_stage = attempt.stage
                job.attempt.stage = Stage.READ
                job.text = attempt.text
                job.reading = attempt.reading
                job.validate_s = validate_s
                if details is not None and details.path is not None:
                    job.path = details.path
                self._enqueue(job)

    # ------------------------------------------------------------------ the lookup worker's side

    def job_started(self, job: Job) -> None:
        with self._lock:
            self._current = job

    def job_ended(self, job: Job) -> None:
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

    def finish(self, job: Job, outcome: Outcome, *, stage: Stage | None, error: str | None,
               event: EventKind | None = None, event_error: str | None = None,
               card: CitizenCard | None = None, result: EligibilityResult | None = None,
               ticket: IssuedTicket | None = None) -> None:
        """End ``job``'s attempt (once): record it, then publish how it ended."""
        attempt = job.attempt
        with self._lock:
            if attempt.outcome is not None:
                return  # already ended (exactly one record per attempt)
            complete(job, outcome, stage=stage, error=error, result=result)
            self._camera_jobs.pop(attempt.attempt_id, None)
            self._readings.pop(attempt.attempt_id, None)
        self._recorder.record(job, result)
        if outcome in (Outcome.UNREADABLE, Outcome.CANCELLED):
            self.emit(EventKind.ATTEMPT_ENDED, attempt_id=attempt.attempt_id, source=job.source, outcome=outcome,
                      error=error)
            return
        self.emit(event or EventKind.RESULT, attempt_id=attempt.attempt_id, source=job.source, card=card,
                  result=result, outcome=outcome, error=event_error if event_error is not None else error,
                  ticket=ticket)


def _observation(frame: Frame, result: StreamResult, still: bool) -> tuple[Observation, float | None]:
    """What the attempt bookkeeping needs from one decoded frame, and the time the validation took."""
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
    stage = getattr(fr, "stage", None)
    obs = Observation(now=frame.timestamp, candidate=candidate, accepted=text, reading=reading,
                      backend=getattr(fr, "backend", None), stage=None if stage is None else str(stage))
    return obs, validate_s


def _hint_key(hint: ReadHint | None) -> str:
    return "none" if hint is None else str(hint.value)
