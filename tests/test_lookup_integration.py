"""End to end: the signed lookup client and ``bhyt-kiosk lookup`` against the real mocked service on uvicorn.

The service runs on 127.0.0.1 on a free port, with its keys in tmp_path and a generated population.
Fault tests measure each lookup's wall time and check it against the client's deadline (timeout + 1 s):
a correctness bound, not a speed target.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from conftest import BlockingLookups, free_port

from kiosk.cli import main
from kiosk.client import LookupClient
from kiosk.config import KioskConfig
from kiosk.eligibility import LookupRequest
from kiosk.outcomes import Outcome, outcome_for_result_code
from kiosk.signing.keys import generate_private_key, key_thumbprint, load_public_key, save_private_key, save_public_key
from kiosk.standins.population import COVERED_RESULT_CODES, Person, Population, generate_population
from kiosk.standins.service.server import RunningService, start_service, trusted_keys_dir

KIOSK_ID = "kiosk-it-1"
TIMEOUT_S = 1.0


@dataclass
class Setup:
    service: RunningService
    population: Population
    facility: str
    operator: Person
    kiosk_key: Path
    service_key: Path
    tmp: Path

    def config(self, **changes: object) -> KioskConfig:
        config = KioskConfig(
            kiosk_id=KIOSK_ID,
            facility_code=self.facility,
            operator_name=self.operator.identity.full_name,
            operator_id=self.operator.identity.id_number,
            service_url=self.service.url,
            service_key=str(self.service_key),
            private_key=self.kiosk_key,
            read_timeout_s=TIMEOUT_S,
            connect_timeout_s=TIMEOUT_S,
            backoff_s=0.05,
        )
        for name, value in changes.items():
            setattr(config, name, value)
        return config

    def request(self, person: Person, **changes: str) -> LookupRequest:
        card = person.identity
        values = {
            "id_number": card.id_number, "full_name": card.full_name, "date_of_birth": card.date_of_birth,
            "facility_code": self.facility, "operator_name": self.operator.identity.full_name,
            "operator_id": self.operator.identity.id_number,
        }
        values.update(changes)
        return LookupRequest(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def population() -> Population:
    return generate_population(7, 200)


@pytest.fixture(scope="module")
def setup(population: Population, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    tmp = tmp_path_factory.mktemp("lookup-it")
    keys_dir = tmp / "service-keys"
    kiosk_key = generate_private_key()
    save_private_key(kiosk_key, tmp / "kiosk.pem")
    save_public_key(kiosk_key.public_key(), trusted_keys_dir(keys_dir) / f"{KIOSK_ID}.pem")
    facility = population.facilities()[0].code
    with start_service(population=population, keys_dir=keys_dir) as service:
        save_public_key(service.service_public_key, tmp / "service.pub.pem")
        yield Setup(service, population, facility, population.staff_member(facility), tmp / "kiosk.pem",
                    tmp / "service.pub.pem", tmp)


@pytest.fixture
def client(setup: Setup) -> Iterator[BlockingLookups]:
    setup.service.set_faults(None)
    with BlockingLookups(LookupClient(setup.config())) as c:
        yield c
    setup.service.set_faults(None)


# --------------------------------------------------------------------- every result code


@pytest.mark.parametrize("code", COVERED_RESULT_CODES)
def test_every_result_code_end_to_end(setup: Setup, client: BlockingLookups, code: str) -> None:
    people = setup.population.with_code(code)
    assert people, f"the population holds nobody for {code}"
    result = client.lookup(setup.request(people[0]))
    expected = outcome_for_result_code(code)
    assert (result.result_code, result.outcome) == (code, expected), result.reason
    assert result.eligible is expected.eligible and result.attempts == 1
    assert result.lookup_id and result.checked_at is not None
    if expected.eligible:
        assert result.insurance is not None and result.insurance.valid_to >= result.insurance.valid_from
    if code in ("003", "004"):
        assert result.insurance is not None and result.insurance.new_card


def test_unregistered_operator_gives_054(setup: Setup, client: BlockingLookups) -> None:
    patient = setup.population.with_code("000")[0]
    stranger = next(p for p in setup.population.with_code("000")[1:] if p.staff_of is None)
    result = client.lookup(setup.request(patient, operator_id=stranger.identity.id_number,
                                         operator_name=stranger.identity.full_name))
    assert (result.result_code, result.outcome, result.eligible) == ("054", Outcome.SETUP_ERROR, False)


def test_wrong_operator_name_gives_055(setup: Setup, client: BlockingLookups) -> None:
    patient = setup.population.with_code("000")[0]
    result = client.lookup(setup.request(patient, operator_name="Người Khác Tên"))
    assert (result.result_code, result.outcome, result.eligible) == ("055", Outcome.SETUP_ERROR, False)


def test_service_rejects_bad_fields_with_422(setup: Setup, client: BlockingLookups) -> None:
    patient = setup.population.with_code("000")[0]
    result = client.lookup(setup.request(patient, facility_code="27"))
    assert result.outcome is Outcome.SETUP_ERROR and result.attempts == 1
    assert "HTTP 422" in (result.reason or "") and "facility_code" in (result.reason or "")


def test_unknown_kiosk_key_gives_401_setup_error(setup: Setup) -> None:
    other = generate_private_key()
    save_private_key(other, setup.tmp / "stranger.pem")
    config = setup.config(kiosk_id="kiosk-unknown", private_key=setup.tmp / "stranger.pem")
    with BlockingLookups(LookupClient(config)) as c:
        result = c.lookup(setup.request(setup.population.with_code("000")[0]))
    assert result.outcome is Outcome.SETUP_ERROR and result.attempts == 1
    assert result.reason == "HTTP 401: service rejected the kiosk: unknown-keyid"
    assert c.breaker.consecutive_failures == 0


def test_published_service_key_matches_the_pinned_key(setup: Setup) -> None:
    jwk = httpx.get(f"{setup.service.url}/v1/service-key", timeout=10).json()  # what set-up pins (README: curl)
    assert key_thumbprint(load_public_key(json.dumps(jwk))) == key_thumbprint(
        setup.service.service_public_key)
    # The published JWK works as the pinned key too.
    with BlockingLookups(LookupClient(setup.config(service_key=json.dumps(jwk)))) as c:
        assert c.lookup(setup.request(setup.population.with_code("000")[0])).outcome is Outcome.ELIGIBLE


# --------------------------------------------------------------------- response signatures


def test_wrong_pinned_key_is_refused(setup: Setup) -> None:
    save_public_key(generate_private_key().public_key(), setup.tmp / "wrong.pub.pem")
    with BlockingLookups(LookupClient(setup.config(service_key=str(setup.tmp / "wrong.pub.pem")))) as c:
        result = c.lookup(setup.request(setup.population.with_code("000")[0]))
    assert result.outcome is Outcome.REJECTED_SIGNATURE and not result.eligible and result.insurance is None
    assert "service-key-mismatch" in (result.reason or "")


def test_unsigned_response_is_refused(setup: Setup) -> None:
    """A proxy that strips the signature headers from the real service's answer."""
    upstream = httpx.AsyncHTTPTransport()

    async def strip_signatures(request: httpx.Request) -> httpx.Response:
        response = await upstream.handle_async_request(request)
        body = await response.aread()
        headers = [(k, v) for k, v in response.headers.multi_items()
                   if k.lower() not in ("signature", "signature-input", "content-length")]
        return httpx.Response(response.status_code, headers=headers, content=body)

    with BlockingLookups(LookupClient(setup.config(), transport=httpx.MockTransport(strip_signatures))) as c:
        result = c.lookup(setup.request(setup.population.with_code("000")[0]))
        c.loop.submit(upstream.aclose()).result(5)
    assert result.outcome is Outcome.REJECTED_SIGNATURE
    assert (result.reason or "").startswith("response signature invalid: unsigned")


