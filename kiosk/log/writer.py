"""The writing side of the lookup log: a non-blocking ``record()`` and one writer thread.

Durability: the database is in WAL mode with ``synchronous=NORMAL``. A transaction is in the WAL file (written with
``write()``, so in the operating system's hands) when COMMIT returns, so a crash or SIGKILL of the kiosk process loses
nothing that was committed, and the database stays intact. Only a power cut or an OS crash can lose the last few
transactions (never corrupting the file): fsyncing every commit (``FULL``) would cost disk wear for that.

Commits: every attempt is written in its own transaction when the queue is short (the normal case: a kiosk records an
attempt every few seconds at most). When attempts arrive faster than single commits can keep up, the writer commits what
is waiting in groups of up to ``max_batch`` (one transaction each, so still all-or-nothing: what was committed is
intact). ``max_batch=1`` forces one commit per attempt always.

Receipts: ``record()`` returns a :class:`Receipt` that is done once the attempt is committed (or could not be). What a
caller reports as recorded (``scan`` prints its line, say) waits for it: a SIGKILL right after loses nothing reported.

Opening: ``PRAGMA quick_check`` first. A damaged file is set aside for IT (``lookups.damaged-<UTC time>.db``, with its
WAL) and a fresh log is started; ``notices`` says so. A read-only file or folder and a full disk are found at start by
a probe write (``problem`` says which, in words for staff) and are not fatal: the log keeps attempts in memory.

Spool: the queue is the in-memory spool, bounded at 100,000 attempts by default (hours of the busiest kiosk's traffic,
tens of MB of memory). If it is ever full, the attempt is dropped and counted in ``stats().dropped`` and logged; nothing
is lost silently. Write errors (disk full, read-only file, database locked, I/O errors) are retried with back-off for as
long as the log is open (re-opening the file if it could not be opened), reported once per kind of problem and again
when writing works again; at ``close()`` the writer keeps retrying until the close timeout, then counts what it could
not write as ``failed``.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import itertools
import logging
import queue
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path

from kiosk import paths
from kiosk.attempts import LookupAttempt
from kiosk.log.health import WriteProblem, describe, integrity_problem, set_aside, write_problem
from kiosk.log.schema import (
    ATTEMPT_COLUMNS,
    LogError,
    Row,
    attempt_to_row,
    closed_on_error,
    immediate_transaction,
    insert_many_sql,
    migrate,
    to_us,
)
from kiosk.privacy import DeferredHash

log = logging.getLogger("kiosk.lookup_log")

DEFAULT_QUEUE_BOUND = 100_000
DEFAULT_RETENTION_DAYS = 400
PRUNE_CHUNK = 2_000
CACHE_KIB = 65_536
WAL_AUTOCHECKPOINT_PAGES = 10_000
MAX_BATCH = 1_000  # rows x 30 columns stays under SQLite's 32,766 bound parameters per statement
PRUNE_INTERVAL_S = 24 * 3600.0
_BACKOFF_S = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0)
_STOP = object()
_PERSON = ATTEMPT_COLUMNS.index("person_hash")


def _with_hash(row: Row) -> Row:
    """The row with its ``person_hash`` computed (on the writer thread: slow on purpose, see kiosk.privacy)."""
    person = row[_PERSON]
    return (*row[:_PERSON], person.value(), *row[_PERSON + 1:]) if isinstance(person, DeferredHash) else row


class Receipt(concurrent.futures.Future[bool]):
    """What :meth:`LookupLog.record` returns: a future that is True once the attempt is in the database (committed),
    False when it could not be written (dropped or failed)."""

    @property
    def committed(self) -> bool | None:
        """True: committed; False: could not be written; None: not yet."""
        return self.result() if self.done() else None

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until done; True when the attempt was committed."""
        try:
            return self.result(timeout)
        except concurrent.futures.TimeoutError:
            return False

    def add_done_callback(self, fn: Callable[[bool], None]) -> None:  # type: ignore[override]
        """``fn(committed)`` once done (at once when already done; else on the writer thread)."""
        super().add_done_callback(lambda receipt: fn(receipt.result()))

    def _resolve(self, ok: bool) -> None:
        if not self.done():
            self.set_result(ok)


