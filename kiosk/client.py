"""The signed eligibility-lookup client: httpx with the policy in the client, signing as an ``httpx.Auth``.

:meth:`LookupClient.lookup` never raises for service or network problems: every failure becomes an
:class:`~kiosk.eligibility.EligibilityResult` with a failure outcome and a technical ``reason``.

Policy
------
* Timeouts: ``connect_timeout_s`` for the TCP/TLS connect, ``read_timeout_s`` for the answer. One
  lookup, retries included, ends by a deadline of ``read_timeout_s + 1 s``: each try gets at most the
  time left (its httpx timeouts are clipped), and no retry starts after the deadline. httpx's read
  timeout applies to each socket read, so a server that trickles bytes slowly would stretch a try; the
  deadline is therefore also enforced from outside the try (see "Aborting a try" below): such a try is
  cut at the deadline and ends as TIMEOUT.
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
* Cancellation (``cancel`` event): a cancelled lookup returns CANCELLED at once (within about
  ``SUPERVISE_POLL_S``), whether it was waiting to start, backing off or had a request in flight; the
  breaker learns nothing from it.
* Aborting a try: each try runs on a short-lived worker thread of the lookup while the calling thread
  watches the cancel event and the deadline. When either fires, the try's sockets are shut down
  (``socket.shutdown(SHUT_RDWR)``, which wakes a blocked ``recv``/``send`` on Linux, macOS and Windows;
  closing the socket from another thread does not wake it on Linux) and a connect in progress stops
  at its next poll (``CONNECT_POLL_S``). For this the client's transport (:class:`AbortableTransport`,
  an httpcore connection pool behind httpx's public transport interface) uses its own small network
  backend (:class:`AbortableBackend`, plain sockets and TLS like httpcore's sync backend). The
  worker is joined before :meth:`LookupClient.lookup` returns: no thread is left behind. Not
  interruptible: a DNS lookup (bounded by the system resolver), and a custom ``transport`` given to
  the client (tests): its call is waited for.
* Thread safety: one client may serve lookups from several threads (httpx's pool and the breaker are
  thread-safe; each lookup keeps its own state and aborts only its own sockets).
"""

from __future__ import annotations

import contextlib
import enum
import json
import logging
import selectors
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, cast

import httpcore
import httpx

from kiosk import __version__
from kiosk.config import ConfigError, KioskConfig
from kiosk.eligibility import EligibilityResult, LookupRequest, MalformedAnswer, parse_answer
from kiosk.outcomes import RETRYABLE_RESULT_CODES, Outcome
from kiosk.signing.keys import SigningKeyError, load_private_key, load_public_key
from kiosk.signing.kiosk_auth import ResponseSignatureError, SignedRequestAuth, verify_response
from kiosk.signing.profile import SignatureError

log = logging.getLogger(__name__)

LOOKUP_PATH = "/v1/eligibility/lookups"
SERVICE_KEY_PATH = "/v1/service-key"
RETRYABLE_STATUS = frozenset({429, 502, 503, 504})
SUPERVISE_POLL_S = 0.02  # how often a lookup waiting for its try looks at the cancel event
CONNECT_POLL_S = 0.05  # how often a connect in progress looks at its abort switch


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


# --------------------------------------------------------------------- abortable network I/O


