"""One frame in, the QR texts out: a decoder cascade with a preprocessing ladder under a work budget.

The cheap path: the first backend (zxing-cpp by default) reads the whole frame (about 1 ms for 1280x720),
then a QR-likelihood check (:func:`scanner.preprocess.find_candidates`: texture measured at detail resolution,
finder marks counted and measured) decides whether the frame is worth more work. Only frames with a QR-like
region climb the ladder, candidate by candidate, while the work budget lasts: crops enlarged to ~4.5 px per
module (the module size measured on the finder marks), read by zxing-cpp with its local and a global threshold;
unsharp masking; Wiener deblurring (defocus guesses, and straight motion plus defocus when the region is less
sharp in one direction); WeChat's CNN detector and super-resolution once; the other guesses; glare inpainting,
contrast steps and binarisations; OpenCV's curved-surface decoder. Regions without a visible finder mark (but
large and dense enough to hold a card's code) get the zxing-cpp steps only.

Budgets count work (:data:`STEP_COST`: decoder calls and the image work before them), not milliseconds, so a
frame gets the same steps on an idle and on a loaded machine and the benchmark figures repeat. The live camera
adds a wall-clock cap as a safety net (:data:`scanner.stream.LIVE_TIME_CAP_MS`). On stills every backend also
reads the whole image, so the cascade never reads fewer photos than one of its backends alone.

Every result says which backend and ladder step read it, the code's module size in pixels (``module_px``, for
"move closer / further" guidance), and a hint code for the user (``too-small``, ``blurry``, ...: the UI words it)
from cheap image measures.
Default cascade (``bench/bench_decode.py``): zxing-cpp, WeChat, OpenCV (stills: the curved photos it alone reads).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from enum import Enum, StrEnum

import numpy as np

from scanner import preprocess as pp
from scanner.decoders import Decoded, Decoder, DecoderUnavailable, as_gray, create_decoder
from scanner.decoders.base import symbol_side
from scanner.decoders.zxing_backend import ZxingDecoder

DEFAULT_BACKENDS: tuple[str, ...] = ("zxing", "wechat", "opencv")
#: Work units (about one zxing-cpp call on an enlarged crop, ~1 ms) each step costs: decoders and the image work
#: before them. Budgets count these, not milliseconds, so the same frame gets the same steps on a loaded machine.
STEP_COST: dict[str, int] = {"zxing": 1, "zbar": 1, "wechat": 20, "opencv": 8, "deblur": 1}
#: A camera frame's budget (work units past the whole-frame read) and a still image's.
CAMERA_WORK = 40
STILL_WORK = 150
#: Typical module count across a CCCD QR code (version 6-7: 41-45 modules).
_TYPICAL_MODULES = 43
#: A QR-like region's box spans about 1.3 symbol sides (the texture mask's blur adds a margin; webcam-dev).
_REGION_MODULES = 1.3 * _TYPICAL_MODULES
_MIN_MODULE_PX = 0.8  # a decoded code with smaller modules (frame px) is a spurious symbol, not a code
_MIN_SYMBOL_SHARE = 0.4  # ... and so is one smaller than this share of the region's side
_TARGET_MODULE_PX = 4.5  # crops are enlarged to this many px per module (measured: 4-5 reads most)
_SMALL_IMAGE_PIXELS = 400 * 400  # small images (a photo of one code) get the ladder on the whole image
_WEAK_MIN_SCORE = 0.35
#: A region without a finder mark smaller than this (px) cannot hold a code the ladder reads: a card's code has
#: >= 41 modules, read down to ~1.5 px each.
_WEAK_MIN_SIDE = 60
_WEAK_WORK = 20  # work units for such a region: enlarged, sharpened, the likeliest defocus and motion guesses
_WECHAT_MAX_SIDE = 480
#: Gaussian defocus guesses (frame px) for Wiener deblurring of a candidate region, most useful first.
_DEBLUR_SIGMAS: tuple[float, ...] = (1.2, 0.8, 1.6)
_WECHAT_DEBLUR_SIGMA = 0.9
#: Straight motion blurs (length in frame px, defocus sigma undone with it) tried when a region is less sharp in
#: one direction than across it, most useful first (webcam optics blur too, so most come with some defocus).
_MOTIONS: tuple[tuple[float, float], ...] = ((2.0, 1.0), (3.0, 1.0), (4.0, 0.3), (3.0, 0.3), (4.0, 1.0),
                                             (5.0, 0.3), (2.0, 0.3), (5.0, 1.0))
_MOTION_ISOTROPY = 0.9
_DARK = 45.0  # mean brightness below which the frame is too dark
_BLURRY = 150.0  # Laplacian variance in the QR region below which it is out of focus / moving


class _Rung(Enum):
    """How far up the ladder a candidate region may climb."""

    FULL = "full"  # every step (a region with a finder-pattern-like mark)
    CHEAP = "cheap"  # upscale, sharpen and deblur for zxing-cpp only (a few ms)
    WECHAT = "wechat"  # the WeChat steps that follow CHEAP's in a full ladder (sharpened and deblurred crops)


@dataclass
class _Work:
    """What a frame may still spend: work units, and (live camera only) a wall-clock safety net."""

    budget: int
    deadline: float | None = None  # time.perf_counter() value
    spent: int = 0
    limit: int | None = None  # a lower bound for the current region (spent units), if any
    wechat: bool = True  # whether WeChat may run (a stream skips it on frames right after a failed try)
    wechat_tries: int = 0

    def take(self, cost: int) -> bool:
        """Spend ``cost`` units if the budget, the region's limit and the deadline allow; False: stop."""
        if self.spent + cost > (self.budget if self.limit is None else min(self.budget, self.limit)):
            return False
        if self.deadline is not None and time.perf_counter() > self.deadline:
            return False
        self.spent += cost
        return True


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
    #: QR module size (frame px) of the decoded code, else of the most QR-like region (measured on its finder
    #: patterns; a region without any: estimated from its size); None: no QR-like region
    module_px: float | None = None
    work: int = 0  # work units spent past the whole-frame read (see STEP_COST)
    wechat_tries: int = 0  # WeChat calls made (its cost varies most: 10-150 ms per call on a loaded machine)
    #: finder-pattern-like marks seen in the most QR-like region of a frame that did not decode (0: none, or no
    #: region): a region without one is as often desk or card texture as a code
    finders: int = 0


