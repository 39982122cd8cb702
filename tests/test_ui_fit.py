"""The app window fits the laptop screens reception desks have (1280x800, 1366x768) in every state.

A window whose minimum size is larger than the screen runs off its right edge: the result's banner, its buttons
and the pending list's columns were cut at 1280x800 (the reception window needed 1426x826). At font scale 1 the
window must fit the screen less a taskbar and a title bar (700 lines) without scrolling; at larger font scales
what does not fit scrolls inside the window, which itself never asks for more than the screen.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from glyph_check import STACKED, _lookup, pump, themed
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication

from kiosk.pipeline import EventKind, PipelineEvent, PipelineState
from kiosk.standins.demo import DemoEnvironment
from scanner.cccd import parse_cccd
from ui.flow import Screen
from ui.main_window import MainWindow
from ui.theme import Theme

pytestmark = pytest.mark.timeout(300)

SCREENS = ((1280, 800), (1366, 768))
USABLE_HEIGHT = 700  # a 768-line screen less a taskbar and a title bar


@pytest.fixture(scope="module")
def demo() -> Iterator[DemoEnvironment]:
    with DemoEnvironment() as env:
        yield env


@pytest.fixture(scope="module")
def revoked(demo: DemoEnvironment) -> PipelineEvent:
    return revoked_card(demo)


def revoked_card(demo: DemoEnvironment) -> PipelineEvent:
    """A real answer for a revoked card (the longest banner: "Thẻ BHYT không còn hiệu lực"), stacked capitals."""
    person = next(p for p in demo.people if p.result_code == "110")
    fields = person.payload.split("|")
    fields[2] = STACKED
    answer = _lookup(demo, person.payload)
    assert answer.person is not None
    answer = dataclasses.replace(answer, person=answer.person.model_copy(update={"full_name": STACKED}))
    return PipelineEvent(kind=EventKind.RESULT, state=PipelineState.RESULT, result=answer,
                         card=parse_cccd("|".join(fields)), outcome=person.outcome)


def states(window: MainWindow, event: PipelineEvent) -> Iterator[str]:
    """Puts ``window`` through the states staff see, naming each: waiting (with a manual entry error and a recent
    row), looking up, a result, a message."""
    assert event.outcome is not None
    window._show_screen(Screen.WAITING)
    window.hint.setText(window.tr("Đưa thẻ lại gần hơn"))
    window.hint.setVisible(True)
    if window.manual is not None:
        window.manual.id_field.setText("001098012345")
        window.manual.name_field.setText(STACKED)
        window.manual.dob_field.setText("31/12/2999")  # "Ngày sinh ở tương lai: kiểm tra lại năm sinh."
        assert window.manual.error.text()
        window._add_recent(event.outcome, event, event.card)
    yield "waiting"
    window._card = event.card
    window._show_screen(Screen.LOOKING_UP)
    yield "looking up"
    window._show_result(event.outcome, event)
    window._update_countdown()
    yield "result"
    window._show_screen(Screen.CAMERA_LOST)
    yield "camera lost"


def open_window(demo: DemoEnvironment, mode: str, language: str) -> MainWindow:
    window = MainWindow(dataclasses.replace(demo.config, mode=mode, sounds=False))
    window.set_language(language)
    window.show()
    return window


def close(window: MainWindow) -> None:
    window.allow_exit()
    window.shutdown()
    window.close()
    window.deleteLater()
    pump()


@pytest.mark.parametrize("mode", ["reception", "kiosk"])
@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("high_contrast", [False, True])
def test_the_window_fits_a_laptop_screen_at_font_scale_1(qapp: QApplication, demo: DemoEnvironment,
                                                         revoked: PipelineEvent, mode: str, language: str,
                                                         high_contrast: bool) -> None:
    for width, height in SCREENS:
        with themed(qapp, Theme(high_contrast, 1.0, screen_scale=min(width / 1920, height / 1080))):
            window = open_window(demo, mode, language)
            try:
                for state in states(window, revoked):
                    pump()
                    where = f"{mode} {language} hc={high_contrast} {width}x{height} {state}"
                    needed = window.minimumSizeHint()
                    assert needed.width() <= width and needed.height() <= USABLE_HEIGHT, (where, needed)
                    for size in (QSize(width, height), QSize(width, USABLE_HEIGHT)):
                        window.resize(size)
                        pump()
                        assert window.size() == size, (where, window.size())
                        if mode == "reception":  # everything is on screen: nothing to scroll at font scale 1
                            scroller = window.body_scroller
                            assert scroller.horizontalScrollBar().maximum() == 0, (where, size)
                            assert scroller.verticalScrollBar().maximum() == 0, (where, size)
            finally:
                close(window)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_at_a_large_font_scale_reception_scrolls_inside_the_window(qapp: QApplication, demo: DemoEnvironment,
                                                                  revoked: PipelineEvent, language: str) -> None:
    """Font scale 1.5 on a 1280x800 laptop: the window still has the screen's size; its contents scroll."""
    with themed(qapp, Theme(False, 1.5, screen_scale=800 / 1080)):
        window = open_window(demo, "reception", language)
        try:
            scrolled = False
            for state in states(window, revoked):
                window.resize(1280, USABLE_HEIGHT)
                pump()
                needed = window.minimumSizeHint()
                assert needed.width() <= 1280 and needed.height() <= USABLE_HEIGHT, (state, needed)
                assert window.size() == QSize(1280, USABLE_HEIGHT), (state, window.size())
                scrolled = scrolled or window.body_scroller.verticalScrollBar().maximum() > 0
            assert scrolled  # the contents really are larger than the window at this scale
        finally:
            close(window)
