"""Image measures and the preprocessing steps of the decode ladder (all on grayscale uint8 images).

``find_candidates`` is the cheap QR-likelihood check: it measures local contrast at up to 1280 px wide (small
modules survive) and, on a 400 px wide map of that texture, looks for compact, square-ish
blobs of dense high-contrast texture (a QR code at 1-4 px per module, even when blurred) and returns their
boxes in full-resolution coordinates. The other functions are the ladder's steps: ROI crop, upscaling,
unsharp masking, Wiener deblurring, CLAHE, glare inpainting and binarisation variants.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace

import cv2
import numpy as np
from cachetools import LRUCache, cached

_SMALL_WIDTH = 400
#: The texture measure runs at up to this width: a 1280x720 frame's 2 px modules, shrunk 3x, average to grey.
_DETAIL_WIDTH = 1280
_FINDER_CHECKS = 5  # candidates (by texture score x size) whose finder marks are counted
_CLAHE = cv2.createCLAHE(clipLimit=2.5, tileGridSize=(4, 4))


@dataclass(frozen=True)
class Candidate:
    """A region that may hold a QR code: box (x, y, w, h) in full-resolution pixels, and a likelihood score 0..1."""

    x: int
    y: int
    w: int
    h: int
    score: float
    finders: int = 0  # finder-pattern-like nested contours seen in the region (0 when not checked)
    module_px: float | None = None  # module size measured on those finder patterns (7 modules wide), px

    @property
    def side(self) -> float:
        return float(np.sqrt(self.w * self.h))

    def corners(self) -> np.ndarray:
        x, y, w, h = self.x, self.y, self.w, self.h
        return np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]], np.float32)


@dataclass(frozen=True)
class FrameMeasures:
    """Cheap image measures behind the user hints."""

    mean_brightness: float
    sharpness: float  # variance of the Laplacian in the region of interest
    saturated_share: float  # share of pixels >= 250 in the region of interest


def downscale(gray: np.ndarray, width: int = _SMALL_WIDTH, *, fast: bool = False) -> tuple[np.ndarray, float]:
    """``gray`` shrunk to about ``width`` pixels wide and the factor back to full resolution.

    ``fast`` samples (bilinear, aliasing kept: fine texture stays visible as texture); else INTER_AREA.
    """
    h, w = gray.shape[:2]
    if w <= width:
        return gray, 1.0
    f = w / width
    interp = cv2.INTER_LINEAR if fast else cv2.INTER_AREA
    small = cv2.resize(gray, (width, max(1, round(h / f))), interpolation=interp)
    return small, f


def find_candidates(gray: np.ndarray, *, max_candidates: int = 3) -> list[Candidate]:
    """Compact square-ish blobs of dense high-contrast texture, best first (boxes in ``gray`` coordinates)."""
    small, f = downscale(gray, fast=True)
    # busy pixels (strong local contrast) at detail resolution (small modules survive), as a share per
    # small-image pixel; when that finds nothing, on the small image itself (a code blurred beyond detail-scale
    # contrast still has texture there)
    detail, _ = downscale(gray, _DETAIL_WIDTH)
    fine = cv2.resize(_busy(detail), (small.shape[1], small.shape[0]), interpolation=cv2.INTER_AREA)
    found = _dense_blobs(small, f, cv2.blur(fine, (5, 5)))
    if not found and detail.shape != small.shape:
        found = _dense_blobs(small, f, cv2.blur(_busy(small), (7, 7)))
    # finder marks are counted on the likeliest few only (each costs a threshold and a contour pass)
    found.sort(key=lambda c: c.score * c.side, reverse=True)
    checked = []
    for cand in found[:_FINDER_CHECKS]:
        sides = finder_patterns(crop(gray, cand, margin=0.1)[0])
        checked.append(replace(cand, finders=len(sides), module_px=finder_module_px(sides)))
    checked.sort(key=lambda c: (min(c.finders, 3), c.score * c.side), reverse=True)
    return checked[:max_candidates]


def _dense_blobs(small: np.ndarray, f: float, density: np.ndarray) -> list[Candidate]:
    """Candidates where ``density`` (busy share on ``small``, 0..255) is high, in full-resolution pixels (``f``:
    the scale from ``small``); finder marks not yet counted."""
    mask = cv2.threshold(density, 0.55 * 255, 1, cv2.THRESH_BINARY)[1]
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    n, _labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    sh, sw = small.shape[:2]
    min_side = 9
    found: list[Candidate] = []
    for i in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[i])
        if w < min_side or h < min_side or w > 0.9 * sw or h > 0.95 * sh:
            continue
        aspect = max(w, h) / min(w, h)
        fill = area / float(w * h)
        if aspect > 1.8 or fill < 0.45:
            continue
        roi = small[y : y + h, x : x + w]
        lo, hi = (float(v) for v in np.percentile(roi, (10, 90), method="nearest"))
        contrast = float(hi - lo)
        if contrast < 30:
            continue
        dark_share = float(np.mean(roi < (lo + hi) / 2))
        if not 0.2 <= dark_share <= 0.8:
            continue
        score = float(min(1.0, fill) * (1.0 / aspect) * min(1.0, contrast / 80.0) * (1 - abs(dark_share - 0.5)))
        found.append(Candidate(round(x * f), round(y * f), round(w * f), round(h * f), score))
    return found


def _busy(gray: np.ndarray) -> np.ndarray:
    """255 where the 3x3 morphological gradient is strong (twice the image's mean, at least 18 levels)."""
    grad = cv2.morphologyEx(gray, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8))
    thr = max(18.0, 2.0 * float(cv2.mean(grad)[0]))
    return cv2.threshold(grad, thr, 255, cv2.THRESH_BINARY)[1]


