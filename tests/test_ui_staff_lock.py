"""Staff screens lock themselves after idle time (real widgets, offscreen)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QWidget

from ui.staff_lock import lock_after_idle


def test_an_idle_staff_dialog_is_rejected(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = QDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    closer = lock_after_idle(dialog, 0.05)
    with qtbot.waitSignal(closer.timed_out, timeout=2000):
        pass
    assert not dialog.isVisible()


def test_a_staff_dialog_closed_by_staff_stops_watching(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A PIN pad or menu closed normally (kept alive by its parent) must not keep filtering every event of
    the application nor "time out" a minute later."""
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = QDialog(parent)
    dialog.show()
    closer = lock_after_idle(dialog, 0.05)
    fired: list[bool] = []
    closer.timed_out.connect(lambda: fired.append(True))
    dialog.accept()
    assert not closer.timer.isActive()
    qtbot.wait(200)
    assert fired == []
