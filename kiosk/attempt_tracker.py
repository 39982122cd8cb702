"""Camera attempt bookkeeping: when an attempt starts, when it ends, and which card is "the same card".

Pure logic on a caller-supplied clock (``time.monotonic()`` values; frame timestamps for the camera), so
it is tested with a fake clock and no threads. The pipeline feeds it one :class:`Observation` per decoded
frame (and :meth:`AttemptTracker.tick` when no frame came) and acts on the :class:`TrackerAction` list it
returns.

Rules
-----
* An attempt starts when a code is first seen (a QR candidate, even one that does not decode yet).
* An attempt that is seen but never decoded ends as UNREADABLE when the code has been gone for
  ``gone_s`` (about 2 s), or after ``max_read_s`` of trying; the frames seen until then are kept.
* A confirmed text (the stream reader's ``accepted``) ends the reading phase: the pipeline classifies it
  (valid ID card -> lookup; invalid card; not an ID card).
* After a card was read it stays *present* while codes keep appearing (gaps shorter than ``gone_s``):
  undecoded frames are taken for the same card and start nothing; the same text decoded again starts
  nothing; a *different* text starts a new attempt at once (cards swapped quickly). A code that comes
  back after a short gap (``rearm_s``) opens a *silent* sighting, so that a swapped card's attempt starts
  when it came into view: it becomes an attempt if it decodes to another text, and is dropped otherwise.
* After a card has left, its text is *held off* for ``hold_off_s``: shown again within that time it
  starts no new attempt (no second lookup, no second "not an ID card" record), unless another card was
  read in between (then it is a new presentation: patient A, patient B, patient A again). While any text is held
  off a new sighting is *provisional*: it is announced (CARD_SEEN) only when it decodes to a new text or
  ends unreadable, and is dropped silently when it decodes to a held-off text, so that every announced
  attempt still ends in exactly one record.
* While the pipeline is *busy* (a lookup in flight) new cards wait: the tracker's actions are deferred,
  not lost, and handed out in order when :meth:`AttemptTracker.set_busy` clears the flag.
* Still images (a folder of photos): each image is its own presentation, ended with
  :meth:`AttemptTracker.end_presentation`, which also forgets the held-off texts.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


@dataclass(frozen=True)
class TrackerTiming:
    gone_s: float = 2.0  # a code unseen this long has left the camera
    hold_off_s: float = 5.0  # the same text is not handled again within this time after it left
    max_read_s: float = 30.0  # a code that does not decode within this time ends as unreadable
    rearm_s: float = 0.5  # a code back after this long without one may be a new card (cards swapped quickly)

    def __post_init__(self) -> None:
        if not (self.gone_s > 0 and self.hold_off_s >= 0 and self.max_read_s > 0 and self.rearm_s > 0):
            raise ValueError(f"invalid tracker timing: {self}")


@dataclass(frozen=True)
class Observation:
    """What the decoder made of one frame (independent of the scanner's types, for testing)."""

    now: float
    candidate: bool  # a QR code (or something that looks like one) is in the frame
    accepted: str | None = None  # a confirmed text (stream reader), else None
    reading: Any = None  # the classification of ``accepted`` (scanner.payload.PayloadReading)
    backend: str | None = None  # the decoder that produced ``accepted``
    stage: str | None = None  # the decode-ladder stage that produced it


@dataclass
class CameraAttempt:
    attempt_id: str
    first_seen: float
    last_seen: float
    frames_seen: int = 1
    announced: bool = True
    silent: bool = False  # taken for the card already in view unless it decodes to another text
    # set when read
    text: str | None = None
    reading: Any = None
    read_at: float | None = None
    backend: str | None = None
    stage: str | None = None


class ActionKind(StrEnum):
    STARTED = "started"  # announce the attempt (CARD_SEEN)
    UNREADABLE = "unreadable"  # end it: seen, never decoded
    READ = "read"  # a text was confirmed for it: classify, then look up / record
    CANCELLED = "cancelled"  # end it: cancelled while reading


@dataclass(frozen=True)
class TrackerAction:
    kind: ActionKind
    attempt: CameraAttempt


def new_attempt_id() -> str:
    return uuid.uuid4().hex


@dataclass
class AttemptTracker:
    timing: TrackerTiming = field(default_factory=TrackerTiming)
    make_id: Callable[[], str] = new_attempt_id

    def __post_init__(self) -> None:
        self._attempt: CameraAttempt | None = None  # seen, not yet read
        self._present = False  # a card that was read (or given up on) is in view
        self._present_text: str | None = None
        self._present_last_seen = 0.0
        self._held: dict[str, float] = {}  # text -> hold-off expiry
        self._busy = False
        self._deferred: list[TrackerAction] = []

    # ------------------------------------------------------------------ queries

    @property
    def reading(self) -> bool:
        """An attempt is open (seen, not yet read)."""
        return self._attempt is not None

    @property
    def current(self) -> CameraAttempt | None:
        return self._attempt

    @property
    def busy(self) -> bool:
        return self._busy

    @property
    def has_deferred(self) -> bool:
        return bool(self._deferred)

    # ------------------------------------------------------------------ inputs

    def observe(self, obs: Observation) -> list[TrackerAction]:
        actions = self._timeouts(obs.now)
        if obs.accepted is not None:
            actions += self._on_text(obs)
        elif obs.candidate:
            actions += self._on_candidate(obs.now)
        return self._route(actions)

    def tick(self, now: float) -> list[TrackerAction]:
        """Time passed without a frame (or with an empty one): close what timed out."""
        return self._route(self._timeouts(now))

    def flush(self) -> list[TrackerAction]:
        """Every deferred action at once (shutdown: they must still be recorded)."""
        out, self._deferred = self._deferred, []
        return out

    def end_presentation(self, now: float, *, forget_held: bool = True) -> list[TrackerAction]:
        """The input ended (still image done, end of a video): an open attempt ends unreadable."""
        actions = self._end_unreadable(self._attempt) if self._attempt is not None else []
        self._leave_present()
        self._attempt = None
        if forget_held:
            self._held.clear()
        return self._route(actions)

    def cancel(self, now: float) -> list[TrackerAction]:
        """Cancel the attempt being read (if any); the card in view starts nothing until it leaves."""
        attempt = self._attempt
        if attempt is None:
            return []
        actions = [TrackerAction(ActionKind.CANCELLED, attempt)] if attempt.announced else []
        self._be_present(None, max(attempt.last_seen, now))
        return self._route(actions)

    def set_busy(self, busy: bool) -> list[TrackerAction]:
        """Mark the pipeline busy (lookup in flight) or free.

        Freeing hands out the deferred actions in order, up to and including the first READ (which makes
        the pipeline busy again); the rest stay deferred until the next :meth:`set_busy` ``(False)``.
        """
        self._busy = busy
        if busy or not self._deferred:
            return []
        out: list[TrackerAction] = []
        while self._deferred:
            action = self._deferred.pop(0)
            out.append(action)
            if action.kind is ActionKind.READ:
                break
        return out

    # ------------------------------------------------------------------ internals

    def _route(self, actions: list[TrackerAction]) -> list[TrackerAction]:
        if not self._busy:
            return actions
        self._deferred.extend(actions)  # new cards wait until the lookup in flight has ended
        return []

    def _expire(self, now: float) -> None:
        self._held = {text: expiry for text, expiry in self._held.items() if expiry > now}

    def _leave_present(self) -> None:
        if self._present_text is not None:
            self._held[self._present_text] = self._present_last_seen + self.timing.hold_off_s
        self._present = False
        self._present_text = None

    def _be_present(self, text: str | None, last_seen: float) -> None:
        """The card in view is ``text`` (None: one that was not read); no attempt is open."""
        self._attempt = None
        self._present = True
        self._present_text = text
        self._present_last_seen = last_seen

    def _timeouts(self, now: float) -> list[TrackerAction]:
        actions: list[TrackerAction] = []
        attempt = self._attempt
        if attempt is not None:
            if now - attempt.last_seen > self.timing.gone_s:
                actions = self._end_unreadable(attempt)
                self._attempt = None
            elif now - attempt.first_seen > self.timing.max_read_s:
                actions = self._end_unreadable(attempt)
                self._be_present(None, attempt.last_seen)  # the undecodable code is still in view: start nothing
        if self._present and now - self._present_last_seen > self.timing.gone_s:
            self._leave_present()
        self._expire(now)
        return actions

    def _announce(self, attempt: CameraAttempt) -> list[TrackerAction]:
        """STARTED for an attempt not announced yet (a provisional sighting that turned out to be an attempt)."""
        if attempt.announced:
            return []
        attempt.announced = True
        return [TrackerAction(ActionKind.STARTED, attempt)]

    def _end_unreadable(self, attempt: CameraAttempt) -> list[TrackerAction]:
        if attempt.silent:
            return []  # most likely the card that was already read, flickering in and out of view
        return [*self._announce(attempt), TrackerAction(ActionKind.UNREADABLE, attempt)]

    def _on_candidate(self, now: float) -> list[TrackerAction]:
        if self._attempt is not None:
            self._attempt.frames_seen += 1
            self._attempt.last_seen = now
            return []
        if self._present:
            if now - self._present_last_seen <= min(self.timing.rearm_s, self.timing.gone_s):
                self._present_last_seen = now
                return []
            # back after a gap: the same card, or the next one already? Decide when it decodes.
            self._leave_present()
            self._attempt = CameraAttempt(self.make_id(), now, now, announced=False, silent=True)
            return []
        provisional = bool(self._held)
        self._attempt = CameraAttempt(self.make_id(), now, now, announced=not provisional)
        return [] if provisional else [TrackerAction(ActionKind.STARTED, self._attempt)]

    def _on_text(self, obs: Observation) -> list[TrackerAction]:
        text = obs.accepted
        assert text is not None
        now = obs.now
        if self._present:
            if text == self._present_text:
                self._present_last_seen = now
                return []
            self._leave_present()  # a different card replaced the one in view
        if text in self._held:
            # the same card shown again within the hold-off: nothing new; a provisional sighting is dropped
            if self._attempt is not None and self._attempt.announced:
                return self._read(self._attempt, obs)  # defensive: an announced attempt must still end
            self._held.pop(text, None)
            self._be_present(text, now)
            return []
        attempt = self._attempt
        if attempt is None:
            attempt = CameraAttempt(self.make_id(), now, now, announced=False)  # announced just below
        else:
            attempt.frames_seen += 1
            attempt.last_seen = now
        return self._announce(attempt) + self._read(attempt, obs)

    def _read(self, attempt: CameraAttempt, obs: Observation) -> list[TrackerAction]:
        attempt.text = obs.accepted
        attempt.reading = obs.reading
        attempt.read_at = obs.now
        attempt.backend = obs.backend
        attempt.stage = obs.stage
        self._held.clear()  # another card was read since: shown again, an earlier card is a new presentation
        self._be_present(obs.accepted, obs.now)
        return [TrackerAction(ActionKind.READ, attempt)]
