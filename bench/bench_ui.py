"""UI benchmarks: start-up to live preview, steady memory over many scans, worst GUI-thread stall.

    .venv/bin/python bench/bench_ui.py             # 10,000 scans
    .venv/bin/python bench/bench_ui.py --quick     # 500 scans

1. Start-up: a fresh process runs ``bhyt-kiosk --demo --camera synthetic`` in-process (offscreen) and reports
   when the window was shown and when the first camera frame was painted, from the moment the process was
   spawned (includes the interpreter start and every import).
2. Scans: the reception window over a running pipeline with the synthetic camera feeding the preview; cards
   arrive as USB-scanner payloads (the demo people in turn), each one is looked up by the real mocked service,
   shown and dismissed. RSS is sampled as it goes; a 10 ms GUI-thread timer measures the worst stall.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def rss_mb() -> float:
    """Resident memory now (Linux /proc), else the peak (other platforms)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


# ------------------------------------------------------------------------------------------ 1. start-up


def child_start() -> int:
    """Run in a fresh process: start the app, print JSON timings (wall clock), quit."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    import_done = time.time()
    app = QApplication(sys.argv[:1])
    from ui.app import create_window
    from ui.runtime import StartOptions

    window, starter = create_window(StartOptions(demo=True, camera="synthetic", mode="kiosk"), app)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    shown = time.time()
    marks: dict[str, float] = {"imports": import_done, "window": shown}

    def poll() -> None:
        if window.preview.has_frame and window.preview.frames_shown > 0:
            window.preview.repaint()
            marks["preview"] = time.time()
            window.allow_exit()
            app.quit()
            return
        QTimer.singleShot(5, poll)

    QTimer.singleShot(0, poll)
    QTimer.singleShot(30_000, app.quit)
    app.exec()
    starter.stop()
    window.allow_exit()
    window.shutdown()
    print(json.dumps(marks))
    return 0


def bench_start(runs: int) -> dict[str, float]:
    windows, previews = [], []
    for _ in range(runs):
        spawned = time.time()
        out = subprocess.run([sys.executable, __file__, "--child-start"], capture_output=True, text=True,
                             timeout=120, check=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        marks = json.loads(out.stdout.strip().splitlines()[-1])
        windows.append(marks["window"] - spawned)
        if "preview" in marks:
            previews.append(marks["preview"] - spawned)
    return {
        "window_shown_s_median": statistics.median(windows),
        "live_preview_s_median": statistics.median(previews) if previews else float("nan"),
        "live_preview_s_max": max(previews) if previews else float("nan"),
    }


# ------------------------------------------------------------------------------------------ 2. scans


def bench_scans(scans: int) -> dict[str, float]:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk.attempts import InputSource
    from kiosk.pipeline import KioskPipeline
    from kiosk.standins.demo import DemoEnvironment
    from scanner.sources import SyntheticSource
    from ui.flow import Screen
    from ui.main_window import MainWindow
    from ui.runtime import Runtime

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with DemoEnvironment() as demo:
        config = copy.deepcopy(demo.config)
        config.mode = "reception"
        config.sounds = False
        config.retries = 0
        payloads = [p.payload for p in demo.people]
        window = MainWindow(config, apply_style=True)
        # the camera keeps the preview busy; its own cards are shown rarely (long gaps) so scans dominate
        source = SyntheticSource(payloads=payloads[:1], width=640, height=360, fps=30, gap_seconds=(30, 30))
        pipeline = KioskPipeline(config=config, hasher=demo.hasher, source=source)
        pipeline.add_listener(window.bridge.listener)
        pipeline.start()
        window.attach_runtime(Runtime(config=config, config_path=None, pipeline=pipeline, source_description=""))
        window.resize(1280, 800)
        window.show()

        done = 0
        samples: list[tuple[int, float]] = []
        gaps: list[float] = []
        last_tick = [time.monotonic()]
        started = time.monotonic()

        def tick() -> None:
            now = time.monotonic()
            gaps.append(now - last_tick[0])
            last_tick[0] = now

        watchdog = QTimer()
        watchdog.setInterval(10)
        watchdog.timeout.connect(tick)

        def next_scan() -> None:
            pipeline.submit_payload(payloads[done % len(payloads)], InputSource.USB_SCANNER)

        def on_screen(screen: str) -> None:
            nonlocal done
            if screen != Screen.RESULT.value:
                return
            done += 1
            if done % max(1, scans // 20) == 0 or done == 1:
                samples.append((done, rss_mb()))
            if done >= scans:
                app.quit()
                return
            window.dismiss_result()
            QTimer.singleShot(0, next_scan)

        window.screen_changed.connect(on_screen)

        def begin() -> None:
            if window.current_screen is not Screen.WAITING:
                QTimer.singleShot(20, begin)
                return
            samples.append((0, rss_mb()))
            last_tick[0] = time.monotonic()
            watchdog.start()
            next_scan()

        QTimer.singleShot(500, begin)
        app.exec()
        watchdog.stop()
        elapsed = time.monotonic() - started
        frames_in, frames_taken = window.bridge.frames_in, window.bridge.frames_taken
        window.allow_exit()
        window.shutdown()
    warm = [m for n, m in samples if n >= scans // 5] or [samples[-1][1]]
    gaps.sort()
    return {
        "scans": done,
        "seconds": elapsed,
        "scans_per_s": done / elapsed,
        "rss_mb_start": samples[0][1],
        "rss_mb_after_20pct": warm[0],
        "rss_mb_end": samples[-1][1],
        "rss_mb_peak": max(m for _, m in samples),
        "rss_growth_after_warmup_mb": samples[-1][1] - warm[0],
        "gui_stall_max_ms": gaps[-1] * 1000 if gaps else float("nan"),
        "gui_stall_p99_ms": gaps[int(len(gaps) * 0.99)] * 1000 if gaps else float("nan"),
        "preview_frames_offered": frames_in,
        "preview_frames_painted_or_taken": frames_taken,
    }


# ------------------------------------------------------------------------------------------ 3. preview rate


def bench_preview(seconds: float, rate: float) -> dict[str, float]:
    """A camera-like thread offers 1280x720 frames at ``rate`` Hz through the bridge; count what is painted."""
    import threading

    import numpy as np
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk.config import KioskConfig
    from kiosk.pipeline import EventKind, PipelineEvent, PipelineState
    from ui.flow import Screen
    from ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    config = KioskConfig(mode="kiosk", sounds=False)
    window = MainWindow(config)
    window.resize(1280, 800)
    window.show()
    window._show_screen(Screen.WAITING)
    rng = np.random.default_rng(0)
    frames = [rng.integers(0, 255, (720, 1280, 3), dtype=np.uint8) for _ in range(4)]
    stop = threading.Event()

    def camera() -> None:
        i = 0
        while not stop.is_set():
            window.bridge.listener(PipelineEvent(kind=EventKind.FRAME, state=PipelineState.WAITING,
                                                 frame=frames[i % 4]))
            i += 1
            time.sleep(1.0 / rate)

    thread = threading.Thread(target=camera, daemon=True)
    window.allow_exit()  # Qt 6's quit() closes the windows first; a kiosk window refuses without this
    start = time.monotonic()
    thread.start()
    shown0 = window.preview.frames_shown
    QTimer.singleShot(int(seconds * 1000), app.quit)
    app.exec()
    stop.set()
    thread.join()
    elapsed = time.monotonic() - start
    shown = window.preview.frames_shown - shown0
    offered = window.bridge.frames_in
    window.shutdown()
    return {"offered_fps": offered / elapsed, "shown_fps": shown / elapsed, "paint_fps": window.preview.fps()}


def main() -> int:
    parser = argparse.ArgumentParser(description="UI benchmarks")
    parser.add_argument("--scans", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true", help="500 scans, 2 start-up runs")
    parser.add_argument("--start-runs", type=int, default=3)
    parser.add_argument("--child-start", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_start:
        return child_start()
    scans = 500 if args.quick else args.scans
    runs = 2 if args.quick else args.start_runs
    start = bench_start(runs)
    print(f"start-up ({runs} runs, from process spawn):")
    for key, value in start.items():
        print(f"  {key:32s} {value:8.3f}")
    preview = bench_preview(5.0, 30.0)
    print("preview, 1280x720 frames offered at 30 Hz for 5 s:")
    for key, value in preview.items():
        print(f"  {key:32s} {value:8.1f}")
    result = bench_scans(scans)
    print(f"scans through the reception window ({scans}):")
    for key, value in result.items():
        print(f"  {key:32s} {value:10.2f}" if isinstance(value, float) else f"  {key:32s} {value:10d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
