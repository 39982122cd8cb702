"""Log shipping to the central collector on a real PostgreSQL server (BHYT_TEST_POSTGRES_URL), real uvicorn servers,
real kiosk log files: duplicates, a collector killed mid-stream, a kiosk offline for a day, forged / replayed /
cross-kiosk batches, and central figures equal to the sum of the kiosks' own reports."""

from __future__ import annotations

import json
import math
import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
import pytest
from conftest import free_port

from kiosk.central.collector import RunningCollector, build_collector_state
from kiosk.central.shipper import Outbox, ShipError, Shipper, ShipProblem
from kiosk.central.store import open_store
from kiosk.central.wire import BATCHES_PATH, MAX_BATCH_ATTEMPTS, MAX_BATCH_BYTES, row_to_wire
from kiosk.fleet import Attention, fleet_view
from kiosk.log.reader import day_from_number
from kiosk.log.schema import ATTEMPT_COLUMNS, INSERT_COLUMNS
from kiosk.lookup_log import LogFilter, LogReader
from kiosk.reports import build_report, report_to_dict
from kiosk.signing.keys import generate_private_key, load_public_key, save_private_key, save_public_key
from kiosk.signing.kiosk_auth import sign_request
from kiosk.standins.simulate import SimulationConfig, write_simulation

END = date(2026, 11, 30)


@dataclass
class Kiosk:
    kiosk_id: str
    db: Path
    key_file: Path

    @property
    def key(self):  # type: ignore[no-untyped-def]
        from kiosk.signing.keys import load_private_key

        return load_private_key(self.key_file)


def make_kiosk(
    tmp_path: Path,
    keys_dir: Path,
    kiosk_id: str,
    *,
    seed: int,
    days: int = 3,
    per_day: int = 40,
    facility: str = "27001",
    trusted: bool = True,
) -> Kiosk:
    key = generate_private_key()
    key_file = tmp_path / f"{kiosk_id}.key"
    save_private_key(key, key_file)
    if trusted:
        (keys_dir / "trusted").mkdir(parents=True, exist_ok=True)
        save_public_key(key.public_key(), keys_dir / "trusted" / f"{kiosk_id}.pem")
    db = tmp_path / f"{kiosk_id}.db"
    config = SimulationConfig(
        days=days, kiosks=1, kiosk_ids=(kiosk_id,), attempts_per_day=per_day, seed=seed, end=END, facility_code=facility
    )
    write_simulation(db, config)
    return Kiosk(kiosk_id, db, key_file)


def shipper_for(kiosk: Kiosk, collector: RunningCollector, **kw: object) -> Shipper:
    return Shipper(
        kiosk.db,
        collector=collector.url,
        collector_key=collector.service_public_key,
        kiosk_id=kiosk.kiosk_id,
        private_key=kiosk.key,
        **kw,  # type: ignore[arg-type]
    )


def local_count(kiosk: Kiosk) -> int:
    with LogReader(kiosk.db) as reader:
        return reader.count()


def central_ids(url: str) -> tuple[int, int]:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT count(*), count(DISTINCT attempt_id) FROM attempts").fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def signed_post(url: str, body: bytes, key, keyid: str) -> httpx.Response:  # type: ignore[no-untyped-def]
    request = httpx.Request("POST", url + BATCHES_PATH, content=body, headers={"Content-Type": "application/json"})
    sign_request(request, key, keyid)
    with httpx.Client(trust_env=False, timeout=10) as client:
        return client.send(request)


def batch_body(kiosk: Kiosk, limit: int = 20, *, kiosk_id: str | None = None) -> bytes:
    outbox = Outbox(kiosk.db, "http://test", kiosk.kiosk_id)
    try:
        items = [wire for _, wire in outbox.pending(limit)]
    finally:
        outbox.close()
    return json.dumps({"kiosk_id": kiosk_id or kiosk.kiosk_id, "backlog": 0, "attempts": items}).encode()


