"""転出証明書情報 → 転入予定者 → 特例転入 (#22 point 2; K-WF-4.6 予定者, K-WF-5.1 特例転入, K-WF-5.x 6
転出証明書情報 matched, AUTHZ-2, LOG-1): the 住基ネット CS adapter's CLI and endpoint, the counter's
lookup by one member's card, and the rules of the 特例転入 — cards and PINs, 14 and 30 days, a
mismatch named by its item, the 住民票コード and 個人番号 carried over (SQLite and PostgreSQL)."""
from __future__ import annotations

import base64
import datetime as dt
import json
import uuid

import pytest
from sqlalchemy import select

from central import clock
from central.cli import main as cli
from central.models import AuditEvent, PolicySetting, Resident, TennyuYotei
from central.synth_momiji import document, family_of_four
from japan import mynumber
from tests.central.factories import post
from tests.fixtures_central import DATA_KEY


@pytest.fixture
def env(central, monkeypatch):
    monkeypatch.setenv("MADOGUCHI_DATA_KEY", base64.b64encode(DATA_KEY).decode())
    monkeypatch.setenv("DATABASE_URL", central.settings.database_url)
    return central


def receive_file(tmp_path, doc, capsys) -> tuple[int, str]:
    path = tmp_path / f"joho-{uuid.uuid4().hex[:6]}.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    code = cli(["cs-receive", str(path)])
    out = capsys.readouterr()
    return code, out.out + out.err


def family(planned_days_ago: int = 2, seed: int = 11) -> dict:
    doc = family_of_four(seed, today=clock.today())
    doc["certificates"][0]["planned_date"] = (
        clock.today() - dt.timedelta(days=planned_days_ago)).isoformat()
    return doc


def lookup(client, **key):
    return client.post("/v1/tennyu-yotei/lookup", json={**key, "purpose": "idou"})


def card_of(member: dict, old_address: str, **changes) -> dict:
    """What the counter reads from this member's card (the old address), PIN verified."""
    card = {"my_number": member["my_number"], "name_kanji": member["name_kanji"],
            "birth_date": member["birth_date"], "sex": member["sex"], "address": old_address,
            "pin_verified": True}
    card.update(changes)
    return card


def tennyu_of(found: dict, member: dict, *, moved_in: dt.date, household=None, card=None,
              **person) -> dict:
    """A 転入 pre-filled from the lookup's member (what the client sends after the clerk confirmed
    the new address, 異動日 and 続柄)."""
    p = {"name_kanji": member["name_kanji"], "name_kana": member["name_kana"],
         "birth_date": member["birth_date"], "sex": member["sex"],
         "my_number": member["my_number"], "juminhyo_code": member["juminhyo_code"],
         "postal_code": "9990001", "address": found["moved_out_to"],
         "honseki": member["honseki"], "hittousha": member["hittousha"]}
    p.update(person)
    return {"kind": "tennyu", "idou_date": moved_in.isoformat(),
            "todoke_date": clock.today().isoformat(), "person": p,
            "moved_in_from": found["address"],
            "household": household or {"household_no": None, "relationship_to_head": "世帯主"},
            "tokurei": {"tennyu_yotei_id": member["tennyu_yotei_id"],
                        "card": card if card is not None else card_of(member, found["address"])}}