def _mapped(d: Decoded, scale: float, offset: tuple[int, int]) -> Decoded:
    """``d`` read on a crop at ``offset`` enlarged by ``scale``, in frame pixels."""
    points = None if d.points is None else (
        np.asarray(d.points, np.float32) / scale + np.array(offset, np.float32)).astype(np.float32)
    return replace(d, points=points, module_px=None if d.module_px is None else d.module_px / scale)


def _plausible(d: Decoded, cand: pp.Candidate, whole: bool) -> bool:
    """Whether a code read on an enlarged, processed crop is the code the region holds, not a spurious symbol
    the processing made out of texture: modules of at least ~1 frame pixel, and (in a region found by the
    likelihood check) a symbol at least 40% of the region's size. Hundreds of tries per frame would otherwise
    now and then "decode" a tiny version-1 code from noise (seen on qr-real photos shrunk to 1.3 px/module)."""
    if d.module_px is not None and d.module_px < _MIN_MODULE_PX:
        return False
    if whole or d.points is None:
        return True
    return symbol_side(d.points) >= _MIN_SYMBOL_SHARE * cand.side


def _region_module_px(cand: pp.Candidate) -> float:
    """A QR-like region's module size: measured on its finder patterns, else estimated from its size."""
    return cand.module_px if cand.module_px is not None else cand.side / _REGION_MODULES


def _decoded_module_px(gray: np.ndarray, d: Decoded) -> float | None:
    """The module size of a code read by a backend that does not tell its version: from its finder patterns."""
    if d.points is None:
        return None
    x0, y0 = np.floor(d.points.min(axis=0)).astype(int)
    x1, y1 = np.ceil(d.points.max(axis=0)).astype(int)
    region = pp.Candidate(int(x0), int(y0), int(x1 - x0), int(y1 - y0), 1.0)
    if region.w < 8 or region.h < 8:
        return None
    roi, _ = pp.crop(gray, region, margin=0.1)
    measured = pp.finder_module_px(pp.finder_patterns(roi))
    return measured if measured is not None else _region_module_px(region)