@dataclass(frozen=True)
class LogStats:
    enqueued: int  # accepted by record()
    committed: int  # written (new rows)
    duplicates: int  # an attempt_id already in the log (ignored)
    dropped: int  # refused by record(): queue full, or the log already closed
    failed: int  # could not be written (gave up at close, or a row SQLite refused)
    retries: int  # write attempts that failed and were retried
    pending: int  # accepted, not yet written
    last_error: str | None


def connect(path: Path, *, check_same_thread: bool = True, busy_timeout: float = 10.0) -> sqlite3.Connection:
    """A read-write connection in WAL mode, migrated to the current schema."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=check_same_thread, timeout=busy_timeout)
    except (OSError, sqlite3.Error) as exc:
        raise LogError(f"cannot open the lookup log {path}: {exc}") from exc
    with closed_on_error(conn, f"{path} is not a usable lookup log"):
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise LogError(f"{path}: could not switch the lookup log to WAL mode (got {mode})")
        conn.execute("PRAGMA synchronous = NORMAL")
        # A large log has several indexes keyed by random values (ids, hashes, durations): each attempt touches a
        # page in each. A 64 MiB page cache and checkpoints every 10,000 pages (40 MiB of WAL) keep sustained
        # recording above 5,000 attempts/s on a million-row log (bench/bench_log.py); the WAL is truncated back
        # to 64 MiB at most after each checkpoint.
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")
        conn.execute(f"PRAGMA journal_size_limit = {64 * 1024 * 1024}")
        migrate(conn)
    return conn


class DamagedLog(LogError):
    """An SQLite lookup log whose pages fail ``PRAGMA quick_check`` (or cannot be read at all)."""


def _is_sqlite_file(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == b"SQLite format 3\x00"  # the file format's header string
    except OSError:
        return False


def open_for_writing(path: Path, *, busy_timeout: float = 10.0) -> sqlite3.Connection:
    """:func:`connect`, then ``PRAGMA quick_check`` and a probe write (the schema version rewritten: one page).

    Raises :class:`DamagedLog` for an SQLite file that fails the check, LogError (caused by the SQLite or OS error)
    when the file cannot be opened or written: see :func:`kiosk.log.health.write_problem` for which.
    """
    try:
        conn = connect(path, check_same_thread=False, busy_timeout=busy_timeout)
    except LogError as exc:
        cause = exc.__cause__
        if (isinstance(cause, sqlite3.DatabaseError) and not isinstance(cause, sqlite3.OperationalError)
                and _is_sqlite_file(path)):
            raise DamagedLog(f"{path} is damaged: {cause}") from cause
        raise
    with closed_on_error(conn, f"cannot write the lookup log {path}"):
        problem = integrity_problem(conn)
        if problem is not None:
            raise DamagedLog(f"{path} is damaged (quick_check: {problem})")
        # the probe: rewrite the schema version (same value); a full disk or a read-only file fails here, at start
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        with immediate_transaction(conn):
            conn.execute(f"PRAGMA user_version = {int(version)}")
    return conn


def prune_connection(conn: sqlite3.Connection, cutoff: datetime, max_chunks: int | None = None) -> tuple[int, bool]:
    """Delete attempts that started before ``cutoff``, ``PRUNE_CHUNK`` rows per transaction.

    The attempt with the largest row id stays even when it is older: SQLite gives a new row the largest id + 1, so
    deleting it would hand out ids again, and the log shipper's mark (``ship_state.acked_id``) is a row id: attempts
    recorded after a prune that emptied the log would never be shipped.

    Returns (rows deleted, finished); stops early, unfinished, after ``max_chunks`` transactions.
    """
    cutoff_us = to_us(cutoff, "cutoff")
    total = 0
    for _ in itertools.count() if max_chunks is None else range(max_chunks):
        with immediate_transaction(conn):
            cur = conn.execute(
                "DELETE FROM attempts WHERE id IN "
                "(SELECT id FROM attempts WHERE started_at < ? AND id < (SELECT max(id) FROM attempts) "
                "ORDER BY started_at LIMIT ?)",
                (cutoff_us, PRUNE_CHUNK),
            )
        total += cur.rowcount
        if cur.rowcount < PRUNE_CHUNK:
            return total, True
    return total, False


class LookupLog:
    """Records attempts into the SQLite lookup log without blocking the caller.

    ``record(attempt)`` snapshots the attempt, queues it and returns a :class:`Receipt`; a writer thread commits it.
    ``flush()`` waits until what was recorded so far is written; ``close()`` drains the queue and stops the thread
    (idempotent). ``notices``: what happened at opening (a damaged file set aside); ``problem``: why attempts are
    being kept in memory right now (disk full, read-only file), else None.
    """

    def __init__(
        self,
        path: Path | None = None,
        *,
        retention_days: int = DEFAULT_RETENTION_DAYS,
        max_batch: int = 64,
        queue_bound: int = DEFAULT_QUEUE_BOUND,
        tz: tzinfo | None = None,
        on_error: Callable[[str], None] | None = None,
        clock: Callable[[], datetime] | None = None,
        busy_timeout: float = 10.0,
    ) -> None:
        if retention_days < 1:
            raise ValueError("retention_days must be at least 1")
        if not 1 <= max_batch <= MAX_BATCH or queue_bound < 1:
            raise ValueError(f"max_batch must be 1..{MAX_BATCH} and queue_bound at least 1")
        self.path = Path(path) if path is not None else paths.default_log_db()
        self.retention_days = retention_days
        self._max_batch = max_batch
        self._tz = tz
        self._on_error = on_error
        self._clock = clock or (lambda: datetime.now(UTC))
        self._busy_timeout = busy_timeout
        self._queue: queue.Queue[object] = queue.Queue(maxsize=queue_bound)
        self._lock = threading.Lock()
        self._done = threading.Condition(self._lock)
        self._counts: Counter[str] = Counter()  # the LogStats counts, and "processed" (written or failed)
        self._last_error: str | None = None
        self._problem: str | None = None
        self._closed = False
        self._give_up_at: float | None = None
        self._next_prune = 0.0  # prune first thing in the writer thread
        self._pruned_run = 0
        self.notices: list[str] = []
        self._conn: sqlite3.Connection | None = None
        try:
            self._conn = self._open()
        except LogError as exc:
            kind = write_problem(exc.__cause__ or exc, self.path)
            if kind is WriteProblem.OTHER:
                raise
            self._problem = describe(kind, self.path, exc)  # not fatal: kept in memory, retried by the writer
            self._notice(self._problem)
        self._thread = threading.Thread(target=self._run, name="lookup-log-writer", daemon=True)
        self._thread.start()

    def _open(self) -> sqlite3.Connection:
        """Open for writing; a damaged log is set aside (noted in ``notices``) and a fresh one started."""
        try:
            return open_for_writing(self.path, busy_timeout=self._busy_timeout)
        except DamagedLog as exc:
            try:
                aside = set_aside(self.path)
            except OSError as move:  # Windows: another process holds the file open; retried like a write problem
                self._notice(f"lookup log {self.path.name} is damaged ({exc}) and could not be set aside ({move}); "
                             "attempts are kept in memory until it can")
                raise LogError(f"cannot set the damaged lookup log {self.path} aside: {move}") from move
            self._notice(f"lookup log {self.path.name} was damaged ({exc}); it was kept for IT as {aside.name} "
                         "and a new log was started")
            return open_for_writing(self.path, busy_timeout=self._busy_timeout)

    def _notice(self, text: str) -> None:
        """What staff and IT must hear about the log file at opening: kept in ``notices`` and logged, once."""
        if text not in self.notices:
            self.notices.append(text)
            log.error("%s", text)

    @property
    def problem(self) -> str | None:
        """Why attempts are kept in memory instead of written (disk full, read-only file); None when writing works."""
        return self._problem

    # -- caller side ---------------------------------------------------------------------------------------------

    def record(self, attempt: LookupAttempt, person: DeferredHash | None = None) -> Receipt:
        """Queue the attempt for writing; returns at once. A malformed attempt raises TypeError/ValueError.

        ``person``: the attempt's ``person_hash`` still to be computed (slow, kiosk.privacy), by the writer thread
        just before the insert; the number stays in memory."""
        row = attempt_to_row(attempt, recorded_at=self._clock(), tz=self._tz)
        if person is not None and attempt.person_hash is None:
            row = (*row[:_PERSON], person, *row[_PERSON + 1:])
        receipt = Receipt()
        with self._lock:
            if self._closed:
                self._counts["dropped"] += 1
                message = f"lookup log closed: attempt {attempt.attempt_id} not recorded"
            else:
                try:
                    self._queue.put_nowait((row, receipt))
                except queue.Full:
                    self._counts["dropped"] += 1
                    message = (f"lookup log: memory spool full ({self._queue.maxsize} attempts not yet written): "
                               f"attempt {attempt.attempt_id} dropped")
                else:
                    self._counts["enqueued"] += 1
                    return receipt
        receipt._resolve(False)
        self._report(message)
        return receipt

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every attempt recorded before this call is written (or failed). False on timeout."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._done:
            target = self._counts["enqueued"]
            while self._counts["processed"] < target and self._thread.is_alive():
                remaining = 0.5 if deadline is None else min(deadline - time.monotonic(), 0.5)
                if remaining <= 0:
                    return False
                self._done.wait(remaining)  # woken by every write, at least every 0.5 s to see the thread alive
            return self._counts["processed"] >= target

    def close(self, timeout: float = 30.0) -> None:
        """Write what is queued, stop the writer thread and close the database. Safe to call twice."""
        with self._lock:
            already, self._closed = self._closed, True
            if not already:
                self._give_up_at = time.monotonic() + timeout
        if not already:
            self._queue.put(_STOP)
        self._thread.join(timeout + 5.0)
        if self._thread.is_alive():
            self._report("lookup log writer did not stop in time")
            return
        if not already and self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("PRAGMA optimize")
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._conn.close()

    def prune(self, now: datetime | None = None) -> int:
        """Delete attempts older than the retention period (chunked; safe while recording). Returns how many."""
        with contextlib.closing(connect(self.path, busy_timeout=self._busy_timeout)) as conn:
            return prune_connection(conn, self._cutoff(now))[0]

    def stats(self) -> LogStats:
        with self._lock:
            counts = {f.name: self._counts[f.name] for f in fields(LogStats) if f.name not in ("pending", "last_error")}
            pending = self._counts["enqueued"] - self._counts["processed"]
            return LogStats(**counts, pending=pending, last_error=self._last_error)

    def __enter__(self) -> LookupLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writer thread -------------------------------------------------------------------------------------------

    def _cutoff(self, now: datetime | None) -> datetime:
        return (now if now is not None else self._clock()) - timedelta(days=self.retention_days)

    def _report(self, message: str) -> None:
        with self._lock:
            self._last_error = message
        log.error(message)
        if self._on_error is not None:
            try:
                self._on_error(message)
            except Exception:  # a broken callback must not stop the writer
                log.exception("lookup log on_error callback failed")

    def _run(self) -> None:
        stop = False
        while not stop:
            self._maybe_prune()
            wait = min(60.0, max(0.0, self._next_prune - time.monotonic()))
            try:
                item = self._queue.get(timeout=wait)  # 0: do not wait (a prune chunk is due)
            except queue.Empty:
                continue
            batch: list[tuple[Row, Receipt]] = []
            while not (stop := item is _STOP):
                batch.append(item)  # type: ignore[arg-type]
                if len(batch) >= self._max_batch:
                    break
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
            if batch:
                try:
                    self._write(batch)
                except Exception as exc:  # the writer thread must never die: count and report
                    self._finish(batch, ok=False)
                    self._report(f"lookup log: {len(batch)} attempts not written: {exc!r}")

    def _maybe_prune(self) -> None:
        """Daily pruning, one chunk per writer turn, so that a large backlog never holds up recording."""
        if time.monotonic() < self._next_prune or self._conn is None:
            return
        try:
            removed, finished = prune_connection(self._conn, self._cutoff(None), max_chunks=1)
        except Exception as exc:
            self._next_prune = time.monotonic() + PRUNE_INTERVAL_S
            self._report(f"lookup log pruning failed (will retry tomorrow): {exc}")
            return
        self._pruned_run += removed
        if finished:
            self._next_prune = time.monotonic() + PRUNE_INTERVAL_S
            if self._pruned_run:
                log.info("lookup log: pruned %d attempts older than %d days", self._pruned_run, self.retention_days)
            self._pruned_run = 0

    def _write(self, batch: list[tuple[Row, Receipt]]) -> None:
        for tries in itertools.count(1):
            try:
                inserted = self._insert([_with_hash(row) for row, _ in batch])
            except (sqlite3.OperationalError, LogError) as exc:  # locked, busy, disk full, read-only: may pass
                with self._lock:
                    self._counts["retries"] += 1
                    give_up = self._give_up_at is not None and time.monotonic() >= self._give_up_at
                if give_up:
                    self._finish(batch, ok=False)
                    self._report(f"lookup log: {len(batch)} attempts could not be written: {exc}")
                    return
                self._trouble(exc, tries)
                time.sleep(_BACKOFF_S[min(tries - 1, len(_BACKOFF_S) - 1)])
                continue  # the next try
            except sqlite3.DatabaseError as exc:  # a row SQLite refuses: isolate it
                if len(batch) > 1:
                    for item in batch:
                        self._write([item])
                    return
                self._finish(batch, ok=False)
                self._report(f"lookup log: attempt {batch[0][0][0]} refused by the database: {exc}")
                return
            if self._problem is not None:  # said before the receipts are done: whoever waits on them sees it
                self._problem = None
                self._report(f"lookup log: writing again ({self.stats().pending} attempts kept in memory are "
                             "being written)")
            self._finish(batch, ok=True, duplicates=len(batch) - inserted)
            return

    def _trouble(self, exc: BaseException, tries: int) -> None:
        """Report a write failure: once per kind of problem (disk full, read-only), every time for other errors."""
        kind = write_problem(exc.__cause__ or exc, self.path)
        if kind is WriteProblem.OTHER:
            self._report(f"lookup log write failed (try {tries}, retrying): {exc}")
            return
        message = describe(kind, self.path, exc)
        if message != self._problem:
            self._problem = message
            self._report(f"{message} ({self.stats().pending} waiting)")

    def _insert(self, batch: list[Row]) -> int:
        if self._conn is None:  # could not be opened at start (full disk, read-only): try again
            self._conn = self._open()
        conn = self._conn
        with immediate_transaction(conn):
            before = conn.total_changes
            # one multi-row statement: one SQLite step (and one GIL release) for the whole group
            conn.execute(insert_many_sql(len(batch)), [value for row in batch for value in row])
            inserted = conn.total_changes - before
        return inserted

    def _finish(self, batch: list[tuple[Row, Receipt]], *, ok: bool, duplicates: int = 0) -> None:
        with self._done:
            if ok:
                self._counts["committed"] += len(batch) - duplicates
                self._counts["duplicates"] += duplicates
            else:
                self._counts["failed"] += len(batch)
            self._counts["processed"] += len(batch)
            self._done.notify_all()
        for _, receipt in batch:  # outside the lock: callbacks may print or call stats()
            receipt._resolve(ok)
