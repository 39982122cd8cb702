"""Pseudonymous identifiers for the lookup log: slow keyed hashes, never the CCCD number or any of its digits.

``person_hash`` = scrypt(HMAC-SHA-256(installation secret, CCCD number), salt from the secret, N=2^15, r=8, p=1),
64 hex characters, so that repeat visitors can be counted without storing who they are.

The threat it answers (see the README, "Privacy"): someone with a copy of the whole data folder tries every possible
CCCD number against a hash. The secret is not in that folder (the OS credential store where ``keyring`` finds one,
else a 0600 file in the *config* folder), so with the data folder alone that cannot even start (the HMAC key).
With the secret too, each guess costs one scrypt (about 0.1 s of CPU and 32 MiB of memory), and no digit of the
number is stored next to the hash (the lookup log keeps no masked number), so a number is one of ~1.3 x 10^10:
finding one costs ~19 CPU-years on average. Hashes are cached per process (a repeat visitor costs nothing); the pipeline
hands the lookup log a :class:`DeferredHash` and the log's writer thread computes it just before the insert, so lookups
never wait for it.

The masked number (``mask_id``, last 4 digits) is for screens and command output only, never stored. Text the other
side sends is never stored or logged at all: :func:`foreign_code` keeps what may be kept of it.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import hmac
import os
import re
from pathlib import Path
from typing import Any

from kiosk import paths
from scanner import masking

SECRET_BYTES = 32
SCRYPT_N = 2**15  # CPU/memory cost: 128 * r * N = 32 MiB per hash
SCRYPT_R = 8
SCRYPT_P = 1
CACHE_SIZE = 4096  # numbers whose hash a process keeps (a busy kiosk's day of distinct visitors)
_SALT_LABEL = b"bhyt-kiosk person_hash salt v1"


SECRET_STORE_ENV = "BHYT_KIOSK_SECRET_STORE"  # auto (default) | keyring | file
KEYRING_SERVICE = "bhyt-kiosk"


def default_secret_path() -> Path:
    """The secret's file when there is no OS credential store: the config folder, *not* the data folder that holds
    the lookup log (a copy of the data folder, e.g. a log taken for IT, carries no key)."""
    return paths.config_dir() / "log-secret.key"


def legacy_secret_path() -> Path:
    """Where older versions kept the secret: next to the lookup log (moved away on first use)."""
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
        # keyed by the number's HMAC, so the cache holds no number
        self._slow_hash = functools.lru_cache(maxsize=cache_size)(self._scrypt)

    def _scrypt(self, key: bytes) -> str:
        return hashlib.scrypt(key, salt=self._salt, n=self._cost, r=SCRYPT_R, p=SCRYPT_P,
                              maxmem=256 * SCRYPT_R * self._cost + (1 << 20), dklen=32).hex()

    def hash_id(self, id_number: str) -> str:
        """Lower-case hex (64 characters). ~0.1 s of CPU the first time a process sees a number, then cached."""
        return self._slow_hash(hmac.digest(self._secret, _normalise_id(id_number).encode("ascii"), hashlib.sha256))

    def __repr__(self) -> str:  # never show the secret
        return "PersonHasher(<secret>)"


class DeferredHash:
    """A CCCD number on its way to its ``person_hash``, held in memory only: it prints, formats and logs as
    ``DeferredHash(<person>)``, cannot be pickled or copied, and gives out nothing but the hash."""

    __slots__ = ("_hasher", "_number")

    def __init__(self, hasher: PersonHasher, id_number: str) -> None:
        self._hasher = hasher
        self._number = _normalise_id(id_number)

    def value(self) -> str:
        """The slow keyed hash (cached per process)."""
        return self._hasher.hash_id(self._number)

    def __repr__(self) -> str:
        return "DeferredHash(<person>)"

    __str__ = __repr__

    def __reduce__(self) -> Any:
        raise TypeError("a person's number is never serialised or copied")


def mask_id(id_number: str) -> str:
    """``'001098012345'`` -> ``'••••••••2345'`` (the last 4 digits only; for screens, never stored)."""
    return masking.mask_id(_normalise_id(id_number), visible=4)


_CODE = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,39}")


def foreign_code(value: object) -> str | None:
    """A code or field name another system sent (a problem's ``reason``, a FHIR issue's ``code``, a field's path) when
    it is one — an ASCII word of at most 40 letters, digits and ``_.-`` — else None.

    Text from the eligibility service or the HIS (an error's title or detail, an exception quoting what a server sent)
    may echo the patient's name or address, which cannot be masked like digits: only such codes, the kiosk's own
    reasons and what it measures (HTTP status, exception class) go to the app log and the lookup database."""
    return value if isinstance(value, str) and _CODE.fullmatch(value) else None


def load_or_create_secret(path: Path | None = None) -> bytes:
    """The installation secret (32 random bytes, made on first use).

    ``path``: that file. Otherwise the OS credential store (Windows Credential Manager, macOS Keychain, Secret
    Service) when ``keyring`` finds a usable one and ``BHYT_KIOSK_HOME`` does not make the install portable (or
    ``BHYT_KIOSK_SECRET_STORE=keyring`` asks for it); else a 0600 file in the config folder. A secret found where
    older versions kept it, next to the lookup log, moves to the store and leaves the data folder.
    """
    if path is not None:
        return _file_secret(path, create=True)
    store = _credential_store()
    legacy = legacy_secret_path()
    if store is not None:
        entry = _keyring_entry()
        text = store.get_password(KEYRING_SERVICE, entry)
        if text is None:
            secret = _file_secret(legacy, create=False) or _file_secret(default_secret_path(), create=False) \
                or os.urandom(SECRET_BYTES)
            store.set_password(KEYRING_SERVICE, entry, base64.b64encode(secret).decode("ascii"))
            text = store.get_password(KEYRING_SERVICE, entry)
            if text is None:  # a store that does not keep what it is given: use the file
                return _file_secret(default_secret_path(), create=True, seed=secret)
        secret = _decode(text, f"{KEYRING_SERVICE}/{entry} in the credential store")
        for stale in (legacy, default_secret_path()):
            with contextlib.suppress(OSError):
                stale.unlink()
        return secret
    moved = _file_secret(legacy, create=False)
    secret = _file_secret(default_secret_path(), create=True, seed=moved)
    if moved is not None:
        with contextlib.suppress(OSError):
            legacy.unlink()
    return secret


def secret_location() -> str:
    """Where :func:`load_or_create_secret` keeps the secret (for ``config show`` and the README's claims)."""
    store = _credential_store()
    if store is not None:
        return f"OS credential store ({type(store).__name__}: {KEYRING_SERVICE}/{_keyring_entry()})"
    return str(default_secret_path())


def _file_secret(path: Path, *, create: bool, seed: bytes | None = None) -> bytes | None:
    if path.exists():
        data = path.read_bytes()
        if len(data) != SECRET_BYTES:
            raise ValueError(f"{path}: expected a {SECRET_BYTES}-byte log secret, found {len(data)} bytes")
        return data
    if not create:
        return None
    secret = seed if seed is not None else os.urandom(SECRET_BYTES)
    paths.write_private_file(path, secret)
    return secret


def _decode(text: str, where: str) -> bytes:
    try:
        secret = base64.b64decode(text, validate=True)
    except ValueError:
        secret = b""
    if len(secret) != SECRET_BYTES:
        raise ValueError(f"{where}: not a {SECRET_BYTES}-byte log secret")
    return secret


def _keyring_entry() -> str:
    """One entry per data folder (two installs for two users do not share a secret)."""
    return f"log-secret:{paths.data_dir()}"


def _credential_store() -> Any | None:
    """The keyring backend to use, or None for the file (portable installs, no usable store, or asked for)."""
    choice = os.environ.get(SECRET_STORE_ENV, "auto").strip().lower()
    if choice == "file" or (choice != "keyring" and os.environ.get("BHYT_KIOSK_HOME")):
        return None
    try:
        import keyring
        from keyring.errors import KeyringError

        backend = keyring.get_keyring()
    except Exception:  # no keyring, or a broken backend configuration
        return None
    if getattr(backend, "priority", 0) < 1:  # keyring's "fail" and "null" backends
        return None
    try:
        backend.get_password(KEYRING_SERVICE, _keyring_entry())  # locked or unreachable: the file
    except (KeyringError, OSError, RuntimeError):
        return None
    return backend
