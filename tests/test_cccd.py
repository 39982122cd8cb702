import datetime
import pickle
import unicodedata

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from scanner.cccd import (
    CardPayloadError,
    CitizenCard,
    InvalidReason,
    Sex,
    id_birth_year,
    id_sex,
    looks_like_cccd,
    parse_cccd,
    validate_id_number,
)
from scanner.dates import PartialDate
from scanner.provinces import PROVINCES, province_name
from scanner.vntext import normalise_field

TODAY = datetime.date(2025, 6, 1)
EXAMPLE_1 = "001098012345||NGUYỄN VĂN A|15081998|Nam|Hà Nội|25052021"
EXAMPLE_2 = (
    "027195001234|125678901|Nguyễn Thị Minh Châu|15081995|Nữ|Thôn Đông, Xã Tam Sơn, Thị xã Từ Sơn, Bắc Ninh|20042021"
)
FIELDS_2 = EXAMPLE_2.split("|")


def with_field(index: int, value: str, base: list[str] = FIELDS_2) -> str:
    fields = list(base)
    fields[index] = value
    return "|".join(fields)


# -- the domain.md examples --------------------------------------------------------------------------


def test_example_1_upper_case_name_and_empty_old_id() -> None:
    card = parse_cccd(EXAMPLE_1, today=TODAY)
    assert card == CitizenCard(
        id_number="001098012345",
        old_id_number=None,
        full_name="NGUYỄN VĂN A",
        date_of_birth=PartialDate(1998, 8, 15),
        sex=Sex.MALE,
        address="Hà Nội",
        issue_date=PartialDate(2021, 5, 25),
    )
    assert card.province_code == "001" and card.province_name == "Hà Nội"
    assert card.masked_id == "••••••••2345"
    assert card.to_payload() == EXAMPLE_1


def test_example_2_to_json() -> None:
    card = parse_cccd(EXAMPLE_2 + "\r\n", today=TODAY)
    assert card.to_json() == {
        "id_number": "027195001234",
        "old_id_number": "125678901",
        "full_name": "Nguyễn Thị Minh Châu",
        "date_of_birth": "1995-08-15",
        "sex": "Nữ",
        "address": "Thôn Đông, Xã Tam Sơn, Thị xã Từ Sơn, Bắc Ninh",
        "issue_date": "2021-04-20",
        "extras": [],
    }
    assert list(card.to_json()) == [
        "id_number",
        "old_id_number",
        "full_name",
        "date_of_birth",
        "sex",
        "address",
        "issue_date",
        "extras",
    ]
    assert CitizenCard.from_json(card.to_json()) == card
    assert card.to_payload() == EXAMPLE_2


def test_default_today_is_the_real_date() -> None:
    assert parse_cccd(EXAMPLE_2).issue_date == PartialDate(2021, 4, 20)
    card = parse_cccd(with_field(6, "25052021"), today=datetime.datetime(2021, 5, 25, 9, 30))
    assert card.issue_date == PartialDate(2021, 5, 25)
    with pytest.raises(CardPayloadError):
        parse_cccd(with_field(6, "26052021"), today=datetime.datetime(2021, 5, 25, 23, 59))


# -- leniency -----------------------------------------------------------------------------------------


def test_extras_of_2024_cards_are_kept() -> None:
    card = parse_cccd(EXAMPLE_2 + "|Nguyễn Văn Bố|Trần Thị Mẹ|", today=TODAY)
    assert card.extras == ("Nguyễn Văn Bố", "Trần Thị Mẹ", "")
    assert parse_cccd(card.to_payload(), today=TODAY) == card


def test_nfd_payload_is_normalised_to_nfc() -> None:
    card = parse_cccd(unicodedata.normalize("NFD", EXAMPLE_2), today=TODAY)
    assert card == parse_cccd(EXAMPLE_2, today=TODAY)
    assert unicodedata.is_normalized("NFC", card.full_name)


@pytest.mark.parametrize(
    ("text", "sex"),
    [
        ("Nam", Sex.MALE),
        ("NAM", Sex.MALE),
        ("nam", Sex.MALE),
        (" Nam ", Sex.MALE),
        ("Nữ", Sex.FEMALE),
        ("NỮ", Sex.FEMALE),
        ("nữ", Sex.FEMALE),
        ("Nu", Sex.FEMALE),
        ("nu", Sex.FEMALE),
        ("NU", Sex.FEMALE),
        (unicodedata.normalize("NFD", "Nữ"), Sex.FEMALE),
        (unicodedata.normalize("NFD", "NỮ"), Sex.FEMALE),
    ],
)
def test_sex_is_lenient(text: str, sex: Sex) -> None:
    assert Sex.parse(text) is sex
    base = FIELDS_2 if sex is Sex.FEMALE else EXAMPLE_1.split("|")
    assert parse_cccd(with_field(4, text, base), today=TODAY).sex is sex


