import pytest
from hypothesis import given
from hypothesis import strategies as st

from scanner.masking import mask_id, mask_name


def test_mask_id_example() -> None:
    assert mask_id("027195001234") == "••••••••1234"
    assert mask_id("027195001234", visible=2) == "••••••••••34"
    assert mask_id("DN401AA31900313") == "•••••••••••0313"
    assert mask_id("027195001234", visible=0) == "••••••••••••"


def test_short_numbers_are_masked_completely() -> None:
    assert mask_id("1234") == "••••"
    assert mask_id("12") == "••"
    assert mask_id("") == ""


def test_negative_visible_is_rejected() -> None:
    with pytest.raises(ValueError):
        mask_id("027195001234", visible=-1)


@given(st.text(max_size=20), st.integers(min_value=0, max_value=8))
def test_mask_keeps_length_and_hides_the_head(number: str, visible: int) -> None:
    masked = mask_id(number, visible)
    assert len(masked) == len(number)
    shown = visible if len(number) > visible else 0
    assert masked[: len(number) - shown] == "•" * (len(number) - shown)
    if len(number) > visible > 0:
        assert masked.endswith(number[-visible:])


def test_mask_name_gives_initials() -> None:
    assert mask_name("Nguyễn Thị Minh Châu") == "N. T. M. C."
    assert mask_name("  Lê   Hưng ") == "L. H."
    assert mask_name("") == ""
