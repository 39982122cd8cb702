"""What a lookup asks (:class:`LookupRequest`) and what it found out (:class:`EligibilityResult`).

The service's answer is parsed strictly here (:func:`parse_answer`); anything that does not match the
wire contract raises :class:`MalformedAnswer`, which the client turns into a SERVICE_ERROR result.
The outcome always comes from the result code (``kiosk.outcomes``), never from the body's ``eligible``
flag: a body whose flag disagrees with its code is treated as a service error, never as eligible.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from kiosk.outcomes import Outcome, outcome_for_result_code

if TYPE_CHECKING:
    from kiosk.config import KioskConfig
    from scanner.cccd import CitizenCard
    from scanner.dates import PartialDate

log = logging.getLogger(__name__)

_RESULT_CODE = re.compile(r"[0-9A-Za-z]{3}")
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
        """The JSON body of ``POST /v1/eligibility/lookups``."""
        body: dict[str, Any] = {
            "id_number": self.id_number,
            "full_name": self.full_name,
            "date_of_birth": self.date_of_birth_iso,
            "facility_code": self.facility_code,
            "operator": {"name": self.operator_name, "id_number": self.operator_id},
        }
        if self.attempt_id is not None:
            body["attempt_id"] = self.attempt_id
        return body


# --------------------------------------------------------------------- the answer's parts


@dataclass(frozen=True)
class PersonInfo:
    full_name: str
    date_of_birth: str
    sex: str | None = None
    address: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"full_name": self.full_name, "date_of_birth": self.date_of_birth, "sex": self.sex,
                "address": self.address}


@dataclass(frozen=True)
class InsuranceInfo:
    card_number: str
    bhxh_number: str
    object_group: str
    benefit_level: int
    coverage_percent: int
    valid_from: date
    valid_to: date
    primary_facility_code: str
    primary_facility_name: str
    area_code: str | None
    five_years_continuous_from: date | None
    new_card: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "card_number": self.card_number,
            "bhxh_number": self.bhxh_number,
            "object_group": self.object_group,
            "benefit_level": self.benefit_level,
            "coverage_percent": self.coverage_percent,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat(),
            "primary_facility": {"code": self.primary_facility_code, "name": self.primary_facility_name},
            "area_code": self.area_code,
            "five_years_continuous_from": (
                self.five_years_continuous_from.isoformat() if self.five_years_continuous_from else None
            ),
            "new_card": self.new_card,
        }


# --------------------------------------------------------------------- the result


@dataclass(frozen=True)
class EligibilityResult:
    outcome: Outcome
    result_code: str | None = None
    eligible: bool = False
    person: PersonInfo | None = None
    insurance: InsuranceInfo | None = None
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
            "person": self.person.to_json() if self.person else None,
            "insurance": self.insurance.to_json() if self.insurance else None,
            "checked_at": self.checked_at.isoformat() if self.checked_at else None,
            "lookup_id": self.lookup_id,
            "reason": self.reason,
            "attempts": self.attempts,
            "elapsed_ms": round(self.elapsed_ms, 1),
        }


@dataclass(frozen=True)
class Answer:
    """A parsed, well-formed 200 body (before attempts and timing are known)."""

    result_code: str
    outcome: Outcome
    eligible: bool
    person: PersonInfo | None
    insurance: InsuranceInfo | None
    checked_at: datetime | None
    lookup_id: str | None
    reason: str | None

    def to_result(self, *, attempts: int, elapsed_ms: float) -> EligibilityResult:
        return EligibilityResult(
            outcome=self.outcome, result_code=self.result_code, eligible=self.eligible, person=self.person,
            insurance=self.insurance, checked_at=self.checked_at, lookup_id=self.lookup_id,
            reason=self.reason, attempts=attempts, elapsed_ms=elapsed_ms,
        )


# --------------------------------------------------------------------- parsing


def _require(obj: dict[str, Any], key: str, where: str) -> Any:
    if key not in obj:
        raise MalformedAnswer(f"{where}{key}: missing")
    return obj[key]


def _str(obj: dict[str, Any], key: str, where: str, *, optional: bool = False) -> str | None:
    value = obj.get(key) if optional else _require(obj, key, where)
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise MalformedAnswer(f"{where}{key}: expected a string, got {type(value).__name__}")
    return value


def _date(obj: dict[str, Any], key: str, where: str, *, optional: bool = False) -> date | None:
    text = _str(obj, key, where, optional=optional)
    if text is None or (optional and text == ""):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise MalformedAnswer(f"{where}{key}: not an ISO date: {text!r}") from None


def _int(obj: dict[str, Any], key: str, where: str) -> int:
    value = _require(obj, key, where)
    if not isinstance(value, int) or isinstance(value, bool):
        raise MalformedAnswer(f"{where}{key}: expected a whole number, got {value!r}")
    return value


def _bool(obj: dict[str, Any], key: str, where: str) -> bool:
    value = _require(obj, key, where)
    if not isinstance(value, bool):
        raise MalformedAnswer(f"{where}{key}: expected true or false, got {value!r}")
    return value


def parse_person(obj: Any) -> PersonInfo | None:
    if obj is None:
        return None
    if not isinstance(obj, dict):
        raise MalformedAnswer("person: expected an object or null")
    where = "person."
    return PersonInfo(
        full_name=_str(obj, "full_name", where) or "",
        date_of_birth=_str(obj, "date_of_birth", where) or "",
        sex=_str(obj, "sex", where, optional=True),
        address=_str(obj, "address", where, optional=True),
    )


def parse_insurance(obj: Any) -> InsuranceInfo | None:
    if obj is None:
        return None
    if not isinstance(obj, dict):
        raise MalformedAnswer("insurance: expected an object or null")
    where = "insurance."
    facility = _require(obj, "primary_facility", where)
    if not isinstance(facility, dict):
        raise MalformedAnswer("insurance.primary_facility: expected an object")
    benefit_level = _int(obj, "benefit_level", where)
    if not 1 <= benefit_level <= 5:
        raise MalformedAnswer(f"insurance.benefit_level: must be 1–5, got {benefit_level}")
    coverage = _int(obj, "coverage_percent", where)
    if not 0 <= coverage <= 100:
        raise MalformedAnswer(f"insurance.coverage_percent: must be 0–100, got {coverage}")
    valid_from = _date(obj, "valid_from", where)
    valid_to = _date(obj, "valid_to", where)
    assert valid_from is not None and valid_to is not None
    if valid_to < valid_from:
        raise MalformedAnswer("insurance.valid_to: before valid_from")
    area = _str(obj, "area_code", where, optional=True)
    return InsuranceInfo(
        card_number=_str(obj, "card_number", where) or "",
        bhxh_number=_str(obj, "bhxh_number", where) or "",
        object_group=_str(obj, "object_group", where) or "",
        benefit_level=benefit_level,
        coverage_percent=coverage,
        valid_from=valid_from,
        valid_to=valid_to,
        primary_facility_code=_str(facility, "code", "insurance.primary_facility.") or "",
        primary_facility_name=_str(facility, "name", "insurance.primary_facility.") or "",
        area_code=area or None,
        five_years_continuous_from=_date(obj, "five_years_continuous_from", where, optional=True),
        new_card=_bool(obj, "new_card", where),
    )


def parse_answer(body: Any) -> Answer:
    """Parse a 200 body; the outcome comes from the result code, checked against ``eligible``."""
    if not isinstance(body, dict):
        raise MalformedAnswer("body: expected a JSON object")
    code = _str(body, "result_code", "")
    assert code is not None
    if not _RESULT_CODE.fullmatch(code):
        raise MalformedAnswer(f"result_code: expected 3 characters, got {code!r}")
    says_eligible = _bool(body, "eligible", "")
    person = parse_person(body.get("person"))
    insurance = parse_insurance(body.get("insurance"))
    checked_text = _str(body, "checked_at", "", optional=True)
    checked_at: datetime | None = None
    if checked_text:
        try:
            checked_at = datetime.fromisoformat(checked_text)
        except ValueError:
            raise MalformedAnswer(f"checked_at: not an ISO date-time: {checked_text!r}") from None
    lookup_id = _str(body, "lookup_id", "", optional=True)

    outcome = outcome_for_result_code(code)
    reason: str | None = None
    if outcome is Outcome.SERVICE_ERROR:
        reason = f"result code {code}" + ("" if code in ("100", "101", "500") else " (unknown)")
    elif outcome is Outcome.SETUP_ERROR:
        reason = f"result code {code}"
    eligible = outcome.eligible and says_eligible
    if outcome.eligible != says_eligible:
        reason = (f"service answer inconsistent: result code {code} ({outcome.value}) "
                  f"but eligible={'true' if says_eligible else 'false'}")
        log.warning("%s (lookup %s)", reason, lookup_id)
        outcome, eligible = Outcome.SERVICE_ERROR, False
    elif eligible and insurance is None:
        reason = f"service answer inconsistent: result code {code} without insurance data"
        log.warning("%s (lookup %s)", reason, lookup_id)
        outcome, eligible = Outcome.SERVICE_ERROR, False
    return Answer(code, outcome, eligible, person, insurance, checked_at, lookup_id, reason)
