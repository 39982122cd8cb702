"""Reading QR codes too small or too blurred for the decoders' own binarisation: fit the module grid, decode soft.

A CCCD QR code at webcam distance often lands at 1-2 px per module. There, every decoder backend first
thresholds pixels and then samples the thresholded image; one pixel of blur already merges neighbouring
modules and the symbol has more module errors than its error correction can fix. This reader works the
other way round, with what the QR standard fixes about every symbol:

1. the symbol's outline in the region: the quadrilateral and the minimum-area rectangle around the dense dark
   blob (perspective kept by one, corners not cut by the other);
2. the module grid: for each plausible version and each of the four orientations, the corners are moved
   (coordinate descent, whole modules on a blurred copy, then half, then down to 1/16 module) until the image
   sampled at the centres of the modules the standard fixes (finder, separator, timing and alignment
   patterns) correlates best with their known values; the best two versions go on;
3. soft module values: every module centre is sampled (bilinear) from the region, Wiener-deblurred with a
   defocus guess, and equalised in module space — a 5x5 model of how much each neighbour bleeds into a
   module's sample is learned on the symbol itself (first on the fixed modules, then on the current
   decisions) and subtracted. The model's residual noise steers the search over defocus guesses;
4. :func:`scanner.qrsymbol.decode_modules` decodes the soft matrix: the least certain codewords become
   erasures, which Reed-Solomon corrects at twice the rate of unknown errors.

The error correction is the check: a soft matrix that does not decode to a clean payload yields nothing.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from scanner import preprocess as pp
from scanner.decoders.base import Decoded, clean_text, module_px_of
from scanner.qrsymbol import decode_modules
from scanner.qrsymbol.symbol import fixed_pattern

BACKEND = "grid"
#: Versions tried by default, and for chip-ID and health-insurance cards: a CCCD payload (12-digit number,
#: old number, name, dates, sex, address) is at least ~40 UTF-8 bytes, version 3 or more at any EC level
#: (real ones: 90-160 bytes, versions 5-9); a BHYT card's hex-encoded name and address make it longer still.
VERSIONS: tuple[int, ...] = tuple(range(1, 11))
CARD_VERSIONS: tuple[int, ...] = tuple(range(3, 11))
#: Module sizes (px) a grid is fitted for; a region whose smallest version would have larger modules is
#: scaled down first (the fit and the Wiener steps cost less, and nothing is lost at this size).
MIN_MODULE_PX = 0.8
MAX_MODULE_PX = 12.0
_LARGE_MODULE_PX = 8.0
_ROUGH_STEPS = (1.0,)
_ROUGH_BLUR = 0.5  # Gaussian sigma of the rough search's image, in modules
_OUTLINE_OFFSET = 0.06  # adaptive-threshold offset for the outline, as a share of the region's contrast
_COARSE_KEEP = 5  # versions
_COARSE_STEPS = (0.5,)
_FINE_STEPS = (0.25, 0.12, 0.06)
_MIN_FIT = 0.3  # fixed-pattern correlation below this: no QR grid there
#: Wiener pre-deblurring before sampling (defocus sigma in px; 0: none); the search starts at _DEBLUR_START.
_DEBLUR_SIGMAS = (0.0, 0.4, 0.7, 1.0, 1.3, 1.6, 2.0, 2.4)
_DEBLUR_START = 3
#: Soft values whose equaliser noise exceeds this have too many wrong modules to decode (measured: >= 0.35
#: went with 200+ wrong modules of 2,401).
_MAX_NOISE = 0.33


@dataclass(frozen=True)
class GridFit:
    """A fitted module grid: version, symbol corners (TL, TR, BR, BL of the module area, pixel-centre coordinates
    of the image it was fitted on) and the fixed-pattern correlation (-1..1)."""

    version: int
    quad: np.ndarray
    score: float

    @property
    def size(self) -> int:
        return 17 + 4 * self.version


class _Model:
    """The fixed modules of one version as sample points and zero-mean, unit-variance expected brightness
    (``finders_only``: the three finder patterns and their separators, for the rough search)."""

    def __init__(self, version: int, finders_only: bool = False) -> None:
        self.version = version
        self.n = n = 17 + 4 * version
        known, dark = fixed_pattern(version)
        if finders_only:
            corner = np.zeros_like(known)
            corner[:8, :8] = corner[:8, -8:] = corner[-8:, :8] = True
            known = known & corner
        rr, cc = np.nonzero(known)
        self.uv = np.stack([(cc + 0.5) / n, (rr + 0.5) / n], 1)  # module centres in the unit square
        light = np.where(dark[rr, cc], -1.0, 1.0)
        self.expected = (light - light.mean()) / light.std()


@functools.lru_cache(maxsize=64)
def _model(version: int, finders_only: bool = False) -> _Model:
    return _Model(version, finders_only)


def project(quads: np.ndarray, uv: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Image coordinates (x, y), each (k, N), of unit-square points ``uv`` (N, 2) under the perspective maps that
    take the unit square's corners (0,0) (1,0) (1,1) (0,1) to each of ``quads`` (k, 4, 2) (Heckbert's closed form,
    vectorised: thousands of candidate grids per millisecond)."""
    x0, x1, x2, x3 = (quads[:, i, 0] for i in range(4))
    y0, y1, y2, y3 = (quads[:, i, 1] for i in range(4))
    dx1, dx2, dx3 = x1 - x2, x3 - x2, x0 - x1 + x2 - x3
    dy1, dy2, dy3 = y1 - y2, y3 - y2, y0 - y1 + y2 - y3
    det = dx1 * dy2 - dx2 * dy1
    det = np.where(np.abs(det) < 1e-12, 1e-12, det)
    g = (dx3 * dy2 - dx2 * dy3) / det
    h = (dx1 * dy3 - dx3 * dy1) / det
    maps = np.empty((len(quads), 3, 3))
    maps[:, 0] = np.stack([x1 - x0 + g * x1, x3 - x0 + h * x3, x0], axis=1)
    maps[:, 1] = np.stack([y1 - y0 + g * y1, y3 - y0 + h * y3, y0], axis=1)
    maps[:, 2] = np.stack([g, h, np.ones_like(g)], axis=1)
    # one 2-D float32 product (BLAS) for all maps; float32 is ample for pixel coordinates
    p = (maps.reshape(-1, 3).astype(np.float32) @ np.vstack([uv.T, np.ones(len(uv))]).astype(np.float32))
    p = p.reshape(len(quads), 3, -1)
    return p[:, 0] / p[:, 2], p[:, 1] / p[:, 2]


