"""The kiosk side of log shipping: send the collector what it has not acknowledged, in order, in batches.

The kiosk keeps recording into its own lookup log first (never waiting on the network). The shipper reads that log:
attempts of this kiosk in recording order (the log's row id), ``batch_size`` at a time, signed with the kiosk key under
the lookup profile, and checks the collector's signed, bound answer. Only a 200 answer moves the acknowledged row id
forward, in the same file (table ``ship_state``, one row per collector URL), so a restart resumes exactly after the last
acknowledged batch; a batch whose answer was lost is simply sent again (the collector stores each attempt once).

While the collector is unreachable or answers 5xx the shipper backs off (1 s doubling to 5 minutes); a refusal (4xx,
a bad signature on the answer, an answer larger than :data:`MAX_ANSWER_BYTES`, cut off unread) is a problem for IT: it
is kept in ``ship_state.last_error`` and shown by ``bhyt-kiosk logs status``; the background shipper retries it at the
longest back-off.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kiosk.central.wire import BATCHES_PATH, MAX_BATCH_ATTEMPTS, row_to_wire
from kiosk.log.schema import ATTEMPT_COLUMNS, LogError, from_us, immediate_transaction, to_us
from kiosk.signing.kiosk_auth import SignedRequestAuth, answer_coding
from kiosk.signing.profile import SignatureError

log = logging.getLogger(__name__)

DEFAULT_BATCH = 200
BACKOFF_FIRST_S = 1.0
BACKOFF_MAX_S = 300.0
IDLE_POLL_S = 1.0
MAX_ANSWER_BYTES = 16 * 1024  # the collector answers with a few counts or a problem+json of a few hundred bytes
_STATE_TABLE = (
    "CREATE TABLE IF NOT EXISTS ship_state (collector TEXT PRIMARY KEY, acked_id INTEGER NOT NULL DEFAULT 0, "
    "acked_at INTEGER, last_error TEXT, last_error_at INTEGER)"
)
_PENDING_TABLE = (
    "CREATE TABLE IF NOT EXISTS ship_pending (collector TEXT NOT NULL, row_id INTEGER NOT NULL, "
    "PRIMARY KEY (collector, row_id))"
)
_ROW_SELECT = ", ".join(("id", *ATTEMPT_COLUMNS, "recorded_at", "utc_offset_min"))
# shipped while still retried in the background, settled since (the collector's parameter)
_SETTLED = "id IN (SELECT row_id FROM ship_pending WHERE collector = ?) AND retry_status IS NOT 'pending'"


class ShipProblem(StrEnum):
    UNREACHABLE = "unreachable"  # no answer, or 5xx: try again later
    REFUSED = "refused"  # 4xx or an answer that is not the collector's: IT must look


class ShipError(Exception):
    def __init__(self, problem: ShipProblem, message: str) -> None:
        super().__init__(message)
        self.problem = problem


@dataclass(frozen=True)
class Backlog:
    kiosk_id: str
    collector: str
    pending: int  # attempts of this kiosk not acknowledged by the collector
    acked_id: int  # last acknowledged row id of the log
    oldest_pending_at: datetime | None  # recorded_at of the oldest attempt still waiting
    acked_at: datetime | None  # when the collector last acknowledged a batch
    last_error: str | None
    last_error_at: datetime | None


@dataclass(frozen=True)
class ShipResult:
    sent: int  # attempts sent (acknowledged)
    batches: int
    stored: int  # new at the collector
    pending: int  # still waiting afterwards


class Outbox:
    """The shipping state inside the kiosk's lookup log file."""

    def __init__(self, db: Path, collector: str, kiosk_id: str, *, check_same_thread: bool = True) -> None:
        from kiosk.log.writer import connect

        self.db = Path(db)
        self.collector = collector.rstrip("/")
        self.kiosk_id = kiosk_id
        if not self.db.is_file():
            raise LogError(f"no lookup log at {self.db}")
        self._conn = connect(self.db, check_same_thread=check_same_thread)
        self._conn.execute(_STATE_TABLE)
        self._conn.execute(_PENDING_TABLE)

    def close(self) -> None:
        self._conn.close()

    def acked_id(self) -> int:
        row = self._conn.execute("SELECT acked_id FROM ship_state WHERE collector = ?", (self.collector,)).fetchone()
        return int(row[0]) if row else 0

    def pending(self, limit: int) -> list[tuple[int, dict[str, object]]]:
        """The next ``limit`` unacknowledged attempts of this kiosk: ``(row id, wire object)`` in recording order."""
        return self._wire_rows(
            f"SELECT {_ROW_SELECT} FROM attempts WHERE id > ? AND kiosk_id = ? ORDER BY id LIMIT ?",
            (self.acked_id(), self.kiosk_id, limit),
        )

    def settled(self, limit: int) -> list[tuple[int, dict[str, object]]]:
        """Attempts shipped while their lookup was still retried in the background (``retry_status`` pending) that
        have an outcome since: the log updated their row in place, so they go again (the collector replaces them)."""
        return self._wire_rows(
            f"SELECT {_ROW_SELECT} FROM attempts WHERE {_SETTLED} ORDER BY id LIMIT ?",
            (self.collector, limit),
        )

    def _wire_rows(self, sql: str, params: tuple[object, ...]) -> list[tuple[int, dict[str, object]]]:
        cursor = self._conn.execute(sql, params)
        cursor.row_factory = sqlite3.Row
        return [(int(row["id"]), row_to_wire(row)) for row in cursor.fetchall()]

    def acknowledge(self, items: list[tuple[int, dict[str, object]]], now: datetime) -> None:
        """The collector took these attempts: move the mark past them, and remember the ones still being retried
        (their final version goes again); settled ones that went again are done."""
        conn = self._conn
        with immediate_transaction(conn):
            conn.execute(
                "INSERT INTO ship_state (collector, acked_id, acked_at) VALUES (?, ?, ?) ON CONFLICT (collector) DO "
                "UPDATE SET acked_id = max(acked_id, excluded.acked_id), acked_at = excluded.acked_at, "
                "last_error = NULL, last_error_at = NULL",
                (self.collector, max(row_id for row_id, _ in items), to_us(now, "now")),
            )
            for row_id, wire in items:
                if wire.get("retry_status") == "pending":
                    conn.execute("INSERT OR IGNORE INTO ship_pending VALUES (?, ?)", (self.collector, row_id))
                else:
                    conn.execute(
                        "DELETE FROM ship_pending WHERE collector = ? AND row_id = ?", (self.collector, row_id)
                    )

    def note_error(self, message: str, now: datetime) -> None:
        self._conn.execute(
            "INSERT INTO ship_state (collector, last_error, last_error_at) VALUES (?, ?, ?) ON CONFLICT (collector) "
            "DO UPDATE SET last_error = excluded.last_error, last_error_at = excluded.last_error_at",
            (self.collector, message[:500], to_us(now, "now")),
        )

    def backlog(self) -> Backlog:
        state = self._conn.execute(
            "SELECT acked_id, acked_at, last_error, last_error_at FROM ship_state WHERE collector = ?",
            (self.collector,),
        ).fetchone() or (0, None, None, None)
        acked = int(state[0])
        count, oldest = self._conn.execute(
            "SELECT count(*), min(recorded_at) FROM attempts WHERE id > ? AND kiosk_id = ?", (acked, self.kiosk_id)
        ).fetchone()
        settled = self._conn.execute(f"SELECT count(*) FROM attempts WHERE {_SETTLED}", (self.collector,)).fetchone()[0]
        return Backlog(
            kiosk_id=self.kiosk_id,
            collector=self.collector,
            pending=int(count) + int(settled),
            acked_id=acked,
            oldest_pending_at=from_us(oldest),
            acked_at=from_us(state[1]),
            last_error=state[2],
            last_error_at=from_us(state[3]),
        )


