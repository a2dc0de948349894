"""パスワードの更新 (001: every six months, AUTH-*): an old password makes renewal the login's last
step, and the session is good for nothing else until it is done; the new password is checked;
every attempt is audited without the password (SQLite and PostgreSQL)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from central.models import AuditEvent, Operator, utcnow

Q = {"purpose": "inquiry", "juminhyo_code": "12345678901"}


def _age(central, login_id, days):
    with central.sessions.begin() as db:
        db.execute(update(Operator).where(Operator.login_id == login_id)
                   .values(password_changed_at=utcnow() - dt.timedelta(days=days)))


def _login(client, central, login_id, password=None):
    r = client.post("/v1/sessions", json={"login_id": login_id,
                                          "password": password or central.passwords[login_id]})
    assert r.status_code == 201, r.text
    client.headers["Authorization"] = f"Bearer {r.json()['token']}"
    return r.json()


def test_a_password_older_than_six_months_must_be_renewed_before_anything_else(central):
    central.operator("old1", ["clerk"])
    _age(central, "old1", 200)
    c = central.client()
    body = _login(c, central, "old1")
    assert body["pending_factors"] == ["password_renewal"] and body["password_change_required"]
    assert c.get("/v1/residents", params=Q).json()["code"] == "session_invalid"  # nothing else
    new = "Sakura-Madoguchi-2026"
    r = c.post("/v1/sessions/current/password",
               json={"current_password": central.passwords["old1"], "new_password": new})
    assert r.status_code == 200, r.text and r.json()["pending_factors"] == []
    assert c.get("/v1/residents", params=Q).status_code == 200  # the session is usable now
    # The old password no longer logs in; the new one does, with nothing pending.
    assert central.client().post("/v1/sessions", json={
        "login_id": "old1", "password": central.passwords["old1"]}).status_code == 401
    again = _login(central.client(), central, "old1", new)
    assert again["pending_factors"] == [] and not again["password_change_required"]
    with central.sessions() as db:
        rows = db.scalars(select(AuditEvent).where(
            AuditEvent.action == "session.password_change")).all()
        assert [(e.outcome, e.operator_login) for e in rows] == [("ok", "old1")]
        assert new not in str(rows[0].detail) and central.passwords["old1"] not in str(rows[0].detail)


def test_a_recent_password_is_not_asked_for_renewal(central):
    central.operator("new1", ["clerk"])
    _age(central, "new1", 150)
    assert _login(central.client(), central, "new1")["pending_factors"] == []


def test_weak_or_wrong_renewals_are_refused_with_the_field(central):
    central.operator("weak1", ["clerk"])
    _age(central, "weak1", 400)
    c = central.client()
    _login(c, central, "weak1")
    current = central.passwords["weak1"]
    cases = [
        ({"current_password": "wrong-one", "new_password": "Sakura-2026-xyz"}, "login_failed",
         "current_password"),
        ({"current_password": current, "new_password": "short1!"}, "password_too_weak",
         "new_password"),
        ({"current_password": current, "new_password": current}, "password_too_weak",
         "new_password"),
        ({"current_password": current, "new_password": "weak1-is-my-login"}, "password_too_weak",
         "new_password"),
        ({"current_password": current, "new_password": "aaaaaaaaaaaaabbb"}, "password_too_weak",
         "new_password"),
    ]
    for body, code, field in cases:
        r = c.post("/v1/sessions/current/password", json=body)
        assert (r.json()["code"], r.json().get("field")) == (code, field), body
        assert r.json()["detail_ja"]
    assert c.get("/v1/residents", params=Q).json()["code"] == "session_invalid"  # still pending
    with central.sessions() as db:
        outcomes = db.scalars(select(AuditEvent.outcome).where(
            AuditEvent.action == "session.password_change")).all()
        assert outcomes == ["denied"] * len(cases)


def test_a_complete_session_may_change_its_password(central):
    c = central.clerk(login_id="vol1")
    r = c.post("/v1/sessions/current/password",
               json={"current_password": central.passwords["vol1"],
                     "new_password": "Another-Strong-Pass-7"})
    assert r.status_code == 200 and r.json()["changed"]


def test_renewal_needs_the_face_first_when_a_face_is_pending(central):
    """With the face step still pending the renewal is refused: the face proves who renews, then
    the renewal ends the login (and the session stays short-lived until then)."""
    from dataclasses import replace

    from central.api import create_app
    from central.biometrics import FACE_MODEL
    from central.factors import enrol_direct
    from tests.faces import features, operator_captures

    central.settings = replace(central.settings, face_policy="required")
    central.app = create_app(central.settings, central.engine)
    central.operator("both1", ["clerk"])
    with central.sessions.begin() as db:
        enrol_direct(db, central.settings, "both1", operator_captures(3), actor="cli")
    _age(central, "both1", 200)
    c = central.client()
    body = _login(c, central, "both1")
    assert body["pending_factors"] == ["face", "password_renewal"]
    change = {"current_password": central.passwords["both1"],
              "new_password": "Face-Then-Renew-2026"}
    r = c.post("/v1/sessions/current/password", json=change)
    assert r.json()["code"] == "session_invalid"
    r = c.post("/v1/sessions/current/factors/face",
               json={"model": FACE_MODEL, "features": features(-1, 5)})
    assert r.status_code == 200 and r.json()["pending_factors"] == ["password_renewal"]
    short = dt.datetime.fromisoformat(r.json()["expires_at"].rstrip("Z"))
    assert short - utcnow() < dt.timedelta(minutes=30)  # still the factor deadline
    r = c.post("/v1/sessions/current/password", json=change)
    assert r.status_code == 200, r.text
    long = dt.datetime.fromisoformat(r.json()["expires_at"].rstrip("Z"))
    assert long - utcnow() > dt.timedelta(hours=1)
    assert c.get("/v1/me").status_code == 200
