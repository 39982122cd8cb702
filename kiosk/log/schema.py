"""Schema of the lookup-log database, its versioned migrations, and the attempt <-> row conversion.

Storage choices (for the speed of reports on a million rows):

- timestamps are INTEGER microseconds since the Unix epoch, UTC (exact round trip of the attempt's datetimes);
- ``started_at`` is the attempt's start (first seen, else the first known stage time), the period filters use it;
- ``day`` (days since 1970-01-01) and ``hour`` (0-23) are the *local* calendar day and hour of ``started_at`` at the
  kiosk (``utc_offset_min`` says which offset was used), so "per day" and "per hour of day" follow clinic hours;
- ``lookup_sent`` (0/1) says whether the request was sent to the service (a *lookup*);
- covering indexes, one per report query (outcome/reason, day, frames, each stage duration, person hash), each ending
  with the filter columns, so each report query is one ordered index walk without table look-ups or sorting.

Never add a column for a name, a full ID number, an address or an image; ``masked_id`` stays empty (v3: no digit of
the number next to ``person_hash``, see kiosk.privacy).
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from enum import Enum
from types import NoneType
from typing import Any, get_args, get_type_hints

from kiosk.attempts import LookupAttempt
from kiosk.outcomes import PRE_LOOKUP
from scanner.masking import redact_numbers

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ONE_US = timedelta(microseconds=1)
US_PER_HOUR = 3_600_000_000
US_PER_DAY = 86_400_000_000

# The LookupAttempt fields, in table order (the dataclass's order), and the type each holds (``X | None`` -> X).
ATTEMPT_COLUMNS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(LookupAttempt))
_HINTS = get_type_hints(LookupAttempt)
FIELD_TYPES: dict[str, type] = {
    name: next((t for t in get_args(hint) if t is not NoneType), hint) for name, hint in _HINTS.items()
}
_OPTIONAL = frozenset(name for name, hint in _HINTS.items() if NoneType in get_args(hint))
ATTEMPT_SELECT = ", ".join(ATTEMPT_COLUMNS)
# then the columns derived from them (attempt_to_row)
INSERT_COLUMNS = (*ATTEMPT_COLUMNS, "started_at", "day", "hour", "utc_offset_min", "lookup_sent", "recorded_at")
_VALUES = f"({', '.join('?' * len(INSERT_COLUMNS))})"
# An attempt is written once, except while its lookup is retried in the background: a later version of a *pending*
# attempt (more tries, or its final outcome) replaces the row; any other repeat of an attempt id is ignored.
_UPSERT = (
    "ON CONFLICT(attempt_id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in INSERT_COLUMNS if c not in ("attempt_id", "recorded_at"))
    + " WHERE attempts.retry_status = 'pending'"
)


def insert_many_sql(rows: int) -> str:
    """One INSERT statement for ``rows`` rows (one SQLite step for the whole group)."""
    return f"INSERT INTO attempts ({', '.join(INSERT_COLUMNS)}) VALUES {', '.join([_VALUES] * rows)} {_UPSERT}"


INSERT_SQL = insert_many_sql(1)
TIMESTAMP_COLUMNS = frozenset(name for name, kind in FIELD_TYPES.items() if kind is datetime)
DURATION_STAGES: tuple[str, ...] = ("read", "validate", "lookup", "total")

Row = tuple[object, ...]


_PRE_LOOKUP = "', '".join(sorted(PRE_LOOKUP))
LOOKUP_SENT_SQL = (
    "CASE WHEN lookup_sent_at IS NOT NULL OR stage IN ('lookup-sent', 'answered') THEN 1 "
    f"WHEN outcome IS NULL OR outcome = 'cancelled' OR outcome IN ('{_PRE_LOOKUP}') THEN 0 ELSE 1 END"
)

# ---------------------------------------------------------------------------------------------------------------------
# Schema versions. MIGRATIONS[i] takes a database from user_version i to i + 1.

_V1_TABLE = """
CREATE TABLE attempts (
    id INTEGER PRIMARY KEY,
    attempt_id TEXT NOT NULL UNIQUE,
    kiosk_id TEXT NOT NULL,
    facility_code TEXT NOT NULL,
    source TEXT NOT NULL,
    app_version TEXT NOT NULL,
    first_seen_at INTEGER,
    read_at INTEGER,
    lookup_sent_at INTEGER,
    answered_at INTEGER,
    stage TEXT NOT NULL,
    outcome TEXT,
    result_code TEXT,
    eligible INTEGER,
    decoder_backend TEXT,
    decode_stage TEXT,
    frames_to_read INTEGER,
    read_ms REAL,
    validate_ms REAL,
    lookup_ms REAL,
    total_ms REAL,
    http_attempts INTEGER,
    error_reason TEXT,
    person_hash TEXT,
    masked_id TEXT,
    started_at INTEGER NOT NULL,
    recorded_at INTEGER NOT NULL
)
"""

_FILTER_TAIL = "day, kiosk_id, facility_code, source, outcome"
REPORT_INDEXES: dict[str, str] = {
    "ix_attempts_outcome": f"outcome, error_reason, {_FILTER_TAIL.replace(', outcome', '')}, lookup_sent",
    "ix_attempts_day": "day, hour, outcome, error_reason, lookup_sent, kiosk_id, facility_code, source",
    "ix_attempts_frames": f"frames_to_read, {_FILTER_TAIL}",
    "ix_attempts_read_ms": f"read_ms, {_FILTER_TAIL}",
    "ix_attempts_validate_ms": f"validate_ms, {_FILTER_TAIL}",
    "ix_attempts_lookup_ms": f"lookup_ms, {_FILTER_TAIL}",
    "ix_attempts_total_ms": f"total_ms, {_FILTER_TAIL}",
    "ix_attempts_person": f"person_hash, {_FILTER_TAIL}",
}


def create_report_indexes(conn: sqlite3.Connection) -> None:
    for name, columns in REPORT_INDEXES.items():
        conn.execute(f"CREATE INDEX IF NOT EXISTS {name} ON attempts ({columns})")


def drop_report_indexes(conn: sqlite3.Connection) -> None:
    for name in REPORT_INDEXES:
        conn.execute(f"DROP INDEX IF EXISTS {name}")


def _migrate_v0_to_v1(conn: sqlite3.Connection, offset_min: int) -> None:
    conn.execute(_V1_TABLE)
    conn.execute("CREATE INDEX ix_attempts_started ON attempts (started_at)")


def _migrate_v1_to_v2(conn: sqlite3.Connection, offset_min: int) -> None:
    """Local day/hour, lookup flag and the report indexes. Old rows get this machine's current UTC offset."""
    conn.execute("ALTER TABLE attempts ADD COLUMN day INTEGER NOT NULL DEFAULT 0")
    conn.execute("ALTER TABLE attempts ADD COLUMN hour INTEGER NOT NULL DEFAULT 0")
    conn.execute("ALTER TABLE attempts ADD COLUMN utc_offset_min INTEGER NOT NULL DEFAULT 0")
    conn.execute("ALTER TABLE attempts ADD COLUMN lookup_sent INTEGER NOT NULL DEFAULT 0")
    shift = offset_min * 60_000_000
    conn.execute(
        f"UPDATE attempts SET utc_offset_min = ?, day = (started_at + ?) / {US_PER_DAY}, "
        f"hour = ((started_at + ?) / {US_PER_HOUR}) % 24, lookup_sent = {LOOKUP_SENT_SQL}",
        (offset_min, shift, shift),
    )
    create_report_indexes(conn)


