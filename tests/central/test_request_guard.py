"""Bad input answered before anything parses it (#21 class 1): every request — signed or not,
logged in or not, any method, any route — with an oversized, too deeply nested, wrongly encoded
body, a body where none is taken, or a path/query that is not UTF-8 gets a 4xx RFC 9457 problem,
never a 500, and nothing is logged as an error. Through the ASGI app on SQLite and PostgreSQL,
and through the served app (uvicorn) with its log read back."""
from __future__ import annotations

import base64
import logging
import os
import subprocess
import sys
import time

import httpx
import pytest

from central.guard import MAX_BODY_BYTES, MAX_JSON_DEPTH, json_too_deep

DEEP_BODIES = {
    "arrays": b"[" * 100_000,
    "arrays_with_escape": b"[" * 100_000 + b'"\\u0041"',  # decoded by the old NUL/surrogate check
    "balanced_arrays": b"[" * 5_000 + b"]" * 5_000,
    "objects": b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    "mixed": b'[{"a":[' * 20_000,
    "just_over": b'{"k":' * (MAX_JSON_DEPTH + 1) + b"1" + b"}" * (MAX_JSON_DEPTH + 1),
}
BAD_ENCODINGS = {
    "latin1": '{"login_id": "é"}'.encode("latin-1"),
    "lone_byte": b'{"login_id": "\xff"}',
    "encoded_surrogate": b'{"login_id": "\xed\xa0\x80"}',
    "escaped_lone_surrogate": b'{"login_id": "\\ud800", "password": "x"}',
    "utf16": '{"login_id": "a"}'.encode("utf-16"),
}
# A route of each kind: direct GET, GET, DELETE, POST before login, POST/PUT with a model.
ROUTES = [("GET", "/v1/residents"), ("GET", "/v1/me"), ("GET", "/v1/residents/1"),
          ("DELETE", "/v1/sessions/current"), ("POST", "/v1/sessions"),
          ("POST", "/v1/commands/idou"), ("POST", "/v1/commands/batch"),
          ("PUT", "/v1/admin/policy/onlooker"), ("POST", "/v1/cases/1/approve"),
          ("GET", "/v1/health"), ("GET", "/no/such/route")]


def _problem(r, status: int | None = None) -> dict:
    assert 400 <= r.status_code < 500, (r.status_code, r.text[:300])
    if status is not None:
        assert r.status_code == status, r.text[:300]
    assert r.headers["content-type"].startswith("application/problem+json"), r.text[:300]
    body = r.json()
    assert body["code"] and body["title_ja"] and body["detail_ja"], body
    return body


def _no_errors_logged(caplog) -> None:
    bad = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info
           or "Traceback" in r.getMessage()]
    assert not bad, [r.getMessage() for r in bad]


@pytest.fixture
def callers(central):
    """An outsider (no device headers), a registered device without login, and a logged-in
    operator holding every right."""
    from central.rights import ALL_RIGHTS

    from fastapi.testclient import TestClient

    central.operator("guard_all", list(ALL_RIGHTS))
    outsider = TestClient(central.app, base_url="http://central.test",
                          raise_server_exceptions=False)
    central._clients.append(outsider)
    device = central.client()
    operator = central.client(login_id="guard_all")
    return {"outsider": outsider, "device": device, "operator": operator}


def test_deep_bodies_are_refused_cheaply_on_every_route(central, callers, caplog):
    caplog.set_level(logging.INFO)
    for who, client in callers.items():
        for name, body in DEEP_BODIES.items():
            for method, path in ROUTES:
                for ctype in ("application/json", None, "text/plain"):
                    headers = {"Idempotency-Key": "7f3c1d7e-9a51-4d0e-8f6e-3c2b1a0f9e8d"}
                    if ctype:
                        headers["Content-Type"] = ctype
                    t0 = time.perf_counter()
                    r = client.request(method, path, content=body, headers=headers)
                    took = time.perf_counter() - t0
                    p = _problem(r)
                    assert p["code"] in ("body_too_deep", "body_not_allowed"), (who, name, method,
                                                                               path, p)
                    assert took < 1.0, (who, name, method, path, took)
    _no_errors_logged(caplog)
    # each refusal is audited, with the device it claims and the code only
    rows = central.audit_rows("request.refused")
    assert rows and {r.detail["code"] for r in rows} == {"body_too_deep", "body_not_allowed"}
    assert any(r.device_id == callers["device"].auth.device_id for r in rows)


