"""Background retries against the real mocked service (uvicorn on 127.0.0.1) with fault injection.

Time scale: the tests shorten the policy (first-try deadline 0.4-0.5 s, backoff 0.1-0.4 s, limit 1.5-20 s) and the
client's timeout (1 s), so that an outage of a second or two stands for the minutes of the real one.
"""

from __future__ import annotations

import asyncio
import dataclasses
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_lookup_integration import KIOSK_ID, Setup, population, setup  # noqa: F401  (fixtures)

from kiosk.attempts import InputSource, LookupAttempt, RetryStatus, Stage
from kiosk.client import LookupClient
from kiosk.eligibility import EligibilityResult, LookupRequest
from kiosk.lookup_log import LogReader, LookupLog
from kiosk.lookup_loop import LookupLoop
from kiosk.outcomes import Outcome
from kiosk.pending import PendingStore
from kiosk.reports import build_report, report_to_dict
from kiosk.retrier import BackgroundRetrier, FirstTry, RetryEvent, RetryEventKind, mark_pending
from kiosk.retry import RetryPolicy
from kiosk.signing.keys import generate_private_key, save_private_key

FAST = RetryPolicy(first_try_deadline_s=0.5, limit_s=20.0, base_s=0.2, cap_s=0.4, min_delay_s=0.1)


@dataclasses.dataclass
class Rig:
    setup: Setup
    loop: LookupLoop  # the pipeline's lookup loop: first tries and retries run on it
    log: LookupLog
    events: list[RetryEvent]
    db: Path
    tmp: Path
    clients: list[LookupClient] = dataclasses.field(default_factory=list)

    def client(self, **changes: object) -> LookupClient:
        client = LookupClient(self.setup.config(**{"retries": 0, "breaker_reset_s": 0.3, **changes}))
        self.clients.append(client)
        return client

    def retrier(self, policy: RetryPolicy = FAST, store: PendingStore | None = None,
                client: LookupClient | None = None) -> BackgroundRetrier:
        r = BackgroundRetrier((client or self.clients[0]).lookup, self.log, store, policy, loop=self.loop)
        r.add_listener(self.events.append)
        return r

    def store(self) -> PendingStore:
        return PendingStore(self.tmp / "data" / "pending", self.tmp / "keys" / "pending.key")

    def first_try(self, retrier: BackgroundRetrier, code: str = "000", index: int = 0, ticket: int | None = None
                  ) -> tuple[FirstTry, LookupAttempt, asyncio.Task[EligibilityResult]]:
        """What the pipeline's lookup worker does: the first try as a task on the lookup loop, waited for at most the
        first-try deadline; when pending (and ``ticket`` is given), record it, issue the ticket, adopt it."""
        person = self.setup.population.with_code(code)[index]
        attempt = LookupAttempt.start(kiosk_id=KIOSK_ID, facility_code=self.setup.facility, source=InputSource.CAMERA)
        attempt.masked_id = "••••••••" + person.identity.id_number[-4:]
        request = dataclasses.replace(self.setup.request(person), attempt_id=attempt.attempt_id)
        attempt.lookup_sent_at = attempt.first_seen_at
        attempt.stage = Stage.LOOKUP_SENT
        return self.loop.submit(self._first_try(retrier, request, attempt, ticket)).result(30)

    async def _first_try(self, retrier: BackgroundRetrier, request: LookupRequest, attempt: LookupAttempt,
                         ticket: int | None) -> tuple[FirstTry, LookupAttempt, asyncio.Task[EligibilityResult]]:
        task = asyncio.create_task(retrier.lookup(request))
        await asyncio.wait({task}, timeout=retrier.policy.first_try_deadline_s)
        first = FirstTry.of(task)
        if ticket is not None:
            assert first.pending, first
            mark_pending(attempt, first)
            self.log.record(attempt)
            retrier.adopt(attempt, request, first, in_flight=None if task.done() else task, ticket_number=ticket)
        return first, attempt, task

    def row(self, attempt_id: str) -> LookupAttempt:
        assert self.log.flush(10)
        with LogReader(self.db) as reader:
            return next(a for a in reader.attempts(limit=1000) if a.attempt_id == attempt_id)