class TryAbort:
    """The abort switch of one try: :meth:`fire` shuts down the sockets the try is using right now and
    makes its next socket operation fail at once (thread-safe; fired from the lookup's calling thread)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self.fired = False
        self.interrupted = False  # the abort cut a socket operation short (or refused one)

    def fire(self) -> None:
        with self._lock:
            self.fired = True
            for sock in self._sockets:
                self.interrupted = True
                _shutdown(sock)

    def refuse(self, error: type[Exception]) -> None:
        """Raise ``error`` when the switch was fired (a try must not start new socket work after that)."""
        with self._lock:
            if self.fired:
                self.interrupted = True
                raise error("aborted: the lookup was cancelled or its deadline passed")

    @contextlib.contextmanager
    def using(self, sock: socket.socket, error: type[Exception]) -> Iterator[None]:
        with self._lock:
            if self.fired:
                self.interrupted = True
                raise error("aborted: the lookup was cancelled or its deadline passed")
            self._sockets.add(sock)
        try:
            yield
        finally:
            with self._lock:
                self._sockets.discard(sock)


_worker_state = threading.local()


def _current_abort() -> TryAbort | None:
    """The abort switch of the try running on this thread (None: not a lookup worker)."""
    abort: TryAbort | None = getattr(_worker_state, "abort", None)
    return abort


def _shutdown(sock: socket.socket) -> None:
    # socket.socket.shutdown, not SSLSocket.shutdown: that one also drops the TLS object under the
    # reading thread's feet; shutting down the TCP socket is what wakes the blocked call.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


@contextlib.contextmanager
def _socket_io(sock: socket.socket, error: type[Exception], timeout_error: type[Exception]) -> Iterator[None]:
    """One socket operation: registered with the try's abort switch, OS errors mapped to httpcore's."""
    abort = _current_abort()
    guard = abort.using(sock, error) if abort is not None else contextlib.nullcontext()
    try:
        with guard:
            yield
    except TimeoutError as exc:  # socket.timeout
        raise timeout_error(str(exc) or "timed out") from exc
    except OSError as exc:  # includes ssl.SSLError
        raise error(str(exc) or type(exc).__name__) from exc


def _wait_socket(sock: socket.socket, events: int, timeout: float | None) -> bool:
    """Wait until ``sock`` is ready for ``events`` (selectors: no FD_SETSIZE limit; on Windows a failed
    connect reports as writable)."""
    with selectors.DefaultSelector() as selector:
        selector.register(sock, events)
        return bool(selector.select(timeout))


def _connect(sock: socket.socket, address: Any, end: float | None, abort: TryAbort | None) -> None:
    """A non-blocking connect that stops at ``end`` (ConnectTimeout) or when ``abort`` fires."""
    sock.setblocking(False)
    try:
        sock.connect(address)
    except (BlockingIOError, InterruptedError):
        pass  # in progress
    except OSError as exc:
        raise httpcore.ConnectError(str(exc)) from exc
    else:
        return
    while True:
        if abort is not None:
            abort.refuse(httpcore.ConnectError)
        left = None if end is None else end - time.monotonic()
        if left is not None and left <= 0:
            raise httpcore.ConnectTimeout("timed out")
        step = left if abort is None else min(CONNECT_POLL_S, left if left is not None else CONNECT_POLL_S)
        if _wait_socket(sock, selectors.EVENT_WRITE, step):
            break
    code = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    if code:
        raise httpcore.ConnectError(str(OSError(code, f"connect to {address} failed")))


class AbortableStream(httpcore.NetworkStream):
    """A TCP (or TLS) stream whose reads and writes the try's :class:`TryAbort` can cut short."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        with _socket_io(self._sock, httpcore.ReadError, httpcore.ReadTimeout):
            self._sock.settimeout(timeout)
            return self._sock.recv(max_bytes)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        with _socket_io(self._sock, httpcore.WriteError, httpcore.WriteTimeout):
            while buffer:
                self._sock.settimeout(timeout)
                sent = self._sock.send(buffer)
                buffer = buffer[sent:]

    def close(self) -> None:
        self._sock.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        try:
            with _socket_io(self._sock, httpcore.ConnectError, httpcore.ConnectTimeout):
                self._sock.settimeout(timeout)
                tls = ssl_context.wrap_socket(self._sock, server_hostname=server_hostname)
        except Exception:
            self.close()
            raise
        return AbortableStream(tls)

    def get_extra_info(self, info: str) -> Any:
        if info == "ssl_object":  # httpcore asks it for the ALPN protocol; an SSLSocket answers that
            return self._sock if isinstance(self._sock, ssl.SSLSocket) else None
        if info == "client_addr":
            return self._sock.getsockname()
        if info == "server_addr":
            return self._sock.getpeername()
        if info == "socket":
            return self._sock
        if info == "is_readable":  # an idle pooled connection that is readable was closed by the server
            return self._sock.fileno() < 0 or _wait_socket(self._sock, selectors.EVENT_READ, 0)
        return None


class AbortableBackend(httpcore.NetworkBackend):
    """httpcore's network backend for the lookup client: like httpcore's sync backend, but each socket
    operation of a lookup try is registered with the try's abort switch (see the module docstring)."""

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Any = None) -> httpcore.NetworkStream:
        abort = _current_abort()
        if abort is not None:
            abort.refuse(httpcore.ConnectError)
        end = None if timeout is None else time.monotonic() + timeout
        try:
            addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        error: Exception = httpcore.ConnectError(f"no address for {host}")
        for family, kind, proto, _, address in addresses:
            sock = socket.socket(family, kind, proto)
            try:
                for option in socket_options or ():
                    sock.setsockopt(*option)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                if local_address:
                    sock.bind((local_address, 0))
                _connect(sock, address, end, abort)
            except httpcore.ConnectError as exc:
                sock.close()
                error = exc
                if abort is not None and abort.fired:
                    raise
                continue
            except BaseException:
                sock.close()
                raise
            return AbortableStream(sock)
        raise error

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