def test_partial_birth_dates_and_empty_issue_date() -> None:
    card = parse_cccd(with_field(3, "1995"), today=TODAY)
    assert card.date_of_birth == PartialDate(1995)
    assert parse_cccd(with_field(3, "081995"), today=TODAY).date_of_birth == PartialDate(1995, 8)
    assert parse_cccd(with_field(6, ""), today=TODAY).issue_date is None
    assert parse_cccd(with_field(6, "2021"), today=TODAY).issue_date == PartialDate(2021)
    # a partial birth date is still checked against the number
    with pytest.raises(CardPayloadError) as info:
        parse_cccd(with_field(3, "1996"), today=TODAY)
    assert info.value.reason is InvalidReason.BIRTH_YEAR_MISMATCH


def test_old_id_of_12_digits_whitespace_and_names_with_apostrophes() -> None:
    assert parse_cccd(with_field(1, "027095001111"), today=TODAY).old_id_number == "027095001111"
    card = parse_cccd(with_field(2, "  H'Hen   Niê "), today=TODAY)
    assert card.full_name == "H'Hen Niê"
    assert parse_cccd(with_field(5, ""), today=TODAY).address == ""


def test_born_in_2000s_and_on_the_issue_day() -> None:
    card = parse_cccd("079306001234||Trần Thị Bé|01062006|Nữ|TP. Hồ Chí Minh|01062006", today=TODAY)
    assert card.date_of_birth.year == 2006 and card.sex is Sex.FEMALE
    assert id_birth_year("079306001234") == 2006 and id_sex("079306001234") is Sex.FEMALE
    assert id_birth_year("001098012345") == 1998 and id_sex("001098012345") is Sex.MALE
    assert id_birth_year("001499000001") == 2199


# -- every InvalidReason of a CCCD payload ----------------------------------------------------------------

CCCD_INVALID: list[tuple[str | bytes, InvalidReason]] = [
    (b"\xff\xfe027195001234|", InvalidReason.NOT_UTF8),
    (with_field(2, "Nguy\ufffdn Thị Minh Châu"), InvalidReason.REPLACEMENT_CHARACTER),
    (with_field(2, "Tr蘯ｧn Vﾄハ Sﾆ｡n"), InvalidReason.MOJIBAKE),
    (EXAMPLE_2.encode("utf-8").decode("cp1252", errors="ignore"), InvalidReason.MOJIBAKE),
    (EXAMPLE_2.encode("utf-8").decode("latin-1"), InvalidReason.MOJIBAKE),
    (with_field(2, "Nguyễn\x00Thị"), InvalidReason.CONTROL_CHARACTER),
    (with_field(2, "Nguyễn\u200bThị"), InvalidReason.CONTROL_CHARACTER),
    (with_field(5, "Thôn\tĐông"), InvalidReason.CONTROL_CHARACTER),
    ("027195001234|125678901|Nguyễn Thị|15081995|Nữ|Hà Nội", InvalidReason.FIELD_COUNT),
    ("", InvalidReason.FIELD_COUNT),
    (with_field(0, "02719500123A"), InvalidReason.ID_NOT_DIGITS),
    (with_field(0, "٠٢٧١٩٥٠٠١٢٣٤"), InvalidReason.ID_NOT_DIGITS),  # Arabic-Indic digits
    (with_field(0, "02719500123"), InvalidReason.ID_LENGTH),
    (with_field(0, "0271950012345"), InvalidReason.ID_LENGTH),
    (with_field(0, "003195001234"), InvalidReason.UNKNOWN_PROVINCE),
    (with_field(0, "097195001234"), InvalidReason.UNKNOWN_PROVINCE),
    (with_field(0, "027395001234"), InvalidReason.CENTURY_SEX_DIGIT),
    (with_field(0, "027196001234"), InvalidReason.BIRTH_YEAR_MISMATCH),
    (with_field(0, "027095001234"), InvalidReason.SEX_MISMATCH),
    (with_field(4, "Nam"), InvalidReason.SEX_MISMATCH),
    (with_field(1, "12345"), InvalidReason.OLD_ID_INVALID),
    (with_field(1, "12345678A"), InvalidReason.OLD_ID_INVALID),
    (with_field(2, "   "), InvalidReason.EMPTY_NAME),
    (with_field(2, "Nguyễn Thị 2"), InvalidReason.BAD_NAME),
    (with_field(2, "15081995"), InvalidReason.BAD_NAME),
    (with_field(4, "Khác"), InvalidReason.BAD_SEX),
    (with_field(4, ""), InvalidReason.BAD_SEX),
    (with_field(3, "31021995"), InvalidReason.BAD_BIRTH_DATE),
    (with_field(3, "15/08/1995"), InvalidReason.BAD_BIRTH_DATE),
    (with_field(3, ""), InvalidReason.BAD_BIRTH_DATE),
    (with_field(3, "15082026"), InvalidReason.FUTURE_BIRTH_DATE),
    (with_field(6, "32012021"), InvalidReason.BAD_ISSUE_DATE),
    (with_field(6, "01012030"), InvalidReason.FUTURE_ISSUE_DATE),
    (with_field(6, "01011990"), InvalidReason.ISSUE_BEFORE_BIRTH),
    (with_field(6, "071995"), InvalidReason.ISSUE_BEFORE_BIRTH),
]


