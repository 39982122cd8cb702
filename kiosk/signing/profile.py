"""The signing profile both sides keep: constants, reasons, ``Content-Digest`` (RFC 9530), reading the one ``sig1``
signature of a message, signing (a signature-base builder for the profile's components) and verifying (the public
API of ``http-message-signatures``, which builds the base from the message and checks the signature).

The field pre-checks give each refusal its own reason. Times are the callers' policy (their injectable clocks):
the library's own wall-clock checks are off (:class:`_ProfileVerifier`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import http_sf
import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from http_message_signatures import (
    HTTPMessageSignaturesException,
    HTTPMessageVerifier,
    MappingKeyResolver,
)
from http_message_signatures.algorithms import ED25519

SIGNATURE_LABEL = "sig1"
ALGORITHM = "ed25519"
DIGEST_ALGORITHM = "sha-256"
REQUEST_COMPONENTS: tuple[str, ...] = ("@method", "@target-uri", "content-type", "content-digest")
RESPONSE_COMPONENTS: tuple[str, ...] = ("@status", "content-type", "content-digest")
# The response component that binds a response to the request signature it answers (RFC 9421 2.4).
REQUEST_BINDING_COMPONENT = f'"signature";req;key="{SIGNATURE_LABEL}"'
MAX_AGE_S = 60  # a signature older than this is refused
MAX_SKEW_S = 5  # ``created`` may be at most this far in the future
LIFETIME_S = 30  # expires = created + LIFETIME_S on the kiosk
MAX_LIFETIME_S = 60  # the service refuses expires > created + MAX_LIFETIME_S
# Key ids name files in the trusted-keys folder: letters, digits, dot, dash, underscore only.
KEYID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_PARAMETER_TYPES: dict[str, type] = {"created": int, "expires": int, "nonce": str, "keyid": str, "alg": str, "tag": str}
_HASHLIB_NAMES = {"sha-256": "sha256", "sha-512": "sha512"}  # the digest algorithms RFC 9530 registers as active


class RejectReason(StrEnum):
    """Why a signature is refused (the ``reason`` member of the service's 401 problem)."""

    MISSING_SIGNATURE = "missing-signature"
    MALFORMED_SIGNATURE = "malformed-signature"
    MULTIPLE_SIGNATURES = "multiple-signatures"
    WRONG_LABEL = "wrong-label"
    UNSUPPORTED_ALGORITHM = "unsupported-algorithm"
    MISSING_PARAMETER = "missing-parameter"
    UNKNOWN_KEYID = "unknown-keyid"
    COMPONENT_NOT_COVERED = "component-not-covered"
    CREATED_IN_FUTURE = "created-in-future"
    SIGNATURE_TOO_OLD = "signature-too-old"
    EXPIRES_BEFORE_CREATED = "expires-before-created"
    EXPIRES_TOO_FAR = "expires-too-far"
    SIGNATURE_EXPIRED = "signature-expired"
    BAD_TARGET_URI = "bad-target-uri"
    BAD_SIGNATURE = "bad-signature"
    MISSING_DIGEST = "missing-digest"
    MALFORMED_DIGEST = "malformed-digest"
    DIGEST_MISMATCH = "digest-mismatch"
    REPLAYED_NONCE = "replayed-nonce"
    BAD_NONCE = "bad-nonce"
    CREATED_BEFORE_START = "created-before-start"


class SignatureError(Exception):
    """Base of every signature problem: ``reason`` is a short slug, ``detail`` a sentence."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = str(reason)
        self.detail = detail


class FieldProblem(SignatureError):
    """A signature or digest field that fails the profile; each side turns it into its own error."""


# --------------------------------------------------------------------------------------------- digest
def content_digest(body: bytes) -> str:
    """RFC 9530 ``Content-Digest`` value with sha-256: ``sha-256=:<base64>:``."""
    return f"{DIGEST_ALGORITHM}=:{base64.b64encode(hashlib.sha256(body).digest()).decode('ascii')}:"


def check_digest(value: str | None, body: bytes) -> None:
    """Check a Content-Digest field against ``body``: it must hold a sha-256 member; every known member
    (sha-256, sha-512) must match; unknown algorithms are ignored (RFC 9530 section 2)."""
    if value is None:
        raise FieldProblem(RejectReason.MISSING_DIGEST, "the Content-Digest field is missing")
    try:
        parsed = http_sf.parse(value.encode("latin-1"), tltype="dictionary")
    except (ValueError, UnicodeEncodeError):
        raise FieldProblem(RejectReason.MALFORMED_DIGEST, "Content-Digest is not a structured dictionary") from None
    assert isinstance(parsed, dict)
    if DIGEST_ALGORITHM not in parsed:
        raise FieldProblem(RejectReason.MALFORMED_DIGEST, "Content-Digest has no sha-256 member")
    for algorithm, (digest, _params) in parsed.items():
        if algorithm not in _HASHLIB_NAMES:
            continue
        expected = hashlib.new(_HASHLIB_NAMES[algorithm], body).digest()
        if not isinstance(digest, bytes) or len(digest) != len(expected):
            raise FieldProblem(RejectReason.MALFORMED_DIGEST, f"Content-Digest {algorithm} is not a valid digest")
        if not hmac.compare_digest(digest, expected):
            raise FieldProblem(RejectReason.DIGEST_MISMATCH, f"the body does not match its {algorithm} digest")


# ------------------------------------------------------------------------------------ message views
# What the library's verifier reads: method, URL (the target URI exactly as received) and headers of a request; status,
# headers and the request it answers of a response. Headers are ``httpx.Headers``: it keeps repeated field lines, and
# its ``get`` joins them with ", " (RFC 9110), as the library does.
@dataclass
class RequestView:
    method: str
    url: str
    headers: httpx.Headers


@dataclass
class ResponseView:  # cheaper than an httpx.Response (25 us) for a response read again with another request
    status_code: int
    headers: httpx.Headers
    request: RequestView | httpx.Request | None


# ------------------------------------------------------------------------------- the sig1 signature
@dataclass(frozen=True)
class SignatureFields:
    """The one ``sig1`` signature of a message as read from Signature-Input and Signature."""

    components: frozenset[str]  # serialized component identifiers, e.g. '"@method"'
    params: dict[str, Any]


def _parse_dictionary(value: str, field: str) -> dict[str, Any]:
    def reject_duplicate(key: str, context: str) -> None:
        if context == "dictionary":
            raise ValueError(f"duplicate label {key!r}")

    try:
        parsed = http_sf.parse(value.encode("latin-1"), tltype="dictionary", on_duplicate_key=reject_duplicate)
    except (ValueError, UnicodeEncodeError) as exc:
        raise FieldProblem(
            RejectReason.MALFORMED_SIGNATURE, f"the {field} field is not a valid structured dictionary ({exc})"
        ) from None
    assert isinstance(parsed, dict)
    return parsed


def read_signature_fields(headers: httpx.Headers) -> SignatureFields:
    """The one ``sig1`` signature of a message, or a :class:`FieldProblem` saying what is wrong."""
    sig_input_value = headers.get("signature-input")
    sig_value = headers.get("signature")
    if sig_input_value is None and sig_value is None:
        raise FieldProblem(RejectReason.MISSING_SIGNATURE, "the message has no Signature-Input and Signature")
    if sig_input_value is None or sig_value is None:
        missing = "Signature-Input" if sig_input_value is None else "Signature"
        raise FieldProblem(RejectReason.MISSING_SIGNATURE, f"the {missing} field is missing")
    inputs = _parse_dictionary(sig_input_value, "Signature-Input")
    signatures = _parse_dictionary(sig_value, "Signature")
    if not inputs or not signatures:
        raise FieldProblem(RejectReason.MISSING_SIGNATURE, "the signature fields are empty")
    if len(inputs) > 1 or len(signatures) > 1:
        raise FieldProblem(
            RejectReason.MULTIPLE_SIGNATURES,
            f"exactly one signature is accepted; found labels {sorted(set(inputs) | set(signatures))}",
        )
    (label,) = inputs
    if set(signatures) != {label}:
        raise FieldProblem(RejectReason.MALFORMED_SIGNATURE, "Signature-Input and Signature carry different labels")
    if label != SIGNATURE_LABEL:
        raise FieldProblem(RejectReason.WRONG_LABEL, f"the signature label must be {SIGNATURE_LABEL!r}, not {label!r}")
    members, params = inputs[label]
    if not isinstance(members, list):
        raise FieldProblem(RejectReason.MALFORMED_SIGNATURE, "Signature-Input member is not an inner list")
    signature, _sig_params = signatures[label]
    if not isinstance(signature, bytes) or not signature:
        raise FieldProblem(RejectReason.MALFORMED_SIGNATURE, "the Signature member is not a byte sequence")
    if not all(isinstance(name, str) for name, _ in members):
        raise FieldProblem(RejectReason.MALFORMED_SIGNATURE, "a covered component is not a string")
    for name, value in params.items():
        kind = _PARAMETER_TYPES.get(name)
        if kind is None:
            raise FieldProblem(RejectReason.MALFORMED_SIGNATURE, f"unknown signature parameter {name!r}")
        if not isinstance(value, kind) or isinstance(value, bool):
            what = "an integer" if kind is int else "a string"
            raise FieldProblem(RejectReason.MALFORMED_SIGNATURE, f"parameter {name!r} must be {what}")
    alg = params.get("alg")
    if alg != ALGORITHM:
        problem = "is missing" if alg is None else f"{alg!r} is not accepted"
        raise FieldProblem(RejectReason.UNSUPPORTED_ALGORITHM, f'the "alg" parameter {problem} (need "{ALGORITHM}")')
    return SignatureFields(frozenset(http_sf.ser(member) for member in members), dict(params))


def check_times(created: int, expires: int | None, now: float) -> None:
    """The profile's clock policy (both sides, each with its own injectable clock): ``created`` at most
    :data:`MAX_SKEW_S` in the future and at most :data:`MAX_AGE_S` old; ``expires`` (when given) not before
    ``created``, at most :data:`MAX_LIFETIME_S` after it, and not passed."""
    if created > now + MAX_SKEW_S:
        raise FieldProblem(
            RejectReason.CREATED_IN_FUTURE, f'"created" is {created - now:.0f} s in the future (max {MAX_SKEW_S} s)'
        )
    if now - created > MAX_AGE_S:
        raise FieldProblem(
            RejectReason.SIGNATURE_TOO_OLD, f"the signature is {now - created:.0f} s old (max {MAX_AGE_S} s)"
        )
    if expires is None:
        return
    if expires < created:
        raise FieldProblem(RejectReason.EXPIRES_BEFORE_CREATED, '"expires" is before "created"')
    if expires > created + MAX_LIFETIME_S:
        raise FieldProblem(
            RejectReason.EXPIRES_TOO_FAR, f'"expires" is {expires - created} s after "created" (max {MAX_LIFETIME_S} s)'
        )
    if now > expires:
        raise FieldProblem(RejectReason.SIGNATURE_EXPIRED, f"the signature expired {now - expires:.0f} s ago")


def component_ids(names: Iterable[str]) -> frozenset[str]:
    """Serialized identifiers (``"@method"``, ``"signature";req;key="sig1"``) of component names."""
    return frozenset(name if name.startswith('"') else http_sf.ser(name) for name in names)


# ------------------------------------------------------------------------------------ signing
# Signing builds the signature base itself (RFC 9421 section 2.5) for the profile's few components, whose values
# the callers take from the message. The library's ``HTTPMessageSigner.prepare()`` costs 0.08 ms more per
# signature (its Structured Field serializer), 0.2 ms per lookup on the service (bench/bench_lookups.py); the
# builder is checked against the RFC 9421 B.2.6 vector and against ``HTTPMessageSigner.sign()`` (test_signing).
_SF_STRING = re.compile(r'[\x20-\x7e]*')


def _sf_string(value: str) -> str:  # http_sf.ser() does the same 6x slower (13 us per signature)
    if not _SF_STRING.fullmatch(value):
        raise SignatureError("cannot-sign", f"{value!r} is not printable ASCII (a Structured Field String)")
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def signature_params(
    component_ids: Iterable[str],
    *,
    created: int,
    keyid: str,
    expires: int | None = None,
    nonce: str | None = None,
    include_alg: bool = True,
) -> str:
    """The ``@signature-params`` value: the covered identifiers, then created, keyid, alg, expires, nonce (the
    library's order)."""
    params = f";created={int(created)};keyid={_sf_string(keyid)}"
    if include_alg:
        params += f";alg={_sf_string(ALGORITHM)}"
    if expires is not None:
        params += f";expires={int(expires)}"
    if nonce is not None:
        params += f";nonce={_sf_string(nonce)}"
    return f"({' '.join(component_ids)}){params}"


def signature_base(covered: Iterable[tuple[str, str]], params: str) -> bytes:
    """RFC 9421 section 2.5: one ``<identifier>: <value>`` line per covered component (identifiers serialized,
    e.g. ``"@method"``), then ``"@signature-params": <params>``; LF between lines, none at the end."""
    lines = []
    for identifier, value in covered:
        if not (value.isascii() and value.replace("\t", " ").isprintable()):
            raise SignatureError("cannot-sign", f"the value of {identifier} is not printable ASCII")
        lines.append(f"{identifier}: {value}")
    lines.append(f'"@signature-params": {params}')
    return "\n".join(lines).encode("ascii")


def sign_fields(
    covered: list[tuple[str, str]], private_key: Ed25519PrivateKey, *, label: str = SIGNATURE_LABEL, **params: Any
) -> tuple[str, str]:
    """The Signature-Input and Signature field values of one signature over ``covered`` (identifier, value)."""
    value = signature_params([identifier for identifier, _ in covered], **params)
    signature = private_key.sign(signature_base(covered, value))
    return f"{label}={value}", f"{label}=:{base64.b64encode(signature).decode('ascii')}:"


def field_value(headers: httpx.Headers, name: str) -> str:
    """A covered field's value (its lines trimmed and joined by ``", "``); a missing field cannot be signed."""
    lines = headers.get_list(name)
    if not lines:
        raise SignatureError(f"missing-{name}", f"a signed message needs a {name} field (it is covered)")
    return ", ".join(line.strip(" \t") for line in lines)


# ---------------------------------------------------------------------------------- verifying
class _ProfileVerifier(HTTPMessageVerifier):
    """The library's verifier with its wall-clock checks off: both sides check ``created`` and ``expires``
    against their own (injectable) clock before the library runs."""

    def validate_created_and_expires(self, sig_input: Any, max_age: Any = None) -> None:
        return None


def verify_message(message: RequestView | ResponseView | httpx.Request, key: Ed25519PublicKey, keyid: str) -> None:
    """The library builds the signature base of ``message`` from its ``sig1`` signature and checks the signature
    bytes with ``key``. Raises :class:`FieldProblem` (``bad-target-uri`` or ``bad-signature``)."""
    resolver = MappingKeyResolver(public_keys={keyid: key}, private_keys={})
    verifier = _ProfileVerifier(signature_algorithm=ED25519, key_resolver=resolver)
    try:
        verifier.verify(message, max_age=None)
    except HTTPMessageSignaturesException as exc:
        why = str(exc) or "the signature bytes do not match the signature base"
        reason = RejectReason.BAD_TARGET_URI if "URL" in why else RejectReason.BAD_SIGNATURE
        raise FieldProblem(reason, f"the signature does not verify: {why}") from None


