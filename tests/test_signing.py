"""RFC 9421 / RFC 9530 vectors and the kiosk.signing policy (unit level; the HTTP level is test_service)."""

from __future__ import annotations

import datetime
import json
import os
import stat
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from http_message_signatures import HTTPMessageSigner, HTTPMessageVerifier, MappingKeyResolver
from http_message_signatures.algorithms import ED25519
from http_message_signatures.exceptions import HTTPMessageSignaturesException
from threads import run_in_threads

from kiosk.signing.keys import (
    SigningKeyError,
    generate_private_key,
    key_thumbprint,
    load_private_key,
    load_public_key,
    public_key_jwk,
    save_private_key,
    save_public_key,
)
from kiosk.signing.kiosk_auth import ResponseSignatureError, SignedRequestAuth, sign_request, verify_response
from kiosk.signing.profile import (
    REQUEST_BINDING_COMPONENT,
    REQUEST_COMPONENTS,
    RESPONSE_COMPONENTS,
    FieldProblem,
    SignatureError,
    check_digest,
    content_digest,
    sign_fields,
    signature_base,
    signature_params,
    verify_message,
)
from kiosk.signing.replay_cache import entry_bytes
from kiosk.signing.service_verifier import (
    ReplayCache,
    RequestRejected,
    RequestVerifier,
    TrustedKeys,
    VerifiedRequest,
    sign_response_headers,
)

# ---- RFC 9421 B.1.4 / B.2 / B.2.6 (byte-exact, from /work/shared/rfc9421-vectors.md) --------------------
RFC_PUBLIC_PEM = """-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=
-----END PUBLIC KEY-----
"""
RFC_PRIVATE_PEM = """-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF
-----END PRIVATE KEY-----
"""
RFC_JWK = {
    "kty": "OKP",
    "crv": "Ed25519",
    "kid": "test-key-ed25519",
    "d": "n4Ni-HpISpVObnQMW0wOhCKROaIKqKtW_2ZYb2p9KcU",
    "x": "JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs",
}
RFC_BODY = b'{"hello": "world"}'
RFC_SHA512_DIGEST = "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:"
B26_BASE = (
    '"date": Tue, 20 Apr 2021 02:07:55 GMT\n'
    '"@method": POST\n'
    '"@path": /foo\n'
    '"@authority": example.com\n'
    '"content-type": application/json\n'
    '"content-length": 18\n'
    '"@signature-params": ("date" "@method" "@path" "@authority" "content-type" "content-length")'
    ';created=1618884473;keyid="test-key-ed25519"'
)
B26_SIGNATURE_INPUT = (
    'sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length")'
    ';created=1618884473;keyid="test-key-ed25519"'
)
B26_SIGNATURE = "sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:"
B26_COMPONENTS = ("date", "@method", "@path", "@authority", "content-type", "content-length")


def _rfc_request(**extra_headers: str) -> httpx.Request:
    headers = {
        "Date": "Tue, 20 Apr 2021 02:07:55 GMT",
        "Content-Type": "application/json",
        "Content-Digest": RFC_SHA512_DIGEST,
        **extra_headers,
    }
    return httpx.Request("POST", "https://example.com/foo?param=Value&Pet=dog", headers=headers, content=RFC_BODY)


def _rfc_keys() -> tuple[Ed25519PrivateKey, Ed25519PublicKey]:
    return load_private_key_text(RFC_PRIVATE_PEM), load_public_key(RFC_PUBLIC_PEM)


def load_private_key_text(pem: str) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    assert isinstance(key, Ed25519PrivateKey)
    return key


