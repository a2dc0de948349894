"""職権記載・職権消除・職権修正 (K-DQ-16, K-WF-6.7, counter-domain.md §4): entered by a clerk with the
reason and the 実態調査, decided by a supervisor who is not the entrant (DQ-1), applied as an
ordinary 異動 whose 記載等の種別 is 職権 in the 異動履歴, the change feed and the 異動リスト (DQ-2)."""
from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select

from central import clock  # today in JST, as the centre dates everything
from central.models import Case, ResidentHistory, Resident
from tests.central.factories import my_number, new_resident

TODAY = clock.today()


def _evidence(**kw) -> dict:
    inv = {"investigated_on": (TODAY - dt.timedelta(days=2)).isoformat(),
           "investigators": ["chosa1", "chosa2"], "method": "site_visit",
           "finding": "2回の現地調査で居住の実態なし。郵便物は返戻、管理会社より退去済みと回答"}
    inv.update(kw)
    return inv


def _shojo(made: dict, **kw) -> dict:
    body = {"kind": "shokken_shojo", "resident_id": made["resident_id"],
            "expected_version": made["version"], "idou_date": None, "idou_date_unknown": True,
            "reason": "不現住（実態調査により居住の事実なし）", "investigation": _evidence()}
    body.update(kw)
    return body


def _submit(client, body, key=None):
    return client.post("/v1/shokken", json=body,
                       headers={"Idempotency-Key": key or str(uuid.uuid4())})


def _approve(client, case_id, key=None):
    return client.post(f"/v1/shokken/{case_id}/approve",
                       headers={"Idempotency-Key": key or str(uuid.uuid4())})


def _record(client, rid):
    r = client.get(f"/v1/residents/{rid}", params={"purpose": "idou"})
    assert r.status_code == 200, r.text
    return r.json()


def test_shokken_shojo_entered_by_a_clerk_is_decided_by_another_supervisor(central):
    """K-DQ-16: clerk A enters a 職権消除; A cannot decide it, neither can a reviewer through 審査,
    nor a supervisor who entered it; supervisor B approves: 消除 (職権消除) shown as 職権."""
    a = central.clerk(login_id="clerkA")
    made = new_resident(a, name_kanji="不現　住男", name_kana="フゲン　スミオ")
    r = _submit(a, _shojo(made))
    assert r.status_code == 201, r.text
    case_id = r.json()["case_id"]
    assert r.json()["kind"] == "shokken_shojo" and r.json()["status"] == "submitted"
    with central.sessions() as db:  # nothing applied yet
        assert db.get(Resident, made["resident_id"]).status == "current"
        assert db.get(Case, case_id).command["investigation"]["investigators"] == [
            "chosa1", "chosa2"]

    # A (a clerk) has no 決裁 right at all
    refused = _approve(a, case_id)
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    # a reviewer's 審査 is not a 決裁
    reviewer = central.clerk(("reviewer",), login_id="rev1")
    assert case_id not in [c["id"] for c in reviewer.get("/v1/cases").json()["items"]]
    r = reviewer.post(f"/v1/cases/{case_id}/approve",
                      headers={"Idempotency-Key": str(uuid.uuid4())})
    assert r.status_code == 403 and r.json()["code"] == "shokken_needs_supervisor"

    # B sees the queue with the reason, the 実態調査 and the current record
    b = central.clerk(("supervisor",), login_id="kachoB")
    queue = b.get("/v1/shokken").json()["items"]
    assert [c["id"] for c in queue] == [case_id]
    assert queue[0]["command"]["reason"].startswith("不現住")
    assert queue[0]["command"]["investigation"]["method"] == "site_visit"
    assert queue[0]["current"]["id"] == made["resident_id"] and not queue[0]["record_changed"]
    assert queue[0]["entered_by"] == "clerkA"

    key = str(uuid.uuid4())
    ok = _approve(b, case_id, key)
    assert ok.status_code == 200, ok.text
    assert ok.json()["status"] == "approved" and ok.json()["kind"] == "shokken_shojo"
    assert _approve(b, case_id, key).json() == ok.json()  # replay: applied once
    assert _approve(b, case_id).json()["code"] == "case_not_open"

    record = _record(a, made["resident_id"])
    assert record["status"] == "removed" and record["removal_reason"] == "職権消除"
    assert record["removed_on_unknown"] is True
    last = record["history"][-1]
    assert (last["kind"], last["reason"], last["entry_kind"], last["shokken"]) == (
        "shokken_shojo", "職権消除", "shokken", True)
    assert last["approved_by"] == "kachoB" and last["todoke_date"] is None
    assert record["history"][0]["shokken"] is False  # the 転入 was by 届出
    with central.sessions() as db:
        h = db.scalar(select(ResidentHistory).where(ResidentHistory.kind == "shokken_shojo"))
        assert (h.operator_login, h.approved_by, h.case_id) == ("clerkA", "kachoB", case_id)

    # the change feed shows it as 職権 (its op), with no personal data
    feed = b.get("/v1/changes").json()["items"]
    mine = [c for c in feed if c["entity"] == "resident" and
            c["entity_id"] == made["resident_id"]]
    assert [c["op"] for c in mine] == ["tennyu", "shokken_shojo"]
    # and the 異動リスト of the day
    rows = b.get("/v1/idou-list").json()["rows"]
    row = next(x for x in rows if x["kind"] == "shokken_shojo")
    assert (row["entry_kind_ja"], row["kind_ja"], row["operator"], row["approved_by"]) == (
        "職権", "職権消除", "clerkA", "kachoB")

    steps = [(x.action, x.outcome, x.operator_login) for x in central.audit_rows()
             if x.action.startswith(("shokken.", "idou.shokken", "case.approve"))]
    assert ("shokken.submit", "ok", "clerkA") in steps
    assert ("case.approve", "rejected", "rev1") in steps
    assert ("idou.shokken_shojo", "ok", "clerkA") in steps  # applied as the entrant's entry
    assert ("shokken.approve", "ok", "kachoB") in steps


