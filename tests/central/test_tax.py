"""個人住民税の窓口 (#8, TAX-1…4) on SQLite and PostgreSQL: 申告受付 only after 本人確認 and with
per-field checks, registered only after a second person's 二重チェック; 課税・所得証明書 from the
課税台帳 with the fee, a 委任状 for anyone else (refused by the server), no My Number; an inquiry
that shows nothing until name, birth date and My Number identify the caller."""
from __future__ import annotations

import json
import re
import uuid

from sqlalchemy import select

from central import tax
from central.models import AuditEvent, IdempotencyRecord, TaxCertificate, TaxFiling, TaxRecord
from central import clock  # today in JST, as the centre dates everything
from tests.central.factories import my_number, new_resident, wrong_check_digit

TODAY = clock.today()
FY = TODAY.year


def identify(client, rid, method="documents"):
    r = client.post("/v1/identity-checks", json={"resident_id": rid, "method": method,
                                                 "matched": True, "items": ["drivers_license"]})
    assert r.status_code == 201, r.text


def filing(rid, **kw):
    body = {"resident_id": rid, "fiscal_year": FY, "identity_method": "documents",
            "employment_revenue": 4_000_000, "social_insurance": 580_000, "life_insurance": 40_000,
            "dependents": [{"name": "税務　花子", "name_kana": "ゼイム　ハナコ", "birth_date": "1985-04-01",
                            "relationship": "spouse", "my_number": my_number(), "income_estimate": 0},
                           {"name": "税務　一郎", "name_kana": "ゼイム　イチロウ", "birth_date": f"{FY - 20}-06-01",
                            "relationship": "child", "my_number": my_number(), "income_estimate": 0}]}
    body.update(kw)
    return body


def submit(client, body, key=None):
    return client.post("/v1/tax/filings", json=body, headers={"Idempotency-Key": key or str(uuid.uuid4())})


def test_filing_needs_identity_checks_fields_and_a_second_person(central):
    entrant = central.clerk(("clerk",), login_id="tax1")
    rid = new_resident(entrant, birth_date="1980-01-01")["resident_id"]
    body = filing(rid)
    r = submit(entrant, body)
    assert r.status_code == 422 and r.json()["code"] == "filer_identity_required"
    identify(entrant, rid)
    bad = json.loads(json.dumps(body))
    bad["dependents"][1]["my_number"] = wrong_check_digit(bad["dependents"][1]["my_number"])
    r = submit(entrant, bad)
    assert r.json()["code"] == "my_number_check_digit"
    assert r.json()["field"] == "dependents.1.my_number" and "2人目" in r.json()["detail_ja"]
    bad = json.loads(json.dumps(body))
    bad["dependents"][1]["income_estimate"] = 1_000_000
    assert submit(entrant, bad).json()["code"] == "dependent_income_over_limit"
    assert submit(entrant, dict(body, life_insurance=90_000)).json()["field"] == "life_insurance"
    assert submit(entrant, dict(body, fiscal_year=FY + 1)).json()["code"] == "fiscal_year_out_of_range"
    key = str(uuid.uuid4())
    r = submit(entrant, body, key)
    assert r.status_code == 201, r.text
    got = r.json()["computed"]
    # 給与収入 400万円 → 給与所得 276万円; 控除 = 基礎43万 + 社保58万 + 生保4万 + 配偶者33万 + 特定扶養45万
    assert got["employment_income"] == 2_760_000 and got["deductions"] == 1_830_000
    assert got["taxable_income"] == 930_000 and got["municipal_tax"] == 55_800
    assert got["dependents_count"] == 2
    assert submit(entrant, body, key).json() == r.json()  # a retry is the same 申告
    fid = r.json()["filing_id"]
    with central.sessions() as db:
        assert db.scalar(select(TaxRecord.id).where(TaxRecord.resident_id == rid)) is None
        stored = json.dumps(db.get(TaxFiling, fid).dependents)
        assert body["dependents"][0]["my_number"] not in stored  # encrypted at rest
        for rec in db.scalars(select(AuditEvent)):
            assert body["dependents"][0]["my_number"] not in json.dumps(rec.detail)
        for rec in db.scalars(select(IdempotencyRecord.response)):
            assert body["dependents"][0]["my_number"] not in json.dumps(rec)

    r = entrant.post(f"/v1/tax/filings/{fid}/approve", headers={"Idempotency-Key": str(uuid.uuid4())})
    assert r.status_code == 403 and r.json()["code"] == "checker_is_entrant"

    checker = central.clerk(("clerk",), login_id="tax2")
    queue = checker.get("/v1/tax/filings").json()["items"]
    assert [f["id"] for f in queue] == [fid]
    assert {d["my_number"] for d in queue[0]["dependents"]} == {"************"}
    with_right = central.clerk(("reviewer", "my_number_access"), login_id="tax3")
    shown = with_right.get("/v1/tax/filings").json()["items"][0]["dependents"]
    assert shown[0]["my_number"] == body["dependents"][0]["my_number"]  # to compare with the form
    r = checker.post(f"/v1/tax/filings/{fid}/approve", headers={"Idempotency-Key": str(uuid.uuid4())})
    assert r.status_code == 200, r.text
    with central.sessions() as db:
        rec = db.scalar(select(TaxRecord).where(TaxRecord.resident_id == rid, TaxRecord.fiscal_year == FY))
        assert (rec.taxable_income, rec.dependents_count, rec.prefectural_tax) == (930_000, 2, 37_200)
        row = db.get(TaxFiling, fid)
        assert (row.status, row.entered_by, row.checked_by) == ("approved", "tax1", "tax2")
    r = checker.post(f"/v1/tax/filings/{fid}/approve", headers={"Idempotency-Key": str(uuid.uuid4())})
    assert r.json()["code"] == "filing_not_open"


