"""`bhyt-kiosk report` and `bhyt-kiosk logs ...` through kiosk.cli.main."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sqlite3
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.attempts import InputSource, LookupAttempt
from kiosk.cli import main
from kiosk.log import schema
from kiosk.lookup_log import LogFilter, LogReader, LookupLog
from kiosk.outcomes import Outcome

END = "2025-06-29"


@pytest.fixture(scope="module")
def sim_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("cli") / "lookups.db"
    rc = main(
        [
            "logs",
            "simulate",
            "--days",
            "10",
            "--kiosks",
            "2",
            "--db",
            str(db),
            "--seed",
            "3",
            "--attempts-per-day",
            "40",
            "--end",
            END,
        ]
    )
    assert rc == 0
    return db


def test_simulate_prints_a_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "s.db"
    assert main(["logs", "simulate", "--days", "3", "--kiosks", "1", "--db", str(db), "--end", END]) == 0
    out = capsys.readouterr().out
    with LogReader(db) as reader:
        n = reader.count()
    assert n > 0 and f"simulated {n:,} attempts" in out


def test_report_table(sim_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--db", str(sim_db)]) == 0
    out = capsys.readouterr().out
    with LogReader(sim_db) as reader:
        h = reader.headline()
    assert f"{h.lookups:,} lookups, {h.successful:,} successful ({h.successful / h.lookups * 100:.1f}%)" in out
    assert "Failures by reason" in out and "Latency (ms)" in out


def test_report_json_with_period_and_groups(sim_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(
        [
            "report",
            "--db",
            str(sim_db),
            "--since",
            "2025-06-23",
            "--until",
            "2025-06-24",
            "--by",
            "day",
            "--format",
            "json",
        ]
    )
    assert rc == 0
    data = json.loads(capsys.readouterr().out)
    with LogReader(sim_db) as reader:
        expected = reader.count(LogFilter(since=date(2025, 6, 23), until=date(2025, 6, 24)))
    assert data["attempts"] == expected
    assert [g["key"] for g in data["groups"]] == ["2025-06-23", "2025-06-24"]
    assert sum(g["attempts"] for g in data["groups"]) == expected
    assert {"lookups", "successful", "success_rate", "by_outcome"} <= set(data)


def test_report_csv_by_kiosk(sim_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--db", str(sim_db), "--by", "kiosk", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    kiosks = {r["key"] for r in rows if r["section"] == "by_kiosk"}
    assert kiosks == {"kiosk-01", "kiosk-02"}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--since", "yesterday"], "--since expects a date"),
        (["--since", "2025-06-25", "--until", "2025-06-20"], "after it ends"),
    ],
)
def test_report_bad_input(sim_db: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    assert main(["report", "--db", str(sim_db), *argv]) == 2
    assert message in capsys.readouterr().err


def test_report_missing_db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--db", str(tmp_path / "nope.db")]) == 2
    assert "no lookup log" in capsys.readouterr().err


def test_logs_tail_lines_and_json(sim_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["logs", "tail", "--db", str(sim_db), "-n", "5"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 5
    assert main(["logs", "tail", "--db", str(sim_db), "-n", "50", "--json"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(records) == 50
    assert all("person_hash" not in r for r in records)
    assert all(r["masked_id"] is None for r in records)  # no digit of a number in the log (kiosk.privacy)


def test_logs_tail_follow(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "live.db"
    log = LookupLog(db)
    log.record(LookupAttempt.start(kiosk_id="kiosk-09", facility_code="27001", source=InputSource.CAMERA))
    assert log.flush(10)
    stop = threading.Event()

    def produce() -> None:
        while not stop.is_set():
            a = LookupAttempt.start(kiosk_id="kiosk-09", facility_code="27001", source=InputSource.USB_SCANNER)
            a.outcome = Outcome.TIMEOUT
            a.error_reason = "timeout: read 10 s"
            log.record(a)
            log.flush(5)
            stop.wait(0.02)

    t = threading.Thread(target=produce)
    t.start()
    try:
        rc = main(["logs", "tail", "--db", str(db), "-n", "0", "--follow", "--interval", "0.05", "--count", "3"])
    finally:
        stop.set()
        t.join()
        log.close()
    assert rc == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    assert all("kiosk-09" in line and "timeout: read 10 s" in line for line in lines)


def test_logs_export_csv_file(sim_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "export.csv"
    rc = main(
        [
            "logs",
            "export",
            "--db",
            str(sim_db),
            "--since",
            "2025-06-25",
            "--kiosk",
            "kiosk-02",
            "--format",
            "csv",
            "--out",
            str(out),
        ]
    )
    assert rc == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    with LogReader(sim_db) as reader:
        expected = reader.count(LogFilter(since=date(2025, 6, 25), kiosks=("kiosk-02",)))
    assert len(rows) == expected > 0
    assert "person_hash" not in rows[0] and "masked_id" not in rows[0]
    assert {r["kiosk_id"] for r in rows} == {"kiosk-02"}
    assert f"exported {expected:,} attempts" in capsys.readouterr().err


def test_logs_export_json_stdout(sim_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(
        [
            "logs",
            "export",
            "--db",
            str(sim_db),
            "--outcome",
            "timeout",
            "--outcome",
            "service-error",
            "--source",
            "camera",
            "--format",
            "json",
            "--out",
            "-",
        ]
    )
    assert rc == 0
    records = json.loads(capsys.readouterr().out)
    assert records and {r["outcome"] for r in records} <= {"timeout", "service-error"}
    assert {r["source"] for r in records} == {"camera"}
    assert all(r["first_seen_at"].endswith("Z") for r in records)


def test_logs_export_empty_json(sim_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["logs", "export", "--db", str(sim_db), "--until", "2001-01-01", "--format", "json", "--out", "-"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_bare_logs_without_window(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["logs"]) == 2
    assert "log window" in capsys.readouterr().out


def test_bare_logs_opens_the_window_with_db(tmp_path: Path) -> None:
    seen: list[argparse.Namespace] = []

    def opener(args: argparse.Namespace) -> int:
        seen.append(args)
        return 0

    assert main(["logs", "--db", str(tmp_path / "x.db")], defaults={"open_log_window": opener}) == 0
    assert seen and seen[0].db == tmp_path / "x.db"


def test_action_db_does_not_clobber(sim_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["logs", "--db", str(sim_db), "tail", "-n", "2"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_logs_migrate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    schema.MIGRATIONS[0](conn, 0)
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    assert main(["report", "--db", str(db)]) == 2
    assert "logs migrate" in capsys.readouterr().err
    assert main(["logs", "migrate", "--db", str(db)]) == 0
    assert f"v1 -> v{schema.SCHEMA_VERSION}" in capsys.readouterr().out
    assert main(["report", "--db", str(db), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["attempts"] == 0


def test_report_counts_recorded_attempts_exactly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "exact.db"
    start = datetime.now(UTC) - timedelta(days=1)
    with LookupLog(db) as log:
        for i, outcome in enumerate([Outcome.ELIGIBLE] * 3 + [Outcome.NOT_FOUND, Outcome.TIMEOUT, Outcome.UNREADABLE]):
            a = LookupAttempt.start(
                kiosk_id="k", facility_code="27001", source=InputSource.CAMERA, now=start + timedelta(minutes=i)
            )
            a.outcome = outcome
            log.record(a)
    assert main(["report", "--db", str(db), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["attempts"], data["lookups"], data["successful"]) == (6, 5, 4)
    assert data["success_rate"] == 0.8 and data["eligibility_rate"] == 0.75
