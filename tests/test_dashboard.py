"""The log dashboard's figures (kiosk.dashboard) on a hand-made log with known counts, and on a simulated one."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from kiosk.attempts import InputSource, LookupAttempt, Stage
from kiosk.dashboard import (
    FAILURE_OUTCOMES,
    FRAMES_MAX,
    TIME_BINS,
    DashboardReader,
    Granularity,
    Period,
    bin_starts,
    build_dashboard,
    granularity_for,
    period_days,
    period_filter,
)
from kiosk.log.reader import daily_series_from
from kiosk.log.schema import INSERT_SQL, attempt_to_row
from kiosk.log.writer import connect
from kiosk.lookup_log import ALL, LogError, LogFilter, LogReader
from kiosk.outcomes import Outcome
from kiosk.standins.simulate import SimulationConfig, write_simulation

VIETNAM = timezone(timedelta(hours=7))
DAY1, DAY2, DAY3 = date(2025, 6, 1), date(2025, 6, 2), date(2025, 6, 3)


@dataclass(frozen=True)
class Spec:
    count: int
    kiosk: str
    day: date
    hour: int
    outcome: Outcome
    source: InputSource = InputSource.CAMERA
    frames: int | None = None
    total_ms: float | None = None
    reason: str | None = None


# 19 attempts, 16 lookups, 13 successful (81.25 %), 11 eligible (84.6 % of successful).
FIXTURE: tuple[Spec, ...] = (
    Spec(6, "kiosk-01", DAY1, 8, Outcome.ELIGIBLE, frames=1, total_ms=1500),
    Spec(1, "kiosk-01", DAY1, 9, Outcome.NOT_ELIGIBLE, frames=2, total_ms=2500),
    Spec(2, "kiosk-01", DAY1, 9, Outcome.TIMEOUT, frames=3, total_ms=10500, reason="timeout: read 10 s"),
    Spec(1, "kiosk-01", DAY1, 10, Outcome.UNREADABLE, total_ms=6200, reason="unreadable: glare"),
    Spec(3, "kiosk-02", DAY2, 14, Outcome.ELIGIBLE, InputSource.USB_SCANNER, total_ms=800),
    Spec(1, "kiosk-02", DAY2, 14, Outcome.DATA_MISMATCH, InputSource.MANUAL, total_ms=25000),
    Spec(1, "kiosk-02", DAY2, 15, Outcome.SERVICE_ERROR, InputSource.USB_SCANNER, total_ms=3200,
         reason="service-error: http 503"),
    Spec(1, "kiosk-02", DAY2, 15, Outcome.INVALID_CARD, frames=20, total_ms=300, reason="invalid-card: birth-date"),
    Spec(2, "kiosk-01", DAY3, 8, Outcome.NEW_CARD, frames=1, total_ms=1900),
    Spec(1, "kiosk-01", DAY3, 8, Outcome.CANCELLED, frames=1, total_ms=4000, reason="cancelled: user left"),
)
FIXTURE_FACILITY = {"kiosk-01": "27001", "kiosk-02": "27002"}


def fixture_attempts() -> list[LookupAttempt]:
    attempts: list[LookupAttempt] = []
    n = 0
    for spec in FIXTURE:
        for _ in range(spec.count):
            n += 1
            start = datetime(spec.day.year, spec.day.month, spec.day.day, spec.hour, n, tzinfo=VIETNAM).astimezone(UTC)
            a = LookupAttempt.start(
                kiosk_id=spec.kiosk, facility_code=FIXTURE_FACILITY[spec.kiosk], source=spec.source, now=start
            )
            a.attempt_id = f"00000000-0000-4000-8000-{n:012d}"
            a.outcome = spec.outcome
            a.frames_to_read = spec.frames
            a.total_ms = spec.total_ms
            a.error_reason = spec.reason
            a.masked_id = f"••••••••{1000 + n}"
            a.person_hash = hashlib.sha256(f"person {n}".encode()).hexdigest()
            if spec.outcome is not Outcome.UNREADABLE:
                a.read_at = start + timedelta(milliseconds=100)
                a.read_ms = 100.0
                a.stage = Stage.READ
            if spec.outcome.lookup_sent and spec.outcome is not Outcome.CANCELLED:  # cancelled before sending
                a.lookup_sent_at = start + timedelta(milliseconds=101)
                a.stage = Stage.LOOKUP_SENT
                if spec.outcome is not Outcome.TIMEOUT:
                    a.answered_at = start + timedelta(milliseconds=float(spec.total_ms or 0))
                    a.lookup_ms = float(spec.total_ms or 0) - 101
                    a.stage = Stage.ANSWERED
                    a.result_code = "000" if spec.outcome.eligible else "010"
            if spec.outcome.definitive:
                a.eligible = spec.outcome.eligible
            attempts.append(a)
    return attempts


def build_fixture_db(path: Path) -> Path:
    """A lookup log holding exactly FIXTURE (direct inserts; days and hours in Vietnam time)."""
    conn = connect(path)
    try:
        conn.execute("BEGIN")
        for a in fixture_attempts():
            recorded = (a.answered_at or a.started_at or datetime.now(UTC)) + timedelta(milliseconds=5)
            conn.execute(INSERT_SQL, attempt_to_row(a, recorded_at=recorded, tz=VIETNAM))
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return path


@pytest.fixture()
def reader(tmp_path: Path):
    r = DashboardReader(build_fixture_db(tmp_path / "lookups.db"))
    yield r
    r.close()


def test_headline_and_median_of_fixture(reader: DashboardReader) -> None:
    d = build_dashboard(reader, ALL)
    h = d.headline
    assert (h.attempts, h.lookups, h.successful, h.eligible) == (19, 16, 13, 11)
    assert h.success_rate == pytest.approx(13 / 16)
    assert h.eligibility_rate == pytest.approx(11 / 13)
    assert d.median_total_ms == 1500.0  # nearest rank 10 of 19 sorted total times
    assert d.p95_total_ms == 25000.0
    assert d.timed_attempts == 19
    # the same figures as the reports' reader
    assert reader.headline(ALL) == h


def test_series_of_fixture(reader: DashboardReader) -> None:
    d = build_dashboard(reader, ALL)
    assert d.granularity is Granularity.DAY
    assert [(b.first, b.attempts, b.lookups, b.successful, b.eligible) for b in d.bins] == [
        (DAY1, 10, 9, 7, 6),
        (DAY2, 6, 5, 4, 3),
        (DAY3, 3, 2, 2, 2),
    ]
    assert d.failures_by_bin == {
        "service-error": (0, 1, 0),
        "timeout": (2, 0, 0),
        "invalid-card": (0, 1, 0),
        "unreadable": (1, 0, 0),
        "cancelled": (0, 0, 1),
    }
    assert list(d.failures_by_bin) == [o for o in FAILURE_OUTCOMES if o in d.failures_by_bin]
    hourly = dict.fromkeys(range(24), 0) | {8: 9, 9: 3, 10: 1, 14: 4, 15: 2}
    assert d.hourly == tuple(hourly[h] for h in range(24))
    expected_time = [0] * (TIME_BINS + 1)
    for index, n in {0: 4, 1: 8, 2: 1, 3: 1, 4: 1, 6: 1, 10: 2, TIME_BINS: 1}.items():
        expected_time[index] = n
    assert [b.count for b in d.time_to_result] == expected_time
    assert d.time_to_result[-1].high_ms is None and d.time_to_result[1].low_ms == 1000.0
    frames = dict.fromkeys(range(1, FRAMES_MAX + 2), 0) | {1: 9, 2: 1, 3: 2, FRAMES_MAX + 1: 1}
    assert d.frames == tuple(frames.items())
    assert [(r.outcome, r.reason, r.count) for r in d.reasons] == [
        ("timeout", "timeout: read 10 s", 2),
        ("cancelled", "cancelled: user left", 1),
        ("invalid-card", "invalid-card: birth-date", 1),
        ("service-error", "service-error: http 503", 1),
        ("unreadable", "unreadable: glare", 1),
    ]


def test_filters(reader: DashboardReader) -> None:
    def figures(f: LogFilter) -> tuple[int, int, int, int]:
        h = build_dashboard(reader, f).headline
        return h.attempts, h.lookups, h.successful, h.eligible

    assert figures(LogFilter(kiosks=("kiosk-02",))) == (6, 5, 4, 3)
    assert figures(LogFilter(facilities=("27001",))) == (13, 11, 9, 8)
    assert figures(LogFilter(sources=(InputSource.USB_SCANNER,))) == (4, 4, 3, 3)
    assert figures(LogFilter(outcomes=(Outcome.TIMEOUT,))) == (2, 2, 0, 0)
    assert figures(period_filter(Period.TODAY, DAY3)) == (3, 2, 2, 2)
    assert figures(period_filter(Period.LAST_7_DAYS, DAY3)) == (19, 16, 13, 11)
    assert figures(period_filter(Period.CUSTOM, DAY3, since=DAY2, until=DAY3)) == (9, 7, 6, 5)
    assert figures(period_filter(Period.CUSTOM, DAY3, since=date(2024, 1, 1), until=date(2024, 1, 31))) == (0, 0, 0, 0)


def test_period_bins_are_zero_filled(reader: DashboardReader) -> None:
    d = build_dashboard(reader, period_filter(Period.LAST_7_DAYS, date(2025, 6, 5)))
    assert [b.first for b in d.bins] == [date(2025, 5, 30) + timedelta(days=i) for i in range(7)]
    assert [b.attempts for b in d.bins] == [0, 0, 10, 6, 3, 0, 0]
    assert d.bins[0].success_rate is None
    assert d.failures_by_bin["timeout"] == (0, 0, 2, 0, 0, 0, 0)


def test_empty_period(reader: DashboardReader) -> None:
    d = build_dashboard(reader, period_filter(Period.TODAY, date(2030, 1, 1)))
    assert d.empty and d.headline.success_rate is None and d.median_total_ms is None
    assert [b.attempts for b in d.bins] == [0] and d.failures_by_bin == {} and sum(d.hourly) == 0


def test_periods_and_granularity() -> None:
    today = date(2025, 6, 30)
    assert period_days(Period.TODAY, today) == (today, today)
    assert period_days(Period.LAST_7_DAYS, today) == (date(2025, 6, 24), today)
    assert period_days(Period.LAST_30_DAYS, today) == (date(2025, 6, 1), today)
    assert period_days(Period.ALL, today) == (None, None)
    with pytest.raises(ValueError, match="custom period"):
        period_days(Period.CUSTOM, today)
    with pytest.raises(ValueError, match="after it ends"):
        period_filter(Period.CUSTOM, today, since=date(2025, 6, 2), until=date(2025, 6, 1))
    with pytest.raises(ValueError):
        period_days("fortnight", today)
    assert granularity_for(date(2025, 1, 1), date(2025, 3, 3)) is Granularity.DAY  # 62 days
    assert granularity_for(date(2025, 1, 1), date(2025, 3, 4)) is Granularity.WEEK
    assert granularity_for(date(2024, 1, 1), date(2025, 12, 31)) is Granularity.MONTH
    weeks = bin_starts(date(2025, 6, 4), date(2025, 6, 20), Granularity.WEEK)
    assert weeks == [date(2025, 6, 2), date(2025, 6, 9), date(2025, 6, 16)]
    months = bin_starts(date(2024, 12, 15), date(2025, 2, 1), Granularity.MONTH)
    assert months == [date(2024, 12, 1), date(2025, 1, 1), date(2025, 2, 1)]


def test_table_ids_sorted_and_paged(reader: DashboardReader) -> None:
    ids = reader.ordered_ids(ALL, "total_ms", descending=False)
    rows = reader.attempts_by_id(ids)
    totals = [r.attempt.total_ms for r in rows]
    assert len(ids) == 19 and totals == sorted(totals) and totals[0] == 300.0
    newest = reader.attempts_by_id(reader.ordered_ids(ALL)[:1])[0]
    assert newest.attempt.outcome is Outcome.CANCELLED and newest.utc_offset_min == 420
    assert newest.local_started_at is not None and newest.local_started_at.hour == 8
    only = reader.ordered_ids(LogFilter(kiosks=("kiosk-02",), outcomes=(Outcome.ELIGIBLE,)), "kiosk_id")
    assert len(only) == 3
    assert reader.attempts_by_id([999_999]) == []
    with pytest.raises(ValueError, match="cannot sort"):
        reader.ordered_ids(ALL, "person_hash")


def test_large_weekly_history_matches_reports(tmp_path: Path) -> None:
    db = tmp_path / "sim.db"
    write_simulation(db, SimulationConfig(days=70, kiosks=2, attempts_per_day=20, seed=3, end=date(2025, 6, 30)))
    with DashboardReader(db) as r, LogReader(db) as plain:
        d = build_dashboard(r, ALL)
        assert d.headline == plain.headline(ALL)
        assert d.granularity is Granularity.WEEK
        assert sum(b.attempts for b in d.bins) == d.headline.attempts == sum(d.hourly)
        assert sum(b.count for b in d.time_to_result) == d.timed_attempts
        assert sum(n for _f, n in d.frames) == sum(plain.frames_histogram(ALL).values())
        failed = sum(sum(v) for v in d.failures_by_bin.values())
        assert failed == d.headline.failed == sum(r.count for r in d.reasons)
        daily = daily_series_from(plain.day_hour_outcome_counts(ALL))
        assert sum(p.successful for p in daily) == sum(b.successful for b in d.bins)


def test_not_a_log(tmp_path: Path) -> None:
    text = tmp_path / "notes.db"
    text.write_text("not a database", encoding="utf-8")
    with pytest.raises(LogError):
        DashboardReader(text)
    with pytest.raises(LogError):
        DashboardReader(tmp_path / "missing.db")