def test_a_returned_filing_registers_nothing(central):
    entrant = central.clerk(("clerk",), login_id="tax1")
    rid = new_resident(entrant, birth_date="1970-01-01")["resident_id"]
    identify(entrant, rid, "card")
    fid = submit(entrant, filing(rid, identity_method="card", dependents=[])).json()["filing_id"]
    checker = central.clerk(("reviewer",), login_id="rv")
    r = checker.post(f"/v1/tax/filings/{fid}/return", json={"reason": "給与収入が源泉徴収票と相違"})
    assert r.status_code == 200
    with central.sessions() as db:
        assert db.scalar(select(TaxRecord.id)) is None
        assert db.get(TaxFiling, fid).return_reason == "給与収入が源泉徴収票と相違"


def test_dependent_checks_against_the_filer_and_the_register(central):
    entrant = central.clerk(("clerk", "my_number_access"), login_id="tax1")
    own = my_number()
    rid = new_resident(entrant, birth_date="1980-01-01", my_number=own)["resident_id"]
    other_number = my_number()
    new_resident(entrant, birth_date="1990-02-02", my_number=other_number)
    identify(entrant, rid)
    dep = {"name": "扶養　次郎", "name_kana": "フヨウ　ジロウ", "birth_date": "2010-01-01",
           "relationship": "child", "my_number": own}
    assert "本人" in submit(entrant, filing(rid, dependents=[dep])).json()["detail_ja"]
    dep["my_number"] = other_number  # a registered person born on another day
    assert "住民記録と一致しません" in submit(entrant, filing(rid, dependents=[dep])).json()["detail_ja"]
    dep.update(my_number=my_number(), birth_date="1970-01-01")
    assert submit(entrant, filing(rid, dependents=[dep])).json()["field"] == "dependents.0.birth_date"
    dep.update(birth_date="2010-01-01", name_kana="ふよう")
    assert submit(entrant, filing(rid, dependents=[dep])).json()["code"] == "kana_invalid"


def seed_record(central, rid, fy=FY - 1):
    with central.sessions.begin() as db:
        db.add(TaxRecord(resident_id=rid, fiscal_year=fy, employment_income=3_160_000,
                         total_income=3_160_000, deductions=1_250_000, taxable_income=1_910_000,
                         municipal_tax=114_600, prefectural_tax=76_400, dependents_count=1))


def cert(client, rid, **kw):
    body = {"resident_id": rid, "kind": "kazei", "fiscal_year": FY - 1, "requester_relation": "self",
            "purpose": "certificate"}
    body.update(kw)
    return client.post("/v1/tax/certificates", json=body, headers={"Idempotency-Key": str(uuid.uuid4())})


