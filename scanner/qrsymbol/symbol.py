"""Geometry of a QR symbol: function patterns, data-module order, masks, format and version information.

All matrices are ``[row, col]`` with row 0 at the top, as an image; ``True``/1 means dark. The cached arrays
returned here are read-only (``copy()`` them to modify).

Soft reading: module values are "darkness" in [0, 1] (1 = surely dark, 0 = surely light, 0.5 = unknown). The
distance of a soft read to a candidate bit string is the L1 distance ``sum |dark - bit|``: for hard 0/1 values
it is the Hamming distance, an unknown module costs 0.5 for every candidate, and it obeys the triangle
inequality, so two candidates at Hamming distance d can't both be closer than d/2 to any read.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Final

import numpy as np

from scanner.qrsymbol.tables import FORMAT_CODES, VERSION_CODES, alignment_centres

#: Format information is accepted when its soft distance (over both 15-bit copies, 30 modules) to the nearest
#: valid code is at most a third of the modules ...
FORMAT_MAX_DISTANCE: Final = 10.0
#: ... and the runner-up is at least this much further away. Valid format codes differ in >= 7 bits, i.e. >= 14
#: over both copies, so a read within 6 of a code (3 wrong bits per copy) is always accepted with a margin >= 2.
#: The looser absolute bound admits reads with one copy wiped out (15 unknown modules cost 7.5) as long as the
#: other copy decides, and keeps random module values (distances around 15) out. A wrong choice costs only
#: time: the wrong mask / block structure fails Reed–Solomon decoding.
FORMAT_MIN_MARGIN: Final = 2.0
#: Version information (18 bits, codes >= 8 apart, >= 16 over both copies, 36 modules): the same rule.
VERSION_MAX_DISTANCE: Final = 12.0
VERSION_MIN_MARGIN: Final = 2.0


def symbol_size(version: int) -> int:
    if not 1 <= version <= 40:
        raise ValueError(f"QR version must be 1..40, got {version!r}")
    return 17 + 4 * version


def version_for_size(n: int) -> int:
    """The version of an n×n symbol; ValueError if n is not 17 + 4·v with 1 <= v <= 40."""
    if n < 21 or n > 177 or (n - 17) % 4:
        raise ValueError(f"{n} is not a QR symbol size (17 + 4·version, version 1..40)")
    return (n - 17) // 4


def _frozen(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


def _alignment_origins(version: int) -> list[tuple[int, int]]:
    centres = alignment_centres(version)
    n = symbol_size(version)
    out = []
    for r in centres:
        for c in centres:
            # skip the three positions overlapping a finder pattern
            if (r < 9 and c < 9) or (r < 9 and c > n - 10) or (r > n - 10 and c < 9):
                continue
            out.append((r, c))
    return out


@functools.cache
def fixed_pattern(version: int) -> tuple[np.ndarray, np.ndarray]:
    """``(known_mask, known_dark)``: where a module's value is fixed by the standard, and that value.

    Fixed are the three finder patterns with their light separators, both timing patterns, the alignment
    patterns and the single dark module next to the bottom-left finder. Format and version information are
    *not* fixed (they depend on EC level / mask / version); ``known_dark`` is False outside ``known_mask``.
    Both arrays are bool n×n, n = 17 + 4·version, read-only.
    """
    n = symbol_size(version)
    known = np.zeros((n, n), bool)
    dark = np.zeros((n, n), bool)
    finder = np.zeros((7, 7), bool)
    finder[[0, 6], :] = True
    finder[:, [0, 6]] = True
    finder[2:5, 2:5] = True
    for r0, c0 in ((0, 0), (0, n - 7), (n - 7, 0)):
        # finder plus separator: an 8×8 square clipped to the symbol
        rs, cs = slice(max(r0 - 1, 0), min(r0 + 8, n)), slice(max(c0 - 1, 0), min(c0 + 8, n))
        known[rs, cs] = True
        dark[rs, cs] = False
        dark[r0 : r0 + 7, c0 : c0 + 7] = finder
    # timing patterns between the separators
    known[6, 8 : n - 8] = True
    dark[6, 8 : n - 8] = np.arange(8, n - 8) % 2 == 0
    known[8 : n - 8, 6] = True
    dark[8 : n - 8, 6] = np.arange(8, n - 8) % 2 == 0
    align = np.ones((5, 5), bool)
    align[1:4, 1:4] = False
    align[2, 2] = True
    for r, c in _alignment_origins(version):
        known[r - 2 : r + 3, c - 2 : c + 3] = True
        dark[r - 2 : r + 3, c - 2 : c + 3] = align
    known[n - 8, 8] = True
    dark[n - 8, 8] = True
    return _frozen(known), _frozen(dark)


@functools.cache
def format_positions(n: int) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Module coordinates of the two format-information copies: ``((rows, cols), (rows, cols))``.

    Element i of each copy holds bit i of the 15-bit format code (bit 0 = least significant).
    """
    first = [(i, 8) for i in range(6)] + [(7, 8), (8, 8), (8, 7)] + [(8, 14 - i) for i in range(9, 15)]
    second = [(8, n - 1 - i) for i in range(8)] + [(n - 15 + i, 8) for i in range(8, 15)]
    out = []
    for copy in (first, second):
        rows = _frozen(np.array([r for r, _ in copy], np.intp))
        cols = _frozen(np.array([c for _, c in copy], np.intp))
        out.append((rows, cols))
    return out[0], out[1]