@pytest.mark.parametrize(("payload", "reason"), CCCD_INVALID)
def test_invalid_payloads_give_the_specific_reason(payload: str | bytes, reason: InvalidReason) -> None:
    with pytest.raises(CardPayloadError) as info:
        parse_cccd(payload, today=TODAY)
    error = info.value
    assert error.reason is reason
    message = str(error)
    assert message == error.detail and message.endswith(".") and len(message) > 20
    # privacy: the message never holds the full number or the name
    assert "027195001234" not in message and "125678901" not in message
    assert "Nguyễn" not in message and "Minh Châu" not in message
    assert isinstance(error, ValueError)


def test_error_pickles_with_its_reason() -> None:
    with pytest.raises(CardPayloadError) as info:
        parse_cccd(with_field(0, "027095001234"), today=TODAY)
    copy = pickle.loads(pickle.dumps(info.value))
    assert copy.reason is InvalidReason.SEX_MISMATCH and str(copy) == str(info.value)
    assert copy.field == "sex"
    assert "sex-mismatch" in repr(copy)


def test_validate_id_number_alone() -> None:
    validate_id_number("027195001234")
    validate_id_number("027195001234", PartialDate(1995), Sex.FEMALE)
    validate_id_number("027195001234", PartialDate(1995, 8))
    with pytest.raises(CardPayloadError) as info:
        validate_id_number("027195001234", PartialDate(2095))
    assert info.value.reason is InvalidReason.CENTURY_SEX_DIGIT
    with pytest.raises(CardPayloadError) as info:
        validate_id_number("027195001234", sex=Sex.MALE)
    assert info.value.reason is InvalidReason.SEX_MISMATCH


def test_provinces() -> None:
    assert len(PROVINCES) == 63
    assert province_name("027") == "Bắc Ninh" and province_name("27") == "Bắc Ninh"
    assert province_name("079") == "Hồ Chí Minh"
    assert province_name("096") == "Cà Mau" and province_name("001") == "Hà Nội"
    examples = {"024": "Bắc Giang", "031": "Hải Phòng", "033": "Hưng Yên", "048": "Đà Nẵng", "092": "Cần Thơ"}
    for code, name in examples.items():
        assert PROVINCES[code] == name
    assert province_name("003") is None and province_name("") is None and province_name("99") is None
    assert all(len(code) == 3 and code.isdigit() for code in PROVINCES)
    assert all(unicodedata.is_normalized("NFC", name) for name in PROVINCES.values())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (EXAMPLE_1, True),
        (EXAMPLE_2, True),
        ("02719500123|x", True),  # damaged: one digit short
        ("027195001234", False),  # no separator
        ("https://dichvucong.gov.vn/|x", False),
        ("WIFI:T:WPA;S:clinic;P:secret;;", False),
        ("DN401AA31900313|4cc3|$", False),
        ("12345|a|b|c|d|e|f", False),
        ("", False),
    ],
)
def test_looks_like_cccd(text: str, expected: bool) -> None:
    assert looks_like_cccd(text) is expected


def test_to_payload_refuses_a_separator_in_a_field() -> None:
    card = parse_cccd(EXAMPLE_2, today=TODAY)
    broken = CitizenCard(**{**card.__dict__, "address": "a|b"})
    with pytest.raises(ValueError):
        broken.to_payload()


# -- property-based ------------------------------------------------------------------------------------

