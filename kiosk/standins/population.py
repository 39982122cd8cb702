"""A deterministic synthetic population of Bắc Ninh residents for the mocked population-data service.

Each person has the data on their chip ID card (``identity`` and the card's QR text), an insurance
record as the BHXH gateway would hold it (or none), the result code the service answers when the person
is looked up with their own card data by registered staff (``expected_result_code``), and, for some
adults, the facility where they are registered lookup staff (``staff_of``).

Insurance validity dates are stored as day offsets from the lookup date (``*_offset_days``) so that an
expired card stays expired, and a valid card valid, whenever the population is used.

The population is fiction: names, numbers and addresses are drawn from small tables with a seeded
random generator (the same seed and size always give the same file, byte for byte).
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import random
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field, StrictInt, ValidationError

from kiosk.paths import read_file
from kiosk.wire import first_error
from scanner.bhyt_card import coverage_percent, default_benefit_level
from scanner.cccd import CardPayloadError, CitizenCard, Sex, parse_cccd
from scanner.dates import PartialDate
from scanner.provinces import PROVINCES

BAC_NINH = "027"
BHYT_PROVINCE = "27"
DEFAULT_SEED = 1
DEFAULT_SIZE = 1000
MIN_FULL_COVERAGE_SIZE = 100
# Share of each non-000 code in a population (the rest get 000); at least 2 people each.
_CODE_SHARES: Mapping[str, float] = {
    "001": 0.012, "002": 0.012, "003": 0.02, "004": 0.02, "010": 0.05, "050": 0.04, "060": 0.012,
    "061": 0.012, "070": 0.012, "110": 0.008, "120": 0.005, "121": 0.005, "122": 0.005, "123": 0.005,
    "124": 0.005, "130": 0.02,
}  # fmt: skip
# Every result code a population of MIN_FULL_COVERAGE_SIZE or more holds people for.
COVERED_RESULT_CODES: tuple[str, ...] = ("000", *_CODE_SHARES)


class PopulationError(ValueError):
    """A population file that cannot be used (names the file and line)."""


# ------------------------------------------------------------------------------------------ places
# The districts (as written in an address) with their communes, wards and townships.
DISTRICTS: dict[str, tuple[str, ...]] = {
    "Thành phố Bắc Ninh": ("Phường Suối Hoa", "Phường Tiền An", "Phường Vũ Ninh", "Phường Đại Phúc", "Phường Kinh Bắc",
        "Phường Võ Cường", "Phường Khúc Xuyên", "Phường Hòa Long", "Phường Kim Chân"),
    "Thị xã Từ Sơn": ("Phường Đông Ngàn", "Phường Đình Bảng", "Phường Tân Hồng", "Phường Đồng Nguyên",
        "Phường Châu Khê", "Xã Tam Sơn", "Xã Hương Mạc", "Xã Phù Khê"),
    "Huyện Tiên Du": ("Thị trấn Lim", "Xã Phật Tích", "Xã Liên Bão", "Xã Hoàn Sơn", "Xã Việt Đoàn", "Xã Nội Duệ",
        "Xã Cảnh Hưng", "Xã Tri Phương"),
    "Huyện Yên Phong": ("Thị trấn Chờ", "Xã Đông Phong", "Xã Tam Giang", "Xã Yên Trung", "Xã Long Châu", "Xã Văn Môn",
        "Xã Dũng Liệt", "Xã Đông Tiến"),
    "Huyện Quế Võ": ("Thị trấn Phố Mới", "Xã Việt Hùng", "Xã Phương Liễu", "Xã Nhân Hòa", "Xã Bằng An", "Xã Đại Xuân",
        "Xã Phù Lãng"),
    "Huyện Thuận Thành": ("Thị trấn Hồ", "Xã Gia Đông", "Xã Xuân Lâm", "Xã Hà Mãn", "Xã Trí Quả", "Xã Mão Điền",
        "Xã Song Hồ"),
    "Huyện Gia Bình": ("Thị trấn Gia Bình", "Xã Đông Cứu", "Xã Nhân Thắng", "Xã Đại Lai", "Xã Quỳnh Phú",
        "Xã Xuân Lai"),
    "Huyện Lương Tài": ("Thị trấn Thứa", "Xã Lâm Thao", "Xã Phú Hòa", "Xã Trung Kênh", "Xã An Thịnh", "Xã Quảng Phú"),
}  # fmt: skip
_HAMLETS = ("Thôn Đông", "Thôn Đoài", "Thôn Nam", "Thôn Bắc", "Thôn Trung", "Thôn Thượng", "Thôn Hạ",
            "Xóm Mới", "Khu phố 1", "Khu phố 2", "Khu phố 3", "Khu phố 4")  # fmt: skip


@dataclass(frozen=True)
class Facility:
    code: str  # 5 characters, Bắc Ninh facilities start with 27
    name: str
    district: str | None  # the district it mainly serves (primary-care registration), None: province-wide


# Facility codes are made up for the mock (5 characters, province 27); names follow the real pattern.
FACILITIES: tuple[Facility, ...] = (
    Facility("27001", "Bệnh viện Đa khoa tỉnh Bắc Ninh", None),
    Facility("27002", "Bệnh viện Sản - Nhi Bắc Ninh", None),
    Facility("27010", "Trung tâm Y tế thành phố Bắc Ninh", "Thành phố Bắc Ninh"),
    Facility("27011", "Trung tâm Y tế thị xã Từ Sơn", "Thị xã Từ Sơn"),
    Facility("27012", "Trung tâm Y tế huyện Tiên Du", "Huyện Tiên Du"),
    Facility("27013", "Trung tâm Y tế huyện Yên Phong", "Huyện Yên Phong"),
    Facility("27014", "Trung tâm Y tế huyện Quế Võ", "Huyện Quế Võ"),
    Facility("27015", "Trung tâm Y tế huyện Thuận Thành", "Huyện Thuận Thành"),
    Facility("27016", "Trung tâm Y tế huyện Gia Bình", "Huyện Gia Bình"),
    Facility("27017", "Trung tâm Y tế huyện Lương Tài", "Huyện Lương Tài"),
    Facility("27020", "Bệnh viện Đa khoa Kinh Bắc", "Thành phố Bắc Ninh"),
    Facility("27021", "Bệnh viện Đa khoa Thành An - Thăng Long", "Thị xã Từ Sơn"),
)
_FACILITY_BY_CODE = {f.code: f for f in FACILITIES}


def facility_name(code: str) -> str:
    facility = _FACILITY_BY_CODE.get(code)
    return facility.name if facility else f"Cơ sở khám chữa bệnh {code}"


# ------------------------------------------------------------------------------------------- names
_SURNAMES = (("Nguyễn", 30), ("Trần", 10), ("Lê", 8), ("Phạm", 7), ("Hoàng", 4), ("Vũ", 4), ("Đặng", 3),
             ("Bùi", 3), ("Đỗ", 3), ("Ngô", 3), ("Dương", 2), ("Đào", 2), ("Đinh", 2), ("Nghiêm", 1),
             ("Hà", 1), ("Lý", 1), ("Phùng", 1), ("Chu", 1), ("Đoàn", 1), ("Tạ", 1))  # fmt: skip
_D_SURNAMES = ("Đặng", "Đỗ", "Đào", "Đinh", "Đoàn")
_MIDDLE = {
    Sex.MALE: ("Văn", "Đức", "Hữu", "Quang", "Minh", "Công", "Thành", "Xuân", "Tiến", "Mạnh"),
    Sex.FEMALE: ("Thị", "Ngọc", "Thu", "Thanh", "Thị Thu", "Minh", "Thùy", "Phương", "Hồng", "Thị Ngọc"),
}
_GIVEN = {
    Sex.MALE: ("Anh", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hùng", "Huy", "Khánh", "Long", "Nam",
               "Phong", "Quân", "Sơn", "Thắng", "Trung", "Tuấn", "Việt", "Vinh"),
    Sex.FEMALE: ("Anh", "Châu", "Dung", "Giang", "Hà", "Hằng", "Hoa", "Hương", "Lan", "Linh", "Mai", "Ngân",
                 "Nhung", "Oanh", "Phương", "Quỳnh", "Thảo", "Trang", "Vân", "Yến"),
}  # fmt: skip


def normalize_name(name: str) -> str:
    """How the gateway compares names: NFC, upper case, single spaces (diacritics matter, case does not)."""
    return " ".join(unicodedata.normalize("NFC", name).upper().split())


def _strip_marks(char: str) -> str:
    decomposed = unicodedata.normalize("NFD", char)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


# ------------------------------------------------------------------------------------------ records
class InsuranceStatus(StrEnum):
    ACTIVE = "active"
    REVOKED = "revoked"  # 110
    REDUCED_MOVED_PROVINCE = "reduced-moved-province"  # 120
    REDUCED_MOVED_WITHIN_PROVINCE = "reduced-moved-within-province"  # 121
    REDUCED_RE_ENROLLED = "reduced-re-enrolled"  # 122
    REDUCED_STOPPED = "reduced-stopped"  # 123
    REDUCED_OTHER = "reduced-other"  # 124


STATUS_RESULT_CODES: Mapping[InsuranceStatus, str] = {
    InsuranceStatus.REVOKED: "110",
    InsuranceStatus.REDUCED_MOVED_PROVINCE: "120",
    InsuranceStatus.REDUCED_MOVED_WITHIN_PROVINCE: "121",
    InsuranceStatus.REDUCED_RE_ENROLLED: "122",
    InsuranceStatus.REDUCED_STOPPED: "123",
    InsuranceStatus.REDUCED_OTHER: "124",
}


class ManagedBy(StrEnum):
    BHXH = "bhxh"
    DEFENCE = "defence"  # 001
    PUBLIC_SECURITY = "public-security"  # 002


class NoCardReason(StrEnum):
    NONE_ISSUED = "none-issued"  # 050
    CHILD_UNDER_6 = "child-under-6"  # 130


Text = Annotated[str, Field(min_length=1)]
FacilityCode = Annotated[str, Field(pattern=r"^[0-9A-Za-z]{5}$", description="5-character facility code")]


def _iso_partial(text: str) -> str:
    PartialDate.parse_iso(text)  # raises ValueError
    return text


@dataclass(frozen=True)
class NewCard:
    """A new card issued while the old one is on file (result codes 003 / 004)."""

    card_number: Text
    valid_from_offset_days: StrictInt
    valid_to_offset_days: StrictInt
    primary_facility_code: FacilityCode


@dataclass(frozen=True)
class InsuranceRecord:
    """The gateway's record of a person's BHYT card (its name and birth date may differ from the CCCD)."""

    card_number: Text
    bhxh_number: Text
    object_group: Text
    benefit_level: Annotated[StrictInt, Field(ge=1, le=5)]
    valid_from_offset_days: StrictInt
    valid_to_offset_days: StrictInt
    primary_facility_code: FacilityCode
    area_code: str | None
    five_years_continuous_from_offset_days: StrictInt | None
    recorded_name: Text
    recorded_date_of_birth: Annotated[Text, AfterValidator(_iso_partial)]  # ISO, possibly partial
    managed_by: ManagedBy = ManagedBy.BHXH
    status: InsuranceStatus = InsuranceStatus.ACTIVE
    new_card: NewCard | None = None

    @property
    def coverage_percent(self) -> int:
        return coverage_percent(self.benefit_level)


@dataclass(frozen=True)
class Person:
    identity: CitizenCard
    insurance: InsuranceRecord | None
    expected_result_code: str
    staff_of: str | None = None
    no_card_reason: NoCardReason | None = None

    @property
    def qr_payload(self) -> str:
        return self.identity.to_payload()

    def to_json(self) -> dict[str, Any]:
        identity = {k: v for k, v in self.identity.to_json().items() if k != "extras"}  # a generated card has none
        return _PersonLine(identity=identity, qr_payload=self.qr_payload, insurance=self.insurance,
                           no_card_reason=self.no_card_reason, expected_result_code=self.expected_result_code,
                           staff_of=self.staff_of).model_dump(mode="json")

    @classmethod
    def from_json(cls, data: Any) -> Person:
        if not isinstance(data, dict):
            raise ValueError("a line must hold a JSON object")
        try:
            card = parse_cccd(str(data.get("qr_payload", "")))
        except CardPayloadError as exc:
            raise ValueError(f"qr_payload is not a valid CCCD payload: {exc}") from None
        try:
            line = _PersonLine.model_validate(data)
        except ValidationError as exc:
            raise ValueError(first_error(exc)) from None
        if line.identity.get("id_number") != card.id_number:
            raise ValueError("identity.id_number does not match the qr_payload")
        return cls(card, line.insurance, line.expected_result_code, line.staff_of or None, line.no_card_reason)


class _PersonLine(BaseModel):
    """A person as one line of a population file: the card as a reader sees it (``identity``), its QR text (what
    the service goes by) and the gateway's record."""

    identity: dict[str, Any]
    qr_payload: Text
    insurance: InsuranceRecord | None
    no_card_reason: NoCardReason | None
    expected_result_code: Text
    staff_of: str | None


