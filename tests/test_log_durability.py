"""The lookup log on a failing disk: damaged pages, a read-only file, a full disk; receipts mean committed.

The full disk is a real one when the tests run as root (a tiny tmpfs mounted for the test); otherwise SQLite's
``max_page_count`` caps the writer's database file instead (the same SQLITE_FULL error the writer sees).
The read-only file is a real one: mode 0444 for an ordinary user; for root (who may write any file) a tmpfs
remounted read-only.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.attempts import InputSource, LookupAttempt, Stage
from kiosk.cli import main
from kiosk.log.health import damaged_copies
from kiosk.lookup_log import LogReader, LookupLog
from kiosk.outcomes import Outcome

T0 = datetime.now(UTC) - timedelta(hours=1)  # within the retention period: nothing is pruned


def attempt(i: int = 0) -> LookupAttempt:
    return LookupAttempt(attempt_id=str(uuid.uuid4()), kiosk_id="kiosk-01", facility_code="27001",
                         source=InputSource.CAMERA, first_seen_at=T0 + timedelta(seconds=i), stage=Stage.ANSWERED,
                         outcome=Outcome.ELIGIBLE, result_code="000", eligible=True, total_ms=812.0)


def fill(path: Path, n: int) -> list[str]:
    with LookupLog(path) as log:
        items = [attempt(i) for i in range(n)]
        for a in items:
            log.record(a)
    return [a.attempt_id for a in items]


def damage_an_index(path: Path) -> None:
    """Overwrite the root page of one report index with garbage (the table itself stays readable)."""
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'ix_attempts_outcome'").fetchone()[0]
    conn.close()
    with open(path, "r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(b"\xa5" * page_size)


# --------------------------------------------------------------------------------------------- damaged file


def test_a_damaged_log_is_set_aside_and_a_fresh_one_records(tmp_path: Path) -> None:
    db = tmp_path / "lookups.db"
    fill(db, 300)
    damage_an_index(db)
    errors: list[str] = []
    with LookupLog(db, on_error=errors.append) as log:
        assert len(log.notices) == 1 and "damaged" in log.notices[0] and "kept for IT" in log.notices[0]
        receipts = [log.record(attempt(i)) for i in range(5)]
        assert all(r.wait(10) for r in receipts)
        assert log.stats().failed == 0 and log.problem is None
    (aside,) = damaged_copies(db)
    assert aside.name.startswith("lookups.damaged-") and aside.suffix == ".db"
    with LogReader(db) as reader:
        assert reader.count() == 5 and reader.integrity_problem() is None
    with LogReader(aside) as reader:
        assert reader.integrity_problem() is not None  # kept as it was, for IT


def test_a_damaged_log_that_cannot_be_moved_aside_keeps_attempts_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows refuses to rename a file another process holds open (a report reading the damaged log): the kiosk
    must start and keep its attempts, not crash or drop them."""
    from kiosk.log import writer

    db = tmp_path / "lookups.db"
    fill(db, 300)
    damage_an_index(db)

    def sharing_violation(path: Path) -> Path:
        raise PermissionError(errno.EACCES, "The process cannot access the file (used by another process)",
                              str(path))

    monkeypatch.setattr(writer, "set_aside", sharing_violation)
    errors: list[str] = []
    log = LookupLog(db, on_error=errors.append)
    try:
        assert log.problem is not None
        receipt = log.record(attempt(0))
        assert not receipt.wait(0.3)  # kept in memory, not failed
        assert log.stats().failed == 0 and log.stats().pending == 1
        monkeypatch.undo()  # the other process let go of the file
        assert receipt.wait(20) and log.stats().failed == 0
    finally:
        log.close()
    with LogReader(db) as reader:
        assert reader.count() == 1


def test_report_says_the_file_is_damaged(tmp_path: Path) -> None:
    db = tmp_path / "lookups.db"
    fill(db, 300)
    damage_an_index(db)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["report", "--db", str(db), "--format", "json"])
    assert status in (1, 2)  # 1: figures printed with the warning; 2: the damage stopped the report
    assert "is damaged" in err.getvalue() and "quick_check" in err.getvalue(), err.getvalue()


def test_junk_is_not_set_aside(tmp_path: Path) -> None:
    junk = tmp_path / "notes.db"
    junk.write_bytes(b"not a database" * 100)
    with pytest.raises(Exception, match="not a usable lookup log"):
        LookupLog(junk)
    assert junk.exists() and damaged_copies(junk) == []


# --------------------------------------------------------------------------------------------- read-only file


def _mount_tmpfs(where: Path, size: str) -> bool:
    if os.name != "posix" or os.geteuid() != 0:
        return False
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True)
    return done.returncode == 0


def _umount(where: Path) -> None:
    subprocess.run(["umount", "-l", str(where)], capture_output=True)


@pytest.fixture
def read_only_log(tmp_path: Path) -> Iterator[Path]:
    """A lookup log with attempts in it that this process cannot write."""
    if os.name == "posix" and os.geteuid() == 0:
        mnt = tmp_path / "ro"
        if not _mount_tmpfs(mnt, "4m"):
            pytest.skip("root, but cannot mount a tmpfs to make a read-only file")
        try:
            fill(mnt / "lookups.db", 3)
            subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
            yield mnt / "lookups.db"
        finally:
            _umount(mnt)
    else:
        db = tmp_path / "lookups.db"
        fill(db, 3)
        db.chmod(0o444)
        yield db


