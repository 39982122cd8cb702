"""Central log collection benchmark (a real PostgreSQL server: BHYT_TEST_POSTGRES_URL or --postgres URL).

    eval "$(scripts/test-postgres.sh start)"
    .venv/bin/python bench/bench_central.py ingest [--kiosks 300 --attempts 200 --seconds 60]
    .venv/bin/python bench/bench_central.py report [--rows 10000000]
    scripts/test-postgres.sh stop "$BHYT_TEST_POSTGRES_DIR"

``ingest``: the collector in its own process (``bhyt-kiosk collector``), the kiosks in two other processes: each kiosk
records its attempts into its own SQLite lookup log (``LookupLog``, the app's writer) in bursts of 5-40 over
``--seconds``, and ships them with its own background ``Shipper``. Prints what was stored (all, none twice) and the
record-to-central lag (collector ``received_at`` - kiosk ``recorded_at``). Target: lag < 5 s.

``report``: ``--rows`` attempts generated server-side with ``generate_series`` (own generator, labelled: 300 kiosks,
164 facilities, 12 months; outcomes in the simulator's shares) into the partitioned table, then the province-wide
report and the per-kiosk / per-facility tables through the same readers the command uses, for the whole store and for
periods (the per-day totals), and one scan of a month's rows compared with its totals. Target: <= 3 s each.
"""

from __future__ import annotations

import argparse
import dataclasses
import multiprocessing
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg
from service_process import service_process

from kiosk.central.location import safe_url


def new_database(server_url: str, name: str) -> str:
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")  # type: ignore[arg-type]
        admin.execute(f"CREATE DATABASE {name}")  # type: ignore[arg-type]
    base, _, _ = server_url.rpartition("/")
    return f"{base}/{name}"


# ------------------------------------------------------------------------------------------------------------ ingest
def kiosk_address(kiosk_id: str) -> str:
    """Each simulated kiosk sends from its own loopback address (127.0.1.N), as real kiosks have their own: the
    collector allows a limited number of connections per address."""
    n = int(kiosk_id.rsplit("-", 1)[1])
    return f"127.0.{1 + n // 250}.{1 + n % 250}"


def _kiosk_worker(args: tuple[list[str], Path, str, str, int, int, int]) -> int:
    """One process: some kiosks, each with its own lookup log, recorder bursts and background shipper."""
    from kiosk.central.shipper import Shipper
    from kiosk.lookup_log import LookupLog
    from kiosk.signing.keys import load_private_key, load_public_key
    from kiosk.standins.simulate import SimulationConfig, simulate

    kiosk_ids, work, collector, collector_jwk, per_kiosk, seconds, seed = args
    rng = random.Random(seed)
    collector_key = load_public_key(collector_jwk)
    logs: dict[str, LookupLog] = {}
    shippers: list[Shipper] = []
    plans: list[tuple[float, str, list]] = []  # (when, kiosk, attempts)
    for n, kiosk_id in enumerate(kiosk_ids):
        db = work / f"{kiosk_id}.db"
        logs[kiosk_id] = LookupLog(db)
        config = SimulationConfig(days=1, kiosk_ids=(kiosk_id,), attempts_per_day=per_kiosk, seed=seed * 1000 + n)
        attempts = list(simulate(config))[:per_kiosk]
        while len(attempts) < per_kiosk:  # a day's Gaussian count can fall short: top up from another day
            config = dataclasses.replace(config, seed=config.seed + 7919)
            attempts += list(simulate(config))[: per_kiosk - len(attempts)]
        i = 0
        while i < len(attempts):
            size = rng.randint(5, 40)
            plans.append((rng.uniform(0, seconds), kiosk_id, attempts[i : i + size]))
            i += size
        shipper = Shipper(
            db,
            collector=collector,
            collector_key=collector_key,
            kiosk_id=kiosk_id,
            private_key=load_private_key(work / f"{kiosk_id}.key"),
            local_address=kiosk_address(kiosk_id),
            batch_size=200,
        )
        shippers.append(shipper)
    plans.sort(key=lambda p: p[0])
    for shipper in shippers:
        shipper.start()
    started = time.monotonic()
    recorded = 0
    for when, kiosk_id, burst in plans:
        delay = started + when - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        now = datetime.now(UTC)
        for attempt in burst:  # re-timed to now: a burst of card presentations
            shift = now - (attempt.first_seen_at or now)
            fields = {
                name: getattr(attempt, name) + shift
                for name in ("first_seen_at", "read_at", "lookup_sent_at", "answered_at")
                if getattr(attempt, name) is not None
            }
            logs[kiosk_id].record(dataclasses.replace(attempt, **fields))
            recorded += 1
    for log in logs.values():
        log.flush(30)
    # wait until every kiosk is caught up (bounded)
    from kiosk.central.shipper import Outbox

    deadline = time.monotonic() + 120
    for kiosk_id in kiosk_ids:
        while time.monotonic() < deadline:
            outbox = Outbox(work / f"{kiosk_id}.db", collector, kiosk_id)
            pending = outbox.backlog().pending
            outbox.close()
            if pending == 0:
                break
            time.sleep(0.5)
    for shipper in shippers:
        shipper.stop()
    for log in logs.values():
        log.close()
    return recorded


