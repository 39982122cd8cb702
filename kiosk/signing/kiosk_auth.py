"""The kiosk side of the signing profile: sign each lookup request (an ``httpx.Auth``) and check the service's
signed answer against the pinned service key (:func:`verify_response`)."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Generator

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kiosk.signing.keys import key_thumbprint
from kiosk.signing.profile import (
    KEYID_PATTERN,
    LIFETIME_S,
    REQUEST_BINDING_COMPONENT,
    RESPONSE_COMPONENTS,
    FieldProblem,
    RejectReason,
    ResponseView,
    SignatureError,
    check_digest,
    check_times,
    component_ids,
    content_digest,
    field_value,
    read_signature_fields,
    sign_fields,
    verify_message,
)

_REQUIRED_RESPONSE_IDS = component_ids(RESPONSE_COMPONENTS)


class ResponseSignatureError(SignatureError):
    """The kiosk refuses a response: unsigned, mis-signed, not bound to the request, or stale."""


def answer_coding(headers: httpx.Headers) -> str | None:
    """An answer's Content-Encoding when it is not ``identity``, else None. The kiosk's clients ask for ``identity``
    and refuse anything else unread: a small gzip body can decode to a thousand times its size."""
    coding = (headers.get("content-encoding") or "identity").strip().lower()
    return None if coding == "identity" else coding


def _check_keyid(keyid: str) -> None:
    if not KEYID_PATTERN.fullmatch(keyid):
        raise SignatureError("bad-keyid", f"kiosk id {keyid!r} must be letters, digits, '.', '-' or '_' (max 64)")


def sign_request(
    request: httpx.Request,
    private_key: Ed25519PrivateKey,
    keyid: str,
    *,
    created: int | None = None,
    nonce: str | None = None,
) -> None:
    """Sign ``request`` in place: set Content-Digest, Signature-Input and Signature (label ``sig1``).

    The request body must have been read and the request must have a Content-Type (it is covered).
    ``created`` defaults to now; ``expires`` is ``created`` + :data:`LIFETIME_S`.
    """
    _check_keyid(keyid)
    try:
        body = request.content
    except httpx.RequestNotRead:
        raise SignatureError("body-not-read", "read the request body before signing it") from None
    request.headers["Content-Digest"] = digest = content_digest(body)
    url = request.url
    covered = [
        ('"@method"', request.method),
        ('"@target-uri"', f"{url.scheme}://{url.netloc.decode('ascii')}{url.raw_path.decode('ascii')}"),
        ('"content-type"', field_value(request.headers, "content-type")),
        ('"content-digest"', digest),
    ]
    created = int(time.time()) if created is None else int(created)
    nonce = secrets.token_urlsafe(16) if nonce is None else nonce
    request.headers["Signature-Input"], request.headers["Signature"] = sign_fields(
        covered, private_key, created=created, keyid=keyid, expires=created + LIFETIME_S, nonce=nonce
    )


def verify_response(
    response: httpx.Response,
    request: httpx.Request,
    service_key: Ed25519PublicKey,
    *,
    now: float | None = None,
    require_binding: bool = True,
) -> None:
    """Check that ``response`` is signed by ``service_key``, covers status, content type and digest, has a
    matching body, is recent, and (``require_binding``) is bound to ``request``'s ``sig1`` signature.

    Raises :class:`ResponseSignatureError` with a reason slug.
    """
    try:
        _verify_response(response, request, service_key, time.time() if now is None else now, require_binding)
    except FieldProblem as problem:
        reason = "unsigned" if problem.reason == RejectReason.MISSING_SIGNATURE else problem.reason
        raise ResponseSignatureError(reason, f"response signature: {problem.detail}") from None


def _verify_response(response: httpx.Response, request: httpx.Request, service_key: Ed25519PublicKey, now: float,
                     require_binding: bool) -> None:
    headers = response.headers
    encoding = answer_coding(headers)
    if encoding is not None:
        raise FieldProblem("content-coding", f"responses with Content-Encoding {encoding!r} are refused")
    fields = read_signature_fields(headers)
    missing = sorted(_REQUIRED_RESPONSE_IDS - fields.components)
    if missing:
        raise FieldProblem(RejectReason.COMPONENT_NOT_COVERED, f"it does not cover {missing}")
    if require_binding and REQUEST_BINDING_COMPONENT not in fields.components:
        raise FieldProblem("unbound", "it is not bound to the request signature")
    expected_keyid = key_thumbprint(service_key)
    keyid = fields.params.get("keyid")
    if keyid != expected_keyid:
        raise FieldProblem("service-key-mismatch", f"signed by key {keyid!r}, the kiosk pins {expected_keyid!r}")
    created = fields.params.get("created")
    if created is None:
        raise FieldProblem(RejectReason.MISSING_PARAMETER, 'it has no "created" parameter')
    check_times(created, fields.params.get("expires"), now)
    try:  # the response as sent, with the request it must answer (not necessarily ``response.request``)
        verify_message(ResponseView(response.status_code, headers, request), service_key, expected_keyid)
    except FieldProblem as problem:
        raise FieldProblem(RejectReason.BAD_SIGNATURE, problem.detail) from None
    check_digest(headers.get("content-digest"), response.content)


class SignedRequestAuth(httpx.Auth):
    """httpx authentication that signs each request and checks the signed, bound response.

    With ``service_key=None`` responses are neither read nor checked here (the lookup client streams at most
    ``MAX_RESPONSE_BYTES`` of the answer and checks it itself, once it knows the status). Works with both
    ``httpx.Client`` and ``httpx.AsyncClient``.
    """

    requires_request_body = True
    requires_response_body = True

    def __init__(
        self,
        private_key: Ed25519PrivateKey,
        keyid: str,
        service_key: Ed25519PublicKey | None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        _check_keyid(keyid)
        self._private_key = private_key
        self._keyid = keyid
        self._service_key = service_key
        self._clock = clock
        # without a key to check against, httpx need not read the body first (a streamed send stays streamed)
        self.requires_response_body = service_key is not None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        sign_request(request, self._private_key, self._keyid, created=int(self._clock()))
        response = yield request
        if self._service_key is not None:
            verify_response(response, request, self._service_key, now=self._clock())
