"""Simulated histories: deterministic, realistic in shape, fast bulk load that the reports can read."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import date, time
from pathlib import Path

import pytest

from kiosk.log.schema import REPORT_INDEXES
from kiosk.lookup_log import LogReader
from kiosk.outcomes import Outcome, outcome_for_result_code
from kiosk.standins import simulate as sim
from kiosk.standins.simulate import SimulationConfig, simulate, write_simulation
from kiosk.wire import VIETNAM_TZ as VIETNAM

CONFIG = SimulationConfig(days=14, kiosks=2, attempts_per_day=60, seed=11, end=date(2025, 6, 29))


@pytest.fixture(scope="module")
def attempts() -> list:  # type: ignore[type-arg]
    return list(simulate(CONFIG))


def test_same_seed_same_history(attempts: list) -> None:  # type: ignore[type-arg]
    assert list(simulate(CONFIG)) == attempts
    other = list(simulate(SimulationConfig(days=14, kiosks=2, attempts_per_day=60, seed=12, end=date(2025, 6, 29))))
    assert [a.attempt_id for a in other] != [a.attempt_id for a in attempts]


def test_clinic_hours_and_week_shape(attempts: list) -> None:  # type: ignore[type-arg]
    per_weekday: Counter[int] = Counter()
    for a in attempts:
        local = a.first_seen_at.astimezone(VIETNAM)
        assert time(7, 0) <= local.time() <= time(11, 30) or time(13, 30) <= local.time() <= time(17, 0)
        per_weekday[local.weekday()] += 1
        assert date(2025, 6, 16) <= local.date() <= date(2025, 6, 29)
    weekday_mean = sum(per_weekday[d] for d in range(5)) / 5
    assert per_weekday[5] < weekday_mean * 0.7  # Saturday: less
    assert per_weekday[6] < weekday_mean * 0.2  # Sunday: few
    saturday_hours = {
        a.first_seen_at.astimezone(VIETNAM).hour for a in attempts if a.first_seen_at.astimezone(VIETNAM).weekday() == 5
    }
    assert max(saturday_hours) <= 11  # Saturday mornings only


def test_outcomes_are_realistic_and_consistent(attempts: list) -> None:  # type: ignore[type-arg]
    shares = Counter(a.outcome for a in attempts)
    assert shares.most_common(1)[0][0] is Outcome.ELIGIBLE
    assert shares[Outcome.ELIGIBLE] > 0.45 * len(attempts)
    for outcome in (Outcome.UNREADABLE, Outcome.DATA_MISMATCH, Outcome.TIMEOUT, Outcome.SERVICE_ERROR):
        assert shares[outcome] > 0
    for a in attempts:
        assert a.outcome is not None and a.total_ms is not None and a.total_ms > 0
        if not a.outcome.lookup_sent:
            assert a.lookup_sent_at is None and a.result_code is None
        if a.outcome.definitive:
            assert a.result_code is not None and outcome_for_result_code(a.result_code) is a.outcome
            assert a.eligible is a.outcome.eligible
            assert a.answered_at is not None and a.lookup_ms is not None
        if a.person_hash is not None:
            assert len(a.person_hash) == 64 and int(a.person_hash, 16) >= 0
            assert a.masked_id is not None and sum(c.isdigit() for c in a.masked_id) == 4
        if a.frames_to_read is not None:
            assert a.source.value == "camera" and a.frames_to_read >= 1


def test_bad_days_stand_out() -> None:
    s = sim.Simulator(CONFIG)
    history = list(s.attempts())
    assert s.outage_day is not None and s.bad_camera_day is not None
    outage_morning = [
        a
        for a in history
        if a.first_seen_at.astimezone(VIETNAM).date() == s.outage_day
        and 8 <= a.first_seen_at.astimezone(VIETNAM).hour < 12
    ]
    normal = [a for a in history if a.first_seen_at.astimezone(VIETNAM).date() != s.outage_day]

    def failing(items: list) -> float:  # type: ignore[type-arg]
        return sum(a.outcome in (Outcome.TIMEOUT, Outcome.SERVICE_ERROR) for a in items) / len(items)

    assert failing(outage_morning) > 3 * failing(normal)


def test_repeat_visitors_exist(attempts: list) -> None:  # type: ignore[type-arg]
    counts = Counter(a.person_hash for a in attempts if a.person_hash)
    assert any(n > 1 for n in counts.values())


def test_write_simulation_bulk_and_idempotent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sim, "BULK_THRESHOLD", 10)  # take the drop/rebuild-indexes path
    db = tmp_path / "sim.db"
    expected = sum(1 for _ in simulate(CONFIG))
    assert write_simulation(db, CONFIG, chunk=100) == expected
    assert write_simulation(db, CONFIG) == 0  # same seed, same attempt ids: nothing new
    conn = sqlite3.connect(db)
    try:
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    assert set(REPORT_INDEXES) <= indexes
    with LogReader(db) as reader:
        assert reader.count() == expected
        assert len({day for day, *_ in reader.day_hour_outcome_counts()}) == 14
        assert reader.headline().lookups > 0


def test_bad_config_is_refused() -> None:
    with pytest.raises(ValueError):
        SimulationConfig(days=0)
    with pytest.raises(ValueError):
        SimulationConfig(attempts_per_day=-1)


def test_parallel_generation_gives_the_same_log(tmp_path: Path) -> None:
    small = SimulationConfig(days=3, kiosks=1, attempts_per_day=30, seed=5, end=date(2025, 6, 27))
    serial, parallel = tmp_path / "serial.db", tmp_path / "parallel.db"
    assert write_simulation(serial, small, parallel=False) == write_simulation(parallel, small, parallel=True, chunk=7)
    with LogReader(serial) as a, LogReader(parallel) as b:
        assert list(a.query()) == list(b.query())
