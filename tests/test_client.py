"""Unit tests of the signed lookup client against ``httpx.MockTransport``.

The mock service is strict: it verifies every request signature with the service's own policy
(``RequestVerifier`` with a replay cache, so a retry that reused a nonce would be refused) and signs its
responses bound to the request, exactly as the real service does.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import BlockingLookups
from threads import run_in_threads

from kiosk.client import MAX_RESPONSE_BYTES, LookupClient
from kiosk.config import ConfigError, KioskConfig
from kiosk.eligibility import EligibilityResult, LookupRequest, parse_answer
from kiosk.lookup_policy import BreakerState, CircuitBreaker, TryKind
from kiosk.outcomes import RESULT_CODES, RETRYABLE_RESULT_CODES, Outcome, outcome_for_result_code
from kiosk.signing.keys import generate_private_key, public_key_jwk, save_private_key, save_public_key
from kiosk.signing.service_verifier import ReplayCache, RequestVerifier, sign_response_headers
from scanner.dates import PartialDate

KIOSK_ID = "kiosk-27001-a"
OPERATOR_ID = "027085001234"


@dataclass
class Keys:
    kiosk_private: Path
    kiosk_public: Any
    service_private: Any
    service_public_pem: Path
    other_private: Any


@pytest.fixture
def keys(tmp_path: Path) -> Keys:
    kiosk = generate_private_key()
    save_private_key(kiosk, tmp_path / "kiosk.pem")
    service = generate_private_key()
    save_public_key(service.public_key(), tmp_path / "service.pub.pem")
    return Keys(tmp_path / "kiosk.pem", kiosk.public_key(), service, tmp_path / "service.pub.pem",
                generate_private_key())


def make_config(keys: Keys, **changes: Any) -> KioskConfig:
    config = KioskConfig(
        kiosk_id=KIOSK_ID,
        facility_code="27001",
        operator_name="Trần Thị Lan",
        operator_id=OPERATOR_ID,
        service_url="http://eligibility.test",
        service_key=str(keys.service_public_pem),
        private_key=keys.kiosk_private,
    )
    for name, value in changes.items():
        setattr(config, name, value)
    return config


def insurance_body(**changes: Any) -> dict[str, Any]:
    body = {
        "card_number": "GD4272720000123",
        "bhxh_number": "2720000123",
        "object_group": "GD",
        "benefit_level": 4,
        "coverage_percent": 80,
        "valid_from": "2025-01-01",
        "valid_to": "2025-12-31",
        "primary_facility": {"code": "27001", "name": "Bệnh viện Đa khoa tỉnh Bắc Ninh"},
        "area_code": None,
        "five_years_continuous_from": "2020-01-01",
        "new_card": False,
    }
    body.update(changes)
    return body


def answer_body(code: str = "000", *, eligible: bool | None = None, insurance: Any = "default") -> dict[str, Any]:
    outcome = outcome_for_result_code(code)
    return {
        "result_code": code,
        "eligible": outcome.eligible if eligible is None else eligible,
        "person": {"full_name": "Nguyễn Văn An", "date_of_birth": "1998-08-15", "sex": "Nam", "address": "Bắc Ninh"},
        "insurance": (insurance_body() if outcome.eligible else None) if insurance == "default" else insurance,
        "checked_at": "2025-06-01T08:30:00+07:00",
        "lookup_id": f"lk-{code}",
    }


Reply = Callable[[httpx.Request], httpx.Response] | dict[str, Any] | tuple[int, Any] | Exception


@dataclass
class MockService:
    """Answers scripted replies in order (the last one repeats), checking each request's signature."""

    keys: Keys
    replies: list[Reply] = field(default_factory=list)
    requests: list[httpx.Request] = field(default_factory=list)
    bodies: list[dict[str, Any]] = field(default_factory=list)
    nonces: list[str] = field(default_factory=list)
    timeouts: list[dict[str, float]] = field(default_factory=list)
    on_request: Callable[[], None] | None = None

    def __post_init__(self) -> None:
        self.verifier = RequestVerifier(
            lambda keyid: self.keys.kiosk_public if keyid == KIOSK_ID else None, ReplayCache()
        )
        self.lock = threading.Lock()

    def signed(self, status: int, payload: Any, verified: Any, *, key: Any = None,
               content_type: str = "application/json") -> httpx.Response:
        raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        headers = sign_response_headers(
            status, [("content-type", content_type)], raw, key or self.keys.service_private,
            request_signature=verified,
        )
        return httpx.Response(status, headers=headers, content=raw)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        verified = self.verifier.verify(request.method, str(request.url), list(request.headers.multi_items()),
                                        request.content)
        with self.lock:
            self.requests.append(request)
            self.bodies.append(json.loads(request.content))
            self.nonces.append(verified.nonce)
            self.timeouts.append(dict(request.extensions["timeout"]))
            index = len(self.requests) - 1
            reply = self.replies[min(index, len(self.replies) - 1)] if self.replies else answer_body()
        if self.on_request is not None:
            self.on_request()
        if isinstance(reply, Exception):
            raise reply
        if callable(reply):
            return reply(request)
        if isinstance(reply, tuple):
            status, payload = reply
            return self.signed(status, payload, verified)
        return self.signed(200, reply, verified)


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def lookup_request(dob: PartialDate | str = "1998-08-15") -> LookupRequest:
    return LookupRequest("027098001234", "Nguyễn Văn An", dob, "27001", "Trần Thị Lan", OPERATOR_ID)


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


