"""The central store: attempts from every kiosk of a province, written idempotently by the collector.

``open_store(url)``: ``postgresql://...`` (production: :mod:`kiosk.central.migrations`, monthly partitions) or
``sqlite:///path`` / a plain path (development: a lookup-log file, so every local tool reads it, plus ``kiosks``).

Writes (:meth:`CentralStore.write_batch`), one transaction per batch:

- a new attempt id is stored; the same attempt again (a batch sent twice) changes nothing;
- a later version of an attempt (a larger ``recorded_at``: a late answer after a retry) replaces the stored one;
- an attempt id already stored for another kiosk is never touched (counted as ``unchanged``);
- the kiosk's row in ``kiosks`` gets the batch time, its lag (collector time - the newest attempt's ``recorded_at``) and
  the backlog the kiosk reported.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psycopg

from kiosk.central import rollups
from kiosk.central.location import is_postgres_url, safe_url, sqlite_path
from kiosk.central.migrations import ensure_partitions, migrate, month_of
from kiosk.central.rollups import CONTRIBUTION_COLUMNS
from kiosk.log.schema import INSERT_COLUMNS, INSERT_SQL, LogError, Row, immediate_transaction, to_us
from kiosk.log.writer import connect

_DAY = INSERT_COLUMNS.index("day")
_RECORDED = INSERT_COLUMNS.index("recorded_at")
_KIOSK = INSERT_COLUMNS.index("kiosk_id")
_FACILITY = INSERT_COLUMNS.index("facility_code")
CENTRAL_COLUMNS: tuple[str, ...] = (*INSERT_COLUMNS, "received_at")
KIOSK_LOCK = 0x6B696F  # advisory lock class of "one batch per kiosk at a time" (the key is the kiosk id's hash)


@dataclass(frozen=True)
class WriteResult:
    received: int
    stored: int  # new attempts
    updated: int  # later versions that replaced a stored one
    unchanged: int  # already stored (same or older version), or another kiosk's attempt id


def _latest_versions(rows: Sequence[Row]) -> list[Row]:
    """One row per attempt id (the latest version), in first-seen order."""
    best: dict[object, Row] = {}
    for row in rows:
        current = best.get(row[0])
        if current is None or row[_RECORDED] > current[_RECORDED]:  # type: ignore[operator]
            best[row[0]] = row
    return list(best.values())


_RETRY = INSERT_COLUMNS.index("retry_status")


def _is_later_version(row: Row, stored: Sequence[object]) -> bool:
    """The SQLite spelling of ``_LATER_VERSION``: same kiosk, and a larger recorded_at or a change to a pending one."""
    if stored[_KIOSK] != row[_KIOSK]:
        return False
    if int(row[_RECORDED]) > int(stored[_RECORDED]):  # type: ignore[call-overload]
        return True
    return stored[_RETRY] == "pending" and tuple(stored) != tuple(row)


class CentralStore(ABC):
    """Base of the two stores."""

    url: str

    def write_batch(
        self, kiosk_id: str, rows: Sequence[Row], *, backlog: int, now: datetime | None = None
    ) -> WriteResult:
        """Store a batch of ``kiosk_id``'s attempt rows (``INSERT_COLUMNS`` values) in one transaction."""
        received_us = to_us(now or datetime.now(UTC), "now")
        assert received_us is not None
        latest = _latest_versions(rows)
        newest = max((int(r[_RECORDED]) for r in latest), default=None)  # type: ignore[call-overload]
        lag_s = None if newest is None else max(0.0, (received_us - newest) / 1e6)
        facility = latest[-1][_FACILITY] if latest else None
        # the kiosks row: id, facility, batch time, newest recorded_at, lag, backlog, attempts received
        kiosk_row = (kiosk_id, facility, received_us, newest, lag_s, backlog, len(rows))
        stored, updated = self._write(latest, received_us, kiosk_row)
        return WriteResult(len(rows), stored, updated, len(rows) - stored - updated)

    @abstractmethod
    def _write(self, latest: Sequence[Row], received_us: int, kiosk_row: tuple[object, ...]) -> tuple[int, int]:
        """Write the rows (one per attempt id) and the kiosk's row; (stored, updated)."""
        raise NotImplementedError

    @abstractmethod
    def count(self) -> int:
        raise NotImplementedError

    @abstractmethod
    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> CentralStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ------------------------------------------------------------------------------------------------ PostgreSQL
