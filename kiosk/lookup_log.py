"""The lookup log: every attempt the kiosk makes, in a local SQLite database, and the queries IT reports use.

Writing (the pipeline)::

    log = LookupLog()                      # kiosk.paths.default_log_db(); WAL; migrates an older schema
    log.record(attempt)                    # never blocks: queued, committed by the writer thread
    log.flush(timeout=5); log.close()

Reading (reports, the log dashboard, a DB copied from another kiosk)::

    with LogReader(path) as reader:
        f = LogFilter(since=date(2025, 1, 1), kiosks=("kiosk-01",))
        reader.headline(f).success_rate; reader.latency(f); reader.percentiles("lookup", f)

Definitions: an *attempt* is one card presentation or manual entry that the kiosk recorded; a *lookup* is an attempt
whose request was sent to the service; a *successful lookup* is a definitive answer from the service for a card that was
read (eligible, eligible-with-warning, new-card, not-eligible, not-found, data-mismatch); *success rate* = successful /
lookups; *eligibility rate* = eligible outcomes (eligible, eligible-with-warning, new-card) / successful.

The database never holds a name, a full ID number, an address or an image: a slow keyed hash only (kiosk.privacy).
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from kiosk.log.reader import ALL, Headline, LogFilter, LogReader, day_number
from kiosk.log.schema import SCHEMA_VERSION, LogError, schema_version
from kiosk.log.writer import LookupLog, connect


def migrate_log(path: Path) -> tuple[int, int]:
    """Upgrade a lookup log's schema in place. Returns (version found, version now)."""
    target = Path(path)
    if not target.is_file():
        raise LogError(f"no lookup log at {target}")
    try:
        with contextlib.closing(sqlite3.connect(target)) as probe:
            found = schema_version(probe)
    except sqlite3.DatabaseError as exc:
        raise LogError(f"{target} is not a lookup log: {exc}") from exc
    connect(target).close()
    return found, SCHEMA_VERSION


__all__ = [
    "ALL",
    "SCHEMA_VERSION",
    "Headline",
    "LogError",
    "LogFilter",
    "LogReader",
    "LookupLog",
    "day_number",
    "migrate_log",
    "schema_version",
]
