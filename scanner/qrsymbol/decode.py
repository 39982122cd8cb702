"""Decode a QR symbol from soft module values: format info, unmasking, RS with erasures, bit-stream parsing.

``decode_modules(dark)`` takes an n×n array of "darkness" values in [0, 1] (1 = surely dark, 0 = surely light,
0.5 = no idea), as sampled from a blurry 1–2 px/module image, and returns the payload or None. It must never
return a wrong payload, so every step that guesses is guarded:

* format information: soft maximum-likelihood among the 32 codes over both copies, with a distance bound and a
  margin over the runner-up (:func:`scanner.qrsymbol.symbol.read_format`);
* each RS block is decoded from the hard decisions first; if that fails, the k codewords most likely wrong
  (:func:`codeword_reliability`) are erased for k = 2, 4, … up to nsym - 4 (generalised minimum distance
  decoding, about nsym/2 attempts); a decode is accepted only if
  :func:`scanner.qrsymbol.rs.miscorrection_log2` — the chance that a block damaged beyond repair would be
  "corrected" into a wrong codeword with the same numbers of errors and erasures — is at most
  2^:data:`MAX_MISCORRECTION_LOG2`;
* the data bit stream must parse cleanly up to the end: known modes only, digit/character values in range,
  segments inside the data, terminator and zero bits to the byte boundary, then the 0xEC/0x11 pad alternation.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Final

import numpy as np

from scanner.qrsymbol.rs import miscorrection_log2, rs_correct, rs_syndromes
from scanner.qrsymbol.symbol import FormatRead, data_positions, mask_pattern, read_format, version_for_size
from scanner.qrsymbol.tables import block_layout, count_bits, total_codewords

#: Accept a block decode only if a random word would decode with the same counts with probability <= 2^-30
#: (~1e-9, see :func:`~scanner.qrsymbol.rs.miscorrection_log2`). In numbers: an erasure-only decode must leave
#: at least 4 EC codewords unused (each spare one is a 1-in-256 check: 2^-32); with one or two errors it is
#: 2·e + f <= nsym - 4, with five errors nsym - 2 (for 22 EC codewords); an error-only decode of a long block
#: may use the full capacity (11 errors in a 60-codeword block with 22 EC codewords: 2^-50), while the short
#: version-1 blocks keep a margin (version 1-L corrects 2 errors, not 3). A symbol decode makes at most about
#: nsym/2 + 1 attempts per block, so a block damaged beyond repair comes out silently wrong with a chance around
#: 1e-8, before the bit-stream checks, which reject most of what remains. The fixed "2·e + f <= nsym - 2" rule
#: would accept erasure-only decodes with two spare codewords: 1/65536 per attempt, too much for a camera stream
#: decoding 30 frames a second (tests/test_qrsymbol.py shows plain RS "decoding" ~20 % of random blocks then).
MAX_MISCORRECTION_LOG2: Final = -30.0
#: Codewords whose chance of being wrong is below this are never erased (hard 0/1 input gets no erasure tries).
MIN_ERASURE_PROBABILITY: Final = 1e-3

_ALNUM: Final = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_MODE_NUMERIC: Final = 0b0001
_MODE_ALNUM: Final = 0b0010
_MODE_BYTE: Final = 0b0100
_MODE_KANJI: Final = 0b1000
_MODE_ECI: Final = 0b0111


@dataclass(frozen=True, slots=True)
class SymbolRead:
    """A decoded symbol: payload bytes and how hard it was to get them.

    ``errors_corrected`` and ``erasures`` are summed over the RS blocks (erasures = codewords declared unknown
    in the accepted decodes); ``mirrored`` is True when the transposed matrix decoded (a mirrored image).
    """

    data: bytes
    version: int
    ec_level: str
    mask: int
    errors_corrected: int
    erasures: int
    mirrored: bool


def _validate(dark: np.ndarray) -> np.ndarray:
    arr = np.asarray(dark)
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
        raise ValueError(f"module matrix must be square, got shape {arr.shape}")
    version_for_size(arr.shape[0])
    if arr.dtype == bool:
        return arr.astype(np.float64)
    if not np.issubdtype(arr.dtype, np.number):
        raise ValueError(f"module values must be numbers, got {arr.dtype}")
    arr = arr.astype(np.float64)
    if not np.isfinite(arr).all():
        raise ValueError("module values must be finite")
    return np.clip(arr, 0.0, 1.0)


@functools.cache
def block_codeword_indices(version: int, ec_level: str) -> tuple[tuple[np.ndarray, int], ...]:
    """De-interleaving: per RS block, ``(indices, nsym)`` with the positions of its codewords (data, then EC)
    in the symbol's codeword sequence (the placement order of :func:`~scanner.qrsymbol.symbol.data_positions`,
    8 modules per codeword)."""
    layout = block_layout(version, ec_level)
    lengths = layout.block_data_lengths
    nsym = layout.ec_per_block
    nblocks = len(lengths)
    positions: list[list[int]] = [[] for _ in range(nblocks)]
    k = 0
    for i in range(max(lengths)):
        for b, length in enumerate(lengths):
            if i < length:
                positions[b].append(k)
                k += 1
    for _ in range(nsym):
        for b in range(nblocks):
            positions[b].append(k)
            k += 1
    assert k == layout.total_codewords
    return tuple((np.array(p, np.intp), nsym) for p in positions)


def codeword_reliability(bits: np.ndarray) -> np.ndarray:
    """Probability that each codeword's hard decision is wrong, from its 8 soft bits (shape (m, 8) → (m,)).

    Reading each value as the probability that the module is dark, bit i is wrong with ``q_i = min(d, 1-d)``
    and the codeword is wrong with ``1 - Π(1 - q_i)``. When the values are calibrated probabilities and the
    bits independent this is exact; when they are not, it is still monotone in every bit's uncertainty and at
    least the weakest bit's ``q``, so it ranks like the "weakest bit" rule but also counts a codeword with
    several doubtful bits as more doubtful than one with a single doubtful bit.
    """
    q = np.minimum(bits, 1.0 - bits)
    return 1.0 - np.prod(1.0 - q, axis=1)


def _erasure_counts(candidates: int, nsym: int) -> list[int]:
    """Increasing numbers of erasures to try: steps of 2 (1 for tiny codes) up to nsym - 4."""
    top = min(candidates, nsym - 4)
    if top <= 0:
        return []
    step = 1 if nsym < 10 else 2
    counts = list(range(step, top + 1, step))
    if counts[-1] != top:
        counts.append(top)
    return counts


def _decode_block(received: bytes, p_wrong: np.ndarray, nsym: int) -> tuple[bytes, int, int] | None:
    """(data, errors, erasures) of one block: hard decision first, then erasing the least reliable codewords."""
    n = len(received)
    synd = rs_syndromes(received, nsym)
    if not any(synd):
        return received[: n - nsym], 0, 0

    def accept(erasures: list[int]) -> tuple[bytes, int, int] | None:
        res = rs_correct(received, nsym, erasures, syndromes=synd)
        if res is None or miscorrection_log2(n, nsym, res.errors, res.erasures) > MAX_MISCORRECTION_LOG2:
            return None
        return res.data, res.errors, res.erasures

    out = accept([])
    if out is not None:
        return out
    order = np.argsort(-p_wrong, kind="stable")
    eligible = int((p_wrong >= MIN_ERASURE_PROBABILITY).sum())
    for k in _erasure_counts(eligible, nsym):
        out = accept(order[:k].tolist())
        if out is not None:
            return out
    return None


class _Bits:
    def __init__(self, data: bytes) -> None:
        self.value = int.from_bytes(data, "big")
        self.size = 8 * len(data)
        self.pos = 0

    @property
    def left(self) -> int:
        return self.size - self.pos

    def read(self, k: int) -> int:
        if k > self.left:
            raise _ParseError
        self.pos += k
        return (self.value >> (self.size - self.pos)) & ((1 << k) - 1)


class _ParseError(Exception):
    pass


def _read_numeric(bits: _Bits, count: int) -> bytes:
    out = []
    while count > 0:
        take = min(count, 3)
        value = bits.read((4, 7, 10)[take - 1])
        if value >= 10**take:
            raise _ParseError
        out.append(f"{value:0{take}d}")
        count -= take
    return "".join(out).encode("ascii")


def _read_alnum(bits: _Bits, count: int) -> bytes:
    out = []
    while count >= 2:
        value = bits.read(11)
        if value >= 45 * 45:
            raise _ParseError
        out.append(_ALNUM[value // 45] + _ALNUM[value % 45])
        count -= 2
    if count:
        value = bits.read(6)
        if value >= 45:
            raise _ParseError
        out.append(_ALNUM[value])
    return "".join(out).encode("ascii")


def _read_kanji(bits: _Bits, count: int) -> bytes:
    out = bytearray()
    for _ in range(count):
        value = bits.read(13)
        code = (value // 0xC0) << 8 | value % 0xC0
        code += 0x8140 if code < 0x1F00 else 0xC140
        out += code.to_bytes(2, "big")
    try:
        out.decode("shift_jis")
    except UnicodeDecodeError:
        raise _ParseError from None
    return bytes(out)


def _skip_eci(bits: _Bits) -> None:
    first = bits.read(8)
    if first & 0x80 == 0:
        return
    if first & 0xC0 == 0x80:
        bits.read(8)
    elif first & 0xE0 == 0xC0:
        bits.read(16)
    else:
        raise _ParseError


def parse_data(data: bytes, version: int) -> bytes | None:
    """The payload of a symbol's data codewords, or None unless the stream parses cleanly to its end.

    Numeric and alphanumeric segments give their ASCII characters, byte segments their raw bytes, kanji
    segments Shift JIS bytes; ECI designators are skipped (the bytes are kept as they are). Structured Append,
    FNC1 and unknown modes give None (a part of a message, or a format this product does not read, is not the
    text). After the terminator (or fewer than 4 zero bits at the very end) the bits up to the byte boundary
    must be 0 and the remaining codewords the 0xEC, 0x11, 0xEC, … padding. An empty payload is None.
    """
    bits = _Bits(data)
    out = bytearray()
    try:
        while True:
            if bits.left < 4:
                if bits.read(bits.left):
                    return None
                break
            mode = bits.read(4)
            if mode == 0:
                break
            if mode == _MODE_ECI:
                _skip_eci(bits)
                continue
            if mode == _MODE_NUMERIC:
                out += _read_numeric(bits, bits.read(count_bits("numeric", version)))
            elif mode == _MODE_ALNUM:
                out += _read_alnum(bits, bits.read(count_bits("alphanumeric", version)))
            elif mode == _MODE_BYTE:
                count = bits.read(count_bits("byte", version))
                out += bits.read(8 * count).to_bytes(count, "big") if count else b""
            elif mode == _MODE_KANJI:
                out += _read_kanji(bits, bits.read(count_bits("kanji", version)))
            else:
                return None
        if bits.pos % 8 and bits.read(8 - bits.pos % 8):
            return None
        for i in range(bits.pos // 8, len(data)):
            if data[i] != (0xEC if (i - bits.pos // 8) % 2 == 0 else 0x11):
                return None
    except _ParseError:
        return None
    return bytes(out) if out else None


def _decode_oriented(dark: np.ndarray, fmt: FormatRead, mirrored: bool) -> SymbolRead | None:
    n = dark.shape[0]
    # The grid size fixes the layout: the version field (read_version) could only disagree with it, in which
    # case the n-implied version is the one to try anyway, so it is not read here.
    version = version_for_size(n)
    rows, cols = data_positions(version)
    ncw = total_codewords(version)
    rows, cols = rows[: 8 * ncw], cols[: 8 * ncw]
    values = dark[rows, cols]
    flip = mask_pattern(fmt.mask, n)[rows, cols]
    soft = np.where(flip, 1.0 - values, values).reshape(ncw, 8)
    codewords = np.packbits(soft > 0.5, axis=1)[:, 0]
    p_wrong = codeword_reliability(soft)

    data = bytearray()
    errors = erasures = 0
    for idx, nsym in block_codeword_indices(version, fmt.ec_level):
        block = _decode_block(codewords[idx].tobytes(), p_wrong[idx], nsym)
        if block is None:
            return None
        data += block[0]
        errors += block[1]
        erasures += block[2]
    payload = parse_data(bytes(data), version)
    if payload is None:
        return None
    return SymbolRead(payload, version, fmt.ec_level, fmt.mask, errors, erasures, mirrored)


def decode_modules(dark: np.ndarray) -> SymbolRead | None:
    """Decode an n×n array of module darkness values (n = 17 + 4·version) into its payload, or None.

    ``dark[row, col]`` in [0, 1] (bools are accepted; values outside [0, 1] are clipped). Raises ValueError
    for a matrix that is not square, not a QR size, or has non-finite values. If the matrix as given does not
    decode, its transpose is tried once (a mirrored camera image); the orientation whose format information
    reads better goes first.
    """
    arr = _validate(dark)
    tries = []
    for mirrored, matrix in ((False, arr), (True, np.ascontiguousarray(arr.T))):
        fmt = read_format(matrix)
        if fmt is not None:
            tries.append((fmt.distance, mirrored, matrix, fmt))
    tries.sort(key=lambda t: (t[0], t[1]))
    for _, mirrored, matrix, fmt in tries:
        result = _decode_oriented(matrix, fmt, mirrored)
        if result is not None:
            return result
    return None
