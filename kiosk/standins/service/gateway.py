"""The card check as the BHXH gateway answers it (domain.md section 4), over a synthetic population.

Order of checks: the staff member doing the lookup (054 not registered at that facility, 055 name
differs), then the person (050 no card, 130 child without a card), the name on record (060 wrong,
061 wrong but first letter right), the birth date on record (070), the card's status (110 revoked,
120-124 reduced), who manages it (001 Defence, 002 Public Security), a new card (003 old card expired,
004 old card still valid), validity (010 expired) and otherwise 000.

Names are compared as the gateway does: NFC, upper case, single spaces: case does not matter,
diacritics do. Birth dates must agree exactly, partial dates included (``1950`` is not ``1950-03-01``).
Answers for a name or birth-date mismatch, or an unknown person, carry no personal data.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from kiosk.standins.population import (
    STATUS_RESULT_CODES,
    InsuranceRecord,
    InsuranceStatus,
    ManagedBy,
    NoCardReason,
    Person,
    Population,
    facility_name,
    normalize_name,
)
from kiosk.wire import VIETNAM_TZ, LookupRequestBody
from scanner.dates import PartialDate

ELIGIBLE_CODES = frozenset({"000", "001", "002", "003", "004"})


@dataclass(frozen=True)
class LookupDecision:
    result_code: str
    person: Person | None  # whose data goes into the answer (None: no personal data in the answer)


def decide(population: Population, query: LookupRequestBody) -> LookupDecision:
    staff = population.staff.get(query.facility_code, {})
    registered_name = staff.get(query.operator.id_number)
    if registered_name is None:
        return LookupDecision("054", None)
    if normalize_name(registered_name) != normalize_name(query.operator.name):
        return LookupDecision("055", None)
    person = population.find(query.id_number)
    if person is None:
        return LookupDecision("050", None)
    record = person.insurance
    if record is None:
        return LookupDecision("130" if person.no_card_reason is NoCardReason.CHILD_UNDER_6 else "050", None)
    asked = normalize_name(query.full_name)
    recorded = normalize_name(record.recorded_name)
    if asked != recorded:
        return LookupDecision("061" if asked[:1] == recorded[:1] else "060", None)
    if PartialDate.parse_iso(query.date_of_birth) != PartialDate.parse_iso(record.recorded_date_of_birth):
        return LookupDecision("070", None)
    if record.status is not InsuranceStatus.ACTIVE:
        return LookupDecision(STATUS_RESULT_CODES[record.status], person)
    if record.managed_by is ManagedBy.DEFENCE:
        return LookupDecision("001", person)
    if record.managed_by is ManagedBy.PUBLIC_SECURITY:
        return LookupDecision("002", person)
    expired = record.valid_to_offset_days < 0  # a day offset from the lookup date
    if record.new_card is not None:
        return LookupDecision("003" if expired else "004", person)
    if expired:
        return LookupDecision("010", person)
    return LookupDecision("000", person)


def insurance_json(record: InsuranceRecord, today: datetime.date) -> dict[str, Any]:
    """The ``insurance`` member of an answer; for a new card (003/004) the new card's data."""
    card = record.new_card or record  # the dates are day offsets from the lookup date

    def day(offset: int) -> str:
        return (today + datetime.timedelta(days=offset)).isoformat()

    five = record.five_years_continuous_from_offset_days
    return {
        "card_number": card.card_number,
        "bhxh_number": record.bhxh_number,
        "object_group": record.object_group,
        "benefit_level": record.benefit_level,
        "coverage_percent": record.coverage_percent,
        "valid_from": day(card.valid_from_offset_days),
        "valid_to": day(card.valid_to_offset_days),
        "primary_facility": {"code": card.primary_facility_code, "name": facility_name(card.primary_facility_code)},
        "area_code": record.area_code,
        "five_years_continuous_from": day(five) if five is not None else None,
        "new_card": record.new_card is not None,
    }


def answer_json(decision: LookupDecision, now: datetime.datetime) -> dict[str, Any]:
    """The 200 body of ``POST /v1/eligibility/lookups``."""
    now = now.astimezone(VIETNAM_TZ)
    person = decision.person
    record = person.insurance if person is not None else None
    return {
        "result_code": decision.result_code,
        "eligible": decision.result_code in ELIGIBLE_CODES,
        "person": None if person is None or record is None else {
            "full_name": record.recorded_name,
            "date_of_birth": record.recorded_date_of_birth,
            "sex": person.identity.sex.value,
            "address": person.identity.address,
        },
        "insurance": None if record is None else insurance_json(record, now.date()),
        "checked_at": now.isoformat(timespec="seconds"),
        "lookup_id": uuid.uuid4().hex,
    }
