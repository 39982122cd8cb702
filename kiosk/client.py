"""The signed eligibility-lookup client: httpx with the policy in the client, signing as an ``httpx.Auth``.

:meth:`LookupClient.lookup` never raises for service or network problems: every failure becomes an
:class:`~kiosk.eligibility.EligibilityResult` with a failure outcome and a technical ``reason``.

Policy
------
* Timeouts: ``connect_timeout_s`` for the TCP/TLS connect, ``read_timeout_s`` for the answer. One
  lookup, retries included, ends by a deadline of ``read_timeout_s + 1 s``: each try gets at most the
  time left (its httpx timeouts are clipped), and no retry starts after the deadline. Limit: httpx's
  read timeout is per socket read, so a server that trickles one byte at a time could stretch a single
  try; the faults our service can inject (latency, hang, drop, 5xx, malformed, bad signature) cannot.
* Retries (at most ``retries`` extra tries, backoff ``backoff_s * 2**(n-1)``, each retry a new request
  signed afresh, so with a new nonce and ``created``) only after a transient failure, where the service
  did not give an answer about the card: connect errors and connect timeouts, a dropped connection
  (``RemoteProtocolError``, ``ReadError``, ``WriteError``), HTTP 429/502/503/504, and result codes 100,
  101 and 500 (the gateway's own transient errors, ``kiosk.outcomes.RETRYABLE_RESULT_CODES``). Never
  retried: any definitive result code, 401/422 and other 4xx (the next try would get the same), HTTP 500
  (a service bug), a malformed body, a bad response signature, and a read timeout (the request reached
  the service and the deadline is spent).
* Circuit breaker (closed / open / half-open, thread-safe): ``breaker_threshold`` lookups in a row that
  ended in a transient failure or a timeout open it; while open, lookups fail at once with
  SERVICE_ERROR and reason "circuit open". After ``breaker_reset_s`` one trial lookup is let through
  (half-open): success closes the breaker, failure opens it again. Answers of any kind (a result code,
  401, 422) count as success: the service is up.
* The response signature (and its binding to the request signature) is verified with the pinned
  service key (``service_key`` setting); a missing or bad signature gives REJECTED_SIGNATURE and the
  body is not used. One exception: an *unsigned* 429/502/503/504 (what a proxy in front of the service
  sends) counts as the transient status it is, since nothing from it is used.
* Cancellation (``cancel`` event): checked before each try and during backoff waits (a cancel during a
  backoff returns at once). A try in flight is not interrupted; it is bounded by its timeouts.
* Thread safety: one client may serve lookups from several threads (httpx's pool and the breaker are
  thread-safe; each lookup keeps its own state).
"""

from __future__ import annotations

import enum
import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx

from kiosk import __version__
from kiosk.config import ConfigError, KioskConfig
from kiosk.eligibility import EligibilityResult, LookupRequest, MalformedAnswer, parse_answer
from kiosk.outcomes import RETRYABLE_RESULT_CODES, Outcome

log = logging.getLogger(__name__)

LOOKUP_PATH = "/v1/eligibility/lookups"
SERVICE_KEY_PATH = "/v1/service-key"
RETRYABLE_STATUS = frozenset({429, 502, 503, 504})
DEADLINE_SLACK_S = 1.0


class ServiceKeyError(Exception):
    """``fetch_service_key`` could not get a usable key from the service."""


# --------------------------------------------------------------------- circuit breaker


