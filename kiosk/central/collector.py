"""The central log collector: kiosks POST signed batches of attempts, it stores them in the central store.

Same stack and signing profile as the mocked service (:mod:`kiosk.standins.service`): uvicorn, FastAPI inside the same
:class:`~kiosk.standins.service.app.SignedServiceMiddleware` (request signatures checked before anything else, with the
same reasons and replay cache; every response signed and bound to the request), kiosk keys trusted from
``<keys-dir>/trusted/<kiosk-id>.pem``, its own key ``<keys-dir>/service.pem`` published at ``GET /v1/service-key``.

``POST /v1/logs/batches`` (see :mod:`kiosk.central.wire`): 200 with the counts; refused batches store nothing:

- 401 ``signature-rejected`` (unsigned, unknown kiosk, replayed, forged, stale: the reason is in ``reason``);
- 403 ``wrong-kiosk``: the batch or one of its attempts names another kiosk than the key that signed it;
- 413 ``too-large``; 422 ``malformed-batch`` (with ``errors``); 503 ``store-unavailable`` (try again later).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from kiosk import __version__
from kiosk.central.store import CentralStore, open_store
from kiosk.central.wire import BATCHES_PATH, MAX_BATCH_BYTES, WireError, batch_rows, parse_batch
from kiosk.http_limits import DEFAULT_LIMITS, HttpLimits
from kiosk.log.schema import LogError
from kiosk.signing.keys import public_key_jwk
from kiosk.signing.service_verifier import VerifiedRequest
from kiosk.standins.service.app import SERVICE_KEY_PATH, Scope, SignedServiceMiddleware, SignedState, problem_response
from kiosk.standins.service.faults import FaultInjector, FaultSpec
from kiosk.standins.service.server import (
    RunningService,
    load_or_create_service_key,
    request_verifier,
    resolve_faults,
    serve,
)

log = logging.getLogger(__name__)


@dataclass(kw_only=True)
class CollectorState(SignedState):
    """The signed-service state (key, request verifier, faults) with the central store."""

    store: CentralStore


class CollectorMiddleware(SignedServiceMiddleware):
    protected_prefix = "/v1/logs/"
    max_body_bytes = MAX_BATCH_BYTES

    def _fast_lookup(self, scope: Scope, headers: list[tuple[str, str]], body: bytes) -> None:
        return None  # no eligibility lookups here: every request goes to the routes (404 for that path)


def _store_batch(state: CollectorState, keyid: str, body: bytes) -> JSONResponse:
    try:
        batch = parse_batch(body)
        if batch.kiosk_id != keyid:
            detail = f"the batch is for kiosk {batch.kiosk_id!r} but signed by {keyid!r}: a kiosk sends only its own"
            return problem_response(403, "wrong-kiosk", "Another kiosk's batch", detail)
        foreign = sorted({a.kiosk_id for a in batch.attempts if a.kiosk_id != keyid})
        if foreign:
            detail = (
                f"attempts of kiosk(s) {', '.join(foreign)} in a batch signed by {keyid!r}: a kiosk writes only its own"
            )
            return problem_response(403, "wrong-kiosk", "Another kiosk's attempts", detail)
        rows = batch_rows(batch)
    except WireError as exc:
        return problem_response(422, "malformed-batch", "Malformed batch", str(exc), errors=exc.errors)
    try:
        result = state.store.write_batch(keyid, rows, backlog=batch.backlog)
    except LogError as exc:
        log.error("collector: batch from %s not stored: %s", keyid, exc)
        return problem_response(503, "store-unavailable", "Store unavailable", "the central store is unavailable")
    log.info(
        "collector: %s sent %d attempts (%d new, %d updated)", keyid, result.received, result.stored, result.updated
    )
    return JSONResponse(asdict(result))  # {"received", "stored", "updated", "unchanged"}


def create_collector_app(state: CollectorState) -> CollectorMiddleware:
    api = FastAPI(
        title="BHYT kiosk log collector",
        version=__version__,
        description="Receives signed batches of lookup attempts from a province's kiosks.",
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
    )

    @api.post(BATCHES_PATH, summary="Store a batch of attempts (idempotent by attempt id)")
    async def batches(request: Request) -> JSONResponse:
        verified: VerifiedRequest = request.state.verified_request
        body = await request.body()
        return await run_in_threadpool(_store_batch, state, verified.keyid, body)

    @api.get(SERVICE_KEY_PATH, summary="The collector's public key (JWK) that signs every response")
    async def service_key() -> dict[str, str]:
        return {**public_key_jwk(state.public_key, kid=state.keyid), "use": "sig", "alg": "EdDSA"}

    return CollectorMiddleware(api, state)  # type: ignore[arg-type]


def default_collector_keys_dir() -> Path:
    from kiosk.paths import default_keys_dir

    return default_keys_dir() / "collector"


def build_collector_state(
    *,
    database: str | Path,
    keys_dir: Path,
    faults: FaultSpec | str | None = None,
    limits: HttpLimits = DEFAULT_LIMITS,
) -> CollectorState:
    """The collector's key (made on first start), the mocked service's request policy and HTTP limits (kiosks behind
    one address, a facility's NAT, share its ``max_connections_per_client``), and the store (migrated)."""
    return CollectorState(
        private_key=load_or_create_service_key(keys_dir),
        verifier=request_verifier(keys_dir),
        store=open_store(database),
        faults=FaultInjector(resolve_faults(faults)),
        limits=limits,
    )


class RunningCollector(RunningService):
    """A collector on a real uvicorn server in a background thread (tests, benchmarks). ``stop()`` closes the store."""

    def __init__(self, state: CollectorState, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.collector = state
        super().__init__(state, host=host, port=port, app=create_collector_app(state))  # type: ignore[arg-type]

    def stop(self) -> None:
        super().stop()
        self.collector.store.close()


def serve_collector(
    state: CollectorState, *, host: str, port: int, on_listening: Callable[[int], None] = lambda port: None
) -> None:
    try:
        serve(state, host=host, port=port, app=create_collector_app(state),  # type: ignore[arg-type]
              on_listening=on_listening)
    finally:
        state.store.close()