class PostgresStore(CentralStore):
    """The central store on PostgreSQL (psycopg 3), a small pool of connections for the collector's threads."""

    def __init__(self, url: str, *, pool_size: int = 4, connect_timeout: float = 5.0) -> None:
        self.url = url
        self._connect_timeout = connect_timeout
        self._pool: queue.LifoQueue[psycopg.Connection] = queue.LifoQueue()
        self._all: list[psycopg.Connection] = []
        self._lock = threading.Lock()
        self._pool_size = pool_size
        self._months: set[tuple[int, int]] = set()
        conn = self._connect()
        try:
            migrate(conn)
        except psycopg.Error as exc:
            conn.close()
            raise LogError(f"cannot prepare the central store {safe_url(url)}: {exc}") from exc
        self._pool.put(conn)

    def _connect(self) -> psycopg.Connection:
        try:
            conn = psycopg.connect(self.url, autocommit=True, connect_timeout=max(1, int(self._connect_timeout)))
        except psycopg.Error as exc:
            raise LogError(f"cannot connect to the central store {safe_url(self.url)}: {exc}") from exc
        with self._lock:
            self._all.append(conn)
        return conn

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection]:
        try:
            conn = self._pool.get_nowait()
        except queue.Empty:
            conn = self._connect()
        broken = False
        try:
            yield conn
        except psycopg.OperationalError:
            broken = True  # the server went away: this connection is dead
            raise
        finally:
            if broken or conn.closed or self._pool.qsize() >= self._pool_size:
                conn.close()
                with self._lock:
                    if conn in self._all:
                        self._all.remove(conn)
            else:
                self._pool.put(conn)

    def _write(self, latest: Sequence[Row], received_us: int, kiosk_row: tuple[object, ...]) -> tuple[int, int]:
        try:
            with self._connection() as conn:
                ensure_partitions(conn, {month_of(int(r[_DAY])) for r in latest}, self._months)  # type: ignore[call-overload]
                stored = updated = 0
                with conn.transaction():
                    # one batch of a kiosk at a time: its attempts' old versions cannot change under this one
                    conn.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (KIOSK_LOCK, kiosk_row[0]))
                    if latest:
                        # the stored versions of these attempts (RETURNING cannot tell an insert from an update on a
                        # partitioned table: no xmax there), with what they count for in the totals
                        old = {
                            r[0]: dict(zip(CONTRIBUTION_COLUMNS, r[1:], strict=True))
                            for r in conn.execute(
                                f"SELECT attempt_id, {', '.join(CONTRIBUTION_COLUMNS)} "
                                "FROM attempts WHERE attempt_id = ANY(%s) AND day BETWEEN %s AND %s",
                                (
                                    [r[0] for r in latest],
                                    min(int(r[_DAY]) for r in latest),  # type: ignore[call-overload]
                                    max(int(r[_DAY]) for r in latest),  # type: ignore[call-overload]
                                ),
                            ).fetchall()
                        }
                        written = {
                            attempt_id
                            for (attempt_id,) in conn.execute(
                                _upsert_sql(len(latest)), [v for r in latest for v in (*r, received_us)]
                            ).fetchall()
                        }
                        deltas = rollups.Deltas()
                        for row in latest:
                            if row[0] in written:
                                if row[0] in old:
                                    deltas.remove(old[row[0]])
                                deltas.add_row(row)
                        deltas.apply(conn)
                        stored = len(written - old.keys())
                        updated = len(written) - stored
                    conn.execute(
                        "INSERT INTO kiosks AS k (kiosk_id, facility_code, last_batch_at, last_recorded_at, lag_s, "
                        "backlog, batches, received) VALUES (%s, %s, %s, %s, %s, %s, 1, %s) "
                        "ON CONFLICT (kiosk_id) DO UPDATE SET facility_code = coalesce(excluded.facility_code, "
                        "k.facility_code), last_batch_at = excluded.last_batch_at, last_recorded_at = "
                        "greatest(k.last_recorded_at, excluded.last_recorded_at), lag_s = coalesce(excluded.lag_s, "
                        "k.lag_s), backlog = excluded.backlog, batches = k.batches + 1, "
                        "received = k.received + excluded.received",
                        kiosk_row,
                    )
        except psycopg.Error as exc:
            raise LogError(f"the central store refused the batch: {exc}") from exc
        return stored, updated

    def count(self) -> int:
        with self._connection() as conn:
            return int(conn.execute("SELECT count(*) FROM attempts").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            conns, self._all = self._all, []
        for conn in conns:
            conn.close()


_UPDATE_COLUMNS = [c for c in CENTRAL_COLUMNS if c not in ("attempt_id", "day", "kiosk_id")]


_COMPARED = [c for c in _UPDATE_COLUMNS if c != "received_at"]
# A later version replaces the stored one: a larger recorded_at, or any change to an attempt that was still being
# retried in the background (the kiosk's log updates such a row in place, keeping its recorded_at).
_LATER_VERSION = (
    "a.kiosk_id = excluded.kiosk_id AND (excluded.recorded_at > a.recorded_at OR (a.retry_status = 'pending' AND "
    f"({', '.join('excluded.' + c for c in _COMPARED)}) IS DISTINCT FROM ({', '.join('a.' + c for c in _COMPARED)})))"
)


def _upsert_sql(rows: int) -> str:
    values = "(" + ", ".join(["%s"] * len(CENTRAL_COLUMNS)) + ")"
    return (
        f"INSERT INTO attempts AS a ({', '.join(CENTRAL_COLUMNS)}) VALUES {', '.join([values] * rows)} "
        f"ON CONFLICT (attempt_id, day) DO UPDATE SET "
        + ", ".join(f"{c} = excluded.{c}" for c in _UPDATE_COLUMNS)
        + f" WHERE {_LATER_VERSION} "
        "RETURNING a.attempt_id"
    )


# ----------------------------------------------------------------------------------------- SQLite (development)
_SQLITE_KIOSKS = (
    "CREATE TABLE IF NOT EXISTS kiosks (kiosk_id TEXT PRIMARY KEY, facility_code TEXT, last_batch_at INTEGER NOT NULL, "
    "last_recorded_at INTEGER, lag_s REAL, backlog INTEGER NOT NULL DEFAULT 0, batches INTEGER NOT NULL DEFAULT 0, "
    "received INTEGER NOT NULL DEFAULT 0)"
)


class SqliteStore(CentralStore):
    """The central store in a lookup-log file (development; one writer at a time)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.url = f"sqlite:///{self.path}"
        self._conn = connect(self.path, check_same_thread=False)
        self._lock = threading.Lock()
        self._conn.execute(_SQLITE_KIOSKS)

    def _write(self, latest: Sequence[Row], received_us: int, kiosk_row: tuple[object, ...]) -> tuple[int, int]:
        stored = updated = 0
        assignments = ", ".join(f"{c} = ?" for c in INSERT_COLUMNS if c != "attempt_id")
        with self._lock:
            conn = self._conn
            try:
                with immediate_transaction(conn):
                    for row in latest:
                        known = conn.execute(
                            f"SELECT {', '.join(INSERT_COLUMNS)} FROM attempts WHERE attempt_id = ?", (row[0],)
                        ).fetchone()
                        if known is None:
                            conn.execute(INSERT_SQL, row)
                            stored += 1
                        elif _is_later_version(row, known):
                            conn.execute(f"UPDATE attempts SET {assignments} WHERE attempt_id = ?", (*row[1:], row[0]))
                            updated += 1
                    conn.execute(
                        "INSERT INTO kiosks VALUES (?, ?, ?, ?, ?, ?, 1, ?) ON CONFLICT (kiosk_id) DO UPDATE SET "
                        "facility_code = coalesce(excluded.facility_code, facility_code), last_batch_at = "
                        "excluded.last_batch_at, last_recorded_at = max(coalesce(last_recorded_at, 0), "
                        "coalesce(excluded.last_recorded_at, 0)), lag_s = coalesce(excluded.lag_s, lag_s), backlog = "
                        "excluded.backlog, batches = batches + 1, received = received + excluded.received",
                        kiosk_row,
                    )
            except sqlite3.Error as exc:
                raise LogError(f"the central store refused the batch: {exc}") from exc
        return stored, updated

    def count(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT count(*) FROM attempts").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def open_store(target: str | Path) -> CentralStore:
    """The central store at a PostgreSQL URL, a ``sqlite:///`` URL or a file path (made and migrated if needed)."""
    if is_postgres_url(target):
        return PostgresStore(str(target))
    return SqliteStore(sqlite_path(target))