# --------------------------------------------------------------------- injected faults


@pytest.mark.parametrize(
    ("faults", "outcome", "reason_start", "attempts"),
    [
        ("latency=1:3", Outcome.TIMEOUT, "read timeout after 1.0 s", 1),
        ("hang=1:5", Outcome.TIMEOUT, "read timeout after 1.0 s", 1),
        ("error=1", Outcome.SERVICE_ERROR, "HTTP 503", 3),
        ("error=1:502", Outcome.SERVICE_ERROR, "HTTP 502", 3),
        ("error=1:500", Outcome.SERVICE_ERROR, "HTTP 500", 1),
        ("drop=1", Outcome.SERVICE_ERROR, "connection dropped", 3),
        ("malformed=1", Outcome.SERVICE_ERROR, "malformed response", 1),
        ("badsig=1", Outcome.REJECTED_SIGNATURE, "response signature invalid", 1),
    ],
)
def test_injected_faults(setup: Setup, client: BlockingLookups, faults: str, outcome: Outcome, reason_start: str,
                         attempts: int) -> None:
    setup.service.set_faults(faults)
    started = time.monotonic()
    result = client.lookup(setup.request(setup.population.with_code("000")[0]))
    elapsed = time.monotonic() - started
    assert result.outcome is outcome and not result.eligible
    assert (result.reason or "").startswith(reason_start), result.reason
    assert result.attempts == attempts
    assert elapsed < TIMEOUT_S + 1.0  # the client's deadline: timeout plus 1 s