_VOWELS = "aăâeêioôơuưy"
_TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
VIETNAMESE_LOWER = sorted(
    {unicodedata.normalize("NFC", v + t) for v in _VOWELS for t in _TONES} | set("bcdđghklmnpqrstvx")
)
VIETNAMESE_LETTERS = VIETNAMESE_LOWER + [c.upper() for c in VIETNAMESE_LOWER]

words = st.text(alphabet=VIETNAMESE_LOWER, min_size=1, max_size=7)
names = st.lists(words, min_size=1, max_size=5).flatmap(
    lambda ws: st.sampled_from([" ".join(w.capitalize() for w in ws), " ".join(ws).upper()])
)
addresses = st.text(alphabet=[*VIETNAMESE_LETTERS, *"0123456789 ,./-"], max_size=60).map(normalise_field)
extras = st.lists(st.text(alphabet=[*VIETNAMESE_LETTERS, " "], max_size=20).map(str.strip), max_size=3)


def _partial(draw: st.DrawFn, day: datetime.date) -> PartialDate:
    forms = [PartialDate(day.year, day.month, day.day), PartialDate(day.year, day.month), PartialDate(day.year)]
    return draw(st.sampled_from(forms))


@st.composite
def cards(draw: st.DrawFn) -> CitizenCard:
    birth = _partial(draw, draw(st.dates(min_value=datetime.date(1900, 1, 1), max_value=TODAY)))
    sex = draw(st.sampled_from(list(Sex)))
    century_digit = 2 * ((birth.year - 1900) // 100) + sex.digit
    serial = draw(st.integers(min_value=0, max_value=999_999))
    id_number = f"{draw(st.sampled_from(sorted(PROVINCES)))}{century_digit}{birth.year % 100:02d}{serial:06d}"
    old = draw(st.one_of(st.none(), st.from_regex(r"[0-9]{9}|[0-9]{12}", fullmatch=True)))
    issue_day = draw(st.one_of(st.none(), st.dates(min_value=birth.earliest(), max_value=TODAY)))
    issue = _partial(draw, issue_day) if issue_day is not None else None
    return CitizenCard(
        id_number=id_number,
        old_id_number=old,
        full_name=draw(names),
        date_of_birth=birth,
        sex=sex,
        address=draw(addresses),
        issue_date=issue,
        extras=tuple(draw(extras)),
    )


@settings(max_examples=300)
@given(cards())
def test_generated_cards_round_trip(card: CitizenCard) -> None:
    assert parse_cccd(card.to_payload(), today=TODAY) == card
    assert parse_cccd(unicodedata.normalize("NFD", card.to_payload()) + "\n", today=TODAY) == card
    assert looks_like_cccd(card.to_payload())


def _parse_or_reason(payload: str | bytes) -> CitizenCard | InvalidReason:
    try:
        card = parse_cccd(payload, today=TODAY)
    except CardPayloadError as exc:
        assert isinstance(exc.reason, InvalidReason) and str(exc)
        event(exc.reason.value)
        return exc.reason
    event("accepted")
    # anything accepted is canonical: it round-trips
    assert parse_cccd(card.to_payload(), today=TODAY) == card
    return card


@st.composite
def mutated_payloads(draw: st.DrawFn) -> str:
    fields = draw(cards()).to_payload().split("|")
    mutation = draw(st.sampled_from(["replace", "insert", "delete", "truncate", "drop-field", "swap"]))
    if mutation == "replace":
        fields[draw(st.integers(0, len(fields) - 1))] = draw(st.text(max_size=15))
        return "|".join(fields)
    text = "|".join(fields)
    position = draw(st.integers(0, len(text)))
    if mutation == "insert":
        return text[:position] + draw(st.characters()) + text[position:]
    if mutation == "delete":
        return text[:position] + text[position + 1 :]
    if mutation == "truncate":
        return text[:position]
    if mutation == "drop-field":
        del fields[draw(st.integers(0, len(fields) - 1))]
        return "|".join(fields)
    i, j = draw(st.integers(0, len(fields) - 1)), draw(st.integers(0, len(fields) - 1))
    fields[i], fields[j] = fields[j], fields[i]
    return "|".join(fields)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_payloads())
def test_mutated_payloads_raise_only_card_payload_error(payload: str) -> None:
    _parse_or_reason(payload)


@given(st.one_of(st.text(), st.binary(), st.lists(st.text(max_size=14), min_size=6, max_size=9).map("|".join)))
def test_random_input_raises_only_card_payload_error(payload: str | bytes) -> None:
    _parse_or_reason(payload)
