"""Lookups waiting for a late answer, and what they must remember (the person's ID, name, date of birth).

Privacy: the personal data of a pending lookup is kept in memory, and — so that a restart can resume it — encrypted
at rest: one file per pending lookup, ``<attempt_id>.pending`` in ``pending_dir``, made of

- a plain JSON header line with what is not personal: the attempt as the lookup log records it (keyed hash and masked
  number only), the ticket number, the first try's outcome and the deadline;
- the request's personal data, encrypted with AES-256-GCM (``cryptography``) under a key kept in its own file (mode
  0600, in the keys folder, never in the lookup log or next to the pending files), the attempt id as associated data.

A file is deleted when its lookup is answered, refused or abandoned. On start, :meth:`PendingStore.recover` returns the
lookups still within their limit (to resume) and every other one (expired, unreadable, key lost or changed) as
*abandoned*, with its attempt, so that the log records it: nothing is dropped silently. Files are written with mode
0600, atomically (temporary file + rename), so a kill mid-write leaves the old version or none.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kiosk import paths
from kiosk.attempts import LookupAttempt
from kiosk.eligibility import LookupRequest
from kiosk.log.schema import ATTEMPT_COLUMNS, attempt_to_row, row_to_attempt

log = logging.getLogger("kiosk.pending")

SUFFIX = ".pending"
KEY_BYTES = 32
FORMAT = 1


class PendingStoreError(Exception):
    """The pending-lookup folder or its key cannot be used (message for staff)."""


@dataclass(frozen=True)
class PendingLookup:
    attempt: LookupAttempt  # as recorded at the first try's end (no personal data; its first_try_outcome is set)
    request: LookupRequest  # personal data: memory, or encrypted at rest
    first_try_reason: str
    first_try_ended_at: datetime  # UTC
    expires_at: datetime  # UTC: first_try_ended_at + the retry limit
    ticket_number: int | None = None
    tries: int = 1  # HTTP requests sent so far (the first try's included)

    @property
    def attempt_id(self) -> str:
        return self.attempt.attempt_id


@dataclass(frozen=True)
class Abandoned:
    attempt: LookupAttempt | None  # None only when even the file's plain header was unreadable
    attempt_id: str
    reason: str
    pending: PendingLookup | None = None  # the entry, when it could be read (its personal data is not kept)


def _header(entry: PendingLookup) -> dict[str, Any]:
    row = attempt_to_row(entry.attempt, recorded_at=entry.first_try_ended_at)
    return {
        "format": FORMAT,
        "attempt": dict(zip(ATTEMPT_COLUMNS, row[: len(ATTEMPT_COLUMNS)], strict=True)),
        "first_try_reason": entry.first_try_reason,
        "first_try_ended_at": entry.first_try_ended_at.isoformat(),
        "expires_at": entry.expires_at.isoformat(),
        "ticket_number": entry.ticket_number,
        "tries": entry.tries,
    }


def _personal(request: LookupRequest) -> dict[str, Any]:
    return {**asdict(request), "date_of_birth": request.date_of_birth_iso}


def _attempt_from_header(header: dict[str, Any]) -> LookupAttempt:
    values = header["attempt"]
    return row_to_attempt([values[name] for name in ATTEMPT_COLUMNS])


def _delete(path: Path) -> None:
    """Delete a pending file; one the OS will not delete (Windows: a scanner holds it open) is logged, not raised:
    the lookup has ended all the same (a restart may find the file again)."""
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        log.error("pending file %s not deleted: %s", path.name, exc)


class PendingStore:
    """Pending lookups in memory, mirrored to encrypted files when ``directory`` is given (thread-safe)."""

    def __init__(self, directory: Path | None = None, key_file: Path | None = None) -> None:
        self.directory = directory
        self._entries: dict[str, PendingLookup] = {}
        self._lock = threading.Lock()
        self._aead: AESGCM | None = None
        if directory is not None:
            key_path = key_file if key_file is not None else paths.default_keys_dir() / "pending.key"
            if key_path.resolve().parent == directory.resolve():
                raise PendingStoreError("the pending-lookup key must not be kept in the pending folder")
            self._aead = AESGCM(self._load_key(key_path))
            try:
                directory.mkdir(parents=True, exist_ok=True)
                with contextlib.suppress(OSError):
                    os.chmod(directory, 0o700)
            except OSError as exc:
                raise PendingStoreError(f"cannot create the pending-lookup folder {directory}: {exc}") from exc

    @staticmethod
    def _load_key(path: Path) -> bytes:
        if not path.exists():  # the first pending lookup of this kiosk
            key = secrets.token_bytes(KEY_BYTES)
            try:
                paths.write_private_file(path, key)
            except OSError as exc:
                raise PendingStoreError(f"cannot write the pending-lookup key {path}: {exc}") from exc
            return key
        key = paths.read_file(path, "the pending-lookup key", PendingStoreError, binary=True)
        if len(key) != KEY_BYTES:
            raise PendingStoreError(f"{path} is not a pending-lookup key ({len(key)} bytes, expected {KEY_BYTES})")
        return key

    # ----------------------------------------------------------------- entries

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def __iter__(self) -> Iterator[PendingLookup]:
        with self._lock:
            return iter(list(self._entries.values()))

    def get(self, attempt_id: str) -> PendingLookup | None:
        with self._lock:
            return self._entries.get(attempt_id)

    def put(self, entry: PendingLookup) -> None:
        """Add or update a pending lookup (written to disk, encrypted, before this returns)."""
        with self._lock:
            self._entries[entry.attempt_id] = entry
            if self.directory is not None:
                self._write(entry)

    def record_try(self, attempt_id: str, requests: int = 1) -> PendingLookup | None:
        """Count ``requests`` more HTTP requests sent for ``attempt_id``; returns the updated entry."""
        with self._lock:
            entry = self._entries.get(attempt_id)
            if entry is None:
                return None
            entry = replace(entry, tries=entry.tries + max(0, requests))
            self._entries[attempt_id] = entry
            if self.directory is not None:
                self._write(entry)
            return entry

    def remove(self, attempt_id: str) -> PendingLookup | None:
        """Forget the lookup and delete its file (answered, refused or abandoned)."""
        with self._lock:
            entry = self._entries.pop(attempt_id, None)
            if self.directory is not None:
                _delete(self._file(attempt_id))
            return entry

    # ----------------------------------------------------------------- files

    def _file(self, attempt_id: str) -> Path:
        assert self.directory is not None
        if not attempt_id or any(c in attempt_id for c in "/\\:.") or len(attempt_id) > 64:
            raise ValueError(f"attempt id {attempt_id!r} cannot name a pending file")
        return self.directory / f"{attempt_id}{SUFFIX}"

    def _write(self, entry: PendingLookup) -> None:
        assert self._aead is not None
        nonce = secrets.token_bytes(12)
        secret = json.dumps(_personal(entry.request), ensure_ascii=False).encode("utf-8")
        sealed = self._aead.encrypt(nonce, secret, entry.attempt_id.encode("ascii"))
        header = json.dumps(_header(entry), ensure_ascii=True).encode("ascii")
        data = header + b"\n" + (nonce + sealed).hex().encode("ascii") + b"\n"
        try:
            paths.write_private_file(self._file(entry.attempt_id), data)  # atomic: a kill leaves the old file
        except OSError as exc:
            # the lookup goes on in memory; only a restart could lose it now
            log.error("pending lookup %s kept in memory only: %s", entry.attempt_id, exc)

    def _read(self, path: Path) -> PendingLookup:
        assert self._aead is not None
        header_line, _, sealed_line = path.read_bytes().partition(b"\n")
        header = json.loads(header_line)
        if header.get("format") != FORMAT:
            raise ValueError(f"unknown pending-file format {header.get('format')!r}")
        attempt = _attempt_from_header(header)
        raw = bytes.fromhex(sealed_line.strip().decode("ascii"))
        personal = json.loads(self._aead.decrypt(raw[:12], raw[12:], attempt.attempt_id.encode("ascii")))
        return PendingLookup(
            attempt=attempt,
            request=LookupRequest(**personal),
            first_try_reason=str(header["first_try_reason"]),
            first_try_ended_at=datetime.fromisoformat(header["first_try_ended_at"]),
            expires_at=datetime.fromisoformat(header["expires_at"]),
            ticket_number=header["ticket_number"],
            tries=int(header["tries"]),
        )

    def recover(
        self, *, resume: bool = True, now: datetime | None = None
    ) -> tuple[list[PendingLookup], list[Abandoned]]:
        """After a restart: the lookups to resume (kept in the store), and the ones to record as abandoned (their
        files deleted). With ``resume=False`` every one found is abandoned."""
        if self.directory is None:
            return [], []
        now = now or datetime.now(UTC)
        resumed: list[PendingLookup] = []
        abandoned: list[Abandoned] = []
        for tmp in self.directory.glob(f"*{paths.TEMP_SUFFIX}"):  # a write a kill interrupted (the old file stands)
            _delete(tmp)
        for path in sorted(self.directory.glob(f"*{SUFFIX}")):
            entry: PendingLookup | None = None
            try:
                entry = self._read(path)
            except InvalidTag:
                reason = "restart: pending data could not be decrypted (key changed?)"
            except (OSError, ValueError, KeyError, TypeError) as exc:
                reason = f"restart: pending file unreadable ({type(exc).__name__})"
            else:
                if not resume:
                    reason = "restart: pending lookups are not resumed (pending_resume = false)"
                elif entry.expires_at <= now:
                    reason = "restart: retry limit passed while the kiosk was off"
                else:
                    with self._lock:
                        self._entries[entry.attempt_id] = entry
                    resumed.append(entry)
                    continue
            attempt = entry.attempt if entry is not None else self._header_attempt(path)
            abandoned.append(Abandoned(attempt, path.name[: -len(SUFFIX)], reason, entry))
            _delete(path)
        return resumed, abandoned

    @staticmethod
    def _header_attempt(path: Path) -> LookupAttempt | None:
        try:
            header = json.loads(path.read_bytes().partition(b"\n")[0])
            return _attempt_from_header(header)
        except Exception:  # a file broken beyond its header: only the attempt id (its name) is left
            return None
