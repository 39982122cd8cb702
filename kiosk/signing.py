"""RFC 9421 HTTP Message Signatures (Ed25519) and RFC 9530 Content-Digest, as kiosk and service use them.

The signing profile (both sides keep it exactly):

* Requests carry one signature labelled ``sig1``, algorithm ``ed25519``, covering
  ``"@method" "@target-uri" "content-type" "content-digest"`` with the parameters ``created``,
  ``expires`` (``created`` + 30 s), a random ``nonce``, ``keyid`` (the kiosk id) and ``alg``.
  ``Content-Digest`` is ``sha-256`` (RFC 9530).
* The service checks the signature before anything else. Its policy (ours, not the library's):
  ``created`` at most 5 s in the future and at most 60 s old, ``expires`` not passed and at most 60 s
  after ``created``, nonce never seen before (:class:`ReplayCache`), exactly one signature.
* Every service response is signed (label ``sig1``) over ``"@status" "content-type" "content-digest"``
  with ``keyid`` = the RFC 7638 thumbprint of the service key; a response to a request that carried a
  ``sig1`` signature is also bound to it by covering ``"signature";req;key="sig1"``. The kiosk pins the
  service key and refuses unsigned, mis-signed or unbound responses (:func:`verify_response`).

Signature bases are built, signed and verified by the ``http-message-signatures`` library (it also
resolves the ``;req`` and ``;key`` component parameters used for the response binding); this module
adds the key handling, the field pre-checks that give each rejection its own reason, the time policy
with an injectable clock, the digest check and the replay cache. Each structured field is parsed once:
the library is handed the parsed signature fields and the (constant) parsed component identifiers
instead of parsing them again (the service's cost per lookup; see ``bench/bench_lookups.py``).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import heapq
import hmac
import json
import math
import re
import secrets
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import http_sf
import httpx
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from http_message_signatures import HTTPMessageSigner, HTTPMessageVerifier, MappingKeyResolver
from http_message_signatures._components import _parse_component_ids
from http_message_signatures._url import parse_url  # the resolver's own URL grammar
from http_message_signatures.algorithms import ED25519
from http_message_signatures.exceptions import HTTPMessageSignaturesException, InvalidSignature
from http_sf.compat import InnerList, Item

from kiosk.paths import write_private_file

SIGNATURE_LABEL = "sig1"
ALGORITHM = "ed25519"
DIGEST_ALGORITHM = "sha-256"
REQUEST_COMPONENTS: tuple[str, ...] = ("@method", "@target-uri", "content-type", "content-digest")
RESPONSE_COMPONENTS: tuple[str, ...] = ("@status", "content-type", "content-digest")
# The response component that binds a response to the request signature it answers (RFC 9421 2.4).
REQUEST_BINDING_COMPONENT = f'"signature";req;key="{SIGNATURE_LABEL}"'
MAX_AGE_S = 60  # a request signature older than this is refused
MAX_SKEW_S = 5  # ``created`` may be at most this far in the future
LIFETIME_S = 30  # expires = created + LIFETIME_S on the kiosk
MAX_LIFETIME_S = 60  # the service refuses expires > created + MAX_LIFETIME_S
# Key ids name files in the trusted-keys folder: letters, digits, dot, dash, underscore only.
KEYID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_ALLOWED_PARAMETERS = frozenset({"created", "expires", "nonce", "keyid", "alg", "tag"})
_HASHERS: dict[str, Callable[[bytes], Any]] = {"sha-256": hashlib.sha256, "sha-512": hashlib.sha512}
_DIGEST_SIZES = {"sha-256": 32, "sha-512": 64}


# --------------------------------------------------------------------------------------------- errors
class SigningKeyError(Exception):
    """A key file or key text that cannot be used (names the file)."""


class RejectReason(StrEnum):
    """Why the service refused a request signature (the ``reason`` member of the 401 problem)."""

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


class SignatureError(Exception):
    """Base of every signature problem: ``reason`` is a short slug, ``detail`` a sentence."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = str(reason)
        self.detail = detail


class ResponseSignatureError(SignatureError):
    """The kiosk refuses a response: unsigned, mis-signed, not bound to the request, or stale."""


class RequestRejected(SignatureError):
    """The service refuses a request signature (answer 401 with ``reason`` and ``detail``).

    ``binding`` is set when the request carried a ``sig1`` signature value, so that the 401 answer
    can still be bound to the request it refuses.
    """

    def __init__(self, reason: str, detail: str, binding: RequestBinding | None = None) -> None:
        super().__init__(reason, detail)
        self.binding = binding