@pytest.fixture
def rig(setup: Setup, tmp_path: Path) -> Iterator[Rig]:  # noqa: F811
    setup.service.set_faults(None)
    db = tmp_path / "log.db"
    loop = LookupLoop("test-retries")
    loop.start()
    with LookupLog(db, max_batch=1) as log:
        rig = Rig(setup, loop, log, [], db, tmp_path)
        rig.client()
        yield rig
        for client in rig.clients:
            loop.submit(client.aclose()).result(10)
        loop.stop()
    setup.service.set_faults(None)


def _until(condition: object, timeout: float = 10.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.02)
    return False


def test_burst_outage_that_ends_gives_a_late_answer_and_tells_reception(rig: Rig) -> None:
    rig.setup.service.set_faults("error=1")  # the gateway answers 503 to everything
    repeats_before = rig.setup.service.state.repeats.repeated
    with rig.retrier() as retrier:
        _, attempt, _ = rig.first_try(retrier, ticket=17)
        assert rig.row(attempt.attempt_id).retry_status is RetryStatus.PENDING
        assert [e.kind for e in rig.events] == [RetryEventKind.PENDING]
        time.sleep(1.0)  # several retries meet the outage
        assert len(retrier.store) == 1
        rig.setup.service.set_faults(None)  # the outage ends
        assert retrier.wait_idle(10)
    late = rig.events[-1]
    assert late.kind is RetryEventKind.ANSWERED and late.ticket_number == 17
    assert late.result is not None and late.result.outcome is Outcome.ELIGIBLE
    row = rig.row(attempt.attempt_id)
    assert (row.outcome, row.first_try_outcome, row.retry_status) == (Outcome.ELIGIBLE, Outcome.SERVICE_ERROR,
                                                                      RetryStatus.ANSWERED)
    assert row.eligible is True and row.result_code == "000" and row.error_reason is None
    assert row.retry_delay_ms is not None and row.retry_delay_ms >= 1000
    assert row.http_attempts is not None and row.http_attempts >= 3
    # every try carried the same attempt id (the service saw repeats) and a fresh signature (no replay refusal)
    assert rig.setup.service.state.repeats.repeated - repeats_before >= row.http_attempts - 1
    with LogReader(rig.db) as reader:
        data = report_to_dict(build_report(reader))
    assert (data["successful_after_retry"], data["successful_first_try"], data["pending"]) == (1, 0, 0)


def test_a_slow_first_try_is_not_thrown_away(rig: Rig) -> None:
    rig.setup.service.set_faults("latency=1:1.2")  # every answer takes 1.2 s: past the 0.5 s first-try deadline
    with rig.retrier(client=rig.client(read_timeout_s=5.0)) as retrier:
        _, attempt, _ = rig.first_try(retrier, ticket=3)
        assert retrier.wait_idle(10)
    assert rig.events[-1].kind is RetryEventKind.ANSWERED
    row = rig.row(attempt.attempt_id)
    assert row.first_try_outcome is Outcome.TIMEOUT and row.outcome is Outcome.ELIGIBLE
    assert row.http_attempts == 1  # the answer of the request already in flight, no second request
    assert row.retry_delay_ms is not None and row.retry_delay_ms < 2000


def test_outage_that_outlasts_the_limit_is_abandoned_and_recorded(rig: Rig) -> None:
    rig.setup.service.set_faults("error=1")
    with rig.retrier(dataclasses.replace(FAST, limit_s=1.5)) as retrier:
        _, attempt, _ = rig.first_try(retrier, ticket=4)
        assert retrier.wait_idle(10)
    assert rig.events[-1].kind is RetryEventKind.ABANDONED and rig.events[-1].ticket_number == 4
    row = rig.row(attempt.attempt_id)
    assert row.retry_status is RetryStatus.ABANDONED and row.outcome is Outcome.SERVICE_ERROR
    assert row.error_reason is not None and row.error_reason.startswith("abandoned: no answer within 1.5 s")
    assert 1400 <= (row.retry_delay_ms or 0) < 5000
    with LogReader(rig.db) as reader:
        data = report_to_dict(build_report(reader))
    assert (data["abandoned"], data["pending"], data["successful"]) == (1, 0, 0)