@functools.cache
def version_positions(n: int) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Module coordinates of the two version-information copies (bit i = bit i of the 18-bit code).

    The first copy is the 6×3 block left of the top-right finder (rows 0-5, cols n-11..n-9), the second its
    transpose above the bottom-left finder (rows n-11..n-9, cols 0-5). Only versions >= 7 have them.
    """
    idx = np.arange(18, dtype=np.intp)
    near = _frozen(idx // 3)  # 0..5
    far = _frozen(n - 11 + idx % 3)  # n-11..n-9
    return (near, far), (far, near)


@functools.cache
def function_modules(version: int) -> tuple[np.ndarray, np.ndarray]:
    """``(function_mask, known_dark)`` of a symbol of ``version`` (bool n×n, read-only).

    ``function_mask`` is True on every module that carries no data: finder patterns and separators, timing
    patterns, alignment patterns, the dark module, both format-information areas and (version >= 7) both
    version-information areas. ``known_dark`` is the fixed value of the modules for which one exists — exactly
    where :func:`fixed_pattern`'s ``known_mask`` is True; on format/version areas it is False and meaningless.
    """
    known, dark = fixed_pattern(version)
    n = known.shape[0]
    func = known.copy()
    for rows, cols in format_positions(n):
        func[rows, cols] = True
    if version >= 7:
        for rows, cols in version_positions(n):
            func[rows, cols] = True
    return _frozen(func), dark


@functools.cache
def data_positions(version: int) -> tuple[np.ndarray, np.ndarray]:
    """``(rows, cols)`` of the data modules in placement order (the two-column zigzag from the bottom right).

    Includes the remainder bits at the end (0, 3, 4 or 7 of them, never part of a codeword).
    """
    func, _ = function_modules(version)
    n = func.shape[0]
    rows: list[int] = []
    cols: list[int] = []
    right = n - 1
    while right >= 1:
        if right == 6:  # the vertical timing pattern shifts the column pairs by one
            right = 5
        upward = ((right + 1) & 2) == 0
        for vert in range(n):
            r = n - 1 - vert if upward else vert
            for c in (right, right - 1):
                if not func[r, c]:
                    rows.append(r)
                    cols.append(c)
        right -= 2
    return _frozen(np.array(rows, np.intp)), _frozen(np.array(cols, np.intp))


@functools.cache
def mask_pattern(mask: int, n: int) -> np.ndarray:
    """Bool n×n: True where data mask ``mask`` (0..7) inverts the module (function modules included)."""
    if not 0 <= mask <= 7:
        raise ValueError(f"mask must be 0..7, got {mask!r}")
    r, c = np.indices((n, n))
    conditions = (
        (r + c) % 2 == 0,
        r % 2 == 0,
        c % 3 == 0,
        (r + c) % 3 == 0,
        (r // 2 + c // 3) % 2 == 0,
        (r * c) % 2 + (r * c) % 3 == 0,
        ((r * c) % 2 + (r * c) % 3) % 2 == 0,
        ((r + c) % 2 + (r * c) % 3) % 2 == 0,
    )
    return _frozen(conditions[mask])


@dataclass(frozen=True, slots=True)
class FormatRead:
    """A format-information read: EC level, mask, soft distance to that code and to the runner-up."""

    ec_level: str
    mask: int
    distance: float
    runner_up: float


def _bits(code: int, length: int) -> np.ndarray:
    return (code >> np.arange(length)) & 1


_FORMAT_BITS: Final = np.array([_bits(code, 15) for code, _, _ in FORMAT_CODES], np.float64)
_VERSION_BITS: Final = np.array([_bits(code, 18) for code, _ in VERSION_CODES], np.float64)


def _soft_ml(dark: np.ndarray, copies: tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]],
             codes: np.ndarray) -> tuple[int, float, float]:
    """The code (row of ``codes``) nearest to both copies' module values at once: (index, L1 distance, runner-up's)."""
    (r1, c1), (r2, c2) = copies
    values = np.concatenate([dark[r1, c1], dark[r2, c2]]).astype(np.float64)
    distances = np.abs(values[None, :] - np.concatenate([codes, codes], axis=1)).sum(axis=1)
    order = np.argsort(distances, kind="stable")
    return int(order[0]), float(distances[order[0]]), float(distances[order[1]])


def read_format(dark: np.ndarray) -> FormatRead | None:
    """Soft maximum-likelihood format information from both copies, or None when no code is close enough.

    The 32 valid codes are compared with the 30 module values of both copies at once (L1 distance); the
    nearest is returned if it lies within :data:`FORMAT_MAX_DISTANCE` and beats the runner-up by at least
    :data:`FORMAT_MIN_MARGIN`.
    """
    best, distance, runner_up = _soft_ml(dark, format_positions(dark.shape[0]), _FORMAT_BITS)
    if distance > FORMAT_MAX_DISTANCE or runner_up - distance < FORMAT_MIN_MARGIN:
        return None
    _, level, mask = FORMAT_CODES[best]
    return FormatRead(level, mask, distance, runner_up)


def read_version(dark: np.ndarray) -> int | None:
    """Soft maximum-likelihood version information (both copies) of a symbol of size >= 45, else None.

    Returns the version it encodes if one code is within :data:`VERSION_MAX_DISTANCE` with a margin of
    :data:`VERSION_MIN_MARGIN` over the runner-up; the caller checks it against the size.
    """
    n = dark.shape[0]
    if n < 45:
        return None
    best, distance, runner_up = _soft_ml(dark, version_positions(n), _VERSION_BITS)
    if distance > VERSION_MAX_DISTANCE or runner_up - distance < VERSION_MIN_MARGIN:
        return None
    return VERSION_CODES[best][1]
