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
from conftest import free_port
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QWidget

from kiosk.config import KioskConfig
from kiosk.outcomes import Outcome
from kiosk.pipeline import KioskPipeline
from kiosk.standins.demo import DemoEnvironment
from scanner.sources.base import Frame, FrameSource, SourceError
from ui.flow import Screen
from ui.main_window import MainWindow
from ui.outcome_texts import outcome_text
from ui.pin_dialog import PinDialog
from ui.preview import CAMERA_SWITCHING
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
    port = free_port()
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
    # the prompts do not pile up under the window (each one held the PIN typed into it)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert window.findChildren(PinDialog) == []


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
    """A USB wedge scanner "typing" ``text`` (any Unicode) ``gap_ms`` apart, as the window system delivers it:
    queued key events stamped with the time each key was typed (so a busy test machine does not stretch the
    gaps). QTest.keyClicks only knows ASCII; a scanner sends composed Vietnamese letters as text with no key code.
    """
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    stamp = int(time.monotonic() * 1000)
    keys = [(ord(ch.upper()) if ch.isascii() else 0, ch) for ch in text]
    if enter:
        keys.append((Qt.Key.Key_Return, "\r"))
    for key, ch in keys:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch)
            event.setTimestamp(stamp)
            QApplication.postEvent(widget, event)
        stamp += gap_ms
    QTest.qWait(50)


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


def test_settings_switch_the_camera(qtbot, make_window: WindowFactory) -> None:  # type: ignore[no-untyped-def]
    window = make_window("reception")
    assert not window.preview.has_frame
    new = copy.deepcopy(window.config)
    new.camera = "synthetic"
    window.apply_settings(new)
    assert window.preview.placeholder == CAMERA_SWITCHING
    qtbot.waitUntil(lambda: window.preview.has_frame, timeout=WAIT_MS)
    assert type(window.pipeline.source).__name__ == "SyntheticSource"


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
    message = window.apply_settings(new, dialog.labels())
    saved = KioskConfig.load(path)
    assert saved.result_timeout_s == 20 and saved.high_contrast
    assert verify_pin("4321", saved.staff_pin_hash)
    assert saved.service_url == demo.config.service_url
    assert saved.mode == original.mode == "kiosk"  # the override was not written back
    assert str(path) in window.status_line.text()
    # the confirmation says what changed, and only that
    assert "Thời gian hiện kết quả: 15.0 → 20.0" in message or "Thời gian hiện kết quả: 30.0 → 20.0" in message
    assert "Độ tương phản cao: ✗ → ✓" in message and "Mã PIN nhân viên" in message
    assert "Ngôn ngữ" not in message and "4321" not in message


def test_settings_in_demo_mode_say_what_they_cannot_change(qtbot, make_window: WindowFactory,  # type: ignore[no-untyped-def]
                                                           demo: DemoEnvironment) -> None:
    from ui.settings_dialog import SettingsDialog

    window = make_window("kiosk")
    assert window.runtime is not None
    window.runtime.demo = demo  # a demo run (the fixture's demo is closed by the fixture, not by the window)
    try:
        dialog = SettingsDialog(window.config, [], window)
        qtbot.addWidget(dialog)
        dialog.service_url.setText("http://10.0.0.1:9000")
        dialog.sounds.setChecked(not window.config.sounds)
        dialog.save()
        new = dialog.result_config()
        assert new is not None
        message = window.apply_settings(new, dialog.labels())
    finally:
        window.runtime.demo = None
    assert "demo" in message.lower() and "không được lưu" in message
    assert "Không đổi được trong chế độ demo: Địa chỉ dịch vụ tra cứu." in message
    assert window.config.service_url == demo.config.service_url  # refused
    assert "Âm thanh" in message


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
                                                     tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    import logging

    caplog.set_level(logging.INFO, logger="ui.app")
    monkeypatch.setenv("BHYT_KIOSK_HOME", str(tmp_path))
    with app_window(qtbot, StartOptions(demo=True, camera="synthetic", mode="reception")) as window:
        assert window.current_screen is Screen.STARTING
        window.show()
        qtbot.waitUntil(lambda: window.runtime is not None and window.preview.has_frame, timeout=20_000)
        assert window.runtime is not None and window.runtime.demo is not None
        assert "1234" in window.status_line.text()
    started = [r.getMessage() for r in caplog.records if r.getMessage().startswith("started: ")]
    assert any("demo: mock service in-process at http://127.0.0.1:" in line for line in started), started
    assert any(line.startswith("started: camera: synthetic") and "1280x720" in line for line in started), started
    assert any("lookup log: " in line for line in started)
    assert not any(tmp_path.rglob("*.db"))  # the demo writes nothing outside its temporary folder


