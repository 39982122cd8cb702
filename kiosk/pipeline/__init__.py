"""The headless kiosk pipeline (:class:`KioskPipeline`): frames -> decode -> confirm -> validate -> signed lookup ->
result -> log. ``flow`` (states, events, the transition table), ``frames`` (capture and decode threads),
``lookups`` (the lookup worker on the lookup loop), ``recording`` (how an attempt ends), ``pipeline`` (the wiring).

The states and events load at once (the UI needs them before its window shows); the pipeline itself, which pulls
in the decoders, on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from kiosk.attempt_tracker import TrackerTiming
from kiosk.pipeline.flow import TRANSITIONS, EventKind, PipelineEvent, PipelineState, RecordedAttempt, next_state

if TYPE_CHECKING:
    from kiosk.pipeline.frames import default_stream_reader, is_recorded
    from kiosk.pipeline.pipeline import KioskPipeline

_LATER = {
    "KioskPipeline": "kiosk.pipeline.pipeline",
    "default_stream_reader": "kiosk.pipeline.frames",
    "is_recorded": "kiosk.pipeline.frames",
}


def __getattr__(name: str) -> Any:
    if name in _LATER:
        return getattr(importlib.import_module(_LATER[name]), name)
    raise AttributeError(f"module 'kiosk.pipeline' has no attribute {name!r}")


__all__ = [
    "TRANSITIONS",
    "EventKind",
    "KioskPipeline",
    "PipelineEvent",
    "PipelineState",
    "RecordedAttempt",
    "TrackerTiming",
    "default_stream_reader",
    "is_recorded",
    "next_state",
]
