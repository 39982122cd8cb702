"""Pseudonymous identifiers for the lookup log: keyed hashes and masked numbers, never the CCCD number itself.

The log keeps ``person_hash`` = HMAC-SHA-256(installation secret, CCCD number) so that repeat visitors can be counted
without storing who they are; without the secret (a private 0600 file in the data folder) the hash cannot be checked
against a guessed number. ``masked_id`` keeps the last 4 digits only.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

from kiosk import paths
from scanner import masking

SECRET_BYTES = 32


def default_secret_path() -> Path:
    return paths.data_dir() / "log-secret.key"


def _normalise_id(id_number: str) -> str:
    if not isinstance(id_number, str):
        raise TypeError(f"ID number must be a string, not {type(id_number).__name__}")
    value = id_number.strip()
    if not value or not value.isascii() or not value.isdigit():
        raise ValueError("ID number must be digits only (a 12-digit CCCD number or a 9-digit CMND number)")
    return value


class PersonHasher:
    """Keyed hash of a CCCD number with the installation secret."""

    def __init__(self, secret: bytes) -> None:
        if not isinstance(secret, bytes | bytearray) or len(secret) < 16:
            raise ValueError("the log secret must be at least 16 bytes")
        self._secret = bytes(secret)

    def hash_id(self, id_number: str) -> str:
        """Lower-case hex HMAC-SHA-256 of the ID number (64 characters)."""
        return hmac.digest(self._secret, _normalise_id(id_number).encode("ascii"), hashlib.sha256).hex()

    def __repr__(self) -> str:  # never show the secret
        return "PersonHasher(<secret>)"


def mask_id(id_number: str) -> str:
    """``'001098012345'`` -> ``'••••••••2345'`` (the last 4 digits only)."""
    return masking.mask_id(_normalise_id(id_number), visible=4)


def load_or_create_secret(path: Path | None = None) -> bytes:
    """Read the installation secret, creating 32 random bytes (mode 0600) on first use."""
    target = path if path is not None else default_secret_path()
    if target.exists():
        data = target.read_bytes()
        if len(data) != SECRET_BYTES:
            raise ValueError(f"{target}: expected a {SECRET_BYTES}-byte log secret, found {len(data)} bytes")
        return data
    secret = os.urandom(SECRET_BYTES)
    paths.write_private_file(target, secret)
    return secret