def test_rfc9421_b26_our_base_builder_reproduces_the_rfc_base_and_fields() -> None:
    """The signature-base builder, given the B.2.6 component values and parameters, makes the RFC's base byte for
    byte, and the key then the RFC's Signature-Input and Signature (Ed25519 is deterministic)."""
    private, _ = _rfc_keys()
    covered = [('"date"', "Tue, 20 Apr 2021 02:07:55 GMT"), ('"@method"', "POST"), ('"@path"', "/foo"),
               ('"@authority"', "example.com"), ('"content-type"', "application/json"), ('"content-length"', "18")]
    params = signature_params([c for c, _ in covered], created=1618884473, keyid="test-key-ed25519", include_alg=False)
    assert signature_base(covered, params) == B26_BASE.encode("ascii")
    fields = sign_fields(covered, private, label="sig-b26", created=1618884473, keyid="test-key-ed25519",
                         include_alg=False)
    assert fields == (B26_SIGNATURE_INPUT, B26_SIGNATURE)
    with pytest.raises(SignatureError):
        signature_base([('"date"', "a\nb")], params)  # a newline would forge a line of the base


def test_rfc9421_b26_our_verifier_accepts_the_rfc_fields_and_refuses_a_tampered_copy() -> None:
    _, public = _rfc_keys()
    headers = {"Signature-Input": B26_SIGNATURE_INPUT, "Signature": B26_SIGNATURE}
    verify_message(_rfc_request(**headers), public, "test-key-ed25519")
    with pytest.raises(FieldProblem) as info:
        verify_message(_rfc_request(**headers, **{"Content-Type": "text/plain"}), public, "test-key-ed25519")
    assert info.value.reason == "bad-signature"
    with pytest.raises(FieldProblem):
        verify_message(_rfc_request(**headers), generate_private_key().public_key(), "test-key-ed25519")


def test_rfc_keys_load_as_pem_and_jwk_and_export_the_rfc_jwk() -> None:
    private, public = _rfc_keys()
    jwk_public = load_public_key(json.dumps({k: v for k, v in RFC_JWK.items() if k != "d"}))
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert jwk_public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw) == raw
    assert public_key_jwk(private.public_key(), kid="test-key-ed25519") == {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": RFC_JWK["x"],
        "kid": "test-key-ed25519",
    }


# ---- RFC 9530 -------------------------------------------------------------------------------------------
def test_rfc9530_content_digest_vectors() -> None:
    assert content_digest(RFC_BODY) == "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:"
    assert content_digest(RFC_BODY + b"\n") == "sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg=:"


def test_digest_check_accepts_rfc_sha512_member_and_refuses_mismatch() -> None:
    both = content_digest(RFC_BODY) + ", " + RFC_SHA512_DIGEST
    check_digest(both, RFC_BODY)
    with pytest.raises(FieldProblem) as info:
        check_digest(both, RFC_BODY + b"\n")
    assert info.value.reason == "digest-mismatch"
    with pytest.raises(FieldProblem) as info:
        check_digest(RFC_SHA512_DIGEST, RFC_BODY)
    assert info.value.reason == "malformed-digest"  # sha-256 is required by the profile


