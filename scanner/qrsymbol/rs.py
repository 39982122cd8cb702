"""Reed–Solomon codes over GF(256) as QR uses them: errors-and-erasures decoding of one block.

Field: primitive polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11d), generator α = 2. Code: generator polynomial
g(x) = (x - α^0)(x - α^1)…(x - α^(nsym-1)) (first consecutive root α^0). A block is the list of codewords
``c[0..n-1]`` with ``c[0]`` the highest-degree coefficient, the last ``nsym`` being the EC codewords; position
``i`` has error locator ``X = α^(n-1-i)``.

Decoding: syndromes, erasure locator Γ(x), Berlekamp–Massey started from Γ (errors-and-erasures variant),
Chien search, Forney's formula; the result is accepted only if the errata locator has exactly as many roots
inside the block as its degree, ``2·errors + erasures <= nsym``, and the corrected word's syndromes are all
zero. Syndromes and the Chien search are vectorised with numpy; the polynomial algebra is on small Python
lists of log/exp-table lookups.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

PRIMITIVE: Final = 0x11D


def _build_tables() -> tuple[list[int], list[int]]:
    exp = [0] * 512
    log = [0] * 256
    x = 1
    for i in range(255):
        exp[i] = x
        log[x] = i
        x <<= 1
        if x & 0x100:
            x ^= PRIMITIVE
    for i in range(255, 512):
        exp[i] = exp[i - 255]
    return exp, log


#: ``EXP[i] = α^i`` for i in 0..511 (doubled so that a sum of two logs needs no modulo); ``LOG[a]`` for a != 0.
EXP, LOG = _build_tables()
_EXP_NP: Final = np.array(EXP, np.int64)
_LOG_NP: Final = np.array(LOG, np.int64)


def gf_mul(a: int, b: int) -> int:
    if a == 0 or b == 0:
        return 0
    return EXP[LOG[a] + LOG[b]]


def gf_div(a: int, b: int) -> int:
    if b == 0:
        raise ZeroDivisionError("division by zero in GF(256)")
    if a == 0:
        return 0
    return EXP[(LOG[a] - LOG[b]) % 255]


def gf_inv(a: int) -> int:
    return gf_div(1, a)


def gf_pow(a: int, e: int) -> int:
    if a == 0:
        return 1 if e == 0 else 0
    return EXP[(LOG[a] * e) % 255]


def _poly_mul(p: Sequence[int], q: Sequence[int]) -> list[int]:
    """Product of two polynomials (any consistent coefficient order)."""
    out = [0] * (len(p) + len(q) - 1)
    for i, a in enumerate(p):
        if a == 0:
            continue
        la = LOG[a]
        for j, b in enumerate(q):
            if b:
                out[i + j] ^= EXP[la + LOG[b]]
    return out


@functools.cache
def generator_poly(nsym: int) -> tuple[int, ...]:
    """g(x) = ∏_{j<nsym} (x - α^j), highest-degree coefficient first (monic)."""
    if not 1 <= nsym <= 254:
        raise ValueError(f"nsym must be 1..254, got {nsym!r}")
    g = [1]
    for j in range(nsym):
        g = _poly_mul(g, [1, EXP[j]])
    return tuple(g)


def rs_encode(data: bytes | Sequence[int], nsym: int) -> bytes:
    """``data`` followed by its ``nsym`` EC codewords (systematic encoding, as in QR)."""
    g = generator_poly(nsym)
    if len(data) + nsym > 255:
        raise ValueError("a GF(256) Reed–Solomon block holds at most 255 codewords")
    rem = [0] * nsym
    for byte in data:
        factor = byte ^ rem[0]
        rem = [*rem[1:], 0]
        if factor:
            lf = LOG[factor]
            for j in range(nsym):
                if g[j + 1]:
                    rem[j] ^= EXP[lf + LOG[g[j + 1]]]
    return bytes(data) + bytes(rem)


@functools.cache
def _syndrome_exponents(n: int, nsym: int) -> np.ndarray:
    """``E[j, i] = j·(n-1-i) mod 255``: the log of (α^j)^(n-1-i)."""
    j = np.arange(nsym, dtype=np.int64)[:, None]
    p = (n - 1 - np.arange(n, dtype=np.int64))[None, :]
    return (j * p) % 255


@functools.cache
def _chien_exponents(n: int, degree: int) -> np.ndarray:
    """``C[j, i] = -j·(n-1-i) mod 255``: the log of (X_i^-1)^j."""
    j = np.arange(degree + 1, dtype=np.int64)[:, None]
    p = (n - 1 - np.arange(n, dtype=np.int64))[None, :]
    return (-j * p) % 255


def rs_syndromes(codeword: bytes | Sequence[int] | np.ndarray, nsym: int) -> list[int]:
    """``S_j = c(α^j)`` for j in 0..nsym-1; all zero iff ``codeword`` is a codeword."""
    r = np.asarray(bytearray(codeword) if isinstance(codeword, bytes | bytearray) else codeword, np.int64)
    nz = np.flatnonzero(r)
    if nz.size == 0:
        return [0] * nsym
    e = _syndrome_exponents(len(r), nsym)[:, nz] + _LOG_NP[r[nz]][None, :]
    return np.bitwise_xor.reduce(_EXP_NP[e], axis=1).tolist()


@dataclass(frozen=True, slots=True)
class RSCorrection:
    """A successful block decode: the corrected ``codeword`` (data then EC), how many errors (changed
    codewords outside the erasures) were corrected and how many erasures were given."""

    codeword: bytes
    errors: int
    erasures: int
    nsym: int

    @property
    def data(self) -> bytes:
        return self.codeword[: len(self.codeword) - self.nsym]


def rs_correct(
    codeword: bytes | Sequence[int],
    nsym: int,
    erasures: Iterable[int] = (),
    *,
    syndromes: Sequence[int] | None = None,
) -> RSCorrection | None:
    """Decode one block with errors and erasures, or None when it is not correctable.

    ``erasures`` are positions (0-based, into ``codeword``) whose values are unknown; they count once against
    the capacity, errors twice: success needs ``2·errors + len(erasures) <= nsym``. ``syndromes`` may be
    passed when the same received word is decoded repeatedly with different erasure sets. Beyond capacity
    the decoder may still return a *different* codeword (a miscorrection, always with zero syndromes); callers
    that must not be fooled bound the risk with :func:`miscorrection_log2`.
    """
    word = list(codeword)
    n = len(word)
    if not 0 < nsym < n <= 255:
        raise ValueError(f"bad block: {n} codewords, {nsym} EC codewords")
    erased = sorted(set(erasures))
    f = len(erased)
    if erased and (erased[0] < 0 or erased[-1] >= n):
        raise ValueError("erasure position outside the block")
    if f > nsym:
        return None
    synd = list(syndromes) if syndromes is not None else rs_syndromes(word, nsym)
    if len(synd) != nsym:
        raise ValueError("wrong number of syndromes")
    if not any(synd):
        return RSCorrection(bytes(word), 0, f, nsym)

    # erasure locator Γ(x) = ∏ (1 + X_k x), low order first
    gamma = [1]
    for pos in erased:
        gamma = _poly_mul(gamma, [1, EXP[n - 1 - pos]])

    # Berlekamp–Massey initialised with Γ: finds the errata locator Λ = Γ·σ of least degree
    lam = gamma[:]
    prev = gamma[:]
    length = f
    for r in range(f, nsym):
        delta = 0
        for j in range(min(len(lam), r + 1)):
            a = lam[j]
            b = synd[r - j]
            if a and b:
                delta ^= EXP[LOG[a] + LOG[b]]
        prev = [0, *prev]
        if delta == 0:
            continue
        ld = LOG[delta]
        updated = lam + [0] * (len(prev) - len(lam)) if len(prev) > len(lam) else lam[:]
        for j, b in enumerate(prev):
            if b:
                updated[j] ^= EXP[ld + LOG[b]]
        if 2 * length <= r + f:
            inv = 255 - ld
            prev = [EXP[LOG[a] + inv] if a else 0 for a in lam]
            length = r + 1 + f - length
        lam = updated
    while len(lam) > 1 and lam[-1] == 0:
        lam.pop()
    degree = len(lam) - 1
    if degree != length or 2 * (degree - f) + f > nsym:
        return None

    # Chien search: positions i with Λ(X_i^-1) = 0
    coeffs = np.array(lam, np.int64)
    nz = np.flatnonzero(coeffs)
    values = np.bitwise_xor.reduce(_EXP_NP[_chien_exponents(n, degree)[nz] + _LOG_NP[coeffs[nz]][:, None]], axis=0)
    roots = np.flatnonzero(values == 0).tolist()
    if len(roots) != degree:
        return None

    # Forney: e_k = X_k · Ω(X_k^-1) / Λ'(X_k^-1) with Ω = S·Λ mod x^nsym (first root α^0)
    omega = _poly_mul(synd, lam)[:nsym]
    deriv = [lam[j] if j % 2 == 1 else 0 for j in range(1, len(lam))]  # Λ'(x), low order first
    erased_set = set(erased)
    errors = 0
    for pos in roots:
        x_log = n - 1 - pos
        xinv_log = (-x_log) % 255
        num = 0
        for j, c in enumerate(omega):
            if c:
                num ^= EXP[LOG[c] + (xinv_log * j) % 255]
        den = 0
        for j, c in enumerate(deriv):
            if c:
                den ^= EXP[LOG[c] + (xinv_log * j) % 255]
        if den == 0:
            return None
        magnitude = 0 if num == 0 else EXP[(LOG[num] - LOG[den] + x_log) % 255]
        if magnitude:
            word[pos] ^= magnitude
            if pos not in erased_set:
                errors += 1
    if 2 * errors + f > nsym or any(rs_syndromes(word, nsym)):
        return None
    return RSCorrection(bytes(word), errors, f, nsym)


def miscorrection_log2(n: int, nsym: int, errors: int, erasures: int) -> float:
    """log2 of the chance that a *random* n-codeword word decodes to some codeword with these counts.

    With ``f`` erasures, a decode that changes ``e`` other codewords accepts every word within Hamming
    distance ``e`` of a codeword on the ``n - f`` unerased positions. The code punctured there is still MDS
    with ``nsym - f`` redundant symbols, so the accepted fraction of all words is about
    ``V(n-f, e) / 256^(nsym-f)`` with ``V(m, e) = Σ_{i<=e} C(m, i)·255^i`` — the probability that a block
    damaged beyond repair is silently "corrected" into a wrong codeword. It is tiny for error-only decodes of
    long codes and approaches 1 when erasures use up nearly all the redundancy.
    """
    m = n - erasures
    volume = sum(math.comb(m, i) * 255**i for i in range(errors + 1))
    return math.log2(volume) - 8.0 * (nsym - erasures)
