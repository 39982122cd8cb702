"""The lookup worker: one attempt at a time, in order — validation, the signed lookup, the record — as one task on
the lookup loop (:mod:`kiosk.lookup_loop`, the one thread of every lookup). The lookup itself is a task of its own:
cancelling it (:meth:`LookupWorker.cancel`) ends that lookup at once, request in flight included, not the worker.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import time
from typing import TYPE_CHECKING

from kiosk.attempts import InputSource, Stage
from kiosk.eligibility import EligibilityResult, LookupRequest
from kiosk.lookup_loop import LookupLoop
from kiosk.outcomes import Outcome
from kiosk.pipeline.flow import EventKind
from kiosk.pipeline.recording import Job, ms, wall
from kiosk.privacy import DeferredHash
from kiosk.retrier import FirstTry, mark_pending, pending_reason
from scanner.cccd import CardPayloadError, CitizenCard, manual_card
from scanner.masking import mask_id
from scanner.payload import PayloadKind, classify_payload

if TYPE_CHECKING:
    from kiosk.pipeline.pipeline import KioskPipeline
    from kiosk.tickets.issuer import IssuedTicket

log = logging.getLogger(__name__)

#: The error reason of a code that was read but carries damaged text (U+FFFD): refused, not "no code".
DAMAGED_TEXT = "unreadable: damaged text"


class LookupWorker:
    def __init__(self, host: KioskPipeline, loop: LookupLoop) -> None:
        self._host = host
        self._loop = loop
        self._queue: asyncio.Queue[Job | None] = asyncio.Queue()
        self._leftovers: list[Job] = []
        self._early: list[Job] = []  # submitted before start(): they run first
        self._runner: concurrent.futures.Future[None] | None = None

    def start(self) -> None:
        self._queue = asyncio.Queue()
        self._leftovers = []
        self._runner = self._loop.submit(self._run())
        early, self._early = self._early, []
        for job in early:
            self.put(job)

    def put(self, job: Job) -> None:
        if not self._loop.running:
            self._early.append(job)
            return
        self._loop.call_soon(self._queue.put_nowait, job)

    def cancel(self, job: Job) -> None:
        """Cancel ``job``'s lookup if it is in flight (``job.cancel`` is already set: the worker checks it too)."""
        self._loop.call_soon(lambda: job.lookup is not None and job.lookup.cancel())

    def stop(self, timeout: float) -> list[Job]:
        """End the worker after the job in hand (cancel it first); the jobs it did not start."""
        if self._runner is None:
            return []
        self._loop.call_soon(self._queue.put_nowait, None)
        try:
            self._runner.result(timeout)
        except Exception:
            log.exception("the lookup worker did not end cleanly")
        leftovers, self._leftovers = self._leftovers, []
        while not self._queue.empty():
            job = self._queue.get_nowait()
            if job is not None:
                leftovers.append(job)
        return leftovers

    async def _run(self) -> None:
        host = self._host
        while True:
            job = await self._queue.get()
            if job is None or host.stopping:
                if job is not None:
                    self._leftovers.append(job)  # stop() cancels what is left
                return
            host.job_started(job)
            try:
                await self._run_job(job)
            except Exception as exc:  # never lose the attempt, never end the worker
                log.exception("lookup worker failed")
                if not job.attempt.outcome:
                    host.finish(job, Outcome.SERVICE_ERROR, stage=None, error=f"service-error: internal: {exc}")
            finally:
                host.job_ended(job)

    async def _run_job(self, job: Job) -> None:
        host = self._host
        if job.source is not InputSource.CAMERA:
            host.emit(EventKind.CARD_SEEN, attempt_id=job.attempt.attempt_id, source=job.source)
        if job.cancel.is_set():
            host.finish(job, Outcome.CANCELLED, stage=None, error=job.cancel_reason)
            return
        card = self._validate(job)
        if card is None:
            return
        job.attempt.stage = Stage.VALIDATED
        job.attempt.masked_id = mask_id(card.id_number)
        host.emit(EventKind.CARD_READ, attempt_id=job.attempt.attempt_id, source=job.source, card=card)
        await self._lookup(job, card)

    def _validate(self, job: Job) -> CitizenCard | None:
        """The card of ``job``, or None when the attempt already ended (invalid card, not an ID card)."""
        host = self._host
        t0 = time.perf_counter()
        if job.manual is not None or job.reading is None:  # (a camera read has its reading and read time already)
            assert job.read_done is not None
            job.attempt.read_at = wall(job.read_done)
            job.attempt.stage = Stage.READ
        if job.manual is not None:
            try:
                card = manual_card(*job.manual)
            except CardPayloadError as exc:
                job.validate_s = time.perf_counter() - t0
                self._invalid(job, exc.reason.value, str(exc))
                return None
            job.validate_s = time.perf_counter() - t0
            return card
        if job.reading is None:
            job.reading = classify_payload(job.text or "", typed=job.source is InputSource.USB_SCANNER)
            job.validate_s = time.perf_counter() - t0
        reading = job.reading
        if reading.damaged:  # the code carries U+FFFD: read, but nothing in it can be trusted
            host.finish(job, Outcome.UNREADABLE, stage=Stage.READ, error=DAMAGED_TEXT)
            return None
        if reading.kind != PayloadKind.CCCD:
            host.finish(job, Outcome.NOT_ID_CARD, stage=Stage.READ, error=f"not-id-card: {reading.kind}",
                        event=EventKind.NOT_ID_CARD)
            return None
        if not reading.valid or reading.card is None:
            reason = reading.error.reason.value if reading.error is not None else "unknown"
            self._invalid(job, reason, str(reading.error) if reading.error else reason)
            return None
        return reading.card

    def _invalid(self, job: Job, reason: str, detail: str) -> None:
        self._host.finish(job, Outcome.INVALID_CARD, stage=Stage.READ, error=f"invalid-card: {reason}",
                          event=EventKind.CARD_INVALID, event_error=detail)

    async def _pending(self, job: Job, card: CitizenCard, request: LookupRequest, first: FirstTry,
                       sent: float) -> None:
        """No answer in time, or a transient failure: record the attempt as pending (with its first try's outcome),
        issue the queue ticket, and hand the lookup — the request still in flight included — to the retrier."""
        host = self._host
        retrier = host.retrier
        assert retrier is not None and job.lookup is not None
        attempt = job.attempt
        attempt.lookup_ms = ms(time.monotonic() - sent)
        mark_pending(attempt, first, outcome=False)

        def hash_and_ticket() -> IssuedTicket | None:  # the pending file keeps the hash; the printer may be slow
            if job.person is not None:
                attempt.person_hash = job.person.value()
            return host.issue_ticket(False, masked_id=attempt.masked_id, attempt_id=attempt.attempt_id)

        ticket = await asyncio.to_thread(hash_and_ticket)  # not on the lookup loop
        host.finish(job, first.outcome, stage=Stage.LOOKUP_SENT, error=pending_reason(first), card=card,
                    result=first.result, event=EventKind.PENDING, ticket=ticket)
        retrier.adopt(attempt, request, first, in_flight=None if job.lookup.done() else job.lookup,
                      ticket_number=ticket.ticket.number if ticket is not None else None)

    async def _lookup(self, job: Job, card: CitizenCard) -> None:
        host = self._host
        if host.hasher is not None:  # slow on purpose (kiosk.privacy): the log writer computes it
            job.person = DeferredHash(host.hasher, card.id_number)
        client = host.client
        if host.setup_error is not None or client is None:
            reason = host.setup_error or "no lookup client"
            host.finish(job, Outcome.SETUP_ERROR, stage=Stage.VALIDATED, error=f"setup-error: {reason}", card=card,
                        result=EligibilityResult.failure(Outcome.SETUP_ERROR, reason, attempts=0, elapsed_ms=0.0))
            return
        request = LookupRequest.from_card(card, host.config, attempt_id=job.attempt.attempt_id)
        sent = time.monotonic()
        job.attempt.lookup_sent_at = wall(sent)
        job.attempt.stage = Stage.LOOKUP_SENT
        host.emit(EventKind.LOOKING_UP, attempt_id=job.attempt.attempt_id, source=job.source, card=card)
        job.lookup = asyncio.create_task(client.lookup(request))
        if job.cancel.is_set():  # cancelled while the worker was busy with this job: the lookup never starts
            job.lookup.cancel()
        retrier = host.retrier
        if retrier is not None:  # background retries: wait only what is left of the first-try deadline
            left = retrier.policy.first_try_deadline_s - (time.monotonic() - sent)
            await asyncio.wait({job.lookup}, timeout=max(0.0, left))
            first = FirstTry.of(job.lookup)
            if first.pending and not job.cancel.is_set():
                await self._pending(job, card, request, first, sent)
                return
        await asyncio.wait({job.lookup})
        job.attempt.lookup_ms = ms(time.monotonic() - sent)
        if job.lookup.cancelled():  # cancelled before it started: nothing was sent
            job.attempt.lookup_sent_at = None
            job.attempt.http_attempts = 0
            host.finish(job, Outcome.CANCELLED, stage=Stage.VALIDATED, error=job.cancel_reason, card=card)
            return
        error = job.lookup.exception()
        if error is not None:  # the client should never raise; record it as a service error
            host.finish(job, Outcome.SERVICE_ERROR, stage=Stage.LOOKUP_SENT, card=card,
                        error=f"service-error: client failed: {type(error).__name__}: {error}")
            return
        result = job.lookup.result()
        outcome = Outcome.CANCELLED if job.cancel.is_set() and not result.definitive else result.outcome
        if result.attempts:
            job.attempt.http_attempts = result.attempts
        elif result.outcome in (Outcome.CANCELLED, Outcome.SETUP_ERROR):
            job.attempt.lookup_sent_at = None  # nothing went out (cancelled first, circuit open, bad request)
            job.attempt.http_attempts = 0
        answered = result.result_code is not None
        if answered:
            job.attempt.answered_at = wall(time.monotonic())
        if outcome is Outcome.CANCELLED:
            reason: str | None = job.cancel_reason if job.cancel.is_set() else f"cancelled: {result.reason}"
        else:
            reason = f"{outcome.value}: {result.reason}" if result.reason else None
        stage = Stage.ANSWERED if answered else (Stage.LOOKUP_SENT if job.attempt.lookup_sent_at else Stage.VALIDATED)
        host.finish(job, outcome, stage=stage, error=reason, card=card, result=result, event=EventKind.RESULT)
