"""What a lookup asks (:class:`LookupRequest`) and what it found out (:class:`EligibilityResult`).

The service's answer is read with the wire schema (:mod:`kiosk.wire`, :func:`parse_answer`); anything that does
not match it raises :class:`MalformedAnswer`, which the client turns into a SERVICE_ERROR result.
The outcome always comes from the result code (``kiosk.outcomes``), never from the body's ``eligible``
flag: a body whose flag disagrees with its code is treated as a service error, never as eligible.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from kiosk.outcomes import Outcome, outcome_for_result_code
from kiosk.wire import Insurance, LookupAnswer, LookupRequestBody, Operator, Person, first_error

if TYPE_CHECKING:
    from kiosk.config import KioskConfig
    from scanner.cccd import CitizenCard
    from scanner.dates import PartialDate

log = logging.getLogger(__name__)

_ISO_PARTIAL = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")

# Outcomes the client produces itself, when no usable answer came back.
CLIENT_FAILURES = frozenset(
    {Outcome.TIMEOUT, Outcome.SERVICE_ERROR, Outcome.REJECTED_SIGNATURE, Outcome.SETUP_ERROR, Outcome.CANCELLED}
)


class MalformedAnswer(ValueError):
    """The service's 200 body does not follow the wire contract."""


# --------------------------------------------------------------------- the request


@dataclass(frozen=True)
class LookupRequest:
    id_number: str
    full_name: str
    date_of_birth: PartialDate | str  # ISO text: yyyy, yyyy-MM or yyyy-MM-dd
    facility_code: str
    operator_name: str
    operator_id: str
    # The kiosk's attempt id: every try of one attempt (background retries included) carries it, so the service can
    # recognise a repeat. Not personal data.
    attempt_id: str | None = None

    @classmethod
    def from_card(cls, card: CitizenCard, config: KioskConfig, attempt_id: str | None = None) -> LookupRequest:
        return cls(
            id_number=card.id_number,
            full_name=card.full_name,
            date_of_birth=card.date_of_birth,
            facility_code=config.facility_code,
            operator_name=config.operator_name,
            operator_id=config.operator_id,
            attempt_id=attempt_id,
        )

    @property
    def date_of_birth_iso(self) -> str:
        dob = self.date_of_birth
        text = dob if isinstance(dob, str) else dob.iso()
        if not _ISO_PARTIAL.fullmatch(text):
            raise ValueError(f"date_of_birth must be ISO yyyy, yyyy-MM or yyyy-MM-dd, got {text!r}")
        return text

    def to_wire(self) -> dict[str, Any]:
        """The JSON body of ``POST /v1/eligibility/lookups`` (:class:`kiosk.wire.LookupRequestBody`), as the kiosk
        has it: the service judges it (a 422 names the fields it refuses)."""
        operator = Operator.model_construct(name=self.operator_name, id_number=self.operator_id)
        return LookupRequestBody.model_construct(
            id_number=self.id_number, full_name=self.full_name, date_of_birth=self.date_of_birth_iso,
            facility_code=self.facility_code, operator=operator, attempt_id=self.attempt_id,
        ).model_dump(exclude_none=True)  # no attempt_id: no key


# --------------------------------------------------------------------- the result


@dataclass(frozen=True)
class EligibilityResult:
    outcome: Outcome
    result_code: str | None = None
    eligible: bool = False
    person: Person | None = None
    insurance: Insurance | None = None
    checked_at: datetime | None = None
    lookup_id: str | None = None
    reason: str | None = None  # technical English reason for anything but a clean answer
    attempts: int = 0  # HTTP requests sent
    elapsed_ms: float = 0.0

    @classmethod
    def failure(
        cls,
        outcome: Outcome,
        reason: str,
        *,
        attempts: int,
        elapsed_ms: float,
        result_code: str | None = None,
        lookup_id: str | None = None,
    ) -> EligibilityResult:
        if outcome not in CLIENT_FAILURES:
            raise ValueError(f"{outcome} is not a failure outcome")
        return cls(outcome=outcome, result_code=result_code, eligible=False, reason=reason,
                   attempts=attempts, elapsed_ms=elapsed_ms, lookup_id=lookup_id)

    @property
    def definitive(self) -> bool:
        return self.outcome.definitive

    def to_json(self) -> dict[str, Any]:
        """A JSON-safe dict (ISO dates, enum values as strings)."""
        return {
            "outcome": self.outcome.value,
            "definitive": self.outcome.definitive,
            "result_code": self.result_code,
            "eligible": self.eligible,
            "person": self.person.model_dump(mode="json") if self.person else None,
            "insurance": self.insurance.model_dump(mode="json") if self.insurance else None,
            "checked_at": self.checked_at.isoformat() if self.checked_at else None,
            "lookup_id": self.lookup_id,
            "reason": self.reason,
            "attempts": self.attempts,
            "elapsed_ms": round(self.elapsed_ms, 1),
        }


# --------------------------------------------------------------------- reading the answer


def parse_answer(content: bytes | str) -> EligibilityResult:
    """Read a 200 body (:class:`kiosk.wire.LookupAnswer`); the outcome comes from the result code, checked
    against ``eligible``. Raises :class:`MalformedAnswer` saying where the body breaks the schema. The client adds
    the tries and the time it took."""
    try:
        body = LookupAnswer.model_validate_json(content)
    except ValidationError as exc:
        raise MalformedAnswer(first_error(exc)) from None
    code = body.result_code
    outcome = outcome_for_result_code(code)
    reason: str | None = None
    if outcome is Outcome.SERVICE_ERROR:
        reason = f"result code {code}" + ("" if code in ("100", "101", "500") else " (unknown)")
    elif outcome is Outcome.SETUP_ERROR:
        reason = f"result code {code}"
    eligible = outcome.eligible and body.eligible
    if outcome.eligible != body.eligible:
        reason = (f"service answer inconsistent: result code {code} ({outcome.value}) "
                  f"but eligible={'true' if body.eligible else 'false'}")
        log.warning("%s (lookup %s)", reason, body.lookup_id)
        outcome, eligible = Outcome.SERVICE_ERROR, False
    elif eligible and body.insurance is None:
        reason = f"service answer inconsistent: result code {code} without insurance data"
        log.warning("%s (lookup %s)", reason, body.lookup_id)
        outcome, eligible = Outcome.SERVICE_ERROR, False
    return EligibilityResult(outcome=outcome, result_code=code, eligible=eligible, person=body.person,
                             insurance=body.insurance, checked_at=body.checked_at, lookup_id=body.lookup_id,
                             reason=reason)
