"""記載事項証明書 (kind ``kisai``, #7): only the items the clerk chose are certified, for one person,
with the 提出先; never a 個人番号 or 住民票コード; 本籍 only when asked for; the same proxy, third-party
and 支援措置 rules (and 所属長の判断) as the 住民票の写し; recorded in the 帳票管理簿 with its kind
(SQLite and PostgreSQL)."""
from __future__ import annotations

import re
import uuid

from sqlalchemy import select

from central.models import AuditEvent, Issuance
from tests.central.factories import add_support_measure, my_number, new_resident


def kisai(client, rid, **kw):
    body = {"kind": "kisai", "resident_id": rid, "requester_relation": "self",
            "purpose": "certificate", "items": ["name", "address"], "submit_to": "さくら年金事務所"}
    body.update(kw)
    return client.post("/v1/certificates", json=body, headers={"Idempotency-Key": str(uuid.uuid4())})


def test_only_the_chosen_items_and_never_a_number(central):
    clerk = central.clerk(("clerk", "my_number_access"), login_id="c1")
    number = my_number()
    rid = new_resident(clerk, my_number=number, name_kanji="記載　一郎", name_kana="キサイ　イチロウ",
                       honseki="架空県さくら市本籍町1番")["resident_id"]
    code = clerk.get(f"/v1/residents/{rid}", params={"purpose": "idou"}).json()["juminhyo_code"]
    r = kisai(clerk, rid)
    assert r.status_code == 201, r.text
    body = clerk.get(f"/v1/certificates/{r.json()['issuance_id']}/content").json()
    assert body["kind"] == "kisai" and body["items"] == ["name", "address"]
    assert body["person"]["name_kanji"] == "記載　一郎" and body["person"]["address"]
    assert set(body["person"]) == {"name_kanji", "name_kana", "tsusho", "address", "katagaki"}
    assert body["submit_to"] == "さくら年金事務所" and body["purpose_ja"] == "証明書の交付"
    text = str(body)
    assert number not in text and code not in text and "本籍町" not in text
    assert not re.search(r"\d{11}", text)
    r = kisai(clerk, rid, items=["honseki", "name", "birth_date"])  # 本籍 when asked for
    body = clerk.get(f"/v1/certificates/{r.json()['issuance_id']}/content").json()
    assert body["items"] == ["name", "birth_date", "honseki"]  # print order, not click order
    assert body["person"]["honseki"] == "架空県さくら市本籍町1番" and "address" not in body["person"]
    with central.sessions() as db:
        rows = db.scalars(select(Issuance).order_by(Issuance.id)).all()
        assert [(x.kind, x.included, x.submit_to) for x in rows] == [
            ("kisai", {"items": ["name", "address"]}, "さくら年金事務所"),
            ("kisai", {"items": ["name", "birth_date", "honseki"]}, "さくら年金事務所")]
        ev = db.scalar(select(AuditEvent).where(AuditEvent.action == "certificate.issue"))
        assert ev.detail["kind"] == "kisai" and ev.subject == f"resident:{rid}"


def test_kisai_rules(central):
    clerk = central.clerk(("clerk", "my_number_access"), login_id="c1")
    rid = new_resident(clerk)["resident_id"]
    r = kisai(clerk, rid, include={"my_number": True}, my_number_reason="tax")
    assert r.status_code == 422 and r.json()["code"] == "kisai_item_not_allowed"
    r = kisai(clerk, rid, include={"juminhyo_code": True})
    assert r.json()["code"] == "kisai_item_not_allowed" and "住民票コード" in r.json()["detail_ja"]
    r = kisai(clerk, rid, items=["my_number"])
    assert r.status_code == 422 and r.json()["code"] == "invalid_request"
    assert kisai(clerk, rid, items=[]).json()["code"] == "kisai_items_required"
    assert kisai(clerk, rid, submit_to="  ").json()["code"] == "submit_to_required"
    assert kisai(clerk, rid, scope="household").json()["code"] == "invalid_request"
    assert kisai(clerk, rid, items=["name", "name"]).json()["code"] == "invalid_request"
    r = kisai(clerk, rid, requester_relation="proxy")
    assert r.json()["code"] == "power_of_attorney_required"
    r = clerk.post("/v1/certificates", json={"resident_id": rid, "requester_relation": "self",
                                              "purpose": "certificate", "items": ["name"]},
                   headers={"Idempotency-Key": str(uuid.uuid4())})
    assert r.json()["code"] == "invalid_request"  # items belong to a 記載事項証明書 only
    with central.sessions() as db:
        assert db.scalar(select(Issuance.id)) is None


def test_support_measure_rules_and_decisions_apply_to_kisai_by_kind(central):
    clerk = central.clerk(login_id="c1")
    boss = central.clerk(("supervisor",), login_id="boss")
    rid = new_resident(clerk)["resident_id"]
    add_support_measure(central, rid)
    r = kisai(clerk, rid, requester_relation="third_party")
    assert r.status_code == 403 and r.json()["code"] == "support_measure_blocked"
    ask = {"resident_id": rid, "requester_relation": "third_party", "requester_name": "照会　者",
           "purpose": "certificate"}
    juminhyo_decision = clerk.post("/v1/support-decisions", json=ask,
                                   headers={"Idempotency-Key": str(uuid.uuid4())}).json()["decision_id"]
    kisai_decision = clerk.post("/v1/support-decisions", json=dict(ask, kind="kisai"),
                                headers={"Idempotency-Key": str(uuid.uuid4())}).json()["decision_id"]
    for did in (juminhyo_decision, kisai_decision):
        assert boss.post(f"/v1/support-decisions/{did}/approve",
                         json={"reason": "確認済み"}).status_code == 200
    r = kisai(clerk, rid, requester_relation="third_party", support_decision_id=juminhyo_decision)
    assert r.json()["code"] == "support_decision_mismatch"  # a 住民票 decision is not a 記載事項証明書's
    r = kisai(clerk, rid, requester_relation="third_party", support_decision_id=kisai_decision)
    assert r.status_code == 201, r.text
    assert kisai(clerk, rid).status_code == 201  # the person themself
    with central.sessions() as db:
        rows = db.scalars(select(Issuance).order_by(Issuance.id)).all()
        assert [(x.kind, x.support_decision_id) for x in rows] == [("kisai", kisai_decision),
                                                                    ("kisai", None)]
