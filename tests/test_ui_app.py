"""The real windows, driven through the whole flow against a real local service (DemoEnvironment).

Each test builds a MainWindow over a real KioskPipeline; cards come in as USB-scanner payloads, manual entry,
keyboard-wedge keystrokes or the synthetic camera. No thread may be left running after a test.
"""

from __future__ import annotations

import contextlib
import copy
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit

from kiosk.config import KioskConfig
from kiosk.outcomes import Outcome
from kiosk.pipeline import KioskPipeline
from kiosk.standins.demo import DemoEnvironment
from scanner.sources.base import Frame, FrameSource, SourceError
from ui.flow import Screen
from ui.main_window import MainWindow
from ui.outcome_texts import outcome_text
from ui.pin_dialog import PinDialog
from ui.runtime import Runtime, StartOptions

pytestmark = pytest.mark.timeout(120)

WAIT_MS = 15_000


def _ours(thread: threading.Thread) -> bool:
    """Threads the service's web stack keeps for its whole life are not the app's."""
    return not thread.name.startswith(("AnyIO worker", "bhyt-service", "ThreadPoolExecutor", "asyncio"))


@pytest.fixture(scope="module")
def demo() -> Iterator[DemoEnvironment]:
    with DemoEnvironment(read_timeout_s=2.0) as env:
        yield env


@pytest.fixture(autouse=True)
def no_leaked_threads() -> Iterator[None]:
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + 5.0
    while True:
        extra = [t for t in threading.enumerate() if t not in before and t.is_alive() and _ours(t)]
        if not extra or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert extra == [], f"threads left running: {[t.name for t in extra]}"


WindowFactory = Callable[..., MainWindow]


@pytest.fixture
def make_window(qtbot, demo: DemoEnvironment) -> Iterator[WindowFactory]:  # type: ignore[no-untyped-def]
    windows: list[MainWindow] = []

    def factory(mode: str = "kiosk", *, source: FrameSource | None = None, config: KioskConfig | None = None,
                result_timeout_s: float = 30.0, config_path: Path | None = None) -> MainWindow:
        cfg = copy.deepcopy(config or demo.config)
        cfg.mode = mode
        cfg.result_timeout_s = result_timeout_s
        cfg.sounds = False
        window = MainWindow(cfg, apply_style=False)
        qtbot.addWidget(window)
        windows.append(window)
        pipeline = KioskPipeline(config=cfg, hasher=demo.hasher, source=source, preview_fps=30)
        pipeline.add_listener(window.bridge.listener)
        runtime = Runtime(config=cfg, config_path=config_path, pipeline=pipeline, source_description="")
        pipeline.start()
        window.attach_runtime(runtime)
        window.resize(1280, 800)
        window.show()
        qtbot.waitUntil(lambda: window.current_screen in (Screen.WAITING, Screen.ERROR), timeout=WAIT_MS)
        return window

    yield factory
    for window in windows:
        window.allow_exit()
        window.shutdown()
    demo.set_faults("none")


def wait_result(qtbot, window: MainWindow, timeout: int = WAIT_MS) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: window.current_screen is Screen.RESULT and window.result_view.shown is not None,
                    timeout=timeout)


def all_texts(window: MainWindow) -> str:
    parts = [label.text() for label in window.findChildren(QLabel)]
    parts += [field.text() for field in window.findChildren(QLineEdit)]
    return "\n".join(parts)


# ---------------------------------------------------------------------- every outcome category


CARD_OUTCOMES = [
    Outcome.ELIGIBLE, Outcome.ELIGIBLE_WITH_WARNING, Outcome.NEW_CARD, Outcome.NOT_ELIGIBLE,
    Outcome.NOT_FOUND, Outcome.DATA_MISMATCH, Outcome.INVALID_CARD, Outcome.NOT_ID_CARD,
]
BANNERS = {Outcome.ELIGIBLE: "green", Outcome.ELIGIBLE_WITH_WARNING: "amber", Outcome.NEW_CARD: "amber",
           Outcome.NOT_ELIGIBLE: "red", Outcome.NOT_FOUND: "red", Outcome.DATA_MISMATCH: "red",
           Outcome.INVALID_CARD: "grey", Outcome.NOT_ID_CARD: "grey"}


