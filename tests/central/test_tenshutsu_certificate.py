"""転出証明書 (#22 point 2; K-WF-5.1 転出 with the 転出証明書, DQ-6, AUTHZ-2, RET-7): an applied 転出
issues it with the standard items, read back from the PDF with pdftotext; recorded in the
帳票管理簿 and the audit log; its content served once; the 個人番号 only by the setting, to the
person's household and by an operator with 特定個人情報アクセス権限 (SQLite and PostgreSQL)."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import unicodedata
import uuid

from sqlalchemy import select

from app.certificate import CertificateContent
from central import clock
from central.models import AuditEvent, Issuance, PolicySetting
from japan.era import wareki
from tests.central.factories import my_number, new_resident, post


def pdf_text(path) -> str:
    assert shutil.which("pdftotext"), "poppler-utils is installed by scripts/setup.sh"
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    # Qt's CJK font maps some kanji to radical code points (⽒, ⺠): fold them back.
    text = unicodedata.normalize("NFKC", out.stdout.decode("utf-8"))
    return "".join(text.translate(str.maketrans({"⺠": "民", "⻑": "長"})).split())


def issue(client, persons, **kw):
    body = {"persons": persons, "requester_relation": "self", **kw}
    return client.post("/v1/tenshutsu-certificates", json=body,
                       headers={"Idempotency-Key": str(uuid.uuid4())})


def _family_moving_out(clerk, planned: dt.date):
    """A 世帯主 and 妻 with My Numbers, both 転出 to the same place on the same day."""
    numbers = (my_number(), my_number())
    head = new_resident(clerk, my_number=numbers[0], name_kanji="転出　一郎",
                        name_kana="テンシュツ　イチロウ", birth_date="1980-05-06")
    detail = clerk.get(f"/v1/residents/{head['resident_id']}", params={"purpose": "idou"}).json()
    wife = post(clerk, {**_tennyu_into(detail["household"]["household_no"]),
                        "person": {**_person("転出　花子", "テンシュツ　ハナコ", "1982-07-08",
                                             "female", numbers[1], detail["address"])}})
    assert wife.status_code == 201, wife.text
    wife = wife.json()
    ids = []
    for made in (head, wife):
        r = post(clerk, {"kind": "tenshutsu", "resident_id": made["resident_id"],
                         "expected_version": made["version"], "idou_date": planned.isoformat(),
                         "todoke_date": clock.today().isoformat(),
                         "moved_out_to": "架空県もみじ市紅葉町一丁目2番3号"})
        assert r.status_code == 201, r.text
        ids.append(made["resident_id"])
    codes = [clerk.get(f"/v1/residents/{i}", params={"purpose": "idou"}).json()["juminhyo_code"]
             for i in ids]
    return ids, numbers, codes, detail["address"]


def _person(kanji, kana, birth, sex, number, address):
    return {"name_kanji": kanji, "name_kana": kana, "birth_date": birth, "sex": sex,
            "my_number": number, "postal_code": "9990001", "address": address}


def _tennyu_into(household_no):
    today = clock.today()
    return {"kind": "tennyu", "idou_date": (today - dt.timedelta(days=2)).isoformat(),
            "todoke_date": today.isoformat(), "moved_in_from": "架空県あさひ町本町1番1号",
            "household": {"household_no": household_no, "relationship_to_head": "妻"}}


def test_an_applied_tenshutsu_issues_the_certificate_with_the_standard_items(central, qapp,
                                                                               tmp_path):
    from ui.printing.certificate_pdf import render_pdf

    clerk = central.clerk(("clerk", "my_number_access"), login_id="c1")
    planned = clock.today() + dt.timedelta(days=5)
    ids, numbers, codes, address = _family_moving_out(clerk, planned)
    r = issue(clerk, [{"resident_id": ids[0], "qualifications": {"kokuho": True, "nenkin": True,
                                                                 "jidou_teate": False}},
                      {"resident_id": ids[1], "qualifications": {"kokuho": True}}])
    assert r.status_code == 201, r.text
    assert set(r.json()) == {"issuance_id", "certificate_no", "persons"}  # no personal data
    assert r.json()["persons"] == 2
    got = clerk.get(f"/v1/certificates/{r.json()['issuance_id']}/content")
    assert got.status_code == 200, got.text
    content = CertificateContent.from_json(got.json())
    assert content.kind == "tenshutsu"
    path = tmp_path / "tenshutsu.pdf"
    render_pdf(content.document, path)
    text = pdf_text(path)
    for item in ("転出証明書", "氏名", "転出一郎", "転出花子", "出生の年月日", wareki("1980-05-06"),
                 wareki("1982-07-08"), "男女の別", "住民票コード", codes[0], codes[1], "個人番号",
                 numbers[0], numbers[1], "住所", "".join(address.split()), "世帯主", "続柄", "妻",
                 "転出先", "架空県もみじ市紅葉町一丁目2番3号", "転出の予定年月日", wareki(planned.isoformat()),
                 "国民健康保険:有", "後期高齢者医療:無", "介護保険:無", "国民年金:有", "児童手当:無"):
        assert item in text, item
    # recorded in the 帳票管理簿 (RET-7) and the audit log, content served once (#21 class 8)
    with central.sessions() as db:
        row = db.scalar(select(Issuance))
        assert (row.kind, row.person_ids, row.operator_login) == ("tenshutsu", ids, "c1")
        assert row.included["my_number"] is True and row.content_served_at is not None
        assert row.included["qualifications"][str(ids[0])]["kokuho"] is True
        audit = db.scalars(select(AuditEvent).where(AuditEvent.action.like("certificate.%"))
                           .order_by(AuditEvent.seq)).all()
        assert [a.action for a in audit] == ["certificate.issue", "certificate.content"]
        assert audit[0].subject == f"resident:{ids[0]},resident:{ids[1]}"
        assert all(n not in str(a.detail) for a in audit for n in numbers)
    again = clerk.get(f"/v1/certificates/{r.json()['issuance_id']}/content")
    assert again.status_code == 410 and again.json()["code"] == "certificate_content_served"


def test_only_an_applied_tenshutsu_and_persons_who_moved_together(central):
    clerk = central.clerk(("clerk", "my_number_access"), login_id="c1")
    staying = new_resident(clerk)
    r = issue(clerk, [{"resident_id": staying["resident_id"]}])
    assert r.status_code == 422 and r.json()["code"] == "tenshutsu_not_applied"
    ids, *_ = _family_moving_out(clerk, clock.today())
    other, *_ = _family_moving_out(clerk, clock.today())
    r = issue(clerk, [{"resident_id": ids[0]}, {"resident_id": other[0]}])
    assert r.status_code == 422 and r.json()["code"] == "tenshutsu_not_together"
    r = issue(clerk, [{"resident_id": ids[0]}], requester_relation="proxy")
    assert r.json()["code"] == "power_of_attorney_required"


def test_my_number_needs_the_right_is_never_for_a_proxy_and_is_a_setting(central):
    setup = central.clerk(("clerk", "my_number_access"), login_id="setup")
    ids, numbers, codes, _ = _family_moving_out(setup, clock.today())
    plain = central.clerk(("clerk",), login_id="c2")
    r = issue(plain, [{"resident_id": ids[0]}])
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    assert "特定個人情報アクセス権限" in r.json()["detail_ja"]
    refused = central.audit_rows("certificate.issue")[-1]
    assert refused.outcome == "rejected" and refused.subject == f"resident:{ids[0]}"
    # a proxy with a 委任状: issued, the number 記載省略 (counter-domain §7.1), the code printed
    r = issue(plain, [{"resident_id": ids[0]}], requester_relation="proxy",
              power_of_attorney_seen=True)
    assert r.status_code == 201, r.text
    body = plain.get(f"/v1/certificates/{r.json()['issuance_id']}/content")
    assert numbers[0] not in body.text and body.json()["persons"][0]["juminhyo_code"] == codes[0]
    rows = dict(CertificateContent.from_json(body.json()).document.persons[0].rows)
    assert rows["個人番号"] == "記載省略"
    # a municipality that prints it only on request: the setting off, nobody gets it printed
    with central.sessions.begin() as db:
        db.add(PolicySetting(key="tenshutsu_certificate", value={"my_number": False},
                             updated_by="test", updated_at=dt.datetime(2026, 12, 7)))
    r = issue(plain, [{"resident_id": ids[0]}, {"resident_id": ids[1]}])
    assert r.status_code == 201, r.text
    body = plain.get(f"/v1/certificates/{r.json()['issuance_id']}/content")
    assert all(n not in body.text for n in numbers)
    assert [p["juminhyo_code"] for p in body.json()["persons"]] == codes
