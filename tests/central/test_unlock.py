"""画面ロックの解除 (AUTH-7): only the session's own operator unlocks it, with the password; wrong
passwords count towards the account lockout and a lockout ends the session. Login hands the client
the session and onlooker policy (001 L475, PRIV-1). SQLite and PostgreSQL."""
from __future__ import annotations

from sqlalchemy import select

from central.models import AuditEvent


def _audit(central, action):
    with central.sessions.begin() as db:
        return [(e.operator_login, e.outcome, (e.detail or {}).get("code"))
                for e in db.scalars(select(AuditEvent).where(AuditEvent.action == action)
                                    .order_by(AuditEvent.seq))]


def test_login_policy_carries_lock_and_onlooker_settings(central):
    central.operator("clerk1", ["clerk"])
    c = central.client()
    policy = c.post("/v1/sessions", json={"login_id": "clerk1",
                                          "password": central.passwords["clerk1"]}).json()["policy"]
    assert policy["idle_lock_minutes"] == 5
    assert policy["lock_logout_minutes"] == central.settings.lock_logout_minutes
    assert policy["onlooker"] == {"k": 2, "m": 25, "absent_seconds": 60, "fail_closed": True,
                                  "min_score": 0.0}


def test_the_session_owner_unlocks_with_the_password_and_it_is_audited(central):
    central.operator("clerk1", ["clerk"])
    c = central.client(login_id="clerk1")
    r = c.post("/v1/sessions/current/unlock", json={"password": "wrong"})
    assert r.status_code == 401 and r.json()["code"] == "unlock_failed"
    assert "パスワード" in r.json()["detail_ja"]
    r = c.post("/v1/sessions/current/unlock", json={"password": central.passwords["clerk1"]})
    assert r.status_code == 200 and r.json() == {"unlocked": True}
    assert _audit(central, "session.unlock") == [("clerk1", "denied", "unlock_failed"),
                                                 ("clerk1", "ok", None)]
    assert c.get("/v1/me").status_code == 200


def test_another_operators_password_does_not_unlock(central):
    central.operator("clerk1", ["clerk"])
    central.operator("clerk2", ["clerk"])
    c = central.client(login_id="clerk1")
    r = c.post("/v1/sessions/current/unlock", json={"password": central.passwords["clerk2"]})
    assert r.status_code == 401 and r.json()["code"] == "unlock_failed"


def test_repeated_failures_lock_the_account_and_end_the_session(central):
    central.operator("clerk1", ["clerk"])
    c = central.client(login_id="clerk1")
    codes = [c.post("/v1/sessions/current/unlock", json={"password": f"bad{i}"}).json()["code"]
             for i in range(central.settings.max_failed_logins)]
    assert codes[:-1] == ["unlock_failed"] * (central.settings.max_failed_logins - 1)
    assert codes[-1] == "account_locked"
    r = c.post("/v1/sessions/current/unlock", json={"password": central.passwords["clerk1"]})
    assert r.status_code == 401 and r.json()["code"] == "session_invalid"
    fresh = central.client()
    r = fresh.post("/v1/sessions", json={"login_id": "clerk1",
                                         "password": central.passwords["clerk1"]})
    # locked; the login answers as for an unknown ID (#21 class 2), the audit row says why
    assert r.status_code == 401 and r.json()["code"] == "login_failed"
    assert central.audit_rows("session.login")[-1].detail["reason"] == "account_locked"


def test_unlock_needs_a_session(central):
    c = central.client()
    r = c.post("/v1/sessions/current/unlock", json={"password": "x"})
    assert r.status_code == 401 and r.json()["code"] == "session_required"


def test_a_loan_device_without_its_approval_cannot_be_registered_or_used(central):
    """DEV-4: roaming only on loan devices with a 所属長 approval record."""
    import pytest

    from central import admin
    from central.models import Device

    with pytest.raises(ValueError, match="approval"):
        with central.sessions.begin() as db:
            admin.register_device(db, "LOAN-X", "貸出", "loan", bytes(range(32)), actor="t")
    central.operator("clerk1", ["clerk"])
    laptop = central.device("LOAN-Y", kind="loan", loan_approved_by="kacho1")
    with central.sessions.begin() as db:  # an old row from before approvals were required
        d = db.scalar(select(Device).where(Device.device_id == "LOAN-Y"))
        d.loan_approved_at = None
    r = central.client(laptop).post("/v1/sessions", json={
        "login_id": "clerk1", "password": central.passwords["clerk1"]})
    assert r.status_code == 403 and r.json()["code"] == "loan_not_approved"
    assert "承認" in r.json()["detail_ja"]
