"""Reception during and after an outage: the worst GUI-thread stall while late answers pour into the pending list.

    .venv/bin/python bench/bench_pending_list.py [--cards 150]

The reception window (offscreen Qt) over a real pipeline with background retries and the demo's mocked service: the
service answers 503 to everything while ``--cards`` USB-scanner payloads come in (each first try fails at once and goes
to the background: a row in the pending list), then the outage ends and every late answer arrives (a row update and
a sound each). A 10 ms GUI-thread timer measures the stalls the whole time (target: none over 100 ms).
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cards", type=int, default=150)
    args = p.parse_args(argv)

    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk.pipeline import KioskPipeline
    from kiosk.retrier import RetryEventKind
    from kiosk.standins.demo import DemoEnvironment
    from ui.main_window import MainWindow
    from ui.runtime import Runtime

    app = QApplication.instance() or QApplication([])
    with DemoEnvironment(read_timeout_s=2.0) as demo:
        config = copy.deepcopy(demo.config)
        config.mode = "reception"
        config.sounds = False
        config.first_try_deadline_s = 1.0
        config.breaker_threshold = 1000  # every card's first try reaches the service (the worst case for the list)
        window = MainWindow(config, apply_style=False)
        pipeline = KioskPipeline(config=config, hasher=demo.hasher, background_retries=True)
        pipeline.add_listener(window.bridge.listener)
        pipeline.add_retry_listener(window.retry_bridge.listener)
        pipeline.start()
        window.attach_runtime(Runtime(config=config, config_path=None, pipeline=pipeline, source_description=""))
        window.resize(1280, 800)
        window.show()
        assert window.pending_list is not None
        # how long the list's own handler takes per event (to tell its cost from the machine's load)
        handler_s: list[float] = []
        plain = window.pending_list.on_event

        def timed(event: object) -> None:
            t0 = time.perf_counter()
            plain(event)  # type: ignore[arg-type]
            handler_s.append(time.perf_counter() - t0)

        window.retry_bridge.event.disconnect(plain)
        window.retry_bridge.event.connect(timed)

        deadline = time.monotonic() + 2.0  # the window's first paints are not the list's doing
        while time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.005)
        gaps: list[float] = []
        clock = QElapsedTimer()
        clock.start()
        last = [clock.elapsed()]

        def tick() -> None:
            now = clock.elapsed()
            gaps.append((now - last[0]) / 1000.0)
            last[0] = now

        timer = QTimer()
        timer.setInterval(10)
        timer.timeout.connect(tick)
        timer.start()

        def pump(until: float, done: object = None) -> None:
            while time.monotonic() < until and not (done is not None and done()):  # type: ignore[operator]
                app.processEvents()
                time.sleep(0.002)

        people = [p for p in demo.people if p.person is not None]
        demo.set_faults("error=1")
        started = time.monotonic()
        for i in range(args.cards):
            pipeline.submit_payload(people[i % len(people)].payload)
            pump(time.monotonic() + 0.01)
        rows = window.pending_list.rows
        pump(time.monotonic() + 60, lambda: len(rows) >= args.cards)
        outage_s = time.monotonic() - started
        before = len(gaps)
        demo.set_faults("none")
        answered_at = time.monotonic()
        pump(time.monotonic() + 120, lambda: all(r.event.kind is RetryEventKind.ANSWERED for r in rows.values()))
        drain_s = time.monotonic() - answered_at
        late = sum(1 for r in rows.values() if r.event.kind is RetryEventKind.ANSWERED)
        shown_rows = len(rows)
        timer.stop()
        window.allow_exit()
        window.shutdown()

    during = sorted(gaps[:before])
    after = sorted(gaps[before:])
    print(f"{args.cards} cards during a 503 outage ({outage_s:.1f} s): {shown_rows} rows in the pending list; "
          f"worst GUI stall {during[-1] * 1000:.0f} ms (p99 {during[int(len(during) * 0.99)] * 1000:.0f} ms)")
    print(f"outage over: {late} late answers in {drain_s:.1f} s; worst GUI stall {after[-1] * 1000:.0f} ms "
          f"(p99 {after[int(len(after) * 0.99)] * 1000:.0f} ms); timer period 10 ms")
    handler_s.sort()
    median = handler_s[len(handler_s) // 2]
    print(f"the pending list's handler: {len(handler_s)} events, median {median * 1000:.2f} ms, "
          f"max {handler_s[-1] * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
