"""Ed25519 keys for request and response signatures: generate, save (private keys mode 0600), load PEM or JWK,
publish as JWK (RFC 8037) and name by RFC 7638 thumbprint (the service's ``keyid``)."""

from __future__ import annotations

import base64
import functools
import hashlib
import json
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import ValidationError

from kiosk.paths import read_file, write_private_file
from kiosk.wire import PublicJwk, first_error


class SigningKeyError(Exception):
    """A key file or key text that cannot be used (names the file)."""


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
    data = read_file(path, "private key file", SigningKeyError, binary=True)
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except TypeError:
        raise SigningKeyError(f"{path}: private key is encrypted; use an unencrypted PKCS#8 PEM") from None
    except (ValueError, UnsupportedAlgorithm):
        raise SigningKeyError(f"{path}: not a PEM private key (expected '-----BEGIN PRIVATE KEY-----')") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"{path}: private key is not an Ed25519 key")
    return key


def is_inline_key(text: str) -> bool:
    """A PEM or JWK key given as text, not as a file name."""
    return text.strip().startswith(("-----BEGIN", "{"))


def load_public_key(source: Path | str) -> Ed25519PublicKey:
    """Read an Ed25519 public key from a PEM file, a JWK JSON file, or PEM / JWK text."""
    if isinstance(source, str) and is_inline_key(source):
        origin, text = "key text", source
    else:
        origin = str(source)
        text = read_file(Path(source), "public key file", SigningKeyError)
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


def _public_key_from_jwk_text(text: str, origin: str) -> Ed25519PublicKey:
    try:
        jwk = PublicJwk.model_validate_json(text)
    except ValidationError as exc:
        raise SigningKeyError(f"{origin}: not an Ed25519 JWK: {first_error(exc)}") from None
    return Ed25519PublicKey.from_public_bytes(base64.urlsafe_b64decode(jwk.x + "="))  # x: 43 base64url characters


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def public_key_jwk(key: Ed25519PublicKey, kid: str | None = None) -> dict[str, str]:
    """The public key as a JWK (RFC 8037): ``{"kty": "OKP", "crv": "Ed25519", "x": ..., ["kid"]}``."""
    return PublicJwk(kty="OKP", crv="Ed25519", x=_b64url(key.public_bytes_raw()), kid=kid).model_dump(exclude_none=True)


def key_thumbprint(key: Ed25519PublicKey) -> str:
    """RFC 7638 JWK thumbprint (SHA-256, base64url): the service's ``keyid`` in response signatures."""
    return _thumbprint_of_raw(key.public_bytes_raw())


@functools.lru_cache(maxsize=64)
def _thumbprint_of_raw(raw: bytes) -> str:
    canonical = json.dumps({"crv": "Ed25519", "kty": "OKP", "x": _b64url(raw)}, separators=(",", ":"), sort_keys=True)
    return _b64url(hashlib.sha256(canonical.encode("ascii")).digest())
