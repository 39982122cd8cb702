"""The mocked population-data service as an ASGI app (FastAPI inside a signing middleware).

:class:`SignedServiceMiddleware` wraps the FastAPI app. For ``/v1/eligibility/...`` it checks the
request signature before anything else (a refused request gets a signed 401 problem and never reaches
FastAPI), then applies injected faults. It signs every response (``"@status" "content-type"
"content-digest"``, bound to the request signature with ``"signature";req;key="sig1"`` when the request
carried one) with the service key.

Endpoints: ``POST /v1/eligibility/lookups``, ``GET /v1/service-key`` (JWK), ``GET``/``PUT
/v1/admin/faults`` (only when started with faults; loopback peers with the admin token printed at start),
``GET /openapi.json``. Header fields over the limits of :mod:`kiosk.http_limits` get 431/400 before anything is
parsed; signature fields larger than a kiosk's are checked on a small thread pool, off the event loop.
"""

from __future__ import annotations

import asyncio
import base64
import collections
import concurrent.futures
import datetime
import hmac
import ipaddress
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send

from kiosk import __version__
from kiosk.http_limits import DEFAULT_LIMITS, HttpLimits, field_problem
from kiosk.signing.keys import key_thumbprint, public_key_jwk
from kiosk.signing.profile import REQUEST_COMPONENTS, SIGNATURE_LABEL, HeaderLines
from kiosk.signing.service_verifier import (
    RequestBinding,
    RequestRejected,
    RequestVerifier,
    request_binding,
    sign_response_headers,
)
from kiosk.standins.population import Population
from kiosk.standins.service.faults import Fault, FaultDecision, FaultInjector, FaultSpec, FaultSpecError
from kiosk.standins.service.gateway import answer_json, decide
from kiosk.wire import VIETNAM_TZ, LookupAnswer, LookupRequestBody, PublicJwk

log = logging.getLogger(__name__)

LOOKUP_PATH = "/v1/eligibility/lookups"
SERVICE_KEY_PATH = "/v1/service-key"
FAULTS_PATH = "/v1/admin/faults"
PROTECTED_PREFIX = "/v1/eligibility/"
MAX_BODY_BYTES = 64 * 1024
PROBLEM_TYPE = "urn:bhyt-kiosk:problem:"
PROBLEM_JSON = "application/problem+json"
ACCEPT_SIGNATURE = (
    f"{SIGNATURE_LABEL}=(" + " ".join(f'"{c}"' for c in REQUEST_COMPONENTS) + ');alg="ed25519"'
)  # RFC 9421 section 5.1: what a signature must look like


VERIFY_THREADS = 2
INLINE_VERIFY_MAX_BYTES = 640  # Signature + Signature-Input of a kiosk request: ~300 bytes


@dataclass(kw_only=True)
class SignedState:
    """What :class:`SignedServiceMiddleware` needs of a signed service (the mock service, the log collector)."""

    private_key: Ed25519PrivateKey
    verifier: RequestVerifier
    faults: FaultInjector = field(default_factory=FaultInjector)
    stopping: threading.Event = field(default_factory=threading.Event)
    clock: Callable[[], float] = time.time
    admin_token: str | None = None  # None: PUT/GET /v1/admin/faults are off (the service was started without faults)
    limits: HttpLimits = DEFAULT_LIMITS
    _verify_pool: concurrent.futures.ThreadPoolExecutor | None = field(default=None, repr=False)

    def verify_pool(self) -> concurrent.futures.ThreadPoolExecutor:
        """Where request signatures are checked: off the event loop, so that one costly request never stalls the
        others (parsing is bounded by the field limits, the Ed25519 check is the rest)."""
        if self._verify_pool is None:
            pool = concurrent.futures.ThreadPoolExecutor(VERIFY_THREADS, thread_name_prefix="verify")
            barrier = threading.Barrier(VERIFY_THREADS)  # start every thread now, not on the first requests
            for future in [pool.submit(barrier.wait, 10) for _ in range(VERIFY_THREADS)]:
                future.result()
            self._verify_pool = pool
        return self._verify_pool

    def close(self) -> None:
        """Stop the verification threads (after the server has stopped)."""
        if self._verify_pool is not None:
            self._verify_pool.shutdown(wait=True, cancel_futures=True)
            self._verify_pool = None

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    @property
    def keyid(self) -> str:
        return key_thumbprint(self.public_key)


