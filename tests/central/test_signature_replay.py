"""#21 class 5: the device signature covers the headers the server acts on, and is accepted once.

A captured signed ``POST /v1/certificates`` replayed within the clock window — as it was, or with
a new ``Idempotency-Key`` — must not issue the certificate again (one row in the 帳票管理簿). The
signature (MADOGUCHI-DEVICE-V2) covers the nonce, the Idempotency-Key and the Authorization header;
the nonce is accepted once per device, in the database (``device_nonces``), so every worker shares
the replay cache. On SQLite and PostgreSQL (the ``central`` fixture)."""
from __future__ import annotations

import base64
import hashlib
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import func, select, text

from central import security
from central.models import DeviceNonce, Issuance, Resident
from tests.central.factories import new_resident, tennyu
from tests.central.signing import sign_request


def _captured(client, terminal, method: str, url: str, **kw) -> httpx.Request:
    """A request signed once, as an eavesdropper behind a TLS-terminating proxy would hold it."""
    request = client.build_request(method, url, **kw)
    sign_request(request, terminal.device_id, terminal.key, time.time())
    return request


def _send(client, request: httpx.Request) -> httpx.Response:
    return client.send(request, auth=None)  # exactly these headers: no signing on the way


def _copy(request: httpx.Request, **headers: str) -> httpx.Request:
    """The captured request with some headers changed, its signature headers kept."""
    h = httpx.Headers(request.headers)
    for name, value in headers.items():
        h[name] = value  # replaces, whatever the case
    return httpx.Request(request.method, request.url, headers=h, content=request.content)


def _issuances(central) -> int:
    with central.sessions() as db:
        return db.scalar(select(func.count()).select_from(Issuance))


def _clerk(central, terminal, login_id: str, rights=("clerk",)):
    central.operator(login_id, list(rights))
    return central.client(terminal, login_id=login_id)


def test_a_captured_certificate_request_issues_once(central):
    """The finding: replayed with a new Idempotency-Key it issued the certificate again."""
    terminal = central.device()
    clerk = _clerk(central, terminal, "c1")
    rid = new_resident(clerk)["resident_id"]
    body = {"resident_id": rid, "requester_relation": "self", "purpose": "certificate"}
    captured = _captured(clerk, terminal, "POST", "/v1/certificates", json=body,
                         headers={"Idempotency-Key": str(uuid.uuid4())})
    assert _send(clerk, captured).status_code == 201
    again = _send(clerk, captured)  # byte for byte
    assert again.status_code == 401 and again.json()["code"] == "device_signature_replayed"
    assert "同じ署名" in again.json()["detail_ja"]
    new_key = _send(clerk, _copy(captured, **{"Idempotency-Key": str(uuid.uuid4())}))
    assert new_key.status_code == 401 and new_key.json()["code"] == "device_signature_invalid"
    assert _issuances(central) == 1  # one 帳票管理簿 row
    denied = [a for a in central.audit_rows() if a.outcome == "denied"]
    assert [a.detail["code"] for a in denied[-2:]] == ["device_signature_replayed",
                                                      "device_signature_invalid"]
    assert denied[-2].device_id == terminal.device_id


def test_a_new_send_of_the_same_command_gets_the_stored_answer(central):
    """What the outbox does: the same body and Idempotency-Key, signed anew (a fresh nonce), is
    the idempotent retry, answered from the idempotency record."""
    terminal = central.device()
    clerk = _clerk(central, terminal, "c1")
    rid = new_resident(clerk)["resident_id"]
    body = {"resident_id": rid, "requester_relation": "self", "purpose": "certificate"}
    key = str(uuid.uuid4())
    first = clerk.post("/v1/certificates", json=body, headers={"Idempotency-Key": key})
    retry = clerk.post("/v1/certificates", json=body, headers={"Idempotency-Key": key})
    assert first.status_code == retry.status_code == 201
    assert retry.headers.get("Idempotent-Replayed") == "true"
    assert retry.json() == first.json() and _issuances(central) == 1


def test_the_signature_covers_the_session_token(central):
    """A captured request sent under another session's token (same device) does not verify."""
    terminal = central.device()
    c1 = _clerk(central, terminal, "c1")
    c2 = _clerk(central, terminal, "c2")
    rid = new_resident(c1)["resident_id"]
    captured = _captured(c1, terminal, "GET", f"/v1/residents/{rid}",
                         params={"purpose": "identity"})
    swapped = _copy(captured, Authorization=c2.headers["Authorization"])
    r = _send(c1, swapped)
    assert r.status_code == 401 and r.json()["code"] == "device_signature_invalid"
    assert _send(c1, captured).status_code == 200  # the untouched request is still good once


