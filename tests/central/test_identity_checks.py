"""POST /v1/identity-checks on SQLite and PostgreSQL (WF-2, LOG-1, issue #7): a resident's check as
before, and a 転入's card check recorded against the counter case (no register record yet); one
subject exactly, nothing of the card in the log, the tax counter still needs a resident's check; a
届出 names its check (``identity_check_seq``), which must have matched, be this counter's and today's,
and the reviewer sees it."""
from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import func, select

from central import clock
from central.models import AuditEvent, Case, Resident
from tests.central.factories import new_resident, post, tennyu


def checks(central):
    with central.sessions() as db:
        return [(e.subject, e.outcome, e.operator_login, e.detail) for e in db.scalars(
            select(AuditEvent).where(AuditEvent.action == "identity.check").order_by(AuditEvent.seq))]


def test_a_newcomer_is_recorded_against_the_counter_case(central):
    client = central.clerk(login_id="idc1")
    case = uuid.uuid4().hex
    r = client.post("/v1/identity-checks", json={"newcomer_case": case, "method": "card", "matched": True,
                                                 "digests_verified": True, "virtual_card": True})
    assert r.status_code == 201, r.text
    ((subject, outcome, who, detail),) = checks(central)
    assert subject == f"newcomer:{case}" and outcome == "ok" and who == "idc1"
    assert detail == {"method": "card", "matched": True, "items": [], "digests_verified": True,
                      "signature_verified": False, "virtual_card": True}


def test_a_resident_check_is_unchanged(central):
    client = central.clerk(login_id="idc2")
    made = new_resident(client)
    r = client.post("/v1/identity-checks", json={"resident_id": made["resident_id"], "method": "documents",
                                                 "matched": True, "items": ["passport"]})
    assert r.status_code == 201, r.text
    assert checks(central)[0][0] == f"resident:{made['resident_id']}"


def test_exactly_one_subject(central):
    client = central.clerk(login_id="idc3")
    made = new_resident(client)
    neither = client.post("/v1/identity-checks", json={"method": "card", "matched": True})
    both = client.post("/v1/identity-checks", json={"resident_id": made["resident_id"],
                                                    "newcomer_case": uuid.uuid4().hex,
                                                    "method": "card", "matched": True})
    for r in (neither, both):
        assert r.status_code == 422 and r.json()["field"] == "resident_id"
        assert "ひとつ" in r.json()["detail_ja"]
    bad = client.post("/v1/identity-checks", json={"newcomer_case": "../../etc", "method": "card",
                                                   "matched": True})
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")
    assert checks(central) == []


def test_a_newcomer_check_needs_a_logged_in_operator(central):
    anonymous = central.client()
    r = anonymous.post("/v1/identity-checks", json={"newcomer_case": uuid.uuid4().hex, "method": "card",
                                                    "matched": True})
    assert r.status_code == 401 and checks(central) == []


# --- the 届出 names its 本人確認 (WF-2/WF-5): the reviewer sees how the 届出人 was identified ---------

def _newcomer_check(client, matched: bool = True) -> int:
    r = client.post("/v1/identity-checks", json={"newcomer_case": uuid.uuid4().hex, "method": "card",
                                                 "matched": matched, "signature_verified": True})
    assert r.status_code == 201, r.text
    return r.json()["seq"]


def next_day(monkeypatch) -> None:
    """The centre's calendar one day on (JST); times the tests pass explicitly are unchanged."""
    real_today = clock.today
    monkeypatch.setattr(clock, "today", lambda now=None: real_today(now) if now else
                        real_today() + dt.timedelta(days=1))


def seq_of(central, action: str) -> int:
    with central.sessions() as db:
        return db.scalar(select(func.max(AuditEvent.seq)).where(AuditEvent.action == action))


def refused(clerk, seq: int, code: str) -> None:
    """Both ways of sending a 届出 (for 審査, or applied at once) refuse the check alike."""
    body = tennyu()
    body["identity_check_seq"] = seq
    for r in (_submit(clerk, body), post(clerk, body)):
        assert r.status_code == 422, r.text
        assert (r.json()["code"], r.json()["field"]) == (code, "identity_check_seq")
        assert "本人確認" in r.json()["detail_ja"]


def _submit(client, body: dict):
    return client.post("/v1/cases/idou", json=body, headers={"Idempotency-Key": str(uuid.uuid4())})


