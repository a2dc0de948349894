"""What a newcomer reads about the API (#21 class 12): OpenAPI describes the device headers and
the bearer token as security schemes, each operation says which it needs, and does what it says;
the signing format is in the description and the README; a problem that compares a date with
today says which day the server takes as today (JST)."""
from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from central import clock
from central.security import SIGNATURE_PREFIX
from tests.central.factories import post, tennyu

DEVICE = {"DeviceId", "DeviceTimestamp", "DeviceNonce", "DeviceSignature"}
DIVISION = [{"DivisionToken": []}]  # 庁内連携: a division's token, no device signature
README = Path(__file__).resolve().parents[2] / "README.md"


_PENDING_BODIES = {
    ("POST", "/v1/sessions/current/factors/{provider}"): {"model": "m", "features": "AAAA"},
    ("POST", "/v1/sessions/current/password"): {"current_password": "a", "new_password": "b"},
}


def _operations(schema):
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            yield method.upper(), path, op


def _concrete(path: str) -> str:
    return (path.replace("{provider}", "face").replace("{login_id}", "nobody")
            .replace("{device_id}", "NO-SUCH").replace("{", "").replace("}", "")
            .replace("case_id", "1").replace("grant_id", "1").replace("issuance_id", "1")
            .replace("decision_id", "1").replace("filing_id", "1").replace("resident_id", "1")
            .replace("form_id", "kokuho").replace("division_id", "kokuho"))


def test_security_schemes_describe_the_device_headers_and_the_bearer_token(central):
    schema = central.client().get("/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    headers = {s["name"] for n, s in schemes.items() if n in DEVICE}
    assert headers == {"X-Device-Id", "X-Device-Timestamp", "X-Device-Nonce", "X-Device-Signature"}
    assert all(schemes[n]["type"] == "apiKey" and schemes[n]["in"] == "header" for n in DEVICE)
    assert schemes["OperatorSession"] == {**schemes["OperatorSession"], "type": "http",
                                          "scheme": "bearer"}
    assert schemes["DivisionToken"] == {**schemes["DivisionToken"], "type": "http",
                                        "scheme": "bearer"}
    text = schema["info"]["description"]
    for words in (SIGNATURE_PREFIX, "Ed25519", "SHA-256", "base64", "120 s", "percent-decoded",
                  "raw query", "JST", "X-Device-Nonce", "Idempotency-Key", "Authorization",
                  "device_signature_replayed"):
        assert words in text, words
    ops = list(_operations(schema))
    assert len(ops) >= 40
    for method, path, op in ops:
        assert "security" in op, (method, path)
        if (method, path) == ("GET", "/v1/health"):
            assert {} in op["security"]  # unsigned allowed
            continue
        if path.startswith("/v1/renkei/"):
            assert op["security"] == DIVISION, (method, path)
            continue
        assert all(DEVICE <= set(req) for req in op["security"]), (method, path)
    by_op = {(m, p): op["security"] for m, p, op in ops}
    assert by_op[("POST", "/v1/sessions")] == [{n: [] for n in DEVICE}]
    for key in (("GET", "/v1/residents"), ("POST", "/v1/commands/idou"), ("GET", "/v1/me"),
                ("POST", "/v1/admin/rights")):
        assert "OperatorSession" in by_op[key][0], key


def test_each_operation_refuses_what_its_security_does_not_have(central):
    """The description matches behaviour: without device headers every operation but the
    health check is 401 device_auth_required; signed without a bearer token, every operation
    that lists OperatorSession is 401 (a session is required)."""
    from fastapi.testclient import TestClient

    schema = central.client().get("/openapi.json").json()
    outsider = TestClient(central.app, base_url="http://central.test")
    device = central.client()
    checked = []
    for method, path, op in _operations(schema):
        url = _concrete(path)
        if (method, path) == ("GET", "/v1/health"):
            continue
        body = _PENDING_BODIES.get((method, path))
        # Routes that authenticate inside their transaction (the audited reads, the unfinished
        # login) validate the body first: a missing one may be answered 422 before the 401.
        late = "requestBody" in op and body is None
        r = outsider.request(method, url, json=body)
        if op["security"] == DIVISION:  # a division's token, which neither caller has
            assert (r.status_code, r.json()["code"]) == (401, "division_auth_required"), path
            r = device.request(method, url, json={"cursor": 0} if method == "POST" else None)
            assert (r.status_code, r.json()["code"]) == (401, "division_auth_required"), path
            checked.append((method, path))
            continue
        assert (r.status_code, r.json()["code"]) == (401, "device_auth_required") or (
            late and (r.status_code, r.json()["code"]) == (422, "invalid_request")), \
            (method, path, r.text)
        if any("OperatorSession" in req for req in op["security"]):
            r = device.request(method, url, json=body,
                               headers={"Idempotency-Key": str(uuid.uuid4())})
            assert (r.status_code == 401 and r.json()["code"] in (
                "session_required", "session_invalid")) or (
                late and (r.status_code, r.json()["code"]) == (422, "invalid_request")), \
                (method, path, r.text)
            checked.append((method, path))
    assert len(checked) >= 40


def test_readme_describes_request_signing():
    text = README.read_text(encoding="utf-8")
    assert "## Request signing" in text
    section = text.split("## Request signing", 1)[1].split("\n## ", 1)[0]
    for words in (SIGNATURE_PREFIX, "Ed25519", "SHA-256", "base64", "X-Device-Id",
                  "X-Device-Timestamp", "X-Device-Nonce", "X-Device-Signature", "Idempotency-Key",
                  "Authorization", "device_signature_replayed", "Bearer", "120 s"):
        assert words in section, words


def test_date_in_future_names_the_servers_today_in_jst(central, monkeypatch):
    """20:00 UTC on 7 Dec is already 8 Dec in Japan: the server's today is 2026-12-08, and the
    problem says so, as a member and in both texts."""
    clerk = central.clerk()
    real = clock.today
    monkeypatch.setattr(clock, "today", lambda now=None: real(
        now or dt.datetime(2026, 12, 7, 20, 0, tzinfo=dt.timezone.utc)))
    cmd = tennyu()
    cmd["idou_date"] = "2026-12-01"
    cmd["todoke_date"] = "2026-12-09"
    r = post(clerk, cmd)
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["code"] == "date_in_future" and body["today"] == "2026-12-08", body
    assert "2026-12-08" in body["detail"] and "JST" in body["detail"]
    assert "2026-12-08" in body["detail_ja"] and "日本時間" in body["detail_ja"]
    cmd["todoke_date"] = "2026-12-08"  # today in Japan, though still the 7th in UTC
    r = post(clerk, cmd)
    assert r.status_code == 201, r.text
    cmd = tennyu(birth_date="2026-12-09")
    cmd["idou_date"], cmd["todoke_date"] = "2026-12-08", "2026-12-08"
    body = post(clerk, cmd).json()
    assert body["code"] == "date_in_future" and body["today"] == "2026-12-08", body
