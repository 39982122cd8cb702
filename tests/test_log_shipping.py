"""The app's background log shipping (collector_url set): real LookupLog, real collector (SQLite store), real HTTP."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from endless_answer import EndlessAnswer, served

from kiosk.attempts import InputSource, LookupAttempt, Stage
from kiosk.central.collector import RunningCollector, build_collector_state
from kiosk.config import KioskConfig
from kiosk.log_shipping import ShippingSetupError, shipper_from_config, start_log_shipping
from kiosk.lookup_log import LogReader, LookupLog
from kiosk.outcomes import Outcome
from kiosk.signing.keys import generate_private_key, load_private_key, save_private_key, save_public_key


def attempt(n: int, kiosk_id: str) -> LookupAttempt:
    a = LookupAttempt.start(kiosk_id=kiosk_id, facility_code="27001", source=InputSource.CAMERA)
    a.read_at = a.first_seen_at + timedelta(milliseconds=300)  # type: ignore[operator]
    a.stage = Stage.ANSWERED
    a.outcome = Outcome.ELIGIBLE if n % 4 else Outcome.TIMEOUT
    a.total_ms = 1200.0 + n
    return a


def trusted_kiosk(tmp_path: Path) -> Path:
    """Kiosk bn-001's key at ``kiosk.pem``, trusted by a collector whose keys folder is returned."""
    keys = tmp_path / "collector"
    (keys / "trusted").mkdir(parents=True)
    kiosk_key = generate_private_key()
    save_private_key(kiosk_key, tmp_path / "kiosk.pem")
    save_public_key(kiosk_key.public_key(), keys / "trusted" / "bn-001.pem")
    return keys


def test_app_ships_in_the_background_and_stops_cleanly(tmp_path: Path) -> None:
    keys = trusted_kiosk(tmp_path)
    central = tmp_path / "central.db"
    with RunningCollector(build_collector_state(database=f"sqlite:///{central}", keys_dir=keys)) as collector:
        jwk = httpx.get(collector.url + "/v1/service-key", trust_env=False).text
        config = KioskConfig(
            kiosk_id="bn-001",
            facility_code="27001",
            private_key=tmp_path / "kiosk.pem",
            collector_url=collector.url,
            collector_key=jwk,
            log_db=tmp_path / "kiosk.db",
        )
        with LookupLog(config.effective_log_db) as log:
            shipper = start_log_shipping(config)
            assert shipper is not None
            try:
                recorded_at = []
                for n in range(120):
                    started = time.perf_counter()
                    log.record(attempt(n, "bn-001"))  # the pipeline's call: never waits on the network
                    recorded_at.append(time.perf_counter() - started)
                    if n % 40 == 39:
                        time.sleep(0.3)
                log.flush(10)
                deadline = time.monotonic() + 20
                while time.monotonic() < deadline:
                    backlog = shipper.last_backlog
                    if backlog is not None and backlog.pending == 0 and backlog.acked_id >= 120:
                        break
                    time.sleep(0.1)
                assert shipper.last_backlog is not None and shipper.last_backlog.pending == 0
                assert max(recorded_at) < 0.05
            finally:
                shipper.stop()
        assert not [t for t in threading.enumerate() if t.name in ("log-shipper", "lookup-log-writer")]
    with LogReader(central) as reader:  # the SQLite development store is a lookup log too
        assert reader.count() == 120
        assert reader.headline().attempts == 120