def test_a_supervisor_never_decides_their_own_entry(central):
    """K-DQ-16 / DQ-1: a supervisor may enter a 職権 entry, never approve or return it."""
    setup = central.clerk(login_id="setup")
    made = new_resident(setup)
    s1 = central.clerk(("supervisor",), login_id="kacho1")
    case_id = _submit(s1, _shojo(made)).json()["case_id"]
    r = _approve(s1, case_id)
    assert r.status_code == 403 and r.json()["code"] == "shokken_decider_is_entrant"
    assert "入力した本人は決裁できません" in r.json()["detail_ja"]
    r = s1.post(f"/v1/shokken/{case_id}/return", json={"reason": "自己決裁"})
    assert r.status_code == 403 and r.json()["code"] == "shokken_decider_is_entrant"
    with central.sessions() as db:
        assert db.get(Resident, made["resident_id"]).status == "current"
        assert db.get(Case, case_id).status == "submitted"
    refused = [(x.action, x.outcome, x.detail.get("code")) for x in central.audit_rows()
               if x.operator_login == "kacho1" and x.outcome != "ok"]
    assert ("shokken.approve", "rejected", "shokken_decider_is_entrant") in refused
    assert ("shokken.return", "denied", "shokken_decider_is_entrant") in refused
    # another supervisor returns it with a reason: nothing applied
    s2 = central.clerk(("supervisor",), login_id="kacho2")
    r = s2.post(f"/v1/shokken/{case_id}/return", json={"reason": "調査記録の不足（2回目の訪問）"})
    assert r.status_code == 200 and r.json()["status"] == "returned"
    with central.sessions() as db:
        assert db.get(Resident, made["resident_id"]).status == "current"
        assert db.get(Case, case_id).review_reason.startswith("調査記録の不足")
    assert [c["id"] for c in s2.get("/v1/shokken", params={"status": "returned"})
            .json()["items"]] == [case_id]


def test_shokken_kisai_adds_a_person_with_the_checks_of_a_tennyu(central):
    """職権記載: a person found living here without a 転入届 enters the register, as 職権."""
    clerk = central.clerk(("clerk", "my_number_access"), login_id="clerkK")
    number = my_number()
    body = {"kind": "shokken_kisai", "idou_date": (TODAY - dt.timedelta(days=40)).isoformat(),
            "reason": "居住の実態あり（転入届の催告に応じず）",
            "investigation": _evidence(method="documents", investigators=["clerkK"],
                                       finding="国保・税の記録と賃貸契約で居住を確認"),
            "person": {"name_kanji": "職権　記子", "name_kana": "ショッケン　キコ",
                       "birth_date": "1988-04-01", "sex": "female", "my_number": number,
                       "postal_code": "9990002", "address": "架空県さくら市松町二丁目3番4号"},
            "moved_in_from": None}
    case_id = _submit(clerk, body).json()["case_id"]
    sup = central.clerk(("supervisor",), login_id="kacho")
    queue = sup.get("/v1/shokken").text
    assert number not in queue and "************" in queue  # no 特定個人情報アクセス権限
    ok = _approve(sup, case_id)
    assert ok.status_code == 200, ok.text
    rid = ok.json()["resident_id"]
    record = _record(clerk, rid)
    assert record["name_kanji"] == "職権　記子" and record["status"] == "current"
    assert record["moved_in_from"] is None and record["my_number"] == number
    assert [(h["kind"], h["reason"], h["shokken"]) for h in record["history"]] == [
        ("shokken_kisai", "職権記載", True)]
    # the same person again is refused as a 転入 would be
    again = _submit(clerk, body)
    assert again.status_code == 422 and again.json()["code"] == "already_resident"
    # a 職権記載 carrying a My Number from a clerk without the right is refused
    plain = central.clerk(login_id="plain")
    r = _submit(plain, dict(body, person=dict(body["person"], my_number=my_number(),
                                              name_kanji="別人　花子")))
    assert r.status_code == 403 and r.json()["code"] == "forbidden"


