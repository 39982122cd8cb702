"""ReadConfirmer: valid cards at once, other texts after N sightings, hold-off against repeats (fake clock)."""

from __future__ import annotations

import pytest

from scanner.confirm import ReadConfirmer

CARD = "card-ok"


def validator(text: str) -> bool:
    return text.startswith("card-ok")


def test_valid_card_is_accepted_at_once_and_only_once_while_in_view() -> None:
    c = ReadConfirmer(min_frames=2, holdoff_s=5.0, validator=validator)
    assert c.offer(CARD, 0.0) is True
    # still in front of the camera for 20 s: one read
    assert not any(c.offer(CARD, t / 10) for t in range(1, 200))
    assert c.is_held(CARD, 19.9)


def test_same_card_shown_again_after_the_holdoff_is_a_new_read() -> None:
    c = ReadConfirmer(min_frames=2, holdoff_s=5.0, validator=validator)
    assert c.offer(CARD, 0.0)
    assert not c.offer(CARD, 1.0)
    assert not c.offer(CARD, 5.9)  # 4.9 s after the last sighting
    assert c.offer(CARD, 11.0)  # away for 5.1 s
    assert not c.is_held("other", 11.0)


def test_other_text_needs_min_frames_within_the_window() -> None:
    c = ReadConfirmer(min_frames=3, holdoff_s=5.0, validator=validator, window_s=1.0)
    assert not c.offer("https://x.example", 0.0)
    assert not c.offer("https://x.example", 0.5)
    assert c.offer("https://x.example", 0.9)
    assert not c.offer("https://x.example", 1.0)  # held off now


def test_sightings_outside_the_window_do_not_count() -> None:
    c = ReadConfirmer(min_frames=2, holdoff_s=5.0, window_s=1.0)
    assert not c.offer("maybe", 0.0)
    assert not c.offer("maybe", 2.0)  # the first sighting is too old
    assert c.offer("maybe", 2.5)


def test_min_frames_one_accepts_anything_at_once() -> None:
    c = ReadConfirmer(min_frames=1, holdoff_s=0.0)
    assert c.offer("a", 0.0)
    assert c.offer("a", 0.1)  # no hold-off


def test_different_texts_are_independent() -> None:
    c = ReadConfirmer(min_frames=2, validator=validator)
    assert c.offer("card-ok-1", 0.0)
    assert c.offer("card-ok-2", 0.1)
    assert not c.offer("x", 0.2)
    assert c.offer("x", 0.3)


def test_reset_forgets_everything() -> None:
    c = ReadConfirmer(validator=validator)
    assert c.offer(CARD, 0.0)
    c.reset()
    assert c.offer(CARD, 0.1)


def test_validator_errors_count_as_not_valid() -> None:
    def broken(text: str) -> bool:
        raise RuntimeError("bug")

    c = ReadConfirmer(min_frames=2, validator=broken)
    assert not c.offer("x", 0.0)
    assert c.offer("x", 0.1)


def test_empty_or_non_text_is_never_accepted() -> None:
    c = ReadConfirmer(min_frames=1)
    assert not c.offer("", 0.0)
    assert not c.offer(None, 0.0)  # type: ignore[arg-type]


@pytest.mark.parametrize("kwargs", [{"min_frames": 0}, {"holdoff_s": -1}, {"window_s": 0}])
def test_bad_settings(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        ReadConfirmer(**kwargs)  # type: ignore[arg-type]
