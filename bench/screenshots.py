"""Regenerate docs/screenshots/<W>x<H>/*.png: every screen of the app, both modes, at 1920x1080 and 1280x800.

    .venv/bin/python bench/screenshots.py                 # offscreen rendering (no display needed)
    xvfb-run -a -s "-screen 0 1920x1080x24" env QT_QPA_PLATFORM=xcb .venv/bin/python bench/screenshots.py

Results come from the real mocked service (DemoEnvironment); the camera pictures are synthetic frames pushed
through the same bridge the pipeline uses. Texts are sized as on a screen of that size (ui.theme.for_screen).
The lookup-log window's pictures (log-*.png) are made by bench/bench_dashboard.py's screenshots, not here.
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
from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

import scanner.sources  # noqa: E402, F401  (the stand-ins import the sources first)
from kiosk.attempts import InputSource  # noqa: E402
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

SIZES = ((1920, 1080), (1280, 800))


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
    """A PNG of ``widget`` with at most 256 colours (median cut, no dithering): small, and text stays crisp."""
    import numpy as np
    from PIL import Image

    pump(0.1)
    path = out / f"{name}.png"
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    rgb = pixels[:, : image.width() * 3].reshape(image.height(), image.width(), 3)
    Image.fromarray(rgb).quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        path, optimize=True)
    print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


def open_window(demo: DemoEnvironment, mode: str, size: tuple[int, int], config: KioskConfig | None = None,
                *, runtime: bool = True) -> MainWindow:
    cfg = copy.deepcopy(config or demo.config)
    cfg.mode = mode
    cfg.sounds = False
    cfg.result_timeout_s = 15
    window = MainWindow(cfg)
    window.preview.stale_after_s = 3600  # pictures are pushed by hand here
    if runtime:
        pipeline = KioskPipeline(config=cfg, hasher=demo.hasher)
        pipeline.add_listener(window.bridge.listener)
        pipeline.start()
        window.attach_runtime(Runtime(config=cfg, config_path=None, pipeline=pipeline, source_description="demo"))
    window.resize(*size)
    window.show()
    if runtime:
        wait_for(lambda: window.current_screen is Screen.WAITING)
    return window


def push_frame(window: MainWindow, payload: str | None, hint: ReadHint | None, module_px: float | None = None,
               **cond: object) -> None:
    image = synth_frame(payload, FrameConditions(frame_size=(1280, 720), **cond))  # type: ignore[arg-type]
    for _ in range(5):  # the distance advice is a median of the last frames
        window.bridge.listener(PipelineEvent(kind=EventKind.FRAME, state=PipelineState.WAITING, frame=image,
                                             hint=hint, module_px=module_px))
        pump(0.03)


def result(window: MainWindow, payload: str, source: InputSource = InputSource.USB_SCANNER) -> None:
    window.dismiss_result()
    wait_for(lambda: window.current_screen is not Screen.RESULT)
    window.pipeline.submit_payload(payload, source)
    wait_for(lambda: window.current_screen is Screen.RESULT and window.result_view.shown is not None)


def close(window: MainWindow) -> None:
    window.allow_exit()
    window.shutdown()
    window.close()
    window.deleteLater()
    pump(0.05)


def demo_ticket(facility_code: str):  # type: ignore[no-untyped-def]
    """A queue ticket as the kiosk issues one while the lookup goes on in the background."""
    from datetime import UTC, datetime

    from kiosk.tickets.issuer import IssuedTicket
    from kiosk.tickets.printing import PrintResult
    from kiosk.tickets.ticket import BhytStatus, Ticket

    ticket = Ticket(42, facility_code, datetime.now(UTC), "1", BhytStatus.WAITING,
                    facility_name="Bệnh viện Đa khoa tỉnh Bắc Ninh", masked_id="••••••••1234")
    return IssuedTicket(ticket, PrintResult(True, None, None))


def kiosk_screens(demo: DemoEnvironment, size: tuple[int, int], out: Path) -> None:
    from ui.pin_dialog import PinDialog
    from ui.settings_dialog import SettingsDialog
    from ui.staff_menu import StaffMenu

    people = {p.result_code or p.outcome.value: p.payload for p in demo.people}
    eligible = people["000"]
    kiosk = open_window(demo, "kiosk", size)
    push_frame(kiosk, eligible, ReadHint.NO_CODE, 3.0, card_width_frac=0.62, center=(0.55, 0.5), rotation_deg=4)
    save(kiosk, out, "01-kiosk-waiting")
    kiosk._show_screen(Screen.READING)
    push_frame(kiosk, eligible, ReadHint.BLURRY, 1.3, card_width_frac=0.3, center=(0.55, 0.5), rotation_deg=8)
    save(kiosk, out, "02-kiosk-reading-closer")
    demo.set_faults("latency=1:3")
    kiosk.pipeline.submit_payload(eligible)
    wait_for(lambda: kiosk.current_screen is Screen.LOOKING_UP)
    save(kiosk, out, "03-kiosk-looking-up")
    wait_for(lambda: kiosk.current_screen is Screen.RESULT)
    demo.set_faults("none")
    save(kiosk, out, "04-kiosk-result-eligible")
    for name, code in (("05-kiosk-result-warning", "001"), ("06-kiosk-result-new-card", "003"),
                       ("07-kiosk-result-expired", "010"), ("08-kiosk-result-revoked", "110"),
                       ("09-kiosk-result-data-mismatch", "060"), ("10-kiosk-result-not-found", "050"),
                       ("12-kiosk-result-not-id-card", Outcome.NOT_ID_CARD.value)):
        result(kiosk, people[code])
        save(kiosk, out, name)
    demo.set_faults("error=1")
    result(kiosk, eligible)
    demo.set_faults("none")
    save(kiosk, out, "11-kiosk-result-service-problem")
    kiosk.dismiss_result()
    kiosk.bridge.listener(PipelineEvent(kind=EventKind.SOURCE_LOST, state=PipelineState.ERROR, error="gone"))
    wait_for(lambda: kiosk.current_screen is Screen.CAMERA_LOST)
    save(kiosk, out, "13-kiosk-camera-lost")
    kiosk.ticket_view.show_ticket(demo_ticket(kiosk.config.facility_code), pending=True)
    kiosk._show_screen(Screen.TICKET)
    save(kiosk, out, "26-kiosk-ticket")
    pin = PinDialog(demo.config.staff_pin_hash, kiosk.tr("Nhập mã PIN nhân viên để mở menu nhân viên."), kiosk)
    pin.show()
    pin.field.setText("12")
    save(pin, out, "15-kiosk-pin-pad")
    pin.close()
    settings = SettingsDialog(kiosk.config, [("synthetic", "Camera mô phỏng (synthetic)")], kiosk)
    settings.show()
    save(settings, out, "17-kiosk-settings")
    settings.close()
    kiosk.set_language("en")
    result(kiosk, people["001"])
    save(kiosk, out, "19-kiosk-english")
    kiosk.set_language("vi")
    close(kiosk)

    broken = open_window(demo, "kiosk", size, runtime=False)
    problem = ("config file C:\\ProgramData\\bhyt-kiosk\\kiosk.toml is not valid TOML: Invalid value "
               "(at line 7, column 21)")
    broken.startup_failed(problem)
    save(broken, out, "14-kiosk-out-of-service")
    menu = StaffMenu(problem, broken)
    menu.show()
    save(menu, out, "16-kiosk-staff-menu")
    menu.close()
    close(broken)


def reception_screens(demo: DemoEnvironment, size: tuple[int, int], out: Path) -> None:
    people = {p.result_code or p.outcome.value: p.payload for p in demo.people}
    reception = open_window(demo, "reception", size)
    push_frame(reception, people["000"], ReadHint.NO_CODE, 3.0, card_width_frac=0.6, center=(0.5, 0.5))
    save(reception, out, "20-reception-waiting")
    for code in ("050", "110", "000"):
        result(reception, people[code])
    save(reception, out, "21-reception-result-recent")
    reception.dismiss_result()
    form = reception.manual
    assert form is not None
    mismatch = demo.person_for(Outcome.DATA_MISMATCH).person
    assert mismatch is not None
    form.id_field.setText(mismatch.identity.id_number)
    form.name_field.setText(mismatch.identity.full_name)
    form.dob_field.setText(f"01/01/{time.localtime().tm_year + 1}")
    save(reception, out, "22-reception-manual-entry-error")
    form.dob_field.setText(mismatch.identity.date_of_birth.display())
    form.submit()
    wait_for(lambda: reception.current_screen is Screen.RESULT and reception.result_view.shown is not None)
    save(reception, out, "23-reception-manual-mismatch-kept")
    reception.dismiss_result()
    form.clear()
    typed = "".join(ch for ch in people["000"] if ch.isascii())  # a US-keyboard wedge scanner
    reception._on_wedge_scan(typed)
    wait_for(lambda: reception.current_screen is Screen.RESULT and reception.result_view.shown is not None)
    save(reception, out, "24-reception-scanner-lost-letters")
    reception.set_language("en")
    result(reception, people["003"])
    save(reception, out, "25-reception-english")
    reception.set_language("vi")
    close(reception)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    with DemoEnvironment() as demo:
        for width, height in SIZES:
            out: Path = args.out / f"{width}x{height}"
            out.mkdir(parents=True, exist_ok=True)
            scale = min(width / 1920, height / 1080)
            apply_theme(app, Theme(screen_scale=scale))
            kiosk_screens(demo, (width, height), out)
            reception_screens(demo, (width, height), out)
            apply_theme(app, Theme(high_contrast=True, font_scale=1.25, screen_scale=scale))
            contrast = open_window(demo, "kiosk", (width, height))
            result(contrast, demo.person_for(Outcome.ELIGIBLE).payload)
            save(contrast, out, "18-kiosk-high-contrast")
            close(contrast)
    return 0


if __name__ == "__main__":
    sys.exit(main())