def test_a_tennyu_case_names_its_identity_check_and_the_reviewer_sees_it(central, monkeypatch):
    clerk = central.clerk(login_id="idl1")
    reviewer = central.clerk(("reviewer",), login_id="idl2")
    seq = _newcomer_check(clerk)
    r = _submit(clerk, tennyu(name_kanji="転入　未確認"))
    unlinked = r.json()["case_id"]
    body = tennyu(name_kanji="転入　確認")
    body["identity_check_seq"] = seq
    r = _submit(clerk, body)
    assert r.status_code == 201, r.text
    linked = r.json()["case_id"]
    items = {c["id"]: c for c in reviewer.get("/v1/cases").json()["items"]}
    check = items[linked]["identity_check"]
    assert (check["seq"], check["method"], check["operator"], check["subject"]) == (
        seq, "card", "idl1", "newcomer")
    assert check["signature_verified"] is True and check["resident_id"] is None
    assert check["is_subject"] is True  # a 転入's check is of the counter case itself
    assert items[unlinked]["identity_check"] is None  # shown to the reviewer as missing
    with central.sessions() as db:
        ev = db.scalar(select(AuditEvent).where(AuditEvent.action == "case.submit",
                                                AuditEvent.detail["case_id"].as_integer() == linked))
        assert ev.detail["identity_check"] == seq
    next_day(monkeypatch)  # 審査 the next (business) day: what was checked on entry stands
    r = reviewer.post(f"/v1/cases/{linked}/approve", headers={"Idempotency-Key": str(uuid.uuid4())})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "approved"


def test_the_reviewer_sees_whether_the_check_was_of_the_person_the_todoke_is_about(central):
    """A 転居 backed by a check of its own resident, and one backed by a check of someone else
    (a family member bringing the 届出): both go to 審査, the second flagged for the reviewer."""
    clerk = central.clerk(login_id="idl5")
    reviewer = central.clerk(("reviewer",), login_id="idl6")
    mover, relative = new_resident(clerk), new_resident(clerk)

    def check_of(resident: dict) -> int:
        r = clerk.post("/v1/identity-checks", json={"resident_id": resident["resident_id"],
                                                    "method": "documents", "matched": True,
                                                    "items": ["drivers_license"]})
        assert r.status_code == 201, r.text
        return r.json()["seq"]

    cases = {}
    for label, seq in (("self", check_of(mover)), ("relative", check_of(relative))):
        body = {"kind": "tenkyo", "idou_date": clock.today().isoformat(),
                "todoke_date": clock.today().isoformat(), "resident_id": mover["resident_id"],
                "expected_version": mover["version"], "identity_check_seq": seq,
                "changes": {"address": f"架空県さくら市新町{len(cases) + 1}番"}}
        r = _submit(clerk, body)
        assert r.status_code == 201, r.text
        cases[label] = r.json()["case_id"]
    items = {c["id"]: c["identity_check"] for c in reviewer.get("/v1/cases").json()["items"]}
    own, other = items[cases["self"]], items[cases["relative"]]
    assert (own["resident_id"], own["is_subject"]) == (mover["resident_id"], True)
    assert (other["resident_id"], other["is_subject"]) == (relative["resident_id"], False)
    assert (own["method"], own["items"]) == ("documents", ["drivers_license"])


def test_a_refused_identity_check_names_why(central, monkeypatch):
    clerk = central.clerk(login_id="idl3")
    colleague = central.clerk(login_id="idl4")
    other_counter = _newcomer_check(colleague)
    mismatch = _newcomer_check(clerk, matched=False)
    stale = _newcomer_check(clerk)
    assert _submit(clerk, tennyu()).json()["result"] == "submitted"
    not_a_check = seq_of(central, "case.submit")  # a row of the log that is not a 本人確認
    for seq, code in ((999_999, "identity_check_not_found"), (not_a_check, "identity_check_not_found"),
                      (mismatch, "identity_check_mismatch"),
                      (other_counter, "identity_check_other_counter")):
        refused(clerk, seq, code)
    next_day(monkeypatch)  # the check was yesterday's
    refused(clerk, stale, "identity_check_stale")
    monkeypatch.undo()
    with central.sessions() as db:
        assert db.scalar(select(func.count()).select_from(Case)) == 1  # the one above
        assert db.scalar(select(func.count()).select_from(Resident)) == 0
    ok = _newcomer_check(clerk)
    body = tennyu()
    body["identity_check_seq"] = ok
    r = post(clerk, body)  # a 届出 applied directly records its check too
    assert r.status_code == 201, r.text
    with central.sessions() as db:
        ev = db.scalar(select(AuditEvent).where(AuditEvent.action == "idou.tennyu",
                                                AuditEvent.outcome == "ok"))
        assert ev.detail["identity_check"] == ok
