"""The kiosk's staff menu (behind the PIN): big buttons whose Vietnamese labels fit, "Close" as the default.

It also shows what staff need to fix a kiosk that is out of service: the exact problem and where it was read
from (a broken kiosk.toml, a camera that cannot be opened), which patients never see.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout, QWidget


class StaffChoice(StrEnum):
    SETTINGS = "settings"
    LOG = "log"
    LANGUAGE = "language"
    EXIT = "exit"
    CLOSE = "close"


class StaffMenu(QDialog):
    def __init__(self, problem: str | None = None, parent: QWidget | None = None, *, info: str | None = None) -> None:
        """``problem``: what keeps the kiosk out of service; ``info``: a line of status (the log's backlog)."""
        super().__init__(parent)
        self.setModal(True)
        self.setObjectName("staffMenu")
        self.choice = StaffChoice.CLOSE
        layout = QVBoxLayout(self)
        self.heading = QLabel(objectName="instruction")
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.problem = QLabel(problem or "", objectName="error")
        self.problem.setWordWrap(True)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem.setVisible(bool(problem))
        layout.addWidget(self.problem)
        self.info = QLabel(info or "")
        self.info.setWordWrap(True)
        self.info.setVisible(bool(info))
        layout.addWidget(self.info)
        self.buttons: dict[StaffChoice, QPushButton] = {}
        for choice in StaffChoice:
            button = QPushButton(objectName="primary" if choice is StaffChoice.CLOSE else "")
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, c=choice: self._choose(c))
            layout.addWidget(button)
            self.buttons[choice] = button
        close = self.buttons[StaffChoice.CLOSE]
        close.setDefault(True)  # Enter (or a stray tap on the default) never quits the kiosk
        close.setFocus()
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Menu nhân viên"))
        self.heading.setText(self.tr("Chọn việc cần làm:"))
        texts = {
            StaffChoice.SETTINGS: self.tr("Cài đặt"),
            StaffChoice.LOG: self.tr("Nhật ký tra cứu"),
            StaffChoice.LANGUAGE: self.tr("Đổi ngôn ngữ (English / Tiếng Việt)"),
            StaffChoice.EXIT: self.tr("Thoát ứng dụng"),
            StaffChoice.CLOSE: self.tr("Đóng"),
        }
        for choice, text in texts.items():
            self.buttons[choice].setText(text)
            self.buttons[choice].setAccessibleName(text)

    def _choose(self, choice: StaffChoice) -> None:
        self.choice = choice
        if choice is StaffChoice.CLOSE:
            self.reject()
        else:
            self.accept()
