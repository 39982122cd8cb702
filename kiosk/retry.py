"""When a failed lookup is worth another try, and when the next try happens (pure logic, no I/O).

A lookup result is one of three kinds (``domain.md`` section 4 and the README's outcomes):

- **answer**: a definitive answer from the service (eligible ... data-mismatch). Never retried.
- **transient**: the service could not answer *now* — a timeout, a connection that could not be made or was
  dropped, HTTP 429/5xx, the result codes 100 / 101 / 500 (error reading card data / server error), or the client's
  own circuit breaker being open. Retried in the background until an answer comes or the retry limit passes.
- **final**: a failure another try cannot fix — a refused or invalid signature (``rejected-signature``), a kiosk
  set-up error (401, 054/055, 205, 422, bad settings), a malformed answer, any other HTTP error, a cancelled lookup.
  Never retried: the same request would be refused the same way.

Retries wait with "full jitter" exponential backoff (AWS architecture blog, "Exponential Backoff And Jitter"): the
n-th wait is uniform in ``[0, min(cap, base * 2**n)]`` and at least ``min_delay_s``, so a crowd of kiosks that saw
the same outage does not hit the recovering service at the same instant. Each try is a new HTTP request, signed
afresh (new ``created`` and ``nonce``, so the service's replay cache never refuses it), carrying the same attempt id.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from enum import StrEnum

from kiosk.eligibility import EligibilityResult
from kiosk.outcomes import RETRYABLE_RESULT_CODES, Outcome

DEFAULT_FIRST_TRY_DEADLINE_S = 3.0
DEFAULT_RETRY_LIMIT_S = 600.0


class ResultKind(StrEnum):
    ANSWER = "answer"
    TRANSIENT = "transient"
    FINAL = "final"


# The lookup client's reasons for a service-error that another try may fix (kiosk/client.py writes them):
# "HTTP 503", "HTTP 502 (unsigned)", "cannot connect: ...", "connection dropped: ...", "circuit open",
# "result code 100".
_TRANSIENT_REASON = re.compile(r"^(HTTP (429|5\d\d)\b|cannot connect\b|connection dropped\b|circuit open\b|"
                               r"result code (100|101|500)\b)")


def classify(result: EligibilityResult) -> ResultKind:
    """Whether ``result`` is an answer, a transient failure (retry) or a final failure (do not retry)."""
    outcome = Outcome(result.outcome)
    if outcome.definitive:
        return ResultKind.ANSWER
    if outcome is Outcome.TIMEOUT:
        return ResultKind.TRANSIENT
    if outcome is Outcome.SERVICE_ERROR:
        if result.result_code in RETRYABLE_RESULT_CODES:
            return ResultKind.TRANSIENT
        if result.reason and _TRANSIENT_REASON.match(result.reason):
            return ResultKind.TRANSIENT
    return ResultKind.FINAL


@dataclass(frozen=True)
class RetryPolicy:
    """How long the patient waits for a first answer, and how the background retries are spaced."""

    first_try_deadline_s: float = DEFAULT_FIRST_TRY_DEADLINE_S
    limit_s: float = DEFAULT_RETRY_LIMIT_S  # from the first try's end; then the lookup is abandoned
    base_s: float = 2.0
    cap_s: float = 60.0
    min_delay_s: float = 0.5

    def __post_init__(self) -> None:
        for name in ("first_try_deadline_s", "limit_s", "base_s", "cap_s"):
            value = getattr(self, name)
            if not value > 0:
                raise ValueError(f"{name} must be greater than 0, got {value}")
        if self.min_delay_s < 0 or self.min_delay_s > self.cap_s:
            raise ValueError(f"min_delay_s must be between 0 and cap_s, got {self.min_delay_s}")

    def delay(self, retry: int, rng: random.Random) -> float:
        """Seconds to wait before background retry number ``retry`` (0 for the first retry)."""
        if retry < 0:
            raise ValueError("retry must be >= 0")
        ceiling = min(self.cap_s, self.base_s * 2.0 ** min(retry, 64))
        return max(self.min_delay_s, rng.uniform(0.0, ceiling))

    def next_try_at(self, retry: int, now: float, expires_at: float, rng: random.Random) -> float | None:
        """When to send retry ``retry`` (a monotonic time): never later than ``expires_at``, so the last try is at
        the limit itself; None once ``now`` has reached it (the lookup is abandoned)."""
        if now >= expires_at:
            return None
        return min(now + self.delay(retry, rng), expires_at)


__all__ = ["DEFAULT_FIRST_TRY_DEADLINE_S", "DEFAULT_RETRY_LIMIT_S", "ResultKind", "RetryPolicy", "classify"]