# --------------------------------------------------------------------------------------- population
@dataclass
class Population:
    people: list[Person]
    by_id: dict[str, Person] = field(init=False, repr=False)
    staff: dict[str, dict[str, str]] = field(init=False, repr=False)  # facility -> id_number -> name

    def __post_init__(self) -> None:
        self.by_id = {}
        self.staff = {}
        for person in self.people:
            if person.identity.id_number in self.by_id:
                raise PopulationError(f"ID number {person.identity.masked_id} appears twice")
            self.by_id[person.identity.id_number] = person
            if person.staff_of:
                self.staff.setdefault(person.staff_of, {})[person.identity.id_number] = person.identity.full_name

    def __len__(self) -> int:
        return len(self.people)

    def __iter__(self) -> Iterator[Person]:
        return iter(self.people)

    def find(self, id_number: str) -> Person | None:
        return self.by_id.get(id_number)

    def facilities(self) -> list[Facility]:
        """The facilities that have registered staff (in FACILITIES order, unknown codes last)."""
        codes = set(self.staff)
        known = [f for f in FACILITIES if f.code in codes]
        unknown = [Facility(c, facility_name(c), None) for c in sorted(codes - {f.code for f in known})]
        return known + unknown

    def staff_member(self, facility_code: str) -> Person:
        """A registered staff member of ``facility_code`` (the first one)."""
        members = self.staff.get(facility_code)
        if not members:
            raise KeyError(f"no registered staff for facility {facility_code}")
        return self.by_id[next(iter(members))]

    def with_code(self, code: str) -> list[Person]:
        return [p for p in self.people if p.expected_result_code == code]

    # -- files ------------------------------------------------------------------------------------
    def to_jsonl(self) -> str:
        return "".join(json.dumps(p.to_json(), ensure_ascii=False, separators=(",", ":")) + "\n" for p in self)

    def save(self, path: Path) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.to_jsonl(), encoding="utf-8", newline="\n")

    @classmethod
    def load(cls, path: Path) -> Population:
        path = Path(path)
        source = str(path)
        people: list[Person] = []
        for number, line in enumerate(read_file(path, "population file", PopulationError).splitlines(), start=1):
            if not line.strip():
                continue
            try:
                people.append(Person.from_json(json.loads(line)))
            except json.JSONDecodeError as exc:
                raise PopulationError(f"{source}, line {number}: not JSON ({exc.msg})") from None
            except (ValueError, TypeError) as exc:
                raise PopulationError(f"{source}, line {number}: {exc}") from None
        if not people:
            raise PopulationError(f"{source}: the population is empty")
        try:
            return cls(people)
        except PopulationError as exc:
            raise PopulationError(f"{source}: {exc}") from None