def test_signature_refusal_is_never_retried(rig: Rig) -> None:
    stranger = generate_private_key()
    save_private_key(stranger, rig.tmp / "stranger.pem")
    requests_before = rig.setup.service.state.repeats.repeated
    refused = rig.client(kiosk_id="kiosk-unknown", private_key=rig.tmp / "stranger.pem")
    with rig.retrier(client=refused) as retrier:
        first, _, _ = rig.first_try(retrier)
        assert not first.pending and first.result is not None
        assert first.result.outcome is Outcome.SETUP_ERROR and "401" in (first.result.reason or "")
        assert len(retrier.store) == 0
    rig.setup.service.set_faults("badsig=1")  # the answer's signature is corrupted: refused by the kiosk
    with rig.retrier() as retrier:
        first, _, _ = rig.first_try(retrier)
        assert not first.pending and first.result is not None
        assert first.result.outcome is Outcome.REJECTED_SIGNATURE and first.result.attempts == 1
    assert rig.setup.service.state.repeats.repeated == requests_before
    assert rig.events == []


def test_a_refusal_met_while_retrying_ends_the_retries(rig: Rig) -> None:
    rig.setup.service.set_faults("error=1")
    with rig.retrier() as retrier:
        _, attempt, _ = rig.first_try(retrier, ticket=8)
        rig.setup.service.set_faults("badsig=1")
        assert retrier.wait_idle(10)
    assert rig.events[-1].kind is RetryEventKind.FAILED
    row = rig.row(attempt.attempt_id)
    assert (row.retry_status, row.outcome) == (RetryStatus.FAILED, Outcome.REJECTED_SIGNATURE)


def test_restart_while_pending_resumes_from_the_encrypted_store(rig: Rig) -> None:
    rig.setup.service.set_faults("error=1")
    retrier = rig.retrier(store=rig.store())
    _, attempt, _ = rig.first_try(retrier, ticket=21)
    time.sleep(0.3)
    retrier.close()  # the kiosk stops: the lookup stays pending, encrypted on disk
    files = list((rig.tmp / "data" / "pending").glob("*.pending"))
    assert len(files) == 1
    assert rig.row(attempt.attempt_id).retry_status is RetryStatus.PENDING
    rig.setup.service.set_faults(None)
    with rig.retrier(store=rig.store()) as again:  # the next start
        resumed, abandoned = again.resume(log_path=rig.db, kiosk_id=KIOSK_ID)
        assert [e.attempt_id for e in resumed] == [attempt.attempt_id] and abandoned == []
        assert again.wait_idle(10)
    assert rig.events[-1].kind is RetryEventKind.ANSWERED and rig.events[-1].ticket_number == 21
    row = rig.row(attempt.attempt_id)
    assert (row.retry_status, row.outcome) == (RetryStatus.ANSWERED, Outcome.ELIGIBLE)
    assert not list((rig.tmp / "data" / "pending").iterdir())


def test_restart_without_resume_or_memory_only_records_abandoned(rig: Rig) -> None:
    rig.setup.service.set_faults("error=1")
    retrier = rig.retrier(store=rig.store())
    _, kept, _ = rig.first_try(retrier, ticket=1)
    retrier.close()
    memory = rig.retrier()  # memory only: closing records its pending lookups as abandoned
    _, lost, _ = rig.first_try(memory, index=1, ticket=2)
    memory.close()
    assert rig.row(lost.attempt_id).retry_status is RetryStatus.ABANDONED
    with rig.retrier(store=rig.store()) as again:
        resumed, abandoned = again.resume(resume=False, log_path=rig.db, kiosk_id=KIOSK_ID)
    assert resumed == [] and [a.attempt_id for a in abandoned] == [kept.attempt_id]
    row = rig.row(kept.attempt_id)
    assert row.retry_status is RetryStatus.ABANDONED and "not resumed" in (row.error_reason or "")


