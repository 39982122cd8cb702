"""The service as an attacker meets it: huge heads and fields, slow and idle connections, many connections from one
address, nonce floods, replays across a restart. Real uvicorn on 127.0.0.1, raw sockets for the attacks."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import service_trusting
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.http_limits import HttpLimits
from kiosk.signing.kiosk_auth import SignedRequestAuth, sign_request
from kiosk.signing.replay_cache import MAX_NONCE_CHARS, ReplayCache
from kiosk.standins.population import Population, generate_population
from kiosk.standins.service.server import RunningService, start_service

KIOSK_ID = "kiosk-limits"
LIMITS = HttpLimits(head_timeout_s=0.6, body_timeout_s=0.6, keep_alive_s=1, max_connections_per_client=8)
LOOKUP = "/v1/eligibility/lookups"


@pytest.fixture(scope="module")
def population() -> Population:
    return generate_population(seed=7, size=200)


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, population: Population,
            kiosk_key: Ed25519PrivateKey) -> Iterator[RunningService]:
    keys = tmp_path_factory.mktemp("limits-keys")
    with service_trusting(keys, kiosk_key, KIOSK_ID, population=population, limits=LIMITS) as running:
        yield running


def body(population: Population) -> dict[str, object]:
    person = population.with_code("000")[0]
    staff = population.staff_member(person.insurance.primary_facility_code if person.insurance else "27001")
    return {"id_number": person.identity.id_number, "full_name": person.identity.full_name,
            "date_of_birth": person.identity.date_of_birth.iso(), "facility_code": staff.staff_of,
            "operator": {"name": staff.identity.full_name, "id_number": staff.identity.id_number}}


def lookup(service: RunningService, kiosk_key: Ed25519PrivateKey, population: Population) -> httpx.Response:
    auth = SignedRequestAuth(kiosk_key, KIOSK_ID, service.service_public_key)
    with httpx.Client(base_url=service.url, auth=auth, timeout=5) as client:
        return client.post(LOOKUP, json=body(population))


def raw_connect(service: RunningService, source: str = "127.0.0.1") -> socket.socket:
    sock = socket.create_connection((service.host, service.port), timeout=5, source_address=(source, 0))
    return sock


def read_all(sock: socket.socket, limit_s: float = 5.0) -> bytes:
    sock.settimeout(limit_s)
    chunks = []
    try:
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    except (TimeoutError, ConnectionResetError):
        pass
    return b"".join(chunks)


def test_a_huge_head_gets_431_before_it_is_read_whole(service: RunningService) -> None:
    sock = raw_connect(service)
    sock.sendall(b"POST " + LOOKUP.encode() + b" HTTP/1.1\r\nHost: x\r\nX-Big: ")
    sent = 0
    try:
        while sent < 8 * 1024 * 1024:  # the old service read every byte of a 50 MB header
            sock.sendall(b"a" * 65536)
            sent += 65536
    except (BrokenPipeError, ConnectionResetError):
        pass
    reply = read_all(sock)
    sock.close()
    assert reply.startswith(b"HTTP/1.1 431 "), reply[:200]
    assert sent < 4 * 1024 * 1024  # cut off long before the end


def test_header_bytes_beyond_ascii_get_an_answer_not_a_crash(service: RunningService, kiosk_key: Ed25519PrivateKey,
                                                              population: Population) -> None:
    """Field values are bytes and may hold obs-text (RFC 9110): an uncovered header with Latin-1 bytes still gets the
    verified answer, a Signature field with them a 401 with its reason, on protected and unprotected paths alike."""
    with httpx.Client() as client:
        request = httpx.Request("POST", service.url + LOOKUP, json=body(population), headers={"X-Note": "é".encode()})
        sign_request(request, kiosk_key, KIOSK_ID)
        assert client.send(request).status_code == 200
        lines = [(k, v) for k, v in request.headers.raw if k.lower() != b"signature"] + [(b"Signature", b"sig1=:\xe9:")]
        response = client.send(httpx.Request("POST", request.url, headers=lines, content=request.content))
        assert response.status_code == 401 and response.json()["reason"] == "malformed-signature"
        response = client.get(service.url + "/v1/service-key", headers={"Signature": b"sig1=:\xe9:"})
        assert response.status_code == 200


def test_a_long_signature_field_gets_400_before_it_is_parsed(service: RunningService, kiosk_key: Ed25519PrivateKey,
                                                              population: Population) -> None:
    request = httpx.Request("POST", service.url + LOOKUP, json=body(population))
    sign_request(request, kiosk_key, KIOSK_ID)
    request.headers["Signature-Input"] = request.headers["Signature-Input"] + ";x=" + '"' + "a" * 3000 + '"'
    with httpx.Client() as client:
        response = client.send(request)
    assert response.status_code == 400 and "signature-input" in response.json()["detail"].lower()


def test_slow_and_idle_connections_are_closed(service: RunningService) -> None:
    idle = raw_connect(service)
    slow = raw_connect(service)
    slow.sendall(b"POST " + LOOKUP.encode() + b" HTTP/1.1\r\nHost: x\r\n")
    slow_body = raw_connect(service)
    slow_body.sendall(b"POST " + LOOKUP.encode() + b" HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
    started = time.monotonic()
    for sock in (idle, slow, slow_body):
        assert read_all(sock, limit_s=5.0) == b""  # closed by the service, no answer
        sock.close()
    assert time.monotonic() - started < 4.0  # by the 0.6 s limits, not the test's 5 s read timeout


def test_connections_per_client_are_capped(service: RunningService, kiosk_key: Ed25519PrivateKey,
                                           population: Population) -> None:
    other = "127.0.0.2"
    try:
        held = [raw_connect(service, other) for _ in range(LIMITS.max_connections_per_client)]
    except OSError:
        pytest.skip("cannot use 127.0.0.2 as a source address here")
    try:
        extra = raw_connect(service, other)
        assert read_all(extra).startswith(b"HTTP/1.1 503 ")
        extra.close()
        assert lookup(service, kiosk_key, population).status_code == 200  # another address is served
    finally:
        for sock in held:
            sock.close()


def test_large_signature_fields_are_checked_off_the_event_loop(
        service: RunningService, kiosk_key: Ed25519PrivateKey, population: Population,
        monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    verify = service.state.verifier.verify

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(threading.current_thread().name)
        return verify(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(service.state.verifier, "verify", spy)
    assert lookup(service, kiosk_key, population).status_code == 200  # a kiosk's own request: checked at once
    request = httpx.Request("POST", service.url + LOOKUP, json=body(population))
    sign_request(request, kiosk_key, KIOSK_ID)
    request.headers["Signature-Input"] += ';x="' + "a" * 1500 + '"'  # under the field limit, costly to parse
    with httpx.Client() as client:
        assert client.send(request).status_code == 401
    assert len(seen) == 2 and seen[1].startswith("verify") and not seen[0].startswith("verify")


def test_a_nonce_longer_than_the_bound_is_refused(service: RunningService, kiosk_key: Ed25519PrivateKey,
                                                  population: Population) -> None:
    request = httpx.Request("POST", service.url + LOOKUP, json=body(population))
    sign_request(request, kiosk_key, KIOSK_ID, nonce="n" * (MAX_NONCE_CHARS + 1))
    with httpx.Client() as client:
        response = client.send(request)
    assert response.status_code == 401 and response.json()["reason"] == "bad-nonce"


def test_a_request_signed_before_the_service_started_is_refused(tmp_path: Path, population: Population,
                                                                kiosk_key: Ed25519PrivateKey) -> None:
    """A replay across a restart: the new service's replay cache is empty, so it refuses what is older than it."""
    keys = tmp_path / "keys"
    with service_trusting(keys, kiosk_key, KIOSK_ID, population=population) as first:
        request = httpx.Request("POST", first.url + LOOKUP, json=body(population))
        sign_request(request, kiosk_key, KIOSK_ID, created=int(time.time()) - 8)
        with httpx.Client() as client:
            assert client.send(request).status_code == 401  # made 8 s before this service started
        request = httpx.Request("POST", first.url + LOOKUP, json=body(population))
        sign_request(request, kiosk_key, KIOSK_ID)
        with httpx.Client() as client:
            assert client.send(request).status_code == 200
    time.sleep(max(0.0, 6.0 - (time.time() - int(time.time()))))  # the restart comes later than the skew allows
    with start_service(population=population, keys_dir=keys, port=first.port) as second, httpx.Client() as client:
        replayed = client.send(request)
        assert replayed.status_code == 401 and replayed.json()["reason"] == "created-before-start"
        assert second.port == first.port


