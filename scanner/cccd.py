"""The QR payload of the chip citizen ID card (CCCD, 2021) and the thẻ căn cước (2024): domain.md 1-2.

Payload: ``id|old CMND|full name|ddMMyyyy|Nam/Nữ|address|ddMMyyyy issue date[|extras...]``.
The 12-digit number is ``PPP G YY NNNNNN``: birth-registration province, century/sex digit, last two
digits of the birth year, serial; it has no check digit, so it is checked against the payload's date
of birth and sex instead.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from scanner.dates import PartialDate
from scanner.masking import mask_id, redact_numbers
from scanner.provinces import PROVINCES
from scanner.vntext import (
    BOM,
    REPLACEMENT_CHARACTER,
    first_control_character,
    is_mojibake,
    normalise_field,
)

FIELD_SEPARATOR = "|"
MIN_FIELDS = 7
ID_LENGTH = 12
_ASCII_DIGITS = re.compile(r"[0-9]*")
_NAME_PUNCTUATION = frozenset(" '’‘-.")


class Sex(StrEnum):
    MALE = "Nam"
    FEMALE = "Nữ"

    @classmethod
    def parse(cls, text: str) -> Sex:
        """Lenient: 'Nam', 'NAM', 'nam', 'Nữ', 'NỮ', 'nữ', 'Nu', 'NU' (NFC or NFD); ValueError otherwise."""
        folded = unicodedata.normalize("NFC", text).strip().casefold()
        if folded == "nam":
            return cls.MALE
        if folded in ("nữ", "nu"):
            return cls.FEMALE
        raise ValueError(f"not a sex value (Nam/Nữ): {redact_numbers(repr(text))}")

    @property
    def digit(self) -> int:
        """The parity of the CCCD century/sex digit: 0 male, 1 female."""
        return 0 if self is Sex.MALE else 1


class InvalidReason(StrEnum):
    """Machine-readable reasons a card payload was rejected (values go to logs and JSON)."""

    # text as a whole
    NOT_UTF8 = "not-utf8"
    REPLACEMENT_CHARACTER = "replacement-character"
    MOJIBAKE = "mojibake"
    CONTROL_CHARACTER = "control-character"
    LETTERS_LOST = "letters-lost"  # typed by a keyboard-wedge scanner that cannot type Vietnamese letters
    FIELD_COUNT = "field-count"
    # CCCD number
    ID_NOT_DIGITS = "id-not-digits"
    ID_LENGTH = "id-length"
    UNKNOWN_PROVINCE = "unknown-province"
    CENTURY_SEX_DIGIT = "century-sex-digit"
    BIRTH_YEAR_MISMATCH = "birth-year-mismatch"
    SEX_MISMATCH = "sex-mismatch"
    OLD_ID_INVALID = "old-id-invalid"
    # other CCCD fields
    EMPTY_NAME = "empty-name"
    BAD_NAME = "bad-name"
    BAD_SEX = "bad-sex"
    BAD_BIRTH_DATE = "bad-birth-date"
    FUTURE_BIRTH_DATE = "future-birth-date"
    BAD_ISSUE_DATE = "bad-issue-date"
    FUTURE_ISSUE_DATE = "future-issue-date"
    ISSUE_BEFORE_BIRTH = "issue-before-birth"
    # BHYT card QR (domain.md section 3)
    MISSING_TERMINATOR = "missing-terminator"
    BAD_CARD_NUMBER = "bad-card-number"
    UNKNOWN_GROUP = "unknown-group"
    BAD_BENEFIT_LEVEL = "bad-benefit-level"
    BAD_HEX_TEXT = "bad-hex-text"
    BAD_FACILITY_CODE = "bad-facility-code"
    BAD_VALIDITY_DATE = "bad-validity-date"
    VALIDITY_REVERSED = "validity-reversed"
    BAD_MANAGEMENT_CODE = "bad-management-code"
    BAD_AREA_CODE = "bad-area-code"
    BAD_FIVE_YEAR_DATE = "bad-five-year-date"


class CardPayloadError(ValueError):
    """A card payload that is damaged or invalid. ``str(exc)`` is an English sentence naming the problem;
    it never contains a full ID number or a name (numbers are masked)."""

    def __init__(self, reason: InvalidReason, detail: str, *, field: str | None = None) -> None:
        detail = redact_numbers(detail)  # a field may hold an ID number by mistake: never more than 4 digits
        super().__init__(detail)
        self.reason = reason
        self.detail = detail
        self.field = field

    def __str__(self) -> str:
        return self.detail

    def __repr__(self) -> str:
        return f"CardPayloadError({self.reason.value!r}, {self.detail!r})"

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_error, (self.reason, self.detail, self.field))


def _rebuild_error(reason: InvalidReason, detail: str, field: str | None) -> CardPayloadError:
    return CardPayloadError(reason, detail, field=field)


@dataclass(frozen=True)
class CitizenCard:
    id_number: str
    old_id_number: str | None
    full_name: str
    date_of_birth: PartialDate
    sex: Sex
    address: str
    issue_date: PartialDate | None
    extras: tuple[str, ...] = ()

    @property
    def province_code(self) -> str:
        return self.id_number[:3]

    @property
    def province_name(self) -> str | None:
        return PROVINCES.get(self.province_code)

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number)

    def to_json(self) -> dict[str, object]:
        return {
            "id_number": self.id_number,
            "old_id_number": self.old_id_number,
            "full_name": self.full_name,
            "date_of_birth": self.date_of_birth.iso(),
            "sex": self.sex.value,
            "address": self.address,
            "issue_date": self.issue_date.iso() if self.issue_date is not None else None,
            "extras": list(self.extras),
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> CitizenCard:
        """Inverse of :meth:`to_json` (no validation beyond types; use validate_id_number if needed)."""
        issue = data.get("issue_date")
        old = data.get("old_id_number")
        extras = data.get("extras") or ()
        if not isinstance(extras, list | tuple):
            raise ValueError("extras must be a list")
        return cls(
            id_number=str(data["id_number"]),
            old_id_number=str(old) if old else None,
            full_name=str(data["full_name"]),
            date_of_birth=PartialDate.parse_iso(str(data["date_of_birth"])),
            sex=Sex.parse(str(data["sex"])),
            address=str(data.get("address") or ""),
            issue_date=PartialDate.parse_iso(str(issue)) if issue else None,
            extras=tuple(str(x) for x in extras),
        )

    def to_payload(self) -> str:
        """The QR text for this card (dates as ddMMyyyy); ``parse_cccd(card.to_payload()) == card``."""
        fields = [
            self.id_number,
            self.old_id_number or "",
            self.full_name,
            self.date_of_birth.card(),
            self.sex.value,
            self.address,
            self.issue_date.card() if self.issue_date is not None else "",
            *self.extras,
        ]
        for value in fields:
            if FIELD_SEPARATOR in value or "\n" in value:
                raise ValueError("a card field contains the field separator '|' or a newline")
        return FIELD_SEPARATOR.join(fields)


# -- the 12-digit number -------------------------------------------------------------------------------


def id_birth_year(id_number: str) -> int:
    """Birth year encoded in a 12-digit number: 1900 + 100·⌊G/2⌋ + YY."""
    century_digit = int(id_number[3])
    return 1900 + 100 * (century_digit // 2) + int(id_number[4:6])


def id_sex(id_number: str) -> Sex:
    """Sex encoded in a 12-digit number: G mod 2 (0 male, 1 female)."""
    return Sex.MALE if int(id_number[3]) % 2 == 0 else Sex.FEMALE


def validate_id_number(id_number: str, date_of_birth: PartialDate | None = None, sex: Sex | None = None) -> None:
    """Check a 12-digit CCCD number, and that it agrees with a (possibly partial) birth date and a sex.

    Raises :class:`CardPayloadError` with reason ID_NOT_DIGITS, ID_LENGTH, UNKNOWN_PROVINCE,
    CENTURY_SEX_DIGIT, BIRTH_YEAR_MISMATCH or SEX_MISMATCH.
    """
    if not isinstance(id_number, str) or not _ASCII_DIGITS.fullmatch(id_number):
        raise CardPayloadError(
            InvalidReason.ID_NOT_DIGITS,
            f"The ID number {mask_id(str(id_number))} contains characters other than the digits 0-9.",
            field="id_number",
        )
    if len(id_number) != ID_LENGTH:
        raise CardPayloadError(
            InvalidReason.ID_LENGTH,
            f"The ID number has {len(id_number)} digits; a CCCD number has {ID_LENGTH}.",
            field="id_number",
        )
    masked = mask_id(id_number)
    if id_number[:3] not in PROVINCES:
        raise CardPayloadError(
            InvalidReason.UNKNOWN_PROVINCE,
            f"The ID number {masked} starts with {id_number[:3]}, which is not a province code.",
            field="id_number",
        )
    if date_of_birth is not None:
        encoded_year = id_birth_year(id_number)
        if encoded_year // 100 != date_of_birth.year // 100:
            raise CardPayloadError(
                InvalidReason.CENTURY_SEX_DIGIT,
                f"The century/sex digit of ID number {masked} ({id_number[3]}) means a birth in the "
                f"{encoded_year // 100 * 100}s, but the date of birth is in {date_of_birth.year}.",
                field="id_number",
            )
        if encoded_year != date_of_birth.year:
            raise CardPayloadError(
                InvalidReason.BIRTH_YEAR_MISMATCH,
                f"The ID number {masked} encodes birth year {encoded_year}, "
                f"but the date of birth is in {date_of_birth.year}.",
                field="id_number",
            )
    if sex is not None and id_sex(id_number) is not sex:
        raise CardPayloadError(
            InvalidReason.SEX_MISMATCH,
            f"The century/sex digit of ID number {masked} ({id_number[3]}) means "
            f"{id_sex(id_number).value}, but the sex field says {sex.value}.",
            field="sex",
        )


def looks_like_cccd(text: str) -> bool:
    """Shape check only: '|'-separated and the first field is 9..13 characters, (nearly) all digits.

    Tells a damaged or invalid ID-card payload apart from some other QR code (URL, Wi-Fi, payment, ...).
    """
    if not isinstance(text, str) or FIELD_SEPARATOR not in text:
        return False
    first = text.split(FIELD_SEPARATOR, 1)[0].strip().lstrip(BOM)
    if not 9 <= len(first) <= 13 or not first.isascii() or not first.isalnum():
        return False
    return sum(c.isdigit() for c in first) >= max(9, len(first) - 1)


# -- the whole payload ---------------------------------------------------------------------------------


def check_text(text: str | bytes) -> str:
    """Decode (bytes as strict UTF-8), strip BOM and surrounding whitespace, reject decoder damage.

    Raises CardPayloadError with NOT_UTF8, REPLACEMENT_CHARACTER, MOJIBAKE or CONTROL_CHARACTER.
    Returns the text in NFC.
    """
    if isinstance(text, bytes | bytearray | memoryview):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CardPayloadError(
                InvalidReason.NOT_UTF8, f"The payload is not valid UTF-8 (bad byte at offset {exc.start})."
            ) from None
    if not isinstance(text, str):
        raise CardPayloadError(InvalidReason.NOT_UTF8, f"The payload is {type(text).__name__}, not text.")
    text = text.strip().lstrip(BOM).strip()
    if REPLACEMENT_CHARACTER in text:
        raise CardPayloadError(
            InvalidReason.REPLACEMENT_CHARACTER,
            "The payload contains U+FFFD: the decoder mangled the text encoding; read the code again.",
        )
    if is_mojibake(text):
        raise CardPayloadError(
            InvalidReason.MOJIBAKE,
            "The payload is mojibake (UTF-8 decoded with the wrong charset); read the code again.",
        )
    index = first_control_character(text)
    if index is not None:
        raise CardPayloadError(
            InvalidReason.CONTROL_CHARACTER,
            f"The payload contains the control or non-text character U+{ord(text[index]):04X} at position {index}.",
        )
    return unicodedata.normalize("NFC", text)


def _is_name(text: str) -> bool:
    return all(unicodedata.category(c)[0] in "LM" or c in _NAME_PUNCTUATION for c in text) and any(
        unicodedata.category(c)[0] == "L" for c in text
    )


def _card_date(text: str, reason: InvalidReason, future_reason: InvalidReason, label: str, field: str,
               today: datetime.date) -> PartialDate:
    """A card date (ddMMyyyy, MMyyyy or yyyy) that may not lie wholly after ``today``."""
    try:
        date = PartialDate.parse_card(text)
    except ValueError:
        shown = text if len(text) <= 12 and text.isascii() and text.isprintable() else f"({len(text)} characters)"
        raise CardPayloadError(
            reason, f"The {label} {shown!s} is not a valid date (ddMMyyyy, MMyyyy or yyyy).", field=field
        ) from None
    if date.earliest() > today:
        raise CardPayloadError(future_reason, f"The {label} {date.display()} is in the future.", field=field)
    return date


def parse_cccd(text: str | bytes, *, today: datetime.date | None = None) -> CitizenCard:
    """Parse and validate a CCCD QR payload. Raises :class:`CardPayloadError` only.

    ``today`` (default: the local date) bounds the dates of birth and issue.
    """
    if today is None:
        today = datetime.date.today()
    elif isinstance(today, datetime.datetime):
        today = today.date()
    text = check_text(text)
    fields = text.split(FIELD_SEPARATOR)
    if len(fields) < MIN_FIELDS:
        raise CardPayloadError(
            InvalidReason.FIELD_COUNT,
            f"The payload has {len(fields)} '|'-separated fields; a CCCD payload has at least {MIN_FIELDS}.",
        )
    raw_id, raw_old, raw_name, raw_dob, raw_sex, raw_address, raw_issue = (f.strip() for f in fields[:MIN_FIELDS])
    extras = tuple(f.strip() for f in fields[MIN_FIELDS:])

    validate_id_number(raw_id)

    old_id: str | None = raw_old or None
    if old_id is not None and not (_ASCII_DIGITS.fullmatch(old_id) and len(old_id) in (9, 12)):
        raise CardPayloadError(
            InvalidReason.OLD_ID_INVALID,
            f"The old ID number {mask_id(old_id)} is not empty, 9 digits or 12 digits.",
            field="old_id_number",
        )

    name = normalise_field(raw_name)
    if not name:
        raise CardPayloadError(InvalidReason.EMPTY_NAME, "The name field is empty.", field="full_name")
    if not _is_name(name):
        raise CardPayloadError(
            InvalidReason.BAD_NAME,
            "The name field contains digits or symbols that no name has.",
            field="full_name",
        )

    dob = _card_date(raw_dob, InvalidReason.BAD_BIRTH_DATE, InvalidReason.FUTURE_BIRTH_DATE, "date of birth",
                     "date_of_birth", today)

    try:
        sex = Sex.parse(raw_sex)
    except ValueError:
        shown = raw_sex if len(raw_sex) <= 8 else f"({len(raw_sex)} characters)"
        raise CardPayloadError(
            InvalidReason.BAD_SEX, f"The sex field {shown!r} is neither Nam nor Nữ.", field="sex"
        ) from None

    validate_id_number(raw_id, dob, sex)

    issue: PartialDate | None = None
    if raw_issue:
        issue = _card_date(raw_issue, InvalidReason.BAD_ISSUE_DATE, InvalidReason.FUTURE_ISSUE_DATE, "issue date",
                           "issue_date", today)
        if issue.latest() < dob.earliest():
            raise CardPayloadError(
                InvalidReason.ISSUE_BEFORE_BIRTH,
                f"The issue date {issue.display()} is before the date of birth {dob.display()}.",
                field="issue_date",
            )

    return CitizenCard(
        id_number=raw_id,
        old_id_number=old_id,
        full_name=name,
        date_of_birth=dob,
        sex=sex,
        address=normalise_field(raw_address),
        issue_date=issue,
        extras=extras,
    )


def manual_card(id_number: str, full_name: str, date_of_birth: str, *, today: datetime.date | None = None
                ) -> CitizenCard:
    """A card from what staff typed: 12-digit number, name, birth date (dd/MM/yyyy, ddMMyyyy, MM/yyyy, yyyy, ISO).

    Raises :class:`CardPayloadError` (the same reasons as a scanned card) when it is invalid; the sex comes from
    the number's century/sex digit.
    """
    number = (id_number or "").strip()
    name = " ".join((full_name or "").split())
    dob_text = (date_of_birth or "").strip()
    if not name:
        raise CardPayloadError(InvalidReason.EMPTY_NAME, "The full name is empty.", field="full_name")
    if any(ch.isdigit() or ch == FIELD_SEPARATOR for ch in name):
        raise CardPayloadError(InvalidReason.BAD_NAME, "The full name contains digits or '|'.", field="full_name")
    try:
        dob = PartialDate.parse_any(dob_text)
    except (ValueError, TypeError):
        raise CardPayloadError(
            InvalidReason.BAD_BIRTH_DATE,
            "The date of birth is not a date (dd/MM/yyyy, MM/yyyy or yyyy).",
            field="date_of_birth",
        ) from None
    if dob.earliest() > (today or datetime.date.today()):
        raise CardPayloadError(InvalidReason.FUTURE_BIRTH_DATE, "The date of birth is in the future.",
                               field="date_of_birth")
    validate_id_number(number, dob)
    return CitizenCard(id_number=number, old_id_number=None, full_name=name, date_of_birth=dob, sex=id_sex(number),
                       address="", issue_date=None)
