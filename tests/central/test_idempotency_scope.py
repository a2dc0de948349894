"""#21 class 4: a stored answer is returned only to the operator, device and route (and body)
that made it; any other reuse of the key is 422 idempotency_key_reused, audited, and carries
nothing of the stored answer."""
from __future__ import annotations

import uuid

from sqlalchemy import select

from central.models import Resident
from tests.central.factories import post, tennyu


def test_second_clerk_on_the_same_device_cannot_replay_the_first_clerks_key(central):
    terminal = central.device()
    central.operator("scope_a", ["clerk"])
    central.operator("scope_b", ["clerk"])
    a = central.client(terminal, login_id="scope_a")
    b = central.client(terminal, login_id="scope_b")
    key, body = str(uuid.uuid4()), tennyu()
    first = post(a, body, key)
    assert first.status_code == 201
    r = post(b, body, key)
    assert r.status_code == 422 and r.json()["code"] == "idempotency_key_reused"
    assert str(first.json()["resident_id"]) not in r.text and "history_id" not in r.text
    assert r.headers.get("Idempotent-Replayed") is None
    refused = [e for e in central.audit_rows() if e.outcome == "rejected"
               and e.operator_login == "scope_b"]
    assert refused and refused[-1].detail["code"] == "idempotency_key_reused"
    again = post(a, body, key)  # the same operator, route and body: the stored answer
    assert again.status_code == 201 and again.json() == first.json()
    with central.sessions() as db:
        assert len(db.scalars(select(Resident)).all()) == 1


def test_same_key_on_another_route_is_422(central):
    clerk = central.clerk()
    key, body = str(uuid.uuid4()), tennyu()
    assert post(clerk, body, key).status_code == 201
    r = clerk.post("/v1/cases/idou", json=body, headers={"Idempotency-Key": key})
    assert r.status_code == 422 and r.json()["code"] == "idempotency_key_reused"
    assert "resident_id" not in r.text


def test_same_key_with_another_body_is_422(central):
    clerk = central.clerk()
    key = str(uuid.uuid4())
    assert post(clerk, tennyu(), key).status_code == 201
    r = post(clerk, tennyu(name_kanji="別人　花子", name_kana="ベツジン　ハナコ"), key)
    assert r.status_code == 422 and r.json()["code"] == "idempotency_key_reused"
