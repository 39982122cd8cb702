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

import math
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any

DEFAULT_HANG_S = 30.0
DEFAULT_ERROR_STATUS = 503
MAX_DELAY_S = 600.0


class FaultSpecError(ValueError):
    """A fault spec that cannot be used; the message names the bad part."""


class Fault(StrEnum):
    NONE = "none"
    DROP = "drop"
    HANG = "hang"
    ERROR = "error"
    MALFORMED = "malformed"
    BADSIG = "badsig"


@dataclass(frozen=True)
class FaultSpec:
    latency: float = 0.0
    latency_s: float = 0.0
    error: float = 0.0
    error_status: int = DEFAULT_ERROR_STATUS
    hang: float = 0.0
    hang_s: float = DEFAULT_HANG_S
    drop: float = 0.0
    malformed: float = 0.0
    badsig: float = 0.0
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
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["spec"] = self.to_text()
        return data

    @classmethod
    def from_json(cls, data: Any) -> FaultSpec:
        """From ``{"spec": "..."}`` or from the fields themselves (``{"error": 0.1, "seed": 3}``)."""
        if not isinstance(data, dict):
            raise FaultSpecError("the fault settings must be a JSON object")
        if "spec" in data:
            if set(data) != {"spec"} or not isinstance(data["spec"], str):
                raise FaultSpecError('give either {"spec": "<text>"} or the separate fields, not both')
            return parse_fault_spec(data["spec"])
        unknown = sorted(set(data) - set(_CHECKS))
        if unknown:
            raise FaultSpecError(f"unknown fault setting(s) {unknown}; known: {sorted(_CHECKS)}")
        return cls(**{name: _CHECKS[name](value, f"{name}={value!r}") for name, value in data.items()})


def _number(value: Any, part: str, what: str) -> float:
    if isinstance(value, bool):
        raise FaultSpecError(f"fault spec part {part!r}: {what} {value!r} is not a number")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise FaultSpecError(f"fault spec part {part!r}: {what} {value!r} is not a number") from None
    if not math.isfinite(number):
        raise FaultSpecError(f"fault spec part {part!r}: {what} {value!r} is not a finite number")
    return number


def _probability(value: Any, part: str) -> float:
    number = _number(value, part, "probability")
    if not 0.0 <= number <= 1.0:
        raise FaultSpecError(f"fault spec part {part!r}: probability {value!r} is not between 0 and 1")
    return number


def _seconds(value: Any, part: str) -> float:
    number = _number(value, part, "seconds")
    if not 0.0 <= number <= MAX_DELAY_S:
        raise FaultSpecError(f"fault spec part {part!r}: seconds {value!r} is not between 0 and {MAX_DELAY_S:g}")
    return number


def _status(value: Any, part: str) -> int:
    try:
        status = int(str(value))
    except ValueError:
        raise FaultSpecError(f"fault spec part {part!r}: status {value!r} is not a whole number") from None
    if not 500 <= status <= 599:
        raise FaultSpecError(f"fault spec part {part!r}: status {status} is not a 5xx status")
    return status


def _seed(value: Any, part: str) -> int | None:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        raise FaultSpecError(f"fault spec part {part!r}: seed {value!r} is not a whole number")
    return value


# How each FaultSpec field is checked; a part NAME=P:VALUE sets NAME and its _SECOND field.
_CHECKS: dict[str, Callable[[Any, str], Any]] = {
    **dict.fromkeys(("latency", "error", "hang", "drop", "malformed", "badsig"), _probability),
    "latency_s": _seconds, "hang_s": _seconds, "error_status": _status, "seed": _seed,
}  # fmt: skip
_SECOND = {"latency": "latency_s", "error": "error_status", "hang": "hang_s"}


def parse_fault_spec(text: str) -> FaultSpec:
    """Parse the grammar in the module docstring; :class:`FaultSpecError` names the bad part."""
    text = text.strip()
    values: dict[str, Any] = {}
    for raw in ([] if text in ("", "none") else text.split(",")):
        part = raw.strip()
        if not part:
            raise FaultSpecError(f"fault spec {text!r} has an empty part (two commas, or a trailing comma)")
        name, sep, value = (piece.strip() for piece in part.partition("="))
        if not sep or not value:
            raise FaultSpecError(f"fault spec part {part!r}: expected NAME=VALUE")
        if name in values:
            raise FaultSpecError(f"fault spec part {part!r}: {name} is given twice")
        if name not in _CHECKS or name in _SECOND.values():
            raise FaultSpecError(f"fault spec part {part!r}: unknown fault {name!r} "
                                 "(known: latency, error, hang, drop, malformed, badsig, seed)")
        if name == "seed":
            try:
                values[name] = int(value)
            except ValueError:
                raise FaultSpecError(f"fault spec part {part!r}: seed {value!r} is not a whole number") from None
            continue
        first, colon, second = value.partition(":")
        if name == "latency" and not colon:
            raise FaultSpecError(f"fault spec part {part!r}: latency needs PROBABILITY:SECONDS")
        if colon and name not in _SECOND:
            raise FaultSpecError(f"fault spec part {part!r}: {name} takes only a probability")
        values[name] = _probability(first, part)
        if colon:
            values[_SECOND[name]] = _CHECKS[_SECOND[name]](second, part)
    return FaultSpec(**values)


@dataclass(frozen=True)
class FaultDecision:
    fault: Fault
    delay_s: float = 0.0


class FaultInjector:
    """Draws the faults for each request from the current spec (thread-safe; seeded when the spec says)."""

    def __init__(self, spec: FaultSpec | None = None) -> None:
        self._lock = threading.Lock()
        self._spec = FaultSpec()
        self._rng = random.Random()
        self.set(spec or FaultSpec())

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