def test_reception_gets_its_his_sender_from_the_start_up_worker(qtbot, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
                                                                tmp_path: Path) -> None:
    """The HIS sender (an HTTP client: its TLS set-up reads files) is built with the runtime, off the GUI thread,
    and closed with it."""
    import threading

    from kiosk.his import HisSender

    built_on: list[str] = []
    real_init = HisSender.__init__

    def init(self: HisSender, *args: object, **kwargs: object) -> None:
        built_on.append(threading.current_thread().name)
        real_init(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(HisSender, "__init__", init)
    monkeypatch.setenv("BHYT_KIOSK_HOME", str(tmp_path))
    options = StartOptions(demo=True, camera="synthetic", mode="reception", overrides={"his_url": "http://127.0.0.1:9/fhir"})
    with app_window(qtbot, options) as window:
        qtbot.waitUntil(lambda: window.runtime is not None, timeout=20_000)
        his = window.his
        assert his is not None and his.url == "http://127.0.0.1:9/fhir"
        assert window.pending_list is not None and window.pending_list._his is his
    assert built_on == ["ui-starter"]
    assert his._http.is_closed


@pytest.mark.parametrize("broken", ["result_timeout_s = -1\n", "result_timeout_s = [oops\n"],
                         ids=["bad-value", "bad-toml"])
def test_bad_config_puts_the_kiosk_out_of_service_and_tells_staff(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, broken: str
) -> None:
    from kiosk.staff_pin import hash_pin
    from ui.app_log import log_file, setup_logging
    from ui.staff_menu import StaffMenu

    monkeypatch.setenv("BHYT_KIOSK_HOME", str(tmp_path / "home"))
    bad = tmp_path / "kiosk.toml"
    bad.write_text(f'mode = "kiosk"\nstaff_pin_hash = "{hash_pin("2580", iterations=1000)}"\n{broken}',
                   encoding="utf-8")
    import logging

    setup_logging()
    try:
        with app_window(qtbot, StartOptions(config_path=bad)) as window:
            assert window.current_screen is Screen.ERROR
            patient = " ".join(lbl.text() for lbl in window.findChildren(QLabel) if lbl.isVisibleTo(window))
            assert "result_timeout_s" not in patient and str(tmp_path) not in patient and "kiosk.toml" not in patient
            assert "tạm ngừng" in window.message_title.text()
            seen: dict[str, str] = {}

            def read_menu() -> None:
                menu = next((w for w in QApplication.topLevelWidgets() if isinstance(w, StaffMenu) and w.isVisible()),
                            None)
                if menu is None:
                    QTimer.singleShot(20, read_menu)
                    return
                seen["problem"] = menu.problem.text()
                menu.reject()

            _answer_pin_dialog(qtbot, ["2580"], [])  # the PIN still works: read from the broken file
            QTimer.singleShot(50, read_menu)
            window.open_staff_menu()
            assert str(bad) in seen["problem"]
            assert ("result_timeout_s" if "-1" in broken else "line 3") in seen["problem"]
    finally:
        for handler in list(logging.getLogger().handlers):
            if isinstance(handler, logging.FileHandler):
                handler.close()
                logging.getLogger().removeHandler(handler)
    written = log_file().read_text(encoding="utf-8")
    assert "out of service" in written and str(bad) in written


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


@pytest.mark.parametrize("mode", ["kiosk", "reception"])
def test_window_takes_its_screen(qtbot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,  # type: ignore[no-untyped-def]
                                 mode: str) -> None:
    # kiosk: the whole screen, full screen; reception: the desktop's free area, maximised
    from PySide6.QtGui import QGuiApplication

    from ui.app import show_window

    monkeypatch.setenv("BHYT_KIOSK_HOME", str(tmp_path))
    with app_window(qtbot, StartOptions(demo=True, camera="synthetic", mode=mode)) as window:
        show_window(window)
        screen = QGuiApplication.primaryScreen()
        assert screen is not None
        if mode == "kiosk":
            assert window.geometry() == screen.geometry()
            assert window.isFullScreen()
            qtbot.waitUntil(lambda: window.runtime is not None and window.preview.has_frame, timeout=20_000)
        else:
            available = screen.availableGeometry()
            assert window.frameGeometry().width() >= available.width() - 2
            assert window.frameGeometry().height() >= available.height() - 2
            assert window.isMaximized() and not window.isFullScreen()


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
        # opened on a worker thread
        qtbot.waitUntil(lambda: log_window.db_path == window.config.effective_log_db, timeout=15_000)
    finally:
        log_window.shutdown()
        log_window.close()


# ---------------------------------------------------------------------- issue 11: reception workflow, wording


def test_manual_entry_keeps_the_form_after_a_mismatch_and_refuses_future_births(
    qtbot, make_window: WindowFactory, demo: DemoEnvironment  # type: ignore[no-untyped-def]
) -> None:
    window = make_window("reception")
    form = window.manual
    assert form is not None
    person = demo.person_for(Outcome.DATA_MISMATCH).person
    assert person is not None
    card = person.identity
    form.id_field.setText(card.id_number)
    form.name_field.setText(card.full_name)
    form.dob_field.setText(f"01/01/{time.localtime().tm_year + 1}")
    assert "tương lai" in form.error.text() and not form.submit_button.isEnabled()
    form.dob_field.setText(card.date_of_birth.display())
    form.submit()
    wait_result(qtbot, window)
    assert window.result_view.shown is not None and window.result_view.shown.outcome is Outcome.DATA_MISMATCH
    # staff correct instead of retyping
    assert (form.id_field.text(), form.name_field.text(), form.dob_field.text()) == (
        card.id_number, card.full_name, card.date_of_birth.display())
    assert "ông/bà" not in window.result_view.next_step.text().lower()  # told to staff, not to the patient


def test_typed_entry_errors_never_talk_about_qr_codes(qtbot, make_window: WindowFactory,  # type: ignore[no-untyped-def]
                                                     demo: DemoEnvironment) -> None:
    window = make_window("reception")
    person = demo.person_for(Outcome.ELIGIBLE).person
    assert person is not None and window.manual is not None
    # the form checks as it is typed; a wrong sex digit only the lookup side refuses
    card = person.identity
    window._manual_attempt = window.pipeline.submit_manual(card.id_number, "Nguyễn 3", card.date_of_birth.iso())
    wait_result(qtbot, window)
    shown = window.result_view
    assert shown.shown is not None and shown.shown.outcome is Outcome.INVALID_CARD
    assert "QR" not in shown.title.text() + shown.reason.text() + shown.next_step.text()


@pytest.mark.parametrize("outcome", CARD_OUTCOMES, ids=[o.value for o in CARD_OUTCOMES])
def test_reception_texts_address_staff(qtbot, make_window: WindowFactory, demo: DemoEnvironment,  # type: ignore[no-untyped-def]
                                       outcome: Outcome) -> None:
    window = make_window("reception")
    window.pipeline.submit_payload(demo.person_for(outcome).payload)
    wait_result(qtbot, window)
    texts = " ".join(lbl.text() for lbl in (window.result_view.reason, window.result_view.next_step)).lower()
    assert "ông/bà" not in texts and "mời" not in texts and "quầy tiếp đón" not in texts


def test_revoked_card_is_not_renewed_and_shows_no_validity(qtbot, make_window: WindowFactory,  # type: ignore[no-untyped-def]
                                                           demo: DemoEnvironment) -> None:
    window = make_window("kiosk")
    revoked = next(p for p in demo.people if p.result_code == "110")
    window.pipeline.submit_payload(revoked.payload)
    wait_result(qtbot, window)
    view = window.result_view
    assert view.banner_colour() == "red"
    assert "gia hạn" not in view.next_step.text() and "thu hồi" in view.reason.text()
    fields = view.field_texts()
    assert "từ" not in fields.get("validity", "") and "benefit" not in fields
    expired = next(p for p in demo.people if p.result_code == "010")
    window.pipeline.submit_payload(expired.payload)
    qtbot.waitUntil(lambda: view.shown is not None and view.shown.result is not None
                    and view.shown.result.result_code == "010", timeout=WAIT_MS)
    assert "gia hạn" in view.next_step.text()


def test_kiosk_masks_card_number_and_birth_date_reception_shows_them(
    qtbot, make_window: WindowFactory, demo: DemoEnvironment  # type: ignore[no-untyped-def]
) -> None:
    person = demo.person_for(Outcome.ELIGIBLE)
    assert person.person is not None
    for mode in ("kiosk", "reception"):
        window = make_window(mode)
        window.pipeline.submit_payload(person.payload)
        wait_result(qtbot, window)
        fields = window.result_view.field_texts()
        shown = window.result_view.shown
        assert shown is not None and shown.result is not None and shown.result.insurance is not None
        number = shown.result.insurance.card_number
        year = str(person.person.identity.date_of_birth.year)
        if mode == "kiosk":
            assert number not in all_texts(window) and fields["card"].endswith(number[-3:])
            assert fields["dob"] == f"••/••/{year}"
        else:
            assert fields["card"] == number and "•" not in fields["dob"] and fields["dob"].endswith(year)


@pytest.mark.skipif(not hasattr(__import__("os"), "openpty") or __import__("sys").platform == "win32",
                    reason="needs a pseudo-terminal")
def test_serial_scanner_payloads_are_looked_up_exactly(qtbot, make_window: WindowFactory,  # type: ignore[no-untyped-def]
                                                       demo: DemoEnvironment) -> None:
    import os
    import tty

    from ui.runtime import start_serial_scanner

    master, slave = os.openpty()
    tty.setraw(slave)
    window = make_window("reception")
    config = copy.deepcopy(window.config)
    config.scanner = f"serial:{os.ttyname(slave)},115200"
    config.validate()
    recorded: list[object] = []
    window.pipeline.add_record_listener(recorded.append)
    scanner = start_serial_scanner(config, window.pipeline)
    assert scanner is not None
    try:
        qtbot.waitUntil(lambda: scanner.connected, timeout=5000)
        person = demo.person_for(Outcome.NOT_ELIGIBLE)
        os.write(master, person.payload.encode("utf-8") + b"\r\n")
        wait_result(qtbot, window)
    finally:
        scanner.close()
        os.close(master)
        os.close(slave)
    shown = window.result_view.shown
    assert shown is not None and shown.card is not None and shown.card.to_payload() == person.payload
    assert [r.attempt.source.value for r in recorded] == ["serial-scanner"]  # type: ignore[attr-defined]


def test_app_accepts_the_lookup_flags_and_scanner(tmp_path: Path) -> None:
    import argparse

    from ui.launcher import AppCommand
    from ui.runtime import load_config

    parser = argparse.ArgumentParser()
    AppCommand.add_arguments(parser)
    toml = tmp_path / "kiosk.toml"
    toml.write_text('kiosk_id = "k-file"\nread_timeout_s = 9.0\n', encoding="utf-8")
    args = parser.parse_args(["--config", str(toml), "--service", "http://127.0.0.1:1", "--kiosk-id", "k-flag",
                              "--facility", "27001", "--timeout", "2.5", "--scanner", "serial:COM3,115200",
                              "--mode", "reception"])
    options = StartOptions.from_args(args)
    assert not options.wants_demo()
    config = load_config(options)
    assert (config.service_url, config.kiosk_id, config.facility_code, config.read_timeout_s, config.scanner,
            config.mode) == ("http://127.0.0.1:1", "k-flag", "27001", 2.5, "serial:COM3,115200", "reception")
    assert config.connect_timeout_s <= 2.5
    with pytest.raises(SystemExit):
        parser.parse_args(["--scanner"])
    bad = StartOptions.from_args(parser.parse_args(["--config", str(toml), "--scanner", "COM3"]))
    from kiosk.config import ConfigError

    with pytest.raises(ConfigError, match="scanner"):
        load_config(bad)


# ---------------------------------------------------------------------- issue 11: staff screens lock again


def _find_dialog(kind: type) -> object | None:
    return next((w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()), None)


def test_staff_menu_defaults_to_close_and_locks_itself_after_idle(qtbot, make_window: WindowFactory,  # type: ignore[no-untyped-def]
                                                                  demo: DemoEnvironment) -> None:
    from ui.staff_menu import StaffChoice, StaffMenu

    window = make_window("kiosk")
    window.staff_idle_s = 0.4
    seen: dict[str, object] = {}

    def inspect() -> None:
        menu = _find_dialog(StaffMenu)
        if menu is None:
            QTimer.singleShot(20, inspect)
            return
        assert isinstance(menu, StaffMenu)
        seen["default"] = [c for c, b in menu.buttons.items() if b.isDefault()]
        seen["opened"] = time.monotonic()

    _answer_pin_dialog(qtbot, [demo.pin], [])
    QTimer.singleShot(50, inspect)
    window.open_staff_menu()  # returns when the menu closes by itself
    closed = time.monotonic()
    assert seen["default"] == [StaffChoice.CLOSE]
    assert 0.3 <= closed - float(seen["opened"]) < 5  # type: ignore[arg-type]
    assert window.isVisible()  # timing out never exits


def test_settings_and_log_window_from_kiosk_mode_close_after_idle(qtbot, make_window: WindowFactory) -> None:  # type: ignore[no-untyped-def]
    from ui.log_window import LogWindow
    from ui.settings_dialog import SettingsDialog

    window = make_window("kiosk")
    window.staff_idle_s = 0.5
    kept_alive: list[float] = []

    def poke_then_wait() -> None:
        dialog = _find_dialog(SettingsDialog)
        if dialog is None:
            QTimer.singleShot(20, poke_then_wait)
            return
        assert isinstance(dialog, SettingsDialog)
        QTest.keyClick(dialog.service_url, Qt.Key.Key_End)  # input restarts the countdown
        kept_alive.append(time.monotonic())

    QTimer.singleShot(300, poke_then_wait)
    started = time.monotonic()
    window.open_settings(pin_checked=True)
    assert kept_alive and time.monotonic() - kept_alive[0] >= 0.45  # counted from the last input
    assert time.monotonic() - started < 10
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert window.findChildren(SettingsDialog) == []  # closed settings screens do not pile up under the window
    window.open_log()
    log_window = _find_dialog(LogWindow)
    assert log_window is not None
    gone: list[bool] = []
    log_window.destroyed.connect(lambda: gone.append(True))  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: bool(gone), timeout=5000)  # closed, and deleted on close