@pytest.mark.parametrize("outcome", CARD_OUTCOMES, ids=[o.value for o in CARD_OUTCOMES])
def test_kiosk_shows_each_outcome(qtbot, make_window: WindowFactory, demo: DemoEnvironment,
                                  outcome: Outcome) -> None:  # type: ignore[no-untyped-def]
    window = make_window("kiosk")
    person = demo.person_for(outcome)
    window.pipeline.submit_payload(person.payload)
    wait_result(qtbot, window)
    shown = window.result_view.shown
    assert shown is not None and shown.outcome is outcome
    assert window.result_view.banner_colour() == BANNERS[outcome]
    expected = outcome_text(outcome, person.result_code)
    assert window.result_view.title.text() == expected.title
    assert window.result_view.reason.text() == expected.reason
    assert window.result_view.next_step.text() == expected.next_step
    fields = window.result_view.field_texts()
    if person.person is not None:
        card = person.person.identity
        assert fields["id"] == "••••••••" + card.id_number[-4:]
        assert card.id_number not in all_texts(window)  # never the full number
        assert fields["name"]
    if outcome.eligible:
        for key in ("card", "benefit", "validity", "facility"):
            assert fields.get(key), key
        assert "%" in fields["benefit"]
        assert window.config.facility_code in fields["facility"] or "cơ sở khác" in fields["facility"]


def test_next_card_replaces_the_result(qtbot, make_window: WindowFactory, demo: DemoEnvironment) -> None:  # type: ignore[no-untyped-def]
    window = make_window("kiosk")
    first, second = demo.person_for(Outcome.ELIGIBLE), demo.person_for(Outcome.NOT_ELIGIBLE)
    window.pipeline.submit_payload(first.payload)
    wait_result(qtbot, window)
    window.pipeline.submit_payload(second.payload)
    qtbot.waitUntil(lambda: window.result_view.shown is not None
                    and window.result_view.shown.outcome is Outcome.NOT_ELIGIBLE, timeout=WAIT_MS)
    assert first.person is not None and first.person.identity.full_name not in all_texts(window)


# ---------------------------------------------------------------------- service problems


