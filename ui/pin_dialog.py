"""The staff PIN pad: guards exit and settings in kiosk mode. Big touch keys; the keyboard works too."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from kiosk.staff_pin import PinFormatError, verify_pin

MAX_FAILURES = 5
LOCKOUT_S = 30.0


class PinDialog(QDialog):
    """Accepts only when the typed PIN matches ``pin_hash``. ``failures`` counts wrong PINs."""

    def __init__(self, pin_hash: str | None, purpose: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModal(True)
        self.setObjectName("pinDialog")
        self._hash = pin_hash
        self.failures = 0
        self._locked_until = 0.0
        self.setWindowTitle(self.tr("Mã PIN nhân viên"))
        layout = QVBoxLayout(self)
        self.prompt = QLabel(purpose, objectName="instruction")
        self.prompt.setWordWrap(True)
        layout.addWidget(self.prompt)
        self.field = QLineEdit()
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setMaxLength(8)
        self.field.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.field.setAccessibleName(self.tr("Mã PIN"))
        self.field.returnPressed.connect(self.check)
        self.field.textEdited.connect(self._discard_while_locked)
        layout.addWidget(self.field)
        self.message = QLabel(objectName="error")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        grid = QGridLayout()
        self.keys: dict[str, QPushButton] = {}
        for i, digit in enumerate("123456789"):
            self._add_key(grid, digit, i // 3, i % 3)
        self._add_key(grid, "0", 3, 1)
        back = QPushButton("⌫", objectName="pinKey")
        back.setAccessibleName(self.tr("Xóa một số"))
        back.clicked.connect(self.field.backspace)
        grid.addWidget(back, 3, 2)
        clear = QPushButton("C", objectName="pinKey")
        clear.setAccessibleName(self.tr("Xóa hết"))
        clear.clicked.connect(self.field.clear)
        grid.addWidget(clear, 3, 0)
        layout.addLayout(grid)
        buttons = QHBoxLayout()
        self.cancel_button = QPushButton(self.tr("Hủy"))
        self.cancel_button.clicked.connect(self.reject)
        self.ok_button = QPushButton(self.tr("Xác nhận"), objectName="primary")
        self.ok_button.clicked.connect(self.check)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.ok_button)
        layout.addLayout(buttons)
        self.field.setFocus()
        if not pin_hash:
            self.message.setText(self.tr("Chưa đặt mã PIN nhân viên. Đặt mã PIN bằng lệnh: bhyt-kiosk config set-pin"))
            self.ok_button.setEnabled(False)

    def _add_key(self, grid: QGridLayout, digit: str, row: int, col: int) -> None:
        button = QPushButton(digit, objectName="pinKey")
        button.setAccessibleName(digit)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keep the keyboard focus in the field
        button.clicked.connect(lambda: None if self.locked else self.field.insert(digit))
        grid.addWidget(button, row, col)
        self.keys[digit] = button

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.check()
            return
        super().keyPressEvent(event)

    @property
    def locked(self) -> bool:
        return time.monotonic() < self._locked_until

    def _discard_while_locked(self) -> None:
        """Digits typed during a lock-out are thrown away (they would count towards the next try)."""
        if self.locked and self.field.text():
            self.field.clear()

    def _set_locked(self, locked: bool) -> None:
        for key in self.keys.values():
            key.setEnabled(not locked)
        self.ok_button.setEnabled(not locked and bool(self._hash))
        if not locked:
            self.message.setText(self.tr("Có thể nhập lại mã PIN."))

    def check(self) -> None:
        now = time.monotonic()
        if now < self._locked_until:
            seconds = int(self._locked_until - now) + 1
            self.message.setText(self.tr("Sai mã PIN quá nhiều lần. Thử lại sau {s} giây.").format(s=seconds))
            return
        pin = self.field.text()
        try:
            ok = verify_pin(pin, self._hash)
        except PinFormatError:
            self.message.setText(self.tr("Mã PIN đã lưu bị hỏng. Hãy đặt lại mã PIN trong tệp cấu hình."))
            return
        self.field.clear()
        if ok:
            self.accept()
            return
        self.failures += 1
        if self.failures % MAX_FAILURES == 0:
            self._locked_until = now + LOCKOUT_S
            self._set_locked(True)
            QTimer.singleShot(int(LOCKOUT_S * 1000) + 50, self, lambda: self._set_locked(False))
            self.message.setText(self.tr("Sai mã PIN quá nhiều lần. Thử lại sau {s} giây.").format(s=int(LOCKOUT_S)))
        else:
            self.message.setText(self.tr("Sai mã PIN. Vui lòng thử lại."))
