"""Attempts as plain records for ``logs tail`` and ``logs export`` (never personal data)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from datetime import datetime
from enum import Enum
from typing import IO

from kiosk.attempts import LookupAttempt
from kiosk.log.schema import ATTEMPT_COLUMNS

# Exports leave out even the pseudonymous fields (keyed hash, masked number).
EXPORT_COLUMNS: tuple[str, ...] = tuple(c for c in ATTEMPT_COLUMNS if c not in ("person_hash", "masked_id"))
# The live tail shows the masked number (the kiosk's own staff watching), never the hash.
TAIL_COLUMNS: tuple[str, ...] = (*EXPORT_COLUMNS, "masked_id")


def _plain(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, Enum):
        return value.value
    return value


def attempt_record(attempt: LookupAttempt, columns: Iterable[str] = EXPORT_COLUMNS) -> dict[str, object]:
    return {name: _plain(getattr(attempt, name)) for name in columns}


def write_csv(attempts: Iterable[LookupAttempt], stream: IO[str]) -> int:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    n = 0
    for attempt in attempts:
        writer.writerow(attempt_record(attempt).values())  # None is written as ""
        n += 1
    return n


def write_json(attempts: Iterable[LookupAttempt], stream: IO[str]) -> int:
    """A JSON array, written one attempt at a time (constant memory)."""
    stream.write("[")
    n = 0
    for n, attempt in enumerate(attempts, 1):
        stream.write(",\n  " if n > 1 else "\n  ")
        stream.write(json.dumps(attempt_record(attempt), ensure_ascii=False))
    stream.write("\n]\n" if n else "]\n")
    return n


def tail_line(attempt: LookupAttempt) -> str:
    """One human line per attempt: local time, kiosk, source, outcome, masked number, timings, reason."""
    when = attempt.started_at
    stamp = when.astimezone().strftime("%Y-%m-%d %H:%M:%S") if when else "-" * 19
    outcome = attempt.outcome.value if attempt.outcome else attempt.stage.value
    parts = [stamp, f"{attempt.kiosk_id:<10}", f"{attempt.source.value:<12}", f"{outcome:<21}"]
    parts.append(f"{attempt.masked_id or '-':<12}")
    timing = []
    if attempt.frames_to_read is not None:
        timing.append(f"{attempt.frames_to_read} frames")
    if attempt.lookup_ms is not None:
        timing.append(f"lookup {attempt.lookup_ms:,.0f} ms")
    if attempt.total_ms is not None:
        timing.append(f"total {attempt.total_ms:,.0f} ms")
    parts.append(", ".join(timing) or "-")
    if attempt.error_reason:
        parts.append(f"[{attempt.error_reason}]")
    return "  ".join(parts)
