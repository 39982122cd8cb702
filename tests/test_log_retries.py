"""The lookup log with background retries: schema v3 migration, later versions of a pending attempt, report figures."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.attempts import InputSource, LookupAttempt, RetryStatus, Stage
from kiosk.cli import main
from kiosk.log import schema
from kiosk.lookup_log import LogReader, LookupLog
from kiosk.outcomes import Outcome
from kiosk.reports import build_report, report_to_dict

T0 = datetime(2026, 12, 6, 2, 0, tzinfo=UTC)


def _attempt(i: int, outcome: Outcome, **extra: object) -> LookupAttempt:
    base = LookupAttempt(
        attempt_id=f"00000000-0000-4000-8000-{i:012d}", kiosk_id="kiosk-01", facility_code="27001",
        source=InputSource.CAMERA, first_seen_at=T0 + timedelta(minutes=i), lookup_sent_at=T0 + timedelta(minutes=i),
        answered_at=T0 + timedelta(minutes=i, seconds=3), stage=Stage.ANSWERED, outcome=outcome,
        eligible=outcome.eligible, http_attempts=1,
    )
    return dataclasses.replace(base, **extra)  # type: ignore[arg-type]


def _pending(i: int, first: Outcome = Outcome.TIMEOUT) -> LookupAttempt:
    return _attempt(i, first, first_try_outcome=first, retry_status=RetryStatus.PENDING, stage=Stage.LOOKUP_SENT,
                    error_reason=f"{first.value}: first try", answered_at=None)


def _final(pending: LookupAttempt, outcome: Outcome, status: RetryStatus, delay_ms: float, tries: int) -> LookupAttempt:
    return dataclasses.replace(pending, outcome=outcome, retry_status=status, retry_delay_ms=delay_ms,
                               http_attempts=tries, eligible=outcome.eligible,
                               error_reason=None if outcome.definitive else pending.error_reason)


def test_v2_log_migrates_and_keeps_its_rows(tmp_path: Path) -> None:
    db = tmp_path / "v2.db"
    conn = sqlite3.connect(db, isolation_level=None)
    for step in schema.MIGRATIONS[:2]:
        step(conn, 0)
    conn.execute("PRAGMA user_version = 2")
    old_columns = [c for c in schema.INSERT_COLUMNS if c not in ("first_try_outcome", "retry_status",
                                                                   "retry_delay_ms")]
    row = dict(zip(schema.INSERT_COLUMNS, schema.attempt_to_row(_attempt(1, Outcome.ELIGIBLE), recorded_at=T0),
                   strict=True))
    conn.execute(f"INSERT INTO attempts ({', '.join(old_columns)}) VALUES ({', '.join('?' * len(old_columns))})",
                 [row[c] for c in old_columns])
    conn.close()
    with LookupLog(db):  # opening migrates
        pass
    with LogReader(db) as reader:
        (attempt,) = reader.attempts()
        assert attempt.outcome is Outcome.ELIGIBLE and attempt.first_try_outcome is None
        assert attempt.retry_status is None and attempt.retry_delay_ms is None
        data = report_to_dict(build_report(reader))
    assert (data["successful_first_try"], data["successful_after_retry"], data["pending"], data["abandoned"]) == (
        1, 0, 0, 0)
    assert data["success_rate_first_try"] == data["success_rate"] == 1.0


def test_a_pending_attempt_is_updated_by_its_later_versions_only(tmp_path: Path) -> None:
    db = tmp_path / "log.db"
    pending = _pending(1)
    with LookupLog(db, max_batch=1) as log:
        log.record(pending)
        log.flush()
        log.record(dataclasses.replace(pending, http_attempts=3))  # a later version while still pending
        final = _final(pending, Outcome.ELIGIBLE, RetryStatus.ANSWERED, 45_000.0, 5)
        log.record(final)
        log.flush()
        log.record(dataclasses.replace(final, outcome=Outcome.TIMEOUT))  # after the end: ignored
        done = _attempt(2, Outcome.NOT_FOUND)
        log.record(done)
        log.record(dataclasses.replace(done, outcome=Outcome.ELIGIBLE))  # a plain repeat: ignored, as before
        log.flush()
        stats = log.stats()
    assert stats.duplicates == 2 and stats.failed == 0
    with LogReader(db) as reader:
        rows = {a.attempt_id: a for a in reader.attempts()}
    assert len(rows) == 2
    got = rows[pending.attempt_id]
    assert (got.outcome, got.first_try_outcome, got.retry_status) == (Outcome.ELIGIBLE, Outcome.TIMEOUT,
                                                                      RetryStatus.ANSWERED)
    assert got.retry_delay_ms == 45_000.0 and got.http_attempts == 5 and got.eligible is True
    assert rows[done.attempt_id].outcome is Outcome.NOT_FOUND


def _mixed_log(db: Path) -> None:
    with LookupLog(db) as log:
        for i in range(6):  # first-try answers
            log.record(_attempt(i, Outcome.ELIGIBLE if i % 2 else Outcome.NOT_ELIGIBLE))
        log.record(_attempt(6, Outcome.REJECTED_SIGNATURE))  # never retried
        for i, delay in ((10, 20_000.0), (11, 60_000.0), (12, 240_000.0)):  # late answers
            log.record(_final(_pending(i), Outcome.ELIGIBLE, RetryStatus.ANSWERED, delay, 4))
        log.record(_pending(20, Outcome.SERVICE_ERROR))  # still pending
        log.record(_final(_pending(21), Outcome.TIMEOUT, RetryStatus.ABANDONED, 600_000.0, 12))
        log.record(_final(_pending(22), Outcome.REJECTED_SIGNATURE, RetryStatus.FAILED, 9_000.0, 2))
        log.record(dataclasses.replace(_attempt(30, Outcome.UNREADABLE), lookup_sent_at=None, stage=Stage.SEEN))


def test_report_figures_first_try_and_after_retry(tmp_path: Path) -> None:
    db = tmp_path / "log.db"
    _mixed_log(db)
    with LogReader(db) as reader:
        data = report_to_dict(build_report(reader))
    assert data["attempts"] == 14 and data["lookups"] == 13
    assert data["successful"] == 9  # late answers count in `successful` and `success_rate`
    assert data["success_rate"] == round(9 / 13, 4)
    assert data["successful_first_try"] == 6
    assert data["successful_after_retry"] == 3
    assert data["success_rate_first_try"] == round(6 / 13, 4)
    assert (data["pending"], data["abandoned"], data["failed_after_retry"]) == (1, 1, 1)
    assert data["late_answer_delay_ms"] == {"count": 3, "p50": 60_000.0, "p95": 240_000.0, "p99": 240_000.0}


def test_report_command_prints_both_figures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "log.db"
    _mixed_log(db)
    assert main(["report", "--db", str(db), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    for key in ("successful_first_try", "successful_after_retry", "pending", "abandoned", "success_rate_first_try"):
        assert key in data
    assert main(["report", "--db", str(db)]) == 0
    table = capsys.readouterr().out
    assert "13 lookups, 9 successful (69.2%)" in table
    assert "First try: 6 successful (46.2%); after background retries: 3 more; 1 pending, 1 abandoned" in table
    assert "Late answers came 60,000 ms after the first try (median)" in table
    assert main(["report", "--db", str(db), "--format", "csv"]) == 0
    csv_text = capsys.readouterr().out
    assert "summary,,successful_after_retry,3" in csv_text and "summary,,pending,1" in csv_text


def test_log_window_figures_first_try_and_after_retry(tmp_path: Path) -> None:
    from kiosk.dashboard import DashboardReader, build_dashboard
    from kiosk.log.reader import LogFilter
    from ui.log_texts import tiles

    db = tmp_path / "log.db"
    _mixed_log(db)
    with DashboardReader(db) as reader:
        dash = build_dashboard(reader, LogFilter())
    assert dash.retries.successful_after_retry == 3 and dash.retries.pending == 1 and dash.retries.abandoned == 1
    shown = {t.key: t for t in tiles(dash)}
    assert (shown["success_rate"].value, shown["first_try"].value) == ("69,2%", "46,2%")  # Vietnamese numbers
    assert shown["first_try"].detail == "3 trả lời muộn; 1 đang chờ; 1 bỏ dở; trễ trung vị 60,0 s"
