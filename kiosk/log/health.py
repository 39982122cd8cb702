"""Is the lookup-log file usable? Integrity check, damaged files set aside, full and read-only disks told apart.

- :func:`integrity_problem` runs ``PRAGMA quick_check`` (every page and index entry is readable and consistent; it
  skips the slower cross-checks of ``integrity_check``); a damaged log is renamed by :func:`set_aside` (with its WAL
  and shared-memory files, so that IT gets everything that was written) and the kiosk starts a fresh log.
- :func:`write_problem` classifies a write error: a full disk and a read-only file/folder get their own clear
  messages (SQLite's own text for a full disk during a rolled-back transaction is "cannot rollback - no
  transaction is active").
"""

from __future__ import annotations

import contextlib
import errno
import sqlite3
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path

SIDE_SUFFIXES = ("-wal", "-shm", "-journal")
DAMAGED_TAG = ".damaged-"
_MAX_PROBLEMS = 5


class WriteProblem(Enum):
    DISK_FULL = "disk-full"
    READ_ONLY = "read-only"
    OTHER = "other"


def integrity_problem(conn: sqlite3.Connection) -> str | None:
    """None when ``PRAGMA quick_check`` says ok, else a short description of what is damaged."""
    try:
        rows = conn.execute(f"PRAGMA quick_check({_MAX_PROBLEMS})").fetchall()
    except sqlite3.DatabaseError as exc:  # "database disk image is malformed", "file is not a database"
        return str(exc)
    found = [str(row[0]) for row in rows]
    return None if found == ["ok"] else "; ".join(found)


def set_aside(path: Path, now: datetime | None = None) -> Path:
    """Rename a damaged log (and its -wal/-shm files) to ``<name>.damaged-<UTC time><suffix>``; returns the new path."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.stem}{DAMAGED_TAG}{stamp}{path.suffix}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.stem}{DAMAGED_TAG}{stamp}-{n}{path.suffix}")
    path.replace(target)
    for suffix in SIDE_SUFFIXES:
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.replace(target.with_name(target.name + suffix))
    return target


def damaged_copies(path: Path) -> list[Path]:
    """The damaged logs set aside next to ``path`` (oldest first)."""
    with contextlib.suppress(OSError):
        return sorted(p for p in path.parent.glob(f"{path.stem}{DAMAGED_TAG}*{path.suffix}") if p.is_file())
    return []


def write_problem(exc: BaseException, path: Path) -> WriteProblem:
    """What kind of failure a write (or opening for writing) error is."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        primary = code & 0xFF
        if primary == sqlite3.SQLITE_FULL:
            return WriteProblem.DISK_FULL
        if primary == sqlite3.SQLITE_READONLY:
            return WriteProblem.READ_ONLY
        if primary in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_PERM) and not _writable(path):
            return WriteProblem.READ_ONLY
    if isinstance(exc, OSError):
        if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            return WriteProblem.DISK_FULL
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return WriteProblem.READ_ONLY
    text = str(exc).lower()
    if "disk is full" in text or "no space left" in text:
        return WriteProblem.DISK_FULL
    if "readonly" in text or "read-only" in text:
        return WriteProblem.READ_ONLY
    return WriteProblem.OTHER


def describe(problem: WriteProblem, path: Path, exc: BaseException) -> str:
    """The message for staff and IT."""
    if problem is WriteProblem.DISK_FULL:
        return (f"lookup log: the disk is full ({path.parent}); attempts are kept in memory and written "
                "when space is freed")
    if problem is WriteProblem.READ_ONLY:
        return (f"lookup log: {path} is read-only (file or folder not writable); attempts are kept in memory "
                "until IT makes it writable")
    return f"lookup log: cannot write {path}: {exc}"


def _writable(path: Path) -> bool:
    """Whether the file (or, when it does not exist yet, its folder) can be opened for writing."""
    target = path if path.exists() else path.parent
    try:
        if target.is_dir():
            probe = target / f".{path.name}.write-probe"
            probe.touch()
            probe.unlink()
        else:
            with open(target, "r+b"):
                pass
    except OSError:
        return False
    return True