def test_deep_body_is_refused_before_authentication(central, callers):
    r = callers["outsider"].post("/v1/commands/idou", content=DEEP_BODIES["arrays"],
                                 headers={"Content-Type": "application/json"})
    assert _problem(r, 400)["code"] == "body_too_deep"
    r = callers["outsider"].request("GET", "/v1/me", content=DEEP_BODIES["arrays_with_escape"])
    assert _problem(r, 400)["code"] == "body_not_allowed"


def test_nesting_within_the_limit_reaches_validation_as_a_problem(central, callers, caplog):
    """At the deepest depth allowed, the 422 validation path answers (it never recurses)."""
    caplog.set_level(logging.INFO)
    d = MAX_JSON_DEPTH
    for body in (b"[" * d + b"]" * d, b'{"a":' * (d - 1) + b"1" + b"}" * (d - 1),
                 b'{"kind":"tennyu","person":' + b"[" * (d - 1) + b"]" * (d - 1) + b"}"):
        for path in ("/v1/sessions", "/v1/commands/idou", "/v1/commands/batch"):
            r = callers["operator"].post(path, content=body, headers={
                "Content-Type": "application/json",
                "Idempotency-Key": "7f3c1d7e-9a51-4d0e-8f6e-3c2b1a0f9e8d"})
            assert _problem(r, 422)["code"] == "invalid_request", r.text[:300]
    _no_errors_logged(caplog)


def test_batch_with_a_deep_command_text_is_refused_for_that_command(central, callers, caplog):
    """A batch's commands are JSON texts inside a string: their nesting is validated too."""
    caplog.set_level(logging.INFO)
    inner = "[" * 5000
    r = callers["operator"].post("/v1/commands/batch", json={"commands": [
        {"key": "7f3c1d7e-9a51-4d0e-8f6e-3c2b1a0f9e8d", "path": "/v1/commands/idou",
         "body": inner}]})
    assert r.status_code == 200, r.text[:300]
    item = r.json()["results"][0]
    assert item["status"] == 422 and item["body"]["code"] == "invalid_request"
    _no_errors_logged(caplog)