def make_client(keys: Keys, service: MockService, fake_time: FakeTime, **changes: Any) -> BlockingLookups:
    return BlockingLookups(LookupClient(make_config(keys, **changes), transport=httpx.MockTransport(service),
                                        clock=fake_time.clock, sleep=fake_time.sleep))


def run_lookup(keys: Keys, replies: list[Reply], fake_time: FakeTime, **changes: Any
               ) -> tuple[EligibilityResult, MockService]:
    service = MockService(keys, replies)
    with make_client(keys, service, fake_time, **changes) as client:
        return client.lookup(lookup_request()), service


# --------------------------------------------------------------------- answers


@pytest.mark.parametrize("code", [c for c in RESULT_CODES if c not in RETRYABLE_RESULT_CODES])
def test_every_result_code_maps_to_its_outcome(keys: Keys, fake_time: FakeTime, code: str) -> None:
    result, service = run_lookup(keys, [answer_body(code)], fake_time)
    expected = outcome_for_result_code(code)
    assert result.outcome is expected
    assert result.result_code == code
    assert result.eligible is expected.eligible
    assert result.attempts == 1 and len(service.requests) == 1
    assert result.lookup_id == f"lk-{code}"
    assert (result.insurance is not None) is expected.eligible
    if expected in (Outcome.SETUP_ERROR, Outcome.SERVICE_ERROR):
        assert result.reason == f"result code {code}"


@pytest.mark.parametrize("code", sorted(RETRYABLE_RESULT_CODES))
def test_transient_result_codes_are_retried_then_service_error(keys: Keys, fake_time: FakeTime, code: str) -> None:
    result, service = run_lookup(keys, [answer_body(code)], fake_time)
    assert result.outcome is Outcome.SERVICE_ERROR
    assert result.result_code == code and result.reason == f"result code {code}"
    assert result.attempts == 3 and len(service.requests) == 3
    assert fake_time.sleeps == [0.2, 0.4]


def test_transient_code_then_answer(keys: Keys, fake_time: FakeTime) -> None:
    result, _ = run_lookup(keys, [answer_body("500"), answer_body("000")], fake_time)
    assert result.outcome is Outcome.ELIGIBLE and result.eligible and result.attempts == 2


def test_unknown_result_code_is_a_service_error_not_retried(keys: Keys, fake_time: FakeTime) -> None:
    result, _ = run_lookup(keys, [answer_body("999")], fake_time)
    assert result.outcome is Outcome.SERVICE_ERROR and not result.eligible
    assert result.reason == "result code 999 (unknown)" and result.attempts == 1


def test_eligible_answer_is_parsed_fully(keys: Keys, fake_time: FakeTime) -> None:
    result, _ = run_lookup(keys, [answer_body("000")], fake_time)
    assert result.outcome is Outcome.ELIGIBLE and result.eligible and result.reason is None
    ins = result.insurance
    assert ins is not None
    assert ins.card_number == "GD4272720000123" and ins.benefit_level == 4 and ins.coverage_percent == 80
    assert ins.valid_from == date(2025, 1, 1) and ins.valid_to == date(2025, 12, 31)
    assert ins.primary_facility.code == "27001" and ins.five_years_continuous_from == date(2020, 1, 1)
    assert ins.area_code is None and ins.new_card is False
    assert result.person is not None and result.person.full_name == "Nguyễn Văn An"
    assert result.checked_at is not None and result.checked_at.utcoffset() is not None
    data = result.to_json()
    assert json.loads(json.dumps(data)) == data
    assert data["outcome"] == "eligible" and data["insurance"]["valid_to"] == "2025-12-31"
    assert data["insurance"]["primary_facility"] == {"code": "27001", "name": "Bệnh viện Đa khoa tỉnh Bắc Ninh"}
    assert set(data) >= {"outcome", "result_code", "eligible", "insurance", "person", "checked_at", "lookup_id",
                         "reason", "elapsed_ms"}


