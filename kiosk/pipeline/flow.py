"""The pipeline's states, the events it publishes, and the one table that says which event moves which state.

Every state change is an event: the pipeline publishes an :class:`EventKind` and its state becomes
``TRANSITIONS.get((state, kind), state)``. Only the attempt in focus moves the state — the one the lookup worker
handles, or else the one the camera is reading; events of an attempt waiting behind it are published unchanged.
Listeners (the UI) follow the state each event carries.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.attempts import InputSource, LookupAttempt
from kiosk.outcomes import Outcome

if TYPE_CHECKING:
    from kiosk.eligibility import EligibilityResult
    from kiosk.log.writer import Receipt
    from kiosk.tickets.issuer import IssuedTicket
    from scanner.cccd import CitizenCard
    from scanner.reader import ReadHint


class PipelineState(StrEnum):
    STOPPED = "stopped"
    WAITING = "waiting"
    READING = "reading"
    LOOKING_UP = "looking-up"
    RESULT = "result"
    ERROR = "error"


class EventKind(StrEnum):
    STARTED = "started"  # the pipeline runs: waiting for a card
    STOPPED = "stopped"  # every thread it started has ended
    FRAME = "frame"  # a preview frame (event.frame, BGR; listeners must not modify it) + event.hint
    CARD_SEEN = "card-seen"  # a QR code appeared or a payload came in (an attempt starts: event.attempt_id)
    CARD_READ = "card-read"  # a valid CCCD was read (event.card)
    CARD_INVALID = "card-invalid"  # a CCCD-shaped payload failed validation (event.error; outcome INVALID_CARD)
    NOT_ID_CARD = "not-id-card"  # a QR that is not an ID card (event.outcome NOT_ID_CARD)
    LOOKING_UP = "looking-up"  # the signed request is on its way (event.card)
    RESULT = "result"  # event.result: EligibilityResult; event.card; event.outcome
    # no answer within the first-try deadline, or a transient failure: the lookup goes on in the background
    # (background retries on); event.outcome is the first try's, event.ticket the queue ticket when one was issued
    PENDING = "pending"
    ATTEMPT_ENDED = "attempt-ended"  # ended with nothing to show: event.outcome UNREADABLE or CANCELLED, event.error
    RESET = "reset"  # the result was dismissed: waiting for the next card
    ERROR = "error"  # a problem outside an attempt (log write failure, decoder crash); event.error
    SOURCE_FAILED = "source-failed"  # the frame source cannot be opened; event.error
    SOURCE_LOST = "source-lost"  # the camera went away (it is retried); event.error
    SOURCE_RESTORED = "source-restored"


S, E = PipelineState, EventKind
_RUNNING = (S.WAITING, S.READING, S.LOOKING_UP, S.RESULT, S.ERROR)
_IDLE = (S.WAITING, S.READING, S.RESULT, S.ERROR)  # no lookup in flight

# (state, event) -> state; a pair not listed leaves the state as it is.
TRANSITIONS: dict[tuple[PipelineState, EventKind], PipelineState] = {
    (S.STOPPED, E.STARTED): S.WAITING,
    **{(s, E.STOPPED): S.STOPPED for s in _RUNNING},
    **{(s, E.CARD_SEEN): S.READING for s in _IDLE},
    (S.WAITING, E.CARD_READ): S.READING,
    **{(s, E.LOOKING_UP): S.LOOKING_UP for s in _IDLE},
    **{(s, kind): S.RESULT for s in _RUNNING for kind in (E.RESULT, E.CARD_INVALID, E.NOT_ID_CARD, E.PENDING)},
    (S.READING, E.ATTEMPT_ENDED): S.WAITING,
    (S.LOOKING_UP, E.ATTEMPT_ENDED): S.WAITING,
    (S.RESULT, E.RESET): S.WAITING,
    (S.ERROR, E.RESET): S.WAITING,
    **{(s, E.SOURCE_FAILED): S.ERROR for s in _RUNNING},
    (S.WAITING, E.SOURCE_LOST): S.ERROR,
    (S.READING, E.SOURCE_LOST): S.ERROR,
    (S.ERROR, E.SOURCE_RESTORED): S.WAITING,
}
del S, E


def next_state(state: PipelineState, kind: EventKind) -> PipelineState:
    return TRANSITIONS.get((state, kind), state)


@dataclass(frozen=True)
class PipelineEvent:
    kind: EventKind
    state: PipelineState  # the pipeline's state after this event
    attempt_id: str | None = None
    source: InputSource | None = None
    frame: Any = None  # numpy BGR image (FRAME events)
    hint: ReadHint | None = None
    module_px: float | None = None  # FRAME: QR module size of the best candidate (camera pixels), if measured
    card: CitizenCard | None = None
    result: EligibilityResult | None = None
    outcome: Outcome | None = None
    error: str | None = None  # technical English reason (for logs/staff); the UI maps outcome -> text
    ticket: IssuedTicket | None = None  # PENDING: the queue ticket issued (kiosk mode)
    timestamp: float = field(default_factory=time.monotonic)


@dataclass(frozen=True)
class RecordedAttempt:
    """What record listeners get once per ended attempt, after it was handed to the log."""

    attempt: LookupAttempt
    path: Path | None = None  # the image file (image and folder sources) or video the card came from
    result: EligibilityResult | None = None  # when a lookup returned
    # the lookup log's commit receipt (``receipt.add_done_callback``/``wait``): report an attempt as recorded only
    # once it is committed; None when the log gives no receipts or refused the attempt outright
    receipt: Receipt | None = None
