"""Report figures on a hand-built log with known counts."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from kiosk.attempts import InputSource, LookupAttempt, Stage
from kiosk.dashboard import DashboardReader, build_dashboard
from kiosk.log.reader import daily_series_from, hourly_counts_from
from kiosk.lookup_log import ALL, Headline, LogFilter, LogReader, LookupLog
from kiosk.outcomes import Outcome
from kiosk.reports import build_report, format_csv, format_json, format_table, headline_sentence, report_to_dict

VN = timezone(timedelta(hours=7))
DAY1 = datetime(2025, 3, 3, 8, 0, tzinfo=VN)  # Monday
DAY2 = datetime(2025, 3, 4, 14, 0, tzinfo=VN)
HASH_A, HASH_B, HASH_C = "a" * 64, "b" * 64, "c" * 64

# (outcome, error_reason, lookup sent)
PLAN: list[tuple[Outcome, str | None, bool]] = [
    *[(Outcome.ELIGIBLE, None, True)] * 8,
    (Outcome.ELIGIBLE_WITH_WARNING, None, True),
    (Outcome.NEW_CARD, None, True),
    *[(Outcome.NOT_ELIGIBLE, None, True)] * 2,
    (Outcome.NOT_FOUND, None, True),
    (Outcome.DATA_MISMATCH, None, True),
    *[(Outcome.TIMEOUT, "timeout: read 10 s", True)] * 2,
    (Outcome.SERVICE_ERROR, None, True),
    (Outcome.CANCELLED, "cancelled: user left", True),
    (Outcome.CANCELLED, "cancelled: user left", False),
    (Outcome.UNREADABLE, "unreadable: glare", False),
]
PEOPLE = [HASH_A, HASH_A, HASH_A, HASH_B, HASH_B, HASH_C]


def build_fixture(path: Path) -> list[LookupAttempt]:
    attempts = []
    for i, (outcome, reason, sent) in enumerate(PLAN):
        start = (DAY1 if i < 15 else DAY2) + timedelta(minutes=i)
        a = LookupAttempt.start(
            kiosk_id="kiosk-01" if i < 12 else "kiosk-02",
            facility_code="27001",
            source=InputSource.MANUAL if i in (3, 4) else InputSource.CAMERA,
            now=start.astimezone(UTC),
        )
        a.outcome = outcome
        a.error_reason = reason
        a.stage = Stage.ANSWERED if sent else Stage.VALIDATED
        a.lookup_sent_at = a.first_seen_at + timedelta(seconds=1) if sent else None  # type: ignore[operator]
        a.total_ms = 100.0 * (i + 1)  # 100 .. 2000
        a.read_ms = 10.0 * (i + 1) if i < 10 else None  # 10 .. 100
        a.frames_to_read = 1 if i < 10 else 2 if i < 15 else 3 if i == 15 else None
        a.person_hash = PEOPLE[i] if i < len(PEOPLE) else None
        attempts.append(a)
    with LookupLog(path, tz=VN, clock=lambda: datetime(2025, 3, 5, tzinfo=UTC)) as log:
        for a in attempts:
            log.record(a)
    return attempts


@pytest.fixture
def reader(tmp_path: Path):  # type: ignore[no-untyped-def]
    db = tmp_path / "fixture.db"
    build_fixture(db)
    with LogReader(db) as r:
        yield r


def test_headline_figures(reader: LogReader) -> None:
    h = reader.headline()
    assert (h.attempts, h.lookups, h.successful, h.eligible, h.failed) == (20, 18, 14, 10, 6)
    assert h.success_rate == pytest.approx(14 / 18)
    assert h.eligibility_rate == pytest.approx(10 / 14)


def test_outcomes_and_failure_shares(reader: LogReader) -> None:
    report = build_report(reader)
    assert report.by_outcome == {
        "eligible": 8,
        "eligible-with-warning": 1,
        "new-card": 1,
        "not-eligible": 2,
        "not-found": 1,
        "data-mismatch": 1,
        "service-error": 1,
        "timeout": 2,
        "unreadable": 1,
        "cancelled": 2,
    }
    failures = {(r.outcome, r.reason): (r.count, r.share) for r in report.failures}
    assert failures == {
        ("timeout", "timeout: read 10 s"): (2, pytest.approx(2 / 6)),
        ("cancelled", "cancelled: user left"): (2, pytest.approx(2 / 6)),
        ("service-error", "service-error"): (1, pytest.approx(1 / 6)),
        ("unreadable", "unreadable: glare"): (1, pytest.approx(1 / 6)),
    }
    assert [r.count for r in report.failures] == [2, 2, 1, 1]  # largest first


def test_exact_percentiles(reader: LogReader) -> None:
    latency = reader.latency()
    assert latency["total"].count == 20
    assert latency["total"].values == {50: 1000.0, 95: 1900.0, 99: 2000.0}
    assert latency["read"].count == 10
    assert latency["read"].values == {50: 50.0, 95: 100.0, 99: 100.0}
    assert latency["lookup"].count == 0 and latency["lookup"].values == {50: None, 95: None, 99: None}
    assert reader.percentiles("total", percentiles=(1, 10, 100)).values == {1: 100.0, 10: 200.0, 100: 2000.0}
    kiosk2 = reader.percentiles("total", LogFilter(kiosks=("kiosk-02",)))
    assert kiosk2.count == 8 and kiosk2.values == {50: 1600.0, 95: 2000.0, 99: 2000.0}
    with pytest.raises(ValueError, match="unknown stage"):
        reader.percentiles("typing")


def test_distributions_and_repeat_visitors(reader: LogReader) -> None:
    assert reader.frames_histogram() == {1: 10, 2: 5, 3: 1}
    rv = reader.repeat_visitors()
    assert (rv.people, rv.repeat_people, rv.repeat_attempts) == (3, 2, 5)
    assert hourly_counts_from(reader.day_hour_outcome_counts()) == {8: 15, 14: 5}
    with DashboardReader(reader.path) as dash:  # time to result, in the log window's 1 s bins
        buckets = dash.total_ms_histogram(ALL)
    assert [(b.low_ms, b.count) for b in buckets if b.count] == [(0.0, 9), (1000.0, 10), (2000.0, 1)]  # 100 .. 2000 ms


def test_daily_series_and_failures_per_day(reader: LogReader) -> None:
    series = daily_series_from(reader.day_hour_outcome_counts())
    assert [(p.day, p.attempts, p.lookups, p.successful, p.eligible) for p in series] == [
        (date(2025, 3, 3), 15, 15, 14, 10),
        (date(2025, 3, 4), 5, 3, 0, 0),
    ]
    with DashboardReader(reader.path) as dash:  # failures per day, by outcome (the log window's chart)
        failures = build_dashboard(dash, LogFilter(since=date(2025, 3, 3), until=date(2025, 3, 4))).failures_by_bin
    assert failures["timeout"][0] == 1
    assert sum(series[1] for series in failures.values()) == 5


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        ("kiosk", {"kiosk-01": (12, 12, 12, 10), "kiosk-02": (8, 6, 2, 0)}),
        ("day", {"2025-03-03": (15, 15, 14, 10), "2025-03-04": (5, 3, 0, 0)}),
        ("hour", {"08:00": (15, 15, 14, 10), "14:00": (5, 3, 0, 0)}),
        ("source", {"camera": (18, 16, 12, 8), "manual": (2, 2, 2, 2)}),
        ("facility", {"27001": (20, 18, 14, 10)}),
    ],
)
def test_groups(reader: LogReader, by: str, expected: dict[str, tuple[int, int, int, int]]) -> None:
    report = build_report(reader, by=by)
    assert report.groups is not None
    got = {
        g.key: (g.headline.attempts, g.headline.lookups, g.headline.successful, g.headline.eligible)
        for g in report.groups
    }
    assert got == expected


def test_group_by_outcome_and_bad_group(reader: LogReader) -> None:
    report = build_report(reader, by="outcome")
    assert report.groups is not None
    assert {g.key: g.headline.attempts for g in report.groups}["timeout"] == 2
    with pytest.raises(ValueError, match="cannot group by"):
        build_report(reader, by="person")


def test_period_filter_is_inclusive_of_until_day(reader: LogReader) -> None:
    only_day2 = build_report(reader, LogFilter(since=date(2025, 3, 4), until=date(2025, 3, 4)))
    assert only_day2.headline.attempts == 5
    both = build_report(reader, LogFilter(since=date(2025, 3, 3), until=date(2025, 3, 4)))
    assert both.headline.attempts == 20
    none = build_report(reader, LogFilter(until=date(2025, 3, 2)))
    assert none.headline.attempts == 0 and none.headline.success_rate is None
    assert "No attempts in this period." in format_table(none)
    assert json.loads(format_json(none))["success_rate"] is None


def test_json_has_the_contract_keys(reader: LogReader) -> None:
    data = json.loads(format_json(build_report(reader, by="kiosk")))
    for key in (
        "attempts",
        "lookups",
        "successful",
        "success_rate",
        "by_outcome",
        "eligibility_rate",
        "failures",
        "latency_ms",
        "frames_to_read",
        "repeat_visitors",
        "groups",
    ):
        assert key in data
    assert (data["attempts"], data["lookups"], data["successful"]) == (20, 18, 14)
    assert data["success_rate"] == round(14 / 18, 4)
    assert data["latency_ms"]["total"] == {"count": 20, "p50": 1000.0, "p95": 1900.0, "p99": 2000.0}
    assert data["frames_to_read"] == {"1": 10, "2": 5, "3": 1}
    assert data["repeat_visitors"]["repeat_people"] == 2
    assert [g["key"] for g in data["groups"]] == ["kiosk-01", "kiosk-02"]
    assert report_to_dict(build_report(reader)).get("groups") is None


def test_csv_is_long_format(reader: LogReader) -> None:
    rows = list(csv.DictReader(io.StringIO(format_csv(build_report(reader, by="day")))))
    assert set(rows[0]) == {"section", "key", "metric", "value"}
    summary = {r["metric"]: r["value"] for r in rows if r["section"] == "summary"}
    assert summary["attempts"] == "20" and summary["successful"] == "14"
    assert {(r["key"], r["metric"]): r["value"] for r in rows if r["section"] == "latency_ms"}[("total", "p95")] == (
        "1900.0"
    )
    assert any(
        r["section"] == "by_day" and r["key"] == "2025-03-04" and r["metric"] == "attempts" and r["value"] == "5"
        for r in rows
    )


def test_table_reads_like_the_provinces_figures(reader: LogReader) -> None:
    assert headline_sentence(Headline(40_000, 35_299, 25_624, 20_000)) == "35,299 lookups, 25,624 successful (72.6%)"
    text = format_table(build_report(reader, by="kiosk"))
    assert "18 lookups, 14 successful (77.8%)" in text
    assert "20 attempts; 10 eligible (71.4% of successful lookups)" in text
    for heading in (
        "By outcome",
        "Failures by reason",
        "Latency (ms)",
        "Frames to read",
        "Repeat visitors",
        "By kiosk",
    ):
        assert heading in text
