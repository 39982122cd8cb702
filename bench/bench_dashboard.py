"""Log window benchmark: time to dashboard-ready on a ~1,000,000-attempt log, and the table's scroll cost.

    .venv/bin/python bench/bench_dashboard.py                    # builds /tmp/bhyt-bench-dashboard.db once (~1-2 min)
    .venv/bin/python bench/bench_dashboard.py --db PATH --attempts 200000

The log is made with the simulator (``kiosk.standins.simulate``, the same as ``bhyt-kiosk logs simulate``) and kept for
later runs. The window runs offscreen; each figure is wall-clock time on the GUI thread from opening the log (or
changing the filter) until the dashboard shows it, and until the table knows its rows. Scrolling: the view jumps to
random places in the table; each jump has one page of rows read on a worker thread: the GUI thread's cost (jump and
repaint, the rows showing "…") and the time until the rows are on screen are printed apart.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def build(db: Path, attempts: int) -> date:
    from kiosk.standins.simulate import SimulationConfig, write_simulation

    end = date(2025, 6, 30)
    days, kiosks = 120, 10
    per_day = round(attempts / (days * kiosks * (5 + 0.4 + 0.05) / 7))
    config = SimulationConfig(days=days, kiosks=kiosks, attempts_per_day=per_day, seed=1, end=end)
    if not db.exists():
        started = time.perf_counter()
        n = write_simulation(db, config)
        print(f"built {db}: {n:,} attempts in {time.perf_counter() - started:.1f} s")
    return end


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=Path("/tmp/bhyt-bench-dashboard.db"))
    parser.add_argument("--attempts", type=int, default=1_000_000)
    parser.add_argument("--jumps", type=int, default=200)
    args = parser.parse_args()
    end = build(args.db, args.attempts)

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk.dashboard import Period
    from ui.log_window import LogWindow

    app = QApplication(sys.argv[:1])

    def wait(signal: object) -> float:
        loop = QEventLoop()
        signal.connect(loop.quit)  # type: ignore[attr-defined]
        QTimer.singleShot(60_000, loop.quit)
        loop.exec()
        return time.perf_counter()

    # worst GUI-thread stall while loading: a 10 ms timer measures the gaps between its ticks
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    ticker = QTimer()
    ticker.timeout.connect(tick)
    ticker.start(10)

    started = time.perf_counter()
    window = LogWindow(None, today=end + timedelta(days=1))
    window.resize(1400, 900)
    window.show()
    table_at: list[float] = []
    window.tableReady.connect(lambda: table_at.append(time.perf_counter()))
    last[0] = time.perf_counter()
    window.open_database(args.db)
    dash_at = wait(window.dashboardReady)
    if not table_at:
        wait(window.tableReady)
    total = window.dashboard.headline.attempts if window.dashboard else 0
    print(f"log: {args.db} ({args.db.stat().st_size / 1e6:,.0f} MB), 30-day period: {total:,} attempts")
    print(f"open -> dashboard ready (30 days):  {dash_at - started:6.2f} s")
    print(f"open -> table ready (30 days):      {table_at[0] - started:6.2f} s  ({window.model.rowCount():,} rows)")
    for period in (Period.ALL, Period.LAST_7_DAYS):
        table_at.clear()
        t0 = time.perf_counter()
        window.set_period(period)
        t1 = wait(window.dashboardReady)
        if not table_at:
            wait(window.tableReady)
        print(
            f"filter {period.value:>8} -> dashboard {t1 - t0:5.2f} s, table {table_at[0] - t0:5.2f} s "
            f"({window.model.rowCount():,} rows)"
        )
    window.set_period(Period.ALL)
    wait(window.tableReady)
    print(f"worst GUI-thread stall while loading: {max(gaps) * 1000:.0f} ms")

    rows = window.model.rowCount()
    window.tabs.setCurrentIndex(1)
    app.processEvents()
    bar = window.table.verticalScrollBar()
    rng = random.Random(0)
    costs, shown = [], []
    for _ in range(args.jumps):
        target = rng.randrange(bar.maximum() + 1)
        t0 = time.perf_counter()
        bar.setValue(target)
        window.table.viewport().repaint()
        costs.append((time.perf_counter() - t0) * 1000)
        top = window.table.rowAt(0)
        while window.model.index(top, 0).data() == "…" and time.perf_counter() - t0 < 10:
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 5)
        shown.append((time.perf_counter() - t0) * 1000)
    costs.sort()
    shown.sort()
    print(
        f"table scroll, {args.jumps} random jumps in {rows:,} rows: GUI thread median {statistics.median(costs):.1f} "
        f"ms, p95 {costs[int(0.95 * len(costs))]:.1f} ms, max {costs[-1]:.1f} ms per jump+repaint; rows on screen "
        f"median {statistics.median(shown):.1f} ms, p95 {shown[int(0.95 * len(shown))]:.1f} ms; "
        f"{window.model.page_loads} pages read"
    )
    t0 = time.perf_counter()
    for _ in range(100):
        bar.setValue(bar.value() + bar.pageStep())
        window.table.viewport().repaint()
    print(f"table page-down x100: {(time.perf_counter() - t0) * 10:.1f} ms per page")
    t0 = time.perf_counter()
    window.close()
    print(f"close (stop workers): {(time.perf_counter() - t0) * 1000:.0f} ms")
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