def test_pin_lockout_discards_digits_typed_meanwhile(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import ui.pin_dialog as pin_dialog
    from kiosk.staff_pin import hash_pin

    monkeypatch.setattr(pin_dialog, "LOCKOUT_S", 0.6)
    dialog = PinDialog(hash_pin("2468", iterations=1000), "test")
    qtbot.addWidget(dialog)
    dialog.show()
    for _ in range(pin_dialog.MAX_FAILURES):
        dialog.field.setText("1111")
        dialog.check()
    assert dialog.locked and not dialog.ok_button.isEnabled()
    _focus(qtbot, dialog.field)
    QTest.keyClicks(dialog.field, "2468")  # typed during the lock-out: thrown away
    dialog.keys["2"].click()
    assert dialog.field.text() == ""
    qtbot.waitUntil(lambda: dialog.ok_button.isEnabled(), timeout=3000)
    QTest.keyClicks(dialog.field, "2468")
    dialog.check()
    assert dialog.result() == PinDialog.DialogCode.Accepted


# ---------------------------------------------------------------------- issue 11: every text follows the language


_TYPOGRAPHY = set("—…•×«»’–·⌫")


def _untranslated(texts: list[str]) -> list[str]:
    """Texts with Vietnamese letters in them (the language's own name excepted)."""
    return [t for t in texts
            if any(not ch.isascii() and ch not in _TYPOGRAPHY for ch in t.replace("Tiếng Việt", ""))]


def _visible_texts(top: QWidget, skip: tuple[QWidget, ...] = ()) -> list[str]:
    from PySide6.QtWidgets import QAbstractButton, QGroupBox

    texts: list[str] = []
    for widget in top.findChildren(QWidget):
        if not widget.isVisibleTo(top) or widget in skip or any(s.isAncestorOf(widget) for s in skip):
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QLineEdit):
            texts.append(widget.placeholderText())
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title())
    return [t for t in texts if t]


