"""The screen state machine (pure Python): which screen follows a pipeline event.

Screens mirror :class:`kiosk.pipeline.PipelineState` plus STARTING (window up, camera/service not yet) and
CAMERA_LOST. A result stays on screen until the app's result timeout or the next card: the pipeline going
back to WAITING on its own does not clear it. Events are compared by their string values so this module
needs neither Qt nor the pipeline.
"""

from __future__ import annotations

from enum import StrEnum


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
RESULT_EVENTS = frozenset({"result", "card-invalid", "not-id-card"})


def next_screen(current: Screen, kind: str, state: str | None = None) -> Screen:
    """The screen after an event of ``kind`` (``EventKind`` value) with pipeline ``state``."""
    if kind in RESULT_EVENTS:
        return Screen.RESULT
    if kind == "pending":
        return Screen.TICKET
    if kind == "source-lost":
        return Screen.CAMERA_LOST
    if kind == "source-restored":
        return Screen.WAITING if current in (Screen.CAMERA_LOST, Screen.STARTING, Screen.ERROR) else current
    if kind == "error":
        # a problem outside an attempt (log write failure, ...): shown to staff, the screen follows the state
        return current
    if kind in ("card-seen", "card-read"):
        return Screen.READING if current in (Screen.WAITING, Screen.RESULT, Screen.TICKET, Screen.READING) else current
    if kind == "looking-up":
        return Screen.LOOKING_UP
    if kind == "state":
        if state == "looking-up":
            return Screen.LOOKING_UP
        if state == "reading":
            return Screen.READING if current != Screen.LOOKING_UP else current
        if state == "waiting":
            # a result stays until the app's timeout; everything else goes back to waiting
            return current if current in (Screen.RESULT, Screen.TICKET, Screen.CAMERA_LOST) else Screen.WAITING
        if state == "result":
            return current
        if state == "error":
            return current if current == Screen.CAMERA_LOST else Screen.ERROR
        if state == "stopped":
            return Screen.STARTING
    return current