class RepeatCounter:
    """Recognises a repeated attempt id (a kiosk's retry of the same attempt); remembers the last ``bound`` ids."""

    def __init__(self, bound: int = 100_000) -> None:
        self._seen: collections.OrderedDict[str, None] = collections.OrderedDict()
        self._bound = bound
        self._lock = threading.Lock()
        self.repeated = 0  # lookups whose attempt id was seen before

    def see(self, attempt_id: str | None) -> None:
        """Count a verified lookup request of ``attempt_id`` (before any injected fault)."""
        if attempt_id is None:
            return
        with self._lock:
            if attempt_id in self._seen:
                self.repeated += 1
                self._seen.move_to_end(attempt_id)
            else:
                self._seen[attempt_id] = None
                if len(self._seen) > self._bound:
                    self._seen.popitem(last=False)


@dataclass(kw_only=True)
class ServiceState(SignedState):
    population: Population
    repeats: RepeatCounter = field(default_factory=lambda: RepeatCounter())


# ------------------------------------------------------------------------------------------ problems
def problem_response(status: int, slug: str, title: str, detail: str, **extra: Any) -> JSONResponse:
    """An RFC 9457 problem answer."""
    body = {"type": PROBLEM_TYPE + slug, "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


# A reply for the middleware to sign and send: status, header lines, body.
_Reply = tuple[int, list[tuple[str, str]], bytes]


def _text_headers(raw: list[tuple[bytes, bytes]]) -> list[tuple[str, str]]:
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, v in raw]


def _reply(response: Response) -> _Reply:
    return response.status_code, _text_headers(response.raw_headers), bytes(response.body)


def _internal_error(detail: str) -> _Reply:
    return _reply(problem_response(500, "internal-error", "Internal error", detail))


# ---------------------------------------------------------------------------------------- the models
class Problem(BaseModel):
    type: str
    title: str
    status: int
    detail: str


class FieldError(BaseModel):
    field: str
    pointer: str
    message: str
    type: str


class ValidationProblem(Problem):
    errors: list[FieldError]


class SignatureProblem(Problem):
    reason: str


_PROBLEM_CONTENT = {PROBLEM_JSON: {}}
_ADMIN_PROBLEMS: dict[int | str, dict[str, Any]] = {  # what both admin endpoints may answer
    403: {"model": Problem, "content": _PROBLEM_CONTENT},
    404: {"model": Problem, "content": _PROBLEM_CONTENT},
}