@pytest.fixture
def keys_dir(tmp_path: Path) -> Path:
    d = tmp_path / "collector-keys"
    (d / "trusted").mkdir(parents=True)
    return d


def test_central_figures_equal_the_sum_of_the_kiosks(
    tmp_path: Path, keys_dir: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("kiosk.log.reader.PAGE_ROWS", 17)  # several pages per kiosk
    kiosks = [
        make_kiosk(tmp_path, keys_dir, f"bn-{i:03d}", seed=10 + i, facility=("27001", "27002")[i % 2]) for i in range(3)
    ]
    with RunningCollector(build_collector_state(database=postgres_url, keys_dir=keys_dir)) as collector:
        for kiosk in kiosks:
            with shipper_for(kiosk, collector, batch_size=50) as shipper:
                result = shipper.ship()
            assert result.pending == 0 and result.sent == local_count(kiosk) == result.stored
    total = sum(local_count(k) for k in kiosks)
    assert central_ids(postgres_url) == (total, total)

    with LogReader(postgres_url) as central:
        central_report = report_to_dict(build_report(central, LogFilter(), by="kiosk"))
        for kiosk in kiosks:
            with LogReader(kiosk.db) as own:
                mine = report_to_dict(build_report(own, LogFilter()))
            theirs = report_to_dict(build_report(central, LogFilter(kiosks=(kiosk.kiosk_id,))))
            mine.pop("filters"), theirs.pop("filters")
            assert theirs == mine  # every figure, latency percentiles and repeat visitors included
            with LogReader(kiosk.db) as own:  # and every attempt, field by field, in recording order (paged)
                assert list(central.query(LogFilter(kiosks=(kiosk.kiosk_id,)))) == list(own.query())
    # the whole store (its totals, kiosk.central.rollups) = one log file holding every kiosk's attempts
    merged = tmp_path / "merged.db"
    with open_store(merged) as store:
        for kiosk in kiosks:
            conn = sqlite3.connect(kiosk.db)
            rows = conn.execute(f"SELECT {', '.join(INSERT_COLUMNS)} FROM attempts ORDER BY id").fetchall()
            conn.close()
            store.write_batch(kiosk.kiosk_id, rows, backlog=0)
    with LogReader(merged) as one_file, LogReader(postgres_url) as central:
        assert report_to_dict(build_report(central, LogFilter())) == report_to_dict(build_report(one_file, LogFilter()))
    assert_totals_match_rows(postgres_url)
    for key in ("attempts", "lookups", "successful", "eligible", "failed"):
        assert central_report[key] == sum(
            report_to_dict(build_report(LogReader(k.db), LogFilter()))[key] for k in kiosks
        )
    assert [g["key"] for g in central_report["groups"]] == [k.kiosk_id for k in kiosks]


def figures(report: dict) -> dict:  # type: ignore[type-arg]
    return {k: v for k, v in report.items() if k not in ("filters", "period")}


def assert_totals_match_rows(url: str) -> None:
    """The whole-store and per-day totals give the figures a scan of the attempts gives: the whole store, periods of
    whole days (every single day, the first half, the whole span), per kiosk / facility / day and the glance table."""
    def everything(reader: LogReader) -> list[object]:
        days = sorted({d for (d,) in reader._all("SELECT DISTINCT day FROM attempts")})
        kiosks = reader.distinct("kiosk_id")
        periods = [LogFilter()]
        periods += [LogFilter(since=day_from_number(d), until=day_from_number(d)) for d in days]
        if days:
            periods.append(LogFilter(since=day_from_number(days[0]), until=day_from_number(days[len(days) // 2])))
            first, last = day_from_number(days[0]), day_from_number(days[-1])
            periods.append(LogFilter(since=first, until=last, kiosks=kiosks[:1]))
        out: list[object] = []
        for f in periods:
            for by in (None, "kiosk", "facility", "day"):
                out.append(figures(report_to_dict(build_report(reader, f, by=by))))
        out += [fleet_view(reader, "kiosk"), fleet_view(reader, "facility")]
        return out

    with LogReader(url) as from_totals, LogReader(url) as from_rows:
        from_rows.use_totals = False
        assert everything(from_totals) == everything(from_rows)


def test_totals_kept_by_the_collector_equal_a_rebuild(tmp_path: Path, keys_dir: Path, postgres_url: str) -> None:
    import psycopg

    from kiosk.central import rollups

    kiosk = make_kiosk(tmp_path, keys_dir, "bn-001", seed=8, days=3, per_day=120)
    with (
        RunningCollector(build_collector_state(database=postgres_url, keys_dir=keys_dir)) as collector,
        shipper_for(kiosk, collector) as s,
    ):
        s.ship()
    tables = (*rollups.WHOLE_TABLES, *rollups.DAY_TABLES)

    def snapshot(conn: psycopg.Connection) -> dict[str, list[tuple[object, ...]]]:
        return {
            t: sorted(
                conn.execute(
                    f"SELECT * FROM {t} WHERE {'attempts' if t in ('rollup_outcomes', 'rollup_days') else 'n'} <> 0"
                ).fetchall(),
                key=repr,
            )
            for t in tables
        }  # type: ignore[arg-type]

    with psycopg.connect(postgres_url) as conn:
        kept = snapshot(conn)
        rollups.rebuild(conn)  # the SQL spelling of the buckets (migration, bulk loads)
        assert snapshot(conn) == kept
        conn.rollback()
    assert len(kept["rollup_durations"]) > 50 and len(kept["rollup_day_durations"]) > 50
    assert len(kept["rollup_days"]) > 3
    # a store from before the per-day totals (v3) with these rows: the migration builds them
    from kiosk.central.migrations import SCHEMA_VERSION, migrate

    with psycopg.connect(postgres_url, autocommit=True) as conn:
        for t in rollups.DAY_TABLES:
            conn.execute(f"DROP TABLE {t}")  # type: ignore[arg-type]
        conn.execute("DELETE FROM schema_migrations WHERE version = 4")
        assert migrate(conn) == (3, SCHEMA_VERSION)
        assert snapshot(conn) == kept
    # the SQL and Python buckets agree at the edges too: powers of two, the doubles just below them, tiny and huge
    edges = [0.0, 1e-300, 5e300, 0.05, 0.35, 999.9999999999999]
    edges += [v for k in range(-30, 40) for v in (2.0**k, math.nextafter(2.0**k, 0), math.nextafter(2.0**k, 1e308))]
    with psycopg.connect(postgres_url) as conn:
        got = conn.execute(f"SELECT {rollups.bucket_sql('x')} FROM unnest(%s::float8[]) AS x", (edges,)).fetchall()  # type: ignore[arg-type]
    assert [b for (b,) in got] == [rollups.bucket_of(v) for v in edges]


def test_duplicate_batches_and_later_versions(tmp_path: Path, keys_dir: Path, postgres_url: str) -> None:
    kiosk = make_kiosk(tmp_path, keys_dir, "bn-001", seed=1, days=1)
    with RunningCollector(build_collector_state(database=postgres_url, keys_dir=keys_dir)) as collector:
        body = batch_body(kiosk, 20)
        first = signed_post(collector.url, body, kiosk.key, kiosk.kiosk_id)
        again = signed_post(collector.url, body, kiosk.key, kiosk.kiosk_id)  # same batch, fresh signature
        assert first.status_code == again.status_code == 200, again.text
        assert first.json() == {"received": 20, "stored": 20, "updated": 0, "unchanged": 0}
        assert again.json() == {"received": 20, "stored": 0, "updated": 0, "unchanged": 20}

        # a later version of one attempt (a late answer) replaces it; an older one changes nothing
        data = json.loads(body)
        late = dict(data["attempts"][0], outcome="eligible", error_reason=None, recorded_at="2099-01-01T00:00:00Z")
        older = dict(data["attempts"][1], outcome="timeout", recorded_at="2000-01-01T00:00:00Z")
        twice = dict(late, recorded_at="2098-01-01T00:00:00Z")  # the same attempt twice in a batch: the latest wins
        update = json.dumps({"kiosk_id": kiosk.kiosk_id, "attempts": [twice, late, older]}).encode()
        answer = signed_post(collector.url, update, kiosk.key, kiosk.kiosk_id)
        assert answer.json() == {"received": 3, "stored": 0, "updated": 1, "unchanged": 2}

        # the shipper sending everything again after losing its state stores nothing twice
        with shipper_for(kiosk, collector) as shipper:
            shipper.ship()
        outbox = Outbox(kiosk.db, collector.url, kiosk.kiosk_id)
        outbox._conn.execute("DELETE FROM ship_state")
        outbox.close()
        with shipper_for(kiosk, collector) as shipper:
            result = shipper.ship()
        assert result.sent == local_count(kiosk) and result.stored == 0
    assert central_ids(postgres_url) == (local_count(kiosk),) * 2
    with LogReader(postgres_url) as central:
        stored = central.attempts(LogFilter(), limit=1000)
    by_id = {a.attempt_id: a for a in stored}
    assert_totals_match_rows(postgres_url)  # the replaced version's counts were taken away
    assert by_id[late["attempt_id"]].outcome == "eligible"
    assert by_id[older["attempt_id"]].outcome.value == data["attempts"][1]["outcome"]


def test_forged_replayed_cross_kiosk_and_malformed_batches_are_refused(
    tmp_path: Path, keys_dir: Path, postgres_url: str
) -> None:
    a = make_kiosk(tmp_path, keys_dir, "bn-001", seed=1, days=1)
    b = make_kiosk(tmp_path, keys_dir, "bn-002", seed=2, days=1)
    stranger = make_kiosk(tmp_path, keys_dir, "bn-999", seed=3, days=1, trusted=False)
    body = batch_body(a, 5)
    with RunningCollector(build_collector_state(database=postgres_url, keys_dir=keys_dir)) as collector:
        url = collector.url
        with httpx.Client(trust_env=False) as client:
            unsigned = client.post(url + BATCHES_PATH, content=body, headers={"Content-Type": "application/json"})
        assert unsigned.status_code == 401 and unsigned.json()["reason"] == "missing-signature"
        with httpx.Client(trust_env=False) as client:  # not the mocked service: no lookups here
            assert client.post(url + "/v1/eligibility/lookups", json={"id_number": "001"}).status_code == 404

        unknown = signed_post(url, batch_body(stranger, 5), stranger.key, stranger.kiosk_id)
        assert unknown.status_code == 401 and unknown.json()["reason"] == "unknown-keyid"

        forged = signed_post(url, body, generate_private_key(), a.kiosk_id)  # a's id, another key
        assert forged.status_code == 401 and forged.json()["reason"] == "bad-signature"

        request = httpx.Request("POST", url + BATCHES_PATH, content=body, headers={"Content-Type": "application/json"})
        sign_request(request, a.key, a.kiosk_id)
        tampered = httpx.Request(
            "POST", url + BATCHES_PATH, content=body.replace(b'"backlog": 0', b'"backlog": 1'), headers=request.headers
        )
        with httpx.Client(trust_env=False) as client:
            assert client.send(tampered).json()["reason"] == "digest-mismatch"
            first = client.send(request)
            replay = client.send(request)
        assert first.status_code == 200
        assert replay.status_code == 401 and replay.json()["reason"] == "replayed-nonce"

        cross = signed_post(url, batch_body(a, 5, kiosk_id=b.kiosk_id), b.key, b.kiosk_id)  # b sends a's attempts
        assert cross.status_code == 403 and cross.json()["type"].endswith("wrong-kiosk")
        assert "bn-001" in cross.json()["detail"]
        other = signed_post(url, batch_body(b, 5), a.key, a.kiosk_id)  # a sends a batch named for b
        assert other.status_code == 403

        wire = json.loads(batch_body(b, 2))
        for bad in (
            b"{not json",
            json.dumps({**wire, "attempts": [{**wire["attempts"][0], "full_name": "Nguyen Van A"}]}).encode(),
            json.dumps({**wire, "attempts": [{**wire["attempts"][0], "masked_id": "0010950123456"}]}).encode(),
            json.dumps({**wire, "attempts": [{**wire["attempts"][0], "recorded_at": "2026-01-01T00:00:00"}]}).encode(),
            json.dumps({**wire, "attempts": wire["attempts"] * (MAX_BATCH_ATTEMPTS // 2 + 1)}).encode(),
        ):
            answer = signed_post(url, bad, b.key, b.kiosk_id)
            assert answer.status_code == 422, answer.text
            assert answer.json()["detail"].startswith("malformed batch")
        huge = signed_post(url, b" " * (MAX_BATCH_BYTES + 1) + b"{}", b.key, b.kiosk_id)
        assert huge.status_code == 413
        # every answer is signed by the collector (the shipper pins its key and refuses anything else)
        assert "sig1=" in answer.headers["signature"]
    assert central_ids(postgres_url) == (5, 5)  # only the one good batch


def start_collector_process(database: str, keys_dir: Path, port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ui.launcher",
            "collector",
            "--port",
            str(port),
            "--database",
            database,
            "--keys-dir",
            str(keys_dir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with httpx.Client(trust_env=False) as client:
                if client.get(f"http://127.0.0.1:{port}/v1/service-key", timeout=1).status_code == 200:
                    return proc
        except httpx.HTTPError:
            time.sleep(0.1)
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
    proc.kill()
    raise AssertionError("the collector did not start")


def test_collector_killed_mid_stream_loses_and_doubles_nothing(
    tmp_path: Path, keys_dir: Path, postgres_url: str
) -> None:
    kiosk = make_kiosk(tmp_path, keys_dir, "bn-001", seed=4, days=10, per_day=300)
    total = local_count(kiosk)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = start_collector_process(postgres_url, keys_dir, port)
    try:
        with httpx.Client(trust_env=False) as client:  # what IT does: fetch the JWK once and pin it
            collector_key = load_public_key(client.get(url + "/v1/service-key").text)
        shipper = Shipper(
            kiosk.db,
            collector=url,
            collector_key=collector_key,
            kiosk_id=kiosk.kiosk_id,
            private_key=kiosk.key,
            batch_size=100,
        )
        shipper.start()
        deadline = time.monotonic() + 60
        while central_ids(postgres_url)[0] < total // 4 and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)  # mid-stream: batches in flight are lost with their answers
        proc.wait(10)
        stored_at_kill = central_ids(postgres_url)[0]
        assert 0 < stored_at_kill < total
        time.sleep(1.5)  # the shipper meets a dead collector and backs off
        proc = start_collector_process(postgres_url, keys_dir, port)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            outbox = Outbox(kiosk.db, url, kiosk.kiosk_id)
            pending = outbox.backlog().pending
            outbox.close()
            if pending == 0:
                break
            time.sleep(0.2)
        shipper.stop()
        assert pending == 0
        assert central_ids(postgres_url) == (total, total)  # nothing lost, nothing twice
        assert_totals_match_rows(postgres_url)
    finally:
        proc.kill()
        proc.wait(10)


def test_kiosk_offline_for_a_day_catches_up(tmp_path: Path, keys_dir: Path, postgres_url: str) -> None:
    kiosk = make_kiosk(tmp_path, keys_dir, "bn-001", seed=5, days=1, per_day=250)
    state = build_collector_state(database=postgres_url, keys_dir=keys_dir)
    collector_key = state.public_key
    state.store.close()
    port = free_port()
    dead = f"http://127.0.0.1:{port}"
    with (
        Shipper(
            kiosk.db,
            collector=dead,
            collector_key=collector_key,
            kiosk_id=kiosk.kiosk_id,
            private_key=kiosk.key,
            timeout=2,
        ) as shipper,
        pytest.raises(ShipError) as refused,
    ):
        shipper.ship()
    assert refused.value.problem is ShipProblem.UNREACHABLE
    backlog = Outbox(kiosk.db, dead, kiosk.kiosk_id).backlog()
    assert backlog.pending == local_count(kiosk) and backlog.last_error and "unreachable" in backlog.last_error
    with (
        RunningCollector(build_collector_state(database=postgres_url, keys_dir=keys_dir), port=port) as collector,
        shipper_for(kiosk, collector, batch_size=64) as shipper,
    ):
        result = shipper.ship()
    assert result.pending == 0 and result.stored == local_count(kiosk)
    assert Outbox(kiosk.db, dead, kiosk.kiosk_id).backlog().last_error is None
    assert central_ids(postgres_url) == (local_count(kiosk),) * 2
    with LogReader(postgres_url) as central:
        (status,) = central.shipping_status().values()  # the collector's kiosks table
        view = fleet_view(central, "kiosk")
    assert status.kiosk_id == kiosk.kiosk_id and status.backlog == 0
    assert status.lag_s is not None and status.lag_s > 86_400  # recorded on 2026-11-30, received today
    assert view is not None
    (row,) = view.rows
    assert row.key == kiosk.kiosk_id and row.attention is Attention.SHIPPING_BEHIND
    assert row.shipping_lag_s == pytest.approx(status.lag_s, abs=0.1) and row.backlog == 0


def test_columns_on_the_wire_are_the_log_columns() -> None:
    row = {name: None for name in ATTEMPT_COLUMNS} | {"recorded_at": 0, "utc_offset_min": 420}
    assert set(row_to_wire(row)) == {*ATTEMPT_COLUMNS, "recorded_at", "utc_offset_min"}


@pytest.mark.skipif(os.name != "posix", reason="uses the POSIX test server script")
def test_report_json_has_the_same_keys_on_postgres(tmp_path: Path, keys_dir: Path, postgres_url: str) -> None:
    kiosk = make_kiosk(tmp_path, keys_dir, "bn-001", seed=6, days=2)
    with (
        RunningCollector(build_collector_state(database=postgres_url, keys_dir=keys_dir)) as collector,
        shipper_for(kiosk, collector) as s,
    ):
        s.ship()
    for period in ((), ("--since", END.isoformat(), "--until", END.isoformat())):  # whole store; one day's totals
        outputs = []
        for db in (str(kiosk.db), postgres_url):
            command = (sys.executable, "-m", "ui.launcher", "report", "--db", db, "--format", "json", "--by", "kiosk")
            done = subprocess.run(
                [*command, *period],
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert done.returncode == 0, done.stderr
            outputs.append(json.loads(done.stdout))
        on_file, central = outputs
        assert central["attempts"] > 0
        for row, own in zip(central["at_a_glance"]["rows"], on_file["at_a_glance"]["rows"], strict=True):
            # only the central store knows about shipping (and it comes first)
            assert row["shipping_lag_s"] > 86_400 and row["backlog"] == 0  # recorded days ago, shipped now
            assert row["attention"] == "shipping-behind"
            row["shipping_lag_s"] = row["backlog"] = None
            row["attention"] = own["attention"]
        assert central == on_file


def test_database_outage_is_retried_and_loses_nothing(
    tmp_path: Path, keys_dir: Path, postgres_url: str, postgres_server_url: str
) -> None:
    import psycopg

    kiosk = make_kiosk(tmp_path, keys_dir, "bn-001", seed=7, days=2, per_day=150)
    name = postgres_url.rsplit("/", 1)[1]

    def database_down(down: bool) -> None:  # what a PostgreSQL restart looks like to the collector
        with psycopg.connect(postgres_server_url, autocommit=True) as admin:
            admin.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS {'false' if down else 'true'}")  # type: ignore[arg-type]
            if down:
                admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))

    with RunningCollector(build_collector_state(database=postgres_url, keys_dir=keys_dir)) as collector:
        with shipper_for(kiosk, collector, batch_size=50) as shipper:
            shipper.ship(max_batches=2)
            database_down(True)
            try:
                with pytest.raises(ShipError) as down:
                    shipper.ship()
            finally:
                database_down(False)
            assert down.value.problem is ShipProblem.UNREACHABLE and "503" in str(down.value)
            result = shipper.ship()
        assert result.pending == 0
    assert central_ids(postgres_url) == (local_count(kiosk),) * 2


def test_an_attempt_retried_in_the_background_reaches_the_collector_with_its_final_outcome(
    tmp_path: Path, keys_dir: Path, postgres_url: str
) -> None:
    from datetime import UTC, datetime, timedelta

    from kiosk.attempts import InputSource, LookupAttempt, RetryStatus, Stage
    from kiosk.lookup_log import LookupLog
    from kiosk.outcomes import Outcome

    kiosk = make_kiosk(tmp_path, keys_dir, "bn-001", seed=9, days=1, per_day=30)
    start = datetime.now(UTC) - timedelta(minutes=5)
    attempt = LookupAttempt.start(kiosk_id="bn-001", facility_code="27001", source=InputSource.CAMERA, now=start)
    attempt.stage, attempt.outcome, attempt.lookup_ms = Stage.LOOKUP_SENT, Outcome.TIMEOUT, 10_000.0
    attempt.first_try_outcome, attempt.retry_status = Outcome.TIMEOUT, RetryStatus.PENDING
    with LookupLog(kiosk.db) as log:
        log.record(attempt)
    with (
        RunningCollector(build_collector_state(database=postgres_url, keys_dir=keys_dir)) as collector,
        shipper_for(kiosk, collector) as shipper,
    ):
        shipper.ship()
        # the late answer: the kiosk's log replaces the pending row in place (same row id, same recorded_at)
        attempt.stage, attempt.outcome, attempt.result_code = Stage.ANSWERED, Outcome.ELIGIBLE, "000"
        attempt.retry_status, attempt.retry_delay_ms, attempt.eligible = RetryStatus.ANSWERED, 42_000.0, True
        with LookupLog(kiosk.db) as log:
            log.record(attempt)
        assert Outbox(kiosk.db, collector.url, kiosk.kiosk_id).backlog().pending == 1  # the settled one
        result = shipper.ship()
        assert (result.sent, result.pending) == (1, 0)
        assert shipper.ship().sent == 0  # once
    with LogReader(postgres_url) as central:
        (stored,) = [a for a in central.attempts(LogFilter(), limit=1000) if a.attempt_id == attempt.attempt_id]
        retries = central.retry_figures(LogFilter(kiosks=("bn-001",)))
    assert stored.outcome is Outcome.ELIGIBLE and stored.retry_status is RetryStatus.ANSWERED
    assert retries.successful_after_retry == 1 and retries.pending == 0
    assert central_ids(postgres_url) == (local_count(kiosk),) * 2
    assert_totals_match_rows(postgres_url)


def test_reader_names_a_database_that_is_no_current_central_store(postgres_url: str) -> None:
    import psycopg

    from kiosk.central.migrations import SCHEMA_VERSION
    from kiosk.log.schema import LogError

    with pytest.raises(LogError, match="is not a bhyt-kiosk central store"):
        LogReader(postgres_url)  # an empty database
    open_store(postgres_url).close()  # migrated
    with LogReader(postgres_url) as reader:
        assert reader.count() == 0
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("DELETE FROM schema_migrations WHERE version = %s", (SCHEMA_VERSION,))
        with pytest.raises(LogError, match=rf"older central schema \(v{SCHEMA_VERSION - 1}\)"):
            LogReader(postgres_url)
        conn.execute(
            "INSERT INTO schema_migrations (version, name) VALUES (%s, 'again'), (%s, 'from a newer program')",
            (SCHEMA_VERSION, SCHEMA_VERSION + 1),
        )
        with pytest.raises(LogError, match=rf"newer bhyt-kiosk \(central schema v{SCHEMA_VERSION + 1}\)"):
            LogReader(postgres_url)