def _problem_text(response: httpx.Response) -> str:
    try:
        data = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return f"HTTP {response.status_code}"
    reason = data.get("reason") if isinstance(data, dict) else None
    detail = data.get("detail") if isinstance(data, dict) else None
    return f"HTTP {response.status_code}" + (f" {reason}" if reason else "") + (f": {detail}" if detail else "")


class _CappedAnswers(httpx.BaseTransport):
    """A transport whose responses stop with :class:`ShipError` past ``limit`` bytes of body (as sent), so a broken or
    hostile collector cannot fill the kiosk's memory with its answer (httpx reads a body whole, here for checking the
    answer's signature, and keeps no limit of its own). A compressed answer (the collector never compresses; a
    small gzip body can decode to a thousand times its size) is refused unread."""

    def __init__(self, transport: httpx.BaseTransport, limit: int) -> None:
        self._transport = transport
        self._limit = limit

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._transport.handle_request(request)
        coding = answer_coding(response.headers)
        if coding is not None:
            response.close()
            raise ShipError(ShipProblem.REFUSED, f"the collector's answer is compressed ({coding[:20]}): not read")
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=_CappedStream(response.stream, self._limit),  # type: ignore[arg-type]
            extensions=response.extensions,
        )

    def close(self) -> None:
        self._transport.close()