def bench_ingest(server_url: str, kiosks: int, per_kiosk: int, seconds: int) -> None:
    from kiosk.signing.keys import generate_private_key, save_private_key, save_public_key

    url = new_database(server_url, "bhyt_bench_ingest")
    work = Path(tempfile.mkdtemp(prefix="bhyt-bench-central-"))
    keys = work / "collector-keys"
    (keys / "trusted").mkdir(parents=True)
    ids = [f"kiosk-{i:03d}" for i in range(1, kiosks + 1)]
    for kiosk_id in ids:
        key = generate_private_key()
        save_private_key(key, work / f"{kiosk_id}.key")
        save_public_key(key.public_key(), keys / "trusted" / f"{kiosk_id}.pem")
    try:
        with service_process(keys, command="collector", extra=("--database", url)) as server:
            collector, jwk = server.url, server.public_pem.decode()
            print(
                f"ingest: {kiosks} kiosks x {per_kiosk} attempts in bursts of 5-40 over {seconds} s, "
                f"collector {collector} -> {safe_url(url)}"
            )
            halves = [ids[0::2], ids[1::2]]
            started = time.perf_counter()
            with multiprocessing.get_context("spawn").Pool(2) as pool:
                recorded = sum(
                    pool.map(
                        _kiosk_worker,
                        [(h, work, collector, jwk, per_kiosk, seconds, n + 1) for n, h in enumerate(halves)],
                    )
                )
            elapsed = time.perf_counter() - started
            with psycopg.connect(url) as conn:
                count, distinct = conn.execute("SELECT count(*), count(DISTINCT attempt_id) FROM attempts").fetchone()
                lags = conn.execute(
                    "SELECT percentile_disc(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY received_at - recorded_at), "
                    "max(received_at - recorded_at) FROM attempts"
                ).fetchone()
                kiosks_seen = conn.execute("SELECT count(*) FROM kiosks").fetchone()[0]
            p50, p95, p99 = (v / 1e6 for v in lags[0])
            print(
                f"  recorded {recorded:,} attempts; stored {count:,}, distinct ids {distinct:,},"
                f" from {kiosks_seen} kiosks"
                f" ({'all stored, none twice' if count == distinct == recorded else 'MISMATCH'}); {elapsed:.1f} s"
            )
            print(
                f"  record -> central lag: p50 {p50:.2f} s, p95 {p95:.2f} s, p99 {p99:.2f} s, max {lags[1] / 1e6:.2f} s"
                " (target < 5 s)"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


# ------------------------------------------------------------------------------------------------------------ report
GENERATE_SQL = """
INSERT INTO attempts (attempt_id, kiosk_id, facility_code, source, app_version, first_seen_at, read_at, lookup_sent_at,
    answered_at, stage, outcome, result_code, eligible, decoder_backend, decode_stage, frames_to_read, read_ms,
    validate_ms, lookup_ms, total_ms, http_attempts, error_reason, person_hash, masked_id, started_at, day, hour,
    utc_offset_min, lookup_sent, recorded_at, received_at)
SELECT
    md5(i::text || 'a') AS attempt_id, kiosk_id, facility_code, source, '0.1.0', started, started + read_us, sent,
    answered,
    CASE WHEN sent IS NULL THEN 'read' ELSE 'answered' END, outcome,
    CASE outcome WHEN 'eligible' THEN '000' WHEN 'not-found' THEN '050' WHEN 'data-mismatch' THEN '051' ELSE NULL END,
    CASE WHEN outcome IN ('eligible', 'eligible-with-warning', 'new-card') THEN 1 ELSE NULL END,
    CASE WHEN source = 'camera' THEN 'zxing-cpp' END, CASE WHEN source = 'camera' THEN 'full-frame' END,
    CASE WHEN source = 'camera' THEN 1 + (r3 * r3 * 12)::int END, read_us / 1000.0, 0.05 + r4 * 0.3,
    CASE WHEN sent IS NOT NULL THEN 300 + exp(r4 * 2.5) * 300 END,
    read_us / 1000.0 + CASE WHEN sent IS NOT NULL THEN 300 + exp(r4 * 2.5) * 300 ELSE 20 END,
    CASE WHEN sent IS NOT NULL THEN 1 END,
    CASE outcome WHEN 'unreadable' THEN 'unreadable: glare' WHEN 'timeout' THEN 'timeout: read 10 s'
        WHEN 'service-error' THEN 'service-error: http 503' WHEN 'invalid-card' THEN 'invalid-card: birth-date'
        WHEN 'not-id-card' THEN 'not-id-card: url' WHEN 'cancelled' THEN 'cancelled: user left' END,
    md5((i %% 4000000)::text) || md5((i %% 4000000)::text || 'p'), '••••••••' || lpad((i %% 10000)::text, 4, '0'),
    started, ((started + 25200000000) / 86400000000)::int, (((started + 25200000000) / 3600000000) %% 24)::int, 420,
    CASE WHEN sent IS NULL THEN 0 ELSE 1 END, started + 3000000, started + 4000000
FROM (
    SELECT i, kiosk_id, facility_code, source, outcome, started, read_us, r3, r4,
        CASE WHEN outcome IN ('unreadable', 'invalid-card', 'not-id-card', 'cancelled') THEN NULL
             ELSE started + read_us + 1000 END AS sent,
        CASE WHEN outcome IN ('unreadable', 'invalid-card', 'not-id-card', 'cancelled') THEN NULL
             ELSE started + read_us + 900000 END AS answered
    FROM (
        SELECT i,
            'kiosk-' || lpad((1 + (i * 7919) %% 300)::text, 3, '0') AS kiosk_id,
            '27' || lpad((1 + ((i * 7919) %% 300) %% 164)::text, 3, '0') AS facility_code,
            CASE WHEN r1 < 0.84 THEN 'camera' WHEN r1 < 0.95 THEN 'usb-scanner' ELSE 'manual' END AS source,
            CASE WHEN r2 < 0.640 THEN 'eligible' WHEN r2 < 0.655 THEN 'eligible-with-warning'
                 WHEN r2 < 0.665 THEN 'new-card' WHEN r2 < 0.695 THEN 'not-eligible' WHEN r2 < 0.717 THEN 'not-found'
                 WHEN r2 < 0.752 THEN 'data-mismatch' WHEN r2 < 0.822 THEN 'unreadable'
                 WHEN r2 < 0.834 THEN 'not-id-card' WHEN r2 < 0.854 THEN 'invalid-card' WHEN r2 < 0.899 THEN 'timeout'
                 WHEN r2 < 0.959 THEN 'service-error' WHEN r2 < 0.963 THEN 'setup-error'
                 WHEN r2 < 0.965 THEN 'rejected-signature' ELSE 'cancelled' END AS outcome,
            %(start)s::bigint + (i::bigint * %(step)s::bigint) + (r1 * 1000000)::bigint AS started,
            (50000 + r3 * r3 * 3000000)::bigint AS read_us, r3, r4
        FROM (SELECT i, random() AS r1, random() AS r2, random() AS r3, random() AS r4
              FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS i) AS g
    ) AS a
) AS b
"""


def bench_report(server_url: str, rows: int, reuse: bool) -> None:
    from kiosk.central import rollups
    from kiosk.central.migrations import ensure_partitions, migrate, month_of
    from kiosk.fleet import fleet_view
    from kiosk.lookup_log import LogFilter, LogReader
    from kiosk.reports import build_report, headline_sentence, report_to_dict

    name = "bhyt_bench_report"
    base, _, _ = server_url.rpartition("/")
    url = f"{base}/{name}"
    end = datetime(2026, 11, 30, 17, tzinfo=UTC)
    start = end - timedelta(days=365)
    start_us = int(start.timestamp() * 1e6)
    step = int((end - start).total_seconds() * 1e6 / rows)
    have = 0
    if reuse:
        try:
            with psycopg.connect(url) as conn:
                have = conn.execute("SELECT count(*) FROM attempts").fetchone()[0]
        except psycopg.Error:
            have = 0
    if have == rows:
        with psycopg.connect(url, autocommit=True) as conn:  # an older schema: the collector's migration
            began = time.perf_counter()
            found, now = migrate(conn)
            if found != now:
                conn.execute("VACUUM ANALYZE")
                print(f"migrated the store from v{found} to v{now} in {time.perf_counter() - began:.0f} s")
    else:
        url = new_database(server_url, name)
        with psycopg.connect(url, autocommit=True) as conn:
            migrate(conn)
            first_day = int(start.timestamp()) // 86400
            months = {month_of(day) for day in range(first_day - 1, first_day + 368)}  # local days, UTC+7
            ensure_partitions(conn, months, set())
            began = time.perf_counter()
            chunk = 1_000_000
            for first in range(1, rows + 1, chunk):
                last = min(rows, first + chunk - 1)
                conn.execute(GENERATE_SQL, {"start": start_us, "step": step, "first": first, "last": last})
                print(f"  generated {last:,} rows ({time.perf_counter() - began:.0f} s)", flush=True)
            with conn.transaction():  # rows loaded outside the collector: count them into the totals once
                rollups.rebuild(conn)
            conn.execute("VACUUM ANALYZE attempts")
            print(
                f"generated {rows:,} attempts server-side in {time.perf_counter() - began:.0f} s (VACUUM ANALYZE incl.)"
            )
    print(f"report over {rows:,} attempts on {safe_url(url)} (PostgreSQL, own generator; fresh reader each run)")

    def timed(label: str, fn, repeat: int = 3):  # type: ignore[no-untyped-def]
        times = []
        for _ in range(repeat):
            began = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - began)
        load = f"  load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
        print(f"  {label:<50} best {min(times):6.2f} s  median {statistics.median(times):6.2f} s{load}")
        return result

    def report(filters: LogFilter, by: str | None = None):  # type: ignore[no-untyped-def]
        with LogReader(url) as reader:
            return build_report(reader, filters, by=by)

    def glance(by: str):  # type: ignore[no-untyped-def]
        with LogReader(url) as reader:
            return fleet_view(reader, by)  # type: ignore[arg-type]

    month = LogFilter(since=(end - timedelta(days=29)).date(), until=end.date())
    r = timed("province report, whole year", lambda: report(LogFilter()))
    print(f"    {headline_sentence(r.headline)}")
    timed("province report, last 30 days", lambda: report(month))
    timed("per-kiosk table (7 days + previous 7)", lambda: glance("kiosk"))
    timed("per-facility table (7 days + previous 7)", lambda: glance("facility"))
    by_kiosk = timed("report --by kiosk, last 30 days (groups + table)", lambda: report(month, "kiosk"))
    this_month = LogFilter(since=end.date().replace(day=1), until=end.date())
    timed("report --by facility, this month", lambda: report(this_month, "facility"))
    with LogReader(url) as reader:  # the per-day totals against a scan of the same month's rows
        reader.use_totals = False
        began = time.perf_counter()
        scanned = build_report(reader, month, by="kiosk")
        same = report_to_dict(scanned) == report_to_dict(by_kiosk)
        print(f"  last 30 days from the rows (no totals): {time.perf_counter() - began:.2f} s, same figures: {same}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("part", choices=("ingest", "report"))
    parser.add_argument("--postgres", default=os.environ.get("BHYT_TEST_POSTGRES_URL"), metavar="URL")
    parser.add_argument("--kiosks", type=int, default=300)
    parser.add_argument("--attempts", type=int, default=200, help="per kiosk")
    parser.add_argument("--seconds", type=int, default=60, help="the bursts spread over this many seconds")
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--reuse", action="store_true", help="reuse the generated rows of an earlier run")
    args = parser.parse_args()
    if not args.postgres:
        raise SystemExit('no PostgreSQL: eval "$(scripts/test-postgres.sh start)" or --postgres URL')
    if args.part == "ingest":
        bench_ingest(args.postgres, args.kiosks, args.attempts, args.seconds)
    else:
        bench_report(args.postgres, args.rows, args.reuse)


if __name__ == "__main__":
    main()