class GuiWatchdog:
    """Ticks every 10 ms on the GUI thread; the longest gap between ticks is the worst GUI stall."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.last = time.monotonic()
        self.max_gap = 0.0

    def _tick(self) -> None:
        now = time.monotonic()
        self.max_gap = max(self.max_gap, now - self.last)
        self.last = now

    def __enter__(self) -> GuiWatchdog:
        self.last = time.monotonic()
        self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.timer.stop()


@pytest.mark.parametrize(
    ("faults", "outcome"),
    [("error=1", Outcome.SERVICE_ERROR), ("badsig=1", Outcome.REJECTED_SIGNATURE), ("hang=1:6", Outcome.TIMEOUT)],
)
def test_service_problems_show_a_grey_answer_without_freezing(
    qtbot, make_window: WindowFactory, demo: DemoEnvironment, faults: str, outcome: Outcome  # type: ignore[no-untyped-def]
) -> None:
    config = copy.deepcopy(demo.config)
    config.retries = 0
    config.read_timeout_s = 1.0
    config.connect_timeout_s = 1.0
    window = make_window("kiosk", config=config)
    demo.set_faults(faults)
    person = demo.person_for(Outcome.ELIGIBLE)
    with GuiWatchdog() as watchdog:
        window.pipeline.submit_payload(person.payload)
        wait_result(qtbot, window)
    assert window.result_view.shown is not None and window.result_view.shown.outcome is outcome
    assert window.result_view.banner_colour() == "grey"
    assert window.result_view.next_step.text() == outcome_text(outcome).next_step
    assert watchdog.max_gap < 0.5, f"GUI stalled {watchdog.max_gap:.3f} s"


def test_service_down(qtbot, make_window: WindowFactory, demo: DemoEnvironment) -> None:  # type: ignore[no-untyped-def]
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = copy.deepcopy(demo.config)
    config.service_url = f"http://127.0.0.1:{port}"
    config.retries = 0
    window = make_window("kiosk", config=config)
    with GuiWatchdog() as watchdog:
        window.pipeline.submit_payload(demo.person_for(Outcome.ELIGIBLE).payload)
        wait_result(qtbot, window)
    shown = window.result_view.shown
    assert shown is not None and shown.outcome in (Outcome.SERVICE_ERROR, Outcome.TIMEOUT)
    assert window.result_view.banner_colour() == "grey"
    assert watchdog.max_gap < 0.5


def test_unregistered_operator_is_a_setup_error(qtbot, make_window: WindowFactory, demo: DemoEnvironment) -> None:  # type: ignore[no-untyped-def]
    config = copy.deepcopy(demo.config)
    other = demo.person_for(Outcome.ELIGIBLE).person
    assert other is not None
    config.operator_id = other.identity.id_number  # a real person, but not registered staff
    config.operator_name = other.identity.full_name
    window = make_window("kiosk", config=config)
    window.pipeline.submit_payload(demo.person_for(Outcome.NOT_FOUND).payload)
    wait_result(qtbot, window)
    assert window.result_view.shown is not None and window.result_view.shown.outcome is Outcome.SETUP_ERROR
    assert window.result_view.banner_colour() == "grey"


def test_hanging_service_can_be_cancelled(qtbot, make_window: WindowFactory, demo: DemoEnvironment) -> None:  # type: ignore[no-untyped-def]
    config = copy.deepcopy(demo.config)
    config.retries = 0
    config.read_timeout_s = 30.0  # longer than the hang: only the client's abort of the request frees it
    window = make_window("kiosk", config=config)
    demo.set_faults("hang=1:25")
    with GuiWatchdog() as watchdog:
        window.pipeline.submit_payload(demo.person_for(Outcome.ELIGIBLE).payload)
        qtbot.waitUntil(lambda: window.current_screen is Screen.LOOKING_UP, timeout=WAIT_MS)
        assert window.progress.isVisible()
        qtbot.mouseClick(window.cancel_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.current_screen is Screen.WAITING, timeout=WAIT_MS)
    assert watchdog.max_gap < 0.5
    demo.set_faults("none")


# ---------------------------------------------------------------------- privacy: the result timeout


def test_result_timeout_clears_personal_data(qtbot, make_window: WindowFactory, demo: DemoEnvironment) -> None:  # type: ignore[no-untyped-def]
    window = make_window("kiosk", result_timeout_s=0.6)
    person = demo.person_for(Outcome.ELIGIBLE)
    assert person.person is not None
    name = person.person.identity.full_name
    window.pipeline.submit_payload(person.payload)
    wait_result(qtbot, window)
    assert name in all_texts(window)
    qtbot.waitUntil(lambda: window.current_screen is Screen.WAITING, timeout=WAIT_MS)
    texts = all_texts(window)
    assert name not in texts
    assert person.person.identity.id_number[-4:] not in window.result_view.values["id"].text()
    assert all(not label.text() for label in window.result_view.values.values())
    assert window.result_view.shown is None
    assert window.pipeline.state == "waiting"


def test_done_button_dismisses_the_result(qtbot, make_window: WindowFactory, demo: DemoEnvironment) -> None:  # type: ignore[no-untyped-def]
    window = make_window("kiosk")
    window.pipeline.submit_payload(demo.person_for(Outcome.NOT_FOUND).payload)
    wait_result(qtbot, window)
    QTest.keyClick(window.done_button, Qt.Key.Key_Space)  # keyboard navigation: the button has focus
    qtbot.waitUntil(lambda: window.current_screen is Screen.WAITING, timeout=WAIT_MS)
    assert window.result_view.title.text() == ""


# ---------------------------------------------------------------------- kiosk exit with the staff PIN


def _answer_pin_dialog(qtbot, pins: list[str], seen: list[PinDialog]) -> None:  # type: ignore[no-untyped-def]
    """Type ``pins`` one after the other into the PIN dialog when it appears (it runs its own loop)."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, PinDialog):
            QTimer.singleShot(20, poll)
            return
        if dialog not in seen:
            seen.append(dialog)
        for pin in pins:
            for digit in pin:
                dialog.keys[digit].click()
            dialog.ok_button.click()
            if not dialog.isVisible():
                return
        dialog.reject()

    QTimer.singleShot(20, poll)


