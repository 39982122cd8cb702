"""The service side of the signing profile: trusted kiosk keys, the request-signature policy with its replay cache
(:class:`RequestVerifier`), and signed answers bound to the request they answer (:func:`sign_response_headers`)."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import http_sf
import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kiosk.signing.keys import SigningKeyError, key_thumbprint, load_public_key
from kiosk.signing.profile import (
    KEYID_PATTERN,
    REQUEST_BINDING_COMPONENT,
    REQUEST_COMPONENTS,
    SIGNATURE_LABEL,
    FieldProblem,
    RejectReason,
    RequestView,
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
from kiosk.signing.replay_cache import MAX_NONCE_CHARS, ReplayCache

__all__ = ["ReplayCache", "RequestRejected", "RequestVerifier", "TrustedKeys", "VerifiedRequest",
           "request_binding", "sign_response_headers"]

_REQUIRED_REQUEST_IDS = component_ids(REQUEST_COMPONENTS)


def _header_lines(headers: httpx.Headers | Mapping[str, str] | list[tuple[str, str]]) -> httpx.Headers:
    """Header lines as the service has them: the field bytes as Latin-1 text (ASGI), so any byte round-trips
    (httpx's default encoding is ASCII, and a field may carry obs-text)."""
    return httpx.Headers(headers, encoding="latin-1")


@dataclass(frozen=True)
class VerifiedRequest:
    """A request whose signature passed every check."""

    keyid: str
    nonce: str
    created: int
    expires: int
    binding: str  # the request's sig1 Signature member, serialized: what a response covers to bind itself to it


class RequestRejected(SignatureError):
    """The service refuses a request signature (answer 401 with ``reason`` and ``detail``).

    ``binding`` is set when the request carried a ``sig1`` signature value, so that the 401 answer
    can still be bound to the request it refuses.
    """

    def __init__(self, reason: str, detail: str, binding: str | None = None) -> None:
        super().__init__(reason, detail)
        self.binding = binding


class TrustedKeys:
    """Kiosk public keys from ``<dir>/<keyid>.pem`` (cached; a changed or removed file is noticed)."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def __call__(self, keyid: str) -> Ed25519PublicKey | None:
        if not KEYID_PATTERN.fullmatch(keyid):
            return None
        path = self.directory / f"{keyid}.pem"
        try:
            st = path.stat()
        except OSError:
            return None
        return _trusted_key(path, st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=256)
def _trusted_key(path: Path, mtime_ns: int, size: int) -> Ed25519PublicKey | None:
    """The key in ``path`` as it was at (``mtime_ns``, ``size``): read again when the file changes."""
    try:
        return load_public_key(path)
    except SigningKeyError:
        return None


class RequestVerifier:
    """The service's request-signature policy. :meth:`verify` returns a :class:`VerifiedRequest` or raises
    :class:`RequestRejected` with its own reason for each problem."""

    def __init__(
        self,
        trusted_keys: Callable[[str], Ed25519PublicKey | None],
        replay_cache: ReplayCache,
        *,
        clock: Callable[[], float] = time.time,
        not_before: float | None = None,
    ) -> None:
        """``trusted_keys``: a key id's kiosk key, or None (:class:`TrustedKeys` reads them from a folder).
        ``not_before``: refuse signatures created before this time (the service's start minus the allowed skew:
        the replay cache starts empty, so an older request could be a replay from before a restart)."""
        self._resolve_key = trusted_keys
        self._replay_cache = replay_cache
        self._clock = clock
        self.not_before = not_before

    def verify(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | list[tuple[str, str]],
        body: bytes,
    ) -> VerifiedRequest:
        lines = _header_lines(headers)
        binding = request_binding(lines)
        try:
            return self._verify(method, url, lines, body, binding)
        except FieldProblem as problem:
            raise RequestRejected(problem.reason, problem.detail, binding) from None

    def _verify(self, method: str, url: str, lines: httpx.Headers, body: bytes, binding: str | None
                ) -> VerifiedRequest:
        now = self._clock()
        fields = read_signature_fields(lines)
        params = fields.params
        for name in ("keyid", "created", "expires", "nonce"):
            if name not in params:
                raise FieldProblem(RejectReason.MISSING_PARAMETER, f'the signature has no "{name}" parameter')
        nonce = params["nonce"]
        if not isinstance(nonce, str) or not 0 < len(nonce) <= MAX_NONCE_CHARS:
            raise FieldProblem(RejectReason.BAD_NONCE, f"the nonce must be 1 to {MAX_NONCE_CHARS} characters")
        keyid: str = params["keyid"]
        key = self._resolve_key(keyid)
        if key is None:
            raise FieldProblem(RejectReason.UNKNOWN_KEYID, f"no trusted key for keyid {keyid!r}")
        missing = sorted(_REQUIRED_REQUEST_IDS - fields.components)
        if missing:
            raise FieldProblem(RejectReason.COMPONENT_NOT_COVERED, f"the signature does not cover {missing}")
        created: int = params["created"]
        expires: int = params["expires"]
        check_times(created, expires, now)
        if self.not_before is not None and created < self.not_before:
            raise FieldProblem(
                RejectReason.CREATED_BEFORE_START,
                "the signature was made before the service started (its replay memory starts then): sign afresh",
            )
        content_digest_value = lines.get("content-digest")
        if content_digest_value is None:
            raise FieldProblem(RejectReason.MISSING_DIGEST, "the Content-Digest field is missing")
        if lines.get("content-type") is None:
            raise FieldProblem(RejectReason.BAD_SIGNATURE, "the covered Content-Type field is missing")
        verify_message(RequestView(method, url, lines), key, keyid)
        check_digest(content_digest_value, body)
        if not self._replay_cache.check_and_remember(keyid, params["nonce"], expires, now):
            raise FieldProblem(RejectReason.REPLAYED_NONCE, "this nonce was already used within its lifetime")
        assert binding is not None  # a verified request carries a sig1 signature
        return VerifiedRequest(
            keyid=keyid,
            nonce=params["nonce"],
            created=created,
            expires=expires,
            binding=binding,
        )


def request_binding(headers: httpx.Headers | list[tuple[str, str]]) -> str | None:
    """What a response covers to bind itself to the request (the value of ``"signature";req;key="sig1"``): the
    request's ``sig1`` Signature member, serialized, when it holds a byte sequence."""
    value = _header_lines(headers).get("signature")
    if value is None:
        return None
    try:
        parsed = http_sf.parse(value.encode("latin-1"), tltype="dictionary")
    except (ValueError, UnicodeEncodeError):
        return None
    assert isinstance(parsed, dict)
    member = parsed.get(SIGNATURE_LABEL)
    if member is None or not isinstance(member[0], bytes):
        return None
    return http_sf.ser(member)


def sign_response_headers(
    status: int,
    headers: Mapping[str, str] | list[tuple[str, str]],
    body: bytes,
    private_key: Ed25519PrivateKey,
    *,
    request_signature: VerifiedRequest | str | None,
    created: int | None = None,
) -> list[tuple[str, str]]:
    """The response header lines with Content-Digest, Signature-Input and Signature added.

    The signature covers ``"@status" "content-type" "content-digest"`` and, when ``request_signature`` is
    given, ``"signature";req;key="sig1"`` (binding the response to the request it answers). ``keyid`` is
    the service key's thumbprint. ``headers`` must include Content-Type.
    """
    lines = _header_lines(headers)
    binding = request_signature.binding if isinstance(request_signature, VerifiedRequest) else request_signature
    lines["Content-Digest"] = digest = content_digest(body)
    covered = [('"@status"', str(int(status))), ('"content-type"', field_value(lines, "content-type")),
               ('"content-digest"', digest)]  # fmt: skip
    if binding is not None:
        covered.append((REQUEST_BINDING_COMPONENT, binding))
    created = int(time.time()) if created is None else created
    lines["Signature-Input"], lines["Signature"] = sign_fields(
        covered, private_key, created=created, keyid=key_thumbprint(private_key.public_key())
    )
    return [(name.decode("latin-1"), value.decode("latin-1")) for name, value in lines.raw]
