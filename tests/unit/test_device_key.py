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


def test_canonical_message_exact_bytes():
    message = canonical_message("get", "/v1/residents", "purpose=idou&name=%E5%B1%B1", 1700000000, b"")
    assert message == (
        b"MADOGUCHI-DEVICE-V1\n"
        b"GET\n"
        b"/v1/residents\n"
        b"purpose=idou&name=%E5%B1%B1\n"
        b"1700000000\n" + EMPTY_SHA256.encode()
    )
    assert not message.endswith(b"\n")


def test_canonical_message_hashes_body_and_encodes_utf8_path():
    body = b'{"login_id": "clerk01"}'
    message = canonical_message("POST", "/v1/住民", "", "42", body)
    lines = message.split(b"\n")
    assert lines[2] == "/v1/住民".encode()
    assert lines[3] == b""
    assert lines[4] == b"42"
    assert lines[5] == hashlib.sha256(body).hexdigest().encode()
    assert canonical_message("POST", "/", "", 1, None) == canonical_message("POST", "/", "", 1, b"")


def _verify(public: Ed25519PublicKey, headers: dict[str, str], *parts) -> None:
    public.verify(base64.b64decode(headers["X-Device-Signature"]), canonical_message(*parts))


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
        client.post("/v1/住民/検索", params={"name": "山田 太郎", "purpose": "idou"}, json={"a": 1})
        client.get("/v1/health")

    post, get = seen
    assert post.headers["X-Device-Id"] == "TERM-0007"
    assert post.headers["X-Device-Timestamp"] == "1700000123"
    query = post.url.query.decode("ascii")
    assert "%E5%B1%B1" in query  # the raw, still-encoded query is what is signed
    _verify(key.public_key(), post.headers, "POST", "/v1/住民/検索", query, "1700000123", post.content)
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