def test_kiosk_cannot_be_closed_without_the_pin(qtbot, make_window: WindowFactory, demo: DemoEnvironment) -> None:  # type: ignore[no-untyped-def]
    window = make_window("kiosk")
    window.close()  # Alt+F4 / window manager
    assert window.isVisible()
    seen: list[PinDialog] = []
    _answer_pin_dialog(qtbot, ["0000"], seen)  # wrong PIN, then the dialog is cancelled
    window.request_exit()
    assert window.isVisible()
    assert seen and seen[0].failures == 1
    _answer_pin_dialog(qtbot, ["9999", demo.pin], seen)
    window.request_exit()
    assert not window.isVisible()
    assert seen[-1].failures == 1


# ---------------------------------------------------------------------- reception: manual entry, wedge, copy


def test_manual_entry_validates_as_typed_and_looks_up(qtbot, make_window: WindowFactory, demo: DemoEnvironment) -> None:  # type: ignore[no-untyped-def]
    window = make_window("reception")
    form = window.manual
    assert form is not None
    person = demo.person_for(Outcome.ELIGIBLE).person
    assert person is not None
    card = person.identity
    form.id_field.setText("0271")
    assert "12" in form.error.text() and not form.submit_button.isEnabled()
    form.id_field.setText("999" + card.id_number[3:])  # not a province
    assert "tỉnh" in form.error.text()
    form.id_field.setText(card.id_number)
    form.name_field.setText(card.full_name)
    wrong_year = card.date_of_birth.year + 1
    form.dob_field.setText(str(wrong_year))
    assert "năm sinh" in form.error.text() and not form.submit_button.isEnabled()
    form.dob_field.setText("31/02/1990")
    assert "Ngày sinh" in form.error.text()
    form.id_field.clear()
    _focus(qtbot, form.id_field)
    QTest.keyClicks(form.id_field, "a1b", Qt.KeyboardModifier.NoModifier, 50)  # typed: letters are refused
    qtbot.waitUntil(lambda: form.id_field.text() == "1", timeout=3000)
    form.id_field.setText(card.id_number)
    form.dob_field.setText(card.date_of_birth.display())
    assert form.error.text() == "" and form.submit_button.isEnabled()
    qtbot.mouseClick(form.submit_button, Qt.MouseButton.LeftButton)
    wait_result(qtbot, window)
    assert window.result_view.shown is not None and window.result_view.shown.outcome is Outcome.ELIGIBLE
    assert form.id_field.text() == ""  # the form is emptied after a lookup
    assert window.recent is not None and window.recent.count() == 1
    line = window.recent.item(0).text()
    assert card.id_number[-4:] in line and card.id_number not in line and card.full_name not in line
    window.copy_result_json()
    import json

    data = json.loads(QApplication.clipboard().text())
    assert data["outcome"] == "eligible" and data["id_number_masked"].endswith(card.id_number[-4:])
    window.copy_result_text()
    assert window.result_view.title.text() in QApplication.clipboard().text()


def scanner_types(widget: QLineEdit, text: str, *, gap_ms: int = 2, enter: bool = True) -> None:
    """A USB wedge scanner "typing" ``text`` (any Unicode) a few milliseconds per key.

    QTest.keyClicks only knows ASCII; a scanner sends composed Vietnamese letters as text with no key code.
    """
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    for ch in text:
        key = ord(ch.upper()) if ch.isascii() else 0
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch))
        QTest.qWait(gap_ms)
    if enter:
        QTest.keyClick(widget, Qt.Key.Key_Return)


def _focus(qtbot, widget: QLineEdit) -> None:  # type: ignore[no-untyped-def]
    widget.window().activateWindow()
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=2000)


