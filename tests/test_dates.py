import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scanner.dates import PartialDate


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15081998", PartialDate(1998, 8, 15)),
        ("081998", PartialDate(1998, 8)),
        ("1998", PartialDate(1998)),
        ("29022024", PartialDate(2024, 2, 29)),
        ("01012000", PartialDate(2000, 1, 1)),
    ],
)
def test_parse_card_forms(text: str, expected: PartialDate) -> None:
    assert PartialDate.parse_card(text) == expected
    assert PartialDate.parse_card(text).card() == text


@pytest.mark.parametrize(
    "text",
    [
        "31021998",  # 31 February: rejected, never rolled over to March
        "29022023",  # not a leap year
        "31042000",
        "00081998",
        "15131998",
        "001998",
        "131998",
        "0000",
        "199",
        "19980",
        "1508199",
        "150819980",
        "",
        " 1998",
        "+1998",
        "１９９８",  # full-width digits
        "١٩٩٨",  # Arabic-Indic digits
        "15-08-1998",
    ],
)
def test_parse_card_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        PartialDate.parse_card(text)


def test_iso_display_and_card_forms() -> None:
    full, month, year = PartialDate(1998, 8, 15), PartialDate(1998, 8), PartialDate(1998)
    assert (full.iso(), month.iso(), year.iso()) == ("1998-08-15", "1998-08", "1998")
    assert (full.display(), month.display(), year.display()) == ("15/08/1998", "08/1998", "1998")
    assert (full.card(), month.card(), year.card()) == ("15081998", "081998", "1998")
    assert str(full) == "1998-08-15"
    assert full.complete and not month.complete and not year.complete


def test_parse_iso_and_parse_any() -> None:
    assert PartialDate.parse_iso("1998-08-15") == PartialDate(1998, 8, 15)
    assert PartialDate.parse_iso("1998-08") == PartialDate(1998, 8)
    assert PartialDate.parse_iso("1998") == PartialDate(1998)
    for text in ("1998-8-15", "1998-02-30", "15/08/1998", "1998-08-15T00:00"):
        with pytest.raises(ValueError):
            PartialDate.parse_iso(text)
    assert PartialDate.parse_any("15/08/1998") == PartialDate(1998, 8, 15)
    assert PartialDate.parse_any("5/8/1998") == PartialDate(1998, 8, 5)
    assert PartialDate.parse_any("08/1998") == PartialDate(1998, 8)
    assert PartialDate.parse_any(" 1998-08 ") == PartialDate(1998, 8)
    assert PartialDate.parse_any("15081998") == PartialDate(1998, 8, 15)
    assert PartialDate.parse_any("1998") == PartialDate(1998)
    for text in ("30/02/2000", "15/08/98", "1/2/3/1998", "", "abc", "15.08.1998", "/1998"):
        with pytest.raises(ValueError):
            PartialDate.parse_any(text)


def test_constructor_validates() -> None:
    with pytest.raises(ValueError):
        PartialDate(1998, None, 5)
    with pytest.raises(ValueError):
        PartialDate(1998, 0)
    with pytest.raises(ValueError):
        PartialDate(0)
    with pytest.raises(TypeError):
        PartialDate("1998")  # type: ignore[arg-type]


def test_earliest_and_latest() -> None:
    assert PartialDate(2024).earliest() == datetime.date(2024, 1, 1)
    assert PartialDate(2024).latest() == datetime.date(2024, 12, 31)
    assert PartialDate(2024, 2).latest() == datetime.date(2024, 2, 29)
    assert PartialDate(2023, 2).latest() == datetime.date(2023, 2, 28)
    assert PartialDate(2023, 2, 3).earliest() == PartialDate(2023, 2, 3).latest() == datetime.date(2023, 2, 3)
    assert PartialDate(2023, 2, 3).to_date() == datetime.date(2023, 2, 3)
    with pytest.raises(ValueError):
        PartialDate(2023, 2).to_date()
    assert PartialDate.from_date(datetime.date(2001, 9, 2)) == PartialDate(2001, 9, 2)


def test_ordering_puts_missing_parts_first() -> None:
    dates = [PartialDate(1998, 9), PartialDate(1998, 8, 15), PartialDate(1998), PartialDate(1998, 8), PartialDate(1997)]
    assert sorted(dates) == [
        PartialDate(1997),
        PartialDate(1998),
        PartialDate(1998, 8),
        PartialDate(1998, 8, 15),
        PartialDate(1998, 9),
    ]
    assert PartialDate(1998) <= PartialDate(1998) and PartialDate(1999) > PartialDate(1998, 12, 31)
    assert PartialDate(1998, 1) >= PartialDate(1998)
    assert len({PartialDate(1998), PartialDate(1998)}) == 1


partial_dates = st.dates(min_value=datetime.date(1, 1, 1)).flatmap(
    lambda d: st.sampled_from([PartialDate(d.year, d.month, d.day), PartialDate(d.year, d.month), PartialDate(d.year)])
)


@given(partial_dates)
def test_every_form_round_trips(date: PartialDate) -> None:
    assert PartialDate.parse_card(date.card()) == date
    assert PartialDate.parse_iso(date.iso()) == date
    assert PartialDate.parse_any(date.display()) == date
    assert PartialDate.parse_any(date.iso()) == date
    assert PartialDate.parse_any(date.card()) == date
    assert date.earliest() <= date.latest()


@given(st.text(max_size=12))
def test_random_text_gives_value_error_only(text: str) -> None:
    for parse in (PartialDate.parse_card, PartialDate.parse_iso, PartialDate.parse_any):
        try:
            date = parse(text)
        except ValueError:
            continue
        assert PartialDate.parse_any(date.display()) == date