def test_wire_body_and_partial_date_of_birth(keys: Keys, fake_time: FakeTime) -> None:
    service = MockService(keys, [answer_body()])
    with make_client(keys, service, fake_time) as client:
        client.lookup(lookup_request(PartialDate(1998, 8)))
        client.lookup(lookup_request(PartialDate(1998)))
    request = service.requests[0]
    assert request.method == "POST" and request.url.path == "/v1/eligibility/lookups"
    assert request.headers["content-type"] == "application/json"
    assert service.bodies[0] == {
        "id_number": "027098001234", "full_name": "Nguyễn Văn An", "date_of_birth": "1998-08",
        "facility_code": "27001", "operator": {"name": "Trần Thị Lan", "id_number": OPERATOR_ID},
    }
    assert service.bodies[1]["date_of_birth"] == "1998"


def test_bad_date_of_birth_text_is_a_setup_error_without_request(keys: Keys, fake_time: FakeTime) -> None:
    service = MockService(keys, [answer_body()])
    with make_client(keys, service, fake_time) as client:
        result = client.lookup(lookup_request("15/08/1998"))
    assert result.outcome is Outcome.SETUP_ERROR and result.attempts == 0 and not service.requests
    assert "date_of_birth" in (result.reason or "")


@pytest.mark.parametrize(("code", "says"), [("000", False), ("010", True), ("003", False)])
def test_eligible_flag_disagreeing_with_code_is_a_service_error(
    keys: Keys, fake_time: FakeTime, code: str, says: bool, caplog: pytest.LogCaptureFixture
) -> None:
    result, _ = run_lookup(keys, [answer_body(code, eligible=says)], fake_time)
    assert result.outcome is Outcome.SERVICE_ERROR and result.eligible is False
    assert result.result_code == code and "inconsistent" in (result.reason or "")
    assert any("inconsistent" in r.message for r in caplog.records)


def test_eligible_code_without_insurance_is_not_eligible(keys: Keys, fake_time: FakeTime) -> None:
    result, _ = run_lookup(keys, [answer_body("000", insurance=None)], fake_time)
    assert result.outcome is Outcome.SERVICE_ERROR and not result.eligible


# --------------------------------------------------------------------- failures


def _raise(exc_type: type[httpx.TransportError], message: str) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc_type(message, request=request)

    return handler


@pytest.mark.parametrize(
    ("reply", "outcome", "reason_start", "attempts"),
    [
        ((503, {"title": "unavailable"}), Outcome.SERVICE_ERROR, "HTTP 503", 3),
        ((502, {}), Outcome.SERVICE_ERROR, "HTTP 502", 3),
        ((504, {}), Outcome.SERVICE_ERROR, "HTTP 504", 3),
        ((500, {"title": "boom"}), Outcome.SERVICE_ERROR, "HTTP 500", 1),
        ((404, {}), Outcome.SERVICE_ERROR, "HTTP 404", 1),
        (_raise(httpx.ConnectError, "refused"), Outcome.SERVICE_ERROR, "cannot connect", 3),
        (_raise(httpx.ConnectTimeout, "slow"), Outcome.TIMEOUT, "connect timeout", 3),
        (_raise(httpx.ReadTimeout, "slow"), Outcome.TIMEOUT, "read timeout after 10.0 s", 1),
        (_raise(httpx.RemoteProtocolError, "peer closed"), Outcome.SERVICE_ERROR, "connection dropped", 3),
        (_raise(httpx.ReadError, "reset"), Outcome.SERVICE_ERROR, "connection dropped", 3),
        ((200, b"<html>oops"), Outcome.SERVICE_ERROR, "malformed response: body is not JSON", 1),
        ((200, {"eligible": True}), Outcome.SERVICE_ERROR, "malformed response: result_code: missing", 1),
        ((200, [1, 2]), Outcome.SERVICE_ERROR, "malformed response: body", 1),
        ((200, {**answer_body(), "result_code": "0000"}), Outcome.SERVICE_ERROR, "malformed response: result_code", 1),
        ((200, {**answer_body(), "insurance": insurance_body(valid_to="31/12/2025")}), Outcome.SERVICE_ERROR,
         "malformed response: insurance.valid_to", 1),
        ((200, {**answer_body(), "insurance": insurance_body(benefit_level="4")}), Outcome.SERVICE_ERROR,
         "malformed response: insurance.benefit_level", 1),
    ],
)
def test_failure_modes(keys: Keys, fake_time: FakeTime, reply: Reply, outcome: Outcome, reason_start: str,
                       attempts: int) -> None:
    result, service = run_lookup(keys, [reply], fake_time)
    assert result.outcome is outcome
    assert (result.reason or "").startswith(reason_start), result.reason
    assert result.attempts == attempts == len(service.requests)
    assert not result.eligible and result.insurance is None
    assert fake_time.sleeps == [0.2, 0.4][: attempts - 1]


