"""The real reception window in its own process, for tests that drive it with real X input (xdotool).

Run as ``python tests/x_app.py STATE_DIR`` with DISPLAY set to a test X server. It starts the demo
service, opens the reception window over a still, empty camera picture (so that only the keys the test types
make attempts), and talks to the test through files in STATE_DIR (portable, no sockets):

- it writes ``ready.json`` (the lookup-log path) once the window is up and waiting;
- for every ``request-N`` file the test creates it writes ``state-N.json``: the manual form's fields, the
  focused widget, the screen and the attempts the pipeline has recorded so far (source, outcome, reason);
  a request file may hold ``{"submit": PAYLOAD}`` to make a camera-like result arrive (the card read by the
  pipeline as if a camera had decoded it);
- a ``quit`` file closes the window and ends the process.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import cv2
import numpy as np
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.attempts import InputSource
from kiosk.pipeline import KioskPipeline, RecordedAttempt
from kiosk.standins.demo import DemoEnvironment
from ui.flow import Screen
from ui.main_window import MainWindow
from ui.runtime import Runtime
from ui.theme import Theme, apply_theme


def _centre(widget: QWidget) -> list[int]:
    point = widget.mapToGlobal(widget.rect().center())
    return [point.x(), point.y()]


def main(state_dir: Path) -> int:
    app = QApplication(sys.argv[:1])
    apply_theme(app, Theme())
    demo = DemoEnvironment(read_timeout_s=3.0)
    demo.start()
    blank = state_dir / "empty-camera.png"
    cv2.imwrite(str(blank), np.full((480, 640, 3), 90, np.uint8))
    config = demo.config
    config.mode = "reception"
    config.camera = str(blank)
    config.sounds = False
    config.result_timeout_s = 600.0
    window = MainWindow(config)
    pipeline = KioskPipeline(config=config, hasher=demo.hasher)
    pipeline.add_listener(window.bridge.listener)
    recorded: list[dict[str, str | None]] = []

    def on_record(rec: RecordedAttempt) -> None:
        a = rec.attempt
        recorded.append({"source": a.source.value, "outcome": a.outcome.value if a.outcome else None,
                         "error_reason": a.error_reason})

    pipeline.add_record_listener(on_record)
    runtime = Runtime(config=config, config_path=None, pipeline=pipeline, source_description="", demo=demo)
    pipeline.start()
    window.attach_runtime(runtime)
    window.resize(1280, 800)
    window.show()
    served: set[str] = set()

    def state() -> dict[str, object]:
        focus = QApplication.focusWidget()
        form = window.manual
        assert form is not None
        return {
            "fields": {"id": form.id_field.text(), "name": form.name_field.text(), "dob": form.dob_field.text()},
            "focus": focus.objectName() or type(focus).__name__ if focus is not None else None,
            "focus_is_name": focus is form.name_field,
            "screen": window.current_screen.value,
            "attempts": list(recorded),
            "result_title": window.result_view.title.text(),
            "result_reason": window.result_view.reason.text(),
            "result_next": window.result_view.next_step.text(),
            "name_field_centre": _centre(form.name_field),
            "language": window.translations.language,
        }

    def poll() -> None:
        if (state_dir / "quit").exists():
            window.allow_exit()
            window.close()
            app.quit()
            return
        if window.current_screen is Screen.WAITING and not (state_dir / "ready.json").exists():
            (state_dir / "ready.json").write_text(json.dumps({"log_db": str(config.effective_log_db)}))
        for request in sorted(state_dir.glob("request-*")):
            if request.name in served:
                continue
            served.add(request.name)
            body = request.read_text(encoding="utf-8").strip()
            if body:
                pipeline.submit_payload(json.loads(body)["submit"], InputSource.CAMERA)
            n = request.name.split("-", 1)[1]
            (state_dir / f"state-{n}.json").write_text(json.dumps(state(), ensure_ascii=False), encoding="utf-8")

    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(50)
    try:
        return int(app.exec())
    finally:
        window.shutdown()


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
