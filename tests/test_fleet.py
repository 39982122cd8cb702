"""The at-a-glance table per kiosk and per facility (report --by kiosk|facility), on a real SQLite log."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from kiosk.fleet import Attention, fleet_view
from kiosk.lookup_log import LogFilter, LogReader, day_number
from kiosk.reports import build_report, format_table, report_to_dict
from kiosk.standins.simulate import SimulationConfig, write_simulation

END = date(2026, 11, 30)


@pytest.fixture
def log(tmp_path: Path) -> Path:
    db = tmp_path / "province.db"
    for i, facility in enumerate(("27001", "27001", "27002", "27003")):
        config = SimulationConfig(
            days=14, kiosk_ids=(f"bn-{i:02d}",), attempts_per_day=80, seed=i, end=END, facility_code=facility
        )
        write_simulation(db, config)
    conn = sqlite3.connect(db)
    with conn:
        # bn-01 stopped three days ago; bn-02's lookups time out a third of the time this week
        conn.execute("DELETE FROM attempts WHERE kiosk_id = 'bn-01' AND day > ?", (day_number(END) - 3,))
        conn.execute(
            "UPDATE attempts SET outcome = 'timeout', error_reason = 'timeout: read 10 s', result_code = NULL, "
            "eligible = NULL WHERE kiosk_id = 'bn-02' AND lookup_sent = 1 AND day >= ? AND id % 3 = 0",
            (day_number(END) - 6,),
        )
    conn.close()
    return db


def test_kiosks_that_need_attention_come_first(log: Path) -> None:
    with LogReader(log) as reader:
        view = fleet_view(reader, "kiosk")
        assert view is not None
        assert (view.since, view.until, view.previous_since) == (date(2026, 11, 24), END, date(2026, 11, 17))
        rows = {r.key: r for r in view.rows}
        assert [r.key for r in view.rows][:2] == ["bn-01", "bn-02"]
        assert rows["bn-01"].attention is Attention.SILENT
        assert rows["bn-02"].attention is Attention.FALLING
        assert rows["bn-02"].top_failure == "timeout: read 10 s"
        assert rows["bn-02"].change is not None and rows["bn-02"].change < -0.15
        assert rows["bn-03"].attention is Attention.OK and rows["bn-03"].shipping_lag_s is None
        # the figures of a row are the report's for that kiosk and period
        for key, row in rows.items():
            headline = reader.headline(LogFilter(since=view.since, until=view.until, kiosks=(key,)))
            assert (row.attempts, row.lookups, row.successful) == (
                headline.attempts,
                headline.lookups,
                headline.successful,
            )
            before = reader.headline(LogFilter(since=view.previous_since, until=date(2026, 11, 23), kiosks=(key,)))
            assert row.previous_success_rate == before.success_rate

        facilities = fleet_view(reader, "facility", LogFilter(since=view.since, until=view.until))
        assert facilities is not None
        by_code = {r.key: r for r in facilities.rows}
        assert by_code["27001"].kiosks == 2
        assert by_code["27001"].attempts == rows["bn-00"].attempts + rows["bn-01"].attempts
        assert facilities.rows[0].key == "27002"  # bn-02's facility is falling


def test_report_shows_the_glance_table_without_changing_the_groups(log: Path) -> None:
    with LogReader(log) as reader:
        report = build_report(reader, LogFilter(), by="kiosk")
        plain = build_report(reader, LogFilter(), by="day")
    data = report_to_dict(report)
    assert [g["key"] for g in data["groups"]] == ["bn-00", "bn-01", "bn-02", "bn-03"]  # as before: by key
    glance = data["at_a_glance"]
    assert [r["key"] for r in glance["rows"]][:2] == ["bn-01", "bn-02"]
    assert glance["rows"][0]["attention"] == "silent"
    assert "at_a_glance" not in report_to_dict(plain)
    json.dumps(data)  # serialisable
    text = format_table(report)
    assert "At a glance, 2026-11-24 to 2026-11-30" in text
    assert text.index("silent") < text.index("falling")


def test_empty_log_has_no_glance(tmp_path: Path) -> None:
    from kiosk.log.writer import connect

    connect(tmp_path / "empty.db").close()
    with LogReader(tmp_path / "empty.db") as reader:
        assert fleet_view(reader, "kiosk") is None
        assert report_to_dict(build_report(reader, by="facility"))["at_a_glance"] is None