def test_retry_then_success_resigns_with_fresh_nonces(keys: Keys, fake_time: FakeTime) -> None:
    replies: list[Reply] = [(503, {}), _raise(httpx.ConnectError, "refused"), answer_body("000")]
    result, service = run_lookup(keys, replies, fake_time)
    assert result.outcome is Outcome.ELIGIBLE and result.attempts == 3
    assert len(set(service.nonces)) == 3  # the strict verifier would also refuse a replayed nonce
    signatures = {r.headers["signature"] for r in service.requests}
    assert len(signatures) == 3
    assert fake_time.sleeps == [0.2, 0.4]


def test_no_retries_when_configured(keys: Keys, fake_time: FakeTime) -> None:
    result, _ = run_lookup(keys, [(503, {})], fake_time, retries=0)
    assert result.attempts == 1 and fake_time.sleeps == []


def test_401_is_a_setup_error_with_the_problem_reason(keys: Keys, fake_time: FakeTime) -> None:
    problem = {"type": "about:blank", "title": "Signature rejected", "status": 401,
               "detail": "no trusted key for keyid 'kiosk-x'", "reason": "unknown-keyid"}
    result, _ = run_lookup(keys, [(401, problem)], fake_time)
    assert result.outcome is Outcome.SETUP_ERROR and result.attempts == 1
    assert result.reason == "HTTP 401: service rejected the kiosk: unknown-keyid"  # the code, not the detail text


def test_a_problem_echoing_the_id_number_is_not_kept(keys: Keys, fake_time: FakeTime,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    """The problem's text is the other side's (it may echo a name, not only a number): the status alone is kept."""
    problem = {"title": "Refused", "detail": "so_cccd 027098001234 is blocked"}
    with caplog.at_level("DEBUG", logger="kiosk"):
        result, _ = run_lookup(keys, [(403, problem)], fake_time)
    assert result.outcome is Outcome.SERVICE_ERROR and result.reason == "HTTP 403"
    assert "027098001234" not in caplog.text and "is blocked" not in caplog.text


def test_422_is_a_setup_error_naming_fields(keys: Keys, fake_time: FakeTime) -> None:
    problem = {"title": "Invalid lookup", "status": 422,
               "errors": [{"field": "date_of_birth", "message": "bad"}, {"field": "operator.id_number"}]}
    result, _ = run_lookup(keys, [(422, problem)], fake_time)
    assert result.outcome is Outcome.SETUP_ERROR and result.attempts == 1
    assert "kiosk bug" in (result.reason or "")
    assert "date_of_birth" in (result.reason or "") and "operator.id_number" in (result.reason or "")
    fastapi_style = {"detail": [{"loc": ["body", "facility_code"], "msg": "too short"}]}
    result, _ = run_lookup(keys, [(422, fastapi_style)], fake_time)
    assert "facility_code" in (result.reason or "")


# --------------------------------------------------------------------- response signatures


def test_unsigned_response_is_rejected(keys: Keys, fake_time: FakeTime) -> None:
    def unsigned(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=answer_body("000"))

    result, _ = run_lookup(keys, [unsigned], fake_time)
    assert result.outcome is Outcome.REJECTED_SIGNATURE and not result.eligible and result.insurance is None
    assert (result.reason or "").startswith("response signature invalid: unsigned")
    assert result.attempts == 1


def test_response_signed_by_another_key_is_rejected(keys: Keys, fake_time: FakeTime) -> None:
    service = MockService(keys)

    def other_key(request: httpx.Request) -> httpx.Response:
        verified = RequestVerifier(lambda k: keys.kiosk_public, ReplayCache()).verify(
            request.method, str(request.url), list(request.headers.multi_items()), request.content)
        return service.signed(200, answer_body("000"), verified, key=keys.other_private)

    service.replies = [other_key]
    with make_client(keys, service, fake_time) as client:
        result = client.lookup(lookup_request())
    assert result.outcome is Outcome.REJECTED_SIGNATURE
    assert "service-key-mismatch" in (result.reason or "")


def test_tampered_body_is_rejected(keys: Keys, fake_time: FakeTime) -> None:
    service = MockService(keys)

    def tampered(request: httpx.Request) -> httpx.Response:
        verified = RequestVerifier(lambda k: keys.kiosk_public, ReplayCache()).verify(
            request.method, str(request.url), list(request.headers.multi_items()), request.content)
        genuine = service.signed(200, answer_body("010"), verified)
        forged = json.dumps(answer_body("000")).encode()
        headers = [(k, v) for k, v in genuine.headers.multi_items() if k.lower() != "content-length"]
        return httpx.Response(200, headers=headers, content=forged)

    service.replies = [tampered]
    with make_client(keys, service, fake_time) as client:
        result = client.lookup(lookup_request())
    assert result.outcome is Outcome.REJECTED_SIGNATURE and not result.eligible
    assert "digest" in (result.reason or "")


def test_unsigned_503_from_a_proxy_stays_transient(keys: Keys, fake_time: FakeTime) -> None:
    def proxy(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, text="Service Unavailable")

    result, _ = run_lookup(keys, [proxy, answer_body("000")], fake_time)
    assert result.outcome is Outcome.ELIGIBLE and result.attempts == 2


def test_unsigned_401_is_rejected(keys: Keys, fake_time: FakeTime) -> None:
    def forged(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"detail": "forged"})

    result, _ = run_lookup(keys, [forged], fake_time)
    assert result.outcome is Outcome.REJECTED_SIGNATURE


