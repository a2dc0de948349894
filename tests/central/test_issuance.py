"""交付 (WF-6, DQ-6, WF-7): who may get which 住民票の写し with what on it; every issuance in the
帳票管理簿 and the audit log; the content only for the issuing operator and terminal, never stored
(SQLite and PostgreSQL)."""
from __future__ import annotations

import datetime as dt
import json
import uuid

from sqlalchemy import select

from central.models import AuditEvent, IdempotencyRecord, Issuance
from tests.central.factories import add_support_measure, my_number, new_resident


def issue(client, resident_id, **kw):
    body = {"resident_id": resident_id, "requester_relation": "self", "purpose": "certificate"}
    body.update(kw)
    return client.post("/v1/certificates", json=body, headers={"Idempotency-Key": str(uuid.uuid4())})


def test_default_copy_omits_my_number_and_juminhyo_code(central):
    clerk = central.clerk(("clerk", "my_number_access"), login_id="c1")
    number = my_number()
    made = new_resident(clerk, my_number=number, name_kanji="交付　花子", name_kana="コウフ　ハナコ")
    r = issue(clerk, made["resident_id"])
    assert r.status_code == 201, r.text
    assert set(r.json()) == {"issuance_id", "certificate_no", "persons"}  # no personal data
    content = clerk.get(f"/v1/certificates/{r.json()['issuance_id']}/content")
    assert content.status_code == 200
    person = content.json()["persons"][0]
    assert person["name_kanji"] == "交付　花子"
    assert "my_number" not in person and "juminhyo_code" not in person
    assert number not in content.text
    with central.sessions() as db:
        row = db.scalar(select(Issuance))
        assert (row.operator_login, row.requester_relation, row.purpose) == ("c1", "self", "certificate")
        actions = db.scalars(select(AuditEvent.action).where(
            AuditEvent.action.like("certificate.%")).order_by(AuditEvent.seq)).all()
        assert actions == ["certificate.issue", "certificate.content"]
        stored = db.scalars(select(IdempotencyRecord.response)).all()
        assert all("交付" not in json.dumps(s, ensure_ascii=False) for s in stored)


def test_my_number_only_for_self_with_an_allowed_reason_and_a_destination(central):
    clerk = central.clerk(("clerk", "my_number_access"), login_id="c1")
    number = my_number()
    made = new_resident(clerk, my_number=number)
    rid = made["resident_id"]
    inc = {"my_number": True}
    r = issue(clerk, rid, requester_relation="third_party", include=inc,
              my_number_reason="tax", submit_to="さくら税務署")
    assert r.status_code == 403 and r.json()["code"] == "my_number_not_for_requester"
    r = issue(clerk, rid, include=inc)
    assert r.json()["code"] == "my_number_reason_required"
    r = issue(clerk, rid, include=inc, my_number_reason="curiosity", submit_to="どこか")
    assert r.json()["code"] == "my_number_purpose_not_allowed" and "番号法" in r.json()["detail_ja"]
    r = issue(clerk, rid, include=inc, my_number_reason="tax", submit_to="さくら税務署")
    assert r.status_code == 201
    body = clerk.get(f"/v1/certificates/{r.json()['issuance_id']}/content").json()
    assert body["persons"][0]["my_number"] == number
    with central.sessions() as db:
        rows = db.scalars(select(Issuance)).all()
        assert [(x.my_number_reason, x.submit_to) for x in rows] == [("tax", "さくら税務署")]


def test_printing_a_my_number_needs_the_right(central):
    clerk = central.clerk(("clerk",), login_id="c2")
    made = new_resident(clerk)
    r = issue(clerk, made["resident_id"], include={"my_number": True}, my_number_reason="tax",
              submit_to="さくら税務署")
    assert r.status_code == 403 and r.json()["code"] == "forbidden"


def test_support_measure_blocks_proxies_and_third_parties(central):
    clerk = central.clerk(login_id="c1")
    made = new_resident(clerk)
    add_support_measure(central, made["resident_id"])
    r = issue(clerk, made["resident_id"], requester_relation="third_party")
    assert r.status_code == 403 and r.json()["code"] == "support_measure_blocked"
    assert "所属長" in r.json()["detail_ja"]
    r = issue(clerk, made["resident_id"], requester_relation="proxy", power_of_attorney_seen=True)
    assert r.json()["code"] == "support_measure_blocked"
    assert issue(clerk, made["resident_id"]).status_code == 201  # the person themself
    with central.sessions() as db:
        refused = db.scalars(select(AuditEvent.detail).where(
            AuditEvent.action == "certificate.issue", AuditEvent.outcome == "rejected")).all()
        assert [d["code"] for d in refused] == ["support_measure_blocked"] * 2


def test_proxy_needs_a_letter_and_other_needs_a_note(central):
    clerk = central.clerk(login_id="c1")
    made = new_resident(clerk)
    r = issue(clerk, made["resident_id"], requester_relation="proxy")
    assert r.json()["code"] == "power_of_attorney_required"
    r = issue(clerk, made["resident_id"], purpose="other")
    assert r.json()["code"] == "purpose_note_required"


def test_household_copy_lists_the_current_household_and_content_is_only_for_the_issuer(central):
    clerk = central.clerk(login_id="c1")
    made = new_resident(clerk)
    r = issue(clerk, made["resident_id"], scope="household")
    iid = r.json()["issuance_id"]
    body = clerk.get(f"/v1/certificates/{iid}/content").json()
    assert body["scope"] == "household" and len(body["persons"]) == r.json()["persons"] >= 1
    other = central.clerk(login_id="c9")
    assert other.get(f"/v1/certificates/{iid}/content").status_code == 403
    with central.sessions.begin() as db:  # an hour later it can no longer be printed
        db.get(Issuance, iid).issued_at -= dt.timedelta(hours=1)
    r = clerk.get(f"/v1/certificates/{iid}/content")
    assert r.status_code == 410 and r.json()["code"] == "certificate_expired"
