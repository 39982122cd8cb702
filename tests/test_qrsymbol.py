"""The soft-decision QR symbol decoder (scanner.qrsymbol) against symbols from OpenCV's encoder."""

from __future__ import annotations

import functools
import math

import numpy as np
import pytest

from scanner.qrsymbol.symbol import (
    data_positions,
    fixed_pattern,
    function_modules,
    read_format,
    read_version,
    symbol_size,
    version_for_size,
)
from scanner.qrsymbol.tables import (
    EC_LEVELS,
    VERSION_CODES,
    alignment_centres,
    block_layout,
    format_code,
    total_codewords,
)
from scanner.synth import SAMPLE_PAYLOAD, qr_modules, random_payload

# OpenCV's encoder draws version 21 wrongly (a dark module in the top-right separator; zxing-cpp can't read it
# either), so no test text lands there.
_OPENCV_BAD_VERSIONS = {21}


@functools.cache
def _symbol(text: str, level: str) -> np.ndarray:
    m = qr_modules(text, level)
    m.setflags(write=False)
    return m


def _version(m: np.ndarray) -> int:
    return (m.shape[0] - 17) // 4


@functools.cache
def _by_version() -> dict[int, tuple[str, str]]:
    """One (text, level) per version reachable with cut or repeated payloads: versions 1..~18."""
    rng = np.random.default_rng(7)
    out: dict[int, tuple[str, str]] = {}
    for i in range(40):
        base = random_payload(rng)
        text = base[: 4 + 9 * i] if i < 10 else base * (1 + i % 4)
        level = EC_LEVELS[i % 4]
        m = _symbol(text, level)
        v = _version(m)
        if v not in _OPENCV_BAD_VERSIONS:
            out.setdefault(v, (text, level))
    return out


# ----------------------------------------------------------------------------------------------------- tables


def test_block_tables_fill_the_symbol_exactly() -> None:
    for v in range(1, 41):
        func, _ = function_modules(v)
        raw_modules = int((~func).sum())
        assert len(data_positions(v)[0]) == raw_modules
        assert total_codewords(v) == raw_modules // 8
        assert raw_modules % 8 in (0, 3, 4, 7)  # the remainder bits of the standard
        for level in EC_LEVELS:
            layout = block_layout(v, level)
            assert layout.total_codewords == total_codewords(v)
            lengths = layout.block_data_lengths
            assert list(lengths) == sorted(lengths) and max(lengths) - min(lengths) <= 1


def test_alignment_centres_follow_the_standard_spacing() -> None:
    assert alignment_centres(1) == ()
    for v in range(2, 41):
        n = symbol_size(v)
        count = v // 7 + 2
        step = 26 if v == 32 else math.ceil((4 * v + 4) / (2 * count - 2)) * 2
        assert alignment_centres(v) == (6, *sorted(n - 7 - i * step for i in range(count - 1)))


def test_format_and_version_codes() -> None:
    # ISO/IEC 18004 Annex C/D examples and zxing's VERSION_DECODE_INFO
    assert format_code("M", 5) == 0b100000011001110
    assert format_code("L", 0) == 0x77C4
    assert VERSION_CODES[0] == (0x07C94, 7)
    assert VERSION_CODES[-1] == (0x28C69, 40)
    codes = [format_code(level, mask) for level in EC_LEVELS for mask in range(8)]
    assert min(bin(a ^ b).count("1") for i, a in enumerate(codes) for b in codes[i + 1 :]) == 7
    vcodes = [c for c, _ in VERSION_CODES]
    assert min(bin(a ^ b).count("1") for i, a in enumerate(vcodes) for b in vcodes[i + 1 :]) == 8


def test_symbol_size_checks() -> None:
    assert version_for_size(21) == 1 and version_for_size(177) == 40
    for bad in (20, 22, 17, 181):
        with pytest.raises(ValueError):
            version_for_size(bad)


# ------------------------------------------------------------------------------------------ function patterns


def test_fixed_pattern_matches_the_encoder() -> None:
    assert len(_by_version()) >= 15
    for v, (text, level) in _by_version().items():
        m = _symbol(text, level)
        known, dark = fixed_pattern(v)
        assert known.shape == dark.shape == m.shape == (symbol_size(v),) * 2
        assert np.array_equal(m[known], dark[known]), v
        assert not dark[~known].any()
        func, known_dark = function_modules(v)
        assert np.array_equal(known_dark, dark)
        assert (func >= known).all()  # every fixed module is a function module
        # finders, timing and the dark module are where the standard says
        n = m.shape[0]
        assert dark[0, :7].all() and dark[n - 7, :7].all() and not dark[7, :8].any()
        assert dark[n - 8, 8] and known[6, 8:-8].all()


def test_fixed_pattern_is_read_only_and_cached() -> None:
    known, _ = fixed_pattern(8)
    assert fixed_pattern(8)[0] is known
    with pytest.raises(ValueError):
        known[0, 0] = False


def test_format_and_version_read_from_encoder_symbols() -> None:
    for v, (text, level) in _by_version().items():
        m = _symbol(text, level).astype(np.float64)
        fmt = read_format(m)
        assert fmt is not None and fmt.ec_level == level and fmt.distance == 0
        assert read_version(m) == (v if v >= 7 else None)
    assert read_format(_symbol(SAMPLE_PAYLOAD, "M").astype(np.float64)) is not None
