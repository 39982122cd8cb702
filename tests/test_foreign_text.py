"""Text from the other side never puts a patient's name or address into the app log or the lookup database.

The eligibility service and the HIS may echo what they were sent — the patient's name, address and number — in an
error answer (a problem's title, detail or reason, a FHIR OperationOutcome's diagnostics), and an HTTP library's
exception may quote what a server sent. Masking digits is not enough for a name: only the kiosk's own reasons and
safe facts (HTTP status, exception class, codes from a fixed vocabulary) may reach the log and the database.
"""

from __future__ import annotations

import logging
import random
from pathlib import Path

import httpx
import pytest
from his_endpoint import EndpointState, HisEndpoint
from test_client import FakeTime, Keys, Reply, _raise, answer_body, fake_time, keys, run_lookup  # noqa: F401
from test_his import REQUEST, _result

from kiosk.attempts import InputSource, LookupAttempt
from kiosk.his import HisSender, build_bundle
from kiosk.lookup_log import LookupLog
from kiosk.outcomes import Outcome

NAME = "Nguyễn Văn An"
ADDRESS = "12 Lê Lợi, Phường Bến Nghé"
ECHO = f"Bệnh nhân {NAME}, địa chỉ {ADDRESS}, CCCD 027195001234, không hợp lệ"
# Forms in which the echoed text could be found (the words, without diacritics, and as JSON would escape them).
FORMS = ["Nguyễn", "Nguyen", "Lê Lợi", "Bến Nghé", "Ben Nghe", "Bệnh nhân", "027195001234",
         "Nguy\\u1ec5n", "L\\u00ea L\\u1ee3i"]

REPLIES: list[Reply] = [
    (401, {"title": ECHO, "detail": ECHO, "reason": NAME}),
    (422, {"title": ECHO, "detail": [{"loc": ["body", NAME], "msg": ECHO}]}),
    (422, {"title": ECHO, "detail": ECHO}),
    (404, {"title": ECHO, "detail": ECHO}),
    (500, {"title": ECHO, "detail": ECHO}),
    (503, {"title": ECHO, "detail": ECHO}),
    _raise(httpx.RemoteProtocolError, f"illegal status line: {ECHO!r}"),
    _raise(httpx.ReadError, ECHO),
    _raise(httpx.ProxyError, ECHO),
    (200, {**answer_body(), "result_code": ECHO}),
]


def leaked(text: str) -> list[str]:
    return [form for form in FORMS if form.lower() in text.lower()]


def test_service_error_texts_reach_neither_the_log_nor_the_lookup_database(
    keys: Keys, fake_time: FakeTime, tmp_path: Path, caplog: pytest.LogCaptureFixture  # noqa: F811 (fixtures)
) -> None:
    reasons = []
    with caplog.at_level(logging.DEBUG):
        for reply in REPLIES:
            result, _ = run_lookup(keys, [reply], fake_time)
            assert not result.outcome.definitive and result.reason
            reasons.append(result.reason)
    assert not [(r, leaked(r)) for r in reasons if leaked(r)]
    assert not leaked(caplog.text)
    assert reasons[0] == "HTTP 401: service rejected the kiosk: no reason given"
    assert reasons[1].startswith("HTTP 422: service rejected the request (kiosk bug)")
    assert reasons[3:5] == ["HTTP 404", "HTTP 500"]
    assert reasons[6:9] == ["connection dropped: RemoteProtocolError", "connection dropped: ReadError",
                            "HTTP error: ProxyError"]

    db = tmp_path / "log.db"
    with LookupLog(db) as log:
        for reason in reasons:
            attempt = LookupAttempt.start(kiosk_id="k-1", facility_code="27001", source=InputSource.CAMERA)
            attempt.outcome, attempt.error_reason = Outcome.SERVICE_ERROR, reason
            log.record(attempt)
        assert log.flush(10) and log.stats().committed == len(REPLIES)
    for path in tmp_path.iterdir():
        assert not leaked(path.read_bytes().decode("utf-8", "replace")), path


def test_his_diagnostics_reach_neither_the_log_nor_the_staff_message(caplog: pytest.LogCaptureFixture) -> None:
    state = EndpointState(refuse=True, refusal=ECHO)
    with caplog.at_level(logging.DEBUG), HisEndpoint(state) as his, \
            HisSender(his.url, sleep=lambda s: None, rng=random.Random(1)) as sender:
        result = sender.send(build_bundle(_result(), REQUEST, attempt_id="a-1"))
    assert not result.accepted and result.status == 400
    assert result.detail == "refused (HTTP 400: business-rule)"  # the HIS's issue code says why
    assert not leaked(result.detail) and not leaked(caplog.text)