def test_every_text_follows_the_language_switch(qtbot, make_window: WindowFactory,  # type: ignore[no-untyped-def]
                                                demo: DemoEnvironment) -> None:
    from PySide6.QtWidgets import QMessageBox

    from kiosk.pipeline import EventKind, PipelineEvent, PipelineState
    from scanner.reader import ReadHint
    from ui.i18n import Translations
    from ui.pin_dialog import PinDialog
    from ui.settings_dialog import SettingsDialog
    from ui.staff_menu import StaffMenu

    for mode in ("reception", "kiosk"):
        window = make_window(mode)
        window.translations = Translations()
        window.set_language("vi")
        window.pipeline.submit_payload(demo.person_for(Outcome.NOT_ELIGIBLE).payload)
        wait_result(qtbot, window)
        window.dismiss_result()
        window._show_screen(Screen.READING)
        window.bridge.listener(PipelineEvent(kind=EventKind.FRAME, state=PipelineState.READING,
                                             frame=np.zeros((480, 640, 3), np.uint8), hint=ReadHint.GLARE))
        qtbot.waitUntil(lambda w=window: w.hint.isVisible(), timeout=3000)
        vi_hint = window.hint.text()
        box = QMessageBox(QMessageBox.Icon.Warning, "t", "m", QMessageBox.StandardButton.Ok, window)
        assert box.button(QMessageBox.StandardButton.Ok).text() == "Đồng ý"  # Qt's own buttons, in Vietnamese
        line = QLineEdit()
        assert any("Sao chép" in a.text() for a in line.createStandardContextMenu().actions())
        try:
            window.set_language("en")
            assert window.hint.text() != vi_hint and window.hint.isVisible()  # the live hint, re-translated
            skip = (window.language_button, window.result_view, window.status_line)
            assert _untranslated(_visible_texts(window, skip)) == []
            if window.recent is not None:
                rows = [window.recent.item(i).text() for i in range(window.recent.count())]
                assert rows and all("no longer valid" in r or "not valid" in r.lower() for r in rows), rows
                actions = [a.text() for a in window.staff_menu.actions()] + [window.staff_menu.title()]
                assert _untranslated(actions) == []
            for dialog in (PinDialog(None, window.tr("Nhập mã PIN để mở cài đặt."), window),
                           StaffMenu(None, window), SettingsDialog(window.config, [], window)):
                dialog.show()
                texts = [*_visible_texts(dialog), dialog.windowTitle()]
                dialog.close()
                assert _untranslated(texts) == [], type(dialog).__name__
            box = QMessageBox(QMessageBox.Icon.Warning, "t", "m", QMessageBox.StandardButton.Ok, window)
            assert box.button(QMessageBox.StandardButton.Ok).text() == "OK"
            assert any(a.text().startswith("&Copy") for a in line.createStandardContextMenu().actions())
        finally:
            window.set_language("vi")
            window.translations.uninstall()


