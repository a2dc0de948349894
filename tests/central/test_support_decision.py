"""支援措置の判断 (WF-7): a refused request sent as a 判断依頼, decided by a supervisor who is not the
requester, with a reason; an approval lifts the block for exactly that request, once, on the day,
for the clerk who asked;
refused, pending, used, mismatched and stale decisions keep the block with their own error; every
step audited; the queue shows the fact of the measure, never its related persons (SQLite and
PostgreSQL)."""
from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select

from central.models import AuditEvent, Issuance, SupportDecision
from central import clock  # today in JST, as the centre dates everything
from tests.central.factories import add_support_measure, new_resident

TODAY = clock.today()


def key() -> dict:
    return {"Idempotency-Key": str(uuid.uuid4())}


def protected_resident(central, clerk):
    made = new_resident(clerk, name_kanji="保護　花子", name_kana="ホゴ　ハナコ")
    add_support_measure(central, made["resident_id"], perpetrator="加害　太郎")
    return made["resident_id"]


def ask(client, rid, **kw):
    body = {"resident_id": rid, "requester_relation": "third_party",
            "requester_name": "債権　回収", "requester_org": "さくら債権株式会社",
            "purpose": "inquiry", "purpose_note": "債権回収のため"}
    body.update(kw)
    return client.post("/v1/support-decisions", json=body, headers=key())


def issue(client, rid, **kw):
    body = {"resident_id": rid, "requester_relation": "third_party", "purpose": "inquiry"}
    body.update(kw)
    return client.post("/v1/certificates", json=body, headers=key())


def setup(central):
    clerk = central.clerk(login_id="c1")
    boss = central.clerk(("supervisor",), login_id="boss")
    rid = protected_resident(central, clerk)
    return clerk, boss, rid