def test_a_captured_read_is_answered_once_and_the_replay_is_audited(central):
    terminal = central.device()
    clerk = _clerk(central, terminal, "c1")
    rid = new_resident(clerk)["resident_id"]
    captured = _captured(clerk, terminal, "GET", f"/v1/residents/{rid}",
                         params={"purpose": "identity"})
    assert _send(clerk, captured).status_code == 200
    r = _send(clerk, captured)
    assert r.status_code == 401 and r.json()["code"] == "device_signature_replayed"
    assert "resident" not in r.text.replace("resident_", "")  # nothing of the person
    reads = central.audit_rows("resident.read")
    assert [a.outcome for a in reads][-2:] == ["ok", "denied"]
    assert reads[-1].operator_login == "c1" and reads[-1].detail["code"] == \
        "device_signature_replayed"
    # The same read asked for again by the client (signed anew) is a new request.
    assert clerk.get(f"/v1/residents/{rid}", params={"purpose": "identity"}).status_code == 200


def test_a_device_only_request_is_accepted_once(central):
    """Login (device signature, no session yet) is covered too: a captured login is not a
    second session."""
    terminal = central.device()
    central.operator("c1", ["clerk"])
    client = central.client(terminal)
    captured = _captured(client, terminal, "POST", "/v1/sessions",
                         json={"login_id": "c1", "password": central.passwords["c1"]})
    assert _send(client, captured).status_code == 201
    r = _send(client, captured)
    assert r.status_code == 401 and r.json()["code"] == "device_signature_replayed"


def test_concurrent_copies_of_one_signed_command_apply_once(central):
    """Eight copies of one captured 転入 sent at once: exactly one is accepted, one resident."""
    terminal = central.device()
    clerk = _clerk(central, terminal, "c1")
    person = tennyu(name_kanji="並行　一郎", name_kana="ヘイコウ　イチロウ")
    captured = _captured(clerk, terminal, "POST", "/v1/commands/idou", json=person,
                         headers={"Idempotency-Key": str(uuid.uuid4())})
    start = threading.Barrier(8)

    def send(_n):
        start.wait()
        return _send(clerk, _copy(captured))
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(send, range(8)))
    codes = sorted(r.status_code for r in answers)
    assert codes == [201] + [401] * 7, [r.text for r in answers]
    assert {r.json()["code"] for r in answers if r.status_code == 401} == \
        {"device_signature_replayed"}
    with central.sessions() as db:
        assert db.scalar(select(func.count()).select_from(Resident)
                         .where(Resident.name_kana == "ヘイコウ　イチロウ")) == 1


def test_the_old_scheme_and_bad_nonces_are_refused(central):
    terminal = central.device()
    client = central.client(terminal)
    ts = str(int(time.time()))
    v1 = "\n".join(["MADOGUCHI-DEVICE-V1", "GET", "/v1/me", "", ts,
                    hashlib.sha256(b"").hexdigest()]).encode()
    r = client.get("/v1/me", auth=None, headers={
        "X-Device-Id": terminal.device_id, "X-Device-Timestamp": ts,
        "X-Device-Signature": base64.b64encode(terminal.key.sign(v1)).decode()})
    assert r.status_code == 401 and r.json()["code"] == "device_signature_outdated"
    assert "更新" in r.json()["detail_ja"]
    for nonce in ("short", "x" * 65, "has space in it 1234", "base64+not/url=safe+"):
        request = client.build_request("GET", "/v1/me")
        sign_request(request, terminal.device_id, terminal.key, time.time(), nonce=nonce)
        r = _send(client, request)
        assert r.status_code == 401 and r.json()["code"] == "device_auth_required", nonce


def test_expired_nonces_are_forgotten(central, monkeypatch):
    """Nonces whose signed time left the clock window are deleted by the next purge; the
    current ones are kept (a request signed that long ago is refused as skewed anyway)."""
    terminal = central.device()
    client = _clerk(central, terminal, "c1")
    assert client.get("/v1/me").status_code == 200
    with central.sessions.begin() as db:
        pk = db.execute(text("SELECT device_pk FROM device_nonces")).scalars().first()
        db.add(DeviceNonce(device_pk=pk, nonce="old-nonce-000000000", signed_at=int(time.time())
                           - central.settings.clock_skew_seconds - 60))
    monkeypatch.setattr(security, "_last_purge", [0.0])
    stale = client.build_request("GET", "/v1/me")
    sign_request(stale, terminal.device_id, terminal.key,
                 time.time() - central.settings.clock_skew_seconds - 60)
    assert _send(client, stale).json()["code"] == "device_clock_skew"
    assert client.get("/v1/me").status_code == 200  # accepted: the purge runs
    with central.sessions() as db:
        left = db.scalars(select(DeviceNonce.nonce)).all()
    assert "old-nonce-000000000" not in left and len(left) >= 2


@pytest.mark.parametrize("header", ["X-Device-Nonce", "Idempotency-Key"])
def test_any_signed_header_changed_breaks_the_signature(central, header):
    terminal = central.device()
    clerk = _clerk(central, terminal, "c1")
    captured = _captured(clerk, terminal, "POST", "/v1/commands/idou", json=tennyu(),
                         headers={"Idempotency-Key": str(uuid.uuid4())})
    value = "Z" * 22 if header == "X-Device-Nonce" else str(uuid.uuid4())
    r = _send(clerk, _copy(captured, **{header: value}))
    assert r.status_code == 401 and r.json()["code"] == "device_signature_invalid"
    assert _send(clerk, captured).status_code == 201