def test_cs_receive_of_a_family_of_four_and_the_lookup_by_one_card(env, tmp_path, capsys):
    central = env
    doc = family()
    code, printed = receive_file(tmp_path, doc, capsys)
    assert code == 0, printed
    assert json.loads(printed) == {"received": 1, "persons": 4, "skipped": []}
    members = doc["certificates"][0]["members"]
    for m in members:  # never a number or a name printed
        assert m["my_number"] not in printed and m["name_kanji"] not in printed
    with central.sessions() as db:
        rows = db.scalars(select(TennyuYotei).order_by(TennyuYotei.member_no)).all()
        assert [r.relationship_to_head for r in rows] == ["世帯主", "妻", "子", "子"]
        # stored as the register stores it: ciphertext and blind index, never the digits
        assert all(r.my_number_enc and members[0]["my_number"].encode() not in r.my_number_enc
                   for r in rows)
        assert rows[2].my_number_index == central.cipher.index(members[2]["my_number"])
        receipt = db.scalar(select(AuditEvent).where(AuditEvent.action == "tennyu_yotei.receive"))
        assert receipt.subject == ",".join(f"tennyu_yotei:{r.id}" for r in rows)
        ids = [r.id for r in rows]
    # sent again: skipped, never stored twice
    code, printed = receive_file(tmp_path, doc, capsys)
    assert code == 0 and json.loads(printed)["skipped"] == [doc["certificates"][0]["certificate_id"]]
    # the counter reads the third member's card: the whole household, every member pre-filled
    clerk = central.clerk(("clerk", "my_number_access"), login_id="c1")
    r = lookup(clerk, my_number=members[2]["my_number"])
    assert r.status_code == 200, r.text
    found = r.json()
    assert [m["tennyu_yotei_id"] for m in found["members"]] == ids
    assert [(m["my_number"], m["juminhyo_code"], m["relationship_to_head"])
            for m in found["members"]] == [(m["my_number"], m["juminhyo_code"],
                                            m["relationship_to_head"]) for m in members]
    assert found["householder_name"] == members[0]["name_kanji"]
    assert found["planned_date"] == doc["certificates"][0]["planned_date"]
    row = central.audit_rows("tennyu_yotei.lookup")[-1]
    assert (row.outcome, row.operator_login, row.purpose) == ("ok", "c1", "idou")
    assert row.subject == ",".join(f"tennyu_yotei:{i}" for i in ids)
    assert all(m["my_number"] not in json.dumps(row.detail) for m in members)
    # or by the 住民票コード the clerk types
    r = lookup(clerk, juminhyo_code=members[1]["juminhyo_code"])
    assert r.status_code == 200 and len(r.json()["members"]) == 4


def test_the_lookup_needs_the_my_number_right_and_the_refusal_is_audited(env, tmp_path, capsys):
    central = env
    doc = family()
    assert receive_file(tmp_path, doc, capsys)[0] == 0
    members = doc["certificates"][0]["members"]
    plain = central.clerk(("clerk",), login_id="c2")
    for key in ({"my_number": members[0]["my_number"]},
                {"juminhyo_code": members[0]["juminhyo_code"]}):
        r = lookup(plain, **key)
        assert r.status_code == 403 and r.json()["code"] == "forbidden", r.text
        assert "特定個人情報アクセス権限" in r.json()["detail_ja"]
        assert all(m["name_kanji"] not in r.text and m["my_number"] not in r.text for m in members)
        refused = central.audit_rows("tennyu_yotei.lookup")[-1]
        assert (refused.outcome, refused.operator_login) == ("denied", "c2")
        assert refused.subject == ",".join(f"tennyu_yotei:{i}" for i in range(1, 5))
    # nothing pending for this person: a specific problem, audited too
    holder = central.clerk(("clerk", "my_number_access"), login_id="c3")
    body = "81234567890"
    r = lookup(holder, my_number=body + str(mynumber.check_digit(body)))
    assert r.status_code == 404 and r.json()["code"] == "tennyu_yotei_not_found"
    assert central.audit_rows("tennyu_yotei.lookup")[-1].outcome == "rejected"