def test_no_collector_no_shipping_and_clear_errors_when_half_set(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert shipper_from_config(KioskConfig()) is None
    half = KioskConfig(collector_url="http://127.0.0.1:9", kiosk_id="bn-001")
    with pytest.raises(ShippingSetupError, match="collector_key, private_key"):
        shipper_from_config(half)
    assert start_log_shipping(half) is None
    assert "collector_url is set but collector_key, private_key is not" in caplog.text


def test_dev_store_counts_duplicates_and_versions(tmp_path: Path) -> None:
    from kiosk.central.store import open_store
    from kiosk.log.schema import attempt_to_row

    now = datetime.now(UTC)
    a = attempt(1, "bn-001")
    rows = [attempt_to_row(a, recorded_at=now)]
    with open_store(tmp_path / "c.db") as store:
        assert store.write_batch("bn-001", rows, backlog=3).stored == 1
        assert store.write_batch("bn-001", rows, backlog=0).unchanged == 1
        a.outcome = Outcome.NOT_FOUND
        later = store.write_batch("bn-001", [attempt_to_row(a, recorded_at=now + timedelta(seconds=5))], backlog=0)
        assert later.updated == 1
    conn = sqlite3.connect(tmp_path / "c.db")  # the collector's kiosks table in the development store
    assert conn.execute("SELECT kiosk_id, batches, received, backlog FROM kiosks").fetchall() == [("bn-001", 3, 3, 0)]
    conn.close()
    with LogReader(tmp_path / "c.db") as reader:
        (stored,) = reader.attempts()
    assert stored.outcome is Outcome.NOT_FOUND


def test_dev_store_refused_batch_leaves_nothing(tmp_path: Path) -> None:
    """A batch the development store refuses half-way (its second row breaks a NOT NULL column) is rolled back whole."""
    from kiosk.central.store import open_store
    from kiosk.log.schema import INSERT_COLUMNS, LogError, attempt_to_row

    now = datetime.now(UTC)
    good = attempt_to_row(attempt(1, "bn-001"), recorded_at=now)
    bad = list(attempt_to_row(attempt(2, "bn-001"), recorded_at=now))
    bad[INSERT_COLUMNS.index("stage")] = None
    with open_store(tmp_path / "c.db") as store:
        with pytest.raises(LogError, match="the central store refused the batch"):
            store.write_batch("bn-001", [good, tuple(bad)], backlog=0)
        assert store.count() == 0
        assert store.write_batch("bn-001", [good], backlog=0).stored == 1  # the store is usable after it


def test_logs_ship_once_and_status_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from kiosk.cli import main

    monkeypatch.setenv("BHYT_KIOSK_HOME", str(tmp_path / "home"))
    keys = tmp_path / "collector"
    (keys / "trusted").mkdir(parents=True)
    key = generate_private_key()
    save_private_key(key, tmp_path / "kiosk.pem")
    db = tmp_path / "kiosk.db"
    with LookupLog(db) as log:
        for n in range(30):
            log.record(attempt(n, "bn-001"))
    with RunningCollector(build_collector_state(database=tmp_path / "central.db", keys_dir=keys)) as collector:
        (tmp_path / "collector.jwk").write_text(httpx.get(collector.url + "/v1/service-key", trust_env=False).text)
        ship = ["logs", "ship", "--db", str(db), "--collector", collector.url, "--collector-key",
                str(tmp_path / "collector.jwk"), "--kiosk-id", "bn-001", "--key", str(tmp_path / "kiosk.pem"), "--once"]
        assert main(ship) == 3  # the collector does not trust this kiosk yet: refused
        assert "unknown-keyid" in capsys.readouterr().err
        save_public_key(key.public_key(), keys / "trusted" / "bn-001.pem")
        assert main(ship) == 0
        assert "shipped 30 attempts" in capsys.readouterr().out
        assert main(["logs", "status", "--db", str(db), "--collector", collector.url, "--kiosk-id", "bn-001",
                     "--json"]) == 0
        status = json.loads(capsys.readouterr().out)
        assert status["pending"] == 0 and status["last_error"] is None
    assert main(ship) == 0  # caught up: nothing to send, no connection needed
    with LookupLog(db) as log:
        log.record(attempt(99, "bn-001"))
    assert main(ship) == 1  # one waiting, the collector is gone: unreachable
    assert "unreachable" in capsys.readouterr().err


def test_shipper_sends_from_the_address_it_is_given(tmp_path: Path) -> None:
    """Many kiosks simulated on one machine each get their own 127.x address (the collector limits connections per
    address, bench/bench_central.py relies on this)."""
    keys = tmp_path / "collector"
    (keys / "trusted").mkdir(parents=True)
    key = generate_private_key()
    save_public_key(key.public_key(), keys / "trusted" / "bn-001.pem")
    db = tmp_path / "kiosk.db"
    with LookupLog(db) as log:
        log.record(attempt(1, "bn-001"))
    with RunningCollector(build_collector_state(database=tmp_path / "central.db", keys_dir=keys)) as collector:
        from kiosk.central.shipper import Shipper

        with Shipper(db, collector=collector.url, collector_key=collector.service_public_key, kiosk_id="bn-001",
                     private_key=key, local_address="127.0.0.42") as shipper:
            assert shipper.ship().stored == 1


def test_attempts_recorded_after_the_whole_log_was_pruned_are_still_shipped(tmp_path: Path) -> None:
    """Pruning every row must not let SQLite hand out row ids again: the shipper's mark is a row id."""
    keys = trusted_kiosk(tmp_path)
    central = tmp_path / "central.db"
    now = datetime.now(UTC)
    with RunningCollector(build_collector_state(database=f"sqlite:///{central}", keys_dir=keys)) as collector:
        jwk = httpx.get(collector.url + "/v1/service-key", trust_env=False).text
        config = KioskConfig(kiosk_id="bn-001", facility_code="27001", private_key=tmp_path / "kiosk.pem",
                             collector_url=collector.url, collector_key=jwk, log_db=tmp_path / "kiosk.db")
        with LookupLog(config.effective_log_db, retention_days=30, clock=lambda: now) as log:
            for n in range(5):
                old = attempt(n, "bn-001")
                old.first_seen_at = now - timedelta(days=60, minutes=n)
                log.record(old)
            assert log.flush(10)
            shipper = shipper_from_config(config)
            assert shipper is not None
            try:
                assert shipper.ship().sent == 5
                assert log.prune(now) >= 4
                for n in range(2):
                    log.record(attempt(n, "bn-001"))
                assert log.flush(10)
                assert shipper.ship().sent == 2
                assert shipper.last_backlog is not None and shipper.last_backlog.pending == 0
            finally:
                shipper.stop()
    with LogReader(central) as reader:
        assert reader.count() == 7


def test_a_compressed_answer_is_refused_unread(tmp_path: Path) -> None:
    """A gzip answer small enough for the size cap could still decode to a thousand times its size: the shipper
    refuses it without decoding it, and keeps the attempts."""
    import gzip

    from kiosk.central.shipper import MAX_ANSWER_BYTES, ShipError, Shipper, ShipProblem

    bomb = gzip.compress(b"0" * (8 * 1024 * 1024))
    assert len(bomb) < MAX_ANSWER_BYTES

    async def gzip_answer(scope: dict[str, object], receive: Any, send: Any) -> None:
        while (await receive()).get("more_body"):
            pass
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json"), (b"content-encoding", b"gzip")]})
        await send({"type": "http.response.body", "body": bomb})

    trusted_kiosk(tmp_path)
    db = tmp_path / "kiosk.db"
    with LookupLog(db) as log:
        log.record(attempt(0, "bn-001"))
    with (
        served(gzip_answer) as url,
        Shipper(db, collector=url, collector_key=generate_private_key().public_key(), kiosk_id="bn-001",
                private_key=load_private_key(tmp_path / "kiosk.pem")) as shipper,
        pytest.raises(ShipError) as refused,
    ):
        shipper.ship()
    assert refused.value.problem is ShipProblem.REFUSED
    assert "compressed (gzip)" in str(refused.value)


def test_an_oversize_answer_is_cut_off_and_the_batch_stays_queued(tmp_path: Path) -> None:
    """A collector answer larger than MAX_ANSWER_BYTES is not read into memory: the shipper hangs up, records why,
    and keeps the attempts for the next try (which a real collector then takes)."""
    from kiosk.central.shipper import MAX_ANSWER_BYTES, Outbox, ShipError, Shipper, ShipProblem

    keys = trusted_kiosk(tmp_path)
    db = tmp_path / "kiosk.db"
    with LookupLog(db) as log:
        for n in range(3):
            log.record(attempt(n, "bn-001"))
    key = load_private_key(tmp_path / "kiosk.pem")
    answer = EndlessAnswer(offered=64 * 1024 * 1024)
    with (
        served(answer) as url,
        Shipper(db, collector=url, collector_key=generate_private_key().public_key(), kiosk_id="bn-001",
                private_key=key) as shipper,
        pytest.raises(ShipError) as cut,
    ):
        shipper.ship()
    assert cut.value.problem is ShipProblem.REFUSED
    assert f"larger than {MAX_ANSWER_BYTES:,} bytes" in str(cut.value)
    assert answer.hung_up and answer.sent < answer.offered // 4  # the shipper stopped reading early
    outbox = Outbox(db, url, "bn-001")
    backlog = outbox.backlog()
    outbox.close()
    assert (backlog.pending, backlog.acked_id) == (3, 0)  # nothing acknowledged
    assert backlog.last_error is not None and "larger than" in backlog.last_error
    assert shipper.last_backlog == backlog  # what the staff view shows after the refused pass
    with (
        RunningCollector(build_collector_state(database=tmp_path / "central.db", keys_dir=keys)) as collector,
        Shipper(db, collector=collector.url, collector_key=collector.service_public_key, kiosk_id="bn-001",
                private_key=key) as shipper,
    ):
        assert shipper.ship().stored == 3
