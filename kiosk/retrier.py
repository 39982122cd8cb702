"""Background retries: a lookup that meets a transient failure ends as a late answer, not as a patient sent away.

Flow of one lookup (the pipeline's lookup worker, :mod:`kiosk.pipeline.lookups`, drives steps 1-3, this module the
rest):

1. the first try starts as a task on the lookup loop;
2. the worker waits at most ``first_try_deadline_s`` (default 3 s) for it and reads it with :meth:`FirstTry.of`. An
   answer, or a failure no retry can fix, within that time ends the attempt as before. Otherwise the result is
   *pending*: no answer yet, or a transient failure (timeout, connection, 5xx, result codes 100/101/500);
3. the worker records the attempt with its first-try outcome, ``first_try_outcome`` and ``retry_status = pending``
   (:func:`mark_pending`), issues the queue ticket, and hands it over with :meth:`BackgroundRetrier.adopt`, the
   request still in flight included;
4. the retrier keeps going in the background: the first try still in flight is awaited (a slow gateway's answer is
   not thrown away), then new tries follow with full-jitter backoff (:class:`kiosk.retry.RetryPolicy`), each signed
   afresh by the client and carrying the same attempt id, until an answer, a failure no retry can fix, or the limit
   (default 10 minutes after the first try ended);
5. the final version of the attempt is recorded in the lookup log (it replaces the pending row: final outcome,
   retry status answered / failed / abandoned, ``retry_delay_ms``), the pending entry and its encrypted file are
   deleted, and :class:`RetryEvent` listeners are told (reception's list, the sound).

Restart: :meth:`BackgroundRetrier.resume` resumes the encrypted pending lookups that are still within their limit and
records the others as abandoned, and so are the log's pending rows of this kiosk that no store entry backs (a
memory-only store, or a file lost): nothing stays pending silently. :meth:`close` stops the tasks; with an encrypted
store the pending lookups stay on disk for the next start, without one they are recorded as abandoned.

The lookup itself is any ``async`` function ``(LookupRequest) -> EligibilityResult`` — normally
:meth:`kiosk.client.LookupClient.lookup` — run as tasks on the pipeline's :class:`kiosk.lookup_loop.LookupLoop`, so
that first tries and retries share the client's connection pool on one loop. Listeners are called on that loop's
thread: a GUI must move the event to its own thread (a Qt signal).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import random
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from kiosk.attempts import LookupAttempt, RetryStatus, Stage, utc_now
from kiosk.eligibility import EligibilityResult, LookupRequest
from kiosk.lookup_loop import LookupLoop
from kiosk.outcomes import Outcome
from kiosk.pending import Abandoned, PendingLookup, PendingStore
from kiosk.retry import ResultKind, RetryPolicy, classify

if TYPE_CHECKING:
    from pathlib import Path

    from kiosk.log.writer import Receipt
    from kiosk.lookup_log import LookupLog

log = logging.getLogger("kiosk.retrier")

LookupFn = Callable[[LookupRequest], Awaitable[EligibilityResult]]


class RetryEventKind(StrEnum):
    PENDING = "pending"  # a lookup went to the background (also on resume after a restart)
    ANSWERED = "answered"  # a late definitive answer
    FAILED = "failed"  # a retry met a failure no retry can fix
    ABANDONED = "abandoned"  # the limit passed, or a restart could not resume it


@dataclass(frozen=True)
class RetryEvent:
    kind: RetryEventKind
    attempt: LookupAttempt  # the version just recorded (no personal data)
    ticket_number: int | None
    result: EligibilityResult | None = None  # the late answer or failure (ANSWERED / FAILED)
    request: LookupRequest | None = None  # personal data, in memory only: for the hand-off of a late answer
    receipt: Receipt | None = None  # the lookup log's commit receipt of this version


@dataclass(frozen=True)
class FirstTry:
    result: EligibilityResult | None  # None: no answer within the first-try deadline
    pending: bool  # True: the lookup goes on in the background (adopt() it)

    @property
    def outcome(self) -> Outcome:
        return Outcome.TIMEOUT if self.result is None else Outcome(self.result.outcome)

    @classmethod
    def of(cls, task: asyncio.Future[EligibilityResult]) -> FirstTry:
        """The first try as a (maybe unfinished) task on the lookup loop says it: pending while it runs or after a
        transient failure; a cancelled task or one that raised is not pending (the caller records it)."""
        if not task.done():
            return cls(None, pending=True)
        if task.cancelled() or task.exception() is not None:
            return cls(None, pending=False)
        result = task.result()
        return cls(result, pending=classify(result) is ResultKind.TRANSIENT)


def pending_reason(first: FirstTry) -> str:
    """The attempt's ``error_reason`` while its lookup is pending."""
    if first.result is None:
        return "timeout: no answer within the first-try deadline; retrying in the background"
    return f"{first.outcome.value}: {first.result.reason or ''}; retrying in the background"