def test_intermittent_errors_are_retried_to_an_answer(setup: Setup, client: BlockingLookups) -> None:
    setup.service.set_faults("error=0.5,drop=0.3,seed=11")
    results = [client.lookup(setup.request(p)) for p in setup.population.with_code("000")[:12]]
    assert sum(r.attempts > 1 for r in results) >= 1
    assert all(r.outcome in (Outcome.ELIGIBLE, Outcome.SERVICE_ERROR) for r in results)
    assert any(r.outcome is Outcome.ELIGIBLE and r.attempts > 1 for r in results)


def test_breaker_opens_while_the_service_is_down(setup: Setup) -> None:
    setup.service.set_faults("error=1")
    try:
        with BlockingLookups(LookupClient(setup.config(breaker_threshold=2, retries=0))) as c:
            person = setup.population.with_code("000")[0]
            assert [c.lookup(setup.request(person)).reason for _ in range(2)] == ["HTTP 503", "HTTP 503"]
            result = c.lookup(setup.request(person))
            assert result.reason == "circuit open" and result.attempts == 0
    finally:
        setup.service.set_faults(None)


def test_service_not_running_is_a_service_error(setup: Setup, tmp_path: Path) -> None:
    port = free_port()
    with BlockingLookups(LookupClient(setup.config(service_url=f"http://127.0.0.1:{port}"))) as c:
        result = c.lookup(setup.request(setup.population.with_code("000")[0]))
    assert result.outcome is Outcome.SERVICE_ERROR and (result.reason or "").startswith("cannot connect")
    assert result.attempts == 3


# --------------------------------------------------------------------- cancelling a request in flight


def _new_threads(before: set[threading.Thread]) -> list[str]:
    return sorted(t.name for t in set(threading.enumerate()) - before if t.is_alive())