def test_log_rows_left_pending_by_a_crash_are_abandoned_at_start(rig: Rig) -> None:
    rig.setup.service.set_faults("error=1")
    crashed = rig.retrier()  # memory only, and the process "dies": no close(), the log row stays pending
    _, attempt, _ = rig.first_try(crashed, ticket=9)
    crashed.store.remove(attempt.attempt_id)  # what a SIGKILL does to a memory-only entry
    crashed.close()
    assert rig.row(attempt.attempt_id).retry_status is RetryStatus.PENDING
    with rig.retrier() as fresh:
        _, abandoned = fresh.resume(log_path=rig.db, kiosk_id=KIOSK_ID)
    assert [a.attempt_id for a in abandoned] == [attempt.attempt_id]
    assert rig.row(attempt.attempt_id).retry_status is RetryStatus.ABANDONED


def test_closing_leaves_no_threads(rig: Rig) -> None:
    before = {t.name for t in threading.enumerate()}
    rig.setup.service.set_faults("hang=1:30")
    with rig.retrier() as retrier:
        rig.first_try(retrier, ticket=5)
    assert _until(lambda: {t.name for t in threading.enumerate()} <= before, 5)


def test_reception_list_gets_the_late_answer_and_hands_it_to_the_his(rig: Rig, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from fhir.resources.R4B.bundle import Bundle
    from his_endpoint import HisEndpoint

    from kiosk.his import HisSender
    from ui.bridge import RetryBridge
    from ui.pending_list import PendingList
    from ui.sounds import Cue, Sounds

    class HeardSounds(Sounds):  # the real Sounds (off: no audio device in CI), remembering what it was asked
        def __init__(self) -> None:
            super().__init__(False)
            self.cues: list[Cue] = []

        def play(self, cue: Cue) -> None:
            self.cues.append(cue)
            super().play(cue)

    sounds = HeardSounds()
    with HisEndpoint() as his_endpoint, HisSender(his_endpoint.url, sleep=lambda s: None) as his:
        widget = PendingList(sounds, his)
        qtbot.addWidget(widget)
        bridge = RetryBridge()
        bridge.event.connect(widget.on_event)
        rig.setup.service.set_faults("error=1")
        with rig.retrier() as retrier:
            retrier.add_listener(bridge.listener)
            _, attempt, _ = rig.first_try(retrier, ticket=31)
            qtbot.waitUntil(lambda: widget.table.rowCount() == 1, timeout=5000)
            assert widget.table.item(0, 0).text() == "0031"
            assert widget.table.item(0, 1).text() == attempt.masked_id
            assert widget.table.item(0, 2).text() == "Đang chờ kết quả BHYT"
            rig.setup.service.set_faults(None)
            qtbot.waitUntil(lambda: widget.rows[attempt.attempt_id].event.kind is RetryEventKind.ANSWERED,
                            timeout=10000)
        assert widget.table.item(0, 2).text() == "Thẻ BHYT còn hiệu lực"
        assert sounds.cues == [Cue.GOOD]
        widget.table.selectRow(0)
        assert widget.send_button.isEnabled() and widget.copy_button.isEnabled()
        # a disk that refuses (here: a folder that is gone) is said, not raised out of the button's slot
        assert not widget.save_bundle(attempt.attempt_id, tmp_path / "gone" / "b.json")
        assert widget.handoff_label.text().startswith("Không lưu được tệp FHIR")
        assert widget.save_bundle(attempt.attempt_id, tmp_path / "b.json")
        saved = Bundle.model_validate_json((tmp_path / "b.json").read_text(encoding="utf-8"))
        widget.send_button.click()
        qtbot.waitUntil(lambda: widget.rows[attempt.attempt_id].handoff is not None, timeout=10000)
        widget.shutdown()
        assert "HIS đã nhận" in widget.table.item(0, 2).text()
        assert "accepted (HTTP 200)" in widget.handoff_label.text()
        assert len(his_endpoint.state.received) == 1
        sent = his_endpoint.state.received[0]
        assert [e.resource.get_resource_type() for e in sent.entry] == [
            e.resource.get_resource_type() for e in saved.entry]
        widget.clear()
        assert widget.table.rowCount() == 0 and widget.rows == {}


def test_cancel_during_the_first_try_is_not_pending(setup: Setup, tmp_path: Path) -> None:  # noqa: F811
    """The product path: staff cancel a card whose first try hangs; it ends CANCELLED at once, never pending."""
    from kiosk.pipeline import EventKind, KioskPipeline, PipelineEvent, PipelineState

    setup.service.set_faults("hang=1:5")
    config = setup.config(retries=0, log_db=tmp_path / "lookups.db", first_try_deadline_s=5.0, pending_at_rest=False)
    pipeline = KioskPipeline(config=config, background_retries=True)
    ended: list[PipelineEvent] = []
    retry_events: list[RetryEvent] = []
    pipeline.add_listener(lambda e: ended.append(e) if e.kind is EventKind.ATTEMPT_ENDED else None)
    pipeline.add_retry_listener(retry_events.append)
    pipeline.start()
    try:
        pipeline.submit_payload(setup.population.with_code("000")[0].qr_payload)
        assert _until(lambda: pipeline.state is PipelineState.LOOKING_UP, 5)
        time.sleep(0.1)  # the request is on the wire; the service sits on it
        started = time.monotonic()
        pipeline.cancel()
        assert pipeline.wait_idle(5)
        assert time.monotonic() - started < 1.0
    finally:
        pipeline.stop()
        setup.service.set_faults(None)
    assert [e.outcome for e in ended] == [Outcome.CANCELLED]
    assert retry_events == []


def test_a_first_try_still_in_flight_at_the_limit_is_aborted(rig: Rig, caplog: pytest.LogCaptureFixture) -> None:
    rig.setup.service.set_faults("hang=1:30")  # no answer at all; the client would wait 5 s
    with rig.retrier(dataclasses.replace(FAST, limit_s=1.0), client=rig.client(read_timeout_s=5.0)) as retrier:
        _, attempt, first_try = rig.first_try(retrier, ticket=6)
        started = time.monotonic()
        assert retrier.wait_idle(10)
        assert time.monotonic() - started < 2.5  # at the limit, not at the client's deadline
        assert _until(first_try.done, 2)  # the request in flight was aborted (task cancellation)
        assert first_try.result().outcome is Outcome.CANCELLED
    row = rig.row(attempt.attempt_id)
    assert (row.retry_status, row.first_try_outcome) == (RetryStatus.ABANDONED, Outcome.TIMEOUT)
    assert not [r for r in caplog.records if r.name == "asyncio" and r.levelname == "ERROR"]


def test_pipeline_restart_while_pending_resumes_it(setup: Setup, tmp_path: Path,  # noqa: F811
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The product path: a kiosk pipeline stops with a lookup pending (encrypted beside its log), the next start
    resumes it and records the late answer."""
    from kiosk.pipeline import EventKind, KioskPipeline

    monkeypatch.setenv("BHYT_KIOSK_HOME", str(tmp_path / "home"))  # the pending-lookup key
    config = setup.config(retries=0, breaker_reset_s=0.3, log_db=tmp_path / "data" / "lookups.db",
                          first_try_deadline_s=0.5)
    person = setup.population.with_code("000")[2]
    events: list[RetryEvent] = []
    kinds: list[EventKind] = []
    setup.service.set_faults("error=1")
    try:
        first = KioskPipeline(config=config, background_retries=True)
        first.add_retry_listener(events.append)
        first.add_listener(lambda e: kinds.append(e.kind))
        first.start()
        first.submit_payload(person.qr_payload)
        assert first.wait_idle(10)
        first.stop()
    finally:
        setup.service.set_faults(None)
    assert EventKind.PENDING in kinds and [e.kind for e in events] == [RetryEventKind.PENDING]
    (stored,) = (tmp_path / "data" / "pending").glob("*.pending")
    raw = stored.read_bytes()
    assert person.identity.id_number.encode() not in raw and person.identity.full_name.encode() not in raw
    second = KioskPipeline(config=config, background_retries=True)
    second.add_retry_listener(events.append)
    second.start()
    try:
        assert second.wait_pending(15)
    finally:
        second.stop()
    assert [e.kind for e in events] == [RetryEventKind.PENDING, RetryEventKind.PENDING, RetryEventKind.ANSWERED]
    assert not list((tmp_path / "data" / "pending").glob("*.pending"))
    with LogReader(config.effective_log_db) as reader:
        (row,) = reader.attempts()
    assert (row.outcome, row.first_try_outcome, row.retry_status) == (Outcome.ELIGIBLE, Outcome.SERVICE_ERROR,
                                                                      RetryStatus.ANSWERED)
