"""The lookup log: recording, durability (SIGKILL), migrations, retention, reader, privacy."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from kiosk.attempts import InputSource, LookupAttempt, Stage
from kiosk.log import schema
from kiosk.lookup_log import SCHEMA_VERSION, LogError, LogFilter, LogReader, LookupLog, migrate_log, schema_version
from kiosk.outcomes import Outcome
from kiosk.privacy import PersonHasher, load_or_create_secret, mask_id

T0 = datetime(2025, 3, 3, 1, 30, tzinfo=UTC)  # 08:30 in Vietnam, a Monday
VN = timezone(timedelta(hours=7))
ROOT = Path(__file__).resolve().parents[1]


def make_attempt(
    outcome: Outcome = Outcome.ELIGIBLE, *, at: datetime = T0, kiosk: str = "kiosk-01", **fields: object
) -> LookupAttempt:
    a = LookupAttempt.start(kiosk_id=kiosk, facility_code="27001", source=InputSource.CAMERA, now=at)
    a.outcome = outcome
    a.stage = Stage.ANSWERED if outcome.lookup_sent else Stage.READ
    if outcome.lookup_sent:
        a.lookup_sent_at = at + timedelta(seconds=1)
    for name, value in fields.items():
        setattr(a, name, value)
    return a


def full_attempt() -> LookupAttempt:
    hasher = PersonHasher(b"k" * 32)
    return LookupAttempt(
        attempt_id="0b6e7c1e-5d0c-4a43-9d43-6a1f4b1c2d3e",
        kiosk_id="kiosk-07",
        facility_code="27001",
        source=InputSource.USB_SCANNER,
        app_version="9.8.7",
        first_seen_at=datetime(2025, 1, 2, 3, 4, 5, 678901, tzinfo=UTC),
        read_at=datetime(2025, 1, 2, 3, 4, 6, 1, tzinfo=UTC),
        lookup_sent_at=datetime(2025, 1, 2, 3, 4, 6, 2, tzinfo=UTC),
        answered_at=datetime(2025, 1, 2, 3, 4, 7, 999999, tzinfo=UTC),
        stage=Stage.ANSWERED,
        outcome=Outcome.ELIGIBLE_WITH_WARNING,
        result_code="001",
        eligible=True,
        decoder_backend="zxing-cpp",
        decode_stage="roi-upscale",
        frames_to_read=7,
        read_ms=323.125,
        validate_ms=0.4375,
        lookup_ms=1997.5,
        total_ms=2321.0625,
        http_attempts=2,
        error_reason="warning: check ID papers",
        person_hash=hasher.hash_id("001098012345"),
        masked_id=mask_id("001098012345"),
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "lookups.db"


def test_record_flush_close(db: Path) -> None:
    log = LookupLog(db)
    ids = []
    for i in range(25):
        a = make_attempt(at=T0 + timedelta(minutes=i))
        ids.append(a.attempt_id)
        log.record(a)
    assert log.flush(timeout=10)
    stats = log.stats()
    assert (stats.committed, stats.pending, stats.dropped, stats.failed) == (25, 0, 0, 0)
    log.close()
    log.close()  # idempotent
    with LogReader(db) as reader:
        assert reader.count() == 25
        assert sorted(a.attempt_id for a in reader.query()) == sorted(ids)
    assert not any(t.name == "lookup-log-writer" for t in threading.enumerate())


def test_record_after_close_is_counted_not_lost_silently(db: Path) -> None:
    errors: list[str] = []
    log = LookupLog(db, on_error=errors.append)
    log.close()
    log.record(make_attempt())
    assert log.stats().dropped == 1
    assert errors and "closed" in errors[-1]


def test_every_field_round_trips(db: Path) -> None:
    full = full_attempt()
    empty = LookupAttempt(
        attempt_id="e0000000-0000-4000-8000-000000000000",
        kiosk_id="k",
        facility_code="27001",
        source=InputSource.MANUAL,
        read_at=datetime(2025, 1, 2, tzinfo=UTC),
    )
    with LookupLog(db) as log:
        log.record(full)
        log.record(empty)
    with LogReader(db) as reader:
        back = {a.attempt_id: a for a in reader.query()}
    assert back[full.attempt_id] == replace(full, masked_id=None)  # checked, never stored (kiosk.privacy)
    assert back[empty.attempt_id] == empty
    assert isinstance(back[full.attempt_id].outcome, Outcome)
    assert isinstance(back[full.attempt_id].source, InputSource)


def test_duplicate_attempt_ids_are_ignored(db: Path) -> None:
    a = make_attempt()
    with LookupLog(db) as log:
        log.record(a)
        log.record(a)
        assert log.flush(10)
        assert log.stats().duplicates == 1
    with LogReader(db) as reader:
        assert reader.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("person_hash", "001098012345", "hex"),
        ("masked_id", "001098012345", "4 digits"),
        ("first_seen_at", datetime(2025, 1, 1), "timezone-aware"),
        ("read_ms", -1.0, "non-negative"),
        ("frames_to_read", "3", "integer"),
        ("kiosk_id", "", "non-empty"),
        ("outcome", "great", "Outcome"),
    ],
)
def test_malformed_attempts_are_refused_at_record(db: Path, field: str, value: object, message: str) -> None:
    a = make_attempt()
    setattr(a, field, value)
    with LookupLog(db) as log:
        with pytest.raises((ValueError, TypeError), match=message):
            log.record(a)
        assert log.stats().enqueued == 0


@pytest.fixture
def sizes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The size of every batch the writer commits (one transaction each)."""
    committed: list[int] = []
    original = LookupLog._insert

    def spy(self: LookupLog, batch: list[tuple[object, ...]]) -> int:
        committed.append(len(batch))
        return original(self, batch)

    monkeypatch.setattr(LookupLog, "_insert", spy)
    return committed