def test_cancel_aborts_a_hanging_request(setup: Setup) -> None:
    """The service never answers and the read timeout is 30 s: the cancel must cut the request itself."""
    person = setup.population.with_code("000")[0]
    with BlockingLookups(LookupClient(setup.config(read_timeout_s=30.0, retries=2))) as c:
        setup.service.set_faults("hang=1")
        try:
            for _ in range(2):  # twice: the aborted connection must not break the next lookup
                before = set(threading.enumerate())
                started = time.monotonic()
                pending = c.start(setup.request(person))
                time.sleep(0.3)
                c.cancel(pending)
                result = pending.result(5)
                elapsed = time.monotonic() - started
                assert result.outcome is Outcome.CANCELLED and not result.eligible
                assert result.attempts == 1 and result.reason == "cancelled while try 1 was in flight"
                assert elapsed < 3.0  # not the 30 s read timeout (a correctness bound, not a speed target)
                assert _new_threads(before) == []  # no thread per lookup or per try
        finally:
            setup.service.set_faults(None)
        assert c.breaker.consecutive_failures == 0  # a cancel says nothing about the service
        assert c.lookup(setup.request(person)).outcome is Outcome.ELIGIBLE  # the client still works


def test_cancel_aborts_only_its_own_request(setup: Setup) -> None:
    """Several lookups hang on one client; cancelling one leaves the others waiting until they are cancelled."""
    person = setup.population.with_code("000")[0]
    with BlockingLookups(LookupClient(setup.config(read_timeout_s=30.0, retries=0))) as c:
        setup.service.set_faults("hang=1")
        try:
            pending = [c.start(setup.request(person)) for _ in range(3)]
            time.sleep(0.3)
            c.cancel(pending[0])
            assert pending[0].result(3.0).outcome is Outcome.CANCELLED
            assert not any(p.done() for p in pending[1:])  # still waiting for their answers
            for p in pending[1:]:
                c.cancel(p)
            assert [p.result(3.0).outcome for p in pending[1:]] == [Outcome.CANCELLED] * 2
        finally:
            setup.service.set_faults(None)


# --------------------------------------------------------------------- the CLI


def _toml_for(setup: Setup, path: Path) -> Path:
    config = setup.config()
    config.save(path)
    return path


