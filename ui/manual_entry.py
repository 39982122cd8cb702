"""Manual entry (reception): 12-digit CCCD number, full name and date of birth, validated as typed."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit, QPushButton, QWidget

from scanner.cccd import CardPayloadError, InvalidReason, validate_id_number
from scanner.dates import PartialDate


class ManualEntryForm(QGroupBox):
    submitted = Signal(str, str, str)  # id number, full name, date of birth (ISO, possibly partial)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        self.id_field = QLineEdit()
        self.id_field.setMaxLength(12)
        self.id_field.setValidator(QRegularExpressionValidator(r"[0-9]{0,12}", self.id_field))
        self.id_field.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.name_field = QLineEdit()
        self.name_field.setMaxLength(100)
        self.dob_field = QLineEdit()
        self.dob_field.setMaxLength(10)
        self.id_label = QLabel()
        self.name_label = QLabel()
        self.dob_label = QLabel()
        self.id_label.setBuddy(self.id_field)
        self.name_label.setBuddy(self.name_field)
        self.dob_label.setBuddy(self.dob_field)
        form.addRow(self.id_label, self.id_field)
        form.addRow(self.name_label, self.name_field)
        form.addRow(self.dob_label, self.dob_field)
        self.error = QLabel(objectName="error")
        self.error.setWordWrap(True)
        form.addRow(self.error)
        self.submit_button = QPushButton(objectName="primary")
        self.submit_button.setEnabled(False)
        self.submit_button.clicked.connect(self.submit)
        form.addRow(self.submit_button)
        for field in (self.id_field, self.name_field, self.dob_field):
            field.textChanged.connect(self.revalidate)
            field.returnPressed.connect(self.submit)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Nhập tay"))
        self.id_label.setText(self.tr("Số &CCCD (12 số)"))
        self.name_label.setText(self.tr("&Họ và tên"))
        self.dob_label.setText(self.tr("&Ngày sinh"))
        self.dob_field.setPlaceholderText(self.tr("dd/mm/yyyy hoặc yyyy"))
        self.submit_button.setText(self.tr("&Tra cứu"))
        self.id_field.setAccessibleName(self.tr("Số CCCD"))
        self.name_field.setAccessibleName(self.tr("Họ và tên"))
        self.dob_field.setAccessibleName(self.tr("Ngày sinh"))
        self.submit_button.setAccessibleName(self.tr("Tra cứu thẻ BHYT"))
        self.revalidate()

    # ------------------------------------------------------------------ validation

    def problem(self) -> str | None:
        """The first problem with what is typed (translated text), or None when it can be submitted."""
        id_number = self.id_field.text().strip()
        name = " ".join(self.name_field.text().split())
        dob_text = self.dob_field.text().strip()
        dob: PartialDate | None = None
        if dob_text:
            try:
                dob = PartialDate.parse_any(dob_text)
            except ValueError:
                return self.tr("Ngày sinh không hợp lệ (ví dụ 15/08/1998, 08/1998 hoặc 1998).")
            if dob.earliest() > date.today():
                return self.tr("Ngày sinh ở tương lai: kiểm tra lại năm sinh.")
        if id_number:
            try:
                validate_id_number(id_number, dob)
            except CardPayloadError as exc:
                return self._id_problem(exc.reason, len(id_number))
        if not id_number:
            return self.tr("Nhập số CCCD 12 chữ số.")
        if len(name) < 2:
            return self.tr("Nhập họ và tên như trên thẻ CCCD.")
        if any(ch.isdigit() for ch in name):
            return self.tr("Họ và tên không được chứa chữ số.")
        if dob is None:
            return self.tr("Nhập ngày sinh.")
        return None

    def _id_problem(self, reason: InvalidReason, length: int) -> str:
        if reason is InvalidReason.ID_LENGTH:
            return self.tr("Số CCCD có 12 chữ số (đã nhập {n}).").format(n=length)
        if reason is InvalidReason.UNKNOWN_PROVINCE:
            return self.tr("Ba số đầu của số CCCD không phải mã tỉnh.")
        if reason in (InvalidReason.CENTURY_SEX_DIGIT, InvalidReason.BIRTH_YEAR_MISMATCH):
            return self.tr("Số CCCD không khớp với năm sinh.")
        if reason is InvalidReason.ID_NOT_DIGITS:
            return self.tr("Số CCCD chỉ gồm chữ số.")
        return self.tr("Số CCCD không hợp lệ.")

    def revalidate(self) -> None:
        problem = self.problem()
        anything = any(f.text() for f in (self.id_field, self.name_field, self.dob_field))
        self.error.setText(problem if (problem and anything) else "")
        self.submit_button.setEnabled(problem is None)

    def submit(self) -> None:
        if self.problem() is not None:
            self.revalidate()
            return
        dob = PartialDate.parse_any(self.dob_field.text().strip()).iso()
        # the form keeps its contents until the answer says it is done (MainWindow clears it)
        self.submitted.emit(self.id_field.text().strip(), " ".join(self.name_field.text().split()), dob)

    def clear(self) -> None:
        for field in (self.id_field, self.name_field, self.dob_field):
            field.clear()
        self.error.setText("")