def test_one_flooding_kiosk_never_pushes_out_another() -> None:
    cache = ReplayCache(max_bytes_per_key=64 * 1024)
    assert cache.check_and_remember("quiet", "q-1", expires_at=130, now=100)
    for i in range(5_000):  # long-lived signatures, far more than its budget
        cache.check_and_remember("loud", f"l-{i}-" + "x" * 100, expires_at=160, now=100)
    assert cache.bytes_used("loud") <= 64 * 1024
    assert cache.check_and_remember("quiet", "q-2", expires_at=131, now=101)  # no horizon of the other kiosk
    assert not cache.check_and_remember("quiet", "q-1", expires_at=130, now=101)  # its own memory intact
    assert not cache.check_and_remember("loud", "x" * (MAX_NONCE_CHARS + 1), expires_at=170, now=101)


def test_a_head_whose_end_is_split_between_two_reads_is_not_taken_for_a_huge_head(
        service: RunningService, kiosk_key: Ed25519PrivateKey, population: Population) -> None:
    """The blank line that ends the head can arrive in two TCP segments ("\\r\\n\\r" | "\\n" + body): the body that
    follows is not part of the head (a 20 kB body is allowed; the head limit is 16 kB)."""
    import json

    content = json.dumps(body(population)).encode() + b" " * 20_000
    request = httpx.Request("POST", service.url + LOOKUP, content=content,
                            headers={"Content-Type": "application/json"})
    sign_request(request, kiosk_key, KIOSK_ID)
    head = f"POST {LOOKUP} HTTP/1.1\r\nHost: {service.host}:{service.port}\r\nConnection: close\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in request.headers.items() if k.lower() != "host") + "\r\n"
    raw = head.encode() + content
    split = len(head) - 1  # between the last "\r" and "\n" of the blank line
    sock = raw_connect(service)
    try:
        sock.sendall(raw[:split])
        time.sleep(0.2)
        sock.sendall(raw[split:])
        answer = read_all(sock)
    finally:
        sock.close()
    assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