def test_a_read_only_log_is_found_at_start(read_only_log: Path) -> None:
    errors: list[str] = []
    log = LookupLog(read_only_log, on_error=errors.append)
    try:
        assert log.problem is not None and "read-only" in log.problem
        receipt = log.record(attempt())
        assert receipt.committed is None  # kept in memory, not lost and not reported as recorded
        assert log.stats().pending == 1
    finally:
        log.close(timeout=0.5)
    assert receipt.committed is False and log.stats().failed == 1  # counted when the app gives up


def test_scan_refuses_to_start_on_a_read_only_log(read_only_log: Path, tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["keys", "new", "--kiosk-id", "k1", "--out", str(keys)]) == 0
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = main(["scan", "--source", str(keys), "--db", str(read_only_log), "--service", "http://127.0.0.1:9/",
                       "--service-key", str(keys / "k1.pub.pem"), "--key", str(keys / "k1.key.pem"),
                       "--kiosk-id", "k1", "--facility", "27001", "--operator-id", "001098012345",
                       "--operator-name", "Trần Văn Bình"])
    assert status == 2 and "read-only" in err.getvalue(), err.getvalue()


# --------------------------------------------------------------------------------------------- full disk


class FullDisk:
    """A folder whose file system is full: a real tmpfs (root), else SQLite's page cap on the writer's file."""

    def __init__(self, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.folder = folder
        self.real = _mount_tmpfs(folder, "2m")
        self.filler = folder / "filler.bin"
        self._cap: int | None = None
        if not self.real:
            folder.mkdir(parents=True, exist_ok=True)
            real_connect = sqlite3.connect

            def capped(*args: object, **kw: object) -> sqlite3.Connection:
                conn = real_connect(*args, **kw)  # type: ignore[arg-type]
                if self._cap is not None:
                    conn.execute(f"PRAGMA max_page_count = {self._cap}")
                return conn

            monkeypatch.setattr(sqlite3, "connect", capped)

    def fill_up(self) -> None:
        if self.real:
            with open(self.filler, "wb") as fh, contextlib.suppress(OSError):
                while True:
                    fh.write(b"\0" * 65536)
                    fh.flush()
        else:
            self._cap = 1

    def free(self) -> None:
        if self.real:
            self.filler.unlink()
        else:
            self._cap = None

    def close(self) -> None:
        if self.real:
            _umount(self.folder)


@pytest.fixture
def full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FullDisk]:
    disk = FullDisk(tmp_path / "small-disk", monkeypatch)
    try:
        yield disk
    finally:
        disk.close()


def test_a_full_disk_at_start_is_said_and_attempts_wait_in_memory(full_disk: FullDisk) -> None:
    db = full_disk.folder / "lookups.db"
    full_disk.fill_up()
    errors: list[str] = []
    log = LookupLog(db, on_error=errors.append)
    try:
        assert log.problem is not None and "disk is full" in log.problem, log.problem
        assert "no transaction is active" not in log.problem
        receipts = [log.record(attempt(i)) for i in range(20)]
        assert not any(r.wait(0.3) for r in receipts)  # not committed, not reported as recorded
        full_disk.free()
        assert all(r.wait(15) for r in receipts)  # written once space returns, nothing lost
        assert log.problem is None and any("writing again" in e for e in errors)
    finally:
        log.close()
    with LogReader(db) as reader:
        assert reader.count() == 20


def test_a_disk_that_fills_while_running_loses_nothing(full_disk: FullDisk) -> None:
    if not full_disk.real:
        pytest.skip("needs a real small file system (root and tmpfs)")
    db = full_disk.folder / "lookups.db"
    errors: list[str] = []
    log = LookupLog(db, on_error=errors.append)
    try:
        assert log.record(attempt(0)).wait(10)
        full_disk.fill_up()
        receipts = [log.record(attempt(i)) for i in range(1, 400)]
        deadline = 50
        while log.problem is None and deadline:
            receipts[-1].wait(0.1)
            deadline -= 1
        assert log.problem is not None and "disk is full" in log.problem
        full_disk.free()
        assert all(r.wait(15) for r in receipts)
    finally:
        log.close()
    with LogReader(db) as reader:
        assert reader.count() == 400
    assert not any("no transaction is active" in e for e in errors)


# --------------------------------------------------------------------------------------------- kill test


@pytest.mark.slow
def test_printed_attempts_survive_sigkill() -> None:
    """bench/bench_log_kill.py, a few runs: every line ``scan --json`` printed is in the database after SIGKILL."""
    if os.name != "posix":
        pytest.skip("SIGKILL is POSIX")
    bench = Path(__file__).resolve().parents[1] / "bench" / "bench_log_kill.py"
    done = subprocess.run([sys.executable, str(bench), "--runs", "4"], capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "lost 0 of" in done.stdout


def test_the_app_tells_staff_at_start(tmp_path: Path) -> None:
    """The pipeline (what the app runs) turns the log's start-up notices into ERROR events for the status line."""
    from kiosk.config import KioskConfig
    from kiosk.pipeline import EventKind, KioskPipeline
    from kiosk.privacy import PersonHasher

    db = tmp_path / "lookups.db"
    fill(db, 300)
    damage_an_index(db)
    pipeline = KioskPipeline(config=KioskConfig(log_db=db), hasher=PersonHasher(b"s" * 32, cost=2))
    errors: list[str] = []
    pipeline.add_listener(lambda e: errors.append(e.error or "") if e.kind is EventKind.ERROR else None)
    pipeline.start()
    pipeline.stop()
    assert any("was damaged" in e and "kept for IT" in e for e in errors), errors
