"""The signed eligibility-lookup client: ``httpx.AsyncClient``, signing as an ``httpx.Auth``, policies around it.

``await LookupClient.lookup(request)`` never raises for service or network problems: every failure becomes an
:class:`~kiosk.eligibility.EligibilityResult` with a failure outcome and a technical ``reason``. The client runs on
one event loop (the pipeline's lookup loop, :mod:`kiosk.lookup_loop`, or ``asyncio.run`` in a command); its
connection pool belongs to the loop it was first used on (:meth:`LookupClient.aclose` releases it).

Policy
------
* Timeouts: ``connect_timeout_s`` for the TCP/TLS connect, ``read_timeout_s`` for the answer. One lookup, retries
  included, ends by a deadline of ``read_timeout_s + 1 s``: each try gets at most the time left (its httpx timeouts
  are clipped, and ``asyncio.timeout`` cuts a try that outlives the deadline, e.g. a server trickling bytes), and
  no retry starts after the deadline.
* Retries (at most ``retries`` extra tries, waiting ``backoff_s * 2**(n-1)`` before try n+1 and none that would
  start after the deadline; each retry signed afresh, so with a new nonce and ``created``) only after a transient
  failure, where the service did not give an answer about the card: connect errors and connect timeouts, a dropped
  connection, HTTP 429/502/503/504, and result codes 100, 101 and 500 (``kiosk.outcomes.RETRYABLE_RESULT_CODES``).
  Never retried: any definitive result code, 401/422 and other 4xx, HTTP 500 (a service bug), a malformed body, a
  bad response signature, and a read timeout (the request reached the service and the deadline is spent).
* The answer's body is read as a stream and at most ``MAX_RESPONSE_BYTES`` of it: a gateway that sends more gets
  SERVICE_ERROR "response too large" (never retried), and its connection is closed unread.
* A ``401`` whose reason a fresh signature may cure (``replayed-nonce``, ``created-before-start`` after a service
  restart, ``signature-expired`` / ``signature-too-old`` after a slow send: ``TRANSIENT_SIGNATURE_REASONS``) is tried
  once more at once, signed afresh, whatever ``retries`` says; a second such refusal is SETUP_ERROR as before.
* Circuit breaker (:class:`~kiosk.lookup_policy.CircuitBreaker`): ``breaker_threshold`` lookups in a row that
  ended in a transient failure or a timeout open it; while open, lookups fail at once with SERVICE_ERROR and reason
  "circuit open"; after ``breaker_reset_s`` one trial lookup goes through.
* The response signature (and its binding to the request signature) is verified with the pinned service key; a
  missing or bad signature gives REJECTED_SIGNATURE and the body is not used. One exception: an *unsigned*
  429/502/503/504 (what a proxy in front of the service sends) counts as the transient status it is.
* Cancellation: cancel the task that awaits :meth:`LookupClient.lookup`. Whether it was backing off or had a
  request in flight (httpx closes the connection of an aborted request), the lookup returns CANCELLED at once; the
  breaker learns nothing from it. A task cancelled before it started never sends anything.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any

import httpx

from kiosk import __version__
from kiosk.config import ConfigError, KioskConfig
from kiosk.eligibility import EligibilityResult, LookupRequest, MalformedAnswer, parse_answer
from kiosk.lookup_policy import CircuitBreaker, TryKind
from kiosk.outcomes import RETRYABLE_RESULT_CODES, Outcome
from kiosk.privacy import foreign_code
from kiosk.signing.keys import SigningKeyError, load_private_key, load_public_key
from kiosk.signing.kiosk_auth import ResponseSignatureError, SignedRequestAuth, answer_coding, verify_response
from kiosk.signing.profile import SignatureError

log = logging.getLogger(__name__)

LOOKUP_PATH = "/v1/eligibility/lookups"
RETRYABLE_STATUS = frozenset({429, 502, 503, 504})
TRANSIENT_SIGNATURE_REASONS = frozenset({"replayed-nonce", "created-before-start", "signature-expired",
                                         "signature-too-old"})
# An answer is ~1 KB and a problem+json a few; anything near this is a broken or hostile gateway, not the service.
MAX_RESPONSE_BYTES = 64 * 1024


@dataclass
class _Try:
    kind: TryKind
    outcome: Outcome
    reason: str
    answer: EligibilityResult | None = None  # when the service answered with a result code


@dataclass
class _Progress:
    """How far one lookup got (what a cancelled lookup reports)."""

    tries: int = 0
    in_flight: bool = False
    last_reason: str | None = None
    resigned: bool = False  # the one fresh-signature retry after a transient signature refusal was used

    def cancel_reason(self) -> str:
        if self.in_flight:
            return f"cancelled while try {self.tries} was in flight"
        if self.tries == 0:
            return "cancelled before the lookup was sent"
        return f"cancelled after {self.tries} tries ({self.last_reason})"


class LookupClient:
    """Signed lookups against the eligibility service; see the module docstring for the policy."""

    def __init__(
        self,
        config: KioskConfig,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        config.validate_for_lookup()
        self.config = config
        assert config.private_key is not None
        try:
            private_key = load_private_key(config.private_key)
        except (SigningKeyError, OSError) as exc:
            raise ConfigError(f"private_key: unusable key {config.private_key}: {exc}") from None
        try:
            self._service_key = load_public_key(config.service_key)
        except (SigningKeyError, OSError) as exc:
            raise ConfigError(f"service_key: not a usable PEM or JWK public key: {exc}") from None
        # signs each try afresh (a new nonce and created); the answer is read, capped and verified in _try
        self._auth = SignedRequestAuth(private_key, config.kiosk_id, None)
        self._transport = transport
        self._clock = clock
        self._sleep = sleep
        self.breaker = CircuitBreaker(config.breaker_threshold, config.breaker_reset_s, clock)
        self._http: httpx.AsyncClient | None = None

    def _client(self) -> httpx.AsyncClient:
        if self._http is None:
            self._http = httpx.AsyncClient(
                base_url=self.config.service_url.rstrip("/"),
                transport=self._transport,
                timeout=self._timeout(self.config.lookup_deadline_s),
                headers={"User-Agent": f"bhyt-kiosk/{__version__}", "Accept": "application/json",
                         "Accept-Encoding": "identity"},  # a compressed answer is refused unread (_try)
                follow_redirects=False,
                trust_env=False,
            )
        return self._http

    async def aclose(self) -> None:
        """Close the connection pool (a later lookup opens a new one, on the loop it runs on)."""
        http, self._http = self._http, None
        if http is not None:
            await http.aclose()

    async def __aenter__(self) -> LookupClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def lookup(self, request: LookupRequest) -> EligibilityResult:
        started = self._clock()
        progress = _Progress()

        def fail(outcome: Outcome, reason: str, **extra: Any) -> EligibilityResult:
            elapsed_ms = (self._clock() - started) * 1000.0
            return EligibilityResult.failure(outcome, reason, attempts=progress.tries, elapsed_ms=elapsed_ms, **extra)

        try:
            body = request.to_wire()
        except ValueError as exc:
            return fail(Outcome.SETUP_ERROR, f"bad lookup request: {exc}")
        if not self.breaker.allow():
            return fail(Outcome.SERVICE_ERROR, "circuit open")
        try:
            last = await self._tries(body, started + self.config.lookup_deadline_s, progress)
        except asyncio.CancelledError:
            self.breaker.release()
            task = asyncio.current_task()
            if task is not None:
                task.uncancel()  # the cancel is answered: this lookup ends as CANCELLED
            log.info("lookup %s", progress.cancel_reason())
            return fail(Outcome.CANCELLED, progress.cancel_reason())
        if last is None:
            self.breaker.release()
            return fail(Outcome.TIMEOUT, f"deadline of {self.config.lookup_deadline_s:.1f} s passed")
        self.breaker.record(last.kind)
        if last.kind is TryKind.ANSWER:
            assert last.answer is not None
            result = replace(last.answer, attempts=progress.tries, elapsed_ms=(self._clock() - started) * 1000.0)
            log.info("lookup %s: %s (code %s) after %d tries", result.lookup_id, result.outcome.value,
                     result.result_code, progress.tries)
            return result
        log.info("lookup failed: %s: %s after %d tries", last.outcome.value, last.reason, progress.tries)
        if last.answer is not None:  # a transient answer (code 100/101/500) that stayed transient
            return fail(Outcome.SERVICE_ERROR, last.reason, result_code=last.answer.result_code,
                        lookup_id=last.answer.lookup_id)
        return fail(last.outcome, last.reason)

    async def _tries(self, body: dict[str, Any], deadline: float, progress: _Progress) -> _Try | None:
        """Try, back off and try again as the module docstring says; the last try (None: no time for one)."""
        last: _Try | None = None
        while (left := deadline - self._clock()) > 0:
            progress.tries += 1
            progress.in_flight = True
            last = await self._try(body, left)
            progress.in_flight = False
            progress.last_reason = last.reason
            if last.kind is TryKind.RESIGN and not progress.resigned:
                progress.resigned = True
                log.info("lookup try %d refused (%s); signing afresh and trying once more", progress.tries, last.reason)
                continue
            delay = self.config.backoff_s * 2 ** (progress.tries - 1)
            if (last.kind is not TryKind.TRANSIENT or progress.tries > self.config.retries
                    or delay >= deadline - self._clock()):
                break
            log.info("lookup try %d failed (%s); retrying in %.2f s", progress.tries, last.reason, delay)
            await self._sleep(delay)
        return last

    def _timeout(self, remaining: float) -> httpx.Timeout:
        connect = max(0.001, min(self.config.connect_timeout_s, remaining))
        read = max(0.001, min(self.config.read_timeout_s, remaining))
        return httpx.Timeout(connect=connect, read=read, write=read, pool=connect)

    async def _try(self, body: dict[str, Any], remaining: float) -> _Try:
        timeout = self._timeout(remaining)
        try:
            request = self._client().build_request("POST", LOOKUP_PATH, json=body, timeout=timeout)
            async with asyncio.timeout(remaining):
                streamed = await self._client().send(request, auth=self._auth, stream=True)
                try:  # (a content-coded answer is refused by verify_response below: its body is not even read)
                    coded = answer_coding(streamed.headers) is not None
                    content = b"" if coded else await _read_capped(streamed)
                finally:
                    await streamed.aclose()  # a body not read to its end closes the connection
            if content is None:
                return _Try(TryKind.FINAL, Outcome.SERVICE_ERROR,
                            f"response too large: over {MAX_RESPONSE_BYTES} bytes (body not read)")
            response = httpx.Response(streamed.status_code, headers=streamed.headers, content=content,
                                      request=request)
        except TimeoutError:  # the lookup's deadline (httpx's own timeouts are httpx.TimeoutException)
            reason = f"deadline of {self.config.lookup_deadline_s:.1f} s passed before the answer was in"
            return _Try(TryKind.TIMEOUT, Outcome.TIMEOUT, reason)
        except SignatureError as exc:
            return _Try(TryKind.FINAL, Outcome.SETUP_ERROR, f"cannot sign the request: {exc}")
        except httpx.ConnectTimeout:
            return _Try(TryKind.TRANSIENT, Outcome.TIMEOUT, f"connect timeout after {timeout.connect:.1f} s")
        except httpx.ConnectError as exc:
            return _Try(TryKind.TRANSIENT, Outcome.SERVICE_ERROR, f"cannot connect: {exc}")
        except httpx.TimeoutException as exc:
            seconds = timeout.read if isinstance(exc, httpx.ReadTimeout) else timeout.write
            kind = "read" if isinstance(exc, httpx.ReadTimeout) else type(exc).__name__
            return _Try(TryKind.TIMEOUT, Outcome.TIMEOUT, f"{kind} timeout after {seconds:.1f} s")
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
            # the class only: the message may quote what the server sent (text from the other side never goes to the
            # log or the lookup database, kiosk.privacy.foreign_code)
            return _Try(TryKind.TRANSIENT, Outcome.SERVICE_ERROR, f"connection dropped: {type(exc).__name__}")
        except httpx.HTTPError as exc:
            return _Try(TryKind.FINAL, Outcome.SERVICE_ERROR, f"HTTP error: {type(exc).__name__}")
        except Exception as exc:  # lookup() never raises: a bug here still ends as a typed result
            log.exception("unexpected error while sending a lookup")
            return _Try(TryKind.FINAL, Outcome.SERVICE_ERROR, f"unexpected client error: {type(exc).__name__}")
        # verified here, once the status is known, so that an unsigned 502/503/504 from a proxy stays transient
        try:
            verify_response(response, request, self._service_key)
        except ResponseSignatureError as exc:
            if response.status_code in RETRYABLE_STATUS and exc.reason == "unsigned":
                # A gateway or proxy in front of the service says it is unavailable; nothing is used.
                return _Try(TryKind.TRANSIENT, Outcome.SERVICE_ERROR, f"HTTP {response.status_code} (unsigned)")
            return _Try(TryKind.FINAL, Outcome.REJECTED_SIGNATURE, f"response signature invalid: {exc.reason}")
        except Exception as exc:
            log.exception("unexpected error while verifying a response signature")
            return _Try(TryKind.FINAL, Outcome.REJECTED_SIGNATURE,
                        f"response signature invalid: unexpected {type(exc).__name__}")
        return _classify(response)


async def _read_capped(response: httpx.Response) -> bytes | None:
    """The body, or None as soon as it passes ``MAX_RESPONSE_BYTES``."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _classify(response: httpx.Response) -> _Try:
    status = response.status_code
    if status == 200:
        try:
            answer = parse_answer(response.content)
        except MalformedAnswer as exc:
            return _Try(TryKind.FINAL, Outcome.SERVICE_ERROR, f"malformed response: {exc}")
        if answer.result_code in RETRYABLE_RESULT_CODES:
            return _Try(TryKind.TRANSIENT, Outcome.SERVICE_ERROR, f"result code {answer.result_code}", answer)
        return _Try(TryKind.ANSWER, answer.outcome, answer.reason or "", answer)
    problem = _problem(response)
    if status == 401:
        detail = foreign_code(problem.get("reason")) or "no reason given"
        kind = TryKind.RESIGN if str(problem.get("reason")) in TRANSIENT_SIGNATURE_REASONS else TryKind.FINAL
        return _Try(kind, Outcome.SETUP_ERROR, f"HTTP 401: service rejected the kiosk: {detail}")
    if status == 422:
        fields = _problem_fields(problem)
        named = f"fields: {', '.join(fields)}" if fields else "no field named"
        return _Try(TryKind.FINAL, Outcome.SETUP_ERROR, f"HTTP 422: service rejected the request (kiosk bug): {named}")
    if status in RETRYABLE_STATUS:
        return _Try(TryKind.TRANSIENT, Outcome.SERVICE_ERROR, f"HTTP {status}")
    return _Try(TryKind.FINAL, Outcome.SERVICE_ERROR, f"HTTP {status}")


def _problem(response: httpx.Response) -> dict[str, Any]:
    """The problem+json body of an error answer ({} when it has none)."""
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        return {}
    return body if isinstance(body, dict) else {}


def _problem_fields(problem: dict[str, Any]) -> list[str]:
    """Field names in a 422 problem (``errors``/``invalid_params`` lists, or FastAPI's ``detail`` list)."""
    names: list[str] = []
    for key in ("errors", "invalid_params", "detail"):
        items = problem.get(key)
        if not isinstance(items, list):
            continue
        for item in items:
            if not isinstance(item, dict):
                continue
            name = item.get("field") or item.get("name") or item.get("pointer")
            loc = item.get("loc")
            if not name and isinstance(loc, list):
                name = ".".join(str(p) for p in loc if p != "body")
            if foreign_code(name) and name not in names:  # a field's path, never the text of a message
                names.append(name)
    return names
