"""An application-wide event filter that turns USB keyboard-wedge scanner bursts into scans.

The timing logic is :class:`ui.wedge.WedgeDetector` (pure Python). This filter feeds it printable key
presses, swallows them while they are held, and either emits :attr:`WedgeFilter.scanned` (a burst) or
re-sends the keys to the widget they were meant for (human typing). A scan is never typed into the
focused field. While a modal dialog (PIN pad, settings) is open, keys pass straight through.

Real scanners (and ``xdotool type``) press Shift for capitals and ``|``, AltGr or dead keys on some layouts,
and end a code with Enter or Tab: modifier and dead-key presses neither split a burst nor reach a field, and
Enter/Tab right after a burst end the scan. Key gaps are measured on the window system's event timestamps
(when the keys were typed), not when the GUI thread got round to them: a busy GUI thread neither splits a
burst nor merges a person's keys.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from ui.wedge import WedgeAction, WedgeDetector

log = logging.getLogger(__name__)

_TEXT_MODIFIERS = (Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
                   | Qt.KeyboardModifier.GroupSwitchModifier)
# Keys that only change what the next key types: never text, never the end of a burst.
_MODIFIER_KEYS = frozenset({
    Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_AltGr, Qt.Key.Key_Meta, Qt.Key.Key_Super_L,
    Qt.Key.Key_Super_R, Qt.Key.Key_Hyper_L, Qt.Key.Key_Hyper_R, Qt.Key.Key_CapsLock, Qt.Key.Key_NumLock,
    Qt.Key.Key_ScrollLock, Qt.Key.Key_Mode_switch, Qt.Key.Key_Multi_key,
})
_SUFFIX_KEYS = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab})


def is_modifier_key(key: int) -> bool:
    """Shift, Ctrl, AltGr, lock keys and dead keys (accents typed before their letter)."""
    return key in _MODIFIER_KEYS or Qt.Key.Key_Dead_Grave <= key <= Qt.Key.Key_Dead_Longsolidusoverlay


@dataclass
class _HeldKey:
    target: QWidget
    key: int
    modifiers: Qt.KeyboardModifier
    text: str
    released: bool = False  # its release came while it was held: replayed after the press


class WedgeFilter(QObject):
    scanned = Signal(str)

    def __init__(self, detector: WedgeDetector | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.detector = detector or WedgeDetector()
        self._held: list[_HeldKey] = []
        self._replaying = False
        self.enabled = True
        self._draining = False
        self._offset = 0.0  # window-system key time minus monotonic time (see _event_time)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer)

    def install(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def uninstall(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._timer.stop()
        self._held.clear()

    # ------------------------------------------------------------------ the filter

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if self._replaying or not self.enabled:
            return False
        if event.type() == QEvent.Type.KeyRelease and self._held and isinstance(event, QKeyEvent):
            return self._hold_release(obj, event)
        if event.type() != QEvent.Type.KeyPress:
            return False
        if not isinstance(obj, QWidget) or not isinstance(event, QKeyEvent):
            return False
        if QApplication.activeModalWidget() is not None and not self._held:
            return False
        focus = QApplication.focusWidget()
        if focus is not None and obj is not focus and obj.isAncestorOf(focus):
            return False  # the same key propagating to a parent: already seen
        now = self._event_time(event)
        key = event.key()
        if is_modifier_key(key) or (key in (0, Qt.Key.Key_unknown) and not event.text()):
            # a burst goes on; the key itself changes nothing in a field. (A key with no code and no text is
            # a letter the keyboard map cannot type — a US-keyboard scanner's Vietnamese letter: lost.)
            return False
        if key in _SUFFIX_KEYS and not event.modifiers() & ~_TEXT_MODIFIERS:
            actions, consumed = self.detector.enter(now)
            self._apply(actions)
            return consumed
        text = event.text()
        printable = len(text) == 1 and text.isprintable() and not (event.modifiers() & ~_TEXT_MODIFIERS)
        if not printable:
            self._apply(self.detector.interrupt())
            return False
        self._apply(self.detector.key(text, now))
        if self.detector.held_count > len(self._held):  # else a burst past its length limit: swallowed
            self._held.append(_HeldKey(obj, key, event.modifiers(), text))
        self._arm_timer()
        return True

    def _event_time(self, event: QKeyEvent) -> float:
        """Seconds on the window system's clock when the key was typed (monotonic time for synthetic events).

        ``self._offset`` maps monotonic time to that clock, so that the gap timer can tell when a burst ended.
        """
        mono = time.monotonic()
        stamp = event.timestamp()
        if not stamp:
            self._offset = 0.0
            return mono
        t = stamp / 1000.0
        offset = t - mono
        # the first key of a burst, a wrapped or a stale stamp: take the clock's offset afresh
        if not self.detector.pending or abs(offset - self._offset) > 5.0:
            self._offset = offset
        return t

    def _now(self) -> float:
        return time.monotonic() + self._offset

    def _hold_release(self, obj: QObject, event: QKeyEvent) -> bool:
        """The release of a held key waits with it (a button must see press, then release)."""
        if event.isAutoRepeat():
            return False
        for held in reversed(self._held):
            if held.key == event.key() and held.target is obj and not held.released:
                held.released = True
                return True
        return False

    def _arm_timer(self) -> None:
        """Fire just after the detector's deadline (when keys are held)."""
        deadline = self.detector.deadline()
        if deadline is not None:
            self._timer.start(max(1, int((deadline - self._now()) * 1000) + 2))

    def _on_timer(self) -> None:
        # keys already typed but not yet delivered (the GUI thread was busy) belong to the burst: take them first
        if not self._draining:
            self._draining = True
            try:
                QCoreApplication.processEvents()
            finally:
                self._draining = False
        actions = self.detector.poll(self._now())
        if not actions and self.detector.pending:
            self._arm_timer()  # woke a little early
            return
        self._apply(actions)

    def _apply(self, actions: list[WedgeAction]) -> None:
        for action in actions:
            count = len(action.text)
            held, self._held = self._held[:count], self._held[count:]
            if action.overflow:
                log.warning("keyboard scanner: a burst longer than %d characters was dropped", self.detector.max_length)
            elif action.is_scan:
                self.scanned.emit(action.text)
            else:
                self._replay(held)

    def _replay(self, keys: list[_HeldKey]) -> None:
        self._replaying = True
        try:
            for held in keys:
                target = held.target
                try:
                    press = QKeyEvent(QEvent.Type.KeyPress, held.key, held.modifiers, held.text)
                    QApplication.sendEvent(target, press)
                    if held.released:
                        release = QKeyEvent(QEvent.Type.KeyRelease, held.key, held.modifiers, held.text)
                        QApplication.sendEvent(target, release)
                except RuntimeError:  # the widget was deleted meanwhile
                    continue
        finally:
            self._replaying = False
