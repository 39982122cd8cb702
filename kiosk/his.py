"""Hand-off to the hospital information system (HIS): a verified lookup result as a FHIR Bundle.

The Bundle (type ``transaction``, so any FHIR server stores its entries in one go at ``POST [base]``) holds:

- ``Patient``: the CCCD number (identifier), name, date of birth (partial dates as FHIR allows: ``yyyy``,
  ``yyyy-MM``), sex and address, as the insurance service returned them;
- ``Coverage`` (when the service returned a card): the BHYT card number, the BHXH number, the validity period, the
  beneficiary group (class ``group``), the coverage percentage (class ``plan``) and the primary-care facility
  (``network``);
- ``CoverageEligibilityResponse``: the outcome, the result code (in ``disposition``), when it was checked, and the
  kiosk's attempt id as the request's identifier.

The resources are built and validated with the ``fhir.resources`` models of FHIR R4 (its ``R4B`` package: release
4.3.0 of R4, whose Patient, Coverage, CoverageEligibilityResponse and Bundle have the same elements as 4.0.1): a bundle
the models refuse is never sent. :class:`HisSender` POSTs it with retries (connection errors, 429 and 5xx; a 4xx is
the HIS refusing it, not retried) and says what was sent and whether it was accepted. Personal data goes to the HIS
only; it is never logged here.
"""

from __future__ import annotations

import logging
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from fhir.resources.R4B.bundle import Bundle

from kiosk import __version__
from kiosk.eligibility import EligibilityResult, LookupRequest
from kiosk.privacy import foreign_code
from kiosk.retry import RetryPolicy

log = logging.getLogger("kiosk.his")

CCCD_SYSTEM = "urn:bhyt-kiosk:id:cccd"  # Vietnamese citizen ID number (12 digits)
BHYT_CARD_SYSTEM = "urn:bhyt-kiosk:id:bhyt-card"
BHXH_NUMBER_SYSTEM = "urn:bhyt-kiosk:id:bhxh"
FACILITY_SYSTEM = "urn:bhyt-kiosk:id:facility"
ATTEMPT_SYSTEM = "urn:bhyt-kiosk:id:attempt"
INSURER_DISPLAY = "Bảo hiểm xã hội Việt Nam"
FHIR_JSON = "application/fhir+json"

HIS_BACKOFF = RetryPolicy(base_s=0.5, cap_s=10.0, min_delay_s=0.2)  # full jitter between tries
_SEX = {"nam": "male", "male": "male", "nữ": "female", "nu": "female", "female": "female"}


class HandoffError(ValueError):
    """The result cannot be handed off (not a verified answer, or a bundle the FHIR models refuse)."""


def _urn() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


def build_bundle(result: EligibilityResult, request: LookupRequest, *, attempt_id: str,
                 checked_at: datetime | None = None) -> Bundle:
    """The FHIR R4 transaction Bundle for a verified (definitive) result, validated by the FHIR models."""
    if not result.outcome.definitive:
        raise HandoffError(f"only a definitive answer is handed off, not {result.outcome.value}")
    when = (result.checked_at or checked_at or datetime.now(UTC)).astimezone(UTC)
    person = result.person
    patient_url, coverage_url = _urn(), _urn()
    patient: dict[str, Any] = {
        "resourceType": "Patient",
        "identifier": [{"use": "official", "system": CCCD_SYSTEM, "value": request.id_number}],
        "name": [{"use": "official", "text": person.full_name if person else request.full_name}],
        "birthDate": person.date_of_birth if person and person.date_of_birth else request.date_of_birth_iso,
    }
    if person is not None and person.sex and person.sex.strip().lower() in _SEX:
        patient["gender"] = _SEX[person.sex.strip().lower()]
    if person is not None and person.address:
        patient["address"] = [{"use": "home", "text": person.address}]
    entries: list[dict[str, Any]] = [
        {"fullUrl": patient_url, "resource": patient, "request": {"method": "POST", "url": "Patient"}},
    ]
    insurance_items: list[dict[str, Any]] = []
    card = result.insurance
    if card is not None:
        coverage = {
            "resourceType": "Coverage",
            "status": "active" if result.eligible else "cancelled",
            "identifier": [
                {"use": "official", "system": BHYT_CARD_SYSTEM, "value": card.card_number},
                {"use": "secondary", "system": BHXH_NUMBER_SYSTEM, "value": card.bhxh_number},
            ],
            "subscriberId": card.card_number,
            "beneficiary": {"reference": patient_url},
            "payor": [{"display": INSURER_DISPLAY}],
            "period": {"start": card.valid_from.isoformat(), "end": card.valid_to.isoformat()},
            "class": [
                {"type": {"text": "group"}, "value": card.object_group, "name": f"Mã đối tượng {card.object_group}"},
                {"type": {"text": "plan"}, "value": str(card.benefit_level),
                 "name": f"Mức hưởng {card.benefit_level} ({card.coverage_percent}%)"},
            ],
            "network": f"{card.primary_facility.code} {card.primary_facility.name}".strip(),
        }
        entries.append({"fullUrl": coverage_url, "resource": coverage,
                        "request": {"method": "POST", "url": "Coverage"}})
        insurance_items.append({
            "coverage": {"reference": coverage_url},
            "inforce": bool(result.eligible),
            "benefitPeriod": {"start": card.valid_from.isoformat(), "end": card.valid_to.isoformat()},
        })
    response: dict[str, Any] = {
        "resourceType": "CoverageEligibilityResponse",
        "identifier": [{"system": ATTEMPT_SYSTEM, "value": attempt_id}],
        "status": "active",
        "purpose": ["validation"],
        "patient": {"reference": patient_url},
        "created": when.isoformat(),
        "request": {"identifier": {"system": ATTEMPT_SYSTEM, "value": attempt_id}},
        "requestor": {"identifier": {"system": FACILITY_SYSTEM, "value": request.facility_code}},
        "outcome": "complete",
        "disposition": f"BHYT {result.outcome.value}; mã kết quả {result.result_code or '-'}",
        "insurer": {"display": INSURER_DISPLAY},
    }
    if insurance_items:
        response["insurance"] = insurance_items
    entries.append({"fullUrl": _urn(), "resource": response,
                    "request": {"method": "POST", "url": "CoverageEligibilityResponse"}})
    data = {"resourceType": "Bundle", "type": "transaction", "timestamp": when.isoformat(), "entry": entries}
    try:
        return Bundle.model_validate(data)
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        raise HandoffError(f"the FHIR models refuse the bundle: {exc}") from exc


