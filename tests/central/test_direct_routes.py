"""The register lookup answered ahead of FastAPI's middleware stack and router (central/direct.py,
#2). A plain GET of /v1/residents takes the direct route; the same request with a body framing
header goes through the whole stack. Each test compares the two, or checks what the skipped
layers did (the 500 problem, the refusal of an undeclared route)."""
from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from central import register
from central.direct import DirectRoutesApp
from central.models import AuditEvent, Resident
from tests.central.signing import TestSigner

STACK = {"Content-Length": "0"}  # frames an (empty) body: served by the whole stack


@pytest.fixture
def traced(central):
    """(clerk client, paths the middleware stack saw) once the app's entry is built."""
    clerk = central.clerk()
    clerk.get("/v1/health")  # builds the middleware stack
    dispatch = central.app.middleware_stack
    while not hasattr(dispatch, "stack"):  # under the layers ahead of it (the request guard)
        dispatch = dispatch.app
    inner, seen = dispatch.stack, []

    async def stack(scope, receive, send):
        seen.append(scope["path"])
        await inner(scope, receive, send)

    dispatch.stack = stack
    return clerk, seen


def _code(central) -> str:
    central.seed(20)
    with central.sessions() as db:
        return db.scalar(select(Resident.juminhyo_code).where(Resident.status == "current"))


def _audit(central) -> list[tuple[str, str, str | None]]:
    with central.sessions() as db:
        return [(e.action, e.outcome, (e.detail or {}).get("code"))
                for e in db.scalars(select(AuditEvent).where(AuditEvent.action.like("resident.%"))
                                    .order_by(AuditEvent.seq))]


@pytest.mark.parametrize("params", [
    "found", {"purpose": "inquiry", "juminhyo_code": "00000000000"},
    {"juminhyo_code": "12345678901"},  # no purpose (LOG-1)
    {"purpose": "nonsense", "juminhyo_code": "12345678901"},
    {"purpose": "inquiry", "name": "山田"},  # one key (DQ-7)
    {"purpose": "inquiry", "name": "山田", "birth_date": "1980-02-30"},  # not a date: 422
    {"purpose": "inquiry", "juminhyo_code": "1" * 12},  # too long: 422
], ids=["found", "none", "no-purpose", "bad-purpose", "one-key", "bad-date", "too-long"])
def test_the_direct_route_answers_and_audits_what_the_stack_does(central, traced, params):
    clerk, seen = traced
    if params == "found":
        params = {"purpose": "inquiry", "juminhyo_code": _code(central)}
    direct = clerk.get("/v1/residents", params=params)
    assert seen == []
    stacked = clerk.get("/v1/residents", params=params, headers=STACK)
    assert seen == ["/v1/residents"]
    assert direct.status_code == stacked.status_code
    assert direct.headers["content-type"] == stacked.headers["content-type"]
    assert direct.json() == stacked.json()
    audited = _audit(central)
    assert len(audited) % 2 == 0 and audited[:len(audited) // 2] == audited[len(audited) // 2:]


def test_an_unsigned_lookup_is_refused_the_same_way(central, traced):
    clerk, seen = traced
    anonymous = TestClient(central.app, base_url="http://central.test")
    q = {"purpose": "inquiry", "juminhyo_code": "12345678901"}
    direct, stacked = (anonymous.get("/v1/residents", params=q),
                       anonymous.get("/v1/residents", params=q, headers=STACK))
    anonymous.close()
    assert direct.status_code == stacked.status_code == 401
    assert direct.json() == stacked.json()
    assert direct.json()["code"] == "device_auth_required"
    assert seen == ["/v1/residents"]


def test_other_requests_of_the_path_go_through_the_stack(central, traced):
    clerk, seen = traced
    clerk.get("/v1/residents/", params={"purpose": "inquiry"})
    clerk.post("/v1/residents")  # (with a body the request guard refuses it first)
    assert seen == ["/v1/residents/", "/v1/residents"]


def test_an_unexpected_error_is_the_500_problem_and_reaches_the_server(central, monkeypatch):
    """As ServerErrorMiddleware does: the client gets the app's 500 problem (no traceback, nothing
    of the request), then the error is raised to the server."""
    central.clerk()  # the clerk's login, on the app as configured

    def broken(*_a, **_kw):
        raise RuntimeError("a bug with 山田 太郎 in its message")

    monkeypatch.setattr(register, "exact_search", broken)  # both paths (api.py, aio.py)
    login = next(iter(central.passwords))
    terminal = central.device()
    for raise_server_exceptions in (False, True):
        client = TestClient(central.app, base_url="http://central.test",
                            raise_server_exceptions=raise_server_exceptions)
        client.auth = TestSigner(terminal.device_id, terminal.key)
        r = client.post("/v1/sessions", json={"login_id": login,
                                              "password": central.passwords[login]})
        client.headers["Authorization"] = f"Bearer {r.json()['token']}"
        q = {"purpose": "inquiry", "juminhyo_code": "12345678901"}
        if raise_server_exceptions:
            with pytest.raises(RuntimeError, match="a bug"):
                client.get("/v1/residents", params=q)
        else:
            r = client.get("/v1/residents", params=q)
            assert r.status_code == 500
            assert r.headers["content-type"] == "application/problem+json"
            assert r.json()["code"] == "internal_error"
            assert "山田" not in r.text and "Traceback" not in r.text
        client.close()


def test_only_a_declared_get_route_can_be_direct():
    app = DirectRoutesApp()

    @app.post("/thing")
    async def thing() -> dict:
        return {}

    async def handler(request):  # pragma: no cover - never registered
        raise AssertionError

    for path in ("/thing", "/nothing"):
        with pytest.raises(ValueError, match="not a declared GET route"):
            app.direct_get(path, handler)
    assert isinstance(app, FastAPI) and app.direct_routes == {}
