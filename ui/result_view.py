"""The result screen: a coloured banner, the reason and next step, and the card details.

:meth:`ResultView.clear` empties every label (not just hides them): after the timeout no personal data
is left in the widget tree.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from kiosk.outcomes import Outcome
from scanner.dates import PartialDate
from scanner.masking import BULLET, mask_id
from ui.outcome_texts import CONTEXT, VOID_CARD_CODES, Banner, outcome_text
from ui.theme import centred_label

if TYPE_CHECKING:
    from kiosk.eligibility import EligibilityResult
    from scanner.cccd import CitizenCard


@dataclass(frozen=True)
class ShownResult:
    """What is on the result screen (kept only while it is shown)."""

    outcome: Outcome
    result: EligibilityResult | None
    card: CitizenCard | None
    facility_code: str
    view: ResultWording = field(default_factory=lambda: ResultWording())


@dataclass(frozen=True)
class ResultWording:
    """How the result is told: to staff or to the patient, for a typed entry, masked for a public screen."""

    staff: bool = False
    manual: bool = False
    problem: str | None = None  # ui.outcome_texts.LETTERS_LOST
    masked: bool = False  # kiosk: BHYT number and date of birth shown in part


def mask_card_number(number: str) -> str:
    """A BHYT number with its middle hidden: 'DN4012712345678' -> 'DN401•••••••678' (group, level and province
    stay: the patient recognises their card; the social-insurance number does not show)."""
    number = number.strip()
    if len(number) <= 6:
        return BULLET * len(number)
    keep_head = 5 if len(number) == 15 else 0
    return number[:keep_head] + mask_id(number[keep_head:], 3)


def mask_birth_date(text: str) -> str:
    """The year only: '15/08/1998' -> '••/••/1998'."""
    if len(text) == 10 and text[2] == text[5] == "/":
        return f"{BULLET * 2}/{BULLET * 2}/{text[6:]}"
    return text


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def format_date(value: date | str | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    try:
        return PartialDate.parse_any(value).display()
    except (ValueError, TypeError):
        return str(value)


FIELDS = (
    "name", "id", "dob", "card", "benefit", "validity", "facility", "five_years", "area",
)


class ResultView(QWidget):
    def __init__(self, parent: QWidget | None = None, *, dense: bool = False) -> None:
        """``dense``: reception (everything on one screen next to the form); else the kiosk's spread layout."""
        super().__init__(parent)
        self.shown: ShownResult | None = None
        layout = QVBoxLayout(self)
        self.banner = QFrame(objectName="banner")
        banner_layout = QVBoxLayout(self.banner)
        self.title = centred_label("bannerTitle")
        banner_layout.addWidget(self.title)
        layout.addWidget(self.banner)
        self.reason = QLabel(objectName="reason")
        self.reason.setWordWrap(True)
        self.next_step = QLabel(objectName="nextStep")
        self.next_step.setWordWrap(True)
        layout.addWidget(self.reason)
        layout.addWidget(self.next_step)
        if not dense:
            layout.addStretch(3)  # kiosk: the details sit lower, the whole screen is used, not its top third
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(0 if dense else 10)
        self.names: dict[str, QLabel] = {}
        self.values: dict[str, QLabel] = {}
        for row, key in enumerate(FIELDS):
            name = QLabel(objectName="fieldName")
            value = QLabel(objectName="fieldValue")
            value.setWordWrap(True)  # not selectable: a selectable label cuts the upper of two stacked marks
            name.setBuddy(value)
            grid.addWidget(name, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, row, 1)
            self.names[key] = name
            self.values[key] = value
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        layout.addStretch(1)  # reception: everything at the top, next to the form
        self.retranslate()
        self.clear()

    def retranslate(self) -> None:
        labels = {
            "name": self.tr("Họ và tên"),
            "id": self.tr("Số CCCD"),
            "dob": self.tr("Ngày sinh"),
            "card": self.tr("Mã thẻ BHYT"),
            "benefit": self.tr("Mức hưởng"),
            "validity": self.tr("Giá trị sử dụng"),
            "facility": self.tr("Nơi đăng ký KCB ban đầu"),
            "five_years": self.tr("Đủ 5 năm liên tục từ"),
            "area": self.tr("Mã khu vực"),
        }
        for key, text in labels.items():
            self.names[key].setText(text)
            self.values[key].setAccessibleName(text)
        self.banner.setAccessibleName(self.tr("Kết quả tra cứu"))
        if self.shown is not None:
            self._fill(self.shown)

    # ------------------------------------------------------------------ content

    def show_result(
        self, outcome: Outcome, result: EligibilityResult | None, card: CitizenCard | None, facility_code: str,
        view: ResultWording | None = None,
    ) -> None:
        self.shown = ShownResult(outcome, result, card, facility_code, view or ResultWording())
        self._fill(self.shown)

    def clear(self) -> None:
        """Remove every piece of personal data from the widgets."""
        self.shown = None
        self.title.setText("")
        self.reason.setText("")
        self.next_step.setText("")
        for key in FIELDS:
            self.values[key].setText("")
            self.values[key].setVisible(False)
            self.names[key].setVisible(False)
        self._set_banner(Banner.GREY)

    def _set_banner(self, banner: Banner) -> None:
        self.banner.setProperty("banner", banner.value)
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)
        for label in self.banner.findChildren(QLabel):
            label.style().unpolish(label)
            label.style().polish(label)

    def banner_colour(self) -> str:
        return str(self.banner.property("banner"))

    def field_texts(self) -> dict[str, str]:
        return {key: self.values[key].text() for key in FIELDS if self.values[key].text()}

    def _fill(self, shown: ShownResult) -> None:
        result = shown.result
        view = shown.view
        texts = outcome_text(shown.outcome, result.result_code if result else None, staff=view.staff,
                             manual=view.manual, problem=view.problem)
        self._set_banner(texts.banner)
        self.title.setText(_tr(texts.title))
        self.reason.setText(_tr(texts.reason))
        self.next_step.setText(_tr(texts.next_step))
        for key, value in self._field_values(shown).items():
            self.values[key].setText(value)
            self.values[key].setVisible(bool(value))
            self.names[key].setVisible(bool(value))
        self.setAccessibleDescription(f"{self.title.text()}. {self.reason.text()} {self.next_step.text()}")

    def _field_values(self, shown: ShownResult) -> dict[str, str]:
        values = dict.fromkeys(FIELDS, "")
        card, result = shown.card, shown.result
        person = result.person if result else None
        values["name"] = person.full_name if person else (card.full_name if card else "")
        values["id"] = mask_id(card.id_number) if card else ""
        if person and person.date_of_birth:
            values["dob"] = format_date(person.date_of_birth)
        elif card:
            values["dob"] = card.date_of_birth.display()
        insurance = result.insurance if result else None
        void = bool(result and result.result_code in VOID_CARD_CODES)
        if insurance is not None:
            values["card"] = insurance.card_number
            values["benefit"] = self.tr("Mức {level} — {percent}%").format(
                level=insurance.benefit_level, percent=insurance.coverage_percent
            )
            values["validity"] = self.tr("từ {start} đến {end}").format(
                start=format_date(insurance.valid_from), end=format_date(insurance.valid_to)
            )
            here = insurance.primary_facility.code == shown.facility_code
            where = self.tr("đúng cơ sở này") if here else self.tr("cơ sở khác")
            values["facility"] = (
                f"{insurance.primary_facility.code} — {insurance.primary_facility.name} ({where})"
            )
            values["five_years"] = format_date(insurance.five_years_continuous_from)
            values["area"] = insurance.area_code or ""
            if void:  # a revoked or reduced card: its dates and benefits no longer hold
                values["validity"] = self.tr("không còn giá trị")
                for key in ("benefit", "facility", "five_years", "area"):
                    values[key] = ""
        if shown.view.masked:
            values["dob"] = mask_birth_date(values["dob"])
            values["card"] = mask_card_number(values["card"]) if values["card"] else ""
            values["five_years"] = ""
        return values

    # ------------------------------------------------------------------ copying (reception)

    def as_text(self) -> str:
        if self.shown is None:
            return ""
        lines = [self.title.text(), self.reason.text(), self.next_step.text()]
        for key in FIELDS:
            if self.values[key].text():
                lines.append(f"{self.names[key].text()}: {self.values[key].text()}")
        return "\n".join(lines)

    def as_json(self) -> str:
        if self.shown is None:
            return ""
        data: dict[str, Any] = {"outcome": self.shown.outcome.value}
        if self.shown.result is not None:
            data.update(self.shown.result.to_json())
        if self.shown.card is not None:
            data["id_number_masked"] = mask_id(self.shown.card.id_number)
        data["primary_facility_is_this_facility"] = bool(
            self.shown.result
            and self.shown.result.insurance
            and self.shown.result.insurance.primary_facility.code == self.shown.facility_code
        )
        return json.dumps(data, ensure_ascii=False, indent=2)