# httpcore's errors as httpx's (most specific first), as ``httpx.HTTPTransport`` maps them.
_HTTPX_ERRORS: tuple[tuple[type[Exception], type[httpx.TransportError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.ProxyError, httpx.ProxyError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
)


@contextlib.contextmanager
def _as_httpx_errors() -> Iterator[None]:
    try:
        yield
    except Exception as exc:
        for core_error, httpx_error in _HTTPX_ERRORS:
            if isinstance(exc, core_error):
                raise httpx_error(str(exc)) from exc
        raise


class _ResponseStream(httpx.SyncByteStream):
    def __init__(self, stream: Iterable[bytes]) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        with _as_httpx_errors():
            yield from self._stream

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()


class AbortableTransport(httpx.BaseTransport):
    """httpx's default transport rebuilt on the public APIs: an ``httpcore.ConnectionPool`` with
    :class:`AbortableBackend` as its network backend (httpx's limits, TLS from ``httpx.create_ssl_context``),
    httpcore errors raised as httpx's."""

    def __init__(self) -> None:
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=100,
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            network_backend=AbortableBackend(),
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path),
            headers=request.headers.raw,
            content=cast(Iterable[bytes], request.stream),
            extensions=request.extensions,
        )
        with _as_httpx_errors():
            response = self._pool.handle_request(core_request)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_ResponseStream(cast(Iterable[bytes], response.stream)),
            extensions=response.extensions,
        )

    def close(self) -> None:
        self._pool.close()


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
        config.validate_for_lookup()
        self.config = config
        assert config.private_key is not None
        try:
            self._private_key = load_private_key(config.private_key)
        except (SigningKeyError, OSError) as exc:
            raise ConfigError(f"private_key: unusable key {config.private_key}: {exc}") from None
        try:
            self._service_key = load_public_key(config.service_key)
        except (SigningKeyError, OSError) as exc:
            raise ConfigError(f"service_key: not a usable PEM or JWK public key: {exc}") from None
        # The auth signs each request (a fresh nonce and ``created`` per try); responses are verified
        # here, after the status is known, so that an unsigned 502/503/504 from a proxy stays transient.
        self._auth = SignedRequestAuth(self._private_key, config.kiosk_id, None)
        self._clock = clock
        self._sleep = sleep
        self.breaker = CircuitBreaker(config.breaker_threshold, config.breaker_reset_s, clock)
        if transport is None:
            transport = AbortableTransport()
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
            load_public_key(json.dumps(jwk))
        except SigningKeyError as exc:
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
            if cancel is not None and cancel.is_set():
                self.breaker.release()
                return fail(Outcome.CANCELLED, f"cancelled after {attempts} tries"
                            + (f" ({last.reason})" if last is not None else ""))
            attempts += 1
            last, cancelled = self._supervised_try(body, remaining, cancel)
            if cancelled:
                self.breaker.release()
                log.info("lookup cancelled during try %d", attempts)
                return fail(Outcome.CANCELLED, f"cancelled while try {attempts} was in flight")
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

    def _supervised_try(self, body: dict[str, Any], remaining: float,
                        cancel: threading.Event | None) -> tuple[_Try, bool]:
        """Run one try on a worker thread; abort it when ``cancel`` fires or ``remaining`` s of wall time
        pass. Returns the try and whether it was cancelled. The worker has ended when this returns."""
        abort = TryAbort()
        outcome: list[_Try] = []
        done = threading.Event()

        def work() -> None:
            _worker_state.abort = abort
            try:
                outcome.append(self._try_once(body, remaining))
            except BaseException as exc:  # _try_once catches Exception; this is the last net
                outcome.append(_Try(_Kind.FINAL, Outcome.SERVICE_ERROR, f"unexpected client error: "
                                    f"{type(exc).__name__}"))
            finally:
                _worker_state.abort = None
                done.set()

        worker = threading.Thread(target=work, name="lookup-try", daemon=True)
        end = time.monotonic() + remaining
        worker.start()
        cancelled = timed_out = False
        while not done.is_set():
            if cancel is not None and cancel.is_set():
                cancelled = True
                break
            left = end - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            done.wait(min(SUPERVISE_POLL_S, left) if cancel is not None else left)
        if cancelled or timed_out:
            abort.fire()
        worker.join()
        result = outcome[0]
        if timed_out and abort.interrupted:
            result = _Try(_Kind.TIMEOUT, Outcome.TIMEOUT,
                          f"deadline of {self.config.lookup_deadline_s:.1f} s passed before the answer was in")
        return result, cancelled

    def _try_once(self, body: dict[str, Any], remaining: float) -> _Try:
        timeout = self._timeout(remaining)
        try:
            response = self._http.post(LOOKUP_PATH, json=body, auth=self._auth, timeout=timeout)
        except SignatureError as exc:
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
            verify_response(response, response.request, self._service_key)
        except ResponseSignatureError as exc:
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