class _CappedStream(httpx.SyncByteStream):
    def __init__(self, stream: httpx.SyncByteStream, limit: int) -> None:
        self._stream = stream
        self._limit = limit

    def __iter__(self) -> Iterator[bytes]:
        received = 0
        for chunk in self._stream:
            received += len(chunk)
            if received > self._limit:  # the connection is closed unread (the response is closed on the way out)
                raise ShipError(ShipProblem.REFUSED, f"the collector's answer is larger than {self._limit:,} bytes")
            yield chunk

    def close(self) -> None:
        self._stream.close()


class Shipper:
    """Ships one kiosk's lookup log to a collector (``ship()`` once; ``run()`` in a background thread)."""

    def __init__(
        self,
        db: Path,
        *,
        collector: str,
        collector_key: Ed25519PublicKey,
        kiosk_id: str,
        private_key: Ed25519PrivateKey,
        batch_size: int = DEFAULT_BATCH,
        timeout: float = 10.0,
        clock: Callable[[], datetime] | None = None,
        local_address: str | None = None,
    ) -> None:
        """``local_address``: the address to send from (a benchmark simulating many kiosks on one machine gives each
        its own 127.x.y.z, as real kiosks have their own addresses: the collector limits connections per address)."""
        if not 1 <= batch_size <= MAX_BATCH_ATTEMPTS:
            raise ValueError(f"batch_size must be 1..{MAX_BATCH_ATTEMPTS}")
        self.db = Path(db)
        self.collector = collector.rstrip("/")
        self.kiosk_id = kiosk_id
        self.batch_size = batch_size
        self._clock = clock or (lambda: datetime.now(UTC))
        self._auth = SignedRequestAuth(private_key, kiosk_id, collector_key)
        transport = _CappedAnswers(httpx.HTTPTransport(local_address=local_address), MAX_ANSWER_BYTES)
        self._client = httpx.Client(timeout=timeout, trust_env=False, transport=transport,
                                    headers={"Accept-Encoding": "identity"})  # compressed answers are refused
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._outbox: Outbox | None = None
        self.last_backlog: Backlog | None = None

    # -- one pass ------------------------------------------------------------------------------------------------
    def ship(self, *, max_batches: int | None = None) -> ShipResult:
        """Send batches until caught up (or ``max_batches``). Raises :class:`ShipError` when a batch is not taken."""
        with self._lock:
            if self._outbox is None:  # opened once (the log's checks at open are not for every pass)
                self._outbox = Outbox(self.db, self.collector, self.kiosk_id, check_same_thread=False)
            outbox = self._outbox
            try:
                return self._ship(outbox, max_batches)
            except (LogError, sqlite3.Error):
                self._close_outbox()  # reopened on the next pass
                raise
            except BaseException:  # the collector did not take a batch: what is left is still shown
                with contextlib.suppress(LogError, sqlite3.Error):
                    self.last_backlog = outbox.backlog()
                raise

    def _close_outbox(self) -> None:
        if self._outbox is not None:
            with contextlib.suppress(sqlite3.Error):
                self._outbox.close()
            self._outbox = None

    def _ship(self, outbox: Outbox, max_batches: int | None) -> ShipResult:
        sent = batches = stored = 0
        waiting = outbox.backlog().pending  # counted once per pass, then kept up to date
        while (max_batches is None or batches < max_batches) and not self._stop.is_set():
            items = outbox.settled(self.batch_size) or outbox.pending(self.batch_size)
            if not items:
                break
            waiting = max(waiting, len(items))  # attempts recorded since the count
            body = json.dumps(
                {"kiosk_id": self.kiosk_id, "backlog": waiting - len(items), "attempts": [wire for _, wire in items]},
                ensure_ascii=False,
                separators=(",", ":"),
            ).encode("utf-8")
            try:
                answer = self._post(body)
            except ShipError as exc:
                outbox.note_error(f"{exc.problem.value}: {exc}", self._clock())
                raise
            outbox.acknowledge(items, self._clock())
            waiting -= len(items)
            sent += len(items)
            batches += 1
            stored += int(answer.get("stored", 0)) if isinstance(answer.get("stored"), int) else 0
        self.last_backlog = outbox.backlog()
        return ShipResult(sent, batches, stored, self.last_backlog.pending)

    def _post(self, body: bytes) -> dict[str, object]:
        try:
            response = self._client.post(
                self.collector + BATCHES_PATH,
                content=body,
                headers={"Content-Type": "application/json"},
                auth=self._auth,
            )
        except SignatureError as exc:  # the answer is not signed by the pinned collector key
            raise ShipError(ShipProblem.REFUSED, f"the collector's answer is not trusted: {exc}") from None
        except httpx.HTTPError as exc:
            raise ShipError(ShipProblem.UNREACHABLE, f"collector unreachable: {exc or type(exc).__name__}") from None
        if response.status_code >= 500:
            raise ShipError(ShipProblem.UNREACHABLE, f"collector unavailable: {_problem_text(response)}")
        if response.status_code != 200:
            raise ShipError(ShipProblem.REFUSED, f"collector refused the batch: {_problem_text(response)}")
        try:
            data = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise ShipError(ShipProblem.REFUSED, "the collector's answer is not JSON") from None
        return data if isinstance(data, dict) else {}

    # -- background ----------------------------------------------------------------------------------------------
    def start(self) -> None:
        """Ship in a background thread until :meth:`stop` (back-off while the collector is down)."""
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="log-shipper", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        delay = BACKOFF_FIRST_S
        while not self._stop.is_set():
            try:
                self.ship()
            except ShipError as exc:
                wait = delay if exc.problem is ShipProblem.UNREACHABLE else BACKOFF_MAX_S
                log.warning("log shipping: %s (next try in %.0f s)", exc, wait)
                delay = min(delay * 2, BACKOFF_MAX_S)
                self._stop.wait(wait)
                continue
            except (LogError, sqlite3.Error) as exc:
                log.error("log shipping: the lookup log cannot be read: %s", exc)
                self._stop.wait(delay)
                delay = min(delay * 2, BACKOFF_MAX_S)
                continue
            except Exception:  # the shipping thread must never die: log it, back off, try again
                log.exception("log shipping failed")
                self._stop.wait(BACKOFF_MAX_S)
                continue
            delay = BACKOFF_FIRST_S
            self._stop.wait(IDLE_POLL_S)

    def stop(self, timeout: float = 15.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        with self._lock:
            self._close_outbox()
        self._client.close()

    def __enter__(self) -> Shipper:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