class FrameReader:
    """Reads QR codes from single frames. Not thread-safe: use one per thread.

    ``work_budget``: work units (:data:`STEP_COST`) a frame may spend past the whole-frame read; default
    :data:`CAMERA_WORK`, or :data:`STILL_WORK` for stills. ``time_cap_ms``: a wall-clock safety net on top
    (the live camera's; None: none) — figures measured without it repeat on a loaded machine.
    ``stills``: the frames are photos, not a camera stream — every backend also reads the whole image (so the
    cascade never reads fewer photos than one of its backends alone), and a small image (<= 400x400: a photo of
    one code) gets the ladder on the whole image; a small camera frame (a 320x240 webcam) keeps the cheap path.
    """

    def __init__(self, backends: Sequence[str] | None = None, *, work_budget: int | None = None,
                 time_cap_ms: float | None = None, stills: bool = False) -> None:
        names = tuple(DEFAULT_BACKENDS if backends is None else backends)
        if not names:
            raise ValueError("at least one backend is needed")
        if work_budget is not None and work_budget < 0:
            raise ValueError("work_budget must be >= 0")
        if time_cap_ms is not None and time_cap_ms <= 0:
            raise ValueError("time_cap_ms must be > 0")
        self.work_budget = (STILL_WORK if stills else CAMERA_WORK) if work_budget is None else int(work_budget)
        self.time_cap_ms = time_cap_ms
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
        self._plain = [(n, d) for n, d in self._decoders.items() if n not in ("wechat", "opencv")]
        if "zxing" in self._decoders:
            # on a crop around one code, a global threshold often separates blurred modules the local one merges
            self._plain.append(("zxing", ZxingDecoder(try_harder=False, binarizer="GlobalHistogram")))
        self._wechat = self._decoders.get("wechat")
        self._opencv = self._decoders.get("opencv")

    # ------------------------------------------------------------------ public

    def read(self, frame: np.ndarray, *, wechat: bool = True) -> FrameRead:
        """Decode one frame. ``wechat=False``: no WeChat step this time (a stream spreads its tries over frames)."""
        t0 = time.perf_counter()
        gray = as_gray(frame)
        work = self._work(t0)
        work.wechat = wechat
        first_name, first = next(iter(self._decoders.items()))
        found = first.decode(gray) if first_name != "opencv" or gray.size <= 2_000_000 else []
        if found:
            return self._result(gray, found, first_name, "frame", t0, work)
        if self.stills:  # every backend on the whole photo, as each would read it alone
            for name, dec in list(self._decoders.items())[1:]:
                found = dec.decode(gray)
                if found:
                    return self._result(gray, found, name, "frame", t0, work)
        small_image = self.stills and gray.size <= _SMALL_IMAGE_PIXELS
        cands = pp.find_candidates(gray)
        # only regions with a finder-pattern-like mark are worth the ladder (keeps empty frames cheap)
        strong = [c for c in cands if c.finders >= 1]
        # a dense square region without a visible finder mark (blurred, small): a short ladder only
        weak = [c for c in cands if c.finders == 0 and c.score >= _WEAK_MIN_SCORE and c.side >= _WEAK_MIN_SIDE][:2]
        whole_image = pp.Candidate(0, 0, gray.shape[1], gray.shape[0], 1.0) if small_image else None
        if whole_image is not None:
            strong = [whole_image, *strong[:1]]
        if not cands and not small_image:
            return FrameRead((), (), self._no_code_hint(gray), None, None, self._ms(t0), None)
        # weak regions: the cheap zxing-cpp steps on each (WeChat, slow when it fails, only on stills)
        tries = ([(c, _Rung.FULL) for c in strong] + [(c, _Rung.CHEAP) for c in weak]
                 + [(c, _Rung.WECHAT) for c in weak[:1] if self.stills])
        for cand, rung in tries:
            # a region without a finder mark is often desk or card texture: a few steps only
            work.limit = work.spent + _WEAK_WORK if rung is _Rung.CHEAP else None
            whole = cand is whole_image  # a small photo tried whole
            for stage, backend, decoded in self._ladder(gray, cand, work, whole=whole, rung=rung, photo=whole):
                if decoded:
                    return self._result(gray, decoded, backend, stage, t0, work)
        if not cands:  # a small image tried whole, with no QR-like region in it: nothing seen
            return self._unread(self._no_code_hint(gray), t0, work)
        best = (strong or cands)[0]
        if best.finders == 0 and best.score < _WEAK_MIN_SCORE:
            return self._unread(self._no_code_hint(gray), t0, work)
        return self._unread(self._hint(gray, best), t0, work, best.corners(), _region_module_px(best), best.finders)

    def read_region(self, gray: np.ndarray, stage: str = "fused", *, work_budget: int | None = None,
                    module_px: float | None = None, deadline: float | None = None) -> FrameRead:
        """Decode an already cropped region (e.g. a multi-frame fused crop) with the ladder, no likelihood check.

        ``work_budget`` (default: the reader's) bounds the ladder; ``module_px``: the code's module size if known
        (else guessed from the region's size), for how much the crops are enlarged; ``deadline``: a
        ``time.perf_counter()`` value to stop at (e.g. what is left of the frame's wall-clock cap), on top of the
        reader's own cap.
        """
        if work_budget is not None and work_budget < 0:
            raise ValueError("work_budget must be >= 0")
        t0 = time.perf_counter()
        work = self._work(t0, work_budget)
        if deadline is not None:
            work.deadline = deadline if work.deadline is None else min(work.deadline, deadline)
        gray = as_gray(gray)
        h, w = gray.shape[:2]
        cand = pp.Candidate(0, 0, w, h, 1.0, module_px=module_px)
        for step, backend, decoded in self._ladder(gray, cand, work, whole=True):
            if decoded:
                return self._result(gray, decoded, backend, f"{stage}:{step}", t0, work)
        return self._unread(self._hint(gray, cand), t0, work)

    # ------------------------------------------------------------------ internals

    def _work(self, t0: float, budget: int | None = None) -> _Work:
        deadline = None if self.time_cap_ms is None else t0 + self.time_cap_ms / 1000.0
        return _Work(self.work_budget if budget is None else budget, deadline)

    @staticmethod
    def _ms(t0: float) -> float:
        return (time.perf_counter() - t0) * 1000.0

    def _unread(self, hint: ReadHint, t0: float, work: _Work, box: np.ndarray | None = None,
                module_px: float | None = None, finders: int = 0) -> FrameRead:
        return FrameRead((), (), hint, None, None, self._ms(t0), box, module_px, work.spent, work.wechat_tries,
                         finders)

    def _result(self, gray: np.ndarray, decoded: list[Decoded], backend: str, stage: str, t0: float,
                work: _Work) -> FrameRead:
        unique: dict[str, Decoded] = {}
        for d in decoded:
            unique.setdefault(d.text, d)
        texts = tuple(unique)
        first = decoded[0]
        module_px = first.module_px if first.module_px is not None else _decoded_module_px(gray, first)
        return FrameRead(texts, tuple(unique.values()), ReadHint.DECODED, backend, stage, self._ms(t0), first.points,
                         module_px, work.spent, work.wechat_tries)

    def _ladder(self, gray: np.ndarray, cand: pp.Candidate, work: _Work, *, whole: bool,
                rung: _Rung = _Rung.FULL, photo: bool = False) -> Iterator[tuple[str, str, list[Decoded]]]:
        """Yields (stage, backend, decoded) for each step tried, while the work budget lasts."""
        if whole:
            roi, offset = gray, (0, 0)
        else:
            roi, offset = pp.crop(gray, cand)
        if roi.shape[0] < 16 or roi.shape[1] < 16:
            return
        guess = cand.module_px if cand.module_px is not None else cand.side / _TYPICAL_MODULES
        module_px = max(0.5, _region_module_px(cand) if not whole else guess)
        factor = _TARGET_MODULE_PX / module_px

        def run(stage: str, img: np.ndarray, scale: float, decoders: Sequence[tuple[str, Decoder]],
                extra: int = 0) -> Iterator[tuple[str, str, list[Decoded]]]:
            for i, (name, dec) in enumerate(decoders):
                if not work.take(STEP_COST.get(name, 1) + (extra if i == 0 else 0)):
                    return
                work.wechat_tries += name == "wechat"
                got = dec.decode(img)
                mapped = [m for m in (_mapped(d, scale, offset) for d in got) if _plausible(m, cand, whole)]
                yield stage, name, mapped
                if mapped:
                    return

        plain = self._plain if rung is not _Rung.WECHAT else []
        wechat = ([("wechat", self._wechat)] if self._wechat is not None and work.wechat and rung is not _Rung.CHEAP
                  else [])
        if photo and self._opencv is not None and work.take(STEP_COST["opencv"]):
            # a small whole photo (of one code): OpenCV's curved-surface decoder first (WeChat has read this very
            # image already, in read()'s every-backend pass over stills)
            yield from self._curved(roi, offset)
        # upscaled to >= 2x and ~4.5 px per module, sharpened: zxing-cpp, then WeChat (on a crop this size
        # WeChat is fast and strong; on the raw small crop it is slow and weak)
        up, f = pp.upscale(roi, max(2.0, factor))
        sharp = pp.unsharp(up, sigma=max(1.0, 0.7 * f), amount=1.5)
        angle, isotropy = pp.motion_direction(roi)
        motions = _MOTIONS if isotropy < _MOTION_ISOTROPY else ()

        def deblurred(sigmas: Sequence[float], moves: Sequence[tuple[float, float]]
                      ) -> Iterator[tuple[str, str, list[Decoded]]]:
            # Wiener deconvolution for a defocus guess (and a straight motion along the region's least sharp
            # direction), then enlarged: it reads codes whose modules the blur has merged (unsharp masking only
            # steepens what is left of them)
            for sigma in sigmas:
                if not work.take(0):
                    return
                img = pp.upscale(pp.deblur(roi, sigma), max(2.0, factor))[0]
                yield from run("deblur", img, f, plain, STEP_COST["deblur"])
            for length, sigma in moves:
                if not work.take(0):
                    return
                img = pp.upscale(pp.deblur(roi, sigma, motion_px=length, motion_deg=angle), max(2.0, factor))[0]
                yield from run("deblur-motion", img, f, plain, STEP_COST["deblur"])

        # zxing-cpp (cheap) on the enlarged, sharpened and most likely deblurred crops first, then WeChat once
        # (strong on what the camera's compression and focus hunting leave, ~20 zxing calls' worth), then the
        # other deblur guesses, WeChat on a deblurred crop, and the rest of the ladder
        if plain:
            yield from run("upscale", up, f, plain)
            yield from run("sharpen", sharp, f, plain)
            yield from deblurred(_DEBLUR_SIGMAS[:1], motions[:2])
        if wechat:
            # WeChat's cost grows with its input; beyond ~480 px it is slow and gains nothing
            small, g = pp.upscale(roi, min(max(2.0, factor), _WECHAT_MAX_SIDE / max(roi.shape[:2])))
            sharp_small = pp.unsharp(small, sigma=max(1.0, 0.7 * g), amount=1.5) if g > 1.0 else small
            yield from run("wechat-sharpen", sharp_small, g, wechat)
        if plain:
            yield from deblurred(_DEBLUR_SIGMAS[1:], motions[2:])
        if wechat and work.take(0):  # WeChat's super-resolution on a deblurred crop (one middle defocus guess)
            img = pp.upscale(pp.deblur(roi, _WECHAT_DEBLUR_SIGMA), g)[0]
            yield from run("wechat-deblur", img, g, wechat, STEP_COST["deblur"])
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
            if not work.take(0):
                return
            img = make()
            if img is None:
                continue
            with_wechat = stage == "deglare"  # WeChat once more only when glare was removed
            yield from run(stage, img, f, [*plain, *(wechat if with_wechat else [])])
        if not whole and self._opencv is not None and work.take(STEP_COST["opencv"]):
            yield from self._curved(roi, offset)

    def _curved(self, roi: np.ndarray, offset: tuple[int, int]) -> Iterator[tuple[str, str, list[Decoded]]]:
        from scanner.decoders.opencv_backend import OpenCVDecoder

        dec = self._opencv
        if isinstance(dec, OpenCVDecoder):
            got = dec.decode_curved(pp.pad_white(roi))
            yield "curved", "opencv", [_mapped(d, 1.0, offset) for d in got]

    @staticmethod
    def _no_code_hint(gray: np.ndarray) -> ReadHint:
        # brightness only: on an empty camera frame (most frames) sharpness and glare measures would be wasted
        return ReadHint.TOO_DARK if pp.brightness(gray) < _DARK else ReadHint.NO_CODE

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
