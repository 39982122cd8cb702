"""Run the mocked service with uvicorn: in the foreground (``bhyt-kiosk service``) or in a background
thread (:func:`start_service`, for the app's demo mode and for tests).

Keys: ``<keys-dir>/service.pem`` is the service's private key (made on first start, mode 0600);
kiosk public keys the service trusts go in ``<keys-dir>/trusted/<kiosk-id>.pem``.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

import uvicorn
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kiosk.http_limits import DEFAULT_LIMITS, HttpLimits, uvicorn_options
from kiosk.signing.keys import generate_private_key, load_private_key, save_private_key
from kiosk.signing.profile import MAX_SKEW_S
from kiosk.signing.service_verifier import ReplayCache, RequestVerifier, TrustedKeys
from kiosk.standins.population import DEFAULT_SEED, DEFAULT_SIZE, Population, generate_population
from kiosk.standins.service.app import ServiceState, create_app
from kiosk.standins.service.faults import FaultInjector, FaultSpec, parse_fault_spec

log = logging.getLogger(__name__)

SERVICE_KEY_FILE = "service.pem"
TRUSTED_DIR = "trusted"
STARTUP_TIMEOUT_S = 15.0
STOP_TIMEOUT_S = 10.0


def default_service_keys_dir() -> Path:
    from kiosk.paths import default_keys_dir

    return default_keys_dir() / "service"


def trusted_keys_dir(keys_dir: Path) -> Path:
    return Path(keys_dir) / TRUSTED_DIR


def load_or_create_service_key(keys_dir: Path) -> Ed25519PrivateKey:
    """``<keys_dir>/service.pem``, made (mode 0600) when missing; also makes ``<keys_dir>/trusted/``."""
    keys_dir = Path(keys_dir)
    trusted_keys_dir(keys_dir).mkdir(parents=True, exist_ok=True)
    path = keys_dir / SERVICE_KEY_FILE
    if path.exists():
        return load_private_key(path)
    key = generate_private_key()
    save_private_key(key, path)
    log.info("made a new service key: %s", path)
    return key


def resolve_faults(faults: FaultSpec | str | None) -> FaultSpec:
    if faults is None:
        return FaultSpec()
    if isinstance(faults, FaultSpec):
        return faults
    return parse_fault_spec(faults)


def request_verifier(keys_dir: Path) -> RequestVerifier:
    """The request-signature policy of a signed service: kiosk keys from ``<keys_dir>/trusted/``, a per-key replay
    cache. The cache starts empty: signatures made before now (less the allowed skew) could be replays."""
    return RequestVerifier(
        TrustedKeys(trusted_keys_dir(keys_dir)),
        ReplayCache(),
        not_before=time.time() - MAX_SKEW_S,
    )


def build_state(
    *,
    population: Population | Path | str | None,
    keys_dir: Path,
    faults: FaultSpec | str | None = None,
    limits: HttpLimits = DEFAULT_LIMITS,
) -> ServiceState:
    """``faults``: None leaves fault injection off, and ``/v1/admin/faults`` closed; a spec (even "") opens it to
    loopback clients that show the state's ``admin_token``."""
    if population is None:
        population = generate_population(DEFAULT_SEED, DEFAULT_SIZE)
    elif not isinstance(population, Population):
        population = Population.load(Path(population))
    return ServiceState(
        population=population,
        private_key=load_or_create_service_key(keys_dir),
        verifier=request_verifier(keys_dir),
        faults=FaultInjector(resolve_faults(faults)),
        admin_token=None if faults is None else secrets.token_urlsafe(24),
        limits=limits,
    )


def _uvicorn_server(state: ServiceState, host: str, port: int, app: object = None) -> uvicorn.Server:
    """The service's app (or ``app``: another signed app on the same stack, the collector) on uvicorn; the
    verification threads start with it."""
    state.verify_pool()
    return uvicorn.Server(uvicorn.Config(
        app if app is not None else create_app(state),  # type: ignore[arg-type]
        host=host,
        port=port,
        lifespan="off",
        access_log=False,
        log_level="warning",
        proxy_headers=False,  # the admin endpoint judges the real peer address
        server_header=False,
        timeout_graceful_shutdown=2,
        **uvicorn_options(state.limits),  # head size, slow clients, connections per client (kiosk.http_limits)
    ))


def _bind(host: str, port: int) -> socket.socket:
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
        sock.set_inheritable(True)
    except OSError:
        sock.close()
        raise
    return sock


class RunningService:
    """A service running in a background thread on a real uvicorn server. Use as a context manager,
    or call :meth:`stop` (it joins the server thread)."""

    def __init__(self, state: ServiceState, *, host: str = "127.0.0.1", port: int = 0, app: object = None) -> None:
        self.state = state
        self.host = host
        self._socket = _bind(host, port)
        self.port: int = self._socket.getsockname()[1]
        self.url = f"http://[{host}]:{self.port}" if ":" in host else f"http://{host}:{self.port}"  # IPv6 in []
        self._server = _uvicorn_server(state, host, self.port, app)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name=f"bhyt-service-{self.port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the service did not start on {self.url}: {self._error or 'timeout'}")
            time.sleep(0.01)

    def _run(self) -> None:
        try:
            self._server.run(sockets=[self._socket])
        except BaseException as exc:  # reported by the starting thread
            self._error = exc

    @property
    def service_public_key(self) -> Ed25519PublicKey:
        return self.state.public_key

    def set_faults(self, faults: FaultSpec | str | None) -> None:
        """Replace the fault injection (a spec string in the faults grammar, a FaultSpec, or None: off)."""
        self.state.faults.set(resolve_faults(faults))

    def stop(self) -> None:
        self.state.stopping.set()
        self._server.should_exit = True
        self._thread.join(STOP_TIMEOUT_S)
        if self._thread.is_alive():
            self._server.force_exit = True
            self._thread.join(STOP_TIMEOUT_S)
        with contextlib.suppress(OSError):
            self._socket.close()
        self.state.close()

    def __enter__(self) -> RunningService:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def start_service(
    *,
    population: Population | Path | str | None = None,
    keys_dir: Path,
    host: str = "127.0.0.1",
    port: int = 0,
    faults: FaultSpec | str | None = None,
    limits: HttpLimits = DEFAULT_LIMITS,
) -> RunningService:
    """Start the service in a background thread (port 0: a free port) and return once it accepts
    connections. ``population``: a Population, a JSONL file, or None for the default population."""
    state = build_state(population=population, keys_dir=keys_dir, faults=faults, limits=limits)
    return RunningService(state, host=host, port=port)


def serve(
    state: ServiceState,
    *,
    host: str,
    port: int,
    app: object = None,
    on_listening: Callable[[int], None] = lambda port: None,
) -> None:
    """Run in the foreground until interrupted (Ctrl+C). The port is bound first (an OSError if it cannot be),
    then ``on_listening`` hears the port bound (the free one picked for port 0)."""
    try:
        sock = _bind(host, port)
        try:
            bound = sock.getsockname()[1]
            server = _uvicorn_server(state, host, bound, app)
            on_listening(bound)
            server.run(sockets=[sock])
        finally:
            sock.close()
    finally:
        state.stopping.set()
        state.close()