# --------------------------------------------------------------------- circuit breaker


def test_breaker_opens_fails_fast_half_opens_and_closes(keys: Keys, fake_time: FakeTime) -> None:
    service = MockService(keys, [(503, {})])
    with make_client(keys, service, fake_time, breaker_threshold=2, breaker_reset_s=30.0, retries=1) as client:
        assert client.breaker.state is BreakerState.CLOSED
        client.lookup(lookup_request())
        assert client.breaker.state is BreakerState.CLOSED and client.breaker.consecutive_failures == 1
        client.lookup(lookup_request())
        assert client.breaker.state is BreakerState.OPEN
        sent = len(service.requests)
        result = client.lookup(lookup_request())
        assert result.outcome is Outcome.SERVICE_ERROR and result.reason == "circuit open"
        assert result.attempts == 0 and len(service.requests) == sent
        fake_time.now += 30.0
        assert client.breaker.state is BreakerState.HALF_OPEN
        # The trial fails: open again at once, without waiting for the threshold.
        result = client.lookup(lookup_request())
        assert result.reason == "HTTP 503" and client.breaker.state is BreakerState.OPEN
        fake_time.now += 30.0
        service.replies = [answer_body("000")]
        result = client.lookup(lookup_request())
        assert result.outcome is Outcome.ELIGIBLE and client.breaker.state is BreakerState.CLOSED
        assert client.breaker.consecutive_failures == 0


def test_definitive_answers_and_setup_errors_keep_the_breaker_closed(keys: Keys, fake_time: FakeTime) -> None:
    service = MockService(keys, [answer_body("050"), (401, {"detail": "x"}), (422, {}), answer_body("010")])
    with make_client(keys, service, fake_time, breaker_threshold=1) as client:
        for _ in range(4):
            client.lookup(lookup_request())
            assert client.breaker.state is BreakerState.CLOSED


def test_timeouts_and_malformed_count_for_the_breaker(keys: Keys, fake_time: FakeTime) -> None:
    service = MockService(keys, [_raise(httpx.ReadTimeout, "slow")])
    with make_client(keys, service, fake_time, breaker_threshold=1) as client:
        assert client.lookup(lookup_request()).outcome is Outcome.TIMEOUT
        assert client.breaker.state is BreakerState.OPEN


def test_half_open_lets_one_trial_through_among_concurrent_lookups(keys: Keys, fake_time: FakeTime) -> None:
    gate = threading.Event()
    service = MockService(keys, [answer_body("000")])

    async def gated(request: httpx.Request) -> httpx.Response:
        while not gate.is_set():  # the trial stays in flight while the other lookups ask
            await asyncio.sleep(0.005)
        return service(request)

    config = make_config(keys, breaker_threshold=1, breaker_reset_s=10.0)
    lookups = LookupClient(config, transport=httpx.MockTransport(gated), clock=fake_time.clock, sleep=fake_time.sleep)
    with BlockingLookups(lookups) as client:
        client.breaker.record(TryKind.TRANSIENT)
        assert client.breaker.state is BreakerState.OPEN and not client.breaker.allow()
        fake_time.now += 10.0
        pending = [client.start(lookup_request()) for _ in range(8)]
        refused = [f.result(5) for f in pending[1:]]
        gate.set()
        trial = pending[0].result(5)
    assert trial.outcome is Outcome.ELIGIBLE and len(service.requests) == 1
    assert [r.reason for r in refused] == ["circuit open"] * 7
    assert client.breaker.state is BreakerState.CLOSED


def test_breaker_rejects_bad_settings() -> None:
    with pytest.raises(ValueError):
        CircuitBreaker(0, 1.0)


# --------------------------------------------------------------------- cancellation and deadline


