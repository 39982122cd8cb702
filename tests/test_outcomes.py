from kiosk.outcomes import RESULT_CODES, Outcome, outcome_for_result_code


def test_every_known_code_maps_and_unknown_is_service_error() -> None:
    assert outcome_for_result_code("000") is Outcome.ELIGIBLE
    assert outcome_for_result_code("003") is Outcome.NEW_CARD
    assert outcome_for_result_code("061") is Outcome.DATA_MISMATCH
    assert outcome_for_result_code("124") is Outcome.NOT_ELIGIBLE
    assert outcome_for_result_code("401") is Outcome.SETUP_ERROR
    assert outcome_for_result_code("999") is Outcome.SERVICE_ERROR
    assert len(RESULT_CODES) >= 27


def test_definitive_and_eligible_sets() -> None:
    assert Outcome.NOT_FOUND.definitive and not Outcome.NOT_FOUND.eligible
    assert Outcome.NEW_CARD.eligible
    assert not Outcome.TIMEOUT.definitive and Outcome.TIMEOUT.lookup_sent
    assert not Outcome.INVALID_CARD.lookup_sent