def test_wedge_burst_survives_modifier_and_dead_key_presses(qtbot, make_window: WindowFactory,  # type: ignore[no-untyped-def]
                                                           demo: DemoEnvironment) -> None:
    """Shift before capitals and '|', a dead key before an accented letter (some layouts), Tab at the end."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    window = make_window("reception")
    assert window.manual is not None
    field = window.manual.name_field
    _focus(qtbot, field)
    person = demo.person_for(Outcome.ELIGIBLE)
    stamp = int(time.monotonic() * 1000)
    for ch in person.payload:
        keys: list[tuple[int, str]] = []
        if ch.isupper() or ch == "|":
            keys.append((Qt.Key.Key_Shift, ""))
        if not ch.isascii():
            keys.append((Qt.Key.Key_Dead_Tilde, ""))
        keys.append((ord(ch.upper()) if ch.isascii() else 0, ch))
        for key, text in keys:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, text)
                event.setTimestamp(stamp)
                QApplication.postEvent(field, event)
            stamp += 2
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        event = QKeyEvent(kind, Qt.Key.Key_Tab, Qt.KeyboardModifier.NoModifier, "\t")
        event.setTimestamp(stamp)
        QApplication.postEvent(field, event)
    wait_result(qtbot, window)
    assert field.text() == "" and QApplication.focusWidget() is field  # nothing leaked, Tab did not move focus
    shown = window.result_view.shown
    assert shown is not None and shown.card is not None and shown.card.to_payload() == person.payload


def test_staff_menu_labels_fit_and_spin_box_arrows_show(qtbot) -> None:  # type: ignore[no-untyped-def]
    import numpy as np
    from glyph_check import as_array, pump, themed
    from PySide6.QtWidgets import QDoubleSpinBox

    from ui.staff_menu import StaffMenu
    from ui.theme import Theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    for high_contrast in (False, True):
        with themed(app, Theme(high_contrast=high_contrast, font_scale=1.5)):
            menu = StaffMenu("kiosk.toml: lỗi")
            qtbot.addWidget(menu)
            menu.show()
            pump()
            for button in menu.buttons.values():
                needed = button.fontMetrics().horizontalAdvance(button.text().replace("&", ""))
                assert needed <= button.contentsRect().width(), button.text()
            box = QDoubleSpinBox()
            qtbot.addWidget(box)
            box.setValue(1.0)
            box.resize(240, box.sizeHint().height())
            box.show()
            pump()
            picture = as_array(box.grab().toImage())
            arrows = picture[4:-4, -22:-6]  # the up/down buttons at the right edge
            spread = np.abs(arrows - np.median(arrows.reshape(-1, 3), axis=0)).sum(axis=2)
            assert (spread > 200).sum() >= 12, "no arrow drawn"
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


def test_a_scan_before_the_pipeline_is_ready_is_not_lost_silently(qtbot, demo: DemoEnvironment) -> None:  # type: ignore[no-untyped-def]
    cfg = copy.deepcopy(demo.config)
    cfg.mode = "reception"
    cfg.sounds = False
    window = MainWindow(cfg, apply_style=False)  # no runtime yet: still starting
    qtbot.addWidget(window)
    try:
        window.wedge.scanned.emit(demo.person_for(Outcome.ELIGIBLE).payload)
        assert window.status_line.text() == "Máy chưa sẵn sàng, vui lòng chờ."
    finally:
        window.shutdown()


def test_preview_text_follows_the_language_switch(qtbot, make_window: WindowFactory) -> None:  # type: ignore[no-untyped-def]
    """The camera preview's text (here: camera lost, reconnecting) is re-translated on screen while it is shown."""
    from kiosk.pipeline import EventKind, PipelineEvent, PipelineState
    from ui.i18n import Translations

    window = make_window("reception")
    window.translations = Translations()
    window.set_language("vi")
    window.bridge.listener(PipelineEvent(kind=EventKind.SOURCE_LOST, state=PipelineState.ERROR, error="unplugged"))
    qtbot.waitUntil(lambda: window.preview.placeholder_text() == "Mất kết nối camera — đang thử kết nối lại…",
                    timeout=3000)
    vi_shot = window.preview.grab().toImage()
    try:
        window.set_language("en")
        assert window.preview.placeholder_text() == "Camera disconnected — reconnecting…"
        qtbot.waitUntil(lambda: window.preview.accessibleName() == "Camera picture", timeout=3000)  # LanguageChange
        assert window.preview.grab().toImage() != vi_shot  # painted again, in English
    finally:
        window.set_language("vi")
        window.translations.uninstall()
    assert window.preview.placeholder_text() == "Mất kết nối camera — đang thử kết nối lại…"
    assert window.preview.grab().toImage() == vi_shot
