"""The lookup client's circuit breaker: when to stop asking a service that is down (:class:`CircuitBreaker`), and
how one try ended as far as the client's policies care (:class:`TryKind`). It lives on the lookup loop's one
thread: no locks."""

from __future__ import annotations

import enum
import time
from collections.abc import Callable


class TryKind(enum.Enum):
    """How one try ended, as far as the policies care."""

    ANSWER = "answer"  # a result (definitive or not) to return as is; the service is up
    TRANSIENT = "transient"  # a retry may help; counts as a breaker failure
    TIMEOUT = "timeout"  # no retry (the request reached the service, the time is spent); a breaker failure
    FINAL = "final"  # a failure that a retry would not fix; the service is up
    RESIGN = "resign"  # a signature refusal a fresh signature may fix (replayed nonce, ...): one retry; service up


class BreakerState(enum.StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half-open"


class CircuitBreaker:
    """``threshold`` lookups in a row that failed transiently (or timed out) open it; while open, lookups fail at
    once. After ``reset_s`` one trial lookup goes through (half-open): success closes it, failure opens it again.
    Answers of any kind (a result code, 401, 422) count as success: the service is up."""

    def __init__(self, threshold: int, reset_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        if threshold < 1 or reset_s <= 0:
            raise ValueError("threshold must be >= 1 and reset_s > 0")
        self.threshold = threshold
        self.reset_s = reset_s
        self._clock = clock
        self.consecutive_failures = 0
        self._opened_at: float | None = None
        self._trial_running = False

    @property
    def state(self) -> BreakerState:
        if self._opened_at is None:
            return BreakerState.CLOSED
        if self._clock() - self._opened_at >= self.reset_s:
            return BreakerState.HALF_OPEN
        return BreakerState.OPEN

    def allow(self) -> bool:
        """May a lookup go out now? In half-open state only one trial at a time is let through."""
        state = self.state
        if state is BreakerState.HALF_OPEN and not self._trial_running:
            self._trial_running = True
            return True
        return state is BreakerState.CLOSED

    def record(self, kind: TryKind) -> None:
        """The last try of a lookup let through ended as ``kind``."""
        if kind in (TryKind.TRANSIENT, TryKind.TIMEOUT):
            self.consecutive_failures += 1
            if self._trial_running or self.consecutive_failures >= self.threshold:
                self._opened_at = self._clock()
        else:
            self.consecutive_failures = 0
            self._opened_at = None
        self._trial_running = False

    def release(self) -> None:
        """A lookup let through ended without telling whether the service is up (cancelled, out of time)."""
        self._trial_running = False