def test_wedge_scanner_burst_is_a_scan_not_typing(qtbot, make_window: WindowFactory, demo: DemoEnvironment) -> None:  # type: ignore[no-untyped-def]
    window = make_window("reception")
    assert window.manual is not None
    field = window.manual.name_field
    _focus(qtbot, field)
    person = demo.person_for(Outcome.NOT_ELIGIBLE)
    scanner_types(field, person.payload)
    wait_result(qtbot, window)
    assert field.text() == ""  # never typed into the focused field
    assert window.result_view.shown is not None and window.result_view.shown.outcome is Outcome.NOT_ELIGIBLE
    assert window.result_view.shown.card is not None
    assert window.result_view.shown.card.to_payload() == person.payload  # Vietnamese text intact


def test_wedge_burst_without_enter(qtbot, make_window: WindowFactory, demo: DemoEnvironment) -> None:  # type: ignore[no-untyped-def]
    window = make_window("reception")
    assert window.manual is not None
    field = window.manual.id_field
    _focus(qtbot, field)
    scanner_types(field, demo.person_for(Outcome.NOT_ID_CARD).payload, enter=False)
    wait_result(qtbot, window)
    assert field.text() == ""
    assert window.result_view.shown is not None and window.result_view.shown.outcome is Outcome.NOT_ID_CARD


def test_human_typing_reaches_the_focused_field(qtbot, make_window: WindowFactory) -> None:  # type: ignore[no-untyped-def]
    window = make_window("reception")
    assert window.manual is not None
    field = window.manual.name_field
    _focus(qtbot, field)
    QTest.keyClicks(field, "Nguyen Van An", Qt.KeyboardModifier.NoModifier, 70)
    qtbot.waitUntil(lambda: field.text() == "Nguyen Van An", timeout=3000)
    QTest.keyClick(field, Qt.Key.Key_Backspace)
    assert field.text() == "Nguyen Van A"
    assert window.current_screen is Screen.WAITING
    assert window.recent is not None and window.recent.count() == 0


# ---------------------------------------------------------------------- camera: synthetic source, camera lost


def test_synthetic_camera_full_flow(qtbot, make_window: WindowFactory, demo: DemoEnvironment) -> None:  # type: ignore[no-untyped-def]
    from scanner.sources import SyntheticSource

    person = demo.person_for(Outcome.ELIGIBLE_WITH_WARNING)
    source = SyntheticSource(payloads=[person.camera_payload], width=960, height=540, fps=20, seed=3)
    window = make_window("kiosk", source=source)
    seen: list[str] = []
    window.screen_changed.connect(seen.append)
    qtbot.waitUntil(lambda: window.preview.frames_shown > 5, timeout=WAIT_MS)
    wait_result(qtbot, window, timeout=30_000)
    assert window.result_view.shown is not None
    assert window.result_view.shown.outcome is Outcome.ELIGIBLE_WITH_WARNING
    assert "reading" in seen and seen.index("reading") < seen.index("result")
    assert window.bridge.frames_taken <= window.bridge.frames_in


class FlakyCamera(FrameSource):
    """A live source that can be unplugged and plugged back in."""

    live = True
    description = "flaky test camera"

    def __init__(self) -> None:
        super().__init__()
        self.unplugged = threading.Event()
        self.index = 0
        self.image = np.full((240, 320, 3), 90, np.uint8)

    def _open(self) -> None:
        pass

    def _close(self) -> None:
        pass

    def _read(self, timeout: float | None) -> Frame | None:
        time.sleep(0.03)
        if self.unplugged.is_set():
            raise SourceError("camera unplugged")
        self.index += 1
        return Frame(self.image, self.index, time.monotonic())

    @property
    def connected(self) -> bool:
        return not self.unplugged.is_set()