def test_the_cs_endpoint_for_the_link_operator_only(central):
    doc = document(23, 3, today=clock.today())
    clerk = central.clerk(("clerk", "my_number_access"), login_id="c1")
    r = clerk.post("/v1/cs/tenshutsu-joho", json=doc)
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    link = central.clerk(("it_admin",), login_id="cs1")
    r = link.post("/v1/cs/tenshutsu-joho", json=doc)
    assert r.status_code == 201, r.text
    persons = sum(len(c["members"]) for c in doc["certificates"])
    assert r.json() == {"received": 3, "persons": persons, "skipped": []}
    assert all(m["my_number"] is None or m["my_number"] not in r.text
               for c in doc["certificates"] for m in c["members"])
    # a wrong check digit: refused naming the field, not the value
    bad = document(24, 1, today=clock.today())
    number = bad["certificates"][0]["members"][1]["my_number"]
    bad["certificates"][0]["members"][1]["my_number"] = number[:11] + str((int(number[11]) + 1) % 10)
    r = link.post("/v1/cs/tenshutsu-joho", json=bad)
    assert r.status_code == 422 and r.json()["code"] == "my_number_check_digit"
    assert r.json()["field"] == "certificates.0.members.1.my_number"
    assert number[:11] not in r.text
    assert central.audit_rows("tennyu_yotei.receive")[-1].outcome == "rejected"


def _received(env, tmp_path, capsys, doc):
    assert receive_file(tmp_path, doc, capsys)[0] == 0
    clerk = env.clerk(("clerk", "my_number_access"))
    found = lookup(clerk, my_number=doc["certificates"][0]["members"][0]["my_number"]).json()
    return clerk, found


def test_a_family_tokurei_tennyu_carries_the_codes_and_numbers_over(env, tmp_path, capsys):
    central = env
    doc = family()
    clerk, found = _received(env, tmp_path, capsys, doc)
    moved_in = clock.today() - dt.timedelta(days=1)
    head = found["members"][0]
    r = post(clerk, tennyu_of(found, head, moved_in=moved_in))
    assert r.status_code == 201, r.text
    head_id = r.json()["resident_id"]
    household_no = clerk.get(f"/v1/residents/{head_id}",
                             params={"purpose": "idou"}).json()["household"]["household_no"]
    ids = [head_id]
    for m in found["members"][1:]:  # one member brought everyone's cards and typed their PINs
        r = post(clerk, tennyu_of(found, m, moved_in=moved_in, household={
            "household_no": household_no, "relationship_to_head": m["relationship_to_head"]}))
        assert r.status_code == 201, r.text
        ids.append(r.json()["resident_id"])
    with central.sessions() as db:
        for rid, m in zip(ids, found["members"]):
            res = db.get(Resident, rid)
            assert res.juminhyo_code == m["juminhyo_code"]  # 住民票コード carried over (法22①)
            assert central.cipher.decrypt(res.my_number_enc) == m["my_number"]  # 法7⑧の2
            assert res.relationship_to_head == m["relationship_to_head"]
            assert (res.former_surname, res.substitute_chars) == (m["former_surname"],
                                                                  m["substitute_chars"])
            assert res.history[-1].changes["tennyu_yotei"] == [None, found["certificate_id"]]
        rows = db.scalars(select(TennyuYotei).order_by(TennyuYotei.member_no)).all()
        assert [(r.status, r.resident_id) for r in rows] == [("arrived", i) for i in ids]
        assert any(r.former_surname for r in rows) and all(r.substitute_chars for r in rows)
    # used once: the same 転出証明書情報 cannot make a second 住民票
    r = post(clerk, tennyu_of(found, head, moved_in=moved_in))
    assert r.status_code == 409 and r.json()["code"] == "tennyu_yotei_used"
    r = lookup(clerk, my_number=head["my_number"])
    assert r.status_code == 404 and r.json()["code"] == "tennyu_yotei_not_found"


@pytest.mark.parametrize("moved_in_days_ago, planned_days_ago, code", [
    (15, 15, "tokurei_move_in_limit"),  # 住み始めた日から14日を過ぎた
    (3, 31, "tokurei_planned_date_limit"),  # 転出予定日から30日を過ぎた
    (-1, 2, "tokurei_too_early"),  # 住み始める前の届出
])
def test_the_date_limits_of_the_tokurei_tennyu(env, tmp_path, capsys, moved_in_days_ago,
                                               planned_days_ago, code):
    doc = family(planned_days_ago=planned_days_ago)
    clerk, found = _received(env, tmp_path, capsys, doc)
    moved_in = clock.today() - dt.timedelta(days=moved_in_days_ago)
    r = post(clerk, tennyu_of(found, found["members"][0], moved_in=moved_in))
    assert r.status_code == 422 and r.json()["code"] == code, r.text
    assert "転出証明書" in r.json()["detail_ja"] or code == "tokurei_too_early"


