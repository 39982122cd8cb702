"""Constant tables of QR Code model 2 (ISO/IEC 18004): block structure, alignment centres, format/version codes.

Coordinates elsewhere in this package are ``[row, col]``; here only plain numbers live.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

EC_LEVELS: Final = ("L", "M", "Q", "H")
#: The two EC-level bits of the format information (L=01, M=00, Q=11, H=10).
EC_LEVEL_BITS: Final[dict[str, int]] = {"L": 1, "M": 0, "Q": 3, "H": 2}
FORMAT_MASK: Final = 0x5412
FORMAT_GENERATOR: Final = 0x537  # x^10 + x^8 + x^5 + x^4 + x^2 + x + 1
VERSION_GENERATOR: Final = 0x1F25  # x^12 + x^11 + x^10 + x^9 + x^8 + x^5 + x^2 + 1


@dataclass(frozen=True, slots=True)
class BlockLayout:
    """Error-correction structure of one (version, EC level).

    ``groups`` lists ``(count, data codewords per block)`` in symbol order (the shorter blocks come first);
    every block carries ``ec_per_block`` EC codewords.
    """

    ec_per_block: int
    groups: tuple[tuple[int, int], ...]

    @property
    def block_data_lengths(self) -> tuple[int, ...]:
        return tuple(data for count, data in self.groups for _ in range(count))

    @property
    def num_blocks(self) -> int:
        return sum(count for count, _ in self.groups)

    @property
    def data_codewords(self) -> int:
        return sum(count * data for count, data in self.groups)

    @property
    def total_codewords(self) -> int:
        return self.data_codewords + self.num_blocks * self.ec_per_block


# One line per version: "EC count×data ..." for L | M | Q | H, then "; alignment centres" (ISO/IEC 18004 Table 9
# and Annex E; the same numbers as zxing's Version.java).
_TABLE: Final = """
7 1x19 | 10 1x16 | 13 1x13 | 17 1x9 ;
10 1x34 | 16 1x28 | 22 1x22 | 28 1x16 ; 6 18
15 1x55 | 26 1x44 | 18 2x17 | 22 2x13 ; 6 22
20 1x80 | 18 2x32 | 26 2x24 | 16 4x9 ; 6 26
26 1x108 | 24 2x43 | 18 2x15 2x16 | 22 2x11 2x12 ; 6 30
18 2x68 | 16 4x27 | 24 4x19 | 28 4x15 ; 6 34
20 2x78 | 18 4x31 | 18 2x14 4x15 | 26 4x13 1x14 ; 6 22 38
24 2x97 | 22 2x38 2x39 | 22 4x18 2x19 | 26 4x14 2x15 ; 6 24 42
30 2x116 | 22 3x36 2x37 | 20 4x16 4x17 | 24 4x12 4x13 ; 6 26 46
18 2x68 2x69 | 26 4x43 1x44 | 24 6x19 2x20 | 28 6x15 2x16 ; 6 28 50
20 4x81 | 30 1x50 4x51 | 28 4x22 4x23 | 24 3x12 8x13 ; 6 30 54
24 2x92 2x93 | 22 6x36 2x37 | 26 4x20 6x21 | 28 7x14 4x15 ; 6 32 58
26 4x107 | 22 8x37 1x38 | 24 8x20 4x21 | 22 12x11 4x12 ; 6 34 62
30 3x115 1x116 | 24 4x40 5x41 | 20 11x16 5x17 | 24 11x12 5x13 ; 6 26 46 66
22 5x87 1x88 | 24 5x41 5x42 | 30 5x24 7x25 | 24 11x12 7x13 ; 6 26 48 70
24 5x98 1x99 | 28 7x45 3x46 | 24 15x19 2x20 | 30 3x15 13x16 ; 6 26 50 74
28 1x107 5x108 | 28 10x46 1x47 | 28 1x22 15x23 | 28 2x14 17x15 ; 6 30 54 78
30 5x120 1x121 | 26 9x43 4x44 | 28 17x22 1x23 | 28 2x14 19x15 ; 6 30 56 82
28 3x113 4x114 | 26 3x44 11x45 | 26 17x21 4x22 | 26 9x13 16x14 ; 6 30 58 86
28 3x107 5x108 | 26 3x41 13x42 | 30 15x24 5x25 | 28 15x15 10x16 ; 6 34 62 90
28 4x116 4x117 | 26 17x42 | 28 17x22 6x23 | 30 19x16 6x17 ; 6 28 50 72 94
28 2x111 7x112 | 28 17x46 | 30 7x24 16x25 | 24 34x13 ; 6 26 50 74 98
30 4x121 5x122 | 28 4x47 14x48 | 30 11x24 14x25 | 30 16x15 14x16 ; 6 30 54 78 102
30 6x117 4x118 | 28 6x45 14x46 | 30 11x24 16x25 | 30 30x16 2x17 ; 6 28 54 80 106
26 8x106 4x107 | 28 8x47 13x48 | 30 7x24 22x25 | 30 22x15 13x16 ; 6 32 58 84 110
28 10x114 2x115 | 28 19x46 4x47 | 28 28x22 6x23 | 30 33x16 4x17 ; 6 30 58 86 114
30 8x122 4x123 | 28 22x45 3x46 | 30 8x23 26x24 | 30 12x15 28x16 ; 6 34 62 90 118
30 3x117 10x118 | 28 3x45 23x46 | 30 4x24 31x25 | 30 11x15 31x16 ; 6 26 50 74 98 122
30 7x116 7x117 | 28 21x45 7x46 | 30 1x23 37x24 | 30 19x15 26x16 ; 6 30 54 78 102 126
30 5x115 10x116 | 28 19x47 10x48 | 30 15x24 25x25 | 30 23x15 25x16 ; 6 26 52 78 104 130
30 13x115 3x116 | 28 2x46 29x47 | 30 42x24 1x25 | 30 23x15 28x16 ; 6 30 56 82 108 134
30 17x115 | 28 10x46 23x47 | 30 10x24 35x25 | 30 19x15 35x16 ; 6 34 60 86 112 138
30 17x115 1x116 | 28 14x46 21x47 | 30 29x24 19x25 | 30 11x15 46x16 ; 6 30 58 86 114 142
30 13x115 6x116 | 28 14x46 23x47 | 30 44x24 7x25 | 30 59x16 1x17 ; 6 34 62 90 118 146
30 12x121 7x122 | 28 12x47 26x48 | 30 39x24 14x25 | 30 22x15 41x16 ; 6 30 54 78 102 126 150
30 6x121 14x122 | 28 6x47 34x48 | 30 46x24 10x25 | 30 2x15 64x16 ; 6 24 50 76 102 128 154
30 17x122 4x123 | 28 29x46 14x47 | 30 49x24 10x25 | 30 24x15 46x16 ; 6 28 54 80 106 132 158
30 4x122 18x123 | 28 13x46 32x47 | 30 48x24 14x25 | 30 42x15 32x16 ; 6 32 58 84 110 136 162
30 20x117 4x118 | 28 40x47 7x48 | 30 43x24 22x25 | 30 10x15 67x16 ; 6 26 54 82 110 138 166
30 19x118 6x119 | 28 18x47 31x48 | 30 34x24 34x25 | 30 20x15 61x16 ; 6 30 58 86 114 142 170
"""


def _parse_table() -> tuple[dict[tuple[int, str], BlockLayout], dict[int, tuple[int, ...]]]:
    layouts: dict[tuple[int, str], BlockLayout] = {}
    centres: dict[int, tuple[int, ...]] = {}
    lines = [line for line in _TABLE.strip().splitlines() if line.strip()]
    for version, line in enumerate(lines, start=1):
        blocks_text, align_text = line.split(";")
        for level, part in zip(EC_LEVELS, blocks_text.split("|"), strict=True):
            ec, *groups = part.split()
            pairs = tuple((int(c), int(d)) for c, d in (g.split("x") for g in groups))
            layouts[version, level] = BlockLayout(int(ec), pairs)
        centres[version] = tuple(int(x) for x in align_text.split())
    return layouts, centres


_LAYOUTS, ALIGNMENT_CENTRES = _parse_table()


def block_layout(version: int, ec_level: str) -> BlockLayout:
    """The EC block structure of ``version`` (1..40) at ``ec_level`` ("L", "M", "Q" or "H")."""
    try:
        return _LAYOUTS[version, ec_level]
    except KeyError:
        raise ValueError(f"no QR version {version!r} / EC level {ec_level!r}") from None


def total_codewords(version: int) -> int:
    """Codewords (data + EC) in a symbol of ``version``; the same for every EC level."""
    return block_layout(version, "L").total_codewords


def alignment_centres(version: int) -> tuple[int, ...]:
    """Row/column coordinates of alignment pattern centres (every pair not under a finder pattern is used)."""
    if version not in ALIGNMENT_CENTRES:
        raise ValueError(f"no QR version {version!r}")
    return ALIGNMENT_CENTRES[version]


def _bch_remainder(value: int, generator: int, degree: int) -> int:
    rem = value << degree
    top = generator.bit_length() - 1
    for bit in range(rem.bit_length() - 1, top - 1, -1):
        if rem >> bit & 1:
            rem ^= generator << (bit - top)
    return rem


def format_code(ec_level: str, mask: int) -> int:
    """The 15 format-information bits (after the 0x5412 XOR) of ``ec_level`` and ``mask`` (0..7)."""
    if ec_level not in EC_LEVEL_BITS or not 0 <= mask <= 7:
        raise ValueError(f"bad format {ec_level!r}/{mask!r}")
    data = EC_LEVEL_BITS[ec_level] << 3 | mask
    return (data << 10 | _bch_remainder(data, FORMAT_GENERATOR, 10)) ^ FORMAT_MASK


def version_code(version: int) -> int:
    """The 18 version-information bits of ``version`` (7..40): 6 version bits then the (18, 6) BCH remainder."""
    if not 7 <= version <= 40:
        raise ValueError(f"version information exists for versions 7..40, not {version!r}")
    return version << 12 | _bch_remainder(version, VERSION_GENERATOR, 12)


#: All 32 valid format codes as ``(code, ec_level, mask)``.
FORMAT_CODES: Final[tuple[tuple[int, str, int], ...]] = tuple(
    (format_code(level, mask), level, mask) for level in EC_LEVELS for mask in range(8)
)
#: All 34 valid version codes as ``(code, version)``.
VERSION_CODES: Final[tuple[tuple[int, int], ...]] = tuple((version_code(v), v) for v in range(7, 41))

#: Character-count indicator lengths per mode for versions 1-9, 10-26, 27-40.
COUNT_BITS: Final[dict[str, tuple[int, int, int]]] = {
    "numeric": (10, 12, 14),
    "alphanumeric": (9, 11, 13),
    "byte": (8, 16, 16),
    "kanji": (8, 10, 12),
}


def count_bits(mode: str, version: int) -> int:
    """Length of the character-count indicator of ``mode`` in a symbol of ``version``."""
    return COUNT_BITS[mode][0 if version <= 9 else 1 if version <= 26 else 2]