def test_camera_lost_and_restored(qtbot, make_window: WindowFactory) -> None:  # type: ignore[no-untyped-def]
    camera = FlakyCamera()
    window = make_window("kiosk", source=camera)
    qtbot.waitUntil(lambda: window.preview.has_frame, timeout=WAIT_MS)
    camera.unplugged.set()
    qtbot.waitUntil(lambda: window.current_screen is Screen.CAMERA_LOST, timeout=WAIT_MS)
    assert "camera" in window.message_title.text().lower()
    assert not window.preview.has_frame
    camera.unplugged.clear()
    qtbot.waitUntil(lambda: window.current_screen is Screen.WAITING and window.preview.has_frame, timeout=WAIT_MS)


# ---------------------------------------------------------------------- language, settings, start-up


def test_switch_to_english_and_back(qtbot, make_window: WindowFactory, demo: DemoEnvironment) -> None:  # type: ignore[no-untyped-def]
    window = make_window("reception")
    window.pipeline.submit_payload(demo.person_for(Outcome.ELIGIBLE).payload)
    wait_result(qtbot, window)
    window.set_language("en")
    try:
        assert window.windowTitle().startswith("Health insurance")
        assert window.result_view.title.text() == "Health insurance card is valid"
        assert window.result_view.names["card"].text() == "Insurance card number"
        assert window.manual is not None and "12 digits" in window.manual.id_label.text()
    finally:
        window.set_language("vi")
    assert window.result_view.title.text() == "Thẻ BHYT còn hiệu lực"


def test_settings_dialog_saves_the_config(qtbot, make_window: WindowFactory, demo: DemoEnvironment,  # type: ignore[no-untyped-def]
                                          tmp_path: Path) -> None:
    from kiosk.staff_pin import verify_pin
    from ui.settings_dialog import SettingsDialog

    path = tmp_path / "kiosk.toml"
    original = copy.deepcopy(demo.config)
    original.save(path)
    window = make_window("reception", config_path=path)  # runs with mode=reception (a command-line override)
    dialog = SettingsDialog(window.config, [("synthetic", "Synthetic")], window)
    qtbot.addWidget(dialog)
    dialog.new_pin.setText("12")
    dialog.save()
    assert dialog.result_config() is None and "4" in dialog.error.text()
    dialog.new_pin.setText("4321")
    dialog.result_timeout.setValue(20)
    dialog.language.setCurrentIndex(dialog.language.findData("vi"))
    dialog.high_contrast.setChecked(True)
    dialog.save()
    new = dialog.result_config()
    assert new is not None
    window.apply_settings(new)
    saved = KioskConfig.load(path)
    assert saved.result_timeout_s == 20 and saved.high_contrast
    assert verify_pin("4321", saved.staff_pin_hash)
    assert saved.service_url == demo.config.service_url
    assert saved.mode == original.mode == "kiosk"  # the override was not written back
    assert str(path) in window.status_line.text()


@contextlib.contextmanager
def app_window(qtbot, options: StartOptions) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    """The app's own start-up (:func:`ui.app.create_window`); the starter and the window are stopped after."""
    from ui.app import create_window

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window, starter = create_window(options, app)
    qtbot.addWidget(window)
    try:
        yield window
    finally:
        starter.stop()
        window.allow_exit()
        window.shutdown()


def test_app_start_in_demo_mode_reaches_live_preview(qtbot, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
                                                     tmp_path: Path) -> None:
    monkeypatch.setenv("BHYT_KIOSK_HOME", str(tmp_path))
    with app_window(qtbot, StartOptions(demo=True, camera="synthetic", mode="reception")) as window:
        assert window.current_screen is Screen.STARTING
        window.show()
        qtbot.waitUntil(lambda: window.runtime is not None and window.preview.has_frame, timeout=20_000)
        assert window.runtime is not None and window.runtime.demo is not None
        assert "1234" in window.status_line.text()
    assert not any(tmp_path.rglob("*.db"))  # the demo writes nothing outside its temporary folder