# ------------------------------------------------------------------------------------------- the app
def create_app(state: ServiceState) -> SignedServiceMiddleware:
    """The ASGI app: FastAPI routes wrapped in the signature middleware."""
    api = FastAPI(
        title="BHYT eligibility lookups (mocked population-data service)",
        version=__version__,
        description=(
            "Stands in for the BHXH card-check gateway. Requests to /v1/eligibility/ must carry an RFC 9421 "
            f"signature labelled {SIGNATURE_LABEL} (Ed25519) covering {' '.join(REQUEST_COMPONENTS)} with "
            "created, expires, nonce and keyid; every response is signed by the service key "
            f"({SERVICE_KEY_PATH})."
        ),
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
    )

    @api.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [_field_error(e) for e in exc.errors()]
        fields = list(dict.fromkeys(e["field"] for e in errors))
        detail = f"{len(fields)} field(s) are invalid: {', '.join(fields)}"
        return problem_response(422, "invalid-request", "Invalid request", detail, errors=errors)

    @api.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        title = {404: "Not found", 405: "Method not allowed"}.get(exc.status_code, "HTTP error")
        response = problem_response(exc.status_code, f"http-{exc.status_code}", title, str(exc.detail))
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    @api.post(
        LOOKUP_PATH,
        response_model=None,
        summary="Check a person's health-insurance card",
        responses={
            200: {"model": LookupAnswer, "description": "The gateway's answer (see result_code)"},
            401: {"model": SignatureProblem, "description": "Signature refused", "content": _PROBLEM_CONTENT},
            422: {"model": ValidationProblem, "description": "Malformed fields", "content": _PROBLEM_CONTENT},
        },
    )
    async def lookup(body: LookupRequestBody) -> JSONResponse:
        # SignedServiceMiddleware answers well-formed JSON lookups itself (the same function, the same
        # bytes); FastAPI gets the others and answers malformed ones with its 422 problem.
        return JSONResponse(lookup_answer(state, body))

    @api.get(
        SERVICE_KEY_PATH,
        response_model=PublicJwk,
        summary="The service's public key (JWK) that signs every response",
    )
    async def service_key() -> dict[str, str]:
        return {**public_key_jwk(state.public_key, kid=state.keyid), "use": "sig", "alg": "EdDSA"}

    @api.get(
        FAULTS_PATH,
        response_model=dict[str, Any],
        summary="Current fault injection (loopback only, with the admin token; only when started with faults)",
        responses=_ADMIN_PROBLEMS,
    )
    async def get_faults(request: Request) -> Any:  # the settings, or a problem
        refused = _admin_refusal(state, request)
        return refused if refused is not None else state.faults.spec.to_json()

    @api.put(
        FAULTS_PATH,
        response_model=dict[str, Any],
        summary='Set fault injection (loopback only, with the admin token): {"spec": "error=0.1,seed=3"} or fields',
        responses={**_ADMIN_PROBLEMS, 422: {"model": Problem, "content": _PROBLEM_CONTENT}},
    )
    async def put_faults(request: Request) -> Any:  # the settings, or a problem
        refused = _admin_refusal(state, request)
        if refused is not None:
            return refused
        try:
            spec = FaultSpec.from_json(json.loads(await request.body()))
        except ValueError as exc:  # not JSON, not UTF-8, or a FaultSpecError
            detail = str(exc) if isinstance(exc, FaultSpecError) else "the body is not JSON"
            return problem_response(422, "invalid-faults", "Invalid fault settings", detail)
        state.faults.set(spec)
        log.info("faults set to %s", spec.to_text())
        return spec.to_json()

    return SignedServiceMiddleware(api, state)


def lookup_answer(state: ServiceState, body: LookupRequestBody) -> dict[str, Any]:
    """The 200 answer to a validated lookup."""
    return answer_json(decide(state.population, body), datetime.datetime.fromtimestamp(state.clock(), VIETNAM_TZ))


def _admin_refusal(state: ServiceState, request: Request) -> JSONResponse | None:
    """Fault injection only when the service was started with faults, from loopback, with its admin token."""
    if state.admin_token is None:
        return problem_response(404, "faults-off", "Fault injection is off",
                                "start the service with --faults to use the admin endpoints")
    host = request.client.host if request.client else ""
    try:
        loopback = ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        return problem_response(403, "forbidden", "Forbidden", "the admin endpoints answer loopback clients only")
    given = request.headers.get("authorization", "")
    expected = f"Bearer {state.admin_token}"
    if not hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("utf-8")):
        detail = "the admin endpoints need the token the service printed at start (Authorization: Bearer)"
        return problem_response(403, "forbidden", "Forbidden", detail)
    return None


def _field_error(error: Any) -> dict[str, str]:
    """One of a 422 problem's ``errors``: FastAPI's error with the field's name and JSON pointer (RFC 6901)."""
    not_json = error["type"] == "json_invalid"
    loc = [] if not_json else [str(p) for p in error["loc"][1:]]  # after "body"
    return {
        "field": ".".join(loc) or "body",
        "pointer": "#/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in loc),
        "message": "the request body is not valid JSON" if not_json else error["msg"],
        "type": error["type"],
    }


# ------------------------------------------------------------------------------------ the middleware
class _BodyTooLarge(Exception):
    pass