def test_the_limits_hold_on_their_last_day_and_are_a_setting(env, tmp_path, capsys):
    doc = family(planned_days_ago=30)
    clerk, found = _received(env, tmp_path, capsys, doc)
    last_day = clock.today() - dt.timedelta(days=14)
    r = post(clerk, tennyu_of(found, found["members"][0], moved_in=last_day))
    assert r.status_code == 201, r.text
    # a municipality that shortened its limit (policy setting tokurei_tennyu)
    with env.sessions.begin() as db:
        db.add(PolicySetting(key="tokurei_tennyu", value={"move_in_days": 14, "planned_days": 20},
                             updated_by="test", updated_at=dt.datetime(2026, 12, 7)))
    r = post(clerk, tennyu_of(found, found["members"][1], moved_in=last_day))
    assert r.status_code == 422 and r.json()["code"] == "tokurei_planned_date_limit"
    assert r.json()["days"] == 20


@pytest.mark.parametrize("changes, item", [
    ({"birth_date": "1970-01-01"}, "birth_date"),
    ({"sex": "female"}, "sex"),
    ({"name_kanji": "別人　太郎"}, "name_kanji"),
    ({"address": "架空県もみじ市紅葉町四丁目25番20号"}, "address"),
])
def test_a_card_that_differs_from_the_information_names_the_item(env, tmp_path, capsys, changes,
                                                                  item):
    doc = family()
    clerk, found = _received(env, tmp_path, capsys, doc)
    head = found["members"][0]
    if item == "sex":
        changes = {"sex": "female" if head["sex"] == "male" else "male"}
    card = card_of(head, found["address"], **changes)
    r = post(clerk, tennyu_of(found, head, moved_in=clock.today(), card=card))
    body = r.json()
    assert r.status_code == 422 and body["code"] == "tokurei_card_mismatch", r.text
    assert body["item"] == item and body["field"] == f"tokurei.card.{item}"
    labels = {"birth_date": "生年月日", "sex": "性別", "name_kanji": "氏名", "address": "住所"}
    assert labels[item] in body["detail_ja"]
    for value in (*changes.values(), head["birth_date"], head["name_kanji"], found["address"],
                  head["my_number"]):  # neither the card's values nor the information's
        assert str(value) not in r.text, value
    assert env.audit_rows("idou.tennyu")[-1].outcome == "rejected"


def test_another_persons_card_and_a_missing_pin_are_refused(env, tmp_path, capsys):
    doc = family()
    clerk, found = _received(env, tmp_path, capsys, doc)
    head, wife = found["members"][:2]
    wrong = card_of(wife, found["address"])  # the wife's card presented for the 世帯主
    r = post(clerk, tennyu_of(found, head, moved_in=clock.today(), card=wrong))
    assert r.json()["code"] == "tokurei_card_mismatch" and r.json()["item"] == "my_number"
    assert wife["my_number"] not in r.text and head["my_number"] not in r.text
    no_pin = card_of(head, found["address"], pin_verified=False)
    r = post(clerk, tennyu_of(found, head, moved_in=clock.today(), card=no_pin))
    assert r.json()["code"] == "tokurei_card_required"
    cmd = tennyu_of(found, head, moved_in=clock.today())
    cmd["tokurei"]["card"] = None
    r = post(clerk, cmd)
    assert r.json()["code"] == "tokurei_card_required"
    # the 届出 itself must be the information's: a typed birth date that differs is named
    r = post(clerk, tennyu_of(found, head, moved_in=clock.today(), birth_date="1999-09-09"))
    assert r.json()["code"] == "tokurei_info_mismatch" and r.json()["item"] == "birth_date"
    r = post(clerk, tennyu_of(found, head, moved_in=clock.today(), juminhyo_code="80000000001"))
    assert r.json()["code"] == "tokurei_info_mismatch" and r.json()["item"] == "juminhyo_code"


