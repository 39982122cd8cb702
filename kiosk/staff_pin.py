"""The staff PIN that guards exit and settings on a kiosk: stored only as a salted PBKDF2 hash.

The stored form is one string, ``pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>``, kept in the
config's ``staff_pin_hash``. A PIN is 4 to 8 digits.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re

SCHEME = "pbkdf2-sha256"
DEFAULT_ITERATIONS = 120_000
DEMO_PIN = "1234"  # the documented PIN of the built-in demo (bhyt-kiosk --demo)
_PIN = re.compile(r"[0-9]{4,8}")


class PinFormatError(ValueError):
    """A PIN that is not 4 to 8 digits, or a stored hash that is not in the expected form."""


def check_pin_format(pin: str) -> None:
    if not isinstance(pin, str) or not _PIN.fullmatch(pin):
        raise PinFormatError("a staff PIN is 4 to 8 digits")


def hash_pin(pin: str, *, iterations: int = DEFAULT_ITERATIONS, salt: bytes | None = None) -> str:
    check_pin_format(pin)
    if iterations < 1:
        raise ValueError("iterations must be at least 1")
    salt = os.urandom(16) if salt is None else salt
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode("ascii"), salt, iterations)
    return "$".join((SCHEME, str(iterations), _b64(salt), _b64(digest)))


def verify_pin(pin: str, stored: str | None) -> bool:
    """Whether ``pin`` matches ``stored``; False for a malformed PIN. Raises for a malformed stored hash."""
    iterations, salt, expected = _parse(stored)
    if not isinstance(pin, str) or not _PIN.fullmatch(pin):
        return False
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode("ascii"), salt, iterations)
    return hmac.compare_digest(digest, expected)


def is_valid_hash(stored: str | None) -> bool:
    try:
        _parse(stored)
    except PinFormatError:
        return False
    return True


def _parse(stored: str | None) -> tuple[int, bytes, bytes]:
    if not stored:
        raise PinFormatError("no staff PIN is set (staff_pin_hash is empty)")
    parts = stored.split("$")
    if len(parts) != 4 or parts[0] != SCHEME:
        raise PinFormatError(f"staff_pin_hash must look like {SCHEME}$<iterations>$<salt>$<hash>")
    try:
        iterations = int(parts[1])
        salt = base64.b64decode(parts[2], validate=True)
        digest = base64.b64decode(parts[3], validate=True)
    except ValueError:
        raise PinFormatError("staff_pin_hash is damaged (bad number or base64)") from None
    if iterations < 1 or len(salt) < 8 or len(digest) != 32:
        raise PinFormatError("staff_pin_hash is damaged (iterations, salt or hash length)")
    return iterations, salt, digest


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
