"""Lookup-log benchmark: report speed on 1,000,000 attempts, recording throughput and caller latency.

    .venv/bin/python bench/bench_log.py [--rows 1000000] [--db PATH] [--record 50000]

Targets: ``report`` <= 1 s on 1,000,000 attempts; recording >= 5,000 attempts/s with p99 <= 5 ms per record() call
on the caller's side. Prints the figures.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.attempts import InputSource, LookupAttempt, Stage
from kiosk.dashboard import DashboardReader
from kiosk.lookup_log import ALL, LogFilter, LogReader, LookupLog
from kiosk.outcomes import Outcome
from kiosk.reports import build_report, format_table
from kiosk.standins.simulate import SimulationConfig, write_simulation


def build_db(path: Path, rows: int) -> None:
    if path.exists():
        with LogReader(path) as reader:
            have = reader.count()
        if have >= rows * 0.95:
            print(f"using {path}: {have:,} attempts")
            return
    kiosks = max(1, round(rows / (365 * 300 * 5.45 / 7)))
    # ends today: within the 400-day retention, so opening the log prunes nothing
    config = SimulationConfig(days=365, kiosks=kiosks, attempts_per_day=300, seed=1)
    started = time.perf_counter()
    n = write_simulation(path, config)
    print(f"simulate: {n:,} attempts ({kiosks} kiosks, 365 days) in {time.perf_counter() - started:.1f} s")


def timed(label: str, fn, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    best, median = min(times), statistics.median(times)
    print(f"  {label:<44} best {best * 1000:7.0f} ms   median {median * 1000:7.0f} ms")
    return median


def bench_reports(path: Path) -> None:
    month = LogFilter(since=date.today() - timedelta(days=29), until=date.today())
    print("report queries (a fresh reader each time: connection set-up included)")

    def report(filters: LogFilter | None = None, by: str | None = None) -> None:
        with LogReader(path) as reader:
            format_table(build_report(reader, filters, by=by))

    timed("report (whole log)", report)
    timed("report --since/--until (last 30 days)", lambda: report(month))
    timed("report --kiosk kiosk-01", lambda: report(LogFilter(kiosks=("kiosk-01",))))
    for by in ("day", "hour", "kiosk", "outcome", "source"):
        timed(f"report --by {by}", lambda by=by: report(by=by))
    with DashboardReader(path) as reader:
        print("dashboard queries (whole log)")
        timed("day_hour_outcome_counts (daily, hourly, failures per day)", reader.day_hour_outcome_counts)
        timed("total_ms_histogram", lambda: reader.total_ms_histogram(ALL))
        timed("frames_histogram", reader.frames_histogram)
        timed("attempts page (newest 100)", lambda: reader.attempts(limit=100))
        timed(
            "attempts page (kiosk-02 timeouts, offset 1000)",
            lambda: reader.attempts(LogFilter(kiosks=("kiosk-02",), outcomes=(Outcome.TIMEOUT,)), offset=1000),
        )
        timed("count (last 30 days)", lambda: reader.count(month))


def make_attempts(n: int) -> list[LookupAttempt]:
    now = datetime.now(UTC)
    out = []
    for i in range(n):
        a = LookupAttempt.start(
            kiosk_id=f"kiosk-{i % 4:02d}",
            facility_code="27001",
            source=InputSource.CAMERA,
            now=now + timedelta(milliseconds=i),
        )
        a.stage = Stage.ANSWERED
        a.outcome = Outcome.ELIGIBLE if i % 5 else Outcome.TIMEOUT
        a.lookup_sent_at = a.first_seen_at
        a.result_code = "000" if i % 5 else None
        a.read_ms, a.validate_ms, a.lookup_ms, a.total_ms = 120.0 + i % 50, 0.4, 1400.0 + i % 300, 1600.0 + i % 400
        a.frames_to_read = 1 + i % 6
        a.person_hash = f"{i % 9973:064x}"
        a.masked_id = f"••••••••{i % 10000:04d}"
        out.append(a)
    return out


def bench_record(path: Path, n: int, *, max_batch: int, rate: float | None) -> None:
    attempts = make_attempts(n)
    opened = time.perf_counter()
    log = LookupLog(path, max_batch=max_batch)  # includes PRAGMA quick_check and the probe write
    print(f"  open for writing (quick_check of the whole file): {time.perf_counter() - opened:.2f} s")
    latencies: list[float] = []

    def produce() -> None:
        started = time.perf_counter()
        for i, a in enumerate(attempts):
            if rate is not None:
                due = started + i / rate
                while time.perf_counter() < due:
                    time.sleep(0.0002)
            t = time.perf_counter()
            log.record(a)
            latencies.append(time.perf_counter() - t)

    started = time.perf_counter()
    producer = threading.Thread(target=produce)
    producer.start()
    producer.join()
    produced = time.perf_counter() - started
    log.flush()
    written = time.perf_counter() - started
    stats = log.stats()
    log.close()
    latencies.sort()
    p50, p99, worst = (latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.99)], latencies[-1])
    mode = f"max_batch={max_batch}, " + (f"paced {rate:,.0f}/s" if rate else "as fast as possible")
    print(
        f"  {mode:<38} {n:,} attempts written in {written:.2f} s = {n / written:,.0f}/s "
        f"(producer {produced:.2f} s); record() p50 {p50 * 1e6:.0f} us, p99 {p99 * 1e6:.0f} us, "
        f"max {worst * 1e3:.1f} ms; committed {stats.committed:,}, dropped {stats.dropped}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, help="keep/reuse the big database here (default: a temporary folder)")
    parser.add_argument("--record", type=int, default=50_000, help="attempts per recording run")
    parser.add_argument("--skip-reports", action="store_true")
    parser.add_argument("--skip-record", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        big = args.db or Path(tmp) / "big.db"
        if not args.skip_reports:
            build_db(big, args.rows)
            bench_reports(big)
        if not args.skip_record:
            print("recording (caller-side record() latency, end-to-end throughput until flushed)")
            runs = [(64, None), (1, None), (64, 5_000.0), (64, 10_000.0)]
            for i, (max_batch, rate) in enumerate(runs):
                bench_record(Path(tmp) / f"rec{i}.db", args.record, max_batch=max_batch, rate=rate)
            if big.exists():
                print("  recording into the big database:")
                bench_record(big, args.record, max_batch=64, rate=5_000.0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
