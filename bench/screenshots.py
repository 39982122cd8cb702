"""Regenerate docs/screenshots/*.png: every screen of the app, rendered from the real widgets.

    .venv/bin/python bench/screenshots.py                 # offscreen rendering (no display needed)
    xvfb-run -a -s "-screen 0 1280x800x24" env QT_QPA_PLATFORM=xcb .venv/bin/python bench/screenshots.py

Results come from the real mocked service (DemoEnvironment); the camera picture is a synthetic frame pushed
through the same bridge the pipeline uses.
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from kiosk.config import KioskConfig  # noqa: E402
from kiosk.outcomes import Outcome  # noqa: E402
from kiosk.pipeline import EventKind, KioskPipeline, PipelineEvent, PipelineState  # noqa: E402
from kiosk.standins.demo import DemoEnvironment  # noqa: E402
from scanner.reader import ReadHint  # noqa: E402
from scanner.standins.synth import FrameConditions, synth_frame  # noqa: E402
from ui.flow import Screen  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.runtime import Runtime  # noqa: E402
from ui.theme import Theme, apply_theme  # noqa: E402

SIZE = (1280, 800)


def pump(seconds: float = 0.15) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QCoreApplication.processEvents()
        time.sleep(0.01)


def wait_for(predicate, timeout: float = 15.0) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise TimeoutError("screen did not appear")
        pump(0.02)


def save(widget: QWidget, out: Path, name: str) -> None:
    pump(0.1)
    path = out / f"{name}.png"
    if not widget.grab().save(str(path)):
        raise OSError(f"cannot write {path}")
    print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


def open_window(demo: DemoEnvironment, mode: str, config: KioskConfig | None = None) -> MainWindow:
    cfg = copy.deepcopy(config or demo.config)
    cfg.mode = mode
    cfg.sounds = False
    cfg.result_timeout_s = 15
    window = MainWindow(cfg)
    pipeline = KioskPipeline(config=cfg, hasher=demo.hasher)
    pipeline.add_listener(window.bridge.listener)
    pipeline.start()
    window.attach_runtime(Runtime(config=cfg, config_path=None, pipeline=pipeline, source_description="demo"))
    window.resize(*SIZE)
    window.show()
    wait_for(lambda: window.current_screen is Screen.WAITING)
    return window


def push_frame(window: MainWindow, payload: str | None, hint: ReadHint | None, **cond: object) -> None:
    image = synth_frame(payload, FrameConditions(frame_size=(1280, 720), **cond))  # type: ignore[arg-type]
    window.bridge.listener(PipelineEvent(kind=EventKind.FRAME, state=PipelineState.WAITING, frame=image, hint=hint))
    pump(0.1)


def result(window: MainWindow, payload: str) -> None:
    window.dismiss_result()
    wait_for(lambda: window.current_screen is not Screen.RESULT)
    window.pipeline.submit_payload(payload)
    wait_for(lambda: window.current_screen is Screen.RESULT and window.result_view.shown is not None)


def close(window: MainWindow) -> None:
    window.allow_exit()
    window.shutdown()
    window.close()
    window.deleteLater()
    pump(0.05)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    apply_theme(app, Theme())
    with DemoEnvironment() as demo:
        payload = {o: demo.person_for(o).payload for o in demo.outcomes()}
        eligible = payload[Outcome.ELIGIBLE]

        kiosk = open_window(demo, "kiosk")
        push_frame(kiosk, None, ReadHint.NO_CODE)
        save(kiosk, out, "01-kiosk-waiting")
        kiosk._show_screen(Screen.READING)
        push_frame(kiosk, eligible, ReadHint.TOO_SMALL, card_width_frac=0.25, center=(0.55, 0.5), rotation_deg=8)
        save(kiosk, out, "02-kiosk-reading-hint")
        push_frame(kiosk, eligible, ReadHint.GLARE, card_width_frac=0.6, glare=((0.6, 0.45, 0.06, 0.9),))
        save(kiosk, out, "02b-kiosk-reading-glare")
        demo.set_faults("latency=1:3")
        kiosk.pipeline.submit_payload(eligible)
        wait_for(lambda: kiosk.current_screen is Screen.LOOKING_UP)
        save(kiosk, out, "03-kiosk-looking-up")
        wait_for(lambda: kiosk.current_screen is Screen.RESULT)
        demo.set_faults("none")
        save(kiosk, out, "04-kiosk-result-eligible")
        result(kiosk, payload[Outcome.ELIGIBLE_WITH_WARNING])
        save(kiosk, out, "05-kiosk-result-warning")
        result(kiosk, payload[Outcome.NEW_CARD])
        save(kiosk, out, "06-kiosk-result-new-card")
        result(kiosk, payload[Outcome.NOT_ELIGIBLE])
        save(kiosk, out, "07-kiosk-result-not-eligible")
        result(kiosk, payload[Outcome.DATA_MISMATCH])
        save(kiosk, out, "08-kiosk-result-data-mismatch")
        demo.set_faults("error=1")
        result(kiosk, eligible)
        demo.set_faults("none")
        save(kiosk, out, "09-kiosk-result-service-problem")
        result(kiosk, payload[Outcome.NOT_ID_CARD])
        save(kiosk, out, "10-kiosk-result-not-id-card")
        kiosk.bridge.listener(PipelineEvent(kind=EventKind.SOURCE_LOST, state=PipelineState.ERROR, error="gone"))
        kiosk.dismiss_result()
        kiosk.bridge.listener(PipelineEvent(kind=EventKind.SOURCE_LOST, state=PipelineState.ERROR, error="gone"))
        wait_for(lambda: kiosk.current_screen is Screen.CAMERA_LOST)
        save(kiosk, out, "11-kiosk-camera-lost")

        from ui.pin_dialog import PinDialog

        pin = PinDialog(demo.config.staff_pin_hash, kiosk.tr("Nhập mã PIN nhân viên để thoát."), kiosk)
        pin.show()
        pin.field.setText("12")
        save(pin, out, "12-pin-pad")
        pin.close()
        close(kiosk)

        reception = open_window(demo, "reception")
        push_frame(reception, None, ReadHint.NO_CODE)
        for outcome in (Outcome.NOT_FOUND, Outcome.NOT_ELIGIBLE, Outcome.ELIGIBLE):
            result(reception, payload[outcome])
        save(reception, out, "13-reception-result-recent")
        reception.dismiss_result()
        form = reception.manual
        assert form is not None
        person = demo.person_for(Outcome.ELIGIBLE).person
        assert person is not None
        form.id_field.setText(person.identity.id_number)
        form.name_field.setText(person.identity.full_name)
        form.dob_field.setText(str(person.identity.date_of_birth.year + 1))
        save(reception, out, "14-reception-manual-entry")
        form.clear()

        from ui.runtime import camera_choices
        from ui.settings_dialog import SettingsDialog

        settings = SettingsDialog(reception.config, camera_choices(), reception)
        settings.show()
        save(settings, out, "15-settings")
        settings.close()
        reception.set_language("en")
        result(reception, payload[Outcome.ELIGIBLE_WITH_WARNING])
        save(reception, out, "16-reception-english")
        reception.set_language("vi")
        close(reception)

        apply_theme(app, Theme(high_contrast=True, font_scale=1.25))
        contrast = open_window(demo, "kiosk")
        result(contrast, eligible)
        save(contrast, out, "17-kiosk-high-contrast")
        close(contrast)
    return 0


if __name__ == "__main__":
    sys.exit(main())
