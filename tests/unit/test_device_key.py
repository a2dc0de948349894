import base64
import hashlib

import httpx
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from hypothesis import given, settings
from hypothesis import strategies as st

from app.device_key import DeviceKey, DeviceSigner, canonical_message, sign_headers

EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


NONCE = "AAAAAAAAAAAAAAAAAAAAAA"


def test_canonical_message_exact_bytes():
    message = canonical_message("get", "/v1/residents", "purpose=idou&name=%E5%B1%B1", 1700000000,
                                b"", nonce=NONCE)
    assert message == (
        b"MADOGUCHI-DEVICE-V2\n"
        b"GET\n"
        b"/v1/residents\n"
        b"purpose=idou&name=%E5%B1%B1\n"
        b"1700000000\n" + NONCE.encode() + b"\n"
        b"\n"  # no Idempotency-Key
        b"\n" + EMPTY_SHA256.encode()  # no Authorization; the empty body
    )
    assert not message.endswith(b"\n")


def test_canonical_message_hashes_body_and_token_and_encodes_utf8_path():
    body = b'{"login_id": "clerk01"}'
    key = "0190f0c2-0000-7000-8000-000000000001"
    message = canonical_message("POST", "/v1/住民", "", "42", body, nonce=NONCE,
                                idempotency_key=key, authorization="Bearer tok")
    lines = message.split(b"\n")
    assert lines[2] == "/v1/住民".encode()
    assert lines[3] == b""
    assert lines[4] == b"42"
    assert lines[5] == NONCE.encode()
    assert lines[6] == key.encode()
    assert lines[7] == hashlib.sha256(b"Bearer tok").hexdigest().encode()  # never the token
    assert b"tok\n" not in message
    assert lines[8] == hashlib.sha256(body).hexdigest().encode()
    assert canonical_message("POST", "/", "", 1, None, nonce=NONCE) == \
        canonical_message("POST", "/", "", 1, b"", nonce=NONCE)


def test_the_client_and_the_server_sign_the_same_bytes():
    from central.security import canonical_message as server_message

    parts = ("POST", "/v1/certificates", "a=1", "1700000000", b"{}")
    kw = {"nonce": NONCE, "idempotency_key": "k", "authorization": "Bearer t"}
    assert canonical_message(*parts, **kw) == server_message(*parts, **kw)


def _verify(public: Ed25519PublicKey, headers, *parts, **kw) -> None:
    public.verify(base64.b64decode(headers["X-Device-Signature"]),
                  canonical_message(*parts, nonce=headers["X-Device-Nonce"], **kw))


def test_signature_verifies_with_public_key():
    key = DeviceKey.generate("T-1")
    headers = sign_headers(key, "POST", "/v1/sessions", "", b"{}", 1700000000)
    assert headers["X-Device-Id"] == "T-1"
    assert headers["X-Device-Timestamp"] == "1700000000"
    public = Ed25519PublicKey.from_public_bytes(key.public_key_raw())
    _verify(public, headers, "POST", "/v1/sessions", "", "1700000000", b"{}")


@pytest.mark.parametrize(
    "changed",
    [
        ("GET", "/v1/sessions", "", "1700000000", b"{}"),
        ("POST", "/v1/session", "", "1700000000", b"{}"),
        ("POST", "/v1/sessions", "x=1", "1700000000", b"{}"),
        ("POST", "/v1/sessions", "", "1700000001", b"{}"),
        ("POST", "/v1/sessions", "", "1700000000", b"{ }"),
    ],
    ids=["method", "path", "query", "timestamp", "body"],
)
def test_any_change_breaks_the_signature(changed):
    key = DeviceKey.generate("T-1")
    headers = sign_headers(key, "POST", "/v1/sessions", "", b"{}", 1700000000)
    with pytest.raises(InvalidSignature):
        _verify(key.public_key(), headers, *changed)


@pytest.mark.parametrize("changed", [{"nonce": "B" * 22}, {"idempotency_key": "other"},
                                     {"authorization": "Bearer other"}],
                         ids=["nonce", "idempotency_key", "authorization"])
def test_any_signed_header_changed_breaks_the_signature(changed):
    key = DeviceKey.generate("T-1")
    signed = {"idempotency_key": "k1", "authorization": "Bearer t1"}
    headers = sign_headers(key, "POST", "/v1/certificates", "", b"{}", 1700000000, **signed)
    parts = ("POST", "/v1/certificates", "", "1700000000", b"{}")
    _verify(key.public_key(), headers, *parts, **signed)
    nonce = changed.pop("nonce", headers["X-Device-Nonce"])
    with pytest.raises(InvalidSignature):
        key.public_key().verify(base64.b64decode(headers["X-Device-Signature"]),
                                canonical_message(*parts, nonce=nonce, **{**signed, **changed}))


