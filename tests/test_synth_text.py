"""The synthetic card prints its Vietnamese text with the diacritics (the demo camera shows a believable card)."""

from __future__ import annotations

import numpy as np
import pytest

import scanner.sources  # noqa: F401  (import order of the stand-ins)
from scanner.standins import synth

pytestmark = pytest.mark.skipif(not synth.has_vietnamese_font(), reason="no TrueType font with Vietnamese letters")


def ink_rows(text: str) -> np.ndarray:
    canvas = np.full((120, 600, 3), 255, np.uint8)
    synth._text(canvas, text, (10, 90), 2.0, (0, 0, 0), 3, synth._FONT_BOLD)
    return np.where((canvas < 128).any(axis=(1, 2)))[0]


def test_marks_above_and_below_capitals_are_printed() -> None:
    plain, marked = ink_rows("CONG HOA"), ink_rows("CỘNG HÒA")
    assert marked.min() < plain.min() - 3  # the circumflex above Ộ, the grave above Ò
    assert marked.max() > plain.max() + 2  # the dot below Ộ


def test_the_card_says_cong_hoa_with_its_marks() -> None:
    card = synth.render_card(synth.SAMPLE_PAYLOAD, width_px=1200)
    folded = card.copy()
    # the same card drawn with the ASCII fallback differs where the marks are
    original = synth._truetype
    try:
        synth._truetype = lambda bold, size: None  # type: ignore[assignment]
        synth._card_pyramid.cache_clear()
        folded = synth.render_card(synth.SAMPLE_PAYLOAD, width_px=1200)
    finally:
        synth._truetype = original  # type: ignore[assignment]
        synth._card_pyramid.cache_clear()
    assert card.shape == folded.shape and np.abs(card.astype(int) - folded.astype(int)).mean() > 0.5
