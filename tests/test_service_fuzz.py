"""Property-based API fuzzing (schemathesis) of the running service from its own OpenAPI document.

Every generated request is signed with the kiosk key (a requests ``auth`` that applies ``sign_request``),
so the generated bodies reach the lookup; every answer must be < 500 and correctly signed (bound to the
request when it was signed). The admin endpoint is left out: setting faults makes 5xx on purpose.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import requests
import schemathesis
from conftest import service_trusting
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from kiosk.eligibility import parse_answer
from kiosk.outcomes import Outcome
from kiosk.signing.keys import generate_private_key
from kiosk.signing.kiosk_auth import ResponseSignatureError, sign_request, verify_response
from kiosk.signing.service_verifier import ReplayCache, RequestVerifier
from kiosk.standins.population import generate_population
from kiosk.standins.service.app import ServiceState, create_app
from kiosk.standins.service.server import RunningService

KIOSK_ID = "kiosk-fuzz"
MAX_EXAMPLES = 40


class SigningAuth(requests.auth.AuthBase):
    """Signs a requests PreparedRequest with the kiosk profile (requests without a body type stay unsigned)."""

    def __init__(self, key: Ed25519PrivateKey) -> None:
        self.key = key

    def __call__(self, prepared: requests.PreparedRequest) -> requests.PreparedRequest:
        if "content-type" not in {k.lower() for k in prepared.headers}:
            return prepared
        body = prepared.body or b""
        request = httpx.Request(
            str(prepared.method),
            str(prepared.url),
            headers={k: v for k, v in prepared.headers.items() if k.lower() != "content-length"},
            content=body.encode("utf-8") if isinstance(body, str) else body,
        )
        sign_request(request, self.key, KIOSK_ID)
        for name in ("Content-Digest", "Signature-Input", "Signature"):
            prepared.headers[name] = request.headers[name]
        return prepared


@pytest.fixture(scope="module")
def fuzz_service(tmp_path_factory: pytest.TempPathFactory, kiosk_key: Ed25519PrivateKey) -> Iterator[RunningService]:
    keys_dir: Path = tmp_path_factory.mktemp("fuzz-keys")
    with service_trusting(keys_dir, kiosk_key, KIOSK_ID, population=generate_population(seed=11, size=150)) as running:
        yield running


@pytest.fixture(scope="module")
def session() -> Iterator[requests.Session]:
    with requests.Session() as s:
        yield s


def _openapi_document() -> dict[str, object]:
    """The service's OpenAPI document, built in memory (the same app the server runs; no files, no socket).

    (schemathesis' fixture-based lazy schema does not work with pytest 9, so the schema is loaded here.)
    """
    state = ServiceState(
        population=generate_population(seed=1, size=1),
        private_key=generate_private_key(),
        verifier=RequestVerifier(lambda keyid: None, ReplayCache()),
    )
    return create_app(state).app.openapi()


schema = schemathesis.openapi.from_dict(_openapi_document()).exclude(path="/v1/admin/faults")


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_errors_and_every_answer_signed(
    case: schemathesis.Case,
    fuzz_service: RunningService,
    kiosk_key: Ed25519PrivateKey,
    session: requests.Session,
) -> None:
    response = case.call(base_url=fuzz_service.url, session=session, auth=SigningAuth(kiosk_key), timeout=10)
    assert response.status_code < 500, response.text
    sent = response.request
    request = httpx.Request(str(sent.method), str(sent.url), headers=dict(sent.headers))
    lines = [(name, value) for name, values in response.headers.items() for value in values]
    answer = httpx.Response(response.status_code, headers=lines, content=response.content)
    signed = "Signature" in sent.headers
    try:
        verify_response(answer, request, fuzz_service.service_public_key, require_binding=signed)
    except ResponseSignatureError as exc:
        pytest.fail(f"{case.method} {case.path}: answer {response.status_code} badly signed: {exc}")
    if signed and case.path == "/v1/eligibility/lookups":
        assert response.status_code in (200, 400, 401, 405, 422)  # 400: a body that is not UTF-8
        assert response.status_code != 401 or response.json()["reason"] == "replayed-nonce"


LOOKUP_CASES = schema.find_operation_by_path("POST", "/v1/eligibility/lookups").as_strategy(GenerationMode.POSITIVE)


@given(cases=st.lists(LOOKUP_CASES, min_size=MAX_EXAMPLES, max_size=MAX_EXAMPLES))
@settings(max_examples=1, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_schema_valid_lookups_reach_the_lookup_logic_and_answer_in_the_schema(
    cases: list[schemathesis.Case],
    fuzz_service: RunningService,
    kiosk_key: Ed25519PrivateKey,
    session: requests.Session,
) -> None:
    """The OpenAPI document states the real rules: what it calls valid is answered by the lookup logic (a 200 with
    a result code, read with the kiosk's own model) — only a date of birth in the future is refused (422), and
    most generated lookups are answered."""
    answered = 0
    for case in cases:
        response = case.call(base_url=fuzz_service.url, session=session, auth=SigningAuth(kiosk_key), timeout=10)
        if response.status_code == 422:
            assert [e["field"] for e in response.json()["errors"]] == ["date_of_birth"], response.text
            assert "future" in response.text
            continue
        assert response.status_code == 200, response.text
        answer = parse_answer(response.content)
        assert answer.result_code and answer.outcome is not Outcome.SERVICE_ERROR
        answered += 1
    assert answered >= len(cases) / 2, f"{answered} of {len(cases)} schema-valid lookups were answered"