def test_oversized_bodies_are_refused_with_413(central, callers, caplog):
    caplog.set_level(logging.INFO)
    big = b'{"login_id": "' + b"a" * MAX_BODY_BYTES + b'"}'
    for who, client in callers.items():
        for path in ("/v1/sessions", "/v1/commands/batch"):
            r = client.post(path, content=big, headers={"Content-Type": "application/json"})
            assert _problem(r, 413)["code"] == "body_too_large", who

    def chunks():  # no Content-Length: counted while it arrives
        for _ in range(MAX_BODY_BYTES // 65536 + 2):
            yield b" " * 65536

    r = callers["outsider"].post("/v1/sessions", content=chunks(),
                                 headers={"Content-Type": "application/json"})
    assert _problem(r, 413)["code"] == "body_too_large"
    _no_errors_logged(caplog)


def test_badly_encoded_bodies_are_refused(central, callers, caplog):
    caplog.set_level(logging.INFO)
    for who, client in callers.items():
        for name, body in BAD_ENCODINGS.items():
            for path in ("/v1/sessions", "/v1/commands/idou", "/v1/admin/rights"):
                r = client.post(path, content=body, headers={
                    "Content-Type": "application/json",
                    "Idempotency-Key": "7f3c1d7e-9a51-4d0e-8f6e-3c2b1a0f9e8d"})
                assert _problem(r, 400)["code"] == "body_encoding_invalid", (who, name, path)
    _no_errors_logged(caplog)


def test_a_body_is_not_read_where_none_is_taken(central, callers):
    """GET and DELETE take no body: one sent is refused unread, even a valid JSON one."""
    for method, path in (("GET", "/v1/me"), ("DELETE", "/v1/sessions/current"),
                         ("GET", "/v1/residents"), ("GET", "/v1/changes")):
        r = callers["operator"].request(method, path, json={"purpose": "x"})
        assert _problem(r, 400)["code"] == "body_not_allowed", (method, path)
    # an empty body framed with Content-Length: 0 is no body
    r = callers["operator"].request("GET", "/v1/me", headers={"Content-Length": "0"})
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("query", [
    "name=%ff&address=%E6%9E%B6&purpose=inquiry",
    "name=%ED%A0%80&birth_date=1950-01-01&purpose=inquiry",  # an encoded lone surrogate
    "name=%C0%AF&birth_date=1950-01-01&purpose=inquiry",  # an overlong encoding
    "juminhyo_code=%ff%fe&purpose=inquiry",
])
def test_query_that_is_not_utf8_is_refused_not_searched(central, callers, query, caplog):
    caplog.set_level(logging.INFO)
    for who, client in callers.items():
        r = client.get(f"/v1/residents?{query}")
        assert _problem(r, 400)["code"] == "url_encoding_invalid", who
        r = client.get(f"/v1/changes?{query}")
        assert _problem(r, 400)["code"] == "url_encoding_invalid", who
    r = callers["operator"].get("/v1/residents/%ff")
    assert _problem(r, 400)["code"] == "url_encoding_invalid"
    assert not [r for r in central.audit_rows() if r.action == "resident.search"
                and r.outcome == "ok"]
    _no_errors_logged(caplog)


def test_good_utf8_query_still_searches(central, callers):
    r = callers["operator"].get("/v1/residents", params={
        "name": "試験　太郎", "birth_date": "1950-01-01", "purpose": "inquiry"})
    assert r.status_code == 200, r.text


def test_depth_measure_ignores_brackets_in_strings():
    assert not json_too_deep(b'["' + b"[" * 1000 + b'"]')
    assert not json_too_deep(b'["\\"' + b"{" * 1000 + b'"]')
    assert json_too_deep(b'["\\\\"' + b"[" * 40 + b"]" * 40)  # the quote ends the string
    assert not json_too_deep(b"[" + b"[]," * 10_000 + b"[]]")
    assert json_too_deep(b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1))
    assert not json_too_deep(b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH)


@pytest.mark.skipif(sys.platform == "win32", reason="the central runs on Linux")
def test_served_app_answers_bad_bodies_without_a_traceback(db_url, tmp_path):
    """The same probes against `madoguchi-central serve` (uvicorn): 4xx problems, and the
    server's own output holds no traceback and no error."""
    from central.migrate import upgrade

    upgrade(db_url)
    env = dict(os.environ, MADOGUCHI_DATA_KEY=base64.b64encode(bytes(range(32))).decode())
    log = tmp_path / "serve.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "central.cli", "--database-url", db_url,
                                 "serve", "--port", "0", "--workers", "1"], env=env,
                                stdout=subprocess.PIPE, stderr=out, text=True)
    try:
        line = proc.stdout.readline()
        port = int(line.split("127.0.0.1:")[1].split()[0])
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as c:
            for body in list(DEEP_BODIES.values()) + list(BAD_ENCODINGS.values()):
                for method, path in ROUTES:
                    r = c.request(method, path, content=body,
                                  headers={"Content-Type": "application/json"})
                    _problem(r)
            r = c.get("/v1/residents?name=%ff&address=x")
            assert _problem(r, 400)["code"] == "url_encoding_invalid"
            r = c.post("/v1/sessions", content=b"[" * (MAX_BODY_BYTES + 10),
                       headers={"Content-Type": "application/json"})
            assert _problem(r, 413)["code"] == "body_too_large"
            assert c.get("/v1/health").status_code == 200  # still serving
    finally:
        proc.terminate()
        proc.wait(30)
    text = log.read_text()
    assert "Traceback" not in text and "ERROR" not in text and "error" not in text.lower(), text