def _fit_scores(img: np.ndarray, model: _Model, quads: np.ndarray) -> np.ndarray:
    """Correlation of the fixed modules' samples with their expected values, for each of ``quads`` (k, 4, 2)."""
    x, y = project(quads, model.uv)
    v = cv2.remap(img, x, y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE).astype(np.float64)
    v -= v.mean(axis=1, keepdims=True)
    sd = v.std(axis=1) + 1e-6
    return (v @ model.expected) / (sd * len(model.expected))


def _unit_moves() -> np.ndarray:
    """(16, 4, 2) corner displacements of one step: each corner along x and along y, and the whole quad shifted."""
    moves = []
    for i in range(4):
        for d in range(2):
            for sign in (-1.0, 1.0):
                m = np.zeros((4, 2))
                m[i, d] = sign
                moves.append(m)
    for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)):
        moves.append(np.tile([dx, dy], (4, 1)).astype(np.float64))
    return np.stack(moves)


_UNIT_MOVES = _unit_moves()


def _sides(quads: np.ndarray) -> np.ndarray:
    """Mean side length of each of ``quads`` (k, 4, 2)."""
    return np.linalg.norm(quads - np.roll(quads, 1, axis=1), axis=2).mean(axis=1)


def _moves(quads: np.ndarray, step: np.ndarray) -> np.ndarray:
    """(k, 18, 4, 2): each quad moved by ``step`` px (k,): corner by corner, shifted, and scaled about its centre."""
    s = step[:, None, None, None]
    moved = quads[:, None] + s * _UNIT_MOVES[None]
    centre = quads.mean(axis=1, keepdims=True)
    outward = (quads - centre) / _sides(quads)[:, None, None]  # a step's worth of scaling
    scaled = np.stack([quads + s[:, 0] * outward, quads - s[:, 0] * outward], axis=1)
    return np.concatenate([moved, scaled], axis=1)


