"""Which screen follows a pipeline event (pure Python, no Qt).

The screen is the state the event carries (:class:`kiosk.pipeline.PipelineState`, moved by the pipeline's
transition table) plus what only the window knows: STARTING (window up, camera/service not yet), CAMERA_LOST,
and a result that stays on screen until the app's result timeout or the next card.
"""

from __future__ import annotations

from enum import StrEnum

from kiosk.pipeline import EventKind, PipelineState


class Screen(StrEnum):
    STARTING = "starting"  # window shown; service / camera starting
    WAITING = "waiting"  # idle: show the card to the camera
    READING = "reading"  # a QR code is in view
    LOOKING_UP = "looking-up"  # the request is on its way (progress, cancel)
    RESULT = "result"  # an answer (or a reason there is none) with the next step
    TICKET = "ticket"  # the patient's queue number (kiosk); also while the BHYT answer is awaited in the background
    ERROR = "error"  # the app cannot scan: start-up failure, pipeline error
    CAMERA_LOST = "camera-lost"  # the camera went away; recovers by itself


# Events that end with something to show on the result screen.
RESULT_EVENTS = frozenset({EventKind.RESULT, EventKind.CARD_INVALID, EventKind.NOT_ID_CARD})


def next_screen(current: Screen, kind: EventKind, state: PipelineState) -> Screen:
    """The screen after an event of ``kind`` that left the pipeline in ``state``."""
    if kind in RESULT_EVENTS:
        return Screen.RESULT
    if kind is EventKind.PENDING:
        return Screen.TICKET
    if kind is EventKind.SOURCE_LOST:
        return Screen.CAMERA_LOST
    if kind is EventKind.SOURCE_RESTORED:
        return Screen.WAITING if current in (Screen.CAMERA_LOST, Screen.STARTING, Screen.ERROR) else current
    if kind in (EventKind.ERROR, EventKind.FRAME):  # a problem outside an attempt is shown to staff only
        return current
    if state is PipelineState.STOPPED:
        return Screen.STARTING
    if current in (Screen.RESULT, Screen.TICKET) and state in (PipelineState.WAITING, PipelineState.RESULT):
        return current  # a result (or ticket) stays until the app's timeout; the next card replaces it
    if current is Screen.CAMERA_LOST and state in (PipelineState.WAITING, PipelineState.ERROR):
        return current  # until the camera is back
    return Screen(state.value)
