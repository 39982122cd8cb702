"""Realistic lookup-log histories for demos, dashboards and benchmarks (deterministic by seed).

Traffic follows clinic hours (7:00-11:30 and 13:30-17:00 on weekdays, mornings busiest; Saturday morning at about
40 %, a few attempts on Sundays), in Vietnam time (UTC+7). Outcomes come in realistic shares (most lookups eligible;
unreadable cards, invalid cards, data mismatches, timeouts, service errors), with bad days: a service outage day (most
lookups time out or fail for a few hours) and a bad camera day at one kiosk (many unreadable cards, more frames per
read). Stage durations come from log-normal distributions (a real lookup takes 1-3 s). Some people come back (repeat
visitors). People are made-up CCCD numbers that are only ever stored as keyed hashes and masked numbers.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import math
import multiprocessing
import os
import queue
import random
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Generic, TypeVar

from kiosk import __version__
from kiosk.attempts import InputSource, LookupAttempt, Stage
from kiosk.log.schema import (
    INSERT_SQL,
    Row,
    attempt_to_row,
    create_report_indexes,
    drop_report_indexes,
    immediate_transaction,
)
from kiosk.log.writer import connect
from kiosk.outcomes import RESULT_CODES, Outcome, outcome_for_result_code
from kiosk.privacy import PersonHasher, mask_id
from kiosk.wire import VIETNAM_TZ

BULK_THRESHOLD = 20_000  # above this many attempts, rebuild the report indexes after loading
PARALLEL_THRESHOLD = 100_000  # above this many, generate in a second process while inserting

# Share of attempts per outcome on a normal day (sums to 1).
NORMAL_OUTCOMES: dict[Outcome, float] = {
    Outcome.ELIGIBLE: 0.640,
    Outcome.ELIGIBLE_WITH_WARNING: 0.015,
    Outcome.NEW_CARD: 0.010,
    Outcome.NOT_ELIGIBLE: 0.030,
    Outcome.NOT_FOUND: 0.022,
    Outcome.DATA_MISMATCH: 0.035,
    Outcome.UNREADABLE: 0.070,
    Outcome.NOT_ID_CARD: 0.012,
    Outcome.INVALID_CARD: 0.020,
    Outcome.TIMEOUT: 0.045,
    Outcome.SERVICE_ERROR: 0.060,
    Outcome.SETUP_ERROR: 0.004,
    Outcome.REJECTED_SIGNATURE: 0.002,
    Outcome.CANCELLED: 0.035,
}
OUTAGE_OUTCOMES: dict[Outcome, float] = {
    Outcome.ELIGIBLE: 0.12,
    Outcome.NOT_FOUND: 0.01,
    Outcome.UNREADABLE: 0.07,
    Outcome.INVALID_CARD: 0.02,
    Outcome.TIMEOUT: 0.40,
    Outcome.SERVICE_ERROR: 0.33,
    Outcome.CANCELLED: 0.05,
}
BAD_CAMERA_OUTCOMES: dict[Outcome, float] = {
    **{o: w * 0.55 for o, w in NORMAL_OUTCOMES.items()},
    Outcome.UNREADABLE: 0.40,
    Outcome.NOT_ID_CARD: 0.012 * 0.55 + 0.02,
}
REASONS: dict[Outcome, tuple[str, ...]] = {
    Outcome.UNREADABLE: ("unreadable: card left before decode", "unreadable: glare", "unreadable: too small"),
    Outcome.NOT_ID_CARD: ("not-id-card: url", "not-id-card: payment", "not-id-card: bhyt-card"),
    Outcome.INVALID_CARD: (
        "invalid-card: century-sex-digit",
        "invalid-card: birth-date",
        "invalid-card: field-count",
        "invalid-card: replacement-char",
    ),
    Outcome.TIMEOUT: ("timeout: read 10 s", "timeout: connect"),
    Outcome.REJECTED_SIGNATURE: ("rejected-signature: http 401",),
    Outcome.CANCELLED: ("cancelled: user left", "cancelled: staff"),
}
PROVINCES = ("027", "027", "027", "027", "001", "024", "031", "033", "079")
CAMERA_BACKENDS = (("zxing-cpp", 0.72), ("wechat", 0.18), ("pyzbar", 0.10))
DECODE_STAGES = (("full-frame", 0.55), ("roi-upscale", 0.25), ("sharpen", 0.12), ("binarize", 0.08))


@dataclass(frozen=True)
class SimulationConfig:
    days: int = 30
    kiosks: int = 3
    attempts_per_day: int = 300  # per kiosk on a normal weekday
    seed: int = 0
    end: date | None = None  # last simulated day (local); default: yesterday (the last complete day)
    facility_code: str = "27001"
    kiosk_ids: tuple[str, ...] = ()  # the kiosks' ids (default kiosk-01, kiosk-02, ...); sets ``kiosks``

    def __post_init__(self) -> None:
        if self.kiosk_ids:
            if len(set(self.kiosk_ids)) != len(self.kiosk_ids) or not all(self.kiosk_ids):
                raise ValueError("kiosk ids must be distinct and non-empty")
            object.__setattr__(self, "kiosks", len(self.kiosk_ids))
        if self.days < 1 or self.kiosks < 1:
            raise ValueError("days and kiosks must be at least 1")
        if self.attempts_per_day < 0:
            raise ValueError("attempts_per_day must be >= 0")

    @property
    def last_day(self) -> date:
        return self.end if self.end is not None else datetime.now(VIETNAM_TZ).date() - timedelta(days=1)

    def expected_attempts(self) -> int:
        """Rough count (weekday factors included), for progress and bulk-mode decisions."""
        return int(self.days * self.kiosks * self.attempts_per_day * (5 + 0.4 + 0.05) / 7)


T = TypeVar("T")


class _Weighted(Generic[T]):
    """Picks one of ``shares``' keys with probability proportional to its value (one ``rng.random()`` per pick)."""

    def __init__(self, shares: dict[T, float]) -> None:
        self.values = list(shares)
        self.cum = list(itertools.accumulate(shares.values()))

    def pick(self, rng: random.Random) -> T:
        return rng.choices(self.values, cum_weights=self.cum)[0]