def test_certificate_has_the_fee_and_never_a_my_number(central):
    clerk = central.clerk(("clerk", "my_number_access"), login_id="c1")
    number = my_number()
    rid = new_resident(clerk, my_number=number)["resident_id"]
    assert cert(clerk, rid).json()["code"] == "tax_record_not_found"
    seed_record(central, rid)
    kinds = clerk.get("/v1/tax/certificate-kinds").json()
    assert {k["code"]: k["fee_yen_per_copy"] for k in kinds["kinds"]} == {"kazei": 300, "shotoku": 300}
    r = cert(clerk, rid, copies=2)
    assert r.status_code == 201, r.text
    assert r.json()["fee_yen"] == 600
    content = clerk.get(f"/v1/tax/certificates/{r.json()['issuance_id']}/content")
    assert content.status_code == 200
    body = content.json()
    assert body["record"]["taxable_income"] == 1_910_000 and body["fiscal_year"] == FY - 1
    assert number not in content.text and not re.search(r"\d{12}", content.text)
    assert "my_number" not in json.dumps(body)
    other = central.clerk(login_id="c9")
    assert other.get(f"/v1/tax/certificates/{r.json()['issuance_id']}/content").status_code == 403


def test_proxy_without_a_letter_of_proxy_is_refused_by_the_server_and_recorded(central):
    clerk = central.clerk(login_id="c1")
    rid = new_resident(clerk)["resident_id"]
    seed_record(central, rid)
    for relation in ("proxy", "third_party"):
        r = cert(clerk, rid, requester_relation=relation, requester_name="代理　人")
        assert r.status_code == 422 and r.json()["code"] == "power_of_attorney_required"
        assert "委任状" in r.json()["detail_ja"]
    r = cert(clerk, rid, requester_relation="proxy", power_of_attorney_seen=True)
    assert r.json()["code"] == "requester_name_required"
    r = cert(clerk, rid, kind="shotoku", requester_relation="proxy", power_of_attorney_seen=True,
             requester_name="代理　人")
    assert r.status_code == 201
    with central.sessions() as db:
        rows = db.scalars(select(TaxCertificate)).all()
        assert [(x.kind, x.requester_relation, x.requester_name, x.power_of_attorney_seen, x.fee_yen)
                for x in rows] == [("shotoku", "proxy", "代理　人", True, 300)]
        refused = db.scalars(select(AuditEvent.detail).where(
            AuditEvent.action == "tax.certificate.issue", AuditEvent.outcome == "rejected")).all()
        assert [d["code"] for d in refused] == ["power_of_attorney_required"] * 2 + ["requester_name_required"]


def test_inquiry_shows_nothing_without_identity(central):
    clerk = central.clerk(("clerk", "my_number_access"), login_id="c1")
    number = my_number()
    rid = new_resident(clerk, my_number=number, name_kanji="照会　三郎", name_kana="ショウカイ　サブロウ",
                       birth_date="1975-05-05")["resident_id"]
    seed_record(central, rid)
    base = {"name": "照会　三郎", "birth_date": "1975-05-05", "purpose": "tax"}
    r = clerk.post("/v1/tax/inquiries", json=base)
    assert r.status_code == 422 and r.json()["code"] == "identity_required"
    assert r.json()["field"] == "my_number" and "三郎" not in r.text
    r = clerk.post("/v1/tax/inquiries", json=dict(base, my_number=number, birth_date="1975-05-06"))
    assert r.status_code == 403 and r.json()["code"] == "identity_not_confirmed"
    assert "1910000" not in r.text and "1,910,000" not in r.text
    r = clerk.post("/v1/tax/inquiries", json=dict(base, my_number=number, purpose=None))
    assert r.json()["code"] == "purpose_required"
    r = clerk.post("/v1/tax/inquiries", json=dict(base, my_number=number, name="照会三郎"))
    assert r.status_code == 200, r.text
    assert r.json()["records"][0]["taxable_income"] == 1_910_000 and number not in r.text
    with central.sessions() as db:
        events = db.scalars(select(AuditEvent).where(AuditEvent.action == "tax.inquiry")
                            .order_by(AuditEvent.seq)).all()
        assert [(e.outcome, e.purpose) for e in events][-1] == ("ok", "tax")
        assert events[-1].subject == f"resident:{rid}"
        assert [e.detail.get("code") for e in events[:3]] == ["identity_required", "identity_not_confirmed",
                                                              "purpose_required"]
        assert all(number not in json.dumps(e.detail) for e in events)


def test_fee_comes_from_the_declarative_table():
    assert tax.fee_yen("kazei", 3) == 900 and tax.KINDS["shotoku"]["label_ja"] == "所得証明書"