def mark_pending(attempt: LookupAttempt, first: FirstTry, *, outcome: bool = True) -> None:
    """Fill in the attempt as recorded when its first try is pending: ``first_try_outcome``, ``retry_status =
    pending``, the requests sent, and (``outcome=True``) the first try's outcome and reason (``timeout`` when no
    answer came in time)."""
    attempt.first_try_outcome = first.outcome
    attempt.retry_status = RetryStatus.PENDING
    attempt.stage = Stage.LOOKUP_SENT
    attempt.http_attempts = 1 if first.result is None else first.result.attempts
    if outcome:
        attempt.outcome = first.outcome
        attempt.error_reason = pending_reason(first)


class BackgroundRetrier:
    """Runs background retries as tasks on the lookup loop."""

    def __init__(
        self,
        lookup: LookupFn,
        sink: LookupLog | None,
        store: PendingStore | None = None,
        policy: RetryPolicy | None = None,
        *,
        loop: LookupLoop,
        rng: random.Random | None = None,
    ) -> None:
        self.lookup = lookup
        self._sink = sink
        self.store = store if store is not None else PendingStore()
        self.policy = policy or RetryPolicy()
        self._rng = rng or random.Random()
        self._listeners: list[Callable[[RetryEvent], None]] = []
        self._tasks: dict[str, asyncio.Task[None]] = {}  # attempt id -> its retries (on the loop's thread only)
        self._idle = threading.Condition()
        self._closed = False
        self._loop = loop

    # ----------------------------------------------------------------- listeners

    def add_listener(self, listener: Callable[[RetryEvent], None]) -> None:
        self._listeners.append(listener)

    def _emit(self, event: RetryEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # a broken listener must not stop the retries
                log.exception("retry listener failed")

    # ----------------------------------------------------------------- the pipeline's side

    def adopt(self, attempt: LookupAttempt, request: LookupRequest, first: FirstTry, *,
              in_flight: asyncio.Task[EligibilityResult] | None = None, ticket_number: int | None = None) -> None:
        """Take over a lookup whose first try is pending (the attempt was recorded so): store it and retry it in the
        background. ``in_flight``: the first try, when it is still running (its answer is awaited first; a task on
        the lookup loop). Any thread, the lookup loop's included."""
        ended = utc_now()
        reason = (first.result.reason or first.outcome.value) if first.result else (
            f"no answer within the first-try deadline ({self.policy.first_try_deadline_s:g} s)")
        entry = PendingLookup(
            attempt=attempt, request=request, first_try_reason=reason,
            first_try_ended_at=ended, expires_at=ended + timedelta(seconds=self.policy.limit_s),
            ticket_number=ticket_number, tries=attempt.http_attempts or 1,
        )
        self.store.put(entry)
        self._emit(RetryEvent(RetryEventKind.PENDING, entry.attempt, entry.ticket_number))
        self._loop.submit(self._run(entry.attempt_id, in_flight))

    # ----------------------------------------------------------------- restart

    def resume(self, *, resume: bool = True, log_path: Path | None = None, kiosk_id: str | None = None) -> tuple[
            list[PendingLookup], list[Abandoned]]:
        """After a start: resume the store's pending lookups within their limit, record the others as abandoned.

        With ``log_path`` and ``kiosk_id``, pending rows of this kiosk in that log that no store entry backs (a
        memory-only store before, a lost file) are recorded as abandoned too."""
        resumed, abandoned = self.store.recover(resume=resume, now=utc_now())
        for item in abandoned:
            if item.attempt is not None:
                self._finish_abandoned(item.attempt, item.pending, item.reason)
            else:
                log.error("pending lookup %s abandoned (%s); its attempt was unreadable", item.attempt_id,
                          item.reason)
        if log_path is not None and kiosk_id is not None:
            backed = {e.attempt_id for e in resumed} | {a.attempt_id for a in abandoned}
            for attempt in _pending_in_log(log_path, kiosk_id):
                if attempt.attempt_id not in backed:
                    reason = "restart: the pending lookup was not kept (memory only, or its file was lost)"
                    self._finish_abandoned(attempt, None, reason)
                    abandoned.append(Abandoned(attempt, attempt.attempt_id, reason))
        for entry in resumed:
            self._emit(RetryEvent(RetryEventKind.PENDING, entry.attempt, entry.ticket_number))
            self._loop.submit(self._run(entry.attempt_id, None))
        return resumed, abandoned

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until no lookup is pending (True), or ``timeout`` s passed (False)."""
        with self._idle:
            return self._idle.wait_for(lambda: len(self.store) == 0, timeout)

    # ----------------------------------------------------------------- the background work

    async def _run(self, attempt_id: str, awaiting: asyncio.Task[EligibilityResult] | None) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks[attempt_id] = task
        try:
            await self._retry(attempt_id, awaiting)
        except Exception:
            log.exception("background retry of %s failed", attempt_id)
            entry = self.store.get(attempt_id)
            if entry is not None:
                self._finish_abandoned(entry.attempt, entry, "retrier error (see the kiosk log)")
        finally:
            self._tasks.pop(attempt_id, None)

    async def _retry(self, attempt_id: str, awaiting: asyncio.Task[EligibilityResult] | None) -> None:
        entry = self.store.get(attempt_id)
        if entry is None:
            return
        last_reason = entry.first_try_reason
        retry = 0
        result: EligibilityResult | None = None
        if awaiting is not None:  # the first try is still in flight: its answer may yet come
            left = (entry.expires_at - utc_now()).total_seconds()
            try:
                await asyncio.wait({awaiting}, timeout=max(0.0, left))
            finally:
                awaiting.cancel()  # still in flight at the limit (or the retrier closes): abort the request
            result = FirstTry.of(awaiting).result  # None: aborted, or it failed
            if result is not None and result.attempts > 1:  # the in-flight try counted as one request
                entry = self.store.record_try(attempt_id, result.attempts - 1) or entry
        while True:
            if result is not None:
                kind = classify(result)
                if kind is ResultKind.ANSWER:
                    self._finish(entry, result, RetryStatus.ANSWERED)
                    return
                if kind is ResultKind.FINAL and result.outcome is not Outcome.CANCELLED:
                    self._finish(entry, result, RetryStatus.FAILED)
                    return
                last_reason = result.reason or result.outcome.value
            now_wall = utc_now()
            left = (entry.expires_at - now_wall).total_seconds()
            when = self.policy.next_try_at(retry, 0.0, left, self._rng)
            if when is None:
                self._finish_abandoned(entry.attempt, entry, f"no answer within {self.policy.limit_s:g} s "
                                                             f"(last: {last_reason})")
                return
            await asyncio.sleep(when)
            retry += 1
            result = await self.lookup(entry.request)
            if self._closed:  # the client answers a cancel with a CANCELLED result: the kiosk is closing
                return
            entry = self.store.record_try(attempt_id, result.attempts) or entry

    def _finish(self, entry: PendingLookup, result: EligibilityResult, status: RetryStatus) -> None:
        now = utc_now()
        attempt = dataclasses.replace(
            entry.attempt,
            outcome=result.outcome,
            result_code=result.result_code,
            eligible=result.eligible if result.outcome.definitive else False,
            answered_at=now if result.outcome.definitive else entry.attempt.answered_at,
            stage=Stage.ANSWERED if result.outcome.definitive else entry.attempt.stage,
            error_reason=None if result.outcome.definitive else f"after retries: {result.reason or ''}"[:200],
            http_attempts=entry.tries,
            retry_status=status,
            retry_delay_ms=max(0.0, (now - entry.first_try_ended_at).total_seconds() * 1000.0),
        )
        self._end(entry.attempt_id, attempt, entry.ticket_number,
                  RetryEventKind.ANSWERED if status is RetryStatus.ANSWERED else RetryEventKind.FAILED, result,
                  entry.request)

    def _finish_abandoned(self, attempt: LookupAttempt, entry: PendingLookup | None, reason: str) -> None:
        now = utc_now()
        started = entry.first_try_ended_at if entry is not None else (attempt.lookup_sent_at or now)
        final = dataclasses.replace(
            attempt,
            retry_status=RetryStatus.ABANDONED,
            retry_delay_ms=max(0.0, (now - started).total_seconds() * 1000.0),
            error_reason=f"abandoned: {reason}"[:200],
            http_attempts=entry.tries if entry is not None else attempt.http_attempts,
        )
        log.info("pending lookup %s abandoned: %s", attempt.attempt_id, reason)
        self._end(attempt.attempt_id, final, entry.ticket_number if entry else None, RetryEventKind.ABANDONED, None)

    def _end(self, attempt_id: str, attempt: LookupAttempt, ticket: int | None, kind: RetryEventKind,
             result: EligibilityResult | None, request: LookupRequest | None = None) -> None:
        receipt: Receipt | None = None
        if self._sink is not None:
            try:
                receipt = self._sink.record(attempt)
            except Exception:
                log.exception("final version of attempt %s not recorded", attempt_id)
        self.store.remove(attempt_id)
        with self._idle:
            self._idle.notify_all()
        self._emit(RetryEvent(kind, attempt, ticket, result, request, receipt))

    # ----------------------------------------------------------------- closing

    def close(self, timeout: float = 10.0) -> None:
        """Stop the retries. Pending lookups stay in an encrypted store for the next start; without one (memory
        only) they are recorded as abandoned. Idempotent."""
        if self._closed:
            return
        self._closed = True
        if self._loop.running:
            self._loop.cancel_all(lambda: list(self._tasks.values()), timeout)
        if self.store.directory is None:
            for entry in self.store:
                self._finish_abandoned(entry.attempt, entry, "the kiosk closed (pending lookups kept in memory only)")

    def __enter__(self) -> BackgroundRetrier:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _pending_in_log(log_path: Path, kiosk_id: str) -> list[LookupAttempt]:
    from kiosk.lookup_log import LogError, LogReader

    try:
        with LogReader(log_path) as reader:
            return reader.pending_attempts(kiosk_id)
    except LogError as exc:
        log.error("cannot look for pending attempts in %s: %s", log_path, exc)
        return []


__all__ = [
    "BackgroundRetrier",
    "FirstTry",
    "RetryEvent",
    "RetryEventKind",
    "mark_pending",
    "pending_reason",
]