_BACKENDS = _Weighted(dict(CAMERA_BACKENDS))
_DECODE_STAGES = _Weighted(dict(DECODE_STAGES))


@functools.lru_cache(maxsize=1)  # attempts come day by day
def _midnight_utc(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=VIETNAM_TZ).astimezone(UTC)


_CODES_BY_OUTCOME = {o: tuple(c for c in RESULT_CODES if outcome_for_result_code(c) is o) for o in Outcome}


class Simulator:
    def __init__(self, config: SimulationConfig) -> None:
        self.config = config
        self.rng = random.Random(config.seed)
        secret = hashlib.sha256(f"bhyt-kiosk simulation {config.seed}".encode()).digest()
        self.hasher = PersonHasher(secret, cost=2)  # synthetic people: the slow hash would take hours
        self.normal = _Weighted(NORMAL_OUTCOMES)
        self.outage = _Weighted(OUTAGE_OUTCOMES)
        self.bad_camera = _Weighted(BAD_CAMERA_OUTCOMES)
        self.kiosk_ids = list(config.kiosk_ids) or [f"kiosk-{i + 1:02d}" for i in range(config.kiosks)]
        self.visitors: list[tuple[str, str]] = []  # (hash, masked) of people seen so far
        first = config.last_day - timedelta(days=config.days - 1)
        self.days = [first + timedelta(days=i) for i in range(config.days)]
        weekdays = [d for d in self.days if d.weekday() < 5]
        self.outage_day = self.rng.choice(weekdays) if config.days >= 7 and weekdays else None
        self.bad_camera_day = self.rng.choice(weekdays) if config.days >= 7 and weekdays else None
        self.bad_camera_kiosk = self.rng.choice(self.kiosk_ids)

    def person(self) -> tuple[str, str]:
        rng = self.rng
        if self.visitors and rng.random() < 0.12:
            return rng.choice(self.visitors)
        year = rng.randint(1935, 2023)
        century_sex = (year // 100 - 19) * 2 + rng.randint(0, 1)
        number = f"{rng.choice(PROVINCES)}{century_sex}{year % 100:02d}{rng.randint(0, 999_999):06d}"
        who = (self.hasher.hash_id(number), mask_id(number))
        self.visitors.append(who)
        return who

    def day_count(self, day: date) -> int:
        factor = (1.0, 1.0, 1.0, 1.0, 0.95, 0.4, 0.05)[day.weekday()]
        mean = self.config.attempts_per_day * factor * self.rng.uniform(0.85, 1.15)
        return max(0, round(self.rng.gauss(mean, math.sqrt(mean))) if mean > 0 else 0)

    def clock_time(self, day: date) -> tuple[datetime, int]:
        """A start time on ``day`` in clinic hours (UTC) and its local hour."""
        rng = self.rng
        if day.weekday() >= 5 or rng.random() < 0.68:  # morning 7:00-11:30, busiest 7:30-9:30
            minutes = 7 * 60 + rng.triangular(0, 270, 60)
        else:  # afternoon 13:30-17:00
            minutes = 13 * 60 + 30 + rng.triangular(0, 210, 30)
        return _midnight_utc(day) + timedelta(minutes=minutes), int(minutes // 60)

    def attempts(self) -> Iterator[LookupAttempt]:
        for day in self.days:
            batch: list[LookupAttempt] = []
            for kiosk in self.kiosk_ids:
                for _ in range(self.day_count(day)):
                    batch.append(self.attempt(day, kiosk))
            batch.sort(key=lambda a: a.first_seen_at or datetime.min.replace(tzinfo=UTC))
            yield from batch

    def attempt(self, day: date, kiosk: str) -> LookupAttempt:
        rng = self.rng
        cfg = self.config
        t0, local_hour = self.clock_time(day)
        r = rng.random()
        source = InputSource.CAMERA if r < 0.84 else InputSource.USB_SCANNER if r < 0.95 else InputSource.MANUAL
        bad_camera = day == self.bad_camera_day and kiosk == self.bad_camera_kiosk
        if day == self.outage_day and 8 <= local_hour < 12:
            outcome = self.outage.pick(rng)
        elif bad_camera and source is InputSource.CAMERA:
            outcome = self.bad_camera.pick(rng)
        else:
            outcome = self.normal.pick(rng)
        if source is not InputSource.CAMERA and outcome is Outcome.UNREADABLE:
            outcome = Outcome.ELIGIBLE
        a = LookupAttempt(
            attempt_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            kiosk_id=kiosk,
            facility_code=cfg.facility_code,
            source=source,
            app_version=__version__,
            first_seen_at=t0,
        )
        # Reading
        if source is InputSource.CAMERA:
            frames = 1 + int(rng.expovariate(1 / (9.0 if bad_camera else 2.5)))
            a.decoder_backend = _BACKENDS.pick(rng)
            a.decode_stage = _DECODE_STAGES.pick(rng)
            read_ms = frames * 33.3 + rng.lognormvariate(math.log(40), 0.6)
        elif source is InputSource.USB_SCANNER:
            frames = None
            a.decoder_backend = "usb-scanner"
            read_ms = rng.lognormvariate(math.log(180), 0.3)
        else:  # typed at the desk: no read stage; the typing time is in total_ms
            frames = None
            read_ms = None
        if outcome is Outcome.UNREADABLE:
            a.total_ms = rng.lognormvariate(math.log(6_000), 0.5)
            a.error_reason = rng.choice(REASONS[outcome])
            a.stage = Stage.SEEN
            a.outcome = outcome
            return a
        typing_ms = rng.lognormvariate(math.log(25_000), 0.4) if read_ms is None else 0.0
        a.frames_to_read = frames
        a.read_ms = read_ms
        a.read_at = t0 + timedelta(milliseconds=read_ms if read_ms is not None else typing_ms)
        a.stage = Stage.READ
        if outcome is Outcome.NOT_ID_CARD:
            return self._finish(a, outcome, rng.choice(REASONS[outcome]))
        a.validate_ms = rng.lognormvariate(math.log(0.4), 0.5)
        if outcome is Outcome.INVALID_CARD:
            return self._finish(a, outcome, rng.choice(REASONS[outcome]))
        a.stage = Stage.VALIDATED
        a.person_hash, a.masked_id = self.person()
        if outcome is Outcome.CANCELLED and rng.random() < 0.5:
            return self._finish(a, outcome, REASONS[outcome][0])
        a.lookup_sent_at = a.read_at + timedelta(milliseconds=a.validate_ms)
        a.stage = Stage.LOOKUP_SENT
        a.http_attempts = 1
        if outcome is Outcome.TIMEOUT:
            a.http_attempts = rng.choice((1, 1, 2))
            a.lookup_ms = 10_000.0 * a.http_attempts + rng.uniform(0, 50)
            return self._finish(a, outcome, rng.choice(REASONS[outcome]))
        if outcome is Outcome.CANCELLED:
            a.lookup_ms = rng.uniform(500, 4_000)
            return self._finish(a, outcome, REASONS[outcome][1])
        lookup_ms = rng.lognormvariate(math.log(1_400), 0.45)
        reason = None
        if outcome is Outcome.REJECTED_SIGNATURE:  # a 401: no result code
            lookup_ms = rng.lognormvariate(math.log(300), 0.3)
            reason = REASONS[outcome][0]
        else:
            a.result_code = code = rng.choice(_CODES_BY_OUTCOME[outcome])
            if outcome is Outcome.SERVICE_ERROR:
                a.http_attempts = rng.choice((2, 3))
                lookup_ms *= a.http_attempts
                reason = f"service-error: result {code}" if rng.random() < 0.6 else "service-error: http 503"
            elif outcome is Outcome.SETUP_ERROR:
                reason = f"setup-error: result {code}"
            if outcome.definitive:
                a.eligible = outcome.eligible
        a.lookup_ms = lookup_ms
        a.answered_at = a.lookup_sent_at + timedelta(milliseconds=lookup_ms)
        a.stage = Stage.ANSWERED
        return self._finish(a, outcome, reason)

    def _finish(self, a: LookupAttempt, outcome: Outcome, reason: str | None) -> LookupAttempt:
        a.outcome = outcome
        a.error_reason = reason
        assert a.read_at is not None and a.first_seen_at is not None
        before_read = (a.read_at - a.first_seen_at).total_seconds() * 1000
        a.total_ms = before_read + (a.validate_ms or 0.0) + (a.lookup_ms or 0.0) + self.rng.uniform(5, 40)
        return a


def simulate(config: SimulationConfig) -> Iterator[LookupAttempt]:
    """The simulated attempts, in time order (the same config always gives the same attempts)."""
    return Simulator(config).attempts()


def simulated_rows(config: SimulationConfig, chunk: int = 50_000) -> Iterator[list[Row]]:
    """The simulated attempts as lookup-log rows, in lists of ``chunk``."""
    rows: list[Row] = []
    for attempt in simulate(config):
        recorded = attempt.answered_at or attempt.lookup_sent_at or attempt.read_at or attempt.first_seen_at
        assert recorded is not None
        rows.append(attempt_to_row(attempt, recorded_at=recorded + timedelta(milliseconds=30), tz=VIETNAM_TZ))
        if len(rows) >= chunk:
            yield rows
            rows = []
    if rows:
        yield rows


def _produce_rows(config: SimulationConfig, chunk: int, out: Any) -> None:
    """Worker process: generate the rows and hand them over (None at the end, a string on error)."""
    try:
        for rows in simulated_rows(config, chunk):
            out.put(rows)
        out.put(None)
    except BaseException as exc:
        out.put(f"simulation worker failed: {exc!r}")


def _row_chunks(config: SimulationConfig, chunk: int, parallel: bool) -> Iterator[list[Row]]:
    if not parallel:
        yield from simulated_rows(config, chunk)
        return
    # Generating attempts is pure Python; a second process generates while this one inserts.
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue(maxsize=4)
    worker = ctx.Process(target=_produce_rows, args=(config, chunk, out), name="simulate-rows", daemon=True)
    worker.start()
    try:
        while True:
            try:
                item = out.get(timeout=1.0)
            except queue.Empty:
                if not worker.is_alive():
                    raise RuntimeError(f"simulation worker stopped (exit code {worker.exitcode})") from None
                continue
            if item is None:
                return
            if isinstance(item, str):
                raise RuntimeError(item)
            yield item
    finally:
        if worker.is_alive():
            worker.terminate()
        worker.join()
        out.close()
        out.join_thread()


def write_simulation(
    path: Path,
    config: SimulationConfig,
    *,
    progress: Callable[[int], None] | None = None,
    chunk: int = 20_000,
    parallel: bool | None = None,
) -> int:
    """Bulk-insert a simulated history into the lookup log at ``path`` (created if needed). Returns rows inserted.

    The bulk load runs with ``synchronous=OFF`` and, for large histories, rebuilds the report indexes afterwards
    (and generates the rows in a second process): this is test data, and a crash mid-load only needs a re-run (the
    same seed gives the same attempt ids, which the log ignores when already present).
    """
    expected = config.expected_attempts()
    if parallel is None:
        parallel = expected > PARALLEL_THRESHOLD and (os.cpu_count() or 1) > 1
    conn = connect(Path(path))
    inserted = 0
    try:
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -262144")  # 256 MiB for the index builds
        conn.execute("PRAGMA threads = 2")  # sorter helper threads for CREATE INDEX
        conn.execute("PRAGMA temp_store = MEMORY")
        bulk = expected > BULK_THRESHOLD
        if bulk:
            drop_report_indexes(conn)
        for rows in _row_chunks(config, chunk, parallel):
            inserted += _insert(conn, rows)
            if progress is not None:
                progress(inserted)
        if bulk:
            with immediate_transaction(conn):
                create_report_indexes(conn)
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return inserted


def _insert(conn: sqlite3.Connection, rows: list[Row]) -> int:
    if not rows:
        return 0
    before = conn.total_changes
    with immediate_transaction(conn):
        conn.executemany(INSERT_SQL, rows)
    return conn.total_changes - before