# ---- keys -----------------------------------------------------------------------------------------------
def test_private_key_file_is_owner_only_and_round_trips(tmp_path: Path) -> None:
    key = generate_private_key()
    path = tmp_path / "k" / "kiosk.key.pem"
    save_private_key(key, path)
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_private_key(path).private_bytes_raw() == key.private_bytes_raw()
    pub = tmp_path / "kiosk.pub.pem"
    save_public_key(key.public_key(), pub)
    assert load_public_key(pub).public_bytes_raw() == key.public_key().public_bytes_raw()
    assert load_public_key(str(pub)).public_bytes_raw() == key.public_key().public_bytes_raw()
    jwk_file = tmp_path / "kiosk.jwk"
    jwk_file.write_text(json.dumps(public_key_jwk(key.public_key())))
    assert load_public_key(jwk_file).public_bytes_raw() == key.public_key().public_bytes_raw()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "not found"),
        (b"hello", "not a PEM private key"),
        (RFC_PUBLIC_PEM.encode(), "not a PEM private key"),
    ],
)
def test_bad_private_key_files_give_clear_errors(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "bad.pem"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(SigningKeyError) as info:
        load_private_key(path)
    assert str(path) in str(info.value)
    assert message in str(info.value)


@pytest.mark.parametrize(
    "text",
    [
        '{"kty": "RSA", "n": "x"}',
        '{"kty": "OKP", "crv": "Ed25519", "x": "short"}',
        '{"kty": "OKP", "crv": "Ed25519"}',
        "{not json",
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
    ],
)
def test_bad_public_keys_give_clear_errors(text: str) -> None:
    with pytest.raises(SigningKeyError):
        load_public_key(text)


# ---- request signing and verification (clock injected) ----------------------------------------------------
NOW = 1_800_000_000


@pytest.fixture
def kiosk_key() -> Ed25519PrivateKey:
    return generate_private_key()


def _request(body: dict[str, object] | None = None) -> httpx.Request:
    return httpx.Request("POST", "http://127.0.0.1:8787/v1/eligibility/lookups", json=body or {"a": "Nguyễn"})


def _verifier(key: Ed25519PrivateKey, cache: ReplayCache | None = None) -> RequestVerifier:
    public = key.public_key()
    return RequestVerifier(lambda kid: public if kid == "kiosk-1" else None, cache or ReplayCache(), clock=lambda: NOW)


def _verify(verifier: RequestVerifier, request: httpx.Request) -> VerifiedRequest:
    return verifier.verify(request.method, str(request.url), list(request.headers.multi_items()), request.content)


def test_signed_request_has_the_profile_fields(kiosk_key: Ed25519PrivateKey) -> None:
    request = _request()
    sign_request(request, kiosk_key, "kiosk-1", created=NOW, nonce="n-1")
    assert request.headers["Signature-Input"] == (
        'sig1=("@method" "@target-uri" "content-type" "content-digest")'
        f';created={NOW};keyid="kiosk-1";alg="ed25519";expires={NOW + 30};nonce="n-1"'
    )
    assert request.headers["Content-Digest"] == content_digest(request.content)
    verified = _verify(_verifier(kiosk_key), request)
    assert (verified.keyid, verified.nonce, verified.created, verified.expires) == ("kiosk-1", "n-1", NOW, NOW + 30)


@pytest.mark.parametrize(
    ("created", "reason"),
    [
        (NOW + 6, "created-in-future"),
        (NOW + 5, None),
        (NOW - 31, "signature-expired"),
        (NOW - 30, None),
    ],
)
def test_time_policy_edges(kiosk_key: Ed25519PrivateKey, created: int, reason: str | None) -> None:
    request = _request()
    sign_request(request, kiosk_key, "kiosk-1", created=created)
    if reason is None:
        _verify(_verifier(kiosk_key), request)
    else:
        with pytest.raises(RequestRejected) as info:
            _verify(_verifier(kiosk_key), request)
        assert info.value.reason == reason


def test_a_verified_response_is_bound_to_its_request(kiosk_key: Ed25519PrivateKey) -> None:
    service = generate_private_key()
    request = _request()
    sign_request(request, kiosk_key, "kiosk-1", created=NOW)
    verified = _verify(_verifier(kiosk_key), request)
    body = b'{"result_code":"000"}'
    headers = sign_response_headers(
        200, [("content-type", "application/json")], body, service, request_signature=verified, created=NOW
    )
    assert REQUEST_BINDING_COMPONENT in dict(headers)["Signature-Input"]
    response = httpx.Response(200, headers=headers, content=body, request=request)
    verify_response(response, request, service.public_key(), now=NOW)

    other = _request()
    sign_request(other, kiosk_key, "kiosk-1", created=NOW)
    with pytest.raises(ResponseSignatureError) as info:
        verify_response(
            httpx.Response(200, headers=headers, content=body, request=other), other, service.public_key(), now=NOW
        )
    assert info.value.reason == "bad-signature"

    cases = {
        "digest-mismatch": httpx.Response(200, headers=headers, content=b'{"result_code":"010"}', request=request),
        "unsigned": httpx.Response(200, headers={"content-type": "application/json"}, content=body, request=request),
    }
    for reason, response in cases.items():
        with pytest.raises(ResponseSignatureError) as info:
            verify_response(response, request, service.public_key(), now=NOW)
        assert info.value.reason == reason
    with pytest.raises(ResponseSignatureError) as info:
        verify_response(httpx.Response(200, headers=headers, content=body, request=request), request,
                        generate_private_key().public_key(), now=NOW)  # fmt: skip
    assert info.value.reason == "service-key-mismatch"
    with pytest.raises(ResponseSignatureError) as info:
        verify_response(httpx.Response(200, headers=headers, content=body, request=request), request,
                        service.public_key(), now=NOW + 61)  # fmt: skip
    assert info.value.reason == "signature-too-old"

    unbound = sign_response_headers(
        200, [("content-type", "application/json")], body, service, request_signature=None, created=NOW
    )
    with pytest.raises(ResponseSignatureError) as info:
        verify_response(httpx.Response(200, headers=unbound, content=body, request=request), request,
                        service.public_key(), now=NOW)  # fmt: skip
    assert info.value.reason == "unbound"


def test_profile_signatures_are_exactly_what_the_library_sign_call_makes(kiosk_key: Ed25519PrivateKey) -> None:
    """``sign_request`` / ``sign_response_headers`` skip the library's redundant re-parsing; the fields they
    write must still be byte for byte those of ``HTTPMessageSigner.sign()`` (Ed25519 is deterministic),
    and the library's own verifier must accept them."""
    service = generate_private_key()
    request = _request()
    sign_request(request, kiosk_key, "kiosk-1", created=NOW, nonce="n-1")
    reference = _request()
    reference.headers["Content-Digest"] = content_digest(reference.content)
    signer = HTTPMessageSigner(
        signature_algorithm=ED25519,
        key_resolver=MappingKeyResolver(
            public_keys={}, private_keys={"kiosk-1": kiosk_key, key_thumbprint(service.public_key()): service}
        ),
    )
    signer.sign(
        reference,
        key_id="kiosk-1",
        created=datetime.datetime.fromtimestamp(NOW, tz=datetime.UTC),
        expires=datetime.datetime.fromtimestamp(NOW + 30, tz=datetime.UTC),
        nonce="n-1",
        label="sig1",
        covered_component_ids=REQUEST_COMPONENTS,
        use_existing_digest=True,
    )
    for name in ("Content-Digest", "Signature-Input", "Signature"):
        assert request.headers[name] == reference.headers[name]

    verified = _verify(_verifier(kiosk_key), request)
    body = '{"result_code":"000","person":{"full_name":"Nguyễn Văn An"}}'.encode()
    headers = dict(sign_response_headers(
        200, [("content-type", "application/json")], body, service, request_signature=verified, created=NOW
    ))  # fmt: skip
    reference_response = httpx.Response(
        200, headers={"content-type": "application/json", "Content-Digest": content_digest(body)}, content=body,
        request=reference,
    )  # fmt: skip
    signer.sign(
        reference_response,
        key_id=key_thumbprint(service.public_key()),
        created=datetime.datetime.fromtimestamp(NOW, tz=datetime.UTC),
        label="sig1",
        covered_component_ids=(*RESPONSE_COMPONENTS, REQUEST_BINDING_COMPONENT),
        use_existing_digest=True,
    )
    for name in ("Content-Digest", "Signature-Input", "Signature"):
        assert headers[name] == reference_response.headers[name]
    library_verifier = HTTPMessageVerifier(
        signature_algorithm=ED25519,
        key_resolver=MappingKeyResolver(
            public_keys={key_thumbprint(service.public_key()): service.public_key()}, private_keys={}
        ),
    )
    fresh = sign_response_headers(  # signed now: the library checks "created" against its own clock
        200, [("content-type", "application/json")], body, service, request_signature=verified
    )
    response = httpx.Response(200, headers=fresh, content=body, request=request)
    assert library_verifier.verify(response, max_age=None)[0].label == "sig1"
    tampered = httpx.Response(201, headers=fresh, content=body, request=request)
    with pytest.raises(HTTPMessageSignaturesException):
        library_verifier.verify(tampered, max_age=None)


def test_signed_request_auth_signs_and_checks_through_a_transport(kiosk_key: Ed25519PrivateKey) -> None:
    service = generate_private_key()
    verifier = _verifier(kiosk_key)
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        verified = _verify(verifier, request)
        seen.append(verified.nonce)
        body = b"{}"
        headers = sign_response_headers(
            200, [("content-type", "application/json")], body, service, request_signature=verified, created=NOW
        )
        return httpx.Response(200, headers=headers, content=body)

    auth = SignedRequestAuth(kiosk_key, "kiosk-1", service.public_key(), clock=lambda: NOW)
    with httpx.Client(transport=httpx.MockTransport(handler), auth=auth) as client:
        for _ in range(3):
            assert client.post("http://127.0.0.1:8787/v1/eligibility/lookups", json={"x": 1}).status_code == 200
    assert len(set(seen)) == 3  # a fresh nonce per request
    wrong = SignedRequestAuth(kiosk_key, "kiosk-1", generate_private_key().public_key(), clock=lambda: NOW)
    with (
        httpx.Client(transport=httpx.MockTransport(handler), auth=wrong) as client,
        pytest.raises(ResponseSignatureError),
    ):
        client.post("http://127.0.0.1:8787/v1/eligibility/lookups", json={"x": 1})


def test_sign_request_refuses_bad_input(kiosk_key: Ed25519PrivateKey) -> None:
    with pytest.raises(SignatureError) as info:
        sign_request(httpx.Request("GET", "http://h/x"), kiosk_key, "kiosk-1")
    assert info.value.reason == "missing-content-type"
    with pytest.raises(SignatureError) as info:
        sign_request(_request(), kiosk_key, "../etc/passwd")
    assert info.value.reason == "bad-keyid"


# ---- replay cache ---------------------------------------------------------------------------------------
def test_replay_cache_remembers_until_expiry() -> None:
    cache = ReplayCache()
    assert cache.check_and_remember("k", "n", expires_at=130, now=100)
    assert not cache.check_and_remember("k", "n", expires_at=130, now=120)
    assert cache.check_and_remember("other", "n", expires_at=130, now=120)  # per keyid
    assert cache.check_and_remember("k", "m", expires_at=200, now=131)  # purges the expired entries
    assert len(cache) == 1


def test_replay_cache_is_bounded_and_never_readmits_an_evicted_nonce() -> None:
    cache = ReplayCache(max_bytes_per_key=3 * entry_bytes("n0"))  # room for three of these nonces
    for i in range(3):
        assert cache.check_and_remember("k", f"n{i}", expires_at=100 + i, now=50)
    assert cache.check_and_remember("k", "n3", expires_at=110, now=50)  # evicts n0 (expires 100)
    assert len(cache) == 3
    assert not cache.check_and_remember("k", "n0", expires_at=100, now=50)  # evicted, still refused
    assert not cache.check_and_remember("k", "fresh-but-old", expires_at=99, now=50)
    assert cache.check_and_remember("k", "n4", expires_at=120, now=50)


def test_replay_cache_admits_a_nonce_once_across_threads() -> None:
    cache = ReplayCache()
    results = run_in_threads(lambda: cache.check_and_remember("k", "same", expires_at=200, now=100), 16)
    assert results.count(True) == 1


def test_trusted_keys_notice_a_replaced_damaged_or_removed_file(tmp_path: Path) -> None:
    """A kiosk key swapped, damaged or revoked (file removed) on the service takes effect at the next request."""
    trusted = TrustedKeys(tmp_path)
    first, second = generate_private_key().public_key(), generate_private_key().public_key()
    path = tmp_path / "kiosk-1.pem"
    save_public_key(first, path)
    assert key_thumbprint(trusted("kiosk-1")) == key_thumbprint(first)
    save_public_key(second, path)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))  # a later write, same size
    assert key_thumbprint(trusted("kiosk-1")) == key_thumbprint(second)
    path.write_text("not a key")
    assert trusted("kiosk-1") is None
    path.unlink()
    assert trusted("kiosk-1") is None and trusted("../kiosk-1") is None