def finder_module_px(sides: list[float]) -> float | None:
    """The module size (px) from finder-pattern sides (:func:`finder_patterns`; a finder is 7 modules wide)."""
    return float(np.median(sides)) / 7.0 if sides else None


def finder_patterns(roi: np.ndarray) -> list[float]:
    """Nested dark-light-dark contours (QR finder patterns) in a binarised ``roi``: the side (px) of each one's
    outer square (cheap, ~1 ms)."""
    if roi.size == 0:
        return []
    block = max(11, (min(roi.shape[:2]) // 8) | 1)
    binary = cv2.adaptiveThreshold(roi, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 5)
    contours, hierarchy = cv2.findContours(binary, cv2.RETR_TREE, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return []
    hier = hierarchy[0]
    sides: list[float] = []
    for i, cnt in enumerate(contours):
        child = hier[i][2]
        if child < 0:
            continue
        grandchild = hier[child][2]
        if grandchild < 0:
            continue
        a0 = cv2.contourArea(cnt)
        a2 = cv2.contourArea(contours[grandchild])
        if a0 < 20 or a2 <= 0:
            continue
        ratio = a0 / a2
        _x, _y, w, h = cv2.boundingRect(cnt)
        if 2.0 <= ratio <= 12.0 and max(w, h) <= 1.8 * min(w, h):
            sides.append(float(np.sqrt(a0)) + 1.0)  # the contour runs through the edge pixels' centres
    return sides


def crop(gray: np.ndarray, cand: Candidate, margin: float = 0.3) -> tuple[np.ndarray, tuple[int, int]]:
    """The candidate region with a margin (for the quiet zone), and its top-left offset in ``gray``."""
    h, w = gray.shape[:2]
    m = round(margin * max(cand.w, cand.h))
    x0, y0 = max(0, cand.x - m), max(0, cand.y - m)
    x1, y1 = min(w, cand.x + cand.w + m), min(h, cand.y + cand.h + m)
    return gray[y0:y1, x0:x1], (x0, y0)


def upscale(gray: np.ndarray, factor: float, max_side: int = 1400) -> tuple[np.ndarray, float]:
    """Bicubic enlargement by ``factor`` (capped so the longer side stays <= ``max_side``); returns the factor used."""
    h, w = gray.shape[:2]
    factor = min(factor, max_side / max(h, w))
    if factor <= 1.05:
        return gray, 1.0
    out = cv2.resize(gray, (round(w * factor), round(h * factor)), interpolation=cv2.INTER_CUBIC)
    return out, factor


def unsharp(gray: np.ndarray, sigma: float = 1.5, amount: float = 1.2) -> np.ndarray:
    blurred = cv2.GaussianBlur(gray, (0, 0), sigma)
    return cv2.addWeighted(gray, 1 + amount, blurred, -amount, 0)


_DFT_GRID = 32
_MOTION_DEG_STEP = 2.0  # motion directions are kept to this step (5 degrees lost a webcam-dev read)


# The Wiener filters kept for reuse (a tracked region's size and the guesses repeat from frame to frame), the least
# recently used dropped first, at most this many bytes together. A filter is 4 bytes a pixel of the padded region: at
# most 0.4 MiB on the webcam-dev and qr-real crops (bench/bench_deblur_cache.py), 4 MiB for a 1000 px crop, 48 MB for
# a whole 4000x3000 photo (larger than the budget: computed each time, not kept).
SPECTRA_BUDGET_BYTES = 32 * 2**20
deblur_filters: LRUCache[tuple[object, ...], np.ndarray] = LRUCache(SPECTRA_BUDGET_BYTES, getsizeof=lambda a: a.nbytes)


@cached(deblur_filters, lock=threading.Lock())  # readers in several threads share it
def _wiener_spectrum(h: int, w: int, sigma: float, nsr: float, motion_px: float, motion_deg: float) -> np.ndarray:
    """The Wiener filter for an h x w image, laid out like OpenCV's packed DFT of a real image (a real filter
    multiplies the real and the imaginary part of each frequency alike)."""
    fy = np.fft.fftfreq(h).astype(np.float32)[:, None]
    fx = np.fft.rfftfreq(w).astype(np.float32)[None, :]
    otf = np.exp(-2.0 * (np.pi * sigma) ** 2 * (fx * fx + fy * fy))
    if motion_px > 0:
        # a box of length L along the motion: its transfer function is sinc(L * frequency along the motion)
        a = np.radians(motion_deg)
        along = fx * np.float32(np.cos(a)) + fy * np.float32(np.sin(a))
        otf = otf * np.sinc(motion_px * along).astype(np.float32)
    wiener = otf / (otf * otf + nsr)
    # packed layout: column c holds frequency (c + 1) // 2 along x; in columns 0 and (w even) w - 1 the rows are
    # packed the same way along y, elsewhere row r is frequency r
    cols = (np.arange(w) + 1) // 2
    rows = np.repeat(np.arange(h)[:, None], w, axis=1)
    packed = np.zeros(w, bool)
    packed[0] = True
    if w % 2 == 0:
        packed[-1] = True
    rows[:, packed] = (np.arange(h)[:, None] + 1) // 2
    return wiener[rows, cols[None, :]].astype(np.float32)


def deblur(gray: np.ndarray, sigma: float, nsr: float = 0.01, *, motion_px: float = 0.0,
           motion_deg: float = 0.0) -> np.ndarray:
    """Wiener deconvolution for a Gaussian blur of ``sigma`` px (defocus), optionally followed by a straight
    motion blur ``motion_px`` long at ``motion_deg`` (image axes: x right, y down); noise-to-signal ``nsr``.

    Undoes the blur that merges 1.3-2.5 px QR modules better than unsharp masking: frequencies the blur
    damped are restored up to the noise level. The edges are mirrored first so the FFT sees no seam.
    """
    if sigma <= 0 or nsr <= 0 or motion_px < 0:
        raise ValueError("sigma and nsr must be > 0, motion_px >= 0")
    pad = max(4, int(3 * sigma + motion_px + 1))
    h0, w0 = gray.shape[:2]
    # mirrored out to a size OpenCV's DFT is fast for (a crop's own size may have large prime factors: 3-4x
    # slower) on a 32 px grid, so that a tracked region's size, a little different each frame, keeps its filter
    h, w = (cv2.getOptimalDFTSize(-(-(n + 2 * pad) // _DFT_GRID) * _DFT_GRID) for n in (h0, w0))
    img = cv2.copyMakeBorder(gray, pad, h - h0 - pad, pad, w - w0 - pad, cv2.BORDER_REFLECT).astype(np.float32)
    deg = _MOTION_DEG_STEP * round(motion_deg / _MOTION_DEG_STEP) % 180.0
    spectrum = cv2.dft(img) * _wiener_spectrum(h, w, sigma, nsr, motion_px, deg)
    out = cv2.idft(spectrum, flags=cv2.DFT_REAL_OUTPUT | cv2.DFT_SCALE)
    return np.clip(out[pad:pad + h0, pad:pad + w0], 0, 255).astype(np.uint8)


def motion_direction(gray: np.ndarray) -> tuple[float, float]:
    """The direction (degrees, 0..180, image axes) along which ``gray`` is least sharp, and how anisotropic it is.

    From the gradient structure tensor: a straight motion blur damps the derivative along the motion, so the
    ratio of its eigenvalues (0..1; ~1 for a sharp or evenly defocused QR code) drops well below 1.
    """
    f = gray.astype(np.float32)
    gx = cv2.Sobel(f, cv2.CV_32F, 1, 0)
    gy = cv2.Sobel(f, cv2.CV_32F, 0, 1)
    tensor = np.array([[np.mean(gx * gx), np.mean(gx * gy)], [np.mean(gx * gy), np.mean(gy * gy)]], np.float64)
    values, vectors = np.linalg.eigh(tensor)
    if values[1] <= 1e-9:
        return 0.0, 1.0
    v = vectors[:, 0]
    return float(np.degrees(np.arctan2(v[1], v[0])) % 180.0), float(values[0] / values[1])


def clahe(gray: np.ndarray) -> np.ndarray:
    return _CLAHE.apply(gray)


def stretch(gray: np.ndarray) -> np.ndarray:
    """Contrast stretch between the 2nd and 98th percentile (for dark frames)."""
    lo, hi = np.percentile(gray, (2, 98))
    if hi - lo < 5:
        return gray
    lut = np.clip((np.arange(256, dtype=np.float32) - lo) * (255.0 / (hi - lo)), 0, 255).astype(np.uint8)
    return cv2.LUT(gray, lut)


def deglare(gray: np.ndarray, level: int = 245) -> np.ndarray | None:
    """Saturated spots inpainted from their surroundings, or None when nothing is saturated."""
    mask = (gray >= level).astype(np.uint8)
    if not mask.any():
        return None
    mask = cv2.dilate(mask, np.ones((5, 5), np.uint8))
    # flatten the soft halo around the spot too: divide by a large-scale background estimate
    inpainted = cv2.inpaint(gray, mask * 255, 3, cv2.INPAINT_TELEA)
    background = cv2.GaussianBlur(inpainted, (0, 0), max(3.0, min(gray.shape[:2]) / 12))
    flat = cv2.divide(inpainted, background, scale=200)
    return flat


def binarize_adaptive(gray: np.ndarray, module_px: float = 3.0) -> np.ndarray:
    block = max(11, int(module_px * 7) | 1)
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, block, 2)


def binarize_otsu(gray: np.ndarray) -> np.ndarray:
    return cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)[1]


def brightness(gray: np.ndarray) -> float:
    """The whole frame's mean brightness (on a copy at most 640 px wide)."""
    return float(downscale(gray, 640)[0].mean())


def measure(gray: np.ndarray, box: Candidate) -> FrameMeasures:
    """Brightness of the whole frame; sharpness and saturated share inside ``box`` (an empty box: the whole frame)."""
    roi, _ = crop(gray, box, margin=0.05)
    if roi.size == 0:
        roi = downscale(gray, 640)[0]
    sharp = float(cv2.Laplacian(roi, cv2.CV_32F).var())
    sat = float(np.mean(roi >= 250))
    return FrameMeasures(brightness(gray), sharp, sat)


def pad_white(gray: np.ndarray, frac: float = 0.15) -> np.ndarray:
    """A white border around ``gray`` (a quiet zone for decoders that need one)."""
    m = max(4, round(frac * max(gray.shape[:2])))
    return cv2.copyMakeBorder(gray, m, m, m, m, cv2.BORDER_CONSTANT, value=255)
