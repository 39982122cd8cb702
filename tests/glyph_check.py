"""Every screen of the app rendered with names full of stacked Vietnamese capitals, checked from the pixels.

:func:`check_screens` builds the real windows (kiosk and reception) and dialogs in one theme and font scale,
fills them with :data:`STACKED` and returns the labels whose text is cut: ink on the first or last pixel row
of a label means the line box ended inside a glyph ("NGUYỄN" drawn as "NGUYÊN", a dot below cut off).
Run ``python tests/glyph_check.py`` to check under the current QT_QPA_PLATFORM (e.g. xcb on Xvfb).
"""

from __future__ import annotations

import dataclasses
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
from PySide6.QtCore import QCoreApplication, QPoint, QRect
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QWidget

STACKED = "NGUYỄN HỒ TRẦN ĐẶNG PHƯỢNG HUYỀN VŨ ỨNG"
SIZES = ((1920, 1080), (1280, 800))


def pump(seconds: float = 0.02) -> None:
    end = time.monotonic() + seconds
    while True:
        QCoreApplication.processEvents()
        if time.monotonic() >= end:
            return
        time.sleep(0.005)


def as_array(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    width, height = image.width(), image.height()
    data = np.frombuffer(image.constBits(), np.uint8).reshape(height, image.bytesPerLine() // 4, 4)
    return data[:, :width, :3].astype(np.int16)


def ink(crop: np.ndarray, threshold: int = 120) -> np.ndarray:
    """The pixels of ``crop`` far from its commonest colour (its background)."""
    packed = (crop[..., 0].astype(np.int32) << 16) | (crop[..., 1].astype(np.int32) << 8) | crop[..., 2]
    colours, counts = np.unique(packed, return_counts=True)
    common = int(colours[int(np.argmax(counts))])
    background = np.array([common >> 16, (common >> 8) & 255, common & 255], np.int16)
    return np.abs(crop - background).sum(axis=2) > threshold


def cut_rows(crop: np.ndarray, threshold: int = 120) -> tuple[int, int]:
    """Ink pixels on the first and last row of ``crop``."""
    inked = ink(crop, threshold)
    return int(inked[0].sum()), int(inked[-1].sum())


def clipped_labels(top: QWidget) -> tuple[list[str], int]:
    """(problems, labels checked) for the visible labels inside ``top``, from one grab of it."""
    pump()
    picture = as_array(top.grab().toImage())
    scale = picture.shape[1] / max(1, top.width())
    problems: list[str] = []
    checked = 0
    for label in top.findChildren(QLabel):
        if not label.isVisibleTo(top) or not label.text().strip() or label.width() < 4 or label.height() < 4:
            continue
        visible = label.visibleRegion().boundingRect()
        if visible.height() < label.height():  # partly scrolled away: not a glyph problem
            continue
        contents = label.contentsRect()
        left, right = max(contents.left(), visible.left()), min(contents.right(), visible.right())
        origin = label.mapTo(top, QPoint(0, 0))  # (a label partly scrolled away sideways: its visible part)
        box = QRect(origin.x() + left, origin.y(), right - left + 1, label.height())
        y0, y1 = round(box.top() * scale), round((box.bottom() + 1) * scale)
        x0, x1 = round(box.left() * scale), round((box.right() + 1) * scale)
        crop = picture[y0:y1, x0:x1]
        if crop.shape[0] < 4 or crop.shape[1] < 4:
            continue
        checked += 1
        top_ink, bottom_ink = cut_rows(crop)
        if top_ink >= 2 or bottom_ink >= 2:
            where = "top" if top_ink >= 2 else "bottom"
            problems.append(f"{type(top).__name__}/{label.objectName() or 'QLabel'} cut at the {where}: "
                            f"{label.text()[:60]!r} ({label.font().pixelSize()} px in {label.height()} px)")
    return problems, checked


@contextmanager
def themed(app: QApplication, theme: object) -> Iterator[None]:
    from ui.theme import apply_theme

    font, sheet = app.font(), app.styleSheet()
    apply_theme(app, theme)  # type: ignore[arg-type]
    try:
        yield
    finally:
        app.setStyleSheet(sheet)
        app.setFont(font)


def check_screens(app: QApplication, demo: object, *, high_contrast: bool, font_scale: float,
                  sizes: tuple[tuple[int, int], ...] = SIZES) -> tuple[list[str], int]:
    """Render every screen (both modes, the given window sizes); return (problems, labels checked)."""
    from kiosk.outcomes import Outcome
    from kiosk.pipeline import EventKind, PipelineEvent, PipelineState
    from kiosk.standins.demo import DemoEnvironment
    from scanner.cccd import parse_cccd
    from ui.flow import Screen
    from ui.main_window import MainWindow
    from ui.pin_dialog import PinDialog
    from ui.settings_dialog import SettingsDialog
    from ui.staff_menu import StaffMenu
    from ui.theme import Theme

    assert isinstance(demo, DemoEnvironment)
    person = demo.person_for(Outcome.ELIGIBLE)
    fields = person.payload.split("|")
    fields[2] = STACKED
    card = parse_cccd("|".join(fields))
    answer = _lookup(demo, person.payload)
    assert answer.person is not None
    answer = dataclasses.replace(answer, person=answer.person.model_copy(update={"full_name": STACKED}))
    problems: list[str] = []
    checked = 0

    def check(widget: QWidget, name: str) -> None:
        nonlocal checked
        found, n = clipped_labels(widget)
        if isinstance(widget, MainWindow) and widget.size().toTuple() != (width, height):
            # a window larger than the screen runs off its edge: the labels checked would not all be on screen
            found.append(f"window is {widget.width()}x{widget.height()}, not the screen's {width}x{height}")
        problems.extend(f"{name}: {p}" for p in found)
        checked += n

    for width, height in sizes:
        theme = Theme(high_contrast, font_scale, screen_scale=min(width / 1920, height / 1080))
        with themed(app, theme):
            for mode in ("kiosk", "reception"):
                config = dataclasses.replace(demo.config, mode=mode, sounds=False)
                window = MainWindow(config)
                window.resize(width, height)
                window.show()
                tag = f"{mode} {width}x{height} hc={high_contrast} x{font_scale}"
                try:
                    event = PipelineEvent(kind=EventKind.RESULT, state=PipelineState.RESULT, result=answer,
                                          card=card, outcome=Outcome.ELIGIBLE)
                    window._show_screen(Screen.WAITING)
                    window.hint.setText(window.tr("Đưa thẻ lại gần hơn"))
                    window.hint.setVisible(True)
                    if window.manual is not None:
                        window.manual.name_field.setText(STACKED)
                        window._add_recent(Outcome.ELIGIBLE, event, card)
                    check(window, f"{tag} waiting")
                    window._card = card
                    window._show_screen(Screen.LOOKING_UP)
                    check(window, f"{tag} looking up")
                    window._show_result(Outcome.ELIGIBLE, event)
                    check(window, f"{tag} result")
                    if mode == "kiosk":  # the queue ticket (a lookup still pending)
                        window.ticket_view.show_ticket(_ticket(config.facility_code), pending=True)
                        window._show_screen(Screen.TICKET)
                        check(window, f"{tag} ticket")
                    window._show_screen(Screen.CAMERA_LOST)
                    check(window, f"{tag} camera lost")
                    window.startup_failed(f"kiosk.toml: {STACKED}")
                    check(window, f"{tag} out of service")
                    dialogs: list[QDialog] = [
                        PinDialog(config.staff_pin_hash, window.tr("Nhập mã PIN nhân viên để thoát."), window),
                        StaffMenu(f"config file kiosk.toml: {STACKED}", window),
                        SettingsDialog(config, [("synthetic", "Camera mô phỏng")], window),
                    ]
                    for dialog in dialogs:
                        dialog.show()
                        check(dialog, f"{tag} {type(dialog).__name__}")
                        dialog.close()
                        dialog.deleteLater()
                finally:
                    window.allow_exit()
                    window.shutdown()
                    window.close()
                    window.deleteLater()
                    pump()
    return problems, checked


def _ticket(facility_code: str):  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from kiosk.tickets.issuer import IssuedTicket
    from kiosk.tickets.printing import PrintResult
    from kiosk.tickets.ticket import BhytStatus, Ticket

    ticket = Ticket(42, facility_code, datetime.now(UTC), "1", BhytStatus.WAITING,
                    facility_name="Bệnh viện Đa khoa tỉnh Bắc Ninh", masked_id="••••••••1234")
    return IssuedTicket(ticket, PrintResult(True, None, None))


def _lookup(demo: object, payload: str):  # type: ignore[no-untyped-def]
    """A real answer from the demo's mock service for ``payload`` (the signed lookup client, on its own loop)."""
    import asyncio

    from kiosk.client import LookupClient
    from kiosk.eligibility import LookupRequest
    from scanner.cccd import parse_cccd

    config = demo.config  # type: ignore[attr-defined]

    async def ask():  # type: ignore[no-untyped-def]
        async with LookupClient(config) as client:
            return await client.lookup(LookupRequest.from_card(parse_cccd(payload), config))

    return asyncio.run(ask())


def main() -> int:
    from kiosk.standins.demo import DemoEnvironment

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    failures = 0
    with DemoEnvironment() as demo:
        for high_contrast in (False, True):
            for scale in (1.0, 1.5):
                problems, checked = check_screens(app, demo, high_contrast=high_contrast, font_scale=scale)
                print(f"high_contrast={high_contrast} font_scale={scale}: {checked} labels, {len(problems)} cut")
                for problem in problems:
                    print("  " + problem)
                failures += len(problems) + (checked == 0)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