# --------------------------------------------------------------------------------------- generation
_ISSUE_FIRST = datetime.date(2021, 1, 15)
_ISSUE_LAST = datetime.date(2024, 12, 20)
_BORN_FIRST = 1935
_BORN_LAST_ADULT = 2004
_CHILD_BORN = (2020, 2024)


class _Generator:
    def __init__(self, seed: int, size: int) -> None:
        self.rng = random.Random(f"bhyt-kiosk-population:{seed}")
        self.size = size
        self.used_ids: set[str] = set()
        self.used_bhxh: set[str] = set()
        n_facilities = min(len(FACILITIES), max(1, size // 30))
        self.facilities = FACILITIES[:n_facilities]

    # -- choices ----------------------------------------------------------------------------------
    def codes(self) -> list[str]:
        codes: list[str] = []
        for code, share in _CODE_SHARES.items():
            if self.size >= MIN_FULL_COVERAGE_SIZE:
                codes += [code] * max(2, round(share * self.size))
            elif self.rng.random() < share * 4:
                codes.append(code)
        codes = codes[: self.size]
        codes += ["000"] * (self.size - len(codes))
        self.rng.shuffle(codes)
        return codes

    def name(self, sex: Sex, *, surname: str | None = None) -> str:
        surnames, weights = zip(*_SURNAMES, strict=True)
        family = surname or self.rng.choices(surnames, weights)[0]
        middle = self.rng.choice(_MIDDLE[sex])
        given = self.rng.choice(_GIVEN[sex])
        name = f"{family} {middle} {given}"
        return name.upper() if self.rng.random() < 0.2 else name

    def birth_date(self, *, child: bool) -> PartialDate:
        first, last = _CHILD_BORN if child else (_BORN_FIRST, _BORN_LAST_ADULT)
        year = self.rng.randint(first, last)
        month = self.rng.randint(1, 12)
        day = self.rng.randint(1, 28 if month == 2 else 30)
        if not child and year < 1976:
            roll = self.rng.random()
            if roll < 0.12:
                return PartialDate(year)
            if roll < 0.17:
                return PartialDate(year, month)
        return PartialDate(year, month, day)

    def province(self) -> str:
        if self.rng.random() < 0.85:
            return BAC_NINH
        return self.rng.choice([c for c in PROVINCES if c != BAC_NINH])

    def unique(self, used: set[str], draw: Callable[[], str]) -> str:
        """A number from ``draw`` that no one has yet."""
        while (number := draw()) in used:
            pass
        used.add(number)
        return number

    def id_number(self, province: str, dob: PartialDate, sex: Sex) -> str:
        prefix = f"{province}{2 * ((dob.year - 1900) // 100) + sex.digit}{dob.year % 100:02d}"  # PPP G YY
        return self.unique(self.used_ids, lambda: f"{prefix}{self.rng.randint(0, 999_999):06d}")

    def issue_date(self, dob: PartialDate) -> PartialDate:
        first = max(_ISSUE_FIRST, dob.latest() + datetime.timedelta(days=30))
        span = (_ISSUE_LAST - first).days
        return PartialDate.from_date(first + datetime.timedelta(days=self.rng.randint(0, max(0, span))))

    def address(self) -> tuple[str, str]:
        """An address in Bắc Ninh, and its district."""
        district = self.rng.choice(tuple(DISTRICTS))
        commune = self.rng.choice(DISTRICTS[district])
        hamlet = self.rng.choice(_HAMLETS)
        return f"{hamlet}, {commune}, {district}, Bắc Ninh", district

    def primary_facility(self, district: str) -> str:
        local = [f.code for f in self.facilities if f.district == district]
        if local and self.rng.random() < 0.8:
            return self.rng.choice(local)
        return self.rng.choice(self.facilities).code

    def bhxh_number(self) -> str:
        return self.unique(self.used_bhxh, lambda: f"{BHYT_PROVINCE}{self.rng.randint(0, 99_999_999):08d}")

    def group(self, dob: PartialDate, code: str) -> str:
        if code == "001":
            return "QN"
        if code == "002":
            return "CA"
        age = 2025 - dob.year
        if age < 6:
            return "TE"
        if age < 18:
            return "HS"
        if age < 23 and self.rng.random() < 0.6:
            return "SV"
        if age >= 60:
            return self.rng.choice(("HT", "HT", "CC", "GD"))
        return self.rng.choice(("DN", "DN", "DN", "HC", "GD", "GD", "HN", "CN", "NO"))

    # -- one person -------------------------------------------------------------------------------
    def person(self, code: str) -> Person:
        rng = self.rng
        child = code == "130" or (code in ("000", "050") and rng.random() < 0.04)
        sex = rng.choice((Sex.MALE, Sex.FEMALE))
        surname = rng.choice(_D_SURNAMES) if code == "060" else None
        name = self.name(sex, surname=surname)
        while code == "061" and not any(_strip_marks(c) != c for c in name[1:]):
            name = self.name(sex)
        dob = self.birth_date(child=child)
        while code == "070" and dob.day is None:
            dob = self.birth_date(child=False)
        province = self.province()
        id_number = self.id_number(province, dob, sex)
        address, district = self.address()
        old_id = None
        if not child and dob.year < 2003 and rng.random() < 0.6:
            prefix = "125" if province == BAC_NINH else f"1{rng.randint(0, 99):02d}"
            old_id = f"{prefix}{rng.randint(0, 999_999):06d}"
        card = CitizenCard(
            id_number=id_number,
            old_id_number=old_id,
            full_name=name,
            date_of_birth=dob,
            sex=sex,
            address=address,
            issue_date=self.issue_date(dob),
        )
        card = parse_cccd(card.to_payload())  # the QR text must parse back (and normalises the card)
        if code in ("050", "130"):
            reason = NoCardReason.CHILD_UNDER_6 if code == "130" else NoCardReason.NONE_ISSUED
            return Person(card, None, code, no_card_reason=reason)
        return Person(card, self.insurance(card, district, code), code)

    def insurance(self, card: CitizenCard, district: str, code: str) -> InsuranceRecord:
        rng = self.rng
        group = self.group(card.date_of_birth, code)
        level = default_benefit_level(group) or 4
        bhxh = self.bhxh_number()
        card_number = f"{group}{level}{BHYT_PROVINCE}{bhxh}"
        facility = self.primary_facility(district)
        to_off = rng.randint(20, 364)
        if code in ("010", "003"):
            to_off = -rng.randint(1, 300)
        from_off = to_off - 364
        recorded_name = card.full_name.upper() if rng.random() < 0.5 else card.full_name
        recorded_dob = card.date_of_birth
        if code == "060":  # Đ recorded as D: the first letter differs
            recorded_name = "D" + recorded_name[1:]  # the surname was drawn from _D_SURNAMES
        elif code == "061":  # a diacritic lost after the first letter
            positions = [i for i, c in enumerate(card.full_name) if i > 0 and _strip_marks(c) != c]
            i = rng.choice(positions)
            recorded_name = card.full_name[:i] + _strip_marks(card.full_name[i]) + card.full_name[i + 1 :]
        elif code == "070":
            recorded_dob = _misrecorded_date(card.date_of_birth, rng)
        new_card = None
        if code in ("003", "004"):
            new_from = to_off + 1
            new_card = NewCard(
                card_number=card_number,
                valid_from_offset_days=new_from,
                valid_to_offset_days=new_from + 364,
                primary_facility_code=facility,
            )
        status = next((s for s, c in STATUS_RESULT_CODES.items() if c == code), InsuranceStatus.ACTIVE)
        managed_by = {"001": ManagedBy.DEFENCE, "002": ManagedBy.PUBLIC_SECURITY}.get(code, ManagedBy.BHXH)
        five = -rng.randint(5 * 365, 15 * 365) if rng.random() < 0.3 else None
        area = rng.choice(("K1", "K2", "K3")) if rng.random() < 0.02 else None
        return InsuranceRecord(
            card_number=card_number,
            bhxh_number=bhxh,
            object_group=group,
            benefit_level=level,
            valid_from_offset_days=from_off,
            valid_to_offset_days=to_off,
            primary_facility_code=facility,
            area_code=area,
            five_years_continuous_from_offset_days=five,
            recorded_name=recorded_name,
            recorded_date_of_birth=recorded_dob.iso(),
            managed_by=managed_by,
            status=status,
            new_card=new_card,
        )


def _misrecorded_date(dob: PartialDate, rng: random.Random) -> PartialDate:
    """A birth date as a clerk might have mis-typed it: day and month swapped, or the year off by one."""
    if dob.day is not None and dob.month is not None and dob.day <= 12 and dob.day != dob.month:
        return PartialDate(dob.year, dob.day, dob.month)
    return PartialDate(dob.year + rng.choice((-1, 1)), dob.month, dob.day)  # days are <= 28 in February


def generate_population(seed: int = DEFAULT_SEED, size: int = DEFAULT_SIZE) -> Population:
    """A deterministic population of ``size`` people (the same seed and size give the same people).

    With ``size`` >= MIN_FULL_COVERAGE_SIZE it holds people for every code in COVERED_RESULT_CODES
    and every facility used has registered staff.
    """
    if size < 1:
        raise ValueError(f"population size must be at least 1, got {size}")
    gen = _Generator(seed, size)
    people = [gen.person(code) for code in gen.codes()]
    # Registered lookup staff: adults with a valid card, about 3 per facility.
    candidates = [
        i for i, p in enumerate(people) if p.expected_result_code == "000" and p.identity.date_of_birth.year <= 2000
    ]
    gen.rng.shuffle(candidates)
    per_facility = max(1, min(3, len(candidates) // max(1, len(gen.facilities))))
    facilities = gen.facilities if candidates else ()
    for n, facility in enumerate(facilities):
        for index in candidates[n * per_facility : (n + 1) * per_facility]:
            people[index] = dataclasses.replace(people[index], staff_of=facility.code)
    return Population(people)
