"""Frames of one presentation in, confirmed card reads out.

:class:`StreamReader` runs the :class:`~scanner.reader.FrameReader` on each frame, confirms texts across
frames (:class:`~scanner.confirm.ReadConfirmer`: a valid card at once, anything else after two sightings)
and classifies them (:func:`scanner.payload.classify_payload`).

Frames of one presentation are not independent tries. When single frames fail, the QR-like region of the last
few frames is aligned to the newest one (OpenCV ECC, affine) and averaged, and the fused crop goes through the
decode ladder: that removes sensor noise and JPEG artefacts and steadies focus hunting. Fusion waits until the
region holds still, and a region without a finder mark is fused only when the averaged crop shows one. WeChat, by
far the slowest step, runs on one frame in ``wechat_every`` while it fails, so that no frame waits long.

The live camera's reader has a wall-clock safety net (:data:`LIVE_TIME_CAP_MS`) on top of its work budget,
so one hard frame cannot stall the camera thread.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace

import cv2
import numpy as np

from scanner import preprocess as pp
from scanner.confirm import ReadConfirmer
from scanner.decoders import as_gray
from scanner.payload import PayloadReading, best_reading, classify_payload
from scanner.reader import FrameRead, FrameReader, ReadHint

_ALIGN_SIDE = 160  # px: alignment runs on the tracked region shrunk to this size
#: Fusion waits until the tracked region moved less than this share of its side since the last frame (webcam-dev
#: clips: every fused read came at <= 0.04; a card being brought in moves 0.1-0.6 per frame).
_STEADY_SHIFT = 0.1
_FINDER_CHECK_PX = 4.0  # a fused crop is looked at for finder marks enlarged to this many px per module
#: The live camera's wall-clock safety net per frame (the work budget decides what is tried; this only stops a
#: frame that takes far longer than its work suggests, e.g. on an overloaded machine).
LIVE_TIME_CAP_MS = 60.0


@dataclass(frozen=True)
class StreamResult:
    frame_read: FrameRead
    texts: tuple[str, ...]  # decoded in this frame (or its fused crop), exact
    accepted: str | None  # the newly confirmed text, reported once
    reading: PayloadReading | None  # of the accepted text, else of the best text seen in this frame
    hint: ReadHint
    ms: float
    fused: bool = False  # the texts came from the multi-frame fused crop
    #: QR module size (frame px) of the best QR candidate in the frame, decoded or not (FrameRead.module_px);
    #: None when the frame shows no QR-like region. For "move closer / further" guidance.
    module_px: float | None = None


def _card_validator(text: str) -> bool:
    return classify_payload(text).valid


@dataclass
class _Track:
    frame: np.ndarray  # gray frame
    box: np.ndarray  # 4x2 corners of the QR-like region


class StreamReader:
    """Feed it camera frames in order; it says when a card has been read. Not thread-safe."""

    def __init__(self, reader: FrameReader | None = None, confirmer: ReadConfirmer | None = None, *,
                 fusion_frames: int = 4, fusion_work: int = 12, wechat_every: int = 8,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if fusion_frames < 0:
            raise ValueError("fusion_frames must be >= 0")
        if wechat_every < 1:
            raise ValueError("wechat_every must be >= 1")
        self.reader = reader if reader is not None else FrameReader(time_cap_ms=LIVE_TIME_CAP_MS)
        self.confirmer = confirmer if confirmer is not None else ReadConfirmer(validator=_card_validator)
        self.fusion_frames = fusion_frames
        self.fusion_work = fusion_work
        self.wechat_every = wechat_every
        self._wechat_rest = 0  # frames still to go without WeChat
        self._clock = clock
        self._track: deque[_Track] = deque(maxlen=max(1, fusion_frames))

    def reset(self) -> None:
        self.confirmer.reset()
        self._track.clear()
        self._wechat_rest = 0

    def feed(self, frame: np.ndarray, now: float | None = None) -> StreamResult:
        t0 = time.perf_counter()
        now = self._clock() if now is None else float(now)
        gray = as_gray(frame)
        # WeChat (10-150 ms a call) on at most one frame in ``wechat_every`` while it fails: the frames between
        # keep the cheap steps, so no frame of a presentation waits long
        fr = self.reader.read(gray, wechat=self._wechat_rest == 0)
        self._wechat_rest = (self.wechat_every - 1 if fr.wechat_tries and not fr.texts
                             else max(0, self._wechat_rest - 1))
        texts = fr.texts
        fused = False
        if texts:
            self._track.clear()
        elif fr.qr_box is not None and self.fusion_frames >= 2:
            # the region joins the track; the fused crop gets its own work budget (fusion_work)
            fused_read = self._fuse(gray, fr, t0)
            if fused_read is not None and fused_read.texts:
                fr = FrameRead(fused_read.texts, fused_read.decoded, ReadHint.DECODED, fused_read.backend,
                               fused_read.stage, fr.ms + fused_read.ms, fr.qr_box,
                               module_px=fused_read.module_px or fr.module_px)
                texts = fused_read.texts
                fused = True
        else:
            self._track.clear()
        readings = [classify_payload(t) for t in texts]
        accepted: str | None = None
        reading: PayloadReading | None = None
        for text, r in zip(texts, readings, strict=True):
            if self.confirmer.offer(text, now) and accepted is None:
                accepted, reading = text, r
        if reading is None:
            reading = best_reading(readings)
        ms = (time.perf_counter() - t0) * 1000.0
        return StreamResult(fr, texts, accepted, reading, fr.hint, ms, fused, fr.module_px)

    # ------------------------------------------------------------------ multi-frame fusion

    def _fuse(self, gray: np.ndarray, fr: FrameRead, t0: float) -> FrameRead | None:
        """Align the tracked region of the last frames to this one, average, decode (None: nothing to fuse yet)."""
        box = np.asarray(fr.qr_box, np.float32)
        side = float(np.max(box.max(axis=0) - box.min(axis=0)))
        shift = 0.0
        if self._track:
            prev = self._track[-1].box
            size = float(np.linalg.norm(box.max(axis=0) - box.min(axis=0)))
            shift = float(np.linalg.norm(prev.mean(axis=0) - box.mean(axis=0)))
            if shift > 0.5 * size:
                self._track.clear()  # a different region: start a new track
        self._track.append(_Track(gray, box))
        # a region still moving (a card being brought in) blurs and shifts too much to align: wait until it holds
        if len(self._track) < 2 or shift > _STEADY_SHIFT * side:
            return None
        h, w = gray.shape[:2]
        m = 0.35 * side
        x0, y0 = (np.floor(box.min(axis=0) - m)).astype(int)
        x1, y1 = (np.ceil(box.max(axis=0) + m)).astype(int)
        x0, y0, x1, y1 = max(0, x0), max(0, y0), min(w, x1), min(h, y1)
        if x1 - x0 < 24 or y1 - y0 < 24:
            return None
        ref = gray[y0:y1, x0:x1].astype(np.float32)
        # align on a small copy (ECC cost grows with the area), then apply the warp at full size
        s = min(1.0, _ALIGN_SIDE / max(ref.shape[:2]))
        small_size = (max(8, round(ref.shape[1] * s)), max(8, round(ref.shape[0] * s)))
        ref_small = cv2.resize(ref, small_size, interpolation=cv2.INTER_AREA) if s < 1.0 else ref
        acc = ref.copy()
        n = 1
        criteria = (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 20, 1e-4)
        for item in list(self._track)[:-1]:
            if item.frame.shape != gray.shape:
                continue
            other = item.frame[y0:y1, x0:x1].astype(np.float32)
            other_small = cv2.resize(other, small_size, interpolation=cv2.INTER_AREA) if s < 1.0 else other
            warp = np.eye(2, 3, dtype=np.float32)
            try:
                _, warp = cv2.findTransformECC(ref_small, other_small, warp, cv2.MOTION_AFFINE, criteria, None, 3)
            except cv2.error:
                continue  # no alignment found (the region moved too much): leave this frame out
            warp[:, 2] /= s
            aligned = cv2.warpAffine(other, warp, (ref.shape[1], ref.shape[0]),
                                     flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP, borderMode=cv2.BORDER_REPLICATE)
            acc += aligned
            n += 1
        if n < 2:
            return None
        fused = np.clip(acc / n, 0, 255).astype(np.uint8)
        if fr.finders == 0 and not pp.finder_patterns(pp.upscale(fused, _FINDER_CHECK_PX / (fr.module_px or 1.0))[0]):
            # no finder mark in the frame's region, and none the averaging brought out of the noise: texture, most
            # likely (webcam-dev clips: 103 fused ladders on such regions, 25 ms each, read nothing new)
            return None
        # the live camera's wall-clock cap holds for the frame as a whole, fusion included
        cap = self.reader.time_cap_ms
        deadline = None if cap is None else t0 + cap / 1000.0
        read = self.reader.read_region(fused, stage="fused", work_budget=self.fusion_work, module_px=fr.module_px,
                                       deadline=deadline)
        if not read.texts:
            return read
        offset = np.array([x0, y0], np.float32)
        decoded = tuple(replace(d, points=None if d.points is None else d.points + offset) for d in read.decoded)
        return FrameRead(read.texts, decoded, read.hint, read.backend, read.stage, read.ms, read.qr_box,
                         module_px=read.module_px)
