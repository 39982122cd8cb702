import datetime

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from scanner.bhyt_card import (
    BENEFIT_LEVEL_GROUPS,
    GROUP_BENEFIT_LEVEL,
    GROUP_CODES,
    HealthInsuranceCard,
    coverage_percent,
    default_benefit_level,
    looks_like_bhyt,
    parse_bhyt_qr,
)
from scanner.cccd import CardPayloadError, InvalidReason, Sex
from scanner.dates import PartialDate

EXAMPLE = (
    "DN401AA31900313|4cc3aa205669e1bb87742048c6b06e67|04/09/1985|1|"
    "437479207068e1baa76e206de1bb816d20564e50542d20434e2074e1bb956e6720437479204456205654|01 - 043|"
    "01/07/2017|31/12/2017|21/07/2017|01059710639215|-|4|01/07/2022|1f2fa22c47f0bd18-7102|$"
)
FIELDS = EXAMPLE.split("|")


def with_field(index: int, value: str) -> str:
    fields = list(FIELDS)
    fields[index] = value
    return "|".join(fields)


def test_domain_example() -> None:
    card = parse_bhyt_qr(EXAMPLE)
    assert card.full_name == "Lê Việt Hưng"
    assert card.card_number == "DN401AA31900313"
    assert card.object_group == "DN" and card.benefit_level == 4 and card.province_code == "01"
    assert card.bhxh_number == "AA31900313"
    assert card.coverage_percent == 80
    assert card.date_of_birth == PartialDate(1985, 9, 4)
    assert card.sex is Sex.MALE
    assert card.address == "Cty phần mềm VNPT- CN tổng Cty DV VT"
    assert card.facility_code == "01043"
    assert (card.valid_from, card.valid_to) == (datetime.date(2017, 7, 1), datetime.date(2017, 12, 31))
    assert card.issue_date == datetime.date(2017, 7, 21)
    assert card.management_code == "01059710639215"
    assert card.guardian is None
    assert card.area_code is None  # the field holds '4', not a K1/K2/K3 area code
    assert card.five_years_from == datetime.date(2022, 7, 1)
    assert card.checksum == "1f2fa22c47f0bd18-7102"
    assert card.is_valid_on(datetime.date(2017, 12, 31)) and not card.is_valid_on(datetime.date(2018, 1, 1))
    assert card.masked_card_number == "•••••••••••0313"
    assert card.to_payload() == EXAMPLE


def test_to_json() -> None:
    data = parse_bhyt_qr(EXAMPLE).to_json()
    assert data["full_name"] == "Lê Việt Hưng"
    assert data["date_of_birth"] == "1985-09-04"
    assert data["valid_to"] == "2017-12-31"
    assert data["facility_code"] == "01043"
    assert data["benefit_level"] == 4 and data["object_group"] == "DN" and data["coverage_percent"] == 80
    assert data["five_years_from"] == "2022-07-01"
    assert data["area_code"] is None


def test_variants() -> None:
    card = parse_bhyt_qr(with_field(0, "0123456789"))
    assert card.card_number == "0123456789" and card.bhxh_number == "0123456789"
    assert card.object_group is None and card.benefit_level is None and card.coverage_percent is None
    assert parse_bhyt_qr(with_field(0, "dn401aa31900313")).card_number == "DN401AA31900313"
    assert parse_bhyt_qr(with_field(11, "k2")).area_code == "K2"
    assert parse_bhyt_qr(with_field(11, "")).area_code is None
    assert parse_bhyt_qr(with_field(12, "")).five_years_from is None
    assert parse_bhyt_qr(with_field(8, "")).issue_date is None
    assert parse_bhyt_qr(with_field(5, "27-001")).facility_code == "27001"
    assert parse_bhyt_qr(with_field(5, "27001")).facility_code == "27001"
    assert parse_bhyt_qr(with_field(3, "2")).sex is Sex.FEMALE
    assert parse_bhyt_qr(with_field(2, "1985")).date_of_birth == PartialDate(1985)
    assert parse_bhyt_qr(with_field(10, "Lê Văn Mạ".encode().hex())).guardian == "Lê Văn Mạ"
    assert parse_bhyt_qr(with_field(1, "4CC3AA205669E1BB87742048C6B06E67")).full_name == "Lê Việt Hưng"
    # older QR without guardian/area/5-year/checksum fields
    short = parse_bhyt_qr("|".join([*FIELDS[:10], "$"]))
    assert short.full_name == "Lê Việt Hưng" and short.five_years_from is None and short.checksum == ""
    assert parse_bhyt_qr(EXAMPLE + "\n") == parse_bhyt_qr(EXAMPLE)


