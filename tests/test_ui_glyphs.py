"""Stacked Vietnamese capitals are never cut: every screen, both themes, two font scales, two screen sizes.

The check reads the rendered pixels (tests/glyph_check.py). It runs here on the offscreen platform and,
where Xvfb is installed (CI), once more in a child process on a real X server (xcb).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from glyph_check import STACKED, check_screens
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from kiosk.standins.demo import DemoEnvironment

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def demo() -> Iterator[DemoEnvironment]:
    with DemoEnvironment() as env:
        yield env


@pytest.mark.parametrize(("high_contrast", "font_scale"), [(False, 1.0), (True, 1.0), (False, 1.5), (True, 1.5)])
def test_no_glyph_is_cut_on_any_screen(qapp: QApplication, demo: DemoEnvironment, high_contrast: bool,
                                       font_scale: float) -> None:
    problems, checked = check_screens(qapp, demo, high_contrast=high_contrast, font_scale=font_scale)
    assert checked > 100  # labels really were looked at
    assert problems == []


def test_the_check_sees_cut_capitals(qapp: QApplication, demo: DemoEnvironment,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the room above the line (as before the fix) the check finds the cut capitals."""
    import ui.theme

    monkeypatch.setattr(ui.theme, "STACK_EM", 0.0)
    monkeypatch.setattr(ui.theme, "BELOW_EM", 0.0)
    problems, _ = check_screens(qapp, demo, high_contrast=False, font_scale=1.0, sizes=((1920, 1080),))
    assert any(STACKED[:6] in p and "top" in p for p in problems), problems


@pytest.mark.skipif(not shutil.which("Xvfb") or sys.platform == "win32", reason="needs Xvfb")
def test_no_glyph_is_cut_on_a_real_x_server(tmp_path: Path) -> None:
    from test_ui_x_input import start_xvfb

    xvfb, display = start_xvfb()
    try:
        env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb", "BHYT_KIOSK_HOME": str(tmp_path)}
        done = subprocess.run([sys.executable, str(ROOT / "tests" / "glyph_check.py")], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=280, check=False)
    finally:
        xvfb.terminate()
        xvfb.wait(10)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "labels, 0 cut" in done.stdout


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 800)])
def test_patient_texts_are_large_and_targets_touchable(qapp: QApplication, demo: DemoEnvironment,
                                                       size: tuple[int, int]) -> None:
    """Kiosk: body >= 28 px and headings >= 40 px on a 1080p screen (scaled with the screen), touch targets
    >= 9 mm, and the result uses the screen's lower part too."""
    import dataclasses

    from glyph_check import _lookup, pump, themed

    from kiosk.outcomes import Outcome
    from kiosk.pipeline import EventKind, PipelineEvent, PipelineState
    from scanner.cccd import parse_cccd
    from ui.flow import Screen
    from ui.main_window import MainWindow
    from ui.pin_dialog import PinDialog
    from ui.theme import KIOSK_BODY_PX, KIOSK_HEADING_PX, Theme

    width, height = size
    scale = min(width / 1920, height / 1080)
    theme = Theme(screen_scale=scale, dpi=102.0)  # a 21.5" 1080p kiosk screen
    touch = theme.touch_px()
    assert touch >= 36
    person = demo.person_for(Outcome.ELIGIBLE)
    answer = _lookup(demo, person.payload)
    with themed(qapp, theme):
        window = MainWindow(dataclasses.replace(demo.config, mode="kiosk", sounds=False))
        window.resize(width, height)
        window.show()
        try:
            window._show_screen(Screen.WAITING)
            event = PipelineEvent(kind=EventKind.RESULT, state=PipelineState.RESULT, result=answer,
                                  card=parse_cccd(person.payload), outcome=Outcome.ELIGIBLE)
            window._show_result(Outcome.ELIGIBLE, event)
            pump(0.1)
            body, heading = KIOSK_BODY_PX * scale - 0.5, KIOSK_HEADING_PX * scale - 0.5
            page = window.pages["result"]
            labels = [lbl for lbl in page.findChildren(__import__("PySide6.QtWidgets").QtWidgets.QLabel)
                      if lbl.isVisibleTo(window) and lbl.text()]
            assert len(labels) > 8
            for label in labels:
                assert label.font().pixelSize() >= body, (label.objectName(), label.text())
            assert window.result_view.title.font().pixelSize() >= heading
            assert window.heading.font().pixelSize() >= heading
            for button in (window.done_button, window.language_button, window.staff_button):
                assert button.height() >= touch and button.width() >= touch, button.text()
                assert button.font().pixelSize() >= body
            # the details reach into the lower third of the result page
            values = [v for v in window.result_view.values.values() if v.isVisibleTo(window) and v.text()]
            lowest = max(v.mapTo(page, v.rect().bottomLeft()).y() for v in values)
            assert lowest >= page.height() * 2 / 3, (lowest, page.height())
            pin = PinDialog(demo.config.staff_pin_hash, "PIN", window)
            pin.show()
            pump(0.05)
            for key in (*pin.keys.values(), pin.ok_button, pin.cancel_button):
                assert key.height() >= touch and key.width() >= touch
            pin.close()
        finally:
            window.allow_exit()
            window.shutdown()
            window.close()


def ink_height(image: QImage) -> int:
    from glyph_check import as_array, ink

    rows = np.nonzero(ink(as_array(image)).any(axis=1))[0]
    return int(rows[-1] - rows[0] + 1) if rows.size else 0


@pytest.mark.parametrize("mode", ["kiosk", "reception"])
def test_the_result_details_show_every_stacked_mark(qapp: QApplication, demo: DemoEnvironment, mode: str) -> None:
    """The name on the result screen is drawn as tall as the same text drawn freely in its font: no mark above
    the capitals is lost. (Selectable labels draw through a text control that clipped the upper of two
    stacked marks at the text's top, where the row check above cannot see it: "NGUYỄN" read "NGUYÊN".)"""
    import dataclasses

    from glyph_check import _lookup, pump, themed
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor, QPainter

    from kiosk.outcomes import Outcome
    from kiosk.pipeline import EventKind, PipelineEvent, PipelineState
    from scanner.cccd import parse_cccd
    from ui.main_window import MainWindow
    from ui.theme import Theme

    person = demo.person_for(Outcome.ELIGIBLE)
    answer = _lookup(demo, person.payload)
    assert answer.person is not None
    answer = dataclasses.replace(answer, person=answer.person.model_copy(update={"full_name": STACKED}))
    with themed(qapp, Theme()):
        window = MainWindow(dataclasses.replace(demo.config, mode=mode, sounds=False))
        window.resize(1920, 1080)
        window.show()
        try:
            window._show_result(Outcome.ELIGIBLE, PipelineEvent(
                kind=EventKind.RESULT, state=PipelineState.RESULT, result=answer, card=parse_cccd(person.payload),
                outcome=Outcome.ELIGIBLE))
            pump(0.1)
            label = window.result_view.values["name"]
            assert label.text() == STACKED
            free = QImage(label.width(), label.height() * 3, QImage.Format.Format_RGB32)
            free.fill(QColor("white"))
            painter = QPainter(free)
            painter.setFont(label.font())
            painter.setPen(QColor("black"))
            painter.drawText(QRect(0, label.height(), label.width(), label.height()), Qt.AlignmentFlag.AlignLeft,
                             STACKED)
            painter.end()
            assert abs(ink_height(label.grab().toImage()) - ink_height(free)) <= 1
        finally:
            window.allow_exit()
            window.shutdown()
            window.close()