def test_bad_config_shows_a_start_up_error(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "kiosk.toml"
    bad.write_text('mode = "kiosk"\nresult_timeout_s = -1\n', encoding="utf-8")
    with app_window(qtbot, StartOptions(config_path=bad)) as window:
        assert window.current_screen is Screen.ERROR
        assert "result_timeout_s" in window.message_text.text()
        assert window.message_next.text()


def test_every_control_has_a_name_for_screen_readers_and_the_keyboard(qtbot, make_window: WindowFactory) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QPushButton

    for mode in ("kiosk", "reception"):
        window = make_window(mode)
        for button in window.findChildren(QPushButton):
            assert button.text() or button.accessibleName(), button.objectName()
        for field in window.findChildren(QLineEdit):
            assert field.accessibleName(), field.objectName()
        if mode == "reception":
            assert window.manual is not None
            # Tab walks through the form
            _focus(qtbot, window.manual.id_field)
            QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
            qtbot.waitUntil(lambda w=window: QApplication.focusWidget() is w.manual.name_field, timeout=2000)


def test_signals_keep_reference_counts(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A check of the installed PySide6, not of our code: 6.12.0 on CPython 3.11 drops a reference to True on every
    Signal.emit() (and to None on every void call), and the app then aborts after some minutes ("bool_dealloc").
    pyproject pins PySide6 < 6.12; this fails if an install gets a PySide6 with that bug."""
    import sys

    from PySide6.QtCore import QObject, Signal

    class Emitter(QObject):
        ping = Signal()

    emitter = Emitter()
    received: list[int] = []
    emitter.ping.connect(lambda: received.append(1))
    before = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(200):
        emitter.ping.emit()
        emitter.setObjectName("x")  # a void call
    after = sys.getrefcount(True), sys.getrefcount(None)
    assert len(received) == 200
    assert after[0] >= before[0] - 5 and after[1] >= before[1] - 50, (before, after)


def test_sounds_degrade_gracefully(qtbot) -> None:  # type: ignore[no-untyped-def]
    from ui.sounds import Cue, Sounds

    quiet = Sounds(False)
    assert not quiet.enabled
    quiet.play(Cue.READ)  # a no-op
    maybe = Sounds(True)  # QtMultimedia may or may not have an audio device here: never raises
    for cue in Cue:
        maybe.play(cue)


def test_kiosk_mode_window_covers_the_screen(qtbot, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
                                             tmp_path: Path) -> None:
    from PySide6.QtGui import QGuiApplication

    from ui.app import show_window

    monkeypatch.setenv("BHYT_KIOSK_HOME", str(tmp_path))
    with app_window(qtbot, StartOptions(demo=True, camera="synthetic", mode="kiosk")) as window:
        show_window(window)
        screen = QGuiApplication.primaryScreen()
        assert screen is not None
        assert window.geometry() == screen.geometry()
        assert window.isFullScreen()
        qtbot.waitUntil(lambda: window.runtime is not None and window.preview.has_frame, timeout=20_000)


def test_staff_menu_opens_the_lookup_log(qtbot, make_window: WindowFactory, demo: DemoEnvironment) -> None:  # type: ignore[no-untyped-def]
    from ui.log_window import LogWindow

    window = make_window("reception")
    window.pipeline.submit_payload(demo.person_for(Outcome.ELIGIBLE).payload)
    wait_result(qtbot, window)
    assert window.pipeline.wait_idle(10)
    window.log_action.trigger()
    logs = [w for w in QApplication.topLevelWidgets() if isinstance(w, LogWindow) and w.isVisible()]
    assert len(logs) == 1
    log_window = logs[0]
    try:
        assert log_window.db_path == window.config.effective_log_db
    finally:
        log_window.shutdown()
        log_window.close()


def test_staff_view_backlog_line(make_window: WindowFactory) -> None:
    from datetime import UTC, datetime

    from kiosk.central.shipper import Backlog

    window = make_window("reception")
    assert "đang kiểm tra" in window.backlog_text(None)
    waiting = Backlog("bn-001", "http://collector", 1234, 10, None, datetime(2026, 12, 6, 8, 30, tzinfo=UTC),
                      "unreachable: collector unreachable", None)
    text = window.backlog_text(waiting)
    assert "1.234 lượt" in text and "unreachable" in text
    caught_up = Backlog("bn-001", "http://collector", 0, 10, None, None, None, None)
    assert "0 lượt" in window.backlog_text(caught_up) and "chưa lần nào" in window.backlog_text(caught_up)