def test_a_card_with_the_substitute_character_matches_the_itaiji_name(env, tmp_path, capsys):
    """A 異体字 name (髙橋): the card may hold the 代替文字 (高橋); it is the same person."""
    doc = family(seed=11)
    members = doc["certificates"][0]["members"]
    assert members[0]["substitute_chars"], "the first family has a 外字 surname (synth_momiji)"
    clerk, found = _received(env, tmp_path, capsys, doc)
    head = found["members"][0]
    chars = list(head["name_kanji"])
    for s in head["substitute_chars"]:
        chars[s["position"]] = s["substitute"]
    card = card_of(head, found["address"], name_kanji="".join(chars))
    assert card["name_kanji"] != head["name_kanji"]
    r = post(clerk, tennyu_of(found, head, moved_in=clock.today(), card=card))
    assert r.status_code == 201, r.text


def test_the_second_city_sends_realistic_families():
    today = clock.today()
    doc = document(5, 40, today=today)
    certs = doc["certificates"]
    first = certs[0]["members"]
    assert [m["relationship_to_head"] for m in first] == ["世帯主", "妻", "子", "子"]
    assert all(m["card_held"] for m in first)
    people = [m for c in certs for m in c["members"]]
    assert all(mynumber.is_valid(m["my_number"]) for m in people if m["my_number"])
    # disjoint from さくら市's identifier ranges (synth.py: [10^10, 10^10 + 2^36))
    assert all(int(m["juminhyo_code"]) >= 80_000_000_000 for m in people)
    assert len({m["juminhyo_code"] for m in people}) == len(people)
    assert any(m["substitute_chars"] for m in people) and any(m["former_surname"] for m in people)
    rels = {m["relationship_to_head"] for m in people}
    assert {"世帯主", "妻", "子"} <= rels and rels & {"父", "母", "子の妻", "孫", "夫"}
    assert all(0 <= (today - dt.date.fromisoformat(c["planned_date"])).days <= 6 for c in certs)
    assert all(c["moved_out_to"].startswith("架空県さくら市") for c in certs)
    assert document(5, 40, today=today) == doc  # deterministic