def test_every_send_has_a_fresh_nonce():
    key = DeviceKey.generate("T-1")
    nonces = {sign_headers(key, "GET", "/", "", b"", 1)["X-Device-Nonce"] for _ in range(50)}
    assert len(nonces) == 50 and all(16 <= len(n) <= 64 for n in nonces)


@settings(max_examples=30, deadline=None)
@given(
    method=st.sampled_from(["GET", "POST", "DELETE", "PUT"]),
    path=st.text(min_size=1, max_size=30).map(lambda s: "/" + s),
    query=st.text(alphabet="abc=&%20", max_size=20),
    body=st.binary(max_size=64),
)
def test_signature_round_trip_property(method, path, query, body):
    key = DEVICE_KEY
    headers = sign_headers(key, method, path, query, body, 1234)
    _verify(key.public_key(), headers, method, path, query, "1234", body)


DEVICE_KEY = DeviceKey.generate("T-prop")


def test_load_round_trip(tmp_path):
    key = DeviceKey.generate("T-9")
    pem = tmp_path / "key.pem"
    pem.write_bytes(key.private_pem())
    loaded = DeviceKey.load(pem, "T-9")
    assert loaded.device_id == "T-9"
    assert loaded.public_key_raw() == key.public_key_raw()
    assert len(loaded.public_key_raw()) == 32
    assert "private_key" not in repr(loaded)


def test_load_rejects_other_key_types(tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    other = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    (tmp_path / "ec.pem").write_bytes(other)
    with pytest.raises(ValueError):
        DeviceKey.load(tmp_path / "ec.pem", "T-1")


def test_device_signer_sets_headers_on_a_real_httpx_request():
    key = DeviceKey.generate("TERM-0007")
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"ok": True})

    signer = DeviceSigner(key, clock=lambda: 1700000123.9)
    with httpx.Client(transport=httpx.MockTransport(handler), auth=signer, base_url="http://central.test") as client:
        client.post("/v1/住民/検索", params={"name": "山田 太郎", "purpose": "idou"}, json={"a": 1},
                    headers={"Idempotency-Key": "k-1", "Authorization": "Bearer s"})
        client.get("/v1/health")

    post, get = seen
    assert post.headers["X-Device-Id"] == "TERM-0007"
    assert post.headers["X-Device-Timestamp"] == "1700000123"
    query = post.url.query.decode("ascii")
    assert "%E5%B1%B1" in query  # the raw, still-encoded query is what is signed
    _verify(key.public_key(), post.headers, "POST", "/v1/住民/検索", query, "1700000123", post.content,
            idempotency_key="k-1", authorization="Bearer s")
    assert post.content  # the body was signed, and still sent
    _verify(key.public_key(), get.headers, "GET", "/v1/health", "", "1700000123", b"")


def test_device_signer_uses_a_fresh_timestamp_per_request():
    key = DeviceKey.generate("T")
    times = iter([100.0, 200.0])
    stamps = []

    def handler(request):
        stamps.append(request.headers["X-Device-Timestamp"])
        return httpx.Response(204)

    with httpx.Client(transport=httpx.MockTransport(handler), auth=DeviceSigner(key, clock=lambda: next(times))) as c:
        c.get("http://x/a")
        c.get("http://x/a")
    assert stamps == ["100", "200"]


def test_a_replay_refusal_is_sent_again_signed_anew():
    """A network duplicate whose first answer was lost: the server refuses the copy as a replay
    (#21 class 5); the signer sends the request again with a fresh nonce (the same
    Idempotency-Key gets the stored answer), at most twice, then gives the refusal back."""
    key = DeviceKey.generate("T")
    seen: list[httpx.Request] = []
    answers = iter([401, 201, 401, 401, 401])

    def handler(request):
        seen.append(dict(request.headers))  # the request object is sent again, re-signed
        status = next(answers)
        body = {"code": "device_signature_replayed"} if status == 401 else {"ok": True}
        return httpx.Response(status, json=body)

    with httpx.Client(transport=httpx.MockTransport(handler), auth=DeviceSigner(key)) as c:
        assert c.post("http://x/v1/certificates", json={},
                      headers={"Idempotency-Key": "k"}).status_code == 201
        assert c.post("http://x/v1/certificates", json={}).status_code == 401
    assert len(seen) == 5
    assert seen[0]["x-device-nonce"] != seen[1]["x-device-nonce"]
    assert seen[0]["x-device-signature"] != seen[1]["x-device-signature"]
    assert seen[1]["idempotency-key"] == "k"


def test_other_refusals_are_not_sent_again():
    key = DeviceKey.generate("T")
    seen = []

    def handler(request):
        seen.append(request)
        return httpx.Response(401, json={"code": "device_signature_invalid"})

    with httpx.Client(transport=httpx.MockTransport(handler), auth=DeviceSigner(key)) as c:
        assert c.get("http://x/v1/me").status_code == 401
    assert len(seen) == 1
