"""Keyboard-wedge detection by keystroke timing (pure Python)."""

from __future__ import annotations

import pytest

from ui.wedge import WedgeAction, WedgeDetector

PAYLOAD = "001098012345||NGUYEN VAN A|15081998|Nam|Ha Noi|25052021"


def feed(detector: WedgeDetector, text: str, start: float, gap: float) -> tuple[list[WedgeAction], float]:
    actions: list[WedgeAction] = []
    t = start
    for ch in text:
        actions += detector.key(ch, t)
        t += gap
    return actions, t - gap


def test_fast_burst_with_enter_is_a_scan() -> None:
    d = WedgeDetector(max_gap_s=0.03, min_length=8)
    actions, last = feed(d, PAYLOAD, 10.0, 0.004)
    assert actions == []  # all held
    actions, consumed = d.enter(last + 0.004)
    assert consumed
    assert actions == [WedgeAction(PAYLOAD, True)]
    assert not d.pending


def test_fast_burst_without_enter_is_a_scan_when_the_keys_stop() -> None:
    d = WedgeDetector(max_gap_s=0.03, min_length=8)
    _, last = feed(d, PAYLOAD, 0.0, 0.002)
    assert d.poll(last + 0.01) == []  # not yet
    assert d.deadline() == pytest.approx(last + 0.03)
    assert d.poll(last + 0.05) == [WedgeAction(PAYLOAD, True)]


def test_human_typing_is_given_back_key_by_key() -> None:
    d = WedgeDetector(max_gap_s=0.03, min_length=8)
    out: list[WedgeAction] = []
    t = 0.0
    for ch in "Nguyen":
        out += d.key(ch, t)
        t += 0.15
    out += d.poll(t)
    assert "".join(a.text for a in out) == "Nguyen"
    assert not any(a.is_scan for a in out)


def test_short_fast_burst_is_typing() -> None:
    """Two keys rolled over quickly by a person are not a scan."""
    d = WedgeDetector(max_gap_s=0.03, min_length=8)
    feed(d, "ab", 0.0, 0.01)
    assert d.poll(0.2) == [WedgeAction("ab", False)]


def test_enter_after_human_typing_passes_through() -> None:
    d = WedgeDetector(max_gap_s=0.03, min_length=8)
    feed(d, "12", 0.0, 0.2)
    actions, consumed = d.enter(0.5)
    assert not consumed
    assert actions == [WedgeAction("2", False)]  # "1" was given back when "2" came


def test_slow_enter_after_a_burst_does_not_eat_enter() -> None:
    d = WedgeDetector(max_gap_s=0.03, min_length=8)
    _, last = feed(d, PAYLOAD, 0.0, 0.003)
    actions, consumed = d.enter(last + 0.5)
    assert not consumed
    assert actions == [WedgeAction(PAYLOAD, True)]  # the burst is still a scan


def test_a_pause_splits_two_scans() -> None:
    d = WedgeDetector(max_gap_s=0.03, min_length=8)
    _, last = feed(d, "123456789012", 0.0, 0.002)
    actions, _ = feed(d, "abcdefghij", last + 0.5, 0.002)
    assert actions == [WedgeAction("123456789012", True)]


def test_interrupt_returns_held_keys_as_typing() -> None:
    d = WedgeDetector()
    d.key("x", 0.0)
    assert d.interrupt() == [WedgeAction("x", False)]
    assert d.interrupt() == []


@pytest.mark.parametrize("kwargs", [{"max_gap_s": 0}, {"min_length": 1}])
def test_bad_settings(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        WedgeDetector(**kwargs)  # type: ignore[arg-type]


def test_empty_key_rejected() -> None:
    with pytest.raises(ValueError):
        WedgeDetector().key("", 0.0)


def test_an_endless_burst_is_bounded_and_dropped() -> None:
    """A stuck key or a scanner that never stops: the held text stops growing, and the burst is neither a scan
    nor typing."""
    d = WedgeDetector(max_gap_s=0.03, min_length=8, max_length=100)
    actions, last = feed(d, "7" * 5000, 0.0, 0.002)
    assert actions == [] and d.held_count == 100
    actions, consumed = d.enter(last + 0.002)
    assert consumed
    assert len(actions) == 1 and actions[0].overflow and not actions[0].is_scan
    assert not d.pending
    feed(d, "x" * 300, 1.0, 0.002)
    (action,) = d.poll(2.0)
    assert action.overflow and not action.is_scan


def test_the_filter_neither_holds_nor_types_an_endless_burst(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication, QLineEdit

    from ui.wedge_filter import WedgeFilter

    field = QLineEdit()
    qtbot.addWidget(field)
    wedge = WedgeFilter(WedgeDetector(max_gap_s=1.0, min_length=8, max_length=50))
    wedge.install()
    scans: list[str] = []
    wedge.scanned.connect(scans.append)
    try:
        for _ in range(2000):
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(field, QKeyEvent(kind, Qt.Key.Key_7, Qt.KeyboardModifier.NoModifier, "7"))
        assert len(wedge._held) <= 50
        QApplication.sendEvent(field, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return,
                                                Qt.KeyboardModifier.NoModifier, "\r"))
        assert scans == [] and field.text() == "" and wedge._held == []
    finally:
        wedge.uninstall()