def bundle_json(bundle: Bundle) -> str:
    """The Bundle as FHIR JSON text (for the HIS, a file, or the clipboard)."""
    return bundle.model_dump_json(exclude_none=True)


@dataclass(frozen=True)
class HandoffResult:
    accepted: bool
    status: int | None  # the HIS's last HTTP status; None when it was never reached
    tries: int
    detail: str  # what happened, for staff (no personal data)
    sent: str  # the Bundle JSON that was sent


def _outcome_text(response: httpx.Response) -> str:
    """The issue codes of the HIS's OperationOutcome, if it sent one ("business-rule, required"). Never its
    diagnostics: they may echo the patient's name or address, and this is logged (kiosk.privacy.foreign_code)."""
    try:
        body = response.json()
    except ValueError:
        return ""
    if isinstance(body, dict) and body.get("resourceType") == "OperationOutcome":
        issues = body.get("issue") or []
        codes = [foreign_code(i.get("code")) for i in issues if isinstance(i, dict)]
        return ", ".join(dict.fromkeys(c for c in codes if c))
    return ""


class HisSender:
    """POSTs Bundles to the facility's FHIR endpoint (``his_url``), retrying transient failures."""

    def __init__(self, url: str, *, tries: int = 5, timeout_s: float = 10.0,
                 sleep: Callable[[float], None] = time.sleep, rng: random.Random | None = None) -> None:
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"his_url must be an http:// or https:// URL, got {url!r}")
        if tries < 1:
            raise ValueError("tries must be at least 1")
        self.url = url
        self.tries = tries
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._http = httpx.Client(timeout=timeout_s, trust_env=False, follow_redirects=False,
                                  headers={"User-Agent": f"bhyt-kiosk/{__version__}", "Accept": FHIR_JSON})

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> HisSender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def send(self, bundle: Bundle) -> HandoffResult:
        text = bundle_json(bundle)
        body = text.encode("utf-8")
        status: int | None = None
        detail = ""
        for attempt in range(1, self.tries + 1):
            try:
                response = self._http.post(self.url, content=body, headers={"Content-Type": FHIR_JSON})
            except httpx.HTTPError as exc:
                status, detail = None, f"HIS not reached: {type(exc).__name__}"
            else:
                status = response.status_code
                if 200 <= status < 300:
                    log.info("FHIR bundle accepted by the HIS (HTTP %d, try %d)", status, attempt)
                    return HandoffResult(True, status, attempt, f"accepted (HTTP {status})", text)
                reason = _outcome_text(response)
                detail = f"HTTP {status}" + (f": {reason}" if reason else "")
                if status != 429 and status < 500:
                    log.warning("FHIR bundle refused by the HIS: %s", detail)
                    return HandoffResult(False, status, attempt, f"refused ({detail})", text)
            if attempt < self.tries:
                self._sleep(HIS_BACKOFF.delay(attempt - 1, self._rng))
        log.warning("FHIR bundle not delivered after %d tries: %s", self.tries, detail)
        return HandoffResult(False, status, self.tries, f"not delivered after {self.tries} tries ({detail})", text)


__all__ = ["HandoffError", "HandoffResult", "HisSender", "build_bundle", "bundle_json"]
