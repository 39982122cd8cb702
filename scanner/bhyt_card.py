"""The paper health-insurance (BHYT) card and the QR code printed on it (domain.md section 3).

Card number (15 characters): ``XX N PP BBBBBBBBBB`` — beneficiary group, benefit level 1-5, province,
10-character BHXH number. Newer cards print only the 10-digit BHXH number.

QR text: ``card | name(hex UTF-8) | DOB dd/MM/yyyy | sex 1/2 | address(hex) | facility 'PP - NNN' |
valid from | valid to | issue date | BHXH management code | guardian | area code | 5-year date | checksum | $``.
The checksum algorithm is not public: it is kept, not verified.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from scanner.cccd import CardPayloadError, InvalidReason, Sex, check_text
from scanner.dates import PartialDate
from scanner.masking import mask_id
from scanner.vntext import REPLACEMENT_CHARACTER, first_control_character, normalise_field

TERMINATOR = "$"
FIELD_SEPARATOR = "|"
MIN_DATA_FIELDS = 10  # card number .. management code; guardian, area, 5-year date and checksum may be missing
EMPTY_MARKERS = frozenset({"", "-"})


def _codes(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Benefit level -> beneficiary groups (Decree 146/2018 Art. 14 as summarised in domain.md): level 4 (80%)
# holds every group not named for levels 1, 2, 3 and 5.
BENEFIT_LEVEL_GROUPS: Mapping[int, frozenset[str]] = MappingProxyType(
    {
        1: frozenset(_codes("CC TE")),
        2: frozenset(_codes("CK CB KC HN DT DK XD BT TS")),
        3: frozenset(_codes("HT TC CN")),
        4: frozenset(_codes("DN HX CH NN TK HC XK TB NO CT XB TN CS XN MS HD TQ TA TY HG LS HS SV GB GD PV XV YE TV")),
        5: frozenset(_codes("QN CA CY")),
    }
)
# All 46 group codes, in the order domain.md lists them.
GROUP_CODES: tuple[str, ...] = _codes(
    "CC TE CK CB KC HN DT DK XD BT TS HT TC CN DN HX CH NN TK HC XK TB NO CT XB TN CS XN MS HD TQ TA TY HG LS "
    "HS SV GB GD QN CA CY PV XV YE TV"
)
GROUP_BENEFIT_LEVEL: Mapping[str, int] = MappingProxyType(
    {group: level for level, groups in BENEFIT_LEVEL_GROUPS.items() for group in groups}
)
# In-route coverage by benefit level (level 2 is 100% with caps on some items).
COVERAGE_PERCENT: Mapping[int, int] = MappingProxyType({1: 100, 2: 100, 3: 95, 4: 80, 5: 100})
AREA_CODES = frozenset({"K1", "K2", "K3"})

_CARD_15 = re.compile(r"(?P<group>[A-Z]{2})(?P<level>[0-9])(?P<province>[0-9]{2})(?P<bhxh>[0-9A-Z]{10})")
_CARD_10 = re.compile(r"[0-9]{10}")
_LOOSE_CARD = re.compile(r"[A-Za-z]{2}[0-9]{3}[0-9A-Za-z]{10}|[0-9]{10}")
_HEX = re.compile(r"(?:[0-9A-Fa-f]{2})*")
_FACILITY = re.compile(r"(?P<province>[0-9]{2})\s*-?\s*(?P<number>[0-9A-Za-z]{3})")
_MANAGEMENT = re.compile(r"[0-9A-Za-z]{1,30}")
_RAW_AREA = re.compile(r"[0-9A-Za-z]{1,4}")


def coverage_percent(benefit_level: int) -> int:
    """In-route coverage for a benefit level 1-5 (100, 100, 95, 80, 100); ValueError otherwise."""
    try:
        return COVERAGE_PERCENT[benefit_level]
    except (KeyError, TypeError):
        raise ValueError(f"benefit level must be 1-5, got {benefit_level!r}") from None


def default_benefit_level(group: str) -> int | None:
    """The benefit level a beneficiary group usually has (the card's own digit is authoritative)."""
    return GROUP_BENEFIT_LEVEL.get(group)


@dataclass(frozen=True)
class HealthInsuranceCard:
    card_number: str
    full_name: str
    date_of_birth: PartialDate
    sex: Sex
    address: str
    facility_code: str  # 5 characters, e.g. '01043' (printed '01 - 043')
    valid_from: datetime.date
    valid_to: datetime.date
    issue_date: datetime.date | None
    management_code: str
    area_code: str | None  # K1 / K2 / K3, or None
    five_years_from: datetime.date | None
    guardian: str | None = None
    area_field: str = ""  # the raw area field when it is not a K-code (e.g. '4'); kept for to_payload
    checksum: str = ""
    extras: tuple[str, ...] = ()

    @property
    def object_group(self) -> str | None:
        return self.card_number[:2] if len(self.card_number) == 15 else None

    @property
    def benefit_level(self) -> int | None:
        return int(self.card_number[2]) if len(self.card_number) == 15 else None

    @property
    def province_code(self) -> str | None:
        return self.card_number[3:5] if len(self.card_number) == 15 else None

    @property
    def bhxh_number(self) -> str:
        return self.card_number[-10:]

    @property
    def masked_card_number(self) -> str:
        return mask_id(self.card_number)

    @property
    def coverage_percent(self) -> int | None:
        level = self.benefit_level
        return coverage_percent(level) if level is not None else None

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day <= self.valid_to

    def to_json(self) -> dict[str, object]:
        return {
            "card_number": self.card_number,
            "full_name": self.full_name,
            "date_of_birth": self.date_of_birth.iso(),
            "sex": self.sex.value,
            "address": self.address,
            "facility_code": self.facility_code,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat(),
            "issue_date": self.issue_date.isoformat() if self.issue_date else None,
            "management_code": self.management_code,
            "area_code": self.area_code,
            "five_years_from": self.five_years_from.isoformat() if self.five_years_from else None,
            "guardian": self.guardian,
            "object_group": self.object_group,
            "benefit_level": self.benefit_level,
            "coverage_percent": self.coverage_percent,
            "bhxh_number": self.bhxh_number,
        }

    def to_payload(self) -> str:
        """The card's QR text; ``parse_bhyt_qr(card.to_payload()) == card``."""
        fields = [
            self.card_number,
            self.full_name.encode("utf-8").hex(),
            self.date_of_birth.display(),
            "1" if self.sex is Sex.MALE else "2",
            self.address.encode("utf-8").hex(),
            f"{self.facility_code[:2]} - {self.facility_code[2:]}",
            _display(self.valid_from),
            _display(self.valid_to),
            _display(self.issue_date) if self.issue_date else "",
            self.management_code,
            self.guardian.encode("utf-8").hex() if self.guardian else "-",
            self.area_code or self.area_field,
            _display(self.five_years_from) if self.five_years_from else "",
            self.checksum,
            *self.extras,
            TERMINATOR,
        ]
        return FIELD_SEPARATOR.join(fields)


def _display(value: datetime.date) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def _error(reason: InvalidReason, detail: str, field: str) -> CardPayloadError:
    return CardPayloadError(reason, detail, field=field)


def _hex_text(value: str, label: str, field: str) -> str:
    if not _HEX.fullmatch(value):
        raise _error(InvalidReason.BAD_HEX_TEXT, f"The {label} field is not hex-encoded text.", field)
    try:
        text = bytes.fromhex(value).decode("utf-8")
    except UnicodeDecodeError:
        raise _error(InvalidReason.BAD_HEX_TEXT, f"The {label} field is not hex-encoded UTF-8.", field) from None
    if REPLACEMENT_CHARACTER in text:
        raise _error(InvalidReason.REPLACEMENT_CHARACTER, f"The {label} contains U+FFFD.", field)
    if first_control_character(text) is not None:
        raise _error(InvalidReason.CONTROL_CHARACTER, f"The {label} contains a control character.", field)
    return normalise_field(text)


def _full_date(value: str, reason: InvalidReason, label: str, field: str) -> datetime.date:
    try:
        parsed = PartialDate.parse_any(value) if "/" in value else None
        if parsed is None or not parsed.complete:
            raise ValueError(value)
        return parsed.earliest()
    except ValueError:
        shown = value if len(value) <= 12 and value.isascii() and value.isprintable() else f"({len(value)} chars)"
        raise _error(reason, f"The {label} {shown} is not a dd/MM/yyyy date.", field) from None


def _optional_date(value: str, reason: InvalidReason, label: str, field: str) -> datetime.date | None:
    return None if value in EMPTY_MARKERS else _full_date(value, reason, label, field)


def _card_number(value: str) -> str:
    number = value.upper()
    if _CARD_10.fullmatch(number):
        return number
    match = _CARD_15.fullmatch(number)
    if match is None:
        raise _error(
            InvalidReason.BAD_CARD_NUMBER,
            f"The BHYT card number {mask_id(number)} is not 15 characters (XX N PP + 10) or 10 digits.",
            "card_number",
        )
    if match["group"] not in GROUP_BENEFIT_LEVEL:
        raise _error(
            InvalidReason.UNKNOWN_GROUP,
            f"The BHYT card number starts with {match['group']}, which is not a beneficiary group code.",
            "card_number",
        )
    if not 1 <= int(match["level"]) <= 5:
        raise _error(
            InvalidReason.BAD_BENEFIT_LEVEL,
            f"The BHYT card number has benefit level {match['level']}; levels are 1 to 5.",
            "card_number",
        )
    return number


def parse_bhyt_qr(text: str | bytes) -> HealthInsuranceCard:
    """Parse and validate the QR text of a paper BHYT card. Raises :class:`CardPayloadError` only."""
    text = check_text(text)
    fields = [f.strip() for f in text.split(FIELD_SEPARATOR)]
    if fields[-1] != TERMINATOR:
        raise CardPayloadError(
            InvalidReason.MISSING_TERMINATOR, "The BHYT payload does not end with the '$' field (truncated read?)."
        )
    data = fields[:-1]
    if len(data) < MIN_DATA_FIELDS:
        raise CardPayloadError(
            InvalidReason.FIELD_COUNT,
            f"The BHYT payload has {len(data)} data fields; at least {MIN_DATA_FIELDS} are required.",
        )
    data += [""] * (14 - len(data))
    raw_card, raw_name, raw_dob, raw_sex, raw_address, raw_facility = data[:6]
    raw_from, raw_to, raw_issue, raw_management, raw_guardian, raw_area, raw_five, checksum = data[6:14]
    extras = tuple(data[14:])

    card_number = _card_number(raw_card)
    name = _hex_text(raw_name, "name", "full_name")
    if not name:
        raise _error(InvalidReason.EMPTY_NAME, "The name field is empty.", "full_name")
    try:
        dob = PartialDate.parse_any(raw_dob)
    except ValueError:
        raise _error(InvalidReason.BAD_BIRTH_DATE, "The date of birth is not a valid date.", "date_of_birth") from None
    if raw_sex == "1":
        sex = Sex.MALE
    elif raw_sex == "2":
        sex = Sex.FEMALE
    else:
        try:
            sex = Sex.parse(raw_sex)
        except ValueError:
            raise _error(InvalidReason.BAD_SEX, "The sex field is neither 1 (male) nor 2 (female).", "sex") from None
    address = _hex_text(raw_address, "address", "address")

    facility = _FACILITY.fullmatch(raw_facility)
    if facility is None:
        raise _error(
            InvalidReason.BAD_FACILITY_CODE,
            "The primary-care facility is not a 'PP - NNN' code.",
            "facility_code",
        )
    facility_code = (facility["province"] + facility["number"]).upper()

    valid_from = _full_date(raw_from, InvalidReason.BAD_VALIDITY_DATE, "valid-from date", "valid_from")
    valid_to = _full_date(raw_to, InvalidReason.BAD_VALIDITY_DATE, "valid-to date", "valid_to")
    if valid_to < valid_from:
        raise _error(InvalidReason.VALIDITY_REVERSED, "The card's validity ends before it starts.", "valid_to")
    issue_date = _optional_date(raw_issue, InvalidReason.BAD_ISSUE_DATE, "issue date", "issue_date")
    if not _MANAGEMENT.fullmatch(raw_management):
        raise _error(
            InvalidReason.BAD_MANAGEMENT_CODE,
            "The BHXH management code is empty or not alphanumeric.",
            "management_code",
        )
    guardian: str | None = None
    if raw_guardian not in EMPTY_MARKERS:
        guardian = _hex_text(raw_guardian, "guardian", "guardian") if _HEX.fullmatch(raw_guardian) else None
        if guardian is None:
            guardian = normalise_field(raw_guardian)
        guardian = guardian or None

    area_code: str | None = None
    area_field = ""
    if raw_area not in EMPTY_MARKERS:
        if raw_area.upper() in AREA_CODES:
            area_code = raw_area.upper()
        elif _RAW_AREA.fullmatch(raw_area):
            area_field = raw_area
        else:
            raise _error(InvalidReason.BAD_AREA_CODE, "The area code is not K1, K2 or K3.", "area_code")
    elif raw_area == "-":
        area_field = "-"
    five_years_from = _optional_date(raw_five, InvalidReason.BAD_FIVE_YEAR_DATE, "5-year date", "five_years_from")

    return HealthInsuranceCard(
        card_number=card_number,
        full_name=name,
        date_of_birth=dob,
        sex=sex,
        address=address,
        facility_code=facility_code,
        valid_from=valid_from,
        valid_to=valid_to,
        issue_date=issue_date,
        management_code=raw_management,
        area_code=area_code,
        five_years_from=five_years_from,
        guardian=guardian,
        area_field=area_field,
        checksum=checksum,
        extras=extras,
    )


def looks_like_bhyt(text: str) -> bool:
    """Shape check only: '|'-separated, first field card-number-like, and either the closing '$' field or a
    hex-encoded name in the second field (a truncated read still counts as a BHYT card's QR)."""
    if not isinstance(text, str):
        return False
    fields = [f.strip() for f in text.strip().split(FIELD_SEPARATOR)]
    if len(fields) < 3:
        return False
    first = fields[0]
    if not (8 <= len(first) <= 17 and first.isascii() and first.isalnum()):
        return False
    if fields[-1] == TERMINATOR:
        return True
    name = fields[1]
    # a hex name that is all digits is vanishingly rare; a 12-digit old CMND number in a CCCD payload is not
    return bool(_LOOSE_CARD.fullmatch(first)) and bool(name) and not name.isdigit() and bool(_HEX.fullmatch(name))