def _migrate_v2_to_v3(conn: sqlite3.Connection, offset_min: int) -> None:
    """Forget the old pseudonyms: a fast HMAC next to the last 4 digits could be reversed in seconds with the secret.

    From v3 on ``person_hash`` is the slow keyed hash of :mod:`kiosk.privacy` and ``masked_id`` is never stored, so
    older rows keep their outcomes and timings but no longer count as repeat visits.
    """
    conn.execute("UPDATE attempts SET person_hash = NULL, masked_id = NULL "
                 "WHERE person_hash IS NOT NULL OR masked_id IS NOT NULL")


def _migrate_v3_to_v4(conn: sqlite3.Connection, offset_min: int) -> None:
    """Background retries: the first try's outcome, the retry status and the delay to the final outcome. Old rows
    ended on their first try (NULLs)."""
    conn.execute("ALTER TABLE attempts ADD COLUMN first_try_outcome TEXT")
    conn.execute("ALTER TABLE attempts ADD COLUMN retry_status TEXT")
    conn.execute("ALTER TABLE attempts ADD COLUMN retry_delay_ms REAL")
    # rows with background retries only (a small part of the log): the retry figures of the report walk this
    conn.execute("CREATE INDEX IF NOT EXISTS ix_attempts_retry ON attempts (retry_status, outcome, retry_delay_ms, "
                 "day, kiosk_id, facility_code, source) WHERE retry_status IS NOT NULL")


MIGRATIONS: tuple[Callable[[sqlite3.Connection, int], None], ...] = (
    _migrate_v0_to_v1, _migrate_v1_to_v2, _migrate_v2_to_v3, _migrate_v3_to_v4)
SCHEMA_VERSION = len(MIGRATIONS)


class LogError(Exception):
    """A lookup-log database that cannot be opened, read or written (message for the user)."""


@contextlib.contextmanager
def closed_on_error(conn: Any, message: str) -> Iterator[None]:
    """Close ``conn`` when the block fails; an SQLite error becomes ``LogError("{message}: {error}")``."""
    try:
        yield
    except sqlite3.Error as exc:
        conn.close()
        raise LogError(f"{message}: {exc}") from exc
    except BaseException:
        conn.close()
        raise