class BreakerState(enum.StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half-open"


class CircuitBreaker:
    """Counts lookups in a row that failed transiently; fails fast while the service is down."""

    def __init__(self, threshold: int, reset_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        if threshold < 1 or reset_s <= 0:
            raise ValueError("threshold must be >= 1 and reset_s > 0")
        self.threshold = threshold
        self.reset_s = reset_s
        self._clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_running = False

    @property
    def state(self) -> BreakerState:
        with self._lock:
            return self._state_locked()

    def _state_locked(self) -> BreakerState:
        if self._opened_at is None:
            return BreakerState.CLOSED
        if self._clock() - self._opened_at >= self.reset_s:
            return BreakerState.HALF_OPEN
        return BreakerState.OPEN

    @property
    def consecutive_failures(self) -> int:
        with self._lock:
            return self._failures

    def allow(self) -> bool:
        """May a lookup go out now? In half-open state only one trial at a time is let through."""
        with self._lock:
            state = self._state_locked()
            if state is BreakerState.CLOSED:
                return True
            if state is BreakerState.HALF_OPEN and not self._trial_running:
                self._trial_running = True
                return True
            return False

    def record_success(self) -> None:
        with self._lock:
            self._failures = 0
            self._opened_at = None
            self._trial_running = False

    def record_failure(self) -> None:
        with self._lock:
            self._failures += 1
            if self._trial_running or self._failures >= self.threshold:
                self._opened_at = self._clock()
            self._trial_running = False

    def release(self) -> None:
        """A lookup let through ended without telling whether the service is up (e.g. cancelled)."""
        with self._lock:
            self._trial_running = False


# --------------------------------------------------------------------- one try


class _Kind(enum.Enum):
    ANSWER = "answer"  # a result (definitive or not) to return as is
    TRANSIENT = "transient"  # retry may help; counts as a breaker failure
    TIMEOUT = "timeout"  # no retry; counts as a breaker failure
    FINAL = "final"  # a failure that a retry would not fix; the service is up


class _Try:
    __slots__ = ("kind", "outcome", "reason", "result")

    def __init__(self, kind: _Kind, outcome: Outcome, reason: str, result: Any = None) -> None:
        self.kind = kind
        self.outcome = outcome
        self.reason = reason
        self.result = result  # an eligibility.Answer for ANSWER tries


def _problem_text(response: httpx.Response) -> str:
    """The human part of a problem+json body (title, detail, field errors); '' when there is none."""
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        return ""
    if not isinstance(body, dict):
        return ""
    parts: list[str] = []
    for key in ("title", "detail"):
        value = body.get(key)
        if isinstance(value, str) and value and value not in parts:
            parts.append(value)
    return ": ".join(parts)


def _problem_fields(response: httpx.Response) -> list[str]:
    """Field names in a 422 problem (``errors``/``invalid_params`` lists, or FastAPI's ``detail`` list)."""
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        return []
    if not isinstance(body, dict):
        return []
    names: list[str] = []
    for key in ("errors", "invalid_params", "detail"):
        items = body.get(key)
        if not isinstance(items, list):
            continue
        for item in items:
            if not isinstance(item, dict):
                continue
            name = item.get("field") or item.get("name") or item.get("pointer")
            loc = item.get("loc")
            if not name and isinstance(loc, list):
                name = ".".join(str(p) for p in loc if p != "body")
            if isinstance(name, str) and name and name not in names:
                names.append(name)
    return names


# --------------------------------------------------------------------- the client


class LookupClient:
    """Signed lookups against the eligibility service; see the module docstring for the policy."""

    def __init__(
        self,
        config: KioskConfig,
        *,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        from kiosk import signing

        config.validate_for_lookup()
        self.config = config
        assert config.private_key is not None
        try:
            self._private_key = signing.load_private_key(config.private_key)
        except (signing.SigningKeyError, OSError) as exc:
            raise ConfigError(f"private_key: unusable key {config.private_key}: {exc}") from None
        try:
            self._service_key = signing.load_public_key(config.service_key)
        except (signing.SigningKeyError, OSError) as exc:
            raise ConfigError(f"service_key: not a usable PEM or JWK public key: {exc}") from None
        self._signing = signing
        # The auth signs each request (a fresh nonce and ``created`` per try); responses are verified
        # here, after the status is known, so that an unsigned 502/503/504 from a proxy stays transient.
        self._auth = signing.SignedRequestAuth(self._private_key, config.kiosk_id, None)
        self._clock = clock
        self._sleep = sleep
        self.breaker = CircuitBreaker(config.breaker_threshold, config.breaker_reset_s, clock)
        self._http = httpx.Client(
            base_url=config.service_url.rstrip("/"),
            transport=transport,
            timeout=self._timeout(config.lookup_deadline_s),
            headers={"User-Agent": f"bhyt-kiosk/{__version__}", "Accept": "application/json"},
            follow_redirects=False,
            trust_env=False,
        )

    # ----------------------------------------------------------------- lifecycle

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> LookupClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------- public calls

    def fetch_service_key(self) -> dict[str, Any]:
        """``GET /v1/service-key``: the service's public key as a JWK dict (for pinning at set-up)."""
        try:
            response = self._http.get(SERVICE_KEY_PATH, timeout=self._timeout(self.config.lookup_deadline_s))
        except httpx.HTTPError as exc:
            raise ServiceKeyError(f"cannot reach {self.config.service_url}: {type(exc).__name__}: {exc}") from None
        if response.status_code != 200:
            raise ServiceKeyError(f"GET {SERVICE_KEY_PATH}: HTTP {response.status_code}")
        try:
            jwk = response.json()
        except (ValueError, UnicodeDecodeError):
            raise ServiceKeyError(f"GET {SERVICE_KEY_PATH}: body is not JSON") from None
        if not isinstance(jwk, dict) or "kty" not in jwk:
            raise ServiceKeyError(f"GET {SERVICE_KEY_PATH}: body is not a JWK")
        try:
            self._signing.load_public_key(json.dumps(jwk))
        except self._signing.SigningKeyError as exc:
            raise ServiceKeyError(f"GET {SERVICE_KEY_PATH}: unusable JWK: {exc}") from None
        return jwk

    def lookup(self, request: LookupRequest, *, cancel: threading.Event | None = None) -> EligibilityResult:
        started = self._clock()
        deadline = started + self.config.lookup_deadline_s
        attempts = 0

        def elapsed_ms() -> float:
            return (self._clock() - started) * 1000.0

        def fail(outcome: Outcome, reason: str, **extra: Any) -> EligibilityResult:
            return EligibilityResult.failure(outcome, reason, attempts=attempts, elapsed_ms=elapsed_ms(), **extra)

        try:
            body = request.to_wire()
        except ValueError as exc:
            return fail(Outcome.SETUP_ERROR, f"bad lookup request: {exc}")
        if cancel is not None and cancel.is_set():
            return fail(Outcome.CANCELLED, "cancelled before the lookup was sent")
        if not self.breaker.allow():
            return fail(Outcome.SERVICE_ERROR, "circuit open")

        last: _Try | None = None
        while True:
            remaining = deadline - self._clock()
            if remaining <= 0:
                break
            attempts += 1
            last = self._try_once(body, remaining)
            if last.kind is not _Kind.TRANSIENT or attempts > self.config.retries:
                break
            delay = self.config.backoff_s * (2 ** (attempts - 1))
            if self._clock() + delay >= deadline:
                break
            log.info("lookup try %d failed (%s); retrying in %.2f s", attempts, last.reason, delay)
            if self._wait(delay, cancel):
                self.breaker.release()
                return fail(Outcome.CANCELLED, f"cancelled after {attempts} tries ({last.reason})")

        if last is None:
            self.breaker.release()
            return fail(Outcome.TIMEOUT, f"deadline of {self.config.lookup_deadline_s:.1f} s passed")
        if last.kind in (_Kind.TRANSIENT, _Kind.TIMEOUT):
            self.breaker.record_failure()
        else:
            self.breaker.record_success()
        if last.kind is _Kind.ANSWER:
            result: EligibilityResult = last.result.to_result(attempts=attempts, elapsed_ms=elapsed_ms())
            log.info("lookup %s: %s (code %s) after %d tries", result.lookup_id, result.outcome.value,
                     result.result_code, attempts)
            return result
        if last.result is not None:  # a transient answer (code 100/101/500) that stayed transient
            answer = last.result
            return fail(Outcome.SERVICE_ERROR, last.reason, result_code=answer.result_code,
                        lookup_id=answer.lookup_id)
        log.info("lookup failed: %s: %s after %d tries", last.outcome.value, last.reason, attempts)
        return fail(last.outcome, last.reason)

    # ----------------------------------------------------------------- internals

    def _timeout(self, remaining: float) -> httpx.Timeout:
        connect = max(0.001, min(self.config.connect_timeout_s, remaining))
        read = max(0.001, min(self.config.read_timeout_s, remaining))
        return httpx.Timeout(connect=connect, read=read, write=read, pool=connect)

    def _wait(self, delay: float, cancel: threading.Event | None) -> bool:
        """Back off for ``delay`` s; True when cancelled meanwhile."""
        if cancel is not None and self._sleep is time.sleep:
            return cancel.wait(delay)
        self._sleep(delay)
        return cancel is not None and cancel.is_set()

    def _try_once(self, body: dict[str, Any], remaining: float) -> _Try:
        signing = self._signing
        timeout = self._timeout(remaining)
        try:
            response = self._http.post(LOOKUP_PATH, json=body, auth=self._auth, timeout=timeout)
        except signing.SignatureError as exc:
            return _Try(_Kind.FINAL, Outcome.SETUP_ERROR, f"cannot sign the request: {exc}")
        except httpx.ConnectTimeout:
            return _Try(_Kind.TRANSIENT, Outcome.TIMEOUT, f"connect timeout after {timeout.connect:.1f} s")
        except httpx.ConnectError as exc:
            return _Try(_Kind.TRANSIENT, Outcome.SERVICE_ERROR, f"cannot connect: {exc}")
        except httpx.TimeoutException as exc:
            seconds = timeout.read if isinstance(exc, httpx.ReadTimeout) else timeout.write
            kind = "read" if isinstance(exc, httpx.ReadTimeout) else type(exc).__name__
            return _Try(_Kind.TIMEOUT, Outcome.TIMEOUT, f"{kind} timeout after {seconds:.1f} s")
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
            return _Try(_Kind.TRANSIENT, Outcome.SERVICE_ERROR, f"connection dropped: {exc or type(exc).__name__}")
        except httpx.HTTPError as exc:
            return _Try(_Kind.FINAL, Outcome.SERVICE_ERROR, f"HTTP error: {type(exc).__name__}: {exc}")
        except Exception as exc:  # lookup() never raises: a bug here still ends as a typed result
            log.exception("unexpected error while sending a lookup")
            return _Try(_Kind.FINAL, Outcome.SERVICE_ERROR, f"unexpected client error: {type(exc).__name__}")
        try:
            signing.verify_response(response, response.request, self._service_key)
        except signing.ResponseSignatureError as exc:
            if response.status_code in RETRYABLE_STATUS and exc.reason == "unsigned":
                # A gateway or proxy in front of the service says it is unavailable; nothing is used.
                return _Try(_Kind.TRANSIENT, Outcome.SERVICE_ERROR, f"HTTP {response.status_code} (unsigned)")
            return _Try(_Kind.FINAL, Outcome.REJECTED_SIGNATURE, f"response signature invalid: {exc}")
        except Exception as exc:
            log.exception("unexpected error while verifying a response signature")
            return _Try(_Kind.FINAL, Outcome.REJECTED_SIGNATURE,
                        f"response signature invalid: unexpected {type(exc).__name__}")
        return self._classify(response)

    def _classify(self, response: httpx.Response) -> _Try:
        status = response.status_code
        if status == 200:
            try:
                parsed = response.json()
            except (ValueError, UnicodeDecodeError):
                return _Try(_Kind.FINAL, Outcome.SERVICE_ERROR, "malformed response: body is not JSON")
            try:
                answer = parse_answer(parsed)
            except MalformedAnswer as exc:
                return _Try(_Kind.FINAL, Outcome.SERVICE_ERROR, f"malformed response: {exc}")
            if answer.result_code in RETRYABLE_RESULT_CODES:
                return _Try(_Kind.TRANSIENT, Outcome.SERVICE_ERROR, f"result code {answer.result_code}", answer)
            return _Try(_Kind.ANSWER, answer.outcome, answer.reason or "", answer)
        if status == 401:
            detail = _problem_text(response) or "no reason given"
            return _Try(_Kind.FINAL, Outcome.SETUP_ERROR, f"HTTP 401: service rejected the kiosk: {detail}")
        if status == 422:
            fields = _problem_fields(response)
            named = f"fields: {', '.join(fields)}" if fields else (_problem_text(response) or "no detail")
            return _Try(_Kind.FINAL, Outcome.SETUP_ERROR, f"HTTP 422: service rejected the request (kiosk bug): "
                        f"{named}")
        if status in RETRYABLE_STATUS:
            return _Try(_Kind.TRANSIENT, Outcome.SERVICE_ERROR, f"HTTP {status}")
        detail = _problem_text(response)
        return _Try(_Kind.FINAL, Outcome.SERVICE_ERROR, f"HTTP {status}" + (f": {detail}" if detail else ""))
