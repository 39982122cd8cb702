"""Staff screens lock themselves again: a staff window opened at a public kiosk closes after a minute with no input.

:class:`IdleCloser` watches the application's input events; any key, click, wheel or touch inside the watched
window (or a dialog it opened) restarts the countdown. When it runs out the window is closed — a dialog is
rejected, so nothing half-edited is saved — and ``timed_out`` fires. A window closed before that ends the watch.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QWidget

STAFF_IDLE_S = 60.0

_INPUT = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
    QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.ShortcutOverride,
})


class IdleCloser(QObject):
    timed_out = Signal()

    def __init__(self, window: QWidget, timeout_s: float = STAFF_IDLE_S) -> None:
        super().__init__(window)
        self.window = window
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(max(1, int(timeout_s * 1000)))
        self.timer.timeout.connect(self._expire)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        # a child of ``window``: deleted with it, which also removes the application event filter
        self.timer.start()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.window and event.type() == QEvent.Type.Hide and not event.spontaneous():
            self._stop()  # closed (not minimised): the object lives on with its parent, the watch must not
            return False
        if event.type() in _INPUT and isinstance(obj, QWidget) and self._inside(obj):
            self.timer.start()
        return False

    def _inside(self, widget: QWidget) -> bool:
        top = widget.window()
        while top is not None:
            if top is self.window:
                return True
            parent = top.parentWidget()
            top = parent.window() if parent is not None else None
        return False

    def _stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def _expire(self) -> None:
        self._stop()
        # a dialog the staff window opened (a message box, a file chooser) goes first
        for child in self.window.findChildren(QDialog):
            if child.isVisible():
                child.reject()
        if isinstance(self.window, QDialog):
            self.window.reject()
        else:
            self.window.close()
        self.timed_out.emit()


def lock_after_idle(window: QWidget, timeout_s: float = STAFF_IDLE_S) -> IdleCloser:
    """Close ``window`` after ``timeout_s`` seconds without input in it."""
    return IdleCloser(window, timeout_s)
