"""Pseudonymous identifiers for the lookup log: slow keyed hashes, never the CCCD number or any of its digits.

``person_hash`` = scrypt(HMAC-SHA-256(installation secret, CCCD number), salt from the secret, N=2^15, r=8, p=1),
64 hex characters, so that repeat visitors can be counted without storing who they are.

The threat it answers (see the README, "Privacy"): someone with a copy of the whole data folder (the log database
*and* the secret) tries every possible CCCD number against a hash. Without the secret that cannot even start (the
HMAC key). With it, each guess costs one scrypt (about 0.1 s of CPU and 32 MiB of memory), and no digit of the number
is stored next to the hash (the lookup log keeps no masked number), so a number is one of ~1.3 x 10^10: finding one
costs ~20 CPU-years on average. Hashes are cached per process (a repeat visitor costs nothing); the pipeline
computes one while the lookup is in flight, so lookups do not wait for it.

The masked number (``mask_id``, last 4 digits) is for screens and command output only, never stored.
"""

from __future__ import annotations

import collections
import hashlib
import hmac
import os
import threading
from pathlib import Path

from kiosk import paths
from scanner import masking

SECRET_BYTES = 32
SCRYPT_N = 2**15  # CPU/memory cost: 128 * r * N = 32 MiB per hash
SCRYPT_R = 8
SCRYPT_P = 1
CACHE_SIZE = 4096  # numbers whose hash a process keeps (a busy kiosk's day of distinct visitors)
_SALT_LABEL = b"bhyt-kiosk person_hash salt v1"


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
    """Slow keyed hash of a CCCD number with the installation secret (scrypt over an HMAC), cached per process.

    ``cost``: scrypt's N. Keep the default for real logs; a smaller one only for synthetic data (the simulator).
    """

    def __init__(self, secret: bytes, *, cost: int = SCRYPT_N, cache_size: int = CACHE_SIZE) -> None:
        if not isinstance(secret, bytes | bytearray) or len(secret) < 16:
            raise ValueError("the log secret must be at least 16 bytes")
        if cost < 2 or cost & (cost - 1):
            raise ValueError("cost must be a power of 2, at least 2")
        self._secret = bytes(secret)
        self._salt = hmac.digest(self._secret, _SALT_LABEL, hashlib.sha256)
        self._cost = cost
        self._cache_size = cache_size
        self._cache: collections.OrderedDict[bytes, str] = collections.OrderedDict()
        self._lock = threading.Lock()

    def _key(self, id_number: str) -> bytes:
        return hmac.digest(self._secret, _normalise_id(id_number).encode("ascii"), hashlib.sha256)

    def cached(self, id_number: str) -> str | None:
        """The hash when this process already computed it, else None (never computes)."""
        key = self._key(id_number)
        with self._lock:
            value = self._cache.get(key)
            if value is not None:
                self._cache.move_to_end(key)
            return value

    def hash_id(self, id_number: str) -> str:
        """Lower-case hex (64 characters). ~0.1 s of CPU the first time a process sees a number, then cached."""
        key = self._key(id_number)
        with self._lock:
            value = self._cache.get(key)
            if value is not None:
                self._cache.move_to_end(key)
                return value
        value = hashlib.scrypt(key, salt=self._salt, n=self._cost, r=SCRYPT_R, p=SCRYPT_P,
                               maxmem=256 * SCRYPT_R * self._cost + (1 << 20), dklen=32).hex()
        with self._lock:
            self._cache[key] = value
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return value

    def __repr__(self) -> str:  # never show the secret
        return "PersonHasher(<secret>)"


def mask_id(id_number: str) -> str:
    """``'001098012345'`` -> ``'••••••••2345'`` (the last 4 digits only; for screens, never stored)."""
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