def test_approved_request_is_issued_once_and_recorded_in_the_ledger(central):
    clerk, boss, rid = setup(central)
    r = issue(clerk, rid)
    assert r.status_code == 403 and r.json()["code"] == "support_measure_blocked"
    assert r.json()["decision_possible"] is True
    r = ask(clerk, rid)
    assert r.status_code == 201, r.text
    did = r.json()["decision_id"]
    assert r.json()["status"] == "pending"
    r = boss.post(f"/v1/support-decisions/{did}/approve", json={"reason": "裁判所の命令書を確認"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "approved" and r.json()["decided_by"] == "boss"
    seen = clerk.get(f"/v1/support-decisions/{did}").json()
    assert (seen["status"], seen["valid_today"]) == ("approved", True)
    r = issue(clerk, rid, support_decision_id=did)
    assert r.status_code == 201, r.text
    iid = r.json()["issuance_id"]
    r = issue(clerk, rid, support_decision_id=did)  # a second copy needs a new decision
    assert r.status_code == 409 and r.json()["code"] == "support_decision_used"
    assert "改めて判断依頼" in r.json()["detail_ja"]
    with central.sessions() as db:
        row = db.get(Issuance, iid)
        assert row.support_decision_id == did
        d = db.get(SupportDecision, did)
        assert (d.status, d.used_by, d.requested_by, d.decided_by) == ("used", "c1", "c1", "boss")
        assert db.scalar(select(Issuance.id).where(Issuance.id != iid)) is None
        events = {(e.action, e.outcome, e.operator_login) for e in db.scalars(select(AuditEvent))}
        assert ("support_decision.request", "ok", "c1") in events
        assert ("support_decision.approve", "ok", "boss") in events
        assert ("support_decision.read", "ok", "c1") in events
        ok = db.scalar(select(AuditEvent).where(AuditEvent.action == "certificate.issue",
                                                AuditEvent.outcome == "ok"))
        assert ok.detail["support_decision_id"] == did and ok.device_id and ok.purpose == "inquiry"
        approve = db.scalar(select(AuditEvent).where(
            AuditEvent.action == "support_decision.approve"))
        assert approve.detail["reason"] == "裁判所の命令書を確認"
        assert approve.subject == f"resident:{rid}" and approve.device_id


def test_only_the_clerk_who_asked_issues_on_the_approval(central):
    """The decision names the requester the asking clerk took at the counter: another clerk, even
    one serving a requester with the same relation and purpose, or the deciding supervisor, cannot
    issue on it (WF-7); the refusal is audited and leaves the approval usable by its clerk."""
    clerk, boss, rid = setup(central)
    did = ask(clerk, rid).json()["decision_id"]
    assert boss.post(f"/v1/support-decisions/{did}/approve",
                     json={"reason": "裁判所の命令書を確認"}).status_code == 200
    other = central.clerk(login_id="c2")
    for who in (other, boss):
        r = issue(who, rid, support_decision_id=did)
        assert r.status_code == 403 and r.json()["code"] == "support_decision_not_yours", r.text
        assert "判断依頼を送った職員" in r.json()["detail_ja"]
    with central.sessions() as db:
        assert db.get(SupportDecision, did).status == "approved"
        assert db.scalar(select(Issuance.id)) is None
        refused = [(e.operator_login, e.detail.get("code")) for e in db.scalars(select(AuditEvent).where(
            AuditEvent.action == "certificate.issue", AuditEvent.outcome != "ok"))]
        assert refused == [("c2", "support_decision_not_yours"), ("boss", "support_decision_not_yours")]
    r = issue(clerk, rid, support_decision_id=did)
    assert r.status_code == 201, r.text
    # a refused request of another clerk: nothing of it shows, not even that it was refused or why
    refused = ask(clerk, rid).json()["decision_id"]
    assert boss.post(f"/v1/support-decisions/{refused}/refuse",
                     json={"reason": "債権回収業者には交付不可"}).status_code == 200
    r = issue(other, rid, support_decision_id=refused)
    assert r.status_code == 403 and r.json()["code"] == "support_decision_not_yours"
    assert "債権回収業者" not in r.text and "reason" not in r.json()


def test_refused_pending_and_mismatched_decisions_keep_the_block(central):
    clerk, boss, rid = setup(central)
    pending = ask(clerk, rid).json()["decision_id"]
    r = issue(clerk, rid, support_decision_id=pending)
    assert r.status_code == 403 and r.json()["code"] == "support_decision_pending"
    refused = ask(clerk, rid).json()["decision_id"]
    r = boss.post(f"/v1/support-decisions/{refused}/refuse", json={"reason": "正当な理由が確認できない"})
    assert r.status_code == 200 and r.json()["status"] == "refused"
    r = issue(clerk, rid, support_decision_id=refused)
    assert r.status_code == 403 and r.json()["code"] == "support_decision_refused"
    assert "正当な理由が確認できない" in r.json()["detail_ja"]
    assert clerk.get(f"/v1/support-decisions/{refused}").json()["decision_reason"] == "正当な理由が確認できない"
    approved = ask(clerk, rid).json()["decision_id"]
    assert boss.post(f"/v1/support-decisions/{approved}/approve",
                     json={"reason": "確認済み"}).status_code == 200
    for change in ({"scope": "household"}, {"requester_relation": "proxy", "power_of_attorney_seen": True},
                   {"purpose": "certificate"}):
        r = issue(clerk, rid, support_decision_id=approved, **change)
        assert r.status_code == 422 and r.json()["code"] == "support_decision_mismatch", change
    other = protected_resident(central, clerk)
    r = issue(clerk, other, support_decision_id=approved)
    assert r.json()["code"] == "support_decision_mismatch"
    r = issue(clerk, rid, support_decision_id=999999)
    assert r.status_code == 404 and r.json()["code"] == "support_decision_not_found"
    with central.sessions.begin() as db:  # yesterday's approval is no good today
        db.get(SupportDecision, approved).decided_on = TODAY - dt.timedelta(days=1)
    r = issue(clerk, rid, support_decision_id=approved)
    assert r.status_code == 403 and r.json()["code"] == "support_decision_expired"
    with central.sessions() as db:
        assert db.scalar(select(Issuance.id)) is None
        assert db.get(SupportDecision, approved).status == "approved"  # never consumed by a refusal
        codes = [d["code"] for d in db.scalars(select(AuditEvent.detail).where(
            AuditEvent.action == "certificate.issue", AuditEvent.outcome != "ok"))]
        assert codes == ["support_decision_pending", "support_decision_refused"] + [
            "support_decision_mismatch"] * 4 + ["support_decision_not_found", "support_decision_expired"]


def test_no_one_decides_their_own_request_and_only_supervisors_decide(central):
    clerk, boss, rid = setup(central)
    own = ask(boss, rid).json()["decision_id"]  # a supervisor may ask too, but not decide it
    r = boss.post(f"/v1/support-decisions/{own}/approve", json={"reason": "自分で承認"})
    assert r.status_code == 403 and r.json()["code"] == "decider_is_requester"
    did = ask(clerk, rid).json()["decision_id"]
    r = clerk.post(f"/v1/support-decisions/{did}/approve", json={"reason": "x"})
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    reviewer = central.clerk(("reviewer",), login_id="rev")
    assert reviewer.get("/v1/support-decisions").json()["code"] == "forbidden"
    r = boss.post(f"/v1/support-decisions/{did}/approve", json={"reason": ""})
    assert r.status_code == 422  # the reason is mandatory
    r = boss.post(f"/v1/support-decisions/{did}/approve", json={"reason": "   "})
    assert r.status_code == 422
    assert boss.post(f"/v1/support-decisions/{did}/refuse", json={"reason": "不可"}).status_code == 200
    r = boss.post(f"/v1/support-decisions/{did}/approve", json={"reason": "やはり可"})
    assert r.status_code == 409 and r.json()["code"] == "support_decision_not_pending"
    other_clerk = central.clerk(login_id="c2")
    r = other_clerk.get(f"/v1/support-decisions/{did}")
    assert r.status_code == 403  # only the requester (or a supervisor) reads the outcome
    with central.sessions() as db:
        assert db.get(SupportDecision, own).status == "pending"
        denied = {(e.action, e.operator_login, e.detail.get("code")) for e in db.scalars(
            select(AuditEvent).where(AuditEvent.outcome.in_(("denied", "rejected"))))}
        assert ("support_decision.approve", "boss", "decider_is_requester") in denied
        assert ("support.decision.decide", "c1", "forbidden") in denied  # the right, as for every route
        assert ("support_decision.approve", "boss", "support_decision_not_pending") in denied


def test_queue_shows_the_request_and_the_fact_of_the_measure_not_related_persons(central):
    clerk, boss, rid = setup(central)
    ask(clerk, rid, scope="household")
    r = boss.get("/v1/support-decisions")
    assert r.status_code == 200, r.text
    [item] = r.json()["items"]
    assert item["subject"]["name_kanji"] == "保護　花子"
    assert (item["requester_name"], item["requester_org"]) == ("債権　回収", "さくら債権株式会社")
    assert (item["scope"], item["requester_relation"], item["purpose"]) == ("household", "third_party", "inquiry")
    assert item["support_measure"] == {"protected_on_certificate": 1, "subject_is_protected": True}
    assert "加害" not in r.text and "秘密町" not in r.text and "DV" not in r.text
    with central.sessions() as db:
        ev = db.scalar(select(AuditEvent).where(AuditEvent.action == "support_decision.list"))
        assert (ev.operator_login, ev.subject, ev.purpose) == ("boss", f"resident:{rid}", "review")


def test_a_request_is_only_taken_when_something_is_blocked(central):
    clerk = central.clerk(login_id="c1")
    plain = new_resident(clerk)["resident_id"]
    r = ask(clerk, plain)
    assert r.status_code == 422 and r.json()["code"] == "support_decision_not_needed"
    rid = protected_resident(central, clerk)
    r = ask(clerk, rid, requester_relation="self")
    assert r.status_code == 422  # the person themself is never blocked
    r = ask(clerk, rid, requester_name=" ")
    assert r.json()["code"] == "requester_name_required"
    with central.sessions() as db:
        assert db.scalar(select(SupportDecision.id)) is None
