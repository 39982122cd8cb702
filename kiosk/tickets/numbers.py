"""Queue numbers: sequential per facility and (local) day, kept in a small SQLite file across restarts.

Each number is taken in one ``BEGIN IMMEDIATE`` transaction (an UPSERT that returns the new value), so two threads,
two windows or two processes sharing the file never get the same number, and a crash never hands out a number twice:
the number exists once the transaction committed, before the ticket is shown. The file holds only facility codes,
days and counters (no personal data).
"""

from __future__ import annotations

import sqlite3
import threading
from datetime import date
from pathlib import Path

from kiosk import paths

_SCHEMA = """
CREATE TABLE IF NOT EXISTS ticket_numbers (
    facility_code TEXT NOT NULL,
    day TEXT NOT NULL,
    last_number INTEGER NOT NULL,
    PRIMARY KEY (facility_code, day)
) WITHOUT ROWID
"""
_NEXT = (
    "INSERT INTO ticket_numbers (facility_code, day, last_number) VALUES (?, ?, 1) "
    "ON CONFLICT (facility_code, day) DO UPDATE SET last_number = last_number + 1 RETURNING last_number"
)


class TicketNumberError(Exception):
    """The ticket-number file cannot be opened or written (message for staff)."""


class TicketCounter:
    """Hands out queue numbers; thread-safe, and safe between processes sharing ``path``."""

    def __init__(self, path: Path | None = None, *, busy_timeout_s: float = 10.0) -> None:
        self.path = Path(path) if path is not None else paths.data_dir() / "tickets.db"
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False,
                                         timeout=busy_timeout_s)
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = FULL")  # a number handed out survives a power cut
            self._conn.execute(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise TicketNumberError(f"cannot open the ticket numbers {self.path}: {exc}") from exc

    def next_number(self, facility_code: str, day: date) -> int:
        """The next number for ``facility_code`` on ``day`` (1 for the day's first ticket)."""
        if not facility_code:
            raise ValueError("facility_code must not be empty")
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    number = int(self._conn.execute(_NEXT, (facility_code, day.isoformat())).fetchone()[0])
                    self._conn.execute("COMMIT")
                except BaseException:
                    self._conn.execute("ROLLBACK")
                    raise
            except sqlite3.Error as exc:
                raise TicketNumberError(f"cannot take a ticket number from {self.path}: {exc}") from exc
        return number

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> TicketCounter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
