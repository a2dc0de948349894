"""審査 (WF-5): an entry is checked on submission, applied only when someone else approves it
(DQ-1), and never approved against a record that changed since the entry (DQ-8, 000 L4375)."""
from __future__ import annotations

import uuid

from sqlalchemy import select

from central.models import Case, Resident
from central import clock  # today in JST, as the centre dates everything
from tests.central.factories import my_number, new_resident, post, tennyu

TODAY = clock.today().isoformat()


def _tenkyo(made, address, version=None):
    return {"kind": "tenkyo", "resident_id": made["resident_id"],
            "expected_version": version or made["version"], "idou_date": TODAY,
            "todoke_date": TODAY, "changes": {"address": address}}


def _submit(client, body, key=None):
    return client.post("/v1/cases/idou", json=body,
                       headers={"Idempotency-Key": key or str(uuid.uuid4())})


def _approve(client, case_id, key=None):
    return client.post(f"/v1/cases/{case_id}/approve",
                       headers={"Idempotency-Key": key or str(uuid.uuid4())})


def test_entry_is_applied_only_when_another_person_approves(central):
    clerk = central.clerk(login_id="entrant")
    made = new_resident(clerk)
    r = _submit(clerk, _tenkyo(made, "架空県さくら市梅町5番5号"))
    assert r.status_code == 201 and r.json()["status"] == "submitted"
    case_id = r.json()["case_id"]
    with central.sessions() as db:
        assert db.get(Resident, made["resident_id"]).address != "架空県さくら市梅町5番5号"
    reviewer = central.clerk(("reviewer",), login_id="rev1")
    queue = reviewer.get("/v1/cases").json()["items"]
    assert [c["id"] for c in queue] == [case_id]
    assert queue[0]["command"]["changes"]["address"] == "架空県さくら市梅町5番5号"
    assert queue[0]["current"]["id"] == made["resident_id"] and not queue[0]["record_changed"]
    key = str(uuid.uuid4())
    ok = _approve(reviewer, case_id, key)
    assert ok.status_code == 200 and ok.json()["status"] == "approved"
    assert _approve(reviewer, case_id, key).json() == ok.json()  # replay: applied once
    with central.sessions() as db:
        res = db.get(Resident, made["resident_id"])
        assert res.address == "架空県さくら市梅町5番5号"
        assert [h.kind for h in res.history] == ["tennyu", "tenkyo"]
        assert res.history[-1].operator_login == "entrant"
        assert db.get(Case, case_id).reviewed_by == "rev1"
    assert _approve(reviewer, case_id).json()["code"] == "case_not_open"


def test_the_entrant_cannot_review_their_own_entry(central):
    sup = central.clerk(("supervisor",), login_id="sup1")  # may both enter and review
    made = new_resident(sup)
    case_id = _submit(sup, _tenkyo(made, "架空県さくら市梅町6番6号")).json()["case_id"]
    r = _approve(sup, case_id)
    assert r.status_code == 403 and r.json()["code"] == "reviewer_is_entrant"
    r = sup.post(f"/v1/cases/{case_id}/return", json={"reason": "自己審査"})
    assert r.json()["code"] == "reviewer_is_entrant"


def test_approval_is_refused_when_the_record_changed_since_entry(central):
    clerk = central.clerk(login_id="entrant")
    made = new_resident(clerk)
    case_id = _submit(clerk, _tenkyo(made, "架空県さくら市梅町7番7号")).json()["case_id"]
    assert post(clerk, _tenkyo(made, "架空県さくら市梅町8番8号")).status_code == 201
    reviewer = central.clerk(("reviewer",), login_id="rev1")
    assert reviewer.get("/v1/cases").json()["items"][0]["record_changed"] is True
    r = _approve(reviewer, case_id)
    assert r.status_code == 409 and r.json()["code"] == "record_changed_since_entry"
    r = reviewer.post(f"/v1/cases/{case_id}/return", json={"reason": "記録更新のため再入力"})
    assert r.json()["status"] == "returned"
    with central.sessions() as db:
        assert db.get(Resident, made["resident_id"]).address == "架空県さくら市梅町8番8号"
        assert db.get(Case, case_id).review_reason == "記録更新のため再入力"


def test_logical_checks_run_at_submission_and_nothing_is_kept(central):
    clerk = central.clerk()
    made = new_resident(clerk)
    body = _tenkyo(made, "架空県さくら市梅町9番9号")
    body["changes"]["name_kanji"] = "改名　太郎"
    r = _submit(clerk, body)
    assert r.status_code == 422 and r.json()["code"] == "tenkyo_non_address_change"
    ok = _submit(clerk, tennyu(name_kanji="審査　花子", name_kana="シンサ　ハナコ"))
    assert ok.status_code == 201
    with central.sessions() as db:  # the dry run left no resident or household behind
        assert db.scalar(select(Case.id).where(Case.id == ok.json()["case_id"]))
        assert db.query(Resident).count() == 1


def test_my_number_in_an_entry_is_masked_for_a_reviewer_without_the_right(central):
    clerk = central.clerk(("clerk", "my_number_access"))
    number = my_number()
    _submit(clerk, tennyu(my_number=number))
    plain = central.clerk(("reviewer",), login_id="rev1")
    holder = central.clerk(("reviewer", "my_number_access"), login_id="rev2")
    r = plain.get("/v1/cases")
    assert number not in r.text and r.json()["items"][0]["command"]["person"]["my_number"] == \
        "************"
    assert holder.get("/v1/cases").json()["items"][0]["command"]["person"]["my_number"] == number
