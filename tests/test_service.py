"""The mocked population-data service on a real uvicorn server (127.0.0.1, free port)."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import stat
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from conftest import service_trusting, trust_kiosk
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.cli import main as cli_main
from kiosk.signing.keys import load_public_key
from kiosk.signing.kiosk_auth import ResponseSignatureError, SignedRequestAuth, sign_request, verify_response
from kiosk.standins.population import COVERED_RESULT_CODES, Person, Population, generate_population
from kiosk.standins.service.app import create_app
from kiosk.standins.service.faults import Fault, FaultInjector, FaultSpec, FaultSpecError, parse_fault_spec
from kiosk.standins.service.server import RunningService, build_state, start_service
from scanner.cccd import parse_cccd

KIOSK_ID = "kiosk-27001-01"
LOOKUP = "/v1/eligibility/lookups"


@pytest.fixture(scope="module")
def population() -> Population:
    return generate_population(seed=7, size=400)


@pytest.fixture(scope="module")
def service(
    tmp_path_factory: pytest.TempPathFactory, population: Population, kiosk_key: Ed25519PrivateKey
) -> Iterator[RunningService]:
    keys_dir = tmp_path_factory.mktemp("service-keys")
    with service_trusting(keys_dir, kiosk_key, KIOSK_ID, population=population) as running:
        yield running


@pytest.fixture(autouse=True)
def _no_faults(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "service" in request.fixturenames:
        request.getfixturevalue("service").set_faults(None)


def lookup_body(person: Person, staff: Person, facility: str, **changes: object) -> dict[str, object]:
    card = parse_cccd(person.qr_payload)  # what the kiosk reads from the card
    body: dict[str, object] = {
        "id_number": card.id_number,
        "full_name": card.full_name,
        "date_of_birth": card.date_of_birth.iso(),
        "facility_code": facility,
        "operator": {"name": staff.identity.full_name, "id_number": staff.identity.id_number},
    }
    body.update(changes)
    return body


def signed(
    service: RunningService, key: Ed25519PrivateKey, body: object, *, keyid: str = KIOSK_ID, **kw: int
) -> httpx.Request:
    request = httpx.Request("POST", service.url + LOOKUP, json=body)
    sign_request(request, key, keyid, **kw)
    return request


def any_body(population: Population) -> dict[str, object]:
    staff = population.staff_member("27001")
    return lookup_body(population.with_code("000")[0], staff, "27001")


# ---- 401: each refused request with its own reason ---------------------------------------------------------
def _set(request: httpx.Request, name: str, value: str) -> httpx.Request:
    request.headers[name] = value
    return request


def _edit_input(old: str, new: str) -> Callable[[httpx.Request], httpx.Request]:
    def edit(request: httpx.Request) -> httpx.Request:
        value = request.headers["Signature-Input"]
        assert old in value
        return _set(request, "Signature-Input", value.replace(old, new))

    return edit


def _retarget(request: httpx.Request) -> httpx.Request:
    return httpx.Request(request.method, str(request.url) + "?facility=27002", headers=request.headers,
                         content=request.content)  # fmt: skip


def _rebody(request: httpx.Request) -> httpx.Request:
    body = request.content.replace(b'"27001"', b'"27002"')
    assert body != request.content
    headers = {k: v for k, v in request.headers.items() if k != "content-length"}
    return httpx.Request(request.method, request.url, headers=headers, content=body)


def _second_signature(request: httpx.Request) -> httpx.Request:
    _set(request, "Signature-Input", request.headers["Signature-Input"] + ", " +
         request.headers["Signature-Input"].replace("sig1=", "sig2=", 1))  # fmt: skip
    return _set(request, "Signature", request.headers["Signature"] + ", " +
                request.headers["Signature"].replace("sig1=", "sig2=", 1))  # fmt: skip


def _drop_signature(request: httpx.Request) -> httpx.Request:
    del request.headers["Signature"]
    del request.headers["Signature-Input"]
    return request


def _relabel(request: httpx.Request) -> httpx.Request:
    _set(request, "Signature-Input", request.headers["Signature-Input"].replace("sig1=", "sig2=", 1))
    return _set(request, "Signature", request.headers["Signature"].replace("sig1=", "sig2=", 1))


def _bad_base64(request: httpx.Request) -> httpx.Request:
    return _set(request, "Signature", "sig1=:not*base64!:")


def _content_type(request: httpx.Request) -> httpx.Request:
    return _set(request, "Content-Type", "text/plain")


NO_CHANGE: Callable[[httpx.Request], httpx.Request] = lambda r: r  # noqa: E731

REJECTIONS: list[tuple[str, dict[str, object], Callable[[httpx.Request], httpx.Request], str]] = [
    ("tampered body", {}, _rebody, "digest-mismatch"),
    ("tampered covered header", {}, _content_type, "bad-signature"),
    ("tampered target uri", {}, _retarget, "bad-signature"),
    ("bad base64", {}, _bad_base64, "malformed-signature"),
    ("wrong label", {}, _relabel, "wrong-label"),
    ("unknown keyid", {"keyid": "kiosk-unknown"}, NO_CHANGE, "unknown-keyid"),
    ("other alg", {}, _edit_input('alg="ed25519"', 'alg="hmac-sha256"'), "unsupported-algorithm"),
    ("missing alg", {}, _edit_input(';alg="ed25519"', ""), "unsupported-algorithm"),
    ("digest not covered", {}, _edit_input(' "content-digest")', ")"), "component-not-covered"),
    ("unknown parameter", {}, _edit_input(";nonce=", ";x-nonce="), "malformed-signature"),
    ("missing nonce", {}, _edit_input(";nonce=", ";tag="), "missing-parameter"),
    ("future created", {"created_offset": 60}, NO_CHANGE, "created-in-future"),
    ("stale created", {"created_offset": -120}, NO_CHANGE, "signature-too-old"),
    ("expired", {"created_offset": -40}, NO_CHANGE, "signature-expired"),
    ("two signatures", {}, _second_signature, "multiple-signatures"),
    ("no signature", {}, _drop_signature, "missing-signature"),
]


@pytest.mark.parametrize(("case", "options", "tamper", "reason"), REJECTIONS, ids=[r[0] for r in REJECTIONS])
def test_refused_requests_get_401_with_their_own_reason(
    service: RunningService,
    population: Population,
    kiosk_key: Ed25519PrivateKey,
    case: str,
    options: dict[str, object],
    tamper: Callable[[httpx.Request], httpx.Request],
    reason: str,
) -> None:
    created = int(time.time()) + int(options.get("created_offset", 0))  # type: ignore[call-overload]
    keyid = str(options.get("keyid", KIOSK_ID))
    request = tamper(signed(service, kiosk_key, any_body(population), keyid=keyid, created=created))
    with httpx.Client() as client:
        response = client.send(request)
    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["reason"] == reason
    assert problem["status"] == 401 and problem["detail"]
    assert "Accept-Signature" in response.headers
    # the 401 itself is signed by the service (bound when the request carried a sig1 value)
    verify_response(response, request, service.service_public_key, require_binding=False)


def test_missing_created_is_refused_as_a_missing_parameter(
    service: RunningService, population: Population, kiosk_key: Ed25519PrivateKey
) -> None:
    request = signed(service, kiosk_key, any_body(population))
    value = request.headers["Signature-Input"]
    start = value.index(";created=")
    end = value.index(";", start + 1)
    request.headers["Signature-Input"] = value[:start] + value[end:]
    response = httpx.Client().send(request)
    assert response.status_code == 401
    assert response.json()["reason"] == "missing-parameter"


def test_a_replayed_request_is_refused(
    service: RunningService, population: Population, kiosk_key: Ed25519PrivateKey
) -> None:
    request = signed(service, kiosk_key, any_body(population))
    with httpx.Client() as client:
        first = client.send(request)
        second = client.send(request)
    assert first.status_code == 200
    assert second.status_code == 401
    assert second.json()["reason"] == "replayed-nonce"
    verify_response(second, request, service.service_public_key)  # bound: it answers that request


def test_the_signature_is_checked_before_the_body(service: RunningService, kiosk_key: Ed25519PrivateKey) -> None:
    request = httpx.Request("POST", service.url + LOOKUP, headers={"content-type": "application/json"},
                            content=b"{not json")  # fmt: skip
    response = httpx.post(service.url + LOOKUP, content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 401  # unsigned: refused before any parsing (would be 422)
    sign_request(request, kiosk_key, "kiosk-unknown")
    assert httpx.Client().send(request).json()["reason"] == "unknown-keyid"


# ---- result codes -------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def client(service: RunningService, kiosk_key: Ed25519PrivateKey) -> Iterator[httpx.Client]:
    auth = SignedRequestAuth(kiosk_key, KIOSK_ID, service.service_public_key)
    with httpx.Client(base_url=service.url, auth=auth, timeout=10) as c:
        yield c


@pytest.mark.parametrize("code", COVERED_RESULT_CODES)
def test_every_result_code_for_the_right_person(client: httpx.Client, population: Population, code: str) -> None:
    staff = population.staff_member("27012")
    for person in population.with_code(code)[:2]:
        response = client.post(LOOKUP, json=lookup_body(person, staff, "27012"))
        assert response.status_code == 200
        answer = response.json()
        assert answer["result_code"] == code
        assert answer["eligible"] is (code in ("000", "001", "002", "003", "004"))
        insurance = answer["insurance"]
        if code in ("050", "130", "060", "061", "070"):
            assert insurance is None and answer["person"] is None  # nothing personal on a mismatch
            continue
        assert person.insurance is not None
        assert insurance["bhxh_number"] == person.insurance.bhxh_number
        assert insurance["new_card"] is (code in ("003", "004"))
        assert insurance["coverage_percent"] in (80, 95, 100)
        assert insurance["primary_facility"]["code"].startswith("27") and insurance["primary_facility"]["name"]
        today = answer["checked_at"][:10]
        expired = insurance["valid_to"] < today
        assert expired is (code == "010")


def test_names_compare_case_insensitively_but_not_diacritic_insensitively(
    client: httpx.Client, population: Population
) -> None:
    staff = population.staff_member("27001")
    person = next(p for p in population.with_code("000") if p.identity.full_name != p.identity.full_name.upper())
    upper = client.post(LOOKUP, json=lookup_body(person, staff, "27001", full_name=person.identity.full_name.upper()))
    assert upper.json()["result_code"] == "000"
    from scanner.vntext import strip_diacritics

    plain = strip_diacritics(person.identity.full_name)
    answer = client.post(LOOKUP, json=lookup_body(person, staff, "27001", full_name=plain)).json()
    assert answer["result_code"] in ("060", "061")


def test_staff_checks_give_054_and_055(client: httpx.Client, population: Population) -> None:
    person = population.with_code("000")[0]
    staff = population.staff_member("27001")
    elsewhere = client.post(LOOKUP, json=lookup_body(person, staff, "27002"))
    assert elsewhere.json()["result_code"] == "054"
    wrong_name = lookup_body(person, staff, "27001", operator={"name": "Trần Văn Khác", "id_number":
                                                                staff.identity.id_number})  # fmt: skip
    assert client.post(LOOKUP, json=wrong_name).json()["result_code"] == "055"
    unknown_person = lookup_body(person, staff, "27001", id_number="027099000001")
    assert client.post(LOOKUP, json=unknown_person).json()["result_code"] == "050"


def test_malformed_fields_get_a_422_problem_naming_each_field(client: httpx.Client, population: Population) -> None:
    body = any_body(population)
    body.update(id_number="12345", date_of_birth="1990-02-30", facility_code="x",
                operator={"name": "A"})  # fmt: skip
    response = client.post(LOOKUP, json=body)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 422 and problem["type"].endswith("invalid-request")
    fields = {e["field"] for e in problem["errors"]}
    assert fields == {"id_number", "date_of_birth", "facility_code", "operator.id_number"}
    assert all(e["pointer"].startswith("#/") and e["message"] for e in problem["errors"])
    not_json = client.post(LOOKUP, content=b"{oops", headers={"content-type": "application/json"})
    assert not_json.status_code == 422 and not_json.json()["errors"][0]["field"] == "body"


def test_the_direct_lookup_path_answers_byte_for_byte_as_the_fastapi_route(
    tmp_path: Path, population: Population, kiosk_key: Ed25519PrivateKey
) -> None:
    """The middleware answers well-formed JSON lookups itself; everything else (another Content-Type
    spelling, a malformed body) goes to FastAPI. Both paths must give the same answer."""
    keys_dir = trust_kiosk(tmp_path / "keys", kiosk_key, KIOSK_ID)
    state = build_state(population=population, keys_dir=keys_dir)
    state.clock = lambda: 1_750_000_000.0  # the same checked_at for both answers
    app = create_app(state)
    fastapi_app = app.app
    reached_fastapi: list[str] = []

    async def counting(scope: dict[str, object], receive: object, send: object) -> None:
        reached_fastapi.append(f"{scope['method']} {scope['path']}")
        await fastapi_app(scope, receive, send)  # type: ignore[arg-type]

    app.app = counting
    staff = population.staff_member("27001")
    people = (population.with_code("000")[0], population.with_code("050")[0])
    bodies = [lookup_body(person, staff, "27001") for person in people]
    bodies.append(lookup_body(population.with_code("000")[0], staff, "27002"))  # 054: staff not registered there

    async def scenario() -> list[tuple[str, httpx.Response]]:
        out = []
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
            for body in [*bodies, {**bodies[0], "id_number": "123"}]:
                for content_type in ("application/json", "application/json; charset=utf-8"):
                    request = httpx.Request("POST", "http://svc" + LOOKUP, content=json.dumps(body).encode(),
                                            headers={"content-type": content_type})
                    sign_request(request, kiosk_key, KIOSK_ID)
                    response = await client.send(request)
                    verify_response(response, request, state.public_key)
                    out.append((content_type, response))
        return out

    answers = asyncio.run(scenario())
    # Only the charset spelling and the malformed body (422 from FastAPI) reached FastAPI.
    assert reached_fastapi == [f"POST {LOOKUP}"] * (len(bodies) + 2)
    for (_, direct), (_, via_fastapi) in zip(answers[::2], answers[1::2], strict=True):
        assert direct.status_code == via_fastapi.status_code
        assert direct.headers["content-type"] == via_fastapi.headers["content-type"]
        ids = [r.json().get("lookup_id", "") for r in (direct, via_fastapi)]
        assert direct.content.replace(ids[0].encode(), b"ID") == via_fastapi.content.replace(ids[1].encode(), b"ID")
    assert [r.status_code for _, r in answers[::2]] == [200, 200, 200, 422]
    assert [r.json().get("result_code") for _, r in answers[:6:2]] == ["000", "050", "054"]


# ---- service key, openapi, response binding ---------------------------------------------------------------
def test_service_key_is_published_as_a_signed_jwk(service: RunningService) -> None:
    response = httpx.get(service.url + "/v1/service-key")
    assert response.status_code == 200
    jwk = response.json()
    assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519"
    assert load_public_key(json.dumps(jwk)).public_bytes_raw() == service.service_public_key.public_bytes_raw()
    verify_response(response, response.request, service.service_public_key, require_binding=False)
    spec = httpx.get(service.url + "/openapi.json").json()
    assert LOOKUP in spec["paths"] and "422" in spec["paths"][LOOKUP]["post"]["responses"]


def test_responses_are_bound_to_the_request_they_answer(
    service: RunningService, population: Population, kiosk_key: Ed25519PrivateKey
) -> None:
    first = signed(service, kiosk_key, any_body(population))
    second = signed(service, kiosk_key, any_body(population))
    with httpx.Client() as client:
        answer = client.send(first)
    assert '"signature";req;key="sig1"' in answer.headers["Signature-Input"]
    verify_response(answer, first, service.service_public_key)
    with pytest.raises(ResponseSignatureError):
        verify_response(answer, second, service.service_public_key)  # a response swapped in from elsewhere


# ---- faults ------------------------------------------------------------------------------------------------
def test_fault_spec_grammar_and_errors() -> None:
    spec = parse_fault_spec("latency=0.2:1.5,error=0.1,hang=0.05,drop=0.05,malformed=0.05,badsig=0.05")
    assert (spec.latency, spec.latency_s, spec.error, spec.hang, spec.badsig) == (0.2, 1.5, 0.1, 0.05, 0.05)
    assert parse_fault_spec(spec.to_text()) == spec
    assert parse_fault_spec("error=0.5:502,seed=3").error_status == 502
    for text, part in [
        ("latency=0.2", "latency=0.2"),
        ("error=1.5", "error=1.5"),
        ("drop=x", "drop=x"),
        ("boom=0.1", "boom=0.1"),
        ("error=0.1:404", "error=0.1:404"),
        ("error=0.1,,drop=0.1", "empty part"),
    ]:
        with pytest.raises(FaultSpecError) as info:
            parse_fault_spec(text)
        assert part in str(info.value)


def test_seeded_faults_are_deterministic() -> None:
    spec = parse_fault_spec("error=0.3,drop=0.2,latency=0.5:0.1,seed=42")
    one, two = FaultInjector(spec), FaultInjector(spec)
    first, second = [one.draw() for _ in range(200)], [two.draw() for _ in range(200)]
    assert first == second
    faults = [d.fault for d in first]
    assert {Fault.ERROR, Fault.DROP, Fault.NONE} <= set(faults)
    assert 0.15 < faults.count(Fault.ERROR) / len(faults) < 0.45  # 0.3, drawn after drop
    one.set(spec)  # setting the spec again restarts the sequence
    assert [one.draw() for _ in range(200)] == first


def test_faults_at_the_http_level(service: RunningService, population: Population, client: httpx.Client) -> None:
    body = any_body(population)
    service.set_faults("error=1")
    response = client.post(LOOKUP, json=body)  # signed and bound, so the auth accepts it
    assert response.status_code == 503 and response.json()["type"].endswith("injected-error")

    service.set_faults("malformed=1")
    response = client.post(LOOKUP, json=body)
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)

    service.set_faults("badsig=1")
    with pytest.raises(ResponseSignatureError) as info:
        client.post(LOOKUP, json=body)
    assert info.value.reason == "bad-signature"

    service.set_faults("drop=1")
    with pytest.raises(httpx.RemoteProtocolError):
        client.post(LOOKUP, json=body)

    service.set_faults("hang=1:20")
    with pytest.raises(httpx.ReadTimeout):
        client.post(LOOKUP, json=body, timeout=0.3)

    service.set_faults("latency=1:0.05")
    assert client.post(LOOKUP, json=body).json()["result_code"] == "000"
    service.set_faults(None)
    assert client.post(LOOKUP, json=body).status_code == 200


def test_admin_endpoint_is_off_without_faults(service: RunningService) -> None:
    """Started without --faults: no fault injection over HTTP, whatever the caller shows."""
    assert service.state.admin_token is None
    for headers in ({}, {"Authorization": "Bearer anything"}):
        put = httpx.put(service.url + "/v1/admin/faults", json={"spec": "error=1"}, headers=headers)
        assert put.status_code == 404 and put.json()["type"].endswith("faults-off")
        assert httpx.get(service.url + "/v1/admin/faults", headers=headers).status_code == 404
    assert not service.state.faults.spec.active


def test_admin_endpoint_on_loopback_needs_the_token(tmp_path: Path, population: Population) -> None:
    with start_service(population=population, keys_dir=tmp_path / "keys", faults="") as running:
        token = running.state.admin_token
        assert token and len(token) >= 32
        url = running.url + "/v1/admin/faults"
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": token}):
            refused = httpx.put(url, json={"spec": "error=1"}, headers=headers)
            assert refused.status_code == 403 and "token" in refused.json()["detail"]
        auth = {"Authorization": f"Bearer {token}"}
        put = httpx.put(url, json={"spec": "error=0.25,seed=9"}, headers=auth)
        assert put.status_code == 200 and put.json()["spec"] == "error=0.25,seed=9"
        assert running.state.faults.spec == FaultSpec(error=0.25, seed=9)
        assert httpx.get(url, headers=auth).json()["error"] == 0.25
        bad = httpx.put(url, json={"spec": "error=2"}, headers=auth)
        assert bad.status_code == 422 and "error=2" in bad.json()["detail"]
        fields = httpx.put(url, json={"drop": 0.5}, headers=auth)
        assert fields.status_code == 200 and running.state.faults.spec == FaultSpec(drop=0.5)
        for bad_fields in ({"drop": True}, {"drop": "0.5"}, {"drop": 2}, {"boom": 0.1}):
            refused = httpx.put(url, json=bad_fields, headers=auth)
            assert refused.status_code == 422 and next(iter(bad_fields)) in refused.json()["detail"]
        assert running.state.faults.spec == FaultSpec(drop=0.5)


def test_admin_endpoint_refuses_other_peers(tmp_path: Path, population: Population) -> None:
    """The ASGI app itself, with the peer address a remote client would have (and the right token)."""
    state = build_state(population=population, keys_dir=tmp_path / "keys", faults="")
    app = create_app(state)
    auth = {"Authorization": f"Bearer {state.admin_token}"}

    async def scenario() -> tuple[int, str, int, int]:
        remote_transport = httpx.ASGITransport(app=app, client=("192.0.2.10", 40000))
        local_transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40000))
        async with (
            httpx.AsyncClient(transport=remote_transport, base_url="http://svc", headers=auth) as remote,
            httpx.AsyncClient(transport=local_transport, base_url="http://svc", headers=auth) as local,
        ):
            refused = await remote.put("/v1/admin/faults", json={"spec": "error=1"})
            read = await remote.get("/v1/admin/faults")
            allowed = await local.put("/v1/admin/faults", json={"spec": "error=1"})
        return refused.status_code, refused.headers["content-type"], read.status_code, allowed.status_code

    try:
        refused, content_type, read, allowed = asyncio.run(scenario())
    finally:
        state.close()
    assert (refused, read, allowed) == (403, 403, 200)
    assert content_type == "application/problem+json"
    assert state.faults.spec == FaultSpec(error=1.0)


def _non_loopback_address() -> str | None:
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))  # no packet is sent for UDP connect
            address = s.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def test_admin_endpoint_refuses_a_real_non_loopback_peer(tmp_path: Path, population: Population) -> None:
    address = _non_loopback_address()
    if address is None:
        pytest.skip("no non-loopback address on this machine")
    with start_service(population=population, keys_dir=tmp_path / "keys", host="0.0.0.0", faults="") as running:
        refused = httpx.put(f"http://{address}:{running.port}/v1/admin/faults", json={"spec": "error=1"},
                            headers={"Authorization": f"Bearer {running.state.admin_token}"})
        assert refused.status_code == 403
        assert not running.state.faults.spec.active


# ---- lifecycle and commands --------------------------------------------------------------------------------
def test_start_and_stop_leave_no_threads_and_make_the_service_key(tmp_path: Path, population: Population) -> None:
    before = set(threading.enumerate())
    keys = tmp_path / "keys"
    with start_service(population=population, keys_dir=keys) as running:
        assert httpx.get(running.url + "/v1/service-key").status_code == 200
    assert set(threading.enumerate()) <= before
    key_file = keys / "service.pem"
    assert key_file.exists() and (keys / "trusted").is_dir()
    if os.name == "posix":
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    again = start_service(population=population, keys_dir=keys)
    try:
        assert again.service_public_key.public_bytes_raw() == running.service_public_key.public_bytes_raw()
    finally:
        again.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(running.url + "/v1/service-key", timeout=1)


def test_keys_new_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["keys", "new", "--kiosk-id", "k-1", "--out", str(tmp_path)]) == 0
    private, public = tmp_path / "k-1.key.pem", tmp_path / "k-1.pub.pem"
    assert "trusted/k-1.pem" in capsys.readouterr().out
    if os.name == "posix":
        assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert load_public_key(public)
    before = private.read_bytes()
    assert cli_main(["keys", "new", "--kiosk-id", "k-1", "--out", str(tmp_path)]) == 2
    assert "--force" in capsys.readouterr().err
    assert private.read_bytes() == before
    assert cli_main(["keys", "new", "--kiosk-id", "k-1", "--out", str(tmp_path), "--force"]) == 0
    assert private.read_bytes() != before
    assert cli_main(["keys", "new", "--kiosk-id", "../x", "--out", str(tmp_path)]) == 2


def test_service_command_refuses_a_bad_fault_spec(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli_main(["service", "--keys-dir", str(tmp_path), "--faults", "latency=0.5", "--port", "0"])
    assert code == 2
    assert "latency=0.5" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["service", "collector"])
def test_a_port_in_use_is_a_clear_error_not_a_listening_line(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Another program holds the port: the command says it cannot listen there (exit 2), and never claims to be
    listening first."""
    busy = socket.create_server(("127.0.0.1", 0))
    port = busy.getsockname()[1]
    extra = ["--database", f"sqlite:///{tmp_path / 'central.db'}"] if command == "collector" else []
    try:
        code = cli_main([command, "--keys-dir", str(tmp_path / "keys"), "--port", str(port), *extra])
    finally:
        busy.close()
    out, err = capsys.readouterr()
    assert code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in err
    assert "listening on" not in out
