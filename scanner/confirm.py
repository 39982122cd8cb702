"""When is a decoded text a read? Pure logic: no threads, no clock of its own (``now`` is passed in).

A text that the validator accepts (it parses as a valid card) is reported at once. Any other text must be
seen in ``min_frames`` frames within ``window_s`` seconds first (a single misread frame never reaches the
user). A reported text is not reported again until it has been out of sight for ``holdoff_s`` seconds, so a
card left in front of the camera is one read, and the same card shown again after a pause is a new one.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class _Sightings:
    times: deque[float] = field(default_factory=deque)
    reported_at: float | None = None
    last_seen: float = float("-inf")


class ReadConfirmer:
    def __init__(self, min_frames: int = 2, holdoff_s: float = 5.0,
                 validator: Callable[[str], bool] | None = None, *, window_s: float = 2.0) -> None:
        if min_frames < 1:
            raise ValueError("min_frames must be >= 1")
        if holdoff_s < 0 or window_s <= 0:
            raise ValueError("holdoff_s must be >= 0 and window_s > 0")
        self.min_frames = min_frames
        self.holdoff_s = float(holdoff_s)
        self.window_s = float(window_s)
        self.validator = validator
        self._seen: dict[str, _Sightings] = {}

    def offer(self, text: str, now: float) -> bool:
        """Record a sighting of ``text`` at time ``now`` (seconds); True when it is newly confirmed (report it)."""
        if not isinstance(text, str) or not text:
            return False
        self._forget(now)
        s = self._seen.setdefault(text, _Sightings())
        previous_sighting = s.last_seen
        s.last_seen = max(s.last_seen, now)
        if s.reported_at is not None:
            if now - previous_sighting < self.holdoff_s:
                return False  # still (or again too soon) in view: already reported
            s.reported_at = None
            s.times.clear()
        s.times.append(now)
        while s.times and now - s.times[0] > self.window_s:
            s.times.popleft()
        valid = False
        if self.validator is not None:
            try:
                valid = bool(self.validator(text))
            except Exception:  # a validator bug must not stop the camera loop
                valid = False
        if valid or len(s.times) >= self.min_frames:
            s.reported_at = now
            s.times.clear()
            return True
        return False

    def is_held(self, text: str, now: float) -> bool:
        """True while ``text`` was reported and is within its hold-off (a repeat would be suppressed)."""
        s = self._seen.get(text)
        return s is not None and s.reported_at is not None and now - s.last_seen < self.holdoff_s

    def reset(self) -> None:
        """Forget every sighting and report (the next presentation starts afresh)."""
        self._seen.clear()

    def _forget(self, now: float) -> None:
        horizon = max(self.holdoff_s, self.window_s)
        stale = [t for t, s in self._seen.items() if now - s.last_seen > horizon]
        for t in stale:
            del self._seen[t]