def test_one_commit_per_attempt_when_not_batching(db: Path, sizes: list[int]) -> None:
    with LookupLog(db, max_batch=1) as log:
        for i in range(40):
            log.record(make_attempt(at=T0 + timedelta(seconds=i)))
    assert sizes == [1] * 40


def test_locked_database_is_retried_reported_and_backlog_batched(db: Path, sizes: list[int]) -> None:
    errors: list[str] = []
    log = LookupLog(db, busy_timeout=0.05, max_batch=16, queue_bound=30, on_error=errors.append)
    log.record(make_attempt())
    assert log.flush(10)
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        for i in range(60):
            log.record(make_attempt(at=T0 + timedelta(seconds=i)))
        assert not log.flush(timeout=0.3)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert log.flush(timeout=20)
    stats = log.stats()
    log.close()
    assert stats.retries >= 1
    assert any("locked" in e for e in errors)
    assert stats.dropped > 0  # the queue bound (30) was hit while blocked: counted, reported
    assert stats.committed + stats.dropped == 61
    assert max(sizes) > 1  # the backlog was committed in groups
    with LogReader(db) as reader:
        assert reader.count() == stats.committed


CHILD = textwrap.dedent(
    """
    import sys, time
    from datetime import UTC, datetime
    from pathlib import Path
    from kiosk.attempts import InputSource, LookupAttempt
    from kiosk.lookup_log import LookupLog
    from kiosk.outcomes import Outcome

    log = LookupLog(Path(sys.argv[1]), max_batch=1)
    i = 0
    while True:
        pending = []
        for _ in range(5):
            a = LookupAttempt.start(kiosk_id="kiosk-01", facility_code="27001", source=InputSource.CAMERA)
            a.outcome = Outcome.ELIGIBLE
            a.total_ms = float(i)
            i += 1
            log.record(a)
            pending.append(a.attempt_id)
        log.flush()
        for attempt_id in pending:
            print(attempt_id, flush=True)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_loses_nothing_committed(db: Path, tmp_path: Path) -> None:
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, str(script), str(db)], stdout=subprocess.PIPE, text=True, env=env, cwd=tmp_path
    )
    committed: list[str] = []
    try:
        assert proc.stdout is not None
        while len(committed) < 300:
            line = proc.stdout.readline()
            if not line:
                break
            committed.append(line.strip())
        os.kill(proc.pid, signal.SIGKILL)  # mid-stream: the child keeps recording until killed
        rest, _ = proc.communicate(timeout=30)
        committed += [x for x in rest.split() if x]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert len(committed) >= 300
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        present = {r[0] for r in conn.execute("SELECT attempt_id FROM attempts")}
    finally:
        conn.close()
    assert set(committed) <= present


def _make_v1_db(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    schema.MIGRATIONS[0](conn, 0)
    conn.execute("PRAGMA user_version = 1")
    cols = (
        "attempt_id, kiosk_id, facility_code, source, app_version, first_seen_at, lookup_sent_at, stage, outcome, "
        "total_ms, started_at, recorded_at"
    )
    start = schema.to_us(datetime(2025, 2, 3, 23, 30, tzinfo=UTC), "t")
    conn.execute(
        f"INSERT INTO attempts ({cols}) VALUES ('old-1', 'kiosk-01', '27001', 'camera', '0.0.1', ?, ?, "
        "'answered', 'eligible', 1500.0, ?, ?)",
        (start, start + 1_000_000, start, start + 2_000_000),
    )
    conn.execute(
        f"INSERT INTO attempts ({cols}) VALUES ('old-2', 'kiosk-01', '27001', 'camera', '0.0.1', ?, NULL, "
        "'seen', 'unreadable', 6000.0, ?, ?)",
        (start, start, start),
    )
    conn.close()


def test_migrates_a_v1_database(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _make_v1_db(db)
    with pytest.raises(LogError, match="older"):
        LogReader(db)
    monkeypatch.setattr(schema, "local_offset_minutes", lambda: 7 * 60)
    with LookupLog(db, clock=lambda: datetime(2025, 3, 5, tzinfo=UTC)) as log:
        log.record(make_attempt())
    conn = sqlite3.connect(db)
    try:
        assert schema_version(conn) == SCHEMA_VERSION
        rows = dict(conn.execute("SELECT attempt_id, lookup_sent FROM attempts").fetchall())
        day, hour = conn.execute("SELECT day, hour FROM attempts WHERE attempt_id = 'old-1'").fetchone()
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    finally:
        conn.close()
    assert rows["old-1"] == 1 and rows["old-2"] == 0
    assert (day, hour) == ((date(2025, 2, 4) - date(1970, 1, 1)).days, 6)  # 23:30 UTC = 06:30 next day, UTC+7
    assert set(schema.REPORT_INDEXES) <= indexes
    with LogReader(db) as reader:
        assert reader.count() == 3
        assert reader.headline().lookups == 2


def test_migrate_log_reports_versions(db: Path) -> None:
    _make_v1_db(db)
    assert migrate_log(db) == (1, SCHEMA_VERSION)
    assert migrate_log(db) == (SCHEMA_VERSION, SCHEMA_VERSION)


def test_newer_schema_is_refused(db: Path) -> None:
    LookupLog(db).close()
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(LogError, match="newer"):
        LookupLog(db)
    with pytest.raises(LogError, match="newer"):
        LogReader(db)


def test_prune_deletes_only_attempts_past_retention(db: Path) -> None:
    now = datetime(2025, 6, 1, tzinfo=UTC)
    with LookupLog(db, retention_days=30, clock=lambda: now) as log:
        for i in range(10):
            log.record(make_attempt(at=now - timedelta(days=60, minutes=i)))  # old
        for i in range(7):
            log.record(make_attempt(at=now - timedelta(days=10, minutes=i)))  # kept
        assert log.flush(10)
        assert log.prune(now) == 10
        assert log.prune(now) == 0
    with LogReader(db) as reader:
        assert reader.count() == 7


def test_prune_runs_at_open(db: Path) -> None:
    now = datetime(2025, 6, 1, tzinfo=UTC)
    with LookupLog(db, retention_days=400, clock=lambda: now) as log:
        log.record(make_attempt(at=now - timedelta(days=100)))
        log.record(make_attempt(at=now - timedelta(days=1)))
    with LookupLog(db, retention_days=30, clock=lambda: now) as log:
        log.record(make_attempt(at=now))
        assert log.flush(10)  # the writer prunes before it writes anything
    with LogReader(db) as reader:
        assert reader.count() == 2


def test_prune_is_chunked_and_safe_while_recording(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk.log import writer

    monkeypatch.setattr(writer, "PRUNE_CHUNK", 7)
    now = datetime(2025, 6, 1, tzinfo=UTC)
    with LookupLog(db, retention_days=30, clock=lambda: now) as log:
        for i in range(50):
            log.record(make_attempt(at=now - timedelta(days=90, seconds=i)))
        log.record(make_attempt(at=now))  # the newest row is never pruned (row ids must not be reused)
        assert log.flush(10)
        done = threading.Event()

        def keep_recording() -> None:
            i = 0
            while not done.is_set():
                log.record(make_attempt(at=now - timedelta(seconds=i)))
                i += 1
                time.sleep(0.001)

        t = threading.Thread(target=keep_recording)
        t.start()
        try:
            removed = log.prune(now)
        finally:
            done.set()
            t.join()
        assert removed == 50
        assert log.flush(10)
        recent = log.stats().committed - 50
    with LogReader(db) as reader:
        assert reader.count() == recent


def test_reader_errors_are_clear(tmp_path: Path) -> None:
    with pytest.raises(LogError, match="no lookup log"):
        LogReader(tmp_path / "missing.db")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(LogError):
        LogReader(junk)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE x (a)").connection.close()
    with pytest.raises(LogError, match="not a lookup log"):
        LogReader(other)
    with pytest.raises(LogError):
        LookupLog(junk)


def test_reader_on_a_copied_read_only_database(db: Path, tmp_path: Path) -> None:
    with LookupLog(db) as log:
        for i in range(5):
            log.record(make_attempt(at=T0 + timedelta(minutes=i)))
    copy_dir = tmp_path / "from-other-kiosk"
    copy_dir.mkdir()
    shutil.copy(db, copy_dir / "lookups.db")
    (copy_dir / "lookups.db").chmod(0o444)
    with LogReader(copy_dir / "lookups.db") as reader:
        assert reader.count() == 5
        page = reader.attempts(limit=2, offset=1, descending=False)
        assert [a.first_seen_at for a in page] == [T0 + timedelta(minutes=1), T0 + timedelta(minutes=2)]
        with pytest.raises(ValueError, match="order by"):
            reader.attempts(order_by="person_hash")


def test_filters_select_attempts(db: Path) -> None:
    with LookupLog(db, tz=VN) as log:
        log.record(make_attempt(Outcome.ELIGIBLE, at=datetime(2025, 3, 2, 17, 30, tzinfo=UTC)))  # 3 Mar 00:30 VN
        log.record(make_attempt(Outcome.TIMEOUT, at=datetime(2025, 3, 3, 16, 59, tzinfo=UTC), kiosk="kiosk-02"))
        log.record(make_attempt(Outcome.UNREADABLE, at=datetime(2025, 3, 3, 17, 0, tzinfo=UTC)))  # 4 Mar VN
    with LogReader(db) as reader:
        assert reader.count(LogFilter(since=date(2025, 3, 3), until=date(2025, 3, 3))) == 2
        assert reader.count(LogFilter(since=date(2025, 3, 4))) == 1
        assert reader.count(LogFilter(kiosks=("kiosk-02",))) == 1
        assert reader.count(LogFilter(outcomes=(Outcome.ELIGIBLE, Outcome.UNREADABLE))) == 2
        assert reader.count(LogFilter(sources=(InputSource.MANUAL,))) == 0
        assert reader.count(LogFilter(start=datetime(2025, 3, 3, tzinfo=UTC))) == 2
    with pytest.raises(ValueError, match="after it ends"):
        LogFilter(since=date(2025, 3, 4), until=date(2025, 3, 3))


def test_secret_is_private_and_stable(tmp_path: Path) -> None:
    path = tmp_path / "data" / "log-secret.key"
    first = load_or_create_secret(path)
    assert len(first) == 32 and load_or_create_secret(path) == first
    if sys.platform != "win32":
        assert path.stat().st_mode & 0o777 == 0o600
    hasher = PersonHasher(first)
    assert hasher.hash_id("001098012345") == hasher.hash_id(" 001098012345 ")
    assert hasher.hash_id("001098012345") != PersonHasher(os.urandom(32)).hash_id("001098012345")
    assert mask_id("027195001234") == "••••••••1234"
    with pytest.raises(ValueError):
        hasher.hash_id("NGUYỄN VĂN A")
    path.write_bytes(b"short")
    with pytest.raises(ValueError, match="32-byte"):
        load_or_create_secret(path)


PEOPLE = [
    ("001098012345", "NGUYỄN VĂN A"),
    ("027195001234", "Nguyễn Thị Minh Châu"),
    ("031089004321", "Lê Việt Hưng"),
]


def test_no_id_number_or_name_in_the_database_files(db: Path, tmp_path: Path) -> None:
    hasher = PersonHasher(load_or_create_secret(tmp_path / "secret.key"))
    log = LookupLog(db)
    for number, _name in PEOPLE * 3:
        a = make_attempt(person_hash=hasher.hash_id(number), masked_id=mask_id(number))
        log.record(a)
    careless = make_attempt(Outcome.INVALID_CARD, error_reason=f"invalid-card: birth-date in {PEOPLE[1][0]}|x" * 20)
    log.record(careless)  # a reason that quotes a number: masked, and shortened
    assert log.flush(10)
    files = [p for p in db.parent.iterdir() if p.name.startswith(db.name)]
    assert any(p.name.endswith("-wal") for p in files)  # looked at before the checkpoint too
    blobs = [p.read_bytes() for p in files]
    log.close()
    blobs += [p.read_bytes() for p in db.parent.iterdir() if p.name.startswith(db.name)]
    for number, name in PEOPLE:
        for blob in blobs:
            assert number.encode() not in blob
            assert number[:8].encode() not in blob
            for form in (name, name.upper(), name.lower()):
                assert form.encode("utf-8") not in blob
                assert form.encode("utf-16-le") not in blob
    with LogReader(db) as reader:
        assert reader.repeat_visitors().repeat_people == 3
        reason = reader.attempts(LogFilter(outcomes=(Outcome.INVALID_CARD,)))[0].error_reason
    assert reason is not None and reason.startswith("invalid-card: birth-date in ••••••••1234|x")
    assert len(reason) == 200 and reason.endswith("…")


def test_a_large_prune_backlog_does_not_hold_up_recording(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk.log import writer

    now = datetime(2025, 6, 1, tzinfo=UTC)
    with LookupLog(db, clock=lambda: now) as log:
        for i in range(60):
            log.record(make_attempt(at=now - timedelta(days=200, seconds=i)))
    monkeypatch.setattr(writer, "PRUNE_CHUNK", 4)
    turns: list[str] = []
    original_prune, original_insert = writer.prune_connection, LookupLog._insert

    recorded = threading.Event()  # no chunk runs before the new attempt is queued (a loaded machine may
    # otherwise let the writer prune the whole backlog before this thread gets to record())

    def prune_spy(*args: object, **kwargs: object) -> tuple[int, bool]:
        recorded.wait(10)
        turns.append("prune")
        return original_prune(*args, **kwargs)  # type: ignore[arg-type]

    def insert_spy(self: LookupLog, batch: list[tuple[object, ...]]) -> int:
        turns.append("insert")
        return original_insert(self, batch)

    monkeypatch.setattr(writer, "prune_connection", prune_spy)
    monkeypatch.setattr(LookupLog, "_insert", insert_spy)
    with LookupLog(db, retention_days=100, clock=lambda: now) as log:
        log.record(make_attempt(at=now))
        recorded.set()
        assert log.flush(10)
        deadline = time.monotonic() + 20
        while True:  # the rest of the backlog goes chunk by chunk
            with LogReader(db) as reader:
                if reader.count() == 1:
                    break
            assert time.monotonic() < deadline, "pruning did not finish"
            time.sleep(0.01)
    assert turns.index("insert") <= 2  # written between prune chunks, not after all 15 of them
    assert turns.count("prune") >= 15