BHYT_INVALID: list[tuple[str | bytes, InvalidReason]] = [
    (EXAMPLE.removesuffix("|$"), InvalidReason.MISSING_TERMINATOR),
    (EXAMPLE[:60], InvalidReason.MISSING_TERMINATOR),
    ("DN401AA31900313|4cc3aa20|04/09/1985|1|$", InvalidReason.FIELD_COUNT),
    (with_field(0, "DN401AA3190031"), InvalidReason.BAD_CARD_NUMBER),
    (with_field(0, "DN4O1AA31900313"), InvalidReason.BAD_CARD_NUMBER),
    (with_field(0, ""), InvalidReason.BAD_CARD_NUMBER),
    (with_field(0, "ZZ401AA31900313"), InvalidReason.UNKNOWN_GROUP),
    (with_field(0, "DN601AA31900313"), InvalidReason.BAD_BENEFIT_LEVEL),
    (with_field(0, "DN001AA31900313"), InvalidReason.BAD_BENEFIT_LEVEL),
    (with_field(1, "4cc3a"), InvalidReason.BAD_HEX_TEXT),
    (with_field(1, "Lê Việt Hưng"), InvalidReason.BAD_HEX_TEXT),
    (with_field(1, "4cc3"), InvalidReason.BAD_HEX_TEXT),  # truncated UTF-8 sequence
    (with_field(1, "4c00"), InvalidReason.CONTROL_CHARACTER),
    (with_field(1, "4cefbfbd"), InvalidReason.REPLACEMENT_CHARACTER),
    (with_field(1, ""), InvalidReason.EMPTY_NAME),
    (with_field(1, "2020"), InvalidReason.EMPTY_NAME),
    (with_field(2, "31/02/1985"), InvalidReason.BAD_BIRTH_DATE),
    (with_field(3, "3"), InvalidReason.BAD_SEX),
    (with_field(5, "01 / 043"), InvalidReason.BAD_FACILITY_CODE),
    (with_field(5, ""), InvalidReason.BAD_FACILITY_CODE),
    (with_field(6, "31/02/2017"), InvalidReason.BAD_VALIDITY_DATE),
    (with_field(7, "2017"), InvalidReason.BAD_VALIDITY_DATE),
    (with_field(7, "30/06/2017"), InvalidReason.VALIDITY_REVERSED),
    (with_field(8, "21/13/2017"), InvalidReason.BAD_ISSUE_DATE),
    (with_field(9, ""), InvalidReason.BAD_MANAGEMENT_CODE),
    (with_field(9, "0105 9710"), InvalidReason.BAD_MANAGEMENT_CODE),
    (with_field(11, "Khu vực 1"), InvalidReason.BAD_AREA_CODE),
    (with_field(12, "2022"), InvalidReason.BAD_FIVE_YEAR_DATE),
    (EXAMPLE.replace("|1|", "|1\x07|"), InvalidReason.CONTROL_CHARACTER),
    (b"DN401AA31900313|\xff|$", InvalidReason.NOT_UTF8),
]


@pytest.mark.parametrize(("payload", "reason"), BHYT_INVALID)
def test_invalid_bhyt_payloads_give_the_specific_reason(payload: str | bytes, reason: InvalidReason) -> None:
    with pytest.raises(CardPayloadError) as info:
        parse_bhyt_qr(payload)
    assert info.value.reason is reason
    message = str(info.value)
    assert message.endswith(".") and "AA31900313" not in message and "Hưng" not in message


def test_every_reason_has_a_test() -> None:
    from test_cccd import CCCD_INVALID  # tests/ is on sys.path (pytest rootdir-less test modules)
    from test_payload import TYPED_INVALID

    covered = {reason for _, reason in CCCD_INVALID} | {reason for _, reason in BHYT_INVALID}
    covered |= {reason for _, reason in TYPED_INVALID}
    assert covered == set(InvalidReason)
    assert all(reason.value == reason.value.lower() and " " not in reason.value for reason in InvalidReason)


