"""A synthetic camera: made-up cards presented in front of a webcam, over and over.

Each *presentation* is one card coming into view (sliding in from a side, tilted and motion-blurred), held
for 1-2 s (hand shake, slow wobble, the autofocus hunting when it arrives and once more in the middle),
then leaving, followed by a gap of empty-desk frames. Presentations cycle over ``payloads`` (default: the
list in ``assets/demo/synthetic_cards.txt``). Frames come from :func:`scanner.standins.synth.synth_frame`.

Deterministic: frame ``i`` is a pure function of ``(seed, payloads, i, settings)``, whether frames are read
in real time (paced at ``fps``, dropping frames when the consumer is slow, like a camera) or as fast as
possible (``realtime=False``: every frame in order, timestamps spaced 1/fps apart).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from scanner.sources.base import Frame, FrameSource, SourceError

if TYPE_CHECKING:
    from scanner.standins.synth import FrameConditions

DEFAULT_CARDS_FILE = "synthetic_cards.txt"
PAPER_PREFIX = "paper:"  # a line "paper:<text>" is shown as a printed QR sheet, not as an ID card
CARD_ASPECT = 54.0 / 85.6  # ID-1 card height over width


def default_payloads_file() -> Path:
    from scanner.assets import assets_dir

    return assets_dir() / "demo" / DEFAULT_CARDS_FILE


def load_payloads(path: str | Path | None = None) -> list[str]:
    """Payloads from a text file: one per line, UTF-8, blank lines and ``#`` comments ignored.

    Raises :class:`SourceError` when the file cannot be read or holds no payload.
    """
    try:
        file = Path(path) if path is not None else default_payloads_file()
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"synthetic card list: cannot read {path or DEFAULT_CARDS_FILE}: {exc}") from None
    payloads = [line.rstrip("\r\n") for line in text.splitlines()]
    payloads = [p for p in payloads if p.strip() and not p.lstrip().startswith("#")]
    if not payloads:
        raise SourceError(f"synthetic card list {file}: no payloads")
    return payloads


class Phase(StrEnum):
    ENTER = "enter"
    HOLD = "hold"
    LEAVE = "leave"
    GAP = "gap"


@dataclass(frozen=True)
class Presentation:
    number: int  # 0, 1, 2, ... over the whole run
    payload: str
    first_frame: int
    enter: int  # frames per phase
    hold: int
    leave: int
    gap: int
    side: float  # -1: comes from the left, +1: from the right
    exit_side: float
    target: FrameConditions  # the card at rest, during the hold
    refocus_at: int  # frame within the hold where the autofocus hunts again (-1: never)

    @property
    def length(self) -> int:
        return self.enter + self.hold + self.leave + self.gap

    @property
    def card_frames(self) -> range:
        """Frame indices where the card is (at least partly) in view."""
        return range(self.first_frame, self.first_frame + self.enter + self.hold + self.leave)

    @property
    def hold_frames(self) -> range:
        start = self.first_frame + self.enter
        return range(start, start + self.hold)

    def phase_of(self, index: int) -> tuple[Phase, int]:
        i = index - self.first_frame
        for phase, n in ((Phase.ENTER, self.enter), (Phase.HOLD, self.hold), (Phase.LEAVE, self.leave)):
            if i < n:
                return phase, i
            i -= n
        return Phase.GAP, i


class SyntheticSource(FrameSource):
    """A live source of synthetic card presentations; see the module docstring.

    ``difficulty``: ``easy`` (close, sharp, well lit: the demo camera), ``mixed`` or ``hard`` — the
    resting conditions of each presentation come from ``FrameConditions.random``.
    """

    live = True

    def __init__(
        self,
        payloads: Sequence[str] | None = None,
        *,
        seed: int = 0,
        fps: float = 30.0,
        width: int = 1280,
        height: int = 720,
        realtime: bool = True,
        difficulty: str = "easy",
        hold_seconds: tuple[float, float] = (1.0, 2.0),
        gap_seconds: tuple[float, float] = (0.6, 1.5),
        max_frames: int | None = None,
    ) -> None:
        super().__init__()
        if payloads is None:
            payloads = load_payloads()
        payloads = [p for p in payloads if isinstance(p, str) and p]
        if not payloads:
            raise SourceError("synthetic source: no payloads")
        if not (fps > 0 and math.isfinite(fps)):
            raise SourceError(f"synthetic source: fps must be > 0, got {fps}")
        if difficulty not in ("easy", "mixed", "hard"):
            raise SourceError(f"synthetic source: difficulty must be easy, mixed or hard, got {difficulty!r}")
        if not (160 <= width <= 4096 and 120 <= height <= 4096):
            raise SourceError(f"synthetic source: frame size {width}x{height} out of range")
        if not (0 < hold_seconds[0] <= hold_seconds[1] and 0 <= gap_seconds[0] <= gap_seconds[1]):
            raise SourceError("synthetic source: bad hold/gap durations")
        self.payloads: tuple[str, ...] = tuple(payloads)
        self.seed = int(seed)
        self.fps = float(fps)
        self.frame_size = (int(width), int(height))
        self.realtime = realtime
        self.difficulty = difficulty
        self.hold_seconds = hold_seconds
        self.gap_seconds = gap_seconds
        self.max_frames = max_frames
        self.background_seed = self.seed % 1000
        self.description = f"synthetic cards (seed {self.seed}, {len(self.payloads)} payloads)"
        self._plan: list[Presentation] = []
        self._plan_lock = threading.Lock()
        self._next = 0
        self._t0 = 0.0
        self._stop = threading.Event()

    # -- the plan (pure functions of seed and index) ------------------------------------------------------
    def presentation(self, number: int) -> Presentation:
        """The ``number``-th presentation (0-based)."""
        with self._plan_lock:
            while len(self._plan) <= number:
                self._plan.append(self._make_presentation(len(self._plan)))
            return self._plan[number]

    def presentation_at(self, index: int) -> Presentation:
        """The presentation that frame ``index`` belongs to."""
        if index < 0:
            raise ValueError("frame index must be >= 0")
        number = 0
        while True:
            p = self.presentation(number)
            if index < p.first_frame + p.length:
                return p
            number += 1

    def payload_at(self, index: int) -> str | None:
        """The payload whose card is in view in frame ``index`` (``None`` in the gaps)."""
        p = self.presentation_at(index)
        return p.payload if index in p.card_frames else None

    def _seconds(self, rng: np.random.Generator, lo: float, hi: float) -> int:
        return max(1, round(float(rng.uniform(lo, hi)) * self.fps))

    def _make_presentation(self, number: int) -> Presentation:
        from scanner.standins.synth import FrameConditions

        rng = np.random.default_rng([self.seed, number])
        first = 0
        if number > 0:
            prev = self._plan[number - 1]
            first = prev.first_frame + prev.length
        payload = self.payloads[number % len(self.payloads)]
        target = replace(FrameConditions.random(rng, self.difficulty), frame_size=self.frame_size)
        # keep the resting card inside the frame so the hold is a fair chance to read it
        fw, fh = self.frame_size
        aspect = CARD_ASPECT * fw / fh  # card height over frame height per unit of card_width_frac
        frac = min(target.card_width_frac, 0.9 / aspect, 0.9)
        if payload.startswith(PAPER_PREFIX):
            frac *= 0.5  # a printed code fills its sheet: a smaller sheet shows a QR the size of a card's
        cx = float(np.clip(target.center[0], 0.5 * frac + 0.02, 1 - 0.5 * frac - 0.02))
        cy = float(np.clip(target.center[1], 0.5 * frac * aspect + 0.02, 1 - 0.5 * frac * aspect - 0.02))
        target = replace(target, center=(cx, cy), card_width_frac=max(0.05, frac))
        hold = self._seconds(rng, *self.hold_seconds)
        return Presentation(
            number=number,
            payload=payload,
            first_frame=first,
            enter=self._seconds(rng, 0.25, 0.5),
            hold=hold,
            leave=self._seconds(rng, 0.2, 0.4),
            gap=max(0, round(float(rng.uniform(*self.gap_seconds)) * self.fps)),
            side=float(rng.choice([-1.0, 1.0])),
            exit_side=float(rng.choice([-1.0, 1.0])),
            target=target,
            refocus_at=int(rng.integers(hold // 3, max(hold // 3 + 1, 2 * hold // 3))) if rng.random() < 0.5 else -1,
        )

    def conditions_at(self, index: int) -> FrameConditions | None:
        """The ``FrameConditions`` of frame ``index`` (``None``: empty desk)."""
        p = self.presentation_at(index)
        phase, i = p.phase_of(index)
        if phase is Phase.GAP:
            return None
        target = p.target
        rng = np.random.default_rng([self.seed, p.number, index])
        rest = np.array(target.center)
        off_start = np.array([0.5 + p.side * 1.1, rest[1] + 0.25])
        off_end = np.array([0.5 + p.exit_side * 1.1, rest[1] + 0.35])
        t_hold = 0.0
        extra_rot = 0.0
        if phase is Phase.ENTER:
            u = (i + 1) / p.enter
            ease = 1 - (1 - u) ** 3
            pos = off_start + (rest - off_start) * ease
            prev_u = i / p.enter
            prev = off_start + (rest - off_start) * (1 - (1 - prev_u) ** 3)
            extra_rot = (1 - ease) * 20 * p.side
            defocus = 2.5 * (1 - ease) + 1.0
        elif phase is Phase.LEAVE:
            u = (i + 1) / p.leave
            ease = u**2
            pos = rest + (off_end - rest) * ease
            prev = rest + (off_end - rest) * (i / p.leave) ** 2
            extra_rot = ease * 15 * p.exit_side
            defocus = 0.5 + ease
        else:
            t_hold = i / self.fps
            # hand shake plus a slow wobble
            pos = rest + rng.normal(0, 0.004, 2) + 0.01 * np.array([math.sin(1.3 * t_hold), math.cos(0.9 * t_hold)])
            prev = pos
            focus = max(0.0, 2.2 * (1 - i / max(1, round(0.4 * self.fps))))  # autofocus settling on arrival
            if p.refocus_at >= 0:
                d = abs(i - p.refocus_at) / max(1.0, 0.15 * self.fps)
                focus = max(focus, 1.8 * max(0.0, 1 - d))  # and hunting once mid-hold
            defocus = focus
        speed_px = float(np.linalg.norm((pos - prev) * np.array(self.frame_size)))
        wobble = 4.0 * math.sin(2.1 * t_hold + p.number)
        return replace(
            target,
            center=(float(pos[0]), float(pos[1])),
            rotation_deg=target.rotation_deg + extra_rot + float(rng.normal(0, 0.7)),
            tilt=(target.tilt[0] + wobble, target.tilt[1] + 0.6 * wobble + float(rng.normal(0, 1.0))),
            defocus_sigma=max(target.defocus_sigma, defocus),
            motion_blur_px=min(25.0, max(target.motion_blur_px, 0.5 * speed_px)),
            motion_angle=float(math.degrees(math.atan2(*(pos - prev)[::-1]))) if speed_px > 0 else target.motion_angle,
            seed=int(rng.integers(0, 2**31)),
        )

    def render(self, index: int) -> np.ndarray:
        """Frame ``index`` as a BGR image (the same image every time for the same source settings)."""
        from scanner.standins.synth import FrameConditions, other_qr_frame, synth_frame

        cond = self.conditions_at(index)
        if cond is None:
            empty = FrameConditions(frame_size=self.frame_size, seed=index)
            return synth_frame(None, empty, background_seed=self.background_seed)
        payload = self.presentation_at(index).payload
        if payload.startswith(PAPER_PREFIX) and len(payload) > len(PAPER_PREFIX):
            return other_qr_frame(payload[len(PAPER_PREFIX) :], cond, background_seed=self.background_seed)
        return synth_frame(payload, cond, background_seed=self.background_seed)

    # -- FrameSource ---------------------------------------------------------------------------------------
    def _open(self) -> None:
        try:
            import scanner.standins.synth  # noqa: F401  (fail here, not in the middle of a read)
        except ImportError as exc:
            raise SourceError(f"synthetic source unavailable: {exc}") from None
        self._stop.clear()
        self._t0 = time.monotonic()
        self._next = 0

    def _close(self) -> None:
        self._stop.set()

    @property
    def finished(self) -> bool:
        return self.max_frames is not None and self._next >= self.max_frames

    def _read(self, timeout: float | None) -> Frame | None:
        if self.finished:
            if self.realtime and timeout is not None:  # a live source with a frame budget: nothing more comes
                self._stop.wait(timeout)
            return None
        index = self._next
        if self.realtime:
            now = time.monotonic()
            due_index = int((now - self._t0) * self.fps)
            index = max(index, due_index)  # a slow consumer gets the current frame: older ones are dropped
            due = self._t0 + index / self.fps
            wait = due - now
            if wait > 0:
                if timeout is not None and wait > timeout:
                    self._stop.wait(timeout)
                    return None
                if self._stop.wait(wait):
                    return None
            if self.max_frames is not None and index >= self.max_frames:
                self._next = index
                return None
        if self._stop.is_set():
            return None
        self._next = index + 1
        return Frame(image=self.render(index), index=index, timestamp=self._t0 + index / self.fps)
