"""Fault injection for the mocked population-data service.

Faults apply to eligibility lookups whose signature verified (a refused request is always answered
401 at once). Each fault has a probability; they are drawn independently per request in this order,
and the first that fires decides what happens (``latency`` adds to any of them):

* ``drop``      the connection is closed without an answer;
* ``hang``      no answer until well past the client timeout (``hang_s``, then the connection closes);
* ``error``     a signed 5xx problem answer (``error_status``, default 503);
* ``malformed`` a signed 200 answer whose body is not valid JSON;
* ``badsig``    a normal answer whose signature bytes are corrupted;
* ``latency``   the answer is delayed by ``latency_s`` seconds.

Spec grammar (``--faults`` and ``{"spec": ...}`` on ``PUT /v1/admin/faults``)::

    spec    := "" | "none" | part ("," part)*
    part    := "latency=" P ":" SECONDS
             | "error=" P [":" STATUS]        STATUS 500-599, default 503
             | "hang=" P [":" SECONDS]        default 30 s
             | "drop=" P | "malformed=" P | "badsig=" P
             | "seed=" INTEGER                deterministic draws (tests)
    P       := a probability, 0 <= P <= 1

Example: ``latency=0.2:1.5,error=0.1,hang=0.05,drop=0.05,malformed=0.05,badsig=0.05``.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kiosk.wire import first_error

DEFAULT_HANG_S = 30.0
DEFAULT_ERROR_STATUS = 503
MAX_DELAY_S = 600.0

Probability = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Seconds = Annotated[float, Field(ge=0, le=MAX_DELAY_S, allow_inf_nan=False)]


class FaultSpecError(ValueError):
    """A fault spec that cannot be used; the message names the bad part."""


class Fault(StrEnum):
    NONE = "none"
    DROP = "drop"
    HANG = "hang"
    ERROR = "error"
    MALFORMED = "malformed"
    BADSIG = "badsig"


class FaultSpec(BaseModel):
    """The faults to inject; pydantic checks each field's range (probabilities 0-1, seconds 0-600, a 5xx status)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    latency: Probability = 0.0
    latency_s: Seconds = 0.0
    error: Probability = 0.0
    error_status: Annotated[int, Field(ge=500, le=599)] = DEFAULT_ERROR_STATUS
    hang: Probability = 0.0
    hang_s: Seconds = DEFAULT_HANG_S
    drop: Probability = 0.0
    malformed: Probability = 0.0
    badsig: Probability = 0.0
    seed: int | None = None

    @property
    def active(self) -> bool:
        return any(p > 0 for p in (self.latency, self.error, self.hang, self.drop, self.malformed, self.badsig))

    def to_text(self) -> str:
        """The spec in the grammar above (parses back to an equal spec)."""
        parts: list[str] = []
        if self.latency:
            parts.append(f"latency={self.latency:g}:{self.latency_s:g}")
        if self.error:
            status = "" if self.error_status == DEFAULT_ERROR_STATUS else f":{self.error_status}"
            parts.append(f"error={self.error:g}{status}")
        if self.hang:
            seconds = "" if self.hang_s == DEFAULT_HANG_S else f":{self.hang_s:g}"
            parts.append(f"hang={self.hang:g}{seconds}")
        for name in ("drop", "malformed", "badsig"):
            value = getattr(self, name)
            if value:
                parts.append(f"{name}={value:g}")
        if self.seed is not None:
            parts.append(f"seed={self.seed}")
        return ",".join(parts) or "none"

    def to_json(self) -> dict[str, Any]:
        return {**self.model_dump(), "spec": self.to_text()}

    @classmethod
    def from_json(cls, data: Any) -> FaultSpec:
        """From ``{"spec": "..."}`` or from the fields themselves (``{"error": 0.1, "seed": 3}``, JSON numbers)."""
        if isinstance(data, dict) and "spec" in data:
            if set(data) != {"spec"} or not isinstance(data["spec"], str):
                raise FaultSpecError('give either {"spec": "<text>"} or the separate fields, not both')
            return parse_fault_spec(data["spec"])
        try:
            return cls.model_validate(data, strict=True)
        except ValidationError as exc:
            raise FaultSpecError(first_error(exc)) from None


_SECOND = {"latency": "latency_s", "error": "error_status", "hang": "hang_s"}  # NAME=P:VALUE sets this field too
_NAMES = ("latency", "error", "hang", "drop", "malformed", "badsig", "seed")


def parse_fault_spec(text: str) -> FaultSpec:
    """Parse the grammar in the module docstring; :class:`FaultSpecError` names the bad part."""
    text = text.strip()
    values: dict[str, str] = {}
    part_of: dict[str, str] = {}  # field -> the part that set it
    for raw in ([] if text in ("", "none") else text.split(",")):
        part = raw.strip()
        if not part:
            raise FaultSpecError(f"fault spec {text!r} has an empty part (two commas, or a trailing comma)")
        name, sep, value = (piece.strip() for piece in part.partition("="))
        if not sep or not value:
            raise FaultSpecError(f"fault spec part {part!r}: expected NAME=VALUE")
        if name in values:
            raise FaultSpecError(f"fault spec part {part!r}: {name} is given twice")
        if name not in _NAMES:
            raise FaultSpecError(f"fault spec part {part!r}: unknown fault {name!r} (known: {', '.join(_NAMES)})")
        first, colon, second = value.partition(":") if name != "seed" else (value, "", "")
        if name == "latency" and not colon:
            raise FaultSpecError(f"fault spec part {part!r}: latency needs PROBABILITY:SECONDS")
        if colon and name not in _SECOND:
            raise FaultSpecError(f"fault spec part {part!r}: {name} takes only a probability")
        values[name], part_of[name] = first, part
        if colon:
            values[_SECOND[name]], part_of[_SECOND[name]] = second, part
    try:
        return FaultSpec.model_validate(values)  # lax: the numbers are still text
    except ValidationError as exc:
        problem = exc.errors()[0]
        field = str(problem["loc"][0])
        raise FaultSpecError(f"fault spec part {part_of[field]!r}: {field}: {problem['msg']}") from None


@dataclass(frozen=True)
class FaultDecision:
    fault: Fault
    delay_s: float = 0.0


class FaultInjector:
    """Draws the faults for each request from the current spec (thread-safe; seeded when the spec says)."""

    def __init__(self, spec: FaultSpec | None = None) -> None:
        self._lock = threading.Lock()
        self._spec = spec or FaultSpec()
        self._rng = random.Random(self._spec.seed)

    @property
    def spec(self) -> FaultSpec:
        with self._lock:
            return self._spec

    def set(self, spec: FaultSpec) -> None:
        with self._lock:
            self._spec = spec
            self._rng = random.Random(spec.seed)

    def draw(self) -> FaultDecision:
        with self._lock:
            spec, rng = self._spec, self._rng
            if not spec.active:
                return FaultDecision(Fault.NONE)
            delay = spec.latency_s if rng.random() < spec.latency else 0.0
            for fault, probability in (
                (Fault.DROP, spec.drop),
                (Fault.HANG, spec.hang),
                (Fault.ERROR, spec.error),
                (Fault.MALFORMED, spec.malformed),
                (Fault.BADSIG, spec.badsig),
            ):
                if rng.random() < probability:
                    return FaultDecision(fault, delay)
            return FaultDecision(Fault.NONE, delay)