def test_cancelled_before_sending(keys: Keys, fake_time: FakeTime) -> None:
    service = MockService(keys, [answer_body()])
    inside, release = threading.Event(), threading.Event()

    async def block_the_loop() -> None:
        inside.set()
        release.wait(5)  # the lookup is started and cancelled meanwhile: it never runs

    with make_client(keys, service, fake_time) as client:
        stall = client.loop.submit(block_the_loop())
        assert inside.wait(5)
        pending = client.start(lookup_request())
        client.cancel(pending)
        release.set()
        stall.result(5)
        with pytest.raises(concurrent.futures.CancelledError):
            pending.result(5)
        assert client.breaker.state is BreakerState.CLOSED and client.breaker.allow()
    assert not service.requests


def test_cancel_during_backoff_stops_retrying(keys: Keys, fake_time: FakeTime) -> None:
    service = MockService(keys, [(503, {})])

    async def sleep_and_cancel(seconds: float) -> None:
        await fake_time.sleep(seconds)
        task = asyncio.current_task()
        assert task is not None
        task.cancel()
        await asyncio.sleep(0)

    client = BlockingLookups(LookupClient(make_config(keys), transport=httpx.MockTransport(service),
                                          clock=fake_time.clock, sleep=sleep_and_cancel))
    with client:
        result = client.lookup(lookup_request())
        assert result.outcome is Outcome.CANCELLED and result.attempts == 1
        assert result.reason == "cancelled after 1 tries (HTTP 503)"
        assert client.breaker.consecutive_failures == 0  # a cancelled lookup says nothing about the service


def test_cancel_wakes_a_real_backoff_wait(keys: Keys) -> None:
    service = MockService(keys, [(503, {})])
    # Real clock and sleep: a 5 s backoff that the cancel must cut short (pytest-timeout guards it).
    with BlockingLookups(LookupClient(make_config(keys, backoff_s=5.0), transport=httpx.MockTransport(service))
                         ) as client:
        started: list[concurrent.futures.Future[EligibilityResult]] = []
        ready = threading.Event()

        def cancel_soon() -> None:  # 50 ms after the first answer: the client is backing off by then
            threading.Timer(0.05, lambda: ready.wait(5) and client.cancel(started[0])).start()

        service.on_request = cancel_soon
        started.append(client.start(lookup_request()))
        ready.set()
        result = started[0].result(5)
    assert result.outcome is Outcome.CANCELLED and result.attempts == 1


def test_deadline_clips_timeouts_and_stops_retries(keys: Keys, fake_time: FakeTime) -> None:
    service = MockService(keys, [(503, {})])

    def slow() -> None:
        fake_time.now += 6.0  # each try takes 6 s of the 11 s deadline

    service.on_request = slow
    with make_client(keys, service, fake_time, read_timeout_s=10.0, connect_timeout_s=3.0) as client:
        result = client.lookup(lookup_request())
    assert result.outcome is Outcome.SERVICE_ERROR and result.attempts == 2
    assert service.timeouts[0]["read"] == pytest.approx(10.0) and service.timeouts[0]["connect"] == 3.0
    assert service.timeouts[1]["read"] == pytest.approx(11.0 - 6.2)
    assert fake_time.sleeps == [0.2]
    assert result.elapsed_ms == pytest.approx(12_200.0)


class TricklingServer:
    """A raw-socket HTTP server that sends its headers, then one body byte every ``interval`` s: each socket
    read gets data well within the read timeout, so only the lookup's own deadline can end the try."""

    def __init__(self, interval: float = 0.2, body_bytes: int = 200) -> None:
        self.interval = interval
        self.body_bytes = body_bytes
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.1)
        self.port = self.listener.getsockname()[1]
        self.stop = threading.Event()
        self.sent = 0
        self.thread = threading.Thread(target=self._serve, name="trickling-server")
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(5.0)
                conn.recv(65536)  # the request (its rest, if any, is never read)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             b"Content-Length: %d\r\n\r\n" % self.body_bytes)
                for _ in range(self.body_bytes):
                    if self.stop.wait(self.interval):
                        return
                    try:
                        conn.sendall(b" ")
                    except OSError:
                        break  # the client went away
                    self.sent += 1

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.listener.close()


@pytest.fixture
def trickling_server() -> Iterator[TricklingServer]:
    server = TricklingServer()
    yield server
    server.close()


def test_a_huge_answer_is_cut_at_the_size_cap(keys: Keys) -> None:
    """A hostile or broken gateway (a real uvicorn server) answers 200 with an endless body: the client stops reading
    past MAX_RESPONSE_BYTES, hangs up, and says why; nothing is retried."""
    from endless_answer import EndlessAnswer, served

    gateway = EndlessAnswer(offered=200 * 1024 * 1024)
    with served(gateway) as url:
        config = make_config(keys, service_url=url, read_timeout_s=30.0, retries=2)
        with BlockingLookups(LookupClient(config)) as client:
            result = client.lookup(lookup_request())
    assert result.outcome is Outcome.SERVICE_ERROR and result.attempts == 1  # not retried
    assert result.reason == f"response too large: over {MAX_RESPONSE_BYTES} bytes (body not read)"
    assert gateway.hung_up and gateway.sent < 16 * 1024 * 1024  # cut long before the 200 MiB were in