def refine(img: np.ndarray, model: _Model, quads: np.ndarray, steps: tuple[float, ...], iters: int = 6
           ) -> tuple[np.ndarray, np.ndarray]:
    """Coordinate descent of several starting quads at once (steps in modules); returns moved quads and scores."""
    cur = quads.astype(np.float64).copy()
    best = _fit_scores(img, model, cur)
    for step in steps:
        live = np.ones(len(cur), bool)
        for _ in range(iters):
            idx = np.flatnonzero(live)
            if idx.size == 0:
                break
            moves = _moves(cur[idx], step * _sides(cur[idx]) / model.n)
            k, per = moves.shape[:2]
            scores = _fit_scores(img, model, moves.reshape(k * per, 4, 2)).reshape(k, per)
            j = scores.argmax(axis=1)
            top = scores[np.arange(k), j]
            better = top > best[idx] + 1e-4
            best[idx[better]] = top[better]
            cur[idx[better]] = moves[np.arange(k), j][better]
            live[idx[~better]] = False
    return cur, best


def _clockwise_from_top_left(quad: np.ndarray) -> np.ndarray:
    centre = quad.mean(axis=0)
    quad = quad[np.argsort(np.arctan2(quad[:, 1] - centre[1], quad[:, 0] - centre[0]))]
    return np.roll(quad, -int(np.argmin(quad.sum(axis=1))), axis=0)