def test_shokken_shusei_corrects_recorded_items(central):
    """職権修正 (K-WF-6.7): items corrected as entered, the history says 職権修正 with the fields."""
    clerk = central.clerk(login_id="clerkS")
    made = new_resident(clerk, name_kanji="誤記　太朗", name_kana="ゴキ　タロウ")
    body = {"kind": "shokken_shusei", "resident_id": made["resident_id"],
            "expected_version": made["version"], "idou_date": TODAY.isoformat(),
            "reason": "本籍地からの通知による氏名の誤記の修正",
            "investigation": _evidence(method="notice", investigators=["clerkS"],
                                       finding="本籍地の戸籍謄本と照合し、氏名の誤記を確認"),
            "changes": {"name_kanji": "誤記　太郎", "honseki": "架空県もみじ市本町1番地"}}
    case_id = _submit(clerk, body).json()["case_id"]
    sup = central.clerk(("supervisor",), login_id="kacho")
    ok = _approve(sup, case_id)
    assert ok.status_code == 200, ok.text
    record = _record(clerk, made["resident_id"])
    assert record["name_kanji"] == "誤記　太郎" and record["honseki"] == "架空県もみじ市本町1番地"
    last = record["history"][-1]
    assert (last["kind"], last["reason"], last["shokken"]) == ("shokken_shusei", "職権修正", True)
    # the corrected name is found by the search (its search keys follow the correction)
    found = clerk.get("/v1/residents", params={"purpose": "idou", "name": "誤記太郎",
                                                "birth_date": record["birth_date"]}).json()
    assert [x["id"] for x in found["items"]] == [made["resident_id"]]
    with central.sessions() as db:
        h = db.get(ResidentHistory, ok.json()["history_id"])
        assert h.changes["name_kanji"] == ["誤記　太朗", "誤記　太郎"]


def test_entry_checks(central):
    """The evidence is required and bounded; what may not be corrected is refused by name."""
    clerk = central.clerk()
    made = new_resident(clerk)
    # a site visit by one person only
    r = _submit(clerk, _shojo(made, investigation=_evidence(investigators=["chosa1"])))
    assert r.status_code == 422 and r.json()["code"] == "shokken_evidence_required"
    # blank reason, overlong finding, an investigation in the future
    assert _submit(clerk, _shojo(made, reason="　")).json()["code"] == "shokken_evidence_required"
    r = _submit(clerk, _shojo(made, investigation=_evidence(finding="あ" * 1001)))
    assert r.status_code == 422 and r.json()["field"].endswith("investigation.finding")
    future = (TODAY + dt.timedelta(days=1)).isoformat()
    r = _submit(clerk, _shojo(made, investigation=_evidence(investigated_on=future)))
    assert r.status_code == 422 and r.json()["code"] == "date_in_future"
    # the 個人番号 and the 住民票コード are never corrected by 職権修正
    base = {"kind": "shokken_shusei", "resident_id": made["resident_id"],
            "expected_version": made["version"], "idou_date": TODAY.isoformat(),
            "reason": "誤記", "investigation": _evidence(method="documents")}
    for field in ("my_number", "juminhyo_code", "status"):
        r = _submit(clerk, dict(base, changes={field: "123456789012"}))
        assert r.status_code == 422 and r.json()["code"] == "invalid_request", field
        assert "123456789012" not in r.text
    r = _submit(clerk, dict(base, changes={"name_kana": "ごき"}))
    assert r.json()["code"] == "kana_invalid"
    record = _record(clerk, made["resident_id"])
    r = _submit(clerk, dict(base, changes={"address": record["address"]}))
    assert r.json()["code"] == "shokken_no_change"
    # a stale version is refused at entry
    r = _submit(clerk, _shojo(made, expected_version=made["version"] + 1))
    assert r.status_code == 409 and r.json()["code"] == "version_conflict"
    # contractor staff do not enter 職権 (an act of the mayor's authority)
    contractor = central.clerk(("contractor_clerk",))
    assert _submit(contractor, _shojo(made)).json()["code"] == "forbidden"
    with central.sessions() as db:
        assert db.scalars(select(Case)).all() == []


def test_approval_refused_when_the_record_changed_since_entry(central):
    """DQ-8: a 職権消除 entered against version n is not applied on version n+1."""
    clerk = central.clerk()
    made = new_resident(clerk)
    case_id = _submit(clerk, _shojo(made)).json()["case_id"]
    r = clerk.post("/v1/commands/idou", json={
        "kind": "tenkyo", "resident_id": made["resident_id"], "expected_version": made["version"],
        "idou_date": TODAY.isoformat(), "todoke_date": TODAY.isoformat(),
        "changes": {"address": "架空県さくら市梅町1番1号"}},
        headers={"Idempotency-Key": str(uuid.uuid4())})
    assert r.status_code == 201, r.text
    sup = central.clerk(("supervisor",))
    r = _approve(sup, case_id)
    assert r.status_code == 409 and r.json()["code"] == "record_changed_since_entry"
    with central.sessions() as db:
        assert db.get(Resident, made["resident_id"]).status == "current"