def test_a_compressed_answer_is_refused_unread(keys: Keys) -> None:
    """The client asks for identity; a gzip answer (a small body that decodes to a thousand times its size) is
    refused by its Content-Encoding alone, before its body is read or decoded."""
    import gzip

    from endless_answer import served

    bomb = gzip.compress(b"0" * (8 * 1024 * 1024))
    assert len(bomb) < MAX_RESPONSE_BYTES  # the size cap alone would let it in
    asked: list[bytes] = []

    async def gzip_answer(scope: dict[str, Any], receive: Any, send: Any) -> None:
        asked.append(dict(scope["headers"]).get(b"accept-encoding", b""))
        while (await receive()).get("more_body"):
            pass
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json"), (b"content-encoding", b"gzip")]})
        await send({"type": "http.response.body", "body": bomb})

    with served(gzip_answer) as url:
        config = make_config(keys, service_url=url, retries=2)
        with BlockingLookups(LookupClient(config)) as client:
            result = client.lookup(lookup_request())
    assert asked == [b"identity"]  # asked once, for identity, and not retried
    assert result.outcome is Outcome.REJECTED_SIGNATURE
    assert result.reason == "response signature invalid: content-coding"


def _new_threads(before: set[threading.Thread]) -> list[str]:
    return sorted(t.name for t in set(threading.enumerate()) - before if t.is_alive())


def test_a_trickling_server_is_cut_at_the_deadline(keys: Keys, trickling_server: TricklingServer) -> None:
    config = make_config(keys, service_url=f"http://127.0.0.1:{trickling_server.port}", read_timeout_s=1.0,
                         connect_timeout_s=1.0)
    before = set(threading.enumerate())
    with BlockingLookups(LookupClient(config)) as client:
        started = time.monotonic()
        result = client.lookup(lookup_request())
        elapsed = time.monotonic() - started
        assert _new_threads(before) == ["test-lookup-loop"]  # the loop only: no thread per lookup or per try
        assert client.breaker.consecutive_failures == 1  # a timeout counts against the service
    assert _new_threads(before) == []
    assert result.outcome is Outcome.TIMEOUT and result.attempts == 1  # a timeout is not retried
    assert result.reason == "deadline of 2.0 s passed before the answer was in"
    assert trickling_server.sent >= 3  # the read timeout alone (1 s per read) would never have fired
    assert elapsed < config.lookup_deadline_s + 1.0  # not the 40 s the trickle would take


def test_cancel_aborts_a_trickling_answer(keys: Keys, trickling_server: TricklingServer) -> None:
    config = make_config(keys, service_url=f"http://127.0.0.1:{trickling_server.port}", read_timeout_s=30.0)
    with BlockingLookups(LookupClient(config)) as client:
        pending = client.start(lookup_request())
        time.sleep(0.5)
        client.cancel(pending)
        result = pending.result(5)  # (bench/bench_lookups.py measures how fast)
    assert result.outcome is Outcome.CANCELLED and result.attempts == 1
    assert result.reason == "cancelled while try 1 was in flight"
    assert trickling_server.sent < 10  # cut at the cancel, long before the 200-byte body was in