def test_group_tables() -> None:
    assert len(GROUP_CODES) == 46 == len(set(GROUP_CODES)) == len(GROUP_BENEFIT_LEVEL)
    assert set(GROUP_CODES) == set().union(*BENEFIT_LEVEL_GROUPS.values())
    assert sum(len(groups) for groups in BENEFIT_LEVEL_GROUPS.values()) == 46  # each group in one level
    assert BENEFIT_LEVEL_GROUPS[1] == {"CC", "TE"}
    assert BENEFIT_LEVEL_GROUPS[2] == {"CK", "CB", "KC", "HN", "DT", "DK", "XD", "BT", "TS"}
    assert BENEFIT_LEVEL_GROUPS[3] == {"HT", "TC", "CN"}
    assert BENEFIT_LEVEL_GROUPS[5] == {"QN", "CA", "CY"}
    assert {"DN", "HX", "LS", "HS", "SV", "GD"} <= BENEFIT_LEVEL_GROUPS[4]
    assert default_benefit_level("TE") == 1 and default_benefit_level("DN") == 4 and default_benefit_level("ZZ") is None
    assert [coverage_percent(level) for level in range(1, 6)] == [100, 100, 95, 80, 100]
    for bad in (0, 6, -1):
        with pytest.raises(ValueError):
            coverage_percent(bad)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (EXAMPLE, True),
        (EXAMPLE.removesuffix("|$"), True),  # truncated read: still the BHYT card's QR
        ("0123456789|4cc3aa20|04/09/1985", True),
        ("001098012345||NGUYỄN VĂN A|15081998|Nam|Hà Nội|25052021", False),
        ("0010980123||NGUYỄN VĂN A|15081998|Nam|Hà Nội|25052021", False),
        ("0010980123|001098012345|NGUYỄN VĂN A|15081998|Nam|Hà Nội|25052021", False),
        ("https://example.com/$", False),
        ("", False),
    ],
)
def test_looks_like_bhyt(text: str, expected: bool) -> None:
    assert looks_like_bhyt(text) is expected


# -- property-based ------------------------------------------------------------------------------------

_LETTERS = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
names = st.lists(st.text(alphabet=_LETTERS, min_size=1, max_size=6), min_size=1, max_size=4).map(
    lambda words: " ".join(w.capitalize() for w in words)
)
dates = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31))


@st.composite
def insurance_cards(draw: st.DrawFn) -> HealthInsuranceCard:
    if draw(st.booleans()):
        group = draw(st.sampled_from(GROUP_CODES))
        level = draw(st.integers(1, 5))
        number = f"{group}{level}{draw(st.integers(1, 99)):02d}{draw(st.from_regex(r'[0-9A-Z]{10}', fullmatch=True))}"
    else:
        number = draw(st.from_regex(r"[0-9]{10}", fullmatch=True))
    birth = draw(dates)
    valid_from = draw(dates)
    area = draw(st.sampled_from([("K1", ""), ("K3", ""), (None, ""), (None, "-"), (None, "4")]))
    return HealthInsuranceCard(
        card_number=number,
        full_name=draw(names),
        date_of_birth=draw(
            st.sampled_from(
                [PartialDate.from_date(birth), PartialDate(birth.year, birth.month), PartialDate(birth.year)]
            )
        ),
        sex=draw(st.sampled_from(list(Sex))),
        address=draw(st.one_of(st.just(""), names)),
        facility_code=draw(st.from_regex(r"[0-9]{5}", fullmatch=True)),
        valid_from=valid_from,
        valid_to=draw(st.dates(min_value=valid_from, max_value=datetime.date(2100, 12, 31))),
        issue_date=draw(st.one_of(st.none(), dates)),
        management_code=draw(st.from_regex(r"[0-9]{8,14}", fullmatch=True)),
        area_code=area[0],
        five_years_from=draw(st.one_of(st.none(), dates)),
        guardian=draw(st.one_of(st.none(), names)),
        area_field=area[1],
        checksum=draw(st.from_regex(r"[0-9a-f]{16}-[0-9]{4}", fullmatch=True)),
    )


@settings(max_examples=200)
@given(insurance_cards())
def test_generated_cards_round_trip(card: HealthInsuranceCard) -> None:
    payload = card.to_payload()
    assert looks_like_bhyt(payload)
    assert parse_bhyt_qr(payload) == card


def _parse(payload: str | bytes) -> None:
    try:
        card = parse_bhyt_qr(payload)
    except CardPayloadError as exc:
        assert isinstance(exc.reason, InvalidReason) and str(exc)
        event(exc.reason.value)
        return
    event("accepted")
    assert parse_bhyt_qr(card.to_payload()) == card


@st.composite
def mutated_payloads(draw: st.DrawFn) -> str:
    fields = draw(insurance_cards()).to_payload().split("|")
    if draw(st.booleans()):
        fields[draw(st.integers(0, len(fields) - 1))] = draw(st.text(max_size=20))
        return "|".join(fields)
    text = "|".join(fields)
    position = draw(st.integers(0, len(text)))
    return text[:position] + draw(st.text(max_size=2)) + text[position + draw(st.integers(0, 3)) :]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_payloads())
def test_mutated_payloads_raise_only_card_payload_error(payload: str) -> None:
    _parse(payload)


@given(st.one_of(st.text(), st.binary(), st.lists(st.text(max_size=10), min_size=9, max_size=16).map("|".join)))
def test_random_input_raises_only_card_payload_error(payload: str | bytes) -> None:
    _parse(payload)