class _FieldProblem(Exception):
    def __init__(self, reason: RejectReason, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


# ----------------------------------------------------------------------------------------------- keys
def generate_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def save_private_key(key: Ed25519PrivateKey, path: Path) -> None:
    """Write ``key`` as unencrypted PKCS#8 PEM, readable by its owner only (mode 0600)."""
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    write_private_file(Path(path), pem)


def save_public_key(key: Ed25519PublicKey, path: Path) -> None:
    """Write ``key`` as SubjectPublicKeyInfo PEM."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(public_key_pem(key))


def public_key_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """Read an Ed25519 private key (PKCS#8 PEM); a clear :class:`SigningKeyError` on any problem."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SigningKeyError(f"{path}: private key file not found") from None
    except OSError as exc:
        raise SigningKeyError(f"{path}: cannot read private key file ({exc.strerror or exc})") from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except TypeError:
        raise SigningKeyError(f"{path}: private key is encrypted; use an unencrypted PKCS#8 PEM") from None
    except (ValueError, UnsupportedAlgorithm):
        raise SigningKeyError(f"{path}: not a PEM private key (expected '-----BEGIN PRIVATE KEY-----')") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"{path}: private key is not an Ed25519 key")
    return key


def load_public_key(source: Path | str) -> Ed25519PublicKey:
    """Read an Ed25519 public key from a PEM file, a JWK JSON file, or PEM / JWK text."""
    if isinstance(source, Path):
        origin = str(source)
        text = _read_key_text(source)
    else:
        stripped = source.strip()
        if stripped.startswith(("-----BEGIN", "{")):
            origin, text = "key text", stripped
        else:
            origin = source
            text = _read_key_text(Path(source))
    text = text.strip()
    if text.startswith("{"):
        return _public_key_from_jwk_text(text, origin)
    try:
        key = serialization.load_pem_public_key(text.encode("utf-8"))
    except (ValueError, UnsupportedAlgorithm):
        raise SigningKeyError(
            f"{origin}: not a public key (expected PEM '-----BEGIN PUBLIC KEY-----' or an Ed25519 JWK)"
        ) from None
    if not isinstance(key, Ed25519PublicKey):
        raise SigningKeyError(f"{origin}: public key is not an Ed25519 key")
    return key


def _read_key_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SigningKeyError(f"{path}: public key file not found") from None
    except UnicodeDecodeError:
        raise SigningKeyError(f"{path}: not a text key file (PEM or JWK)") from None
    except OSError as exc:
        raise SigningKeyError(f"{path}: cannot read public key file ({exc.strerror or exc})") from None


def _public_key_from_jwk_text(text: str, origin: str) -> Ed25519PublicKey:
    try:
        jwk = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SigningKeyError(f"{origin}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(jwk, dict):
        raise SigningKeyError(f"{origin}: a JWK must be a JSON object")
    if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
        raise SigningKeyError(f'{origin}: JWK is not an Ed25519 key (need "kty": "OKP", "crv": "Ed25519")')
    x = jwk.get("x")
    if not isinstance(x, str):
        raise SigningKeyError(f'{origin}: JWK has no "x" member')
    try:
        raw = _b64url_decode(x)
    except ValueError:
        raise SigningKeyError(f'{origin}: JWK "x" is not base64url') from None
    if len(raw) != 32:
        raise SigningKeyError(f'{origin}: JWK "x" must hold 32 bytes, not {len(raw)}')
    return Ed25519PublicKey.from_public_bytes(raw)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    if not re.fullmatch(r"[A-Za-z0-9_-]*", text):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_jwk(key: Ed25519PublicKey, kid: str | None = None) -> dict[str, str]:
    """The public key as a JWK (RFC 8037): ``{"kty": "OKP", "crv": "Ed25519", "x": ..., ["kid"]}``."""
    jwk = {"kty": "OKP", "crv": "Ed25519", "x": _b64url(_raw_public(key))}
    if kid is not None:
        jwk["kid"] = kid
    return jwk


def key_thumbprint(key: Ed25519PublicKey) -> str:
    """RFC 7638 JWK thumbprint (SHA-256, base64url): the service's ``keyid`` in response signatures."""
    return _thumbprint_of_raw(_raw_public(key))


@functools.lru_cache(maxsize=64)
def _thumbprint_of_raw(raw: bytes) -> str:
    canonical = json.dumps({"crv": "Ed25519", "kty": "OKP", "x": _b64url(raw)}, separators=(",", ":"), sort_keys=True)
    return _b64url(hashlib.sha256(canonical.encode("ascii")).digest())


# --------------------------------------------------------------------------------------------- digest
def content_digest(body: bytes) -> str:
    """RFC 9530 ``Content-Digest`` value with sha-256: ``sha-256=:<base64>:``."""
    return f"{DIGEST_ALGORITHM}=:{base64.b64encode(hashlib.sha256(body).digest()).decode('ascii')}:"


def _check_digest(value: str | None, body: bytes) -> None:
    """Check a Content-Digest field against ``body``: it must hold a sha-256 member; every known member
    (sha-256, sha-512) must match; unknown algorithms are ignored (RFC 9530 section 2)."""
    if value is None:
        raise _FieldProblem(RejectReason.MISSING_DIGEST, "the Content-Digest field is missing")
    try:
        parsed = http_sf.parse(value.encode("latin-1"), tltype="dictionary")
    except (ValueError, UnicodeEncodeError):
        raise _FieldProblem(RejectReason.MALFORMED_DIGEST, "Content-Digest is not a structured dictionary") from None
    assert isinstance(parsed, dict)
    if DIGEST_ALGORITHM not in parsed:
        raise _FieldProblem(RejectReason.MALFORMED_DIGEST, "Content-Digest has no sha-256 member")
    for algorithm, (digest, _params) in parsed.items():
        if algorithm not in _HASHERS:
            continue
        if not isinstance(digest, bytes) or len(digest) != _DIGEST_SIZES[algorithm]:
            raise _FieldProblem(RejectReason.MALFORMED_DIGEST, f"Content-Digest {algorithm} is not a valid digest")
        if not hmac.compare_digest(digest, _HASHERS[algorithm](body).digest()):
            raise _FieldProblem(RejectReason.DIGEST_MISMATCH, f"the body does not match its {algorithm} digest")


# ------------------------------------------------------------------------------------ message views
class HeaderLines:
    """Header field lines in wire order, with the small interface the signature library needs."""

    def __init__(self, lines: Iterable[tuple[str, str]] = ()) -> None:
        self._lines: list[tuple[str, str]] = [(str(n), str(v)) for n, v in lines]
        self._lower: list[str] = [n.lower() for n, _ in self._lines]

    @classmethod
    def of(cls, headers: Mapping[str, str] | Iterable[tuple[str, str]] | httpx.Headers) -> HeaderLines:
        if isinstance(headers, HeaderLines):
            return cls(headers.items())
        if isinstance(headers, httpx.Headers):
            return cls(headers.multi_items())
        if isinstance(headers, Mapping):
            return cls(headers.items())
        return cls(headers)

    def items(self) -> list[tuple[str, str]]:
        return list(self._lines)

    def get(self, name: str) -> str | None:
        """All field lines named ``name`` joined by ``", "`` (RFC 9110), or None."""
        lname = name.lower()
        values = [line[1].strip(" \t") for line, n in zip(self._lines, self._lower, strict=True) if n == lname]
        return ", ".join(values) if values else None

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys(n for n, _ in self._lines))

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._lower

    def __setitem__(self, name: str, value: str) -> None:
        self.__delitem__(name)
        self._lines.append((name, value))
        self._lower.append(name.lower())

    def __delitem__(self, name: str) -> None:
        lname = name.lower()
        if lname in self._lower:
            kept = [(line, n) for line, n in zip(self._lines, self._lower, strict=True) if n != lname]
            self._lines = [line for line, _ in kept]
            self._lower = [n for _, n in kept]


@dataclass(frozen=True)
class RequestBinding:
    """What a response needs to bind itself to a request signature: the request as received."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class VerifiedRequest:
    """A request whose signature passed every check."""

    keyid: str
    nonce: str
    created: int
    expires: int
    covered_components: tuple[str, ...]
    binding: RequestBinding


@dataclass
class _RequestView:
    method: str
    url: str
    headers: HeaderLines


@dataclass
class _ResponseView:
    status_code: int
    headers: HeaderLines
    request: _RequestView | None


@dataclass(frozen=True)
class _SignatureFields:
    label: str
    components: tuple[str, ...]  # serialized component identifiers, e.g. '"@method"'
    params: dict[str, Any]
    signature: bytes
    members: tuple[tuple[str, dict[str, Any]], ...]  # the Signature-Input inner list as parsed

    def input_node(self) -> InnerList:
        """The Signature-Input member as the library's structured-field node (no second parse)."""
        node = InnerList()
        for value, item_params in self.members:
            item = Item(value)
            item.params.update(item_params)
            node.append(item)
        node.params.update(self.params)
        return node


_PLAIN = re.compile(r"[A-Za-z0-9@._:/-]*")
_PARAM_KEY = re.compile(r"[a-z*][a-z0-9_.*-]*")


def _format_component(name: str, params: Mapping[str, Any]) -> str:
    """Serialized component identifier, e.g. ``"signature";req;key="sig1"`` (fast path for plain names)."""
    if _PLAIN.fullmatch(name) and all(
        _PARAM_KEY.fullmatch(k) and (v is True or (isinstance(v, str) and _PLAIN.fullmatch(v)))
        for k, v in params.items()
    ):
        return f'"{name}"' + "".join(f";{k}" if v is True else f';{k}="{v}"' for k, v in params.items())
    return http_sf.ser((name, dict(params)))


def _component_ids(names: Iterable[str]) -> frozenset[str]:
    """Serialized identifiers (``"@method"``, ``"signature";req;key="sig1"``) of component names."""
    out = set()
    for name in names:
        out.add(name if name.startswith('"') else http_sf.ser(name))
    return frozenset(out)


_REQUIRED_REQUEST_IDS = _component_ids(REQUEST_COMPONENTS)
_REQUIRED_RESPONSE_IDS = _component_ids(RESPONSE_COMPONENTS)
_BINDING_ID = REQUEST_BINDING_COMPONENT


def _parse_dictionary(value: str, field: str) -> dict[str, Any]:
    def reject_duplicate(key: str, context: str) -> None:
        if context == "dictionary":
            raise ValueError(f"duplicate label {key!r}")

    try:
        parsed = http_sf.parse(value.encode("latin-1"), tltype="dictionary", on_duplicate_key=reject_duplicate)
    except (ValueError, UnicodeEncodeError) as exc:
        raise _FieldProblem(
            RejectReason.MALFORMED_SIGNATURE, f"the {field} field is not a valid structured dictionary ({exc})"
        ) from None
    assert isinstance(parsed, dict)
    return parsed


def _read_signature_fields(headers: HeaderLines) -> _SignatureFields:
    """The one ``sig1`` signature of a message, or a :class:`_FieldProblem` saying what is wrong."""
    sig_input_value = headers.get("signature-input")
    sig_value = headers.get("signature")
    if sig_input_value is None and sig_value is None:
        raise _FieldProblem(RejectReason.MISSING_SIGNATURE, "the message has no Signature-Input and Signature")
    if sig_input_value is None or sig_value is None:
        missing = "Signature-Input" if sig_input_value is None else "Signature"
        raise _FieldProblem(RejectReason.MISSING_SIGNATURE, f"the {missing} field is missing")
    inputs = _parse_dictionary(sig_input_value, "Signature-Input")
    signatures = _parse_dictionary(sig_value, "Signature")
    if not inputs or not signatures:
        raise _FieldProblem(RejectReason.MISSING_SIGNATURE, "the signature fields are empty")
    if len(inputs) > 1 or len(signatures) > 1:
        raise _FieldProblem(
            RejectReason.MULTIPLE_SIGNATURES,
            f"exactly one signature is accepted; found labels {sorted(set(inputs) | set(signatures))}",
        )
    (label,) = inputs
    if set(signatures) != {label}:
        raise _FieldProblem(RejectReason.MALFORMED_SIGNATURE, "Signature-Input and Signature carry different labels")
    if label != SIGNATURE_LABEL:
        raise _FieldProblem(RejectReason.WRONG_LABEL, f"the signature label must be {SIGNATURE_LABEL!r}, not {label!r}")
    members, params = inputs[label]
    if not isinstance(members, list):
        raise _FieldProblem(RejectReason.MALFORMED_SIGNATURE, "Signature-Input member is not an inner list")
    signature, _sig_params = signatures[label]
    if not isinstance(signature, bytes) or not signature:
        raise _FieldProblem(RejectReason.MALFORMED_SIGNATURE, "the Signature member is not a byte sequence")
    components: list[str] = []
    for member in members:
        name, _ = member
        if not isinstance(name, str):
            raise _FieldProblem(RejectReason.MALFORMED_SIGNATURE, "a covered component is not a string")
        components.append(_format_component(name, member[1]))
    for name in params:
        if name not in _ALLOWED_PARAMETERS:
            raise _FieldProblem(RejectReason.MALFORMED_SIGNATURE, f"unknown signature parameter {name!r}")
    for name in ("created", "expires"):
        if name in params and (type(params[name]) is not int):
            raise _FieldProblem(RejectReason.MALFORMED_SIGNATURE, f"parameter {name!r} must be an integer")
    for name in ("nonce", "keyid", "alg", "tag"):
        if name in params and not isinstance(params[name], str):
            raise _FieldProblem(RejectReason.MALFORMED_SIGNATURE, f"parameter {name!r} must be a string")
    return _SignatureFields(
        label, tuple(components), dict(params), signature, tuple((name, dict(p)) for name, p in members)
    )


def _check_algorithm(params: Mapping[str, Any]) -> None:
    alg = params.get("alg")
    if alg is None:
        raise _FieldProblem(RejectReason.UNSUPPORTED_ALGORITHM, f'the "alg" parameter is missing (need "{ALGORITHM}")')
    if alg != ALGORITHM:
        raise _FieldProblem(
            RejectReason.UNSUPPORTED_ALGORITHM, f'algorithm {alg!r} is not accepted (need "{ALGORITHM}")'
        )


class _PolicyVerifier(HTTPMessageVerifier):
    """The library's verifier with its wall-clock checks off (our policy checks times with our clock), fed
    the signature fields that :func:`_read_signature_fields` already parsed instead of parsing them again.

    The library still builds the signature base from the message, checks the signature parameters and
    verifies the signature bytes; only the second parse of Signature-Input and Signature is skipped.
    """

    def __init__(self, key: Ed25519PublicKey, fields: _SignatureFields) -> None:
        keyid = fields.params.get("keyid")
        public_keys = {keyid: key} if isinstance(keyid, str) else {}
        super().__init__(
            signature_algorithm=ED25519, key_resolver=MappingKeyResolver(public_keys=public_keys, private_keys={})
        )
        self._fields = fields

    def validate_created_and_expires(self, sig_input: Any, max_age: Any = None) -> None:
        return None

    def _get_sig_inputs_and_signatures(
        self, message: Any, *, expect_tag: str | None = None, expect_label: str | None = None
    ) -> Iterator[tuple[str, InnerList, Item]]:
        # The library's checks on the parsed fields (``_read_signature_fields`` made them already: one
        # label in both fields, an inner list, a byte sequence, typed parameters).
        fields = self._fields
        sig_input = fields.input_node()
        try:
            self._validate_signature_param_types(sig_input.params)
        except HTTPMessageSignaturesException as exc:
            raise InvalidSignature(str(exc)) from exc
        yield fields.label, sig_input, Item(fields.signature)


def _library_verify(message: _RequestView | _ResponseView, key: Ed25519PublicKey, fields: _SignatureFields) -> None:
    _PolicyVerifier(key, fields).verify(message, max_age=None)


def _why(exc: Exception) -> str:
    return str(exc) or "the signature bytes do not match the signature base"


_SIGNER = HTTPMessageSigner(signature_algorithm=ED25519)  # holds configuration only: shared by all threads
_SIGNATURE_PARAMS_ID = '"@signature-params"'


@functools.lru_cache(maxsize=16)
def _component_nodes(components: tuple[str, ...]) -> tuple[Item, ...]:
    """The library's parse of the covered component identifiers (constants of the profile: parsed once)."""
    return tuple(_parse_component_ids(components))


def _library_sign(
    message: Any,
    private_key: Ed25519PrivateKey,
    *,
    keyid: str,
    created: int,
    components: Iterable[str],
    expires: int | None = None,
    nonce: str | None = None,
) -> None:
    """Build the signature base with the library, sign it, and set the Signature-Input and Signature fields.

    This is the library's ``prepare()`` + ``apply()`` minus work that cannot change the result here:
    the component identifiers (constants) are parsed once, the label (a constant) is not re-validated, the
    Content-Digest we have just written is not re-checked, the base is not re-built to detect concurrent
    changes, and the ``@signature-params`` value is taken from the base instead of serialised twice more.
    The parameters are in ``prepare()``'s order: created, keyid, alg, expires, nonce.
    """
    params: dict[str, Any] = {"created": int(created), "keyid": keyid, "alg": ED25519.algorithm_id}
    if expires is not None:
        params["expires"] = int(expires)
    if nonce is not None:
        params["nonce"] = nonce
    nodes = []
    for parsed in _component_nodes(tuple(components)):
        node = Item(parsed.value)
        node.params.update(parsed.params)
        nodes.append(node)
    base, _node, elements = _SIGNER._build_signature_base(
        message, covered_component_ids=nodes, signature_params=params
    )
    signature = private_key.sign(base.encode("ascii"))
    message.headers["Signature-Input"] = f"{SIGNATURE_LABEL}={elements[_SIGNATURE_PARAMS_ID]}"
    message.headers["Signature"] = f"{SIGNATURE_LABEL}=:{base64.b64encode(signature).decode('ascii')}:"


# ----------------------------------------------------------------------------------------- kiosk side
def new_nonce() -> str:
    return secrets.token_urlsafe(16)


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
    if not KEYID_PATTERN.fullmatch(keyid):
        raise SignatureError("bad-keyid", f"kiosk id {keyid!r} must be letters, digits, '.', '-' or '_' (max 64)")
    try:
        body = request.content
    except httpx.RequestNotRead:
        raise SignatureError("body-not-read", "read the request body before signing it") from None
    if "content-type" not in request.headers:
        raise SignatureError("missing-content-type", "a signed request needs a Content-Type (it is covered)")
    for name in ("content-digest", "signature-input", "signature"):
        if name in request.headers:
            del request.headers[name]
    request.headers["Content-Digest"] = content_digest(body)
    created = int(time.time()) if created is None else int(created)
    try:
        _library_sign(
            request,
            private_key,
            keyid=keyid,
            created=created,
            expires=created + LIFETIME_S,
            nonce=new_nonce() if nonce is None else nonce,
            components=REQUEST_COMPONENTS,
        )
    except HTTPMessageSignaturesException as exc:
        raise SignatureError("cannot-sign", f"the request cannot be signed: {exc}") from None


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
    now = time.time() if now is None else now
    headers = HeaderLines.of(response.headers)
    encoding = (headers.get("content-encoding") or "identity").strip().lower()
    if encoding != "identity":
        raise ResponseSignatureError("content-coding", f"responses with Content-Encoding {encoding!r} are refused")
    try:
        fields = _read_signature_fields(headers)
    except _FieldProblem as problem:
        reason = "unsigned" if problem.reason is RejectReason.MISSING_SIGNATURE else str(problem.reason)
        raise ResponseSignatureError(reason, f"response signature: {problem.detail}") from None
    try:
        _check_algorithm(fields.params)
    except _FieldProblem as problem:
        raise ResponseSignatureError(str(problem.reason), problem.detail) from None
    covered = set(fields.components)
    missing = sorted(_REQUIRED_RESPONSE_IDS - covered)
    if missing:
        raise ResponseSignatureError("component-not-covered", f"the response signature does not cover {missing}")
    if require_binding and _BINDING_ID not in covered:
        raise ResponseSignatureError("unbound", "the response signature is not bound to the request signature")
    expected_keyid = key_thumbprint(service_key)
    keyid = fields.params.get("keyid")
    if keyid != expected_keyid:
        raise ResponseSignatureError(
            "service-key-mismatch",
            f"the response is signed by key {keyid!r}, the kiosk pins service key {expected_keyid!r}",
        )
    created = fields.params.get("created")
    if created is None:
        raise ResponseSignatureError("missing-parameter", 'the response signature has no "created" parameter')
    if created > now + MAX_SKEW_S:
        raise ResponseSignatureError("created-in-future", f"response signed {created - now:.0f} s in the future")
    if now - created > MAX_AGE_S:
        raise ResponseSignatureError("signature-too-old", f"response signed {now - created:.0f} s ago")
    expires = fields.params.get("expires")
    if expires is not None and now > expires:
        raise ResponseSignatureError("signature-expired", "the response signature has expired")
    view = _ResponseView(
        status_code=response.status_code,
        headers=headers,
        request=_RequestView(request.method, str(request.url), HeaderLines.of(request.headers)),
    )
    try:
        _library_verify(view, service_key, fields)
    except HTTPMessageSignaturesException as exc:
        raise ResponseSignatureError("bad-signature", f"the response signature does not verify: {_why(exc)}") from None
    try:
        _check_digest(headers.get("content-digest"), response.content)
    except _FieldProblem as problem:
        raise ResponseSignatureError(str(problem.reason), f"response: {problem.detail}") from None


class SignedRequestAuth(httpx.Auth):
    """httpx authentication that signs each request and checks the signed, bound response.

    With ``service_key=None`` responses are not checked (only for fetching the service key to pin it).
    Works with both ``httpx.Client`` and ``httpx.AsyncClient``.
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
        if not KEYID_PATTERN.fullmatch(keyid):
            raise SignatureError("bad-keyid", f"kiosk id {keyid!r} must be letters, digits, '.', '-' or '_' (max 64)")
        self._private_key = private_key
        self._keyid = keyid
        self._service_key = service_key
        self._clock = clock

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        sign_request(request, self._private_key, self._keyid, created=int(self._clock()))
        response = yield request
        if self._service_key is not None:
            verify_response(response, request, self._service_key, now=self._clock())


# --------------------------------------------------------------------------------------- service side
class ReplayCache:
    """Nonces seen within their signature's lifetime; thread-safe, bounded in size and in time.

    An entry is forgotten once its signature has expired (a replay after that is refused as expired).
    When the cache is full of live entries the one expiring soonest is evicted and its expiry becomes a
    *horizon*: later requests whose signature expires at or before the horizon are refused, because an
    evicted nonce could be among them. Fresh requests expire later than older ones, so they pass.
    """

    def __init__(self, max_entries: int = 100_000) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self.max_entries = max_entries
        self._seen: dict[tuple[str, str], float] = {}
        self._heap: list[tuple[float, str, str]] = []
        self._horizon = -math.inf
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._seen)

    def check_and_remember(self, keyid: str, nonce: str, expires_at: float, now: float) -> bool:
        """True (and remembered) when ``nonce`` is new for ``keyid``; False when it may be a replay."""
        key = (keyid, nonce)
        with self._lock:
            heap = self._heap
            while heap and heap[0][0] < now:
                _, k, n = heapq.heappop(heap)
                self._seen.pop((k, n), None)
            if key in self._seen or expires_at <= self._horizon:
                return False
            while len(self._seen) >= self.max_entries:
                exp, k, n = heapq.heappop(heap)
                del self._seen[(k, n)]
                self._horizon = max(self._horizon, exp)
                if expires_at <= self._horizon:
                    return False
            self._seen[key] = expires_at
            heapq.heappush(heap, (expires_at, keyid, nonce))
            return True


class TrustedKeys:
    """Kiosk public keys from ``<dir>/<keyid>.pem`` (cached; a changed or removed file is noticed)."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self._cache: dict[str, tuple[int, int, Ed25519PublicKey]] = {}
        self._lock = threading.Lock()

    def __call__(self, keyid: str) -> Ed25519PublicKey | None:
        if not KEYID_PATTERN.fullmatch(keyid):
            return None
        path = self.directory / f"{keyid}.pem"
        try:
            st = path.stat()
        except OSError:
            with self._lock:
                self._cache.pop(keyid, None)
            return None
        with self._lock:
            cached = self._cache.get(keyid)
        if cached is not None and cached[:2] == (st.st_mtime_ns, st.st_size):
            return cached[2]
        try:
            key = load_public_key(path)
        except SigningKeyError:
            return None
        with self._lock:
            self._cache[keyid] = (st.st_mtime_ns, st.st_size, key)
        return key


class RequestVerifier:
    """The service's request-signature policy. :meth:`verify` returns a :class:`VerifiedRequest` or raises
    :class:`RequestRejected` with its own reason for each problem."""

    def __init__(
        self,
        trusted_keys_dir: Path | Callable[[str], Ed25519PublicKey | None],
        replay_cache: ReplayCache,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._resolve_key: Callable[[str], Ed25519PublicKey | None] = (
            TrustedKeys(Path(trusted_keys_dir)) if isinstance(trusted_keys_dir, (str, Path)) else trusted_keys_dir
        )
        self._replay_cache = replay_cache
        self._clock = clock

    def verify(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | list[tuple[str, str]],
        body: bytes,
    ) -> VerifiedRequest:
        lines = HeaderLines.of(headers)
        try:
            fields = _read_signature_fields(lines)
        except _FieldProblem as problem:
            raise RequestRejected(str(problem.reason), problem.detail, request_binding(method, url, lines)) from None
        # The fields parsed, so the Signature field holds exactly one member, ``sig1``, a non-empty byte
        # sequence: what ``request_binding`` would find, without parsing the field a third time.
        binding = _binding(method, url, lines)
        try:
            return self._verify(method, url, lines, body, binding, fields)
        except _FieldProblem as problem:
            raise RequestRejected(str(problem.reason), problem.detail, binding) from None

    def _verify(
        self,
        method: str,
        url: str,
        lines: HeaderLines,
        body: bytes,
        binding: RequestBinding | None,
        fields: _SignatureFields,
    ) -> VerifiedRequest:
        now = self._clock()
        params = fields.params
        _check_algorithm(params)
        for name in ("keyid", "created", "expires", "nonce"):
            if name not in params:
                raise _FieldProblem(RejectReason.MISSING_PARAMETER, f'the signature has no "{name}" parameter')
        keyid: str = params["keyid"]
        key = self._resolve_key(keyid)
        if key is None:
            raise _FieldProblem(RejectReason.UNKNOWN_KEYID, f"no trusted key for keyid {keyid!r}")
        missing = sorted(_REQUIRED_REQUEST_IDS - set(fields.components))
        if missing:
            raise _FieldProblem(RejectReason.COMPONENT_NOT_COVERED, f"the signature does not cover {missing}")
        created: int = params["created"]
        expires: int = params["expires"]
        if created > now + MAX_SKEW_S:
            raise _FieldProblem(
                RejectReason.CREATED_IN_FUTURE, f'"created" is {created - now:.0f} s in the future (max {MAX_SKEW_S} s)'
            )
        if now - created > MAX_AGE_S:
            raise _FieldProblem(
                RejectReason.SIGNATURE_TOO_OLD, f"the signature is {now - created:.0f} s old (max {MAX_AGE_S} s)"
            )
        if expires < created:
            raise _FieldProblem(RejectReason.EXPIRES_BEFORE_CREATED, '"expires" is before "created"')
        if expires > created + MAX_LIFETIME_S:
            raise _FieldProblem(
                RejectReason.EXPIRES_TOO_FAR,
                f'"expires" is {expires - created} s after "created" (max {MAX_LIFETIME_S} s)',
            )
        if now > expires:
            raise _FieldProblem(RejectReason.SIGNATURE_EXPIRED, f"the signature expired {now - expires:.0f} s ago")
        content_digest_value = lines.get("content-digest")
        if content_digest_value is None:
            raise _FieldProblem(RejectReason.MISSING_DIGEST, "the Content-Digest field is missing")
        if lines.get("content-type") is None:
            raise _FieldProblem(RejectReason.BAD_SIGNATURE, "the covered Content-Type field is missing")
        view = _RequestView(method, url, lines)
        try:
            _library_verify(view, key, fields)
        except HTTPMessageSignaturesException as exc:
            reason = RejectReason.BAD_TARGET_URI if "URL" in str(exc) else RejectReason.BAD_SIGNATURE
            raise _FieldProblem(reason, f"the signature does not verify: {_why(exc)}") from None
        _check_digest(content_digest_value, body)
        if not self._replay_cache.check_and_remember(keyid, params["nonce"], expires, now):
            raise _FieldProblem(RejectReason.REPLAYED_NONCE, "this nonce was already used within its lifetime")
        assert binding is not None  # a verified request carries a sig1 signature
        return VerifiedRequest(
            keyid=keyid,
            nonce=params["nonce"],
            created=created,
            expires=expires,
            covered_components=fields.components,
            binding=binding,
        )


def request_binding(method: str, url: str, lines: HeaderLines) -> RequestBinding | None:
    """A binding when the request's Signature field holds a ``sig1`` byte sequence and its URL parses."""
    value = lines.get("signature")
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
    return _binding(method, url, lines)


def _binding(method: str, url: str, lines: HeaderLines) -> RequestBinding | None:
    """The binding of a request whose Signature field holds a ``sig1`` byte sequence (None when the
    library could not resolve the request: a lower-case method or a URL outside its grammar)."""
    if method != method.upper():
        return None
    try:
        parse_url(url)
    except HTTPMessageSignaturesException:
        return None
    return RequestBinding(method, url, tuple(lines.items()))


def sign_response_headers(
    status: int,
    headers: Mapping[str, str] | list[tuple[str, str]],
    body: bytes,
    private_key: Ed25519PrivateKey,
    *,
    request_signature: VerifiedRequest | RequestBinding | None,
    created: int | None = None,
) -> list[tuple[str, str]]:
    """The response header lines with Content-Digest, Signature-Input and Signature added.

    The signature covers ``"@status" "content-type" "content-digest"`` and, when ``request_signature`` is
    given, ``"signature";req;key="sig1"`` (binding the response to the request it answers). ``keyid`` is
    the service key's thumbprint. ``headers`` must include Content-Type.
    """
    lines = HeaderLines.of(headers)
    for name in ("content-digest", "signature-input", "signature"):
        del lines[name]
    if "content-type" not in lines:
        raise ValueError("a signed response needs a Content-Type (it is covered)")
    lines["Content-Digest"] = content_digest(body)
    binding = request_signature.binding if isinstance(request_signature, VerifiedRequest) else request_signature
    components = list(RESPONSE_COMPONENTS)
    request_view = None
    if binding is not None:
        components.append(REQUEST_BINDING_COMPONENT)
        request_view = _RequestView(binding.method, binding.url, HeaderLines(binding.headers))
    view = _ResponseView(status_code=status, headers=lines, request=request_view)
    _library_sign(
        view,
        private_key,
        keyid=key_thumbprint(private_key.public_key()),
        created=int(time.time()) if created is None else created,
        components=components,
    )
    return view.headers.items()