async def _read_body(scope: Scope, receive: Receive, limit: int) -> bytes:
    """The request body; :class:`_BodyTooLarge` past ``limit`` bytes, Starlette's ClientDisconnect when the client
    left."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in Request(scope, receive).stream():
        size += len(chunk)
        if size > limit:
            raise _BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def _target_uri(scope: Scope, headers: list[tuple[str, str]]) -> str:
    """``@target-uri`` as received: scheme, Host header, raw path and query."""
    host = next((v for k, v in headers if k.lower() == "host"), "")
    raw_path = scope.get("raw_path") or scope["path"].encode("utf-8")
    path = raw_path.decode("latin-1").split("?", 1)[0]
    query = scope.get("query_string", b"").decode("latin-1")
    return f"{scope.get('scheme', 'http')}://{host}{path}" + (f"?{query}" if query else "")


def _attempt_id_of(body: bytes) -> str | None:
    """The ``attempt_id`` of a lookup body, if it has a well-formed one (the route validates the rest)."""
    try:
        value = json.loads(body).get("attempt_id")
    except (ValueError, UnicodeDecodeError, AttributeError):
        return None
    return value if isinstance(value, str) and 0 < len(value) <= 64 else None


class SignedServiceMiddleware:
    """Checks request signatures on protected paths, injects faults, and signs every response."""

    # Another signed service (the log collector) reuses this middleware with its own protected paths and body bound.
    protected_prefix = PROTECTED_PREFIX
    max_body_bytes = MAX_BODY_BYTES

    def __init__(self, app: Any, state: SignedState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _text_headers(scope.get("headers", []))
        too_big = field_problem(headers, self.state.limits)  # before the body is read or any field parsed
        if too_big is not None:
            status, detail = too_big
            title = "Request header fields too large" if status == 431 else "Header field too large"
            await self._send_signed(send, _reply(problem_response(status, "too-large", title, detail)), None)
            return
        try:
            body = await _read_body(scope, receive, self.max_body_bytes)
        except ClientDisconnect:
            return
        except _BodyTooLarge:
            detail = f"the request body is larger than {self.max_body_bytes} bytes"
            await self._send_signed(send, _reply(problem_response(413, "too-large", "Request too large", detail)), None)
            return
        target_uri = _target_uri(scope, headers)
        decision = FaultDecision(Fault.NONE)
        if not scope["path"].startswith(self.protected_prefix):
            # Unprotected paths: a request that carries a sig1 value still gets a bound answer.
            binding = request_binding(HeaderLines(headers))
        else:
            try:
                verified = await self._verify(scope["method"], target_uri, headers, body)
            except RequestRejected as rejected:
                log.info("request signature refused: %s", rejected.reason)
                refusal = problem_response(401, "signature-rejected", "Request signature rejected", rejected.detail,
                                           reason=rejected.reason)
                refusal.headers["Accept-Signature"] = ACCEPT_SIGNATURE
                await self._send_signed(send, _reply(refusal), rejected.binding)
                return
            binding = verified.binding
            scope.setdefault("state", {})["verified_request"] = verified  # the app's request.state: who signed
            if scope["path"] == LOOKUP_PATH:
                self.state.repeats.see(_attempt_id_of(body))
            decision = self.state.faults.draw()
            if decision.delay_s:
                await self._sleep(decision.delay_s)
            if decision.fault in (Fault.DROP, Fault.HANG):
                if decision.fault is Fault.HANG:
                    await self._sleep(self.state.faults.spec.hang_s)
                await self._drop(receive, send)
                return
            if decision.fault is Fault.ERROR:
                status = self.state.faults.spec.error_status
                error = problem_response(status, "injected-error", "Service unavailable", "injected fault")
                await self._send_signed(send, _reply(error), binding)
                return
        fast = self._fast_lookup(scope, headers, body)
        status, out_headers, out_body = fast if fast is not None else await self._call_app(scope, body, receive)
        if decision.fault is Fault.MALFORMED:
            out_body = out_body[: max(1, len(out_body) // 2)]
        await self._send_signed(send, (status, out_headers, out_body), binding, corrupt=decision.fault is Fault.BADSIG)

    async def _verify(self, method: str, target_uri: str, headers: list[tuple[str, str]], body: bytes) -> Any:
        """The request signature check. Signature fields the size of a kiosk's (a few hundred bytes) are checked
        here, in a fraction of a millisecond; larger ones (up to the field limit, crafted to be costly to parse) on
        the verification threads, so that they never hold up the event loop."""
        verify = self.state.verifier.verify
        size = sum(len(v) for k, v in headers if k.lower() in ("signature", "signature-input"))
        if size <= INLINE_VERIFY_MAX_BYTES:
            return verify(method, target_uri, headers, body)
        return await asyncio.get_running_loop().run_in_executor(
            self.state.verify_pool(), verify, method, target_uri, headers, body)

    def _fast_lookup(self, scope: Scope, headers: list[tuple[str, str]], body: bytes) -> _Reply | None:
        """The lookup answer without FastAPI's routing and dependency machinery, for the common case: a
        ``POST`` of a JSON body (Content-Type ``application/json``) that the route's model accepts. The
        body is parsed and validated as FastAPI does (``json.loads``, then the model), and the answer is
        the route's own. Anything else returns None and goes to FastAPI, which answers it (a malformed
        body gets its 422 problem, an unknown method its 405)."""
        if scope["method"] != "POST" or scope["path"] != LOOKUP_PATH or scope.get("root_path"):
            return None
        content_types = [v for k, v in headers if k.lower() == "content-type"]
        if len(content_types) != 1 or content_types[0].strip().lower() != "application/json":
            return None
        try:
            parsed = LookupRequestBody.model_validate(json.loads(body))
        except Exception:  # not JSON, or fields the model refuses: FastAPI gives the exact 422 answer
            return None
        try:
            return _reply(JSONResponse(lookup_answer(self.state, parsed)))  # as the route renders it
        except Exception:
            log.exception("the service failed on %s %s", scope.get("method"), scope.get("path"))
            return _internal_error("the service failed; see its log")

    async def _call_app(self, scope: Scope, body: bytes, receive: Receive) -> _Reply:
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        try:
            await self.app(scope, replay, capture)
        except Exception:
            log.exception("the service failed on %s %s", scope.get("method"), scope.get("path"))
            return _internal_error("the service failed; see its log")
        if "status" not in start:
            return _internal_error("no response was produced")
        return int(start["status"]), _text_headers(start.get("headers", [])), b"".join(chunks)

    async def _send_signed(
        self, send: Send, reply: _Reply, binding: RequestBinding | None, *, corrupt: bool = False
    ) -> None:
        """Send ``reply`` signed with the service key (bound to the request by ``binding``); ``corrupt``: with a
        broken signature (the badsig fault)."""
        status, headers, body = reply
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        if not any(k.lower() == "content-type" for k, _ in headers):
            headers.append(("content-type", "application/octet-stream"))
        signed = sign_response_headers(status, headers, body, self.state.private_key, request_signature=binding)
        if corrupt:
            signed = [(k, _corrupt_signature(v) if k.lower() == "signature" else v) for k, v in signed]
        raw_headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in signed]
        raw_headers.append((b"content-length", str(len(body)).encode("ascii")))
        await send({"type": "http.response.start", "status": status, "headers": raw_headers})
        await send({"type": "http.response.body", "body": body, "more_body": False})

    async def _sleep(self, seconds: float) -> None:
        """Sleep, but wake up when the service is stopping (so that stop() never waits for a hang)."""
        loop = asyncio.get_running_loop()
        end = loop.time() + seconds
        while not self.state.stopping.is_set():
            remaining = end - loop.time()
            if remaining <= 0:
                return
            await asyncio.sleep(min(0.05, remaining))

    async def _drop(self, receive: Receive, send: Send) -> None:
        """Close the connection without an answer (uvicorn: the cycle's transport)."""
        transport = getattr(getattr(receive, "__self__", None), "transport", None)
        if transport is not None and hasattr(transport, "close"):
            transport.close()
            await asyncio.sleep(0)  # let the server notice the connection is gone
            return
        # Another server: announce a body and never send it (the client sees a broken message).
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"1000")]})
        raise ConnectionAbortedError("injected dropped connection")


def _corrupt_signature(value: str) -> str:
    """``sig1=:<base64>:`` (the value this middleware just made) with one bit of the signature flipped."""
    label, _, encoded = value.partition("=:")
    raw = bytearray(base64.b64decode(encoded.rstrip(":")))
    raw[0] ^= 0x01
    return f"{label}=:{base64.b64encode(raw).decode('ascii')}:"