def test_synth_tenshutsu_cli_writes_a_file_cs_receive_takes(env, tmp_path, capsys):
    out = tmp_path / "momiji.json"
    assert cli(["synth-tenshutsu", "--out", str(out), "--households", "5", "--seed", "3"]) == 0
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    capsys.readouterr()
    assert cli(["cs-receive", str(out)]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["received"] == 5 and got["persons"] == sum(
        len(c["members"]) for c in json.loads(out.read_text(encoding="utf-8"))["certificates"])


def test_a_tokurei_tennyu_needs_the_my_number_right(env, tmp_path, capsys):
    """The card's 個人番号 is compared and carried over: without 特定個人情報アクセス権限 the 届出 is
    refused before anything is compared, so no answer tells whether a number is the 転入予定者's
    (AUTHZ-1/2, #21 class 2)."""
    doc = family()
    _, found = _received(env, tmp_path, capsys, doc)
    plain = env.clerk(("clerk",), login_id="c9")
    head = found["members"][0]
    for card in (card_of(head, found["address"]),
                 card_of(head, found["address"], my_number=found["members"][1]["my_number"])):
        cmd = tennyu_of(found, head, moved_in=clock.today(), card=card, my_number=None)
        r = post(plain, cmd)
        assert r.status_code == 403 and r.json()["code"] == "forbidden", r.text
    with env.sessions() as db:
        assert db.scalar(select(TennyuYotei.status).where(TennyuYotei.id == head["tennyu_yotei_id"])) \
            == "pending"


def _paper_tennyu(**changes):
    """A 転入 with a paper 転出証明書 typed by the clerk, and the 届出 that agrees with it."""
    body = "85000000123"
    number = body + str(mynumber.check_digit(body))
    paper = {"from_municipality": "架空県もみじ市", "juminhyo_code": "85000000456",
             "my_number": number, "name_kanji": "紙田　証子", "birth_date": "1985-03-04",
             "sex": "female", "address": "架空県もみじ市錦町二丁目3番4号",
             "moved_out_to": "架空県さくら市桜町一丁目1番1号",
             "planned_date": (clock.today() - dt.timedelta(days=3)).isoformat()}
    person = {"name_kanji": "紙田　証子", "name_kana": "カミタ　ショウコ", "birth_date": "1985-03-04",
              "sex": "female", "my_number": number, "juminhyo_code": "85000000456",
              "postal_code": "9990001", "address": "架空県さくら市桜町一丁目1番1号"}
    cmd = {"kind": "tennyu", "idou_date": (clock.today() - dt.timedelta(days=2)).isoformat(),
           "todoke_date": clock.today().isoformat(), "person": person,
           "moved_in_from": "架空県もみじ市錦町2丁目3番4号", "tenshutsu_shomeisho": paper}
    for key, value in changes.items():
        where, _, item = key.partition("__")
        (cmd if where == "cmd" else person if where == "person" else paper)[item] = value
    return cmd, number


@pytest.mark.parametrize("changes, item", [
    ({"person__birth_date": "1985-03-05"}, "birth_date"),
    ({"person__name_kanji": "紙田　正子"}, "name_kanji"),
    ({"person__juminhyo_code": "85000000999"}, "juminhyo_code"),
    ({"cmd__moved_in_from": "架空県もみじ市錦町九丁目9番9号"}, "moved_in_from"),
])
def test_a_paper_certificate_that_differs_from_the_todoke_names_the_item(central, changes, item):
    clerk = central.clerk(("clerk", "my_number_access"), login_id="c1")
    cmd, _ = _paper_tennyu(**changes)
    r = post(clerk, cmd)
    assert r.status_code == 422 and r.json()["code"] == "tenshutsu_shomeisho_mismatch", r.text
    assert r.json()["item"] == item
    for value in (*changes.values(), "1985-03-04", "紙田", "85000000456"):
        assert value not in r.text, value


def test_a_paper_certificate_carries_the_codes_over(central):
    clerk = central.clerk(("clerk", "my_number_access"), login_id="c1")
    cmd, number = _paper_tennyu()
    r = post(clerk, cmd)
    assert r.status_code == 201, r.text
    with central.sessions() as db:
        res = db.get(Resident, r.json()["resident_id"])
        assert res.juminhyo_code == "85000000456"
        assert central.cipher.decrypt(res.my_number_enc) == number
    # a certificate's number typed by a clerk without the right: refused, nothing compared
    plain = central.clerk(("clerk",), login_id="c2")
    cmd, _ = _paper_tennyu(person__my_number=None, person__juminhyo_code="85000000457",
                           paper__juminhyo_code="85000000457", person__name_kanji="紙田　別子",
                           paper__name_kanji="紙田　別子")
    r = post(plain, cmd)
    assert r.status_code == 403 and r.json()["code"] == "forbidden"


def test_cs_receive_of_a_wrong_file_names_fields_never_values(env, tmp_path, capsys):
    doc = family()
    member = doc["certificates"][0]["members"][2]
    member["my_number"] = member["my_number"][:11]  # 11 digits: malformed
    member["sex"] = "unknown"
    code, printed = receive_file(tmp_path, doc, capsys)
    assert code == 1 and "invalid_request" in printed
    assert "certificates.0.members.2.my_number" in printed
    assert member["my_number"] not in printed and member["name_kanji"] not in printed
    with env.sessions() as db:
        assert db.scalar(select(TennyuYotei.id)) is None  # refused as a whole