def local_offset_minutes() -> int:
    return (datetime.now().astimezone().utcoffset() or timedelta()) // timedelta(minutes=1)


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Bring the database to ``target`` (each step in its own transaction). Returns the version found."""
    found = schema_version(conn)
    if found > SCHEMA_VERSION:
        raise LogError(f"lookup log schema v{found} is newer than this program understands (v{SCHEMA_VERSION})")
    offset = local_offset_minutes()
    for version in range(found, target):
        with immediate_transaction(conn):
            MIGRATIONS[version](conn, offset)
            conn.execute(f"PRAGMA user_version = {version + 1}")
    return found


@contextlib.contextmanager
def immediate_transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``; ``ROLLBACK`` on any error unless SQLite already rolled back (a full disk
    does: a second ROLLBACK would replace the real error with "cannot rollback - no transaction is active")."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


# ---------------------------------------------------------------------------------------------------------------------
# Conversion


def to_us(value: datetime | None, name: str) -> int | None:
    if value is None:
        return None
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, not {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (UTC), got a naive datetime")
    return (value - EPOCH) // ONE_US


def from_us(value: int | None) -> datetime | None:
    if value is None:
        return None
    return EPOCH + timedelta(microseconds=value)


def _text(value: object, name: str, limit: int = 200) -> str:
    """A free-text field, shortened to ``limit`` characters, with any run of 5+ digits (an ID number) masked."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, not {type(value).__name__}")
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    return redact_numbers(value)


def _number(value: object, name: str, kind: type) -> int | float:
    """A count (``int``) or a duration in ms (``float``): never negative, never NaN."""
    if isinstance(value, bool) or not isinstance(value, int if kind is int else int | float):
        wanted = "an integer" if kind is int else "a number"
        raise TypeError(f"{name} must be {wanted}, not {type(value).__name__}")
    if not value >= 0:  # NaN or negative
        raise ValueError(f"{name} must be a non-negative number, got {value!r}")
    return kind(value)


_HEX64 = re.compile(r"[0-9a-f]{64}")


def _check_hash(value: object) -> str:
    if not isinstance(value, str) or _HEX64.fullmatch(value) is None:
        raise ValueError("person_hash must be a 64-character lower-case hex keyed hash (never an ID number)")
    return value


def _never_stored(value: object) -> None:
    """The masked number is checked (at most 4 digits) but never stored: digits next to the hash would let someone
    with a copy of the data folder narrow the numbers to try 10,000-fold (kiosk.privacy)."""
    if not isinstance(value, str) or len(value) > 32:
        raise TypeError("masked_id must be a short string such as '••••••••1234'")
    if sum(c.isdigit() for c in value) > 4:
        raise ValueError("masked_id may show at most 4 digits (e.g. '••••••••1234')")


# Fields stored other than by their type.
_CHECKS: dict[str, Callable[[object], object]] = {
    "person_hash": _check_hash,
    "masked_id": _never_stored,
    "result_code": lambda value: _text(value, "result_code", 16),
}


def _to_sql(name: str, value: object) -> object:
    """The stored value of one LookupAttempt field. Raises TypeError/ValueError on a malformed one."""
    kind = FIELD_TYPES[name]
    if value is None:
        if name in _OPTIONAL:
            return None
        raise ValueError(f"attempt {name} is missing")
    if name in _CHECKS:
        return _CHECKS[name](value)
    if kind is datetime:
        return to_us(value, name)  # type: ignore[arg-type]
    if issubclass(kind, Enum):
        return kind(value).value
    if kind is bool:
        return int(bool(value))
    if kind in (int, float):
        return _number(value, name, kind)
    if name in _OPTIONAL:
        return _text(value, name)
    if not isinstance(value, str) or not value:  # the attempt's ids, app version
        raise ValueError(f"attempt {name} must be a non-empty string")
    return value


def _from_sql(kind: type, value: object) -> object:
    if value is None:
        return None
    if kind is datetime:
        return from_us(value)  # type: ignore[arg-type]
    if kind is bool or issubclass(kind, Enum):
        return kind(value)
    return value


def attempt_to_row(attempt: LookupAttempt, *, recorded_at: datetime, tz: tzinfo | None = None) -> Row:
    """The INSERT_COLUMNS values of an attempt. Raises TypeError/ValueError on a malformed attempt."""
    if not isinstance(attempt, LookupAttempt):
        raise TypeError(f"expected a LookupAttempt, not {type(attempt).__name__}")
    values = [_to_sql(name, getattr(attempt, name)) for name in ATTEMPT_COLUMNS]
    recorded_us = to_us(recorded_at, "recorded_at")
    started = attempt.started_at or recorded_at
    started_us = to_us(started, "started_at")
    assert started_us is not None and recorded_us is not None
    offset_min = (started.astimezone(tz).utcoffset() or timedelta()) // timedelta(minutes=1)  # tz None: this machine's
    local_us = started_us + offset_min * 60_000_000
    return (*values, started_us, local_us // US_PER_DAY, (local_us // US_PER_HOUR) % 24, offset_min,
            int(attempt.lookup_was_sent), recorded_us)


def row_to_attempt(row: Sequence[object]) -> LookupAttempt:
    """A LookupAttempt from the ATTEMPT_COLUMNS values of a row (``SELECT {ATTEMPT_SELECT}``)."""
    values = {name: _from_sql(FIELD_TYPES[name], value) for name, value in zip(ATTEMPT_COLUMNS, row, strict=True)}
    return LookupAttempt(**values)  # type: ignore[arg-type]
