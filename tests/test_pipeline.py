"""Attempt bookkeeping (fake clock) and the headless kiosk pipeline (fake source, reader and clients)."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from kiosk.attempt_tracker import ActionKind, AttemptTracker, Observation, TrackerAction, TrackerTiming

# --------------------------------------------------------------------------------------------- tracker


def _tracker(**timing: float) -> AttemptTracker:
    ids = itertools.count(1)
    return AttemptTracker(TrackerTiming(**timing), make_id=lambda: f"a{next(ids)}")


def _kinds(actions: list[TrackerAction]) -> list[tuple[str, str]]:
    return [(a.kind.value, a.attempt.attempt_id) for a in actions]


def _seen(t: float) -> Observation:
    return Observation(now=t, candidate=True)


def _text(t: float, text: str) -> Observation:
    return Observation(now=t, candidate=True, accepted=text, backend="zxing", stage="gray")


def test_seen_then_read_reports_frames_and_decoder() -> None:
    tr = _tracker()
    assert _kinds(tr.observe(_seen(0.0))) == [("started", "a1")]
    assert tr.observe(_seen(0.1)) == []
    assert tr.observe(Observation(now=0.15, candidate=False)) == []  # a frame without the code: not counted
    actions = tr.observe(_text(0.2, "T1"))
    assert _kinds(actions) == [("read", "a1")]
    attempt = actions[0].attempt
    assert (attempt.first_seen, attempt.read_at, attempt.frames_seen) == (0.0, 0.2, 3)
    assert (attempt.text, attempt.backend, attempt.stage) == ("T1", "zxing", "gray")


def test_code_never_decoded_ends_unreadable_after_gone_time() -> None:
    tr = _tracker(gone_s=2.0)
    tr.observe(_seen(0.0))
    for i in range(1, 5):
        assert tr.observe(_seen(i * 0.1)) == []
    assert tr.tick(2.3) == []  # last seen at 0.4: gone for 1.9 s only
    actions = tr.tick(2.5)
    assert _kinds(actions) == [("unreadable", "a1")]
    assert actions[0].attempt.frames_seen == 5
    assert not tr.reading
    assert _kinds(tr.observe(_seen(3.0))) == [("started", "a2")]  # the next code is a new attempt


def test_code_in_view_too_long_ends_unreadable_once() -> None:
    tr = _tracker(gone_s=2.0, max_read_s=5.0)
    out: list[TrackerAction] = []
    for i in range(0, 100):
        out += tr.observe(_seen(i * 0.1))  # 10 s of an undecodable code
    assert _kinds(out) == [("started", "a1"), ("unreadable", "a1")]


def test_same_card_in_view_after_read_starts_nothing() -> None:
    tr = _tracker(gone_s=2.0, hold_off_s=10.0)
    out = tr.observe(_text(0.0, "T1"))
    assert _kinds(out) == [("started", "a1"), ("read", "a1")]
    for i in range(1, 200):  # 20 s still in view, decoding or not
        obs = _text(i * 0.1, "T1") if i % 3 == 0 else _seen(i * 0.1)
        assert tr.observe(obs) == []


def test_same_card_shown_again_within_hold_off_is_not_an_attempt() -> None:
    tr = _tracker(gone_s=2.0, hold_off_s=10.0)
    tr.observe(_text(0.0, "T1"))
    assert tr.tick(3.0) == []  # left
    assert tr.observe(_seen(5.0)) == []  # provisional: not announced yet
    assert tr.observe(_text(5.2, "T1")) == []  # the same card: dropped, nothing recorded
    # after the hold-off (counted from when it left again) the same card is a new attempt
    tr.tick(8.0)
    assert _kinds(tr.observe(_text(20.0, "T1"))) == [("started", "a3"), ("read", "a3")]


def test_provisional_sighting_that_never_decodes_still_ends_unreadable() -> None:
    tr = _tracker(gone_s=2.0, hold_off_s=10.0)
    tr.observe(_text(0.0, "T1"))
    tr.tick(3.0)
    assert tr.observe(_seen(4.0)) == []
    assert _kinds(tr.tick(7.0)) == [("started", "a2"), ("unreadable", "a2")]


def test_provisional_sighting_of_a_new_card_is_announced_when_read() -> None:
    tr = _tracker(gone_s=2.0, hold_off_s=10.0)
    tr.observe(_text(0.0, "T1"))
    tr.tick(3.0)
    tr.observe(_seen(4.0))
    actions = tr.observe(_text(4.5, "T2"))
    assert _kinds(actions) == [("started", "a2"), ("read", "a2")]
    assert actions[1].attempt.first_seen == 4.0
    assert actions[1].attempt.frames_seen == 2


def test_different_card_replacing_the_one_in_view_starts_a_new_attempt() -> None:
    tr = _tracker(gone_s=2.0, hold_off_s=10.0)
    tr.observe(_text(0.0, "T1"))
    tr.observe(_seen(0.5))
    assert _kinds(tr.observe(_text(1.0, "T2"))) == [("started", "a2"), ("read", "a2")]
    # the first card shown again right after another card was read is a new presentation
    tr.observe(_seen(1.2))
    assert _kinds(tr.observe(_text(1.5, "T1"))) == [("started", "a3"), ("read", "a3")]
    # but the card that just left, shown again within the hold-off, is not
    assert tr.tick(4.0) == []
    assert tr.observe(_text(5.0, "T1")) == []


def test_swapped_card_attempt_starts_when_it_came_into_view() -> None:
    tr = _tracker(gone_s=2.0, rearm_s=0.5)
    tr.observe(_text(0.0, "T1"))
    tr.observe(_seen(0.2))
    assert tr.observe(_seen(1.0)) == []  # back after 0.8 s: silent until it decodes
    tr.observe(_seen(1.1))
    actions = tr.observe(_text(1.2, "T2"))
    assert _kinds(actions) == [("started", "a2"), ("read", "a2")]
    assert (actions[1].attempt.first_seen, actions[1].attempt.frames_seen) == (1.0, 3)


def test_card_in_view_flickering_after_its_read_records_nothing() -> None:
    tr = _tracker(gone_s=2.0, rearm_s=0.5)
    out = tr.observe(_text(0.0, "T1"))
    for t in (1.0, 1.1, 2.0, 2.9, 3.0):  # comes and goes, never decodes again
        out += tr.observe(_seen(t))
    out += tr.observe(_text(3.2, "T1"))  # decodes to the same card: dropped
    out += tr.tick(10.0)
    assert _kinds(out) == [("started", "a1"), ("read", "a1")]


def test_new_cards_wait_while_busy_and_come_out_in_order() -> None:
    tr = _tracker(gone_s=2.0, hold_off_s=10.0)
    tr.observe(_text(0.0, "T1"))
    tr.set_busy(True)
    assert tr.observe(_text(1.0, "T2")) == []
    assert tr.observe(_text(1.5, "T3")) == []
    first = tr.set_busy(False)
    assert _kinds(first) == [("started", "a2"), ("read", "a2")]
    tr.set_busy(True)
    assert _kinds(tr.set_busy(False)) == [("started", "a3"), ("read", "a3")]
    assert tr.set_busy(False) == []


def test_cancel_while_reading_ends_the_attempt_and_ignores_the_card_until_it_leaves() -> None:
    tr = _tracker(gone_s=2.0)
    tr.observe(_seen(0.0))
    assert _kinds(tr.cancel(0.5)) == [("cancelled", "a1")]
    assert tr.observe(_seen(1.0)) == []
    assert tr.tick(4.0) == []
    assert _kinds(tr.observe(_seen(5.0))) == [("started", "a2")]
    assert tr.cancel(5.0)[0].kind is ActionKind.CANCELLED
    assert tr.cancel(5.1) == []


def test_still_images_are_separate_presentations() -> None:
    tr = _tracker(gone_s=2.0, hold_off_s=10.0)
    assert _kinds(tr.observe(_text(0.0, "T1"))) == [("started", "a1"), ("read", "a1")]
    assert tr.end_presentation(0.01) == []
    assert _kinds(tr.observe(_text(0.02, "T1"))) == [("started", "a2"), ("read", "a2")]  # same card, new image
    tr.end_presentation(0.03)
    assert _kinds(tr.observe(_seen(0.04))) == [("started", "a3")]
    assert _kinds(tr.end_presentation(0.05)) == [("unreadable", "a3")]


def test_not_id_text_in_view_is_reported_once_per_hold_off() -> None:
    tr = _tracker(gone_s=2.0, hold_off_s=10.0)
    reads = 0
    t = 0.0
    for _ in range(3):  # a sticker shown three times, 1 s apart in and out of view
        for _ in range(10):
            reads += sum(a.kind is ActionKind.READ for a in tr.observe(_text(t, "https://x")))
            t += 0.1
        t += 3.0
        tr.tick(t)
    assert reads == 1


def test_bad_timing_is_rejected() -> None:
    with pytest.raises(ValueError):
        TrackerTiming(gone_s=0)


# --------------------------------------------------------------------------------------------- pipeline fakes

import threading  # noqa: E402
import time  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

from kiosk.attempts import InputSource, LookupAttempt, Stage  # noqa: E402
from kiosk.config import KioskConfig  # noqa: E402
from kiosk.eligibility import EligibilityResult, LookupRequest  # noqa: E402
from kiosk.outcomes import Outcome  # noqa: E402
from kiosk.pipeline import (  # noqa: E402
    EventKind,
    KioskPipeline,
    PipelineEvent,
    PipelineState,
    RecordedAttempt,
)
from kiosk.privacy import DeferredHash, PersonHasher  # noqa: E402
from scanner.cccd import CardPayloadError, manual_card  # noqa: E402
from scanner.reader import ReadHint  # noqa: E402
from scanner.sources.base import Frame, FrameSource  # noqa: E402

CARD_A = "001098012345||NGUYỄN VĂN A|15081998|Nam|Hà Nội|25052021"
CARD_B = "027195001234|125678901|Nguyễn Thị Minh Châu|15081995|Nữ|Thôn Đông, Xã Tam Sơn|20042021"
CARD_BAD_SEX = "001098012345||NGUYỄN VĂN A|15081998|Nữ|Hà Nội|25052021"
URL = "https://benhvien.example.vn/dat-lich"
SECRETS = ("001098012345", "027195001234", "NGUYỄN VĂN A", "Nguyễn Thị Minh Châu", "Hà Nội", "Thôn Đông")


@dataclass(frozen=True)
class Step:
    """What the fake reader 'sees' in one frame."""

    candidate: bool = False
    texts: tuple[str, ...] = ()
    accepted: str | None = None


NOTHING = Step()
BLUR = Step(candidate=True)


def card(text: str) -> Step:
    return Step(candidate=True, texts=(text,), accepted=text)


@dataclass
class FakeFrameRead:
    texts: tuple[str, ...]
    hint: ReadHint
    backend: str | None
    stage: str | None
    ms: float
    qr_box: Any


@dataclass
class FakeStreamResult:
    frame_read: FakeFrameRead
    texts: tuple[str, ...]
    accepted: str | None
    reading: Any
    hint: ReadHint
    ms: float


class FakeReader:
    """Frames carry their step index in pixel (0, 0); the reader looks the step up."""

    def __init__(self, steps: list[Step]) -> None:
        self.steps = steps
        self.resets = 0

    def feed(self, frame: np.ndarray, now: float | None = None) -> FakeStreamResult:
        step = self.steps[int(frame[0, 0, 0]) + 256 * int(frame[0, 0, 1])]
        if step.accepted or step.texts:
            hint = ReadHint.DECODED
        else:
            hint = ReadHint.BLURRY if step.candidate else ReadHint.NO_CODE
        box = np.zeros((4, 2)) if step.candidate else None
        fr = FakeFrameRead(step.texts, hint, "zxing" if step.texts else None, "whole" if step.texts else None,
                           1.5, box)
        return FakeStreamResult(fr, step.texts, step.accepted, None, hint, 1.5)

    def reset(self) -> None:
        self.resets += 1


def _image(i: int) -> np.ndarray:
    img = np.zeros((8, 8, 3), np.uint8)
    img[0, 0, 0], img[0, 0, 1] = i % 256, i // 256
    return img


class ScriptSource(FrameSource):
    """A recorded source: one frame per step, ``dt`` apart (``paths``: frames come from image files)."""

    live = False

    def __init__(self, n: int, *, dt: float = 1 / 30, paths: bool = False) -> None:
        super().__init__()
        self.description = "script"
        self.n, self.dt, self.paths = n, dt, paths
        self.i = 0
        self.t0 = 0.0

    def _open(self) -> None:
        self.t0 = time.monotonic()

    def _close(self) -> None:
        pass

    def _read(self, timeout: float | None) -> Frame | None:
        if self.i >= self.n:
            return None
        i, self.i = self.i, self.i + 1
        path = Path(f"img{i:03d}.png") if self.paths else None
        return Frame(image=_image(i), index=i, timestamp=self.t0 + i * self.dt, path=path)


class LiveSource(FrameSource):
    """A live source the test feeds by hand (timestamps: now)."""

    live = True

    def __init__(self) -> None:
        super().__init__()
        self.description = "live"
        self.frames: list[int] = []
        self.cond = threading.Condition()
        self.reads = 0

    def push(self, i: int) -> None:
        with self.cond:
            self.frames.append(i)
            self.cond.notify_all()

    def _open(self) -> None:
        pass

    def _close(self) -> None:
        with self.cond:
            self.cond.notify_all()

    def _read(self, timeout: float | None) -> Frame | None:
        with self.cond:
            if not self.frames and not self.closed:
                self.cond.wait(timeout)
            self.reads += 1
            if not self.frames:
                return None
            i = self.frames.pop(0)
        return Frame(image=_image(i), index=i, timestamp=time.monotonic())


OUTCOME_CODES: dict[Outcome, str | None] = {
    Outcome.ELIGIBLE: "000",
    Outcome.ELIGIBLE_WITH_WARNING: "001",
    Outcome.NEW_CARD: "003",
    Outcome.NOT_ELIGIBLE: "010",
    Outcome.NOT_FOUND: "050",
    Outcome.DATA_MISMATCH: "060",
    Outcome.SETUP_ERROR: "054",
    Outcome.SERVICE_ERROR: None,
    Outcome.TIMEOUT: None,
    Outcome.REJECTED_SIGNATURE: None,
}


class FakeClient:
    def __init__(self, outcome: Outcome = Outcome.ELIGIBLE, *, gate: threading.Event | None = None) -> None:
        self.outcome = outcome
        self.gate = gate
        self.requests: list[LookupRequest] = []
        self.lock = threading.Lock()

    async def lookup(self, request: LookupRequest) -> EligibilityResult:
        with self.lock:
            self.requests.append(request)
        while self.gate is not None and not self.gate.is_set():
            await asyncio.sleep(0.005)
        code = OUTCOME_CODES[self.outcome]
        if self.outcome.definitive:
            return EligibilityResult(outcome=self.outcome, result_code=code, eligible=self.outcome.eligible,
                                     attempts=1, elapsed_ms=3.0)
        return EligibilityResult.failure(self.outcome, f"fake {self.outcome.value}", attempts=2, elapsed_ms=5.0,
                                         result_code=code)


    async def aclose(self) -> None:
        pass


class HangingClient:
    """Waits until cancelled (as the real client's request in flight does), then reports CANCELLED as it does."""

    def __init__(self) -> None:
        self.started = threading.Event()

    async def lookup(self, request: LookupRequest) -> EligibilityResult:
        self.started.set()
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            return EligibilityResult.failure(Outcome.CANCELLED, "cancelled", attempts=1, elapsed_ms=1.0)
        raise AssertionError("never cancelled")

    async def aclose(self) -> None:
        pass


class MemoryLog:
    def __init__(self, fail_first: int = 0) -> None:
        self.records: list[LookupAttempt] = []
        self.fail_first = fail_first

    def record(self, attempt: LookupAttempt, person: DeferredHash | None = None) -> None:
        if self.fail_first > 0:
            self.fail_first -= 1
            raise OSError("disk full")
        if person is not None and attempt.person_hash is None:  # as the log writer does before its insert
            attempt.person_hash = person.value()
        self.records.append(attempt)


@dataclass
class Harness:
    pipeline: KioskPipeline
    log: MemoryLog
    events: list[PipelineEvent] = field(default_factory=list)
    recorded: list[RecordedAttempt] = field(default_factory=list)

    def kinds(self, attempt_id: str | None = None) -> list[str]:
        return [e.kind.value for e in self.events
                if e.kind is not EventKind.FRAME and (attempt_id is None or e.attempt_id == attempt_id)
                and e.kind not in LIFECYCLE]


# the events that only say an attempt ended without a result, or that the pipeline started, stopped or was reset
LIFECYCLE = (EventKind.STARTED, EventKind.STOPPED, EventKind.RESET, EventKind.ATTEMPT_ENDED)
CONFIG = KioskConfig(kiosk_id="kiosk-1", facility_code="27001", operator_name="Trần Văn Bình",
                     operator_id="027090000001")
HASHER = PersonHasher(b"k" * 32)


@pytest.fixture
def make() -> Iterator[Any]:
    before = set(threading.enumerate())
    made: list[KioskPipeline] = []

    def factory(*, client: Any = None, source: FrameSource | None = None, steps: list[Step] | None = None,
                log: MemoryLog | None = None, **kw: Any) -> Harness:
        memlog = log or MemoryLog()
        pipeline = KioskPipeline(config=CONFIG, client=client or FakeClient(), log=memlog,  # type: ignore[arg-type]
                                 source=source, stream_reader=FakeReader(steps or []),  # type: ignore[arg-type]
                                 hasher=HASHER, **kw)
        h = Harness(pipeline, memlog)
        pipeline.add_listener(h.events.append)
        pipeline.add_record_listener(h.recorded.append)
        made.append(pipeline)
        return h

    yield factory
    for p in made:
        p.stop(timeout=5)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and set(threading.enumerate()) - before:
        time.sleep(0.01)
    leaked = [t.name for t in set(threading.enumerate()) - before]
    assert leaked == []


def _run_script(make: Any, steps: list[Step], **kw: Any) -> Harness:
    h = make(source=ScriptSource(len(steps), **{k: kw.pop(k) for k in ("dt", "paths") if k in kw}), steps=steps,
             **kw)
    h.pipeline.start()
    assert h.pipeline.wait_input_finished(10)
    return h


def _assert_private(records: list[LookupAttempt]) -> None:
    for r in records:
        text = repr(r) + " ".join(str(v) for v in vars(r).values())
        for secret in SECRETS:
            assert secret not in text


# --------------------------------------------------------------------------------------------- pipeline tests


def test_still_images_each_make_one_attempt(make: Any) -> None:
    steps = [card(CARD_A), card(URL), card(CARD_BAD_SEX), NOTHING, BLUR, card(CARD_A)]
    h = _run_script(make, steps, paths=True)
    recs = h.log.records
    assert [r.outcome for r in recs] == [Outcome.ELIGIBLE, Outcome.NOT_ID_CARD, Outcome.INVALID_CARD,
                                         Outcome.UNREADABLE, Outcome.ELIGIBLE]
    assert [str(x.path) for x in h.recorded] == ["img000.png", "img001.png", "img002.png", "img004.png", "img005.png"]
    first = recs[0]
    assert first.source is InputSource.CAMERA and first.stage is Stage.ANSWERED
    assert (first.result_code, first.eligible, first.http_attempts) == ("000", True, 1)
    assert first.masked_id == "••••••••2345" and first.person_hash == HASHER.hash_id("001098012345")
    assert (first.decoder_backend, first.decode_stage, first.frames_to_read) == ("zxing", "whole", 1)
    assert first.read_ms == pytest.approx(1.5) and first.validate_ms is not None and first.lookup_ms is not None
    assert first.total_ms is not None and first.total_ms >= first.lookup_ms
    assert first.lookup_sent_at is not None and first.answered_at is not None and first.read_at is not None
    assert recs[1].error_reason == "not-id-card: other" and recs[1].lookup_sent_at is None
    assert recs[2].error_reason == "invalid-card: sex-mismatch" and recs[2].person_hash is None
    assert recs[3].error_reason == "unreadable: blurry" and recs[3].stage is Stage.SEEN
    assert len({r.attempt_id for r in recs}) == 5
    assert h.kinds(first.attempt_id) == ["card-seen", "card-read", "looking-up", "result"]
    assert h.kinds(recs[1].attempt_id) == ["card-seen", "not-id-card"]
    assert h.kinds(recs[2].attempt_id) == ["card-seen", "card-invalid"]
    _assert_private(recs)


@pytest.mark.parametrize("outcome", list(OUTCOME_CODES))
def test_each_lookup_outcome_is_recorded(make: Any, outcome: Outcome) -> None:
    h = make(client=FakeClient(outcome))
    h.pipeline.start()
    attempt_id = h.pipeline.submit_payload(CARD_B)
    assert h.pipeline.wait_idle(10)
    (rec,) = h.log.records
    assert (rec.attempt_id, rec.outcome, rec.result_code) == (attempt_id, outcome, OUTCOME_CODES[outcome])
    assert rec.eligible is outcome.eligible
    assert rec.source is InputSource.USB_SCANNER
    assert rec.stage is (Stage.ANSWERED if OUTCOME_CODES[outcome] else Stage.LOOKUP_SENT)
    assert (rec.error_reason is None) == outcome.definitive
    result_events = [e for e in h.events if e.kind is EventKind.RESULT]
    assert [e.outcome for e in result_events] == [outcome]
    assert result_events[0].result is not None and result_events[0].card is not None
    assert h.pipeline.state is PipelineState.RESULT
    h.pipeline.reset()
    assert h.pipeline.state is PipelineState.WAITING
    _assert_private(h.log.records)


def test_manual_entry_goes_through_the_same_path(make: Any) -> None:
    client = FakeClient(Outcome.NOT_FOUND)
    h = make(client=client)
    h.pipeline.start()
    ok = h.pipeline.submit_manual("027195001234", "Nguyễn Thị Minh Châu", "15/08/1995")
    bad = h.pipeline.submit_manual("027195001234", "Nguyễn Thị Minh Châu", "31/02/1995")
    wrong_year = h.pipeline.submit_manual("027195001234", "Nguyễn Thị Minh Châu", "1996")
    assert h.pipeline.wait_idle(10)
    by_id = {r.attempt_id: r for r in h.log.records}
    assert by_id[ok].outcome is Outcome.NOT_FOUND and by_id[ok].source is InputSource.MANUAL
    assert by_id[bad].error_reason == "invalid-card: bad-birth-date"
    assert by_id[wrong_year].error_reason == "invalid-card: birth-year-mismatch"
    assert [r.full_name for r in client.requests] == ["Nguyễn Thị Minh Châu"]
    _assert_private(h.log.records)


def test_manual_card_validation() -> None:
    card_ = manual_card(" 001098012345 ", "  NGUYỄN   VĂN A ", "15081998")
    assert (card_.full_name, card_.date_of_birth.iso(), card_.sex.value) == ("NGUYỄN VĂN A", "1998-08-15", "Nam")
    for args, reason in [
        (("00109801234", "A B", "1998"), "id-length"),
        (("001098012345", "", "1998"), "empty-name"),
        (("001098012345", "A 1", "1998"), "bad-name"),
        (("001098012345", "A B", "2299"), "future-birth-date"),
        (("001098012345", "A B", "hôm qua"), "bad-birth-date"),
    ]:
        with pytest.raises(CardPayloadError) as info:
            manual_card(*args)
        assert info.value.reason.value == reason


def test_camera_stream_same_card_is_looked_up_once_and_unreadable_ends_after_gone(make: Any) -> None:
    # 30 fps: card A seen blurry for 5 frames, read, kept in view 3 s; gone 3 s; a code that never decodes
    # for 1 s, then 3 s of nothing; then card A again (within the hold-off: nothing), gone; card B.
    steps = [BLUR] * 5 + [card(CARD_A)] + [BLUR, card(CARD_A)] * 45 + [NOTHING] * 90
    steps += [BLUR] * 30 + [NOTHING] * 90
    steps += [BLUR, card(CARD_A)] * 10 + [NOTHING] * 90 + [BLUR] * 3 + [card(CARD_B)] * 2
    client = FakeClient(Outcome.ELIGIBLE)
    h = _run_script(make, steps, client=client, timing=TrackerTiming(gone_s=2.0, hold_off_s=10.0))
    recs = h.log.records
    assert [r.outcome for r in recs] == [Outcome.ELIGIBLE, Outcome.UNREADABLE, Outcome.ELIGIBLE]
    assert [r.id_number for r in client.requests] == ["001098012345", "027195001234"]
    a, unreadable, b = recs
    assert a.frames_to_read == 6 and a.read_ms == pytest.approx(5 / 30 * 1000 + 1.5, abs=0.01)
    assert unreadable.frames_to_read == 30 and unreadable.error_reason == "unreadable: blurry"
    assert b.frames_to_read == 4
    assert all(r.source is InputSource.CAMERA for r in recs)


def test_end_of_a_video_ends_the_open_attempt_as_unreadable(make: Any) -> None:
    h = _run_script(make, [NOTHING, BLUR, BLUR])
    (rec,) = h.log.records
    assert rec.outcome is Outcome.UNREADABLE and rec.frames_to_read == 2


def test_new_cards_wait_while_a_lookup_is_in_flight(make: Any) -> None:
    gate = threading.Event()
    steps = [card(CARD_A)] * 3 + [NOTHING] * 2 + [card(CARD_B)] * 3
    h = make(client=FakeClient(Outcome.ELIGIBLE, gate=gate), source=ScriptSource(len(steps)), steps=steps)
    h.pipeline.start()
    deadline = time.monotonic() + 5
    while not any(e.kind is EventKind.LOOKING_UP for e in h.events) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert h.pipeline.state is PipelineState.LOOKING_UP
    assert not h.pipeline.wait_idle(0.3)  # card B waits
    gate.set()
    assert h.pipeline.wait_input_finished(10)
    kinds = h.kinds()
    assert kinds == ["card-seen", "card-read", "looking-up", "result"] * 2
    first_result = kinds.index("result")
    b_id = h.log.records[1].attempt_id
    assert [e.attempt_id for e in h.events if e.kind is EventKind.CARD_SEEN].index(b_id) == 1
    assert first_result < [i for i, e in enumerate(h.kinds()) if e == "card-seen"][1]


def test_cancel_ends_a_hanging_lookup(make: Any) -> None:
    client = HangingClient()
    h = make(client=client)
    h.pipeline.start()
    attempt_id = h.pipeline.submit_payload(CARD_A, InputSource.COMMAND_LINE)
    assert client.started.wait(5)
    assert h.pipeline.state is PipelineState.LOOKING_UP
    h.pipeline.cancel()
    assert h.pipeline.wait_idle(5)
    (rec,) = h.log.records
    assert (rec.attempt_id, rec.outcome, rec.stage) == (attempt_id, Outcome.CANCELLED, Stage.LOOKUP_SENT)
    assert rec.lookup_sent_at is not None and rec.error_reason == "cancelled by the user"
    assert h.pipeline.state is PipelineState.WAITING
    # the pipeline keeps working afterwards
    h.pipeline.submit_payload(URL)
    assert h.pipeline.wait_idle(5)
    assert [r.outcome for r in h.log.records] == [Outcome.CANCELLED, Outcome.NOT_ID_CARD]


def test_stop_with_a_hanging_lookup_and_a_live_source_joins_every_thread(make: Any) -> None:
    before = set(threading.enumerate())
    client = HangingClient()
    source = LiveSource()
    h = make(client=client, source=source, steps=[NOTHING, BLUR, card(CARD_A)])
    h.pipeline.start()
    source.push(0)
    source.push(2)
    assert client.started.wait(5)
    source.push(1)
    h.pipeline.stop(timeout=5)
    assert set(threading.enumerate()) - before == set()
    assert h.pipeline.state is PipelineState.STOPPED
    assert [(r.outcome, r.error_reason) for r in h.log.records] == [
        (Outcome.CANCELLED, "cancelled: the pipeline stopped")]
    assert source.closed
    h.pipeline.stop()  # idempotent


def test_live_camera_card_gone_ends_unreadable_by_clock(make: Any) -> None:
    source = LiveSource()
    h = make(source=source, steps=[NOTHING, BLUR], timing=TrackerTiming(gone_s=0.2))
    h.pipeline.start()
    source.push(1)
    deadline = time.monotonic() + 5
    while h.pipeline.state is not PipelineState.READING and time.monotonic() < deadline:
        time.sleep(0.01)
    source.push(0)  # the card has gone; the decoder's clock ticks on without frames too
    while not h.log.records and time.monotonic() < deadline:
        time.sleep(0.02)
    (rec,) = h.log.records
    assert rec.outcome is Outcome.UNREADABLE and rec.frames_to_read == 1
    assert any(e.kind is EventKind.FRAME and e.frame is not None for e in h.events)
    assert h.pipeline.state is PipelineState.WAITING


def test_cancel_while_reading_records_cancelled(make: Any) -> None:
    source = LiveSource()
    h = make(source=source, steps=[NOTHING, BLUR])
    h.pipeline.start()
    source.push(1)
    deadline = time.monotonic() + 5
    while h.pipeline.state is not PipelineState.READING and time.monotonic() < deadline:
        time.sleep(0.01)
    h.pipeline.cancel()
    (rec,) = h.log.records
    assert rec.outcome is Outcome.CANCELLED and rec.stage is Stage.SEEN


def test_log_failure_is_an_error_event_and_the_pipeline_goes_on(make: Any) -> None:
    h = make(log=MemoryLog(fail_first=1))
    h.pipeline.start()
    lost = h.pipeline.submit_payload(URL)
    kept = h.pipeline.submit_payload(CARD_A)
    assert h.pipeline.wait_idle(5)
    assert [r.attempt_id for r in h.log.records] == [kept]
    errors = [e.error for e in h.events if e.kind is EventKind.ERROR]
    assert len(errors) == 1 and lost in (errors[0] or "") and "disk full" in (errors[0] or "")


def test_broken_listener_does_not_stop_the_pipeline(make: Any) -> None:
    h = make()
    h.pipeline.add_listener(lambda e: 1 / 0)
    h.pipeline.start()
    h.pipeline.submit_payload(CARD_A)
    assert h.pipeline.wait_idle(5)
    assert [r.outcome for r in h.log.records] == [Outcome.ELIGIBLE]


def test_missing_lookup_settings_give_setup_error_records(tmp_path: Path) -> None:
    log = MemoryLog()
    pipeline = KioskPipeline(config=KioskConfig(kiosk_id="k", facility_code="27001"), log=log,  # type: ignore[arg-type]
                             hasher=HASHER)
    events: list[PipelineEvent] = []
    pipeline.add_listener(events.append)
    pipeline.start()
    try:
        pipeline.submit_payload(CARD_A)
        assert pipeline.wait_idle(5)
    finally:
        pipeline.stop()
    (rec,) = log.records
    assert rec.outcome is Outcome.SETUP_ERROR and rec.lookup_sent_at is None
    assert rec.error_reason is not None and rec.error_reason.startswith("setup-error: service_url")
    assert any(e.kind is EventKind.ERROR for e in events)


def test_unopenable_source_is_an_error_state(make: Any) -> None:
    from scanner.sources.base import SourceError

    class Broken(ScriptSource):
        def _open(self) -> None:
            raise SourceError("no such camera")

    h = make(source=Broken(1))
    h.pipeline.start()
    assert h.pipeline.state is PipelineState.ERROR
    assert any(e.kind is EventKind.SOURCE_FAILED and "no such camera" in (e.error or "") for e in h.events)


def test_switching_the_camera_cancels_the_card_being_read(make: Any) -> None:
    first, second = LiveSource(), LiveSource()
    h = make(source=first, steps=[NOTHING, BLUR, card(CARD_A)])
    h.pipeline.start()
    first.push(1)
    deadline = time.monotonic() + 5
    while h.pipeline.state is not PipelineState.READING and time.monotonic() < deadline:
        time.sleep(0.01)
    h.pipeline.set_source(second)
    assert first.closed and h.pipeline.source is second
    second.push(2)
    while len(h.log.records) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert [(r.outcome, r.error_reason) for r in h.log.records] == [
        (Outcome.CANCELLED, "cancelled: the camera was changed"), (Outcome.ELIGIBLE, None)]


def test_submission_after_stop_is_recorded_as_cancelled(make: Any) -> None:
    h = make()
    h.pipeline.start()
    h.pipeline.stop()
    attempt_id = h.pipeline.submit_manual("001098012345", "NGUYỄN VĂN A", "15/08/1998")
    assert [(r.attempt_id, r.outcome) for r in h.log.records] == [(attempt_id, Outcome.CANCELLED)]


# ---------------------------------------------------------------------------------- real client, real service


@pytest.fixture(scope="module")
def hanging_service() -> Iterator[Any]:
    """The demo environment (real uvicorn service on 127.0.0.1) with every request hanging for 30 s."""
    from kiosk.standins.demo import DemoEnvironment

    with DemoEnvironment(population_size=60) as demo:
        demo.set_faults("hang=1")
        yield demo


def _real_client(demo: Any) -> Any:
    import copy

    from kiosk.client import LookupClient

    config = copy.deepcopy(demo.config)
    config.read_timeout_s = 30.0  # far longer than any wait below: only aborting the request ends it
    return LookupClient(config)


def _wait_until(condition: Any, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return bool(condition())


def _thread_names() -> list[str]:
    return sorted(t.name for t in threading.enumerate())


LOOKUP_THREADS = ["lookup-loop"]  # without a frame source: the worker and every lookup


def test_cancel_aborts_a_real_hanging_lookup(make: Any, hanging_service: Any) -> None:
    before = set(_thread_names())
    h = make(client=_real_client(hanging_service))
    h.pipeline.start()
    attempt_id = h.pipeline.submit_payload(hanging_service.person_for(Outcome.ELIGIBLE).payload)
    assert _wait_until(lambda: h.pipeline.state is PipelineState.LOOKING_UP)
    time.sleep(0.3)  # the request is on the wire, the service sits on it
    assert sorted(set(_thread_names()) - before) == LOOKUP_THREADS  # no thread per lookup or per call
    h.pipeline.cancel()
    assert h.pipeline.wait_idle(3.0)  # well before the 30 s read timeout
    (rec,) = h.log.records
    assert (rec.attempt_id, rec.outcome, rec.stage) == (attempt_id, Outcome.CANCELLED, Stage.LOOKUP_SENT)
    assert rec.error_reason == "cancelled by the user" and rec.http_attempts == 1
    assert h.pipeline.state is PipelineState.WAITING


def test_stop_during_a_real_hanging_lookup_joins_every_thread(make: Any, hanging_service: Any,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    before = set(threading.enumerate())
    h = make(client=_real_client(hanging_service))
    h.pipeline.start()
    h.pipeline.submit_payload(hanging_service.person_for(Outcome.ELIGIBLE).payload)
    assert _wait_until(lambda: h.pipeline.state is PipelineState.LOOKING_UP)
    time.sleep(0.3)
    with caplog.at_level("ERROR", logger="kiosk"):
        h.pipeline.stop(timeout=5)
    assert set(threading.enumerate()) - before == set()
    assert [r.message for r in caplog.records if r.name.startswith("kiosk")] == []  # nothing left running
    assert [(r.outcome, r.error_reason) for r in h.log.records] == [
        (Outcome.CANCELLED, "cancelled: the pipeline stopped")]
    assert h.pipeline.state is PipelineState.STOPPED


def test_the_transition_table() -> None:
    from itertools import accumulate

    from kiosk.pipeline import next_state

    s, e = PipelineState, EventKind
    path = [e.STARTED, e.CARD_SEEN, e.CARD_READ, e.LOOKING_UP, e.RESULT, e.RESET, e.STOPPED]
    assert list(accumulate(path, next_state, initial=s.STOPPED)) == [
        s.STOPPED, s.WAITING, s.READING, s.READING, s.LOOKING_UP, s.RESULT, s.WAITING, s.STOPPED]
    assert next_state(s.LOOKING_UP, e.CARD_SEEN) is s.LOOKING_UP  # a card seen meanwhile waits for this lookup
    assert next_state(s.LOOKING_UP, e.ATTEMPT_ENDED) is s.WAITING  # the lookup was cancelled
    assert next_state(s.READING, e.ATTEMPT_ENDED) is s.WAITING  # unreadable
    assert next_state(s.RESULT, e.SOURCE_LOST) is s.RESULT  # the answer stays on screen
    assert next_state(s.READING, e.SOURCE_LOST) is s.ERROR and next_state(s.ERROR, e.SOURCE_RESTORED) is s.WAITING
    assert all(next_state(state, kind) is state for state in s for kind in (e.FRAME, e.ERROR))


def test_the_state_changes_only_through_the_table() -> None:
    """Every assignment of the pipeline's state is the transition in ``emit``."""
    import inspect

    from kiosk.pipeline import pipeline as module

    source = inspect.getsource(module)
    assert source.count("self._state = ") == 2  # the initial STOPPED, and next_state() in emit
    assert "self._state = next_state(self._state, kind)" in source


def test_the_threads_while_a_card_is_looked_up(tmp_path: Path) -> None:
    """Capture, decode, the lookup loop and the log writer (and the caller's own thread, the GUI in the app)."""
    from kiosk.lookup_log import LookupLog

    before = set(threading.enumerate())
    client, source = HangingClient(), LiveSource()
    log = LookupLog(tmp_path / "lookups.db")
    pipeline = KioskPipeline(config=CONFIG, client=client, log=log, source=source,  # type: ignore[arg-type]
                             stream_reader=FakeReader([NOTHING]), hasher=HASHER)  # type: ignore[arg-type]
    try:
        pipeline.start()
        source.push(0)
        pipeline.submit_payload(CARD_A)
        assert client.started.wait(5)
        running = sorted(t.name for t in set(threading.enumerate()) - before)
        assert running == ["lookup-log-writer", "lookup-loop", "pipeline-capture", "pipeline-decode"]
    finally:
        pipeline.stop()
        log.close()
    assert set(threading.enumerate()) - before == set()


def test_a_payload_submitted_before_start_is_looked_up_after_it(make: Any) -> None:
    h = make()
    attempt_id = h.pipeline.submit_payload(CARD_A)
    h.pipeline.start()
    assert h.pipeline.wait_idle(5)
    assert [(r.attempt_id, r.outcome) for r in h.log.records] == [(attempt_id, Outcome.ELIGIBLE)]
