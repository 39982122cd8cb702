"""Hand-off to the hospital system: FHIR R4 Bundle built and validated, POSTed with retries to a local endpoint."""

from __future__ import annotations

import logging
import random
import socket
from datetime import UTC, date, datetime

import pytest
from fhir.resources.R4B.bundle import Bundle
from his_endpoint import EndpointState, HisEndpoint

from kiosk.eligibility import EligibilityResult, LookupRequest
from kiosk.his import HandoffError, HisSender, build_bundle, bundle_json
from kiosk.outcomes import Outcome
from kiosk.wire import Facility, Insurance, Person

REQUEST = LookupRequest("027195001234", "Nguyễn Thị Minh Châu", "1995-08-15", "27001", "Trần Văn Sơn",
                        "001098012345", attempt_id="11111111-2222-4333-8444-555555555555")
CARD = Insurance(card_number="DN4270123456789", bhxh_number="2701234567", object_group="DN", benefit_level=4,
                 coverage_percent=80, valid_from=date(2026, 1, 1), valid_to=date(2026, 12, 31),
                 primary_facility=Facility(code="27001", name="Trung tâm Y tế Từ Sơn"), area_code=None,
                 five_years_continuous_from=None, new_card=False)
CHECKED = datetime(2026, 12, 6, 1, 2, 3, tzinfo=UTC)


def _result(outcome: Outcome = Outcome.ELIGIBLE, code: str = "000", *, card: Insurance | None = CARD,
            dob: str = "1995-08-15") -> EligibilityResult:
    return EligibilityResult(outcome=outcome, result_code=code, eligible=outcome.eligible,
                             person=Person(full_name="Nguyễn Thị Minh Châu", date_of_birth=dob, sex="Nữ",
                                           address="Thôn Đông, Tam Sơn, Từ Sơn"),
                             insurance=card, checked_at=CHECKED)


def _resources(bundle: Bundle) -> dict[str, dict]:
    return {e.resource.get_resource_type(): e.resource.model_dump(by_alias=True, exclude_none=True)
            for e in bundle.entry}


def test_bundle_of_an_eligible_answer_validates_and_carries_the_card() -> None:
    bundle = build_bundle(_result(), REQUEST, attempt_id=REQUEST.attempt_id or "")
    again = Bundle.model_validate_json(bundle_json(bundle))  # the FHIR models read back what is sent
    assert again.type == "transaction"
    res = _resources(again)
    assert set(res) == {"Patient", "Coverage", "CoverageEligibilityResponse"}
    patient, coverage, response = res["Patient"], res["Coverage"], res["CoverageEligibilityResponse"]
    assert patient["identifier"][0]["value"] == "027195001234"
    assert patient["gender"] == "female" and str(patient["birthDate"]) == "1995-08-15"
    assert coverage["subscriberId"] == "DN4270123456789" and coverage["status"] == "active"
    assert [c["value"] for c in coverage["class"]] == ["DN", "4"]
    urls = {e.resource.get_resource_type(): e.fullUrl for e in again.entry}
    assert coverage["beneficiary"]["reference"] == urls["Patient"] == response["patient"]["reference"]
    assert response["insurance"][0]["coverage"]["reference"] == urls["Coverage"]
    assert response["insurance"][0]["inforce"] is True
    assert response["request"]["identifier"]["value"] == REQUEST.attempt_id
    assert "000" in response["disposition"]


def test_not_found_has_no_coverage_and_a_partial_birth_date_stays_partial() -> None:
    bundle = build_bundle(_result(Outcome.NOT_FOUND, "050", card=None, dob="1995"), REQUEST, attempt_id="a-1")
    res = _resources(Bundle.model_validate_json(bundle_json(bundle)))
    assert set(res) == {"Patient", "CoverageEligibilityResponse"}
    assert str(res["Patient"]["birthDate"]) == "1995"
    assert "insurance" not in res["CoverageEligibilityResponse"]


@pytest.mark.parametrize("outcome", [Outcome.TIMEOUT, Outcome.SERVICE_ERROR, Outcome.REJECTED_SIGNATURE])
def test_only_verified_answers_are_handed_off(outcome: Outcome) -> None:
    failure = EligibilityResult.failure(outcome, "x", attempts=1, elapsed_ms=1.0)
    with pytest.raises(HandoffError, match="definitive"):
        build_bundle(failure, REQUEST, attempt_id="a-1")


def test_a_bundle_the_models_refuse_is_not_built() -> None:
    with pytest.raises(HandoffError, match="FHIR models"):
        build_bundle(_result(dob="15/08/1995"), REQUEST, attempt_id="a-1")  # not a FHIR date


def test_bundle_reaches_the_endpoint_after_its_503s() -> None:
    with HisEndpoint(EndpointState(fail_first=2)) as his, \
            HisSender(his.url, tries=5, sleep=lambda s: None, rng=random.Random(1)) as sender:
        result = sender.send(build_bundle(_result(), REQUEST, attempt_id="a-1"))
        assert result.accepted and result.status == 200 and result.tries == 3
        assert his.state.requests == 3 and len(his.state.received) == 1
        assert his.state.content_types[-1] == "application/fhir+json"
        got = _resources(his.state.received[0])
        assert got["Coverage"]["subscriberId"] == "DN4270123456789"
        assert Bundle.model_validate_json(result.sent) == his.state.received[0]


def test_a_refusal_is_not_retried_and_says_why() -> None:
    with HisEndpoint(EndpointState(refuse=True)) as his, HisSender(his.url, sleep=lambda s: None) as sender:
        result = sender.send(build_bundle(_result(), REQUEST, attempt_id="a-1"))
    assert not result.accepted and result.tries == 1 and result.status == 400
    assert result.detail == "refused (HTTP 400: business-rule)"  # the HIS's issue code


def test_a_refusal_echoing_the_id_number_is_not_logged(caplog: pytest.LogCaptureFixture) -> None:
    """The diagnostics are the HIS's text (they may echo a name, not only a number): only the issue code is kept."""
    state = EndpointState(refuse=True, refusal="Patient 027195001234 already registered")
    with caplog.at_level(logging.DEBUG, logger="kiosk"), HisEndpoint(state) as his, \
            HisSender(his.url, sleep=lambda s: None) as sender:
        result = sender.send(build_bundle(_result(), REQUEST, attempt_id="a-1"))
    assert not result.accepted and "already registered" not in result.detail and "1234" not in result.detail
    assert "business-rule" in caplog.text and "027195001234" not in caplog.text and "registered" not in caplog.text


def test_an_unreachable_his_is_retried_then_reported() -> None:
    free = socket.create_server(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{free.getsockname()[1]}/fhir"
    free.close()
    waits: list[float] = []
    with HisSender(url, tries=3, sleep=waits.append, rng=random.Random(2)) as sender:
        result = sender.send(build_bundle(_result(), REQUEST, attempt_id="a-1"))
    assert not result.accepted and result.status is None and result.tries == 3 and len(waits) == 2
    assert "not delivered after 3 tries" in result.detail


def test_bad_his_url() -> None:
    with pytest.raises(ValueError, match="his_url"):
        HisSender("ftp://x")