def symbol_outlines(roi: np.ndarray) -> list[np.ndarray]:
    """Quadrilaterals (clockwise from top-left) around the largest dense dark blob near the region's centre:
    its 4-sided outline (keeps perspective; a corner may be cut where the data is light) and its minimum-area
    rectangle (no perspective, no cut corners). Empty when there is no such blob."""
    h, w = roi.shape[:2]
    side = min(h, w)
    if side < 16:
        return []
    lo, hi = (float(v) for v in np.percentile(roi, (5, 95)))
    block = max(11, (side // 6) | 1)
    offset = max(4.0, _OUTLINE_OFFSET * (hi - lo))  # darker than the neighbourhood by more than the noise
    dark = cv2.adaptiveThreshold(roi, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, offset)
    k = max(3, side // 25)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))
    blob = cv2.morphologyEx(cv2.morphologyEx(dark, cv2.MORPH_CLOSE, kernel), cv2.MORPH_OPEN, kernel)
    contours, _ = cv2.findContours(blob, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    best: tuple[float, np.ndarray] | None = None
    for c in contours:
        area = cv2.contourArea(c)
        if not 0.04 * h * w <= area <= 0.9 * h * w:
            continue
        (cx, cy), (rw, rh), _ = cv2.minAreaRect(c)
        if min(rw, rh) <= 0 or max(rw, rh) / min(rw, rh) > 1.6:
            continue
        score = area * (1 - abs(cx / w - 0.5)) * (1 - abs(cy / h - 0.5))
        if best is None or score > best[0]:
            best = (score, c)
    if best is None:
        return []
    hull = cv2.convexHull(best[1])
    perimeter = cv2.arcLength(hull, True)
    box = cv2.boxPoints(cv2.minAreaRect(hull)).astype(np.float64)
    outlines = []
    for eps in (0.02, 0.04, 0.06, 0.08):
        approx = cv2.approxPolyDP(hull, eps * perimeter, True)
        if len(approx) == 4:
            outlines.append(_clockwise_from_top_left(approx.reshape(4, 2).astype(np.float64)))
            break
    outlines.append(_clockwise_from_top_left(box))
    return outlines


def fit_grids(img: np.ndarray, outline: np.ndarray | Sequence[np.ndarray], versions: tuple[int, ...] = VERSIONS, *,
              finalists: int = 2, max_module_px: float = MAX_MODULE_PX) -> list[GridFit]:
    """The best module grids for ``outline`` (float32 ``img``): version, orientation and corners; up to
    ``finalists`` of different versions, best first (blur makes neighbouring versions look alike: the error
    correction decides).

    Every plausible (version, orientation) start moves by whole modules first, on a blurred copy, with the
    finder patterns only; the best few then by half modules; the finalists down to 1/16 module.
    """
    outlines = [outline] if isinstance(outline, np.ndarray) else list(outline)
    if not outlines:
        return []
    side = float(_sides(outlines[0][None])[0])
    plausible = [v for v in versions if MIN_MODULE_PX <= side / (17 + 4 * v) <= max_module_px]
    if not plausible:
        return []
    # each outline in each orientation, also with the corner that has no finder pattern (bottom right in the
    # symbol) put where the other three say it is — the blob's outline is ragged there when data is light
    rolled = [np.roll(o, -r, axis=0) for o in outlines for r in range(4)]
    completed = [np.vstack([q[:2], q[1] + q[3] - q[0], q[3:]]) for q in rolled[:4]]
    starts = np.stack(rolled + completed)
    rough: list[tuple[float, int, np.ndarray]] = []
    for version in plausible:
        # a blurred copy widens the basin: from an outline a module or two off, whole-module moves still climb
        module = side / (17 + 4 * version)
        smooth = cv2.GaussianBlur(img, (0, 0), _ROUGH_BLUR * module)
        quads, scores = refine(smooth, _model(version, finders_only=True), starts, _ROUGH_STEPS, iters=3)
        best = int(np.argmax(scores))
        rough.append((float(scores[best]), version, quads[best]))
    # the timing patterns tell neighbouring versions apart better than the finder patterns: the best start of
    # each of the most likely versions goes on, with every fixed module
    rough.sort(key=lambda t: -t[0])
    coarse: list[tuple[float, int, np.ndarray]] = []
    for _, version, quad in rough[:_COARSE_KEEP]:
        quads, scores = refine(img, _model(version), quad[None], _COARSE_STEPS, iters=4)
        coarse.append((float(scores[0]), version, quads[0]))
    coarse.sort(key=lambda t: -t[0])
    fits: list[GridFit] = []
    for _, version, quad in coarse:
        if len(fits) == finalists:
            break
        if any(f.version == version for f in fits):
            continue
        quads, scores = refine(img, _model(version), quad[None], _FINE_STEPS)
        if scores[0] >= _MIN_FIT:
            fits.append(GridFit(version, quads[0], float(scores[0])))
    return sorted(fits, key=lambda f: -f.score)


def sample_modules(img: np.ndarray, fit: GridFit, pad: int = 0) -> np.ndarray:
    """Bilinear samples of ``img`` at every module centre (plus ``pad`` modules of quiet zone around)."""
    n = fit.size
    idx = (np.arange(-pad, n + pad, dtype=np.float64) + 0.5) / n
    uu, vv = np.meshgrid(idx, idx)
    x, y = project(fit.quad[None], np.stack([uu.ravel(), vv.ravel()], 1))
    m = n + 2 * pad
    return cv2.remap(img, x.astype(np.float32).reshape(m, m), y.astype(np.float32).reshape(m, m), cv2.INTER_LINEAR,
                     borderMode=cv2.BORDER_REPLICATE)


def _padded_fixed(version: int) -> tuple[np.ndarray, np.ndarray]:
    """``fixed_pattern`` with one module of quiet zone around it (known light)."""
    n = 17 + 4 * version
    known, dark = fixed_pattern(version)
    kmask = np.ones((n + 2, n + 2), bool)
    kmask[1:-1, 1:-1] = known
    kdark = np.zeros((n + 2, n + 2), bool)
    kdark[1:-1, 1:-1] = dark
    return kmask, kdark


def _offsets(radius: int) -> list[tuple[int, int]]:
    return [(di, dj) for di in range(-radius, radius + 1) for dj in range(-radius, radius + 1)]


def _neighbours(grid: np.ndarray, offsets: list[tuple[int, int]]) -> list[np.ndarray]:
    """For each offset (di, dj): ``grid`` moved so that each cell sees its neighbour there (zeros beyond the edge)."""
    r = max(max(abs(di), abs(dj)) for di, dj in offsets)
    padded = np.pad(grid, r)
    h, w = grid.shape
    return [padded[r + di : r + di + h, r + dj : r + dj + w] for di, dj in offsets]


@dataclass(frozen=True)
class Equalized:
    """Soft module values (darkness 0..1, n x n) and the model's residual noise in units of one module's own
    contrast (lower: cleaner values; about 0.5 and more: many modules will be wrong)."""

    dark: np.ndarray
    noise: float


def equalized_darkness(samples_padded: np.ndarray, version: int, *, rounds: int = 3, radius: int = 2
                       ) -> Equalized | None:
    """Darkness 0..1 per module with the bleeding of neighbouring modules removed.

    ``samples_padded``: samples with one module of quiet zone around the symbol. A linear model
    ``detail = sum(w_k * dark_k over the neighbourhood) + b`` says how much each neighbour's darkness shows in
    a module's sample (blur, motion, sub-module misalignment all end up in the weights). It is first fitted
    on the modules whose 3x3 neighbourhood the standard fixes (finder patterns, separators, the quiet zone
    taken as light), then — decision-directed — on every module with the current hard decisions over a
    ``(2 radius + 1)^2`` neighbourhood; each round recovers every module's own share by subtracting its
    neighbours' predicted share. None when the model makes no sense (a module's own weight is not negative).
    """
    kmask, kdark = _padded_fixed(version)
    detail = samples_padded - cv2.blur(samples_padded, (9, 9), borderType=cv2.BORDER_REFLECT)
    truth = kdark.astype(np.float64)
    inner = cv2.erode(kmask.astype(np.uint8), np.ones((3, 3), np.uint8), borderType=cv2.BORDER_CONSTANT,
                      borderValue=0).astype(bool)
    rows, cols = np.nonzero(inner)
    if rows.size < 30:
        return None
    estimate = np.where(kmask, truth, (detail < 0).astype(np.float64))
    share = estimate
    fits = [(1, rows, cols)] + [(radius, *np.nonzero(np.ones_like(kmask)))] * rounds
    for r, rr, cc in fits:
        offsets = _offsets(r)
        centre = offsets.index((0, 0))
        hard = np.where(kmask, truth, (estimate > 0.5).astype(np.float64))
        design = np.stack([nb[rr, cc] for nb in _neighbours(hard, offsets)] + [np.ones(rr.size)], axis=1)
        # least squares by the normal equations (a tiny ridge keeps them solvable; far faster than lstsq here)
        gram = design.T @ design + 1e-6 * np.eye(design.shape[1])
        weights = np.linalg.solve(gram, design.T @ detail[rr, cc].astype(np.float64))
        own = weights[centre]
        if own >= -1e-3:
            return None
        residual = detail[rr, cc] - design @ weights
        kernel = weights[:-1].reshape(2 * r + 1, 2 * r + 1).copy()
        kernel[r, r] = 0.0  # the neighbours' share only
        for _ in range(2):
            bleed = cv2.filter2D(estimate, -1, kernel, borderType=cv2.BORDER_CONSTANT)
            share = (detail - bleed - weights[-1]) / own
            estimate = np.where(kmask, truth, np.clip(share, 0.0, 1.0))
    noise = float(np.sqrt(np.mean(residual * residual)) / -own)
    return Equalized(np.clip(share[1:-1, 1:-1], 0.0, 1.0).astype(np.float32), noise)


@dataclass(frozen=True)
class SoftSymbol:
    """The cleanest soft module values of a code that did not decode, for decoding with other frames' values.

    ``quad``: corners of the module area (TL, TR, BR, BL of the symbol) in the caller's pixels (edges), like
    :attr:`~scanner.decoders.base.Decoded.points`.
    """

    version: int
    dark: np.ndarray
    noise: float
    quad: np.ndarray

    @property
    def module_px(self) -> float:
        return float(_sides(self.quad[None])[0]) / (17 + 4 * self.version)

    def moved(self, offset: np.ndarray) -> SoftSymbol:
        return SoftSymbol(self.version, self.dark, self.noise, (self.quad + offset).astype(np.float32))


def fuse_soft(symbols: Sequence[SoftSymbol]) -> Decoded | None:
    """Decode the noise-weighted mean of several frames' soft values of one code (same version, same
    orientation: the caller tracks that), or None. Sensor noise, JPEG artefacts and focus hunting differ from
    frame to frame; averaging in module space needs no image alignment."""
    if not symbols or len({s.version for s in symbols}) != 1:
        return None
    weights = np.array([1.0 / max(s.noise, 0.05) ** 2 for s in symbols])
    dark = np.tensordot(weights / weights.sum(), np.stack([s.dark for s in symbols]), axes=1)
    read = decode_modules(dark)
    text = clean_text(read.data) if read is not None else None
    return Decoded(text, BACKEND, symbols[-1].quad, symbols[-1].module_px) if text is not None else None


def _sigma_search(noise: dict[int, float]) -> Iterator[int]:
    """Indexes into ``_DEBLUR_SIGMAS`` to try: the start, its neighbours, then onwards in the direction where the
    noise (filled in by the caller after each try) fell, until it rises again."""
    start = _DEBLUR_START
    yield start
    for i in (start - 1, start + 1):
        yield i
    best = min(noise, key=lambda i: noise[i])
    step = -1 if best < start else 1
    i = best + step
    while best != start and 0 <= i < len(_DEBLUR_SIGMAS):
        yield i
        if noise[i] >= noise[best]:
            break
        best, i = i, i + step


class GridReader:
    """Fits the module grid of the QR code in a region and decodes its soft module values."""

    name = BACKEND

    def read(self, roi: np.ndarray, *, deadline: float | None = None, max_module_px: float = MAX_MODULE_PX,
             versions: tuple[int, ...] = VERSIONS, unread: list[SoftSymbol] | None = None) -> list[Decoded]:
        """Codes read from the grayscale uint8 region ``roi`` (points in ``roi`` pixels); stops at ``deadline``
        (a ``time.perf_counter()`` value) between attempts; only grids of ``versions`` with modules up to
        ``max_module_px``. When nothing decodes, the cleanest soft values tried are appended to ``unread``."""
        best: list[SoftSymbol] = []
        for decoded in self.attempts(roi, deadline=deadline, max_module_px=max_module_px, versions=versions,
                                     cleanest=best):
            if decoded:
                return decoded
        if unread is not None and best:
            unread.append(best[0])
        return []

    def attempts(self, roi: np.ndarray, *, deadline: float | None = None, max_module_px: float = MAX_MODULE_PX,
                 versions: tuple[int, ...] = VERSIONS, cleanest: list[SoftSymbol] | None = None
                 ) -> Iterator[list[Decoded]]:
        """What each decode attempt read (empty lists for the failed ones), as :meth:`read` tries them;
        ``cleanest`` is kept holding the soft values with the least equaliser noise so far."""
        outlines = symbol_outlines(roi)
        if not outlines:
            return
        scale = 1.0
        largest = float(_sides(outlines[0][None])[0]) / (17 + 4 * min(versions))
        if largest > MAX_MODULE_PX:  # a large code (a photo, a close card)
            scale = _LARGE_MODULE_PX / largest
            roi = cv2.resize(roi, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
            outlines = symbol_outlines(roi)
            if not outlines:
                return
        img = roi.astype(np.float32)
        fits = fit_grids(img, outlines, versions, max_module_px=max_module_px * scale)
        # soft values after Wiener deblurring with defocus guesses: from the middle guess towards the one whose
        # equaliser leaves the least residual noise; each decoded at once unless too noisy to be worth it
        deblurred: dict[int, np.ndarray] = {}
        for fit in fits:
            noise: dict[int, float] = {}

            def attempt(i: int, fit: GridFit = fit, noise: dict[int, float] = noise) -> list[Decoded]:
                if i not in deblurred:
                    sigma = _DEBLUR_SIGMAS[i]
                    deblurred[i] = pp.deblur(roi, sigma).astype(np.float32) if sigma else img
                eq = equalized_darkness(sample_modules(deblurred[i], fit, pad=1), fit.version)
                noise[i] = eq.noise if eq is not None else np.inf
                if eq is None:
                    return []
                if cleanest is not None and (not cleanest or eq.noise < cleanest[0].noise):
                    cleanest[:] = [SoftSymbol(fit.version, eq.dark, eq.noise, self._corners(fit, scale))]
                return self._decode(eq.dark, fit, scale) if eq.noise <= _MAX_NOISE else []

            for i in _sigma_search(noise):
                if deadline is not None and time.perf_counter() > deadline:
                    return
                yield attempt(i)

    @staticmethod
    def _decode(dark: np.ndarray, fit: GridFit, scale: float) -> list[Decoded]:
        read = decode_modules(dark)
        if read is None:
            return []
        text = clean_text(read.data)
        if text is None:
            return []
        corners = GridReader._corners(fit, scale)
        return [Decoded(text, BACKEND, corners, module_px_of(corners, fit.version))]

    @staticmethod
    def _corners(fit: GridFit, scale: float) -> np.ndarray:
        return ((fit.quad + 0.5) / scale).astype(np.float32)  # pixel centres to edges, in the caller's pixels