@pytest.fixture
def stalled_port() -> Iterator[int]:
    """A port whose connects hang: a listener with a full accept queue (Linux drops further SYNs)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    held: list[socket.socket] = []
    try:
        stalled = False
        for _ in range(4):  # fill the queue; the first connect that times out proves the port stalls
            probe = socket.socket()
            probe.settimeout(0.3)
            held.append(probe)
            try:
                probe.connect(("127.0.0.1", port))
            except TimeoutError:
                stalled = True
                break
            except OSError:
                break
        if not stalled:
            pytest.skip("this system refuses connects to a full accept queue instead of stalling them")
        yield port
    finally:
        for sock in held:
            sock.close()
        listener.close()


def test_cancel_aborts_a_stalled_connect(keys: Keys, stalled_port: int) -> None:
    config = make_config(keys, service_url=f"http://127.0.0.1:{stalled_port}", read_timeout_s=30.0,
                         connect_timeout_s=20.0)
    before = set(threading.enumerate())
    with BlockingLookups(LookupClient(config)) as client:
        started = time.monotonic()
        pending = client.start(lookup_request())
        time.sleep(0.3)
        client.cancel(pending)
        result = pending.result(5)
        elapsed = time.monotonic() - started
        assert _new_threads(before) == ["test-lookup-loop"]
    assert result.outcome is Outcome.CANCELLED and result.attempts == 1
    assert elapsed < 3.0  # not the 20 s connect timeout


def test_concurrent_lookups_from_threads(keys: Keys) -> None:
    service = MockService(keys, [answer_body("000")])
    with BlockingLookups(LookupClient(make_config(keys), transport=httpx.MockTransport(service))) as client:
        batches = run_in_threads(lambda: [client.lookup(lookup_request()) for _ in range(5)], 6)
    results = [r for batch in batches for r in batch]
    assert len(results) == 30 and all(r.outcome is Outcome.ELIGIBLE for r in results)
    assert len(set(service.nonces)) == 30


# --------------------------------------------------------------------- keys and set-up



def test_service_key_as_inline_jwk(keys: Keys, fake_time: FakeTime) -> None:
    jwk = json.dumps(public_key_jwk(keys.service_private.public_key()))
    result, _ = run_lookup(keys, [answer_body("000")], fake_time, service_key=jwk)
    assert result.outcome is Outcome.ELIGIBLE


def test_unusable_keys_raise_config_errors(keys: Keys, tmp_path: Path) -> None:
    bad = tmp_path / "bad.pem"
    bad.write_text("not a key")
    with pytest.raises(ConfigError, match=r"^private_key: "):
        LookupClient(make_config(keys, private_key=bad))
    with pytest.raises(ConfigError, match=r"^service_key: "):
        LookupClient(make_config(keys, service_key=str(bad)))
    with pytest.raises(ConfigError, match=r"^service_key: missing"):
        LookupClient(make_config(keys, service_key=""))


def test_parse_answer_requires_an_object() -> None:
    with pytest.raises(ValueError, match="JSON object"):
        parse_answer(b"\"000\"")  # JSON, but not an object


def test_unexpected_errors_still_end_as_results(keys: Keys, fake_time: FakeTime) -> None:
    def broken(request: httpx.Request) -> httpx.Response:
        raise RuntimeError("bug in a transport")

    result, _ = run_lookup(keys, [broken], fake_time)
    assert result.outcome is Outcome.SERVICE_ERROR and result.attempts == 1
    assert result.reason == "unexpected client error: RuntimeError"


def test_request_from_card_uses_the_configured_operator(keys: Keys) -> None:
    from scanner.cccd import parse_cccd

    card = parse_cccd("027098001234||Nguyễn Văn An|081998|Nam|Bắc Ninh|25052021")
    request = LookupRequest.from_card(card, make_config(keys))
    assert request.to_wire() == {
        "id_number": "027098001234", "full_name": "Nguyễn Văn An", "date_of_birth": "1998-08",
        "facility_code": "27001", "operator": {"name": "Trần Thị Lan", "id_number": OPERATOR_ID},
    }


def test_failure_results_must_have_failure_outcomes() -> None:
    with pytest.raises(ValueError, match="not a failure outcome"):
        EligibilityResult.failure(Outcome.ELIGIBLE, "x", attempts=1, elapsed_ms=1.0)
    data = EligibilityResult.failure(Outcome.TIMEOUT, "read timeout after 10.0 s", attempts=1,
                                     elapsed_ms=10001.26).to_json()
    assert data["outcome"] == "timeout" and data["elapsed_ms"] == 10001.3 and data["insurance"] is None


# --------------------------------------------------------------------- transient signature refusals


def _refusal(reason: str) -> tuple[int, dict[str, Any]]:
    return 401, {"type": "urn:bhyt-kiosk:problem:signature-rejected", "title": "Request signature rejected",
                 "status": 401, "detail": "refused", "reason": reason}


@pytest.mark.parametrize("reason", ["replayed-nonce", "created-before-start", "signature-expired"])
def test_a_transient_signature_refusal_is_retried_once_with_a_fresh_signature(
        keys: Keys, fake_time: FakeTime, reason: str) -> None:
    result, service = run_lookup(keys, [_refusal(reason), answer_body()], fake_time, retries=0)
    assert result.outcome is Outcome.ELIGIBLE and result.attempts == 2
    assert len(set(service.nonces)) == 2 and fake_time.sleeps == []  # signed afresh, at once


def test_a_second_transient_refusal_or_a_lasting_one_is_a_setup_error(keys: Keys, fake_time: FakeTime) -> None:
    result, _ = run_lookup(keys, [_refusal("replayed-nonce")], fake_time, retries=3)
    assert result.outcome is Outcome.SETUP_ERROR and result.attempts == 2 and "replayed-nonce" in result.reason
    result, _ = run_lookup(keys, [_refusal("unknown-keyid"), answer_body()], fake_time)
    assert result.outcome is Outcome.SETUP_ERROR and result.attempts == 1