def test_cli_lookup_with_flags_json(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    setup.service.set_faults(None)
    person = setup.population.with_code("000")[0]
    op = setup.operator.identity
    code = main(["lookup", "--qr", person.qr_payload, "--json", "--service", setup.service.url,
                 "--service-key", str(setup.service_key), "--kiosk-id", KIOSK_ID, "--key", str(setup.kiosk_key),
                 "--facility", setup.facility, "--operator-id", op.id_number, "--operator-name", op.full_name,
                 "--timeout", "5", "--config", str(_toml_for_empty(setup))])
    out = capsys.readouterr().out
    data = json.loads(out)
    assert code == 0
    assert data["outcome"] == "eligible" and data["result_code"] == "000" and data["eligible"] is True
    assert data["masked_id"].endswith(person.identity.id_number[-4:])
    assert person.identity.id_number not in out


def _toml_for_empty(setup: Setup) -> Path:
    path = setup.tmp / "empty.toml"
    path.write_text("", encoding="utf-8")
    return path


def test_cli_lookup_with_toml_config(setup: Setup, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    setup.service.set_faults(None)
    monkeypatch.setenv("BHYT_KIOSK_HOME", str(tmp_path / "home"))
    config_file = _toml_for(setup, tmp_path / "kiosk.toml")
    person = setup.population.with_code("010")[0]
    card = person.identity
    code = main(["lookup", "--config", str(config_file), "--id", card.id_number, "--name", card.full_name,
                 "--dob", card.date_of_birth.display()])
    out = capsys.readouterr().out
    assert code == 0  # a definitive answer, even though not eligible
    assert "Không đủ điều kiện" in out and "mã 010" in out
    assert card.id_number not in out and card.id_number[-4:] in out


def test_cli_lookup_without_definitive_answer_exits_1(setup: Setup, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    config_file = _toml_for(setup, tmp_path / "kiosk.toml")
    setup.service.set_faults("error=1")
    try:
        code = main(["lookup", "--config", str(config_file), "--retries", "0", "--json",
                     "--qr", setup.population.with_code("000")[0].qr_payload])
    finally:
        setup.service.set_faults(None)
    data = json.loads(capsys.readouterr().out)
    assert code == 1 and data["outcome"] == "service-error" and data["reason"] == "HTTP 503"


def test_cli_invalid_card_is_a_result_not_an_error(setup: Setup, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    config_file = _toml_for(setup, tmp_path / "kiosk.toml")
    card = setup.population.with_code("000")[0].identity
    wrong_year = card.date_of_birth.year + 1
    code = main(["lookup", "--config", str(config_file), "--json", "--id", card.id_number,
                 "--name", card.full_name, "--dob", str(wrong_year)])
    data = json.loads(capsys.readouterr().out)
    assert code == 1 and data["outcome"] == "invalid-card" and data["card_error"] == "birth-year-mismatch"
    assert data["attempts"] == 0
    code = main(["lookup", "--config", str(config_file), "--qr", "WIFI:S:clinic;T:WPA;P:secret;;"])
    out = capsys.readouterr().out
    assert code == 1 and "not-id-card" in out
    for name, dob, sex, reason in [  # typed data is checked as staff's manual entry in the app is
        ("A1 B", card.date_of_birth.display(), None, "bad-name"),
        (card.full_name, "hôm qua", None, "bad-birth-date"),
        (card.full_name, "2999", None, "future-birth-date"),
        (card.full_name, card.date_of_birth.display(), "X", "bad-sex"),
    ]:
        extra = ["--sex", sex] if sex else []
        code = main(["lookup", "--config", str(config_file), "--json", "--id", card.id_number, "--name", name,
                     "--dob", dob, *extra])
        data = json.loads(capsys.readouterr().out)
        assert (code, data["outcome"], data["card_error"]) == (1, "invalid-card", reason)


def test_cli_unusable_settings_exit_2(setup: Setup, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config_file = _toml_for(setup, tmp_path / "kiosk.toml")
    qr = setup.population.with_code("000")[0].qr_payload
    assert main(["lookup", "--config", str(config_file), "--facility", "27A", "--qr", qr]) == 2
    assert "facility_code: must be 5 characters, got '27A' (from --facility)" in capsys.readouterr().err
    bad_key = tmp_path / "bad.pem"
    bad_key.write_text("garbage", encoding="utf-8")
    assert main(["lookup", "--config", str(config_file), "--service-key", str(bad_key), "--qr", qr]) == 2
    assert "service_key: not a usable PEM or JWK public key" in capsys.readouterr().err
    assert main(["lookup", "--config", str(tmp_path / "missing.toml"), "--qr", qr]) == 2
    assert "config file not found" in capsys.readouterr().err


def test_cli_lookup_records_its_attempt(setup: Setup, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk import paths
    from kiosk.lookup_log import LogReader

    setup.service.set_faults(None)
    monkeypatch.setenv("BHYT_KIOSK_HOME", str(tmp_path / "home"))
    config_file = _toml_for(setup, tmp_path / "kiosk.toml")
    person = setup.population.with_code("010")[0]
    assert main(["lookup", "--config", str(config_file), "--json", "--qr", person.qr_payload]) == 0
    card = setup.population.with_code("000")[0].identity
    assert main(["lookup", "--config", str(config_file), "--json", "--id", card.id_number, "--name", card.full_name,
                 "--dob", str(card.date_of_birth.year + 1)]) == 1
    capsys.readouterr()
    with LogReader(paths.default_log_db()) as reader:
        got = sorted(reader.query(), key=lambda a: a.started_at or 0)  # type: ignore[arg-type,return-value]
    assert [(a.source.value, a.outcome and a.outcome.value, a.result_code) for a in got] == [
        ("command-line", "not-eligible", "010"), ("command-line", "invalid-card", None)]
    answered, invalid = got
    assert answered.kiosk_id == KIOSK_ID and answered.http_attempts == 1 and answered.lookup_ms is not None
    assert answered.person_hash and answered.masked_id is None  # shown, never stored (kiosk.privacy)
    assert answered.lookup_was_sent and not invalid.lookup_was_sent
    assert invalid.error_reason == "invalid-card: birth-year-mismatch"
