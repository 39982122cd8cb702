"""An attempt on its way through the pipeline (:class:`Job`) and how it ends: its outcome and timings filled in,
handed to the lookup log (whose writer thread writes it) and to the record listeners — exactly once."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.attempts import InputSource, LookupAttempt, Stage
from kiosk.log.writer import Receipt
from kiosk.outcomes import Outcome
from kiosk.pipeline.flow import RecordedAttempt

if TYPE_CHECKING:
    from kiosk.eligibility import EligibilityResult
    from kiosk.lookup_log import LookupLog
    from kiosk.privacy import DeferredHash
    from scanner.payload import PayloadReading

log = logging.getLogger(__name__)

RecordListener = Callable[[RecordedAttempt], None]


@dataclass
class Job:
    """One attempt on its way through validation and lookup."""

    attempt: LookupAttempt
    source: InputSource
    first_seen: float  # monotonic
    read_done: float | None  # monotonic, when the text was in hand (None: never read)
    text: str | None = None  # a decoded / scanned payload (camera, USB scanner, command line)
    reading: PayloadReading | None = None
    validate_s: float | None = None
    manual: tuple[str, str, str] | None = None  # a manual entry instead: ID number, name, date of birth
    path: Path | None = None
    cancel: threading.Event = field(default_factory=threading.Event)
    cancel_reason: str = "cancelled by the user"
    lookup: asyncio.Task[EligibilityResult] | None = None  # the lookup in flight (a task on the lookup loop)
    person: DeferredHash | None = field(default=None, repr=False)  # the person_hash the log writer computes


def wall(mono: float) -> datetime:
    """A ``time.monotonic()`` value as a UTC datetime."""
    return datetime.fromtimestamp(time.time() - (time.monotonic() - mono), UTC)


def ms(seconds: float) -> float:
    return round(max(0.0, seconds) * 1000.0, 3)


def complete(job: Job, outcome: Outcome, *, stage: Stage | None, error: str | None,
             result: EligibilityResult | None) -> None:
    """Fill in how ``job``'s attempt ended: outcome, stage, reason, answer and the time it took."""
    attempt = job.attempt
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
        attempt.validate_ms = ms(job.validate_s)
    if job.read_done is not None:
        attempt.total_ms = round((attempt.read_ms or 0.0) + ms(end - job.read_done), 3)
    else:
        attempt.total_ms = ms(end - job.first_seen)


class Recorder:
    """Hands ended attempts to the lookup log and the record listeners; a record that cannot be written becomes
    an error report (never an exception into the pipeline)."""

    def __init__(self, report_error: Callable[[str], None]) -> None:
        self.log: LookupLog | None = None
        self._report_error = report_error
        self._listeners: list[RecordListener] = []

    def add_listener(self, fn: RecordListener) -> None:
        self._listeners.append(fn)

    def record(self, job: Job, result: EligibilityResult | None) -> None:
        attempt = job.attempt
        receipt: Receipt | None = None
        if self.log is None:
            self._report_error(f"no lookup log: attempt {attempt.attempt_id} ({attempt.outcome}) not recorded")
        else:
            try:
                handed = self.log.record(attempt, job.person)
            except Exception as exc:
                self._report_error(f"lookup log: attempt {attempt.attempt_id} not recorded: {exc}")
            else:
                receipt = handed if isinstance(handed, Receipt) else None
        recorded = RecordedAttempt(attempt=attempt, path=job.path, result=result, receipt=receipt)
        for fn in list(self._listeners):
            try:
                fn(recorded)
            except Exception:
                log.exception("pipeline record listener failed")
