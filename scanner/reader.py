"""One frame in, the QR texts out: a decoder cascade with a preprocessing ladder under a time budget.

The cheap path: the first backend (zxing-cpp by default) reads the whole frame (about 1 ms for 1280x720),
then a downscaled QR-likelihood check (:func:`scanner.preprocess.find_candidates`) decides whether the
frame is worth more work. Only frames with a QR-like region climb the ladder, candidate by candidate, while
the time budget lasts: ROI crop + WeChat CNN detector/super-resolution, upscaling to ~3.5 px per module,
unsharp masking, Wiener deblurring (defocus guesses; a straight motion blur when the region is blurred in one
direction), CLAHE/contrast stretch, glare inpainting, binarisation variants, OpenCV's curved-surface
decoder, and the module-grid reader (fit the grid, decode soft values). Regions without a visible finder mark
get the cheap zxing-cpp steps on the best one, the module-grid reader on it, the cheap steps on the next one,
then WeChat on the best one (WeChat can spend tens of ms on a crop it fails on). Every result says which backend and
ladder step read it, and carries a hint code for the user (``too-small``, ``blurry``, ...: the UI words it) from
cheap image measures.

Default cascade, from ``bench/bench_decode.py`` figures: zxing-cpp on the frame (fastest, most exact on real
photos), then on candidate regions zxing-cpp on preprocessed crops, the module-grid reader for regions with
modules of about 1-3.5 px (:mod:`scanner.grid_reader`: reads more of the synthetic card frames than any
backend), WeChat (strong on small, blurred codes, slow when it fails), and OpenCV's curved decoder last.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum, StrEnum

import numpy as np

from scanner import preprocess as pp
from scanner.decoders import Decoded, Decoder, DecoderUnavailable, as_gray, create_decoder
from scanner.decoders.grid_backend import GridDecoder
from scanner.grid_reader import CARD_VERSIONS, SoftSymbol

DEFAULT_BACKENDS: tuple[str, ...] = ("zxing", "wechat", "opencv", "grid")
#: Typical module count across a CCCD QR code (version 6-7: 41-45 modules).
_TYPICAL_MODULES = 43
_TARGET_MODULE_PX = 3.5
_SMALL_IMAGE_PIXELS = 400 * 400  # small images (a photo of one code) get the ladder on the whole image
_WEAK_MIN_SCORE = 0.5
_WECHAT_RESERVE_MS = 8.0
#: The module-grid reader: for regions whose modules look smaller than this (px), with this much budget left.
_GRID_MAX_MODULE_PX = 3.5  # estimated from the region's size
_GRID_FIT_MAX_MODULE_PX = 4.5
_GRID_OVERRUN_MS = 8.0
_GRID_RESERVE_MS = 8.0
_WECHAT_MAX_SIDE = 480
#: Gaussian defocus guesses (frame px) for Wiener deblurring of a candidate region, most useful first.
_DEBLUR_SIGMAS: tuple[float, ...] = (1.2, 0.8)
_WECHAT_DEBLUR_SIGMA = 0.9
#: Motion blur lengths (frame px) tried when a region is much less sharp in one direction than across it.
_MOTION_LENGTHS: tuple[float, ...] = (2.0, 3.0, 4.0, 5.0)
_MOTION_ISOTROPY = 0.7
_DARK = 45.0  # mean brightness below which the frame is too dark
_BLURRY = 150.0  # Laplacian variance in the QR region below which it is out of focus / moving


class _Rung(Enum):
    """How far up the ladder a candidate region may climb."""

    FULL = "full"  # every step (a region with a finder-pattern-like mark)
    CHEAP = "cheap"  # upscale, sharpen and deblur for zxing-cpp only (a few ms)
    WECHAT = "wechat"  # the WeChat steps that follow CHEAP's in a full ladder (sharpened and deblurred crops)
    GRID = "grid"  # the module-grid reader only


class ReadHint(StrEnum):
    """Why a frame did not decode, as a code: what the user should do next is worded by the UI."""

    DECODED = "decoded"
    NO_CODE = "no-code"
    TOO_SMALL = "too-small"
    BLURRY = "blurry"
    GLARE = "glare"
    TOO_DARK = "too-dark"
    UNREADABLE = "unreadable"


@dataclass(frozen=True)
class FrameRead:
    texts: tuple[str, ...]
    decoded: tuple[Decoded, ...]
    hint: ReadHint
    backend: str | None  # who read it
    stage: str | None  # which ladder step
    ms: float
    qr_box: np.ndarray | None  # 4x2 corners: the decoded code, else the most QR-like region, else None
    soft: SoftSymbol | None = None  # no text: the cleanest soft module values the grid reader got (frame pixels)


def _shift(points: np.ndarray | None, scale: float, offset: tuple[int, int]) -> np.ndarray | None:
    if points is None:
        return None
    return (np.asarray(points, np.float32) / scale + np.array(offset, np.float32)).astype(np.float32)


class FrameReader:
    """Reads QR codes from single frames. Not thread-safe: use one per thread.

    ``stills``: the frames are photos, not a camera stream — a small image (<= 400x400: a photo of one code)
    then also gets the ladder on the whole image, which may take tens of milliseconds; a small camera frame
    (a 320x240 webcam) keeps the cheap path.
    """

    def __init__(self, backends: Sequence[str] | None = None, *, time_budget_ms: float = 25.0,
                 stills: bool = False) -> None:
        names = tuple(DEFAULT_BACKENDS if backends is None else backends)
        if not names:
            raise ValueError("at least one backend is needed")
        if time_budget_ms <= 0:
            raise ValueError("time_budget_ms must be > 0")
        self.time_budget_ms = float(time_budget_ms)
        self.stills = stills
        self._decoders: dict[str, Decoder] = {}
        for name in names:
            try:
                self._decoders[name] = create_decoder(name)
            except DecoderUnavailable:
                if backends is not None:  # asked for explicitly: say so
                    raise
        if not self._decoders:
            raise DecoderUnavailable(f"none of the backends {names} is available")
        self.backends: tuple[str, ...] = tuple(self._decoders)
        # backends that read preprocessed crops (WeChat does its own detection and super-resolution)
        self._plain = [d for n, d in self._decoders.items() if n not in ("wechat", "opencv", "grid")]
        self._wechat = self._decoders.get("wechat")
        self._opencv = self._decoders.get("opencv")
        grid = self._decoders.get("grid")
        self._grid = grid if isinstance(grid, GridDecoder) else None
        self._unread: list[SoftSymbol] = []  # soft values of codes the grid reader fitted in this frame

    # ------------------------------------------------------------------ public

    def read(self, frame: np.ndarray) -> FrameRead:
        t0 = time.perf_counter()
        gray = as_gray(frame)
        self._unread.clear()
        first_name, first = next(iter(self._decoders.items()))
        found = first.decode(gray) if first_name != "opencv" or gray.size <= 2_000_000 else []
        if found:
            return self._result(found, first_name, "frame", t0, found[0].points)
        small_image = self.stills and gray.size <= _SMALL_IMAGE_PIXELS
        cands = pp.find_candidates(gray)
        # only regions with a finder-pattern-like mark are worth the ladder (keeps empty frames cheap)
        strong = [c for c in cands if c.finders >= 1]
        # a dense square region without a visible finder mark (blurred, small): a short ladder only
        weak = [c for c in cands if c.finders == 0 and c.score >= _WEAK_MIN_SCORE][:2]
        whole_image = pp.Candidate(0, 0, gray.shape[1], gray.shape[0], 1.0) if small_image else None
        if whole_image is not None:
            strong = [whole_image, *strong[:1]]
        if not cands and not small_image:
            return FrameRead((), (), self._no_code_hint(gray), None, None, self._ms(t0), None)
        # weak regions: the cheap zxing-cpp steps on each first, then WeChat (slow when it fails) on the best one
        tries = ([(c, _Rung.FULL) for c in strong] + [(c, _Rung.CHEAP) for c in weak[:1]]
                 + [(c, _Rung.GRID) for c in weak[:1] if c.side / _TYPICAL_MODULES < _GRID_MAX_MODULE_PX]
                 + [(c, _Rung.CHEAP) for c in weak[1:]] + [(c, _Rung.WECHAT) for c in weak[:1]])
        for cand, rung in tries:
            for stage, backend, decoded in self._ladder(gray, cand, t0, self.time_budget_ms,
                                                        whole=cand is whole_image, rung=rung):
                if decoded:
                    return self._result(decoded, backend, stage, t0, decoded[0].points)
            if self._ms(t0) > self.time_budget_ms:
                break
        if not cands:  # a small image tried whole, with no QR-like region in it: nothing seen
            return FrameRead((), (), self._no_code_hint(gray), None, None, self._ms(t0), None)
        best = (strong or cands)[0]
        if best.finders == 0 and best.score < _WEAK_MIN_SCORE:
            return FrameRead((), (), self._no_code_hint(gray), None, None, self._ms(t0), None)
        soft = min(self._unread, key=lambda u: u.noise) if self._unread else None
        return FrameRead((), (), self._hint(gray, best), None, None, self._ms(t0), best.corners(), soft)

    def read_region(self, gray: np.ndarray, stage: str = "fused", *, budget_ms: float | None = None) -> FrameRead:
        """Decode an already cropped region (e.g. a multi-frame fused crop) with the ladder, no likelihood check.

        ``budget_ms`` (default: the reader's budget) bounds the ladder.
        """
        if budget_ms is not None and budget_ms <= 0:
            raise ValueError("budget_ms must be > 0")
        t0 = time.perf_counter()
        budget = self.time_budget_ms if budget_ms is None else float(budget_ms)
        gray = as_gray(gray)
        h, w = gray.shape[:2]
        cand = pp.Candidate(0, 0, w, h, 1.0)
        for step, backend, decoded in self._ladder(gray, cand, t0, budget, whole=True, photo=False):
            if decoded:
                return self._result(decoded, backend, f"{stage}:{step}", t0, decoded[0].points)
        return FrameRead((), (), self._hint(gray, cand), None, None, self._ms(t0), None)

    # ------------------------------------------------------------------ internals

    @staticmethod
    def _ms(t0: float) -> float:
        return (time.perf_counter() - t0) * 1000.0

    def _result(self, decoded: list[Decoded], backend: str, stage: str, t0: float,
                box: np.ndarray | None) -> FrameRead:
        unique: dict[str, Decoded] = {}
        for d in decoded:
            unique.setdefault(d.text, d)
        texts = tuple(unique)
        return FrameRead(texts, tuple(unique.values()), ReadHint.DECODED, backend, stage, self._ms(t0), box)

    def _ladder(self, gray: np.ndarray, cand: pp.Candidate, t0: float, budget: float, *, whole: bool,
                rung: _Rung = _Rung.FULL, photo: bool | None = None) -> Iterator[tuple[str, str, list[Decoded]]]:
        """Yields (stage, backend, decoded) for each step tried, while the time budget (ms since t0) lasts."""
        if whole:
            roi, offset = gray, (0, 0)
        else:
            roi, offset = pp.crop(gray, cand)
        if roi.shape[0] < 16 or roi.shape[1] < 16:
            return
        module_px = max(0.5, cand.side / _TYPICAL_MODULES)
        factor = _TARGET_MODULE_PX / module_px
        if rung is _Rung.GRID:
            yield from self._grid_step(roi, offset, t0, budget)
            return

        def run(stage: str, img: np.ndarray, scale: float, decoders: Sequence[tuple[str, Decoder]],
                force: bool = False) -> Iterator[tuple[str, str, list[Decoded]]]:
            for name, dec in decoders:
                # WeChat can take tens of ms on a crop it fails on: start it only with time to spare
                reserve = _WECHAT_RESERVE_MS if dec is self._wechat else 0.0
                if not force and self._ms(t0) > budget - reserve:
                    return
                got = dec.decode(img)
                mapped = [Decoded(d.text, d.backend, _shift(d.points, scale, offset)) for d in got]
                yield stage, name, mapped
                if mapped:
                    return

        plain = [(n, d) for n, d in self._decoders.items() if d in self._plain and rung is not _Rung.WECHAT]
        wechat = [("wechat", self._wechat)] if self._wechat is not None and rung is not _Rung.CHEAP else []
        if whole if photo is None else photo:
            # small whole images (a photo of one code): OpenCV's curved-surface decoder (~7 ms), then WeChat
            # (<= ~30 ms at this size); both bounded, so they run whatever the budget
            if self._opencv is not None:
                yield from self._curved(roi, offset)
            yield from run("roi", roi, 1.0, wechat, force=True)
        # upscaled to >= 2x and ~3.5 px per module, sharpened: zxing-cpp, then WeChat (on a crop this size
        # WeChat is fast and strong; on the raw small crop it is slow and weak)
        up, f = pp.upscale(roi, max(2.0, factor))
        sharp = pp.unsharp(up, sigma=max(1.0, 0.7 * f), amount=1.5)
        if plain:
            yield from run("upscale", up, f, plain)
            yield from run("sharpen", sharp, f, plain)
            # Wiener deconvolution for a defocus guess, then enlarged: cheap for zxing-cpp, and it reads codes
            # whose modules the blur has merged (unsharp masking only steepens what is left of them)
            for sigma in _DEBLUR_SIGMAS:
                if self._ms(t0) > budget:
                    break
                yield from run("deblur", pp.upscale(pp.deblur(roi, sigma), max(2.0, factor))[0], f, plain)
            # a region blurred in one direction (the card moved): undo straight motion blurs of a few lengths
            angle, isotropy = pp.motion_direction(roi)
            for length in _MOTION_LENGTHS if isotropy < _MOTION_ISOTROPY else ():
                if self._ms(t0) > budget:
                    break
                img = pp.deblur(roi, 0.3, motion_px=length, motion_deg=angle)
                yield from run("deblur-motion", pp.upscale(img, max(2.0, factor))[0], f, plain)
        if rung is _Rung.FULL and module_px < _GRID_MAX_MODULE_PX:
            for step in self._grid_step(roi, offset, t0, budget):
                yield step
                if step[2]:
                    return
        if wechat:
            # WeChat's cost grows with its input; beyond ~480 px it is slow and gains nothing
            small, g = pp.upscale(roi, min(max(2.0, factor), _WECHAT_MAX_SIDE / max(roi.shape[:2])))
            sharp_small = pp.unsharp(small, sigma=max(1.0, 0.7 * g), amount=1.5) if g > 1.0 else small
            yield from run("sharpen", sharp_small, g, wechat)
            # WeChat's super-resolution on a deblurred crop (one middle defocus guess: each call costs ~10 ms)
            if self._ms(t0) <= budget - _WECHAT_RESERVE_MS:
                yield from run("deblur", pp.upscale(pp.deblur(roi, _WECHAT_DEBLUR_SIGMA), g)[0], g, wechat)
        if rung is not _Rung.FULL:
            return
        steps: list[tuple[str, Callable[[], np.ndarray | None]]] = [
            ("sharpen-strong", lambda: pp.unsharp(up, sigma=max(1.0, f), amount=3.0)),
            ("deglare", lambda: pp.deglare(up)),
            ("stretch", lambda: pp.unsharp(pp.stretch(up), sigma=max(1.0, 0.7 * f))),
            ("clahe", lambda: pp.clahe(sharp)),
            ("adaptive", lambda: pp.binarize_adaptive(sharp, module_px * f)),
            ("otsu", lambda: pp.binarize_otsu(sharp)),
        ]
        for stage, make in steps:
            if self._ms(t0) > budget:
                return
            img = make()
            if img is None:
                continue
            with_wechat = stage == "deglare"  # WeChat once more only when glare was removed
            yield from run(stage, img, f, [*plain, *(wechat if with_wechat else [])])
        if not whole and self._opencv is not None and self._ms(t0) <= budget:
            yield from self._curved(roi, offset)

    def _grid_step(self, roi: np.ndarray, offset: tuple[int, int], t0: float, budget: float
                   ) -> Iterator[tuple[str, str, list[Decoded]]]:
        """The module-grid reader on ``roi`` (modules of 1-2.5 px: what thresholding decoders see merged)."""
        if self._grid is None or self._ms(t0) > budget - _GRID_RESERVE_MS:
            return
        # the fit takes most of its time; once fitted, a couple of soft decodes may finish a little late
        deadline = t0 + (budget + _GRID_OVERRUN_MS) / 1000.0
        # the other steps read codes with larger modules, and a card's code is version 3 or more: fewer grids
        unread: list[SoftSymbol] = []
        got = self._grid.read_region(roi, deadline=deadline, max_module_px=_GRID_FIT_MAX_MODULE_PX,
                                     versions=CARD_VERSIONS, unread=unread)
        self._unread.extend(u.moved(np.array(offset, np.float32)) for u in unread)
        yield "grid", "grid", [Decoded(d.text, d.backend, _shift(d.points, 1.0, offset)) for d in got]

    def _curved(self, roi: np.ndarray, offset: tuple[int, int]) -> Iterator[tuple[str, str, list[Decoded]]]:
        from scanner.decoders.opencv_backend import OpenCVDecoder

        dec = self._opencv
        if isinstance(dec, OpenCVDecoder):
            got = dec.decode_curved(pp.pad_white(roi))
            yield "curved", "opencv", [Decoded(d.text, d.backend, _shift(d.points, 1.0, offset)) for d in got]

    @staticmethod
    def _no_code_hint(gray: np.ndarray) -> ReadHint:
        return ReadHint.TOO_DARK if pp.measure(gray).mean_brightness < _DARK else ReadHint.NO_CODE

    def _hint(self, gray: np.ndarray, cand: pp.Candidate) -> ReadHint:
        m = pp.measure(gray, cand)
        if cand.side / _TYPICAL_MODULES < 1.6:
            return ReadHint.TOO_SMALL
        if m.saturated_share > 0.02:
            return ReadHint.GLARE
        if m.mean_brightness < _DARK:
            return ReadHint.TOO_DARK
        if m.sharpness < _BLURRY:
            return ReadHint.BLURRY
        return ReadHint.UNREADABLE
