"""The retry policy: which results are retried, and the backoff with jitter."""

from __future__ import annotations

import random
import statistics

import pytest

from kiosk.eligibility import EligibilityResult
from kiosk.outcomes import RESULT_CODES, Outcome, outcome_for_result_code
from kiosk.retry import ResultKind, RetryPolicy, classify


def _answer(code: str) -> EligibilityResult:
    outcome = outcome_for_result_code(code)
    if outcome.definitive:
        return EligibilityResult(outcome=outcome, result_code=code)
    # the client turns 100/101/500 (after its own tries) and 054/055/205/401 into failures with the code kept
    reason = f"result code {code}" if code in ("100", "101", "500") else f"service answered {code}"
    return EligibilityResult.failure(outcome, reason, attempts=1, elapsed_ms=5.0, result_code=code)


# domain.md section 4, column "kiosk": what another try can change
EXPECTED = {
    "000": ResultKind.ANSWER, "001": ResultKind.ANSWER, "002": ResultKind.ANSWER, "003": ResultKind.ANSWER,
    "004": ResultKind.ANSWER, "010": ResultKind.ANSWER, "050": ResultKind.ANSWER, "051": ResultKind.ANSWER,
    "052": ResultKind.ANSWER, "053": ResultKind.ANSWER, "054": ResultKind.FINAL, "055": ResultKind.FINAL,
    "060": ResultKind.ANSWER, "061": ResultKind.ANSWER, "070": ResultKind.ANSWER, "100": ResultKind.TRANSIENT,
    "101": ResultKind.TRANSIENT, "500": ResultKind.TRANSIENT, "110": ResultKind.ANSWER, "120": ResultKind.ANSWER,
    "121": ResultKind.ANSWER, "122": ResultKind.ANSWER, "123": ResultKind.ANSWER, "124": ResultKind.ANSWER,
    "130": ResultKind.ANSWER, "205": ResultKind.FINAL, "401": ResultKind.FINAL,
}


def test_every_result_code_is_classified_as_the_domain_table_says() -> None:
    assert set(EXPECTED) == set(RESULT_CODES)
    for code, kind in EXPECTED.items():
        assert classify(_answer(code)) is kind, code


@pytest.mark.parametrize(
    ("outcome", "reason", "kind"),
    [
        (Outcome.TIMEOUT, "read timeout after 10.0 s", ResultKind.TRANSIENT),
        (Outcome.TIMEOUT, "deadline of 3.0 s passed", ResultKind.TRANSIENT),
        (Outcome.SERVICE_ERROR, "HTTP 503", ResultKind.TRANSIENT),
        (Outcome.SERVICE_ERROR, "HTTP 502 (unsigned)", ResultKind.TRANSIENT),
        (Outcome.SERVICE_ERROR, "HTTP 429", ResultKind.TRANSIENT),
        (Outcome.SERVICE_ERROR, "cannot connect: [Errno 111] Connection refused", ResultKind.TRANSIENT),
        (Outcome.SERVICE_ERROR, "connection dropped: Server disconnected", ResultKind.TRANSIENT),
        (Outcome.SERVICE_ERROR, "circuit open", ResultKind.TRANSIENT),
        (Outcome.SERVICE_ERROR, "malformed response: body is not JSON", ResultKind.FINAL),
        (Outcome.SERVICE_ERROR, "HTTP 404: not found", ResultKind.FINAL),
        (Outcome.SERVICE_ERROR, "HTTP 4031", ResultKind.FINAL),
        (Outcome.REJECTED_SIGNATURE, "response signature invalid: bad signature", ResultKind.FINAL),
        (Outcome.SETUP_ERROR, "HTTP 401: service rejected the kiosk: unknown keyid", ResultKind.FINAL),
        (Outcome.CANCELLED, "cancelled while try 1 was in flight", ResultKind.FINAL),
    ],
)
def test_client_failures(outcome: Outcome, reason: str, kind: ResultKind) -> None:
    result = EligibilityResult.failure(outcome, reason, attempts=1, elapsed_ms=1.0)
    assert classify(result) is kind


def test_backoff_grows_is_jittered_and_capped() -> None:
    policy = RetryPolicy(base_s=2.0, cap_s=60.0, min_delay_s=0.5)
    rng = random.Random(7)
    for retry, ceiling in ((0, 2.0), (1, 4.0), (3, 16.0), (5, 60.0), (40, 60.0), (10_000, 60.0)):
        delays = [policy.delay(retry, rng) for _ in range(400)]
        assert min(delays) >= 0.5
        assert max(delays) <= ceiling
        # full jitter: spread over the whole range, not a fixed wait
        assert statistics.pstdev(delays) > ceiling / 6
    # the same seed gives the same schedule; another seed another one
    a = [policy.delay(i, random.Random(1)) for i in range(6)]
    assert a == [policy.delay(i, random.Random(1)) for i in range(6)]
    assert a != [policy.delay(i, random.Random(2)) for i in range(6)]


def test_tries_never_start_after_the_limit() -> None:
    policy = RetryPolicy(base_s=100.0, cap_s=100.0, min_delay_s=50.0)
    rng = random.Random(3)
    assert policy.next_try_at(0, now=0.0, expires_at=10.0, rng=rng) == 10.0  # clamped: the last try at the limit
    assert policy.next_try_at(1, now=10.0, expires_at=10.0, rng=rng) is None
    short = RetryPolicy(base_s=1.0, cap_s=1.0, min_delay_s=0.1)
    when = short.next_try_at(0, now=5.0, expires_at=100.0, rng=rng)
    assert when is not None and 5.1 <= when <= 6.0


@pytest.mark.parametrize("field", ["first_try_deadline_s", "limit_s", "base_s", "cap_s"])
def test_bad_policy_values_are_refused(field: str) -> None:
    with pytest.raises(ValueError, match=field):
        RetryPolicy(**{field: 0})
    with pytest.raises(ValueError, match="min_delay_s"):
        RetryPolicy(min_delay_s=-1)
