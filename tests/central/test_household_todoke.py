"""世帯の届出 (#22 point 1): one 届出 for several 異動者, checked on submission, applied all or
none after 審査 (K-WF-5.1, K-DQ-5), with the household's logical checks (K-DQ-1), each person's
異動履歴 row and change-feed entry under the 届出's command id for the 異動リスト (K-DQ-6), and the
records it read checked again on approval (K-DQ-7). Every test runs on SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import func, select

from central import clock  # today in JST, as the centre dates everything
from central.household import RELATIONSHIPS
from central.models import Change, Household, Resident, ResidentHistory
from tests.central.factories import post

TODAY = clock.today()
IDOU = (TODAY - dt.timedelta(days=3)).isoformat()
HOME = "架空県さくら市桜町二丁目3番4号"
FLAT = "架空県さくら市梅町五丁目6番7号"


def person(kanji: str, kana: str, birth: str, sex: str, address: str = HOME) -> dict:
    return {"name_kanji": kanji, "name_kana": kana, "birth_date": birth, "sex": sex,
            "postal_code": "9990001", "address": address, "katagaki": None}


def todoke(members: list[dict], **kw) -> dict:
    body = {"kind": "setai", "idou_date": IDOU, "todoke_date": TODAY.isoformat(),
            "members": members}
    body.update(kw)
    return body


def newcomer(rel: str, p: dict, to: str = "new") -> dict:
    return {"event": "tennyu", "person": p, "to": to, "relationship_to_head": rel}


def resident(made: dict, event: str, **kw) -> dict:
    return {"event": event, "resident_id": made["resident_id"],
            "expected_version": made["version"], **kw}


FAMILY = [
    newcomer("世帯主", person("世帯　一郎", "セタイ　イチロウ", "1984-04-02", "male")),
    newcomer("妻", person("世帯　花子", "セタイ　ハナコ", "1986-07-15", "female")),
    newcomer("子", person("世帯　太郎", "セタイ　タロウ", "2016-05-05", "male")),
    newcomer("子", person("世帯　桜", "セタイ　サクラ", "2019-03-03", "female")),
]


def _submit(client, body):
    return client.post("/v1/cases/idou", json=body,
                       headers={"Idempotency-Key": str(uuid.uuid4())})


def _approve(client, case_id):
    return client.post(f"/v1/cases/{case_id}/approve",
                       headers={"Idempotency-Key": str(uuid.uuid4())})


class Counter:
    """An entrant and a reviewer (DQ-1: never the same person)."""

    def __init__(self, central):
        self.central = central
        self.clerk = central.clerk()
        self.reviewer = central.clerk(("reviewer",))

    def through_review(self, body) -> dict:
        r = _submit(self.clerk, body)
        assert r.status_code == 201, r.text
        ok = _approve(self.reviewer, r.json()["case_id"])
        assert ok.status_code == 200, ok.text
        return ok.json()

    def refused(self, body, code: str, field: str | None = None) -> dict:
        r = _submit(self.clerk, body)
        assert r.status_code == 422, r.text
        got = r.json()
        assert got["code"] == code, got
        assert got["detail_ja"] and not got["detail_ja"].isascii()
        if field is not None:
            assert got.get("field") == field, got
        return got

    def applied(self, body) -> list[dict]:
        """Applied at once (POST /v1/commands/idou): the members' answers."""
        r = post(self.clerk, body)
        assert r.status_code == 201, r.text
        return r.json()["members"]


def family_of_four(counter: Counter) -> list[dict]:
    return counter.applied(todoke(FAMILY, moved_in_from="架空県もみじ市本町1番1号"))


def _household_of(central, resident_id: int) -> list[tuple[str, str, str]]:
    """(name, 続柄, status) of every current member of the resident's 世帯, by id."""
    with central.sessions() as db:
        hid = db.get(Resident, resident_id).household_id
        rows = db.scalars(select(Resident).where(Resident.household_id == hid,
                                                 Resident.status == "current")
                          .order_by(Resident.id))
        return [(r.name_kanji, r.relationship_to_head, r.address) for r in rows]


def _counts(central) -> tuple[int, int, int, int]:
    with central.sessions() as db:
        return (db.scalar(select(func.count()).select_from(Resident)),
                db.scalar(select(func.count()).select_from(Household)),
                db.scalar(select(func.count()).select_from(ResidentHistory)),
                db.scalar(select(func.count()).select_from(Change)
                          .where(Change.entity == "resident")))


def test_a_family_of_four_moves_in_as_one_new_household_after_review(central):
    counter = Counter(central)
    answer = counter.through_review(todoke(FAMILY, moved_in_from="架空県もみじ市本町1番1号"))
    assert answer["status"] == "approved" and answer["kind"] == "setai"
    ids = [m["resident_id"] for m in answer["members"]]
    assert len(set(ids)) == 4
    assert _household_of(central, ids[0]) == [
        ("世帯　一郎", "世帯主", HOME), ("世帯　花子", "妻", HOME), ("世帯　太郎", "子", HOME),
        ("世帯　桜", "子", HOME)]
    key = answer["command_id"]
    with central.sessions() as db:  # the 異動リスト's rows: one per person, one command id
        rows = db.scalars(select(ResidentHistory).where(ResidentHistory.command_id == key)
                          .order_by(ResidentHistory.id)).all()
        assert [(h.resident_id, h.kind, h.reason) for h in rows] == [
            (i, "tennyu", "転入") for i in ids]
        assert len({h.operator_login for h in rows}) == 1
        feed = db.scalars(select(Change).where(Change.command_id == key,
                                               Change.entity == "resident")).all()
        assert sorted((c.entity_id, c.op) for c in feed) == sorted((i, "tennyu") for i in ids)
        assert all(db.get(Resident, i).moved_in_from == "架空県もみじ市本町1番1号" for i in ids)
    audit = [e for e in central.audit_rows("idou.tennyu") if e.detail.get("command_id") == key]
    assert sorted(e.subject for e in audit) == sorted(f"resident:{i}" for i in ids)


def test_a_mother_and_a_lodger_move_into_an_existing_household(central):
    counter = Counter(central)
    fam = family_of_four(counter)
    with central.sessions() as db:
        hno = db.get(Resident, fam[0]["resident_id"]).household.household_no
    answer = counter.through_review(todoke([
        newcomer("母", person("世帯　梅", "セタイ　ウメ", "1956-01-20", "female"), "target"),
        newcomer("同居人", person("下宿　学", "ゲシュク　マナブ", "2004-09-09", "male"), "target"),
    ], household_no=hno, moved_in_from="架空県もみじ市川町2番2号"))
    assert [m["reason"] for m in answer["members"]] == ["転入（世帯加入）"] * 2
    got = _household_of(central, fam[0]["resident_id"])
    assert [(n, rel) for n, rel, _ in got] == [
        ("世帯　一郎", "世帯主"), ("世帯　花子", "妻"), ("世帯　太郎", "子"), ("世帯　桜", "子"),
        ("世帯　梅", "母"), ("下宿　学", "同居人")]


def test_a_partial_tenkyo_splits_off_a_new_household(central):
    """世帯分離: the grown-up son moves to a flat in the city as 世帯主 of his own 世帯."""
    counter = Counter(central)
    members = [*FAMILY[:2], newcomer("子", person("世帯　健", "セタイ　ケン", "2002-11-11", "male"))]
    fam = counter.applied(todoke(members, moved_in_from="架空県もみじ市本町1番1号"))
    son = fam[2]
    answer = counter.through_review(todoke(
        [resident(son, "tenkyo", to="new", relationship_to_head="世帯主")],
        address={"postal_code": "9990002", "address": FLAT, "katagaki": "梅荘101号"}))
    assert [m["reason"] for m in answer["members"]] == ["転居（世帯分離）"]
    assert _household_of(central, son["resident_id"]) == [("世帯　健", "世帯主", FLAT)]
    assert [(n, rel) for n, rel, _ in _household_of(central, fam[0]["resident_id"])] == [
        ("世帯　一郎", "世帯主"), ("世帯　花子", "妻")]
    with central.sessions() as db:
        r = db.get(Resident, son["resident_id"])
        assert (r.previous_address, r.katagaki, r.postal_code) == (HOME, "梅荘101号", "9990002")
        assert r.history[-1].changes["household_no"][0] != r.household.household_no
    # The same move without a new 世帯 would leave one 世帯 at two addresses.
    counter.refused(todoke([resident(dict(son, version=answer["members"][0]["version"]),
                                     "setai_henko", to="target",
                                     relationship_to_head="子")],
                           household_no=_hno(central, fam[0])),
                    "household_address_split", "address")


def _hno(central, made) -> str:
    with central.sessions() as db:
        return db.get(Resident, made["resident_id"]).household.household_no


def _adult_family(counter) -> list[dict]:
    members = [*FAMILY[:2], newcomer("子", person("世帯　健", "セタイ　ケン", "2002-11-11", "male")),
               FAMILY[3]]
    return counter.applied(todoke(members, moved_in_from="架空県もみじ市本町1番1号"))


def test_the_heads_death_needs_a_setai_nushi_henko_when_two_adults_remain(central):
    counter = Counter(central)
    fam = _adult_family(counter)
    head, wife = fam[0], fam[1]
    before = _counts(central)
    got = counter.refused(todoke([resident(head, "shibou")]), "setai_nushi_henko_required",
                          "members")
    assert sorted(got["candidates"]) == sorted([wife["resident_id"], fam[2]["resident_id"]])
    assert _counts(central) == before  # refused: nothing kept
    answer = counter.through_review(todoke([
        resident(head, "shibou"),
        resident(wife, "setai_henko", relationship_to_head="世帯主")]))
    assert [(m["kind"], m["reason"]) for m in answer["members"]] == [
        ("shibou", "死亡"), ("setai_henko", "世帯変更（世帯主変更）")]
    # the children stay 子 of the new head, their mother (RESTATED): no change, no row
    assert [(n, rel) for n, rel, _ in _household_of(central, wife["resident_id"])] == [
        ("世帯　花子", "世帯主"), ("世帯　健", "子"), ("世帯　桜", "子")]
    with central.sessions() as db:
        dead = db.get(Resident, head["resident_id"])
        assert (dead.status, dead.removal_reason) == ("removed", "死亡")


def test_with_one_adult_remaining_the_register_makes_them_head(central):
    """counter-domain.md §2.3: the widow with children under 15 is self-evidently 世帯主."""
    counter = Counter(central)
    fam = family_of_four(counter)
    answer = counter.through_review(todoke([resident(fam[0], "shibou")]))
    assert [(m["resident_id"], m["reason"]) for m in answer["members"]] == [
        (fam[0]["resident_id"], "死亡"), (fam[1]["resident_id"], "世帯変更（世帯主変更）")]
    assert [(n, rel) for n, rel, _ in _household_of(central, fam[1]["resident_id"])] == [
        ("世帯　花子", "世帯主"), ("世帯　太郎", "子"), ("世帯　桜", "子")]
    with central.sessions() as db:  # the consequence is in the change feed too
        ops = db.scalars(select(Change.op).where(Change.command_id == answer["command_id"])
                         .order_by(Change.seq)).all()
        assert ops == ["shibou", "setai_henko"]


def test_a_birth_joins_the_mothers_household(central):
    counter = Counter(central)
    fam = family_of_four(counter)
    birth = (TODAY - dt.timedelta(days=5)).isoformat()
    baby = {"event": "shussei", "mother_id": fam[1]["resident_id"],
            "person": person("世帯　光", "セタイ　ヒカリ", birth, "female")}
    answer = counter.through_review(todoke([baby], idou_date=birth))
    assert [m["reason"] for m in answer["members"]] == ["出生"]
    assert _household_of(central, fam[0]["resident_id"])[-1] == ("世帯　光", "子", HOME)
    # the mother must be a woman older than the child
    baby2 = dict(baby, mother_id=fam[2]["resident_id"],
                 person=person("世帯　望", "セタイ　ノゾミ", birth, "male"))
    counter.refused(todoke([baby2], idou_date=birth), "mother_inconsistent",
                    "members[0].mother_id")


def test_some_members_move_out_and_the_household_stays(central):
    counter = Counter(central)
    fam = _adult_family(counter)
    answer = counter.through_review(todoke(
        [resident(fam[2], "tenshutsu"), resident(fam[3], "tenshutsu")],
        moved_out_to="架空県かえで市北町3番3号"))
    assert [m["reason"] for m in answer["members"]] == ["転出", "転出"]
    assert [(n, rel) for n, rel, _ in _household_of(central, fam[0]["resident_id"])] == [
        ("世帯　一郎", "世帯主"), ("世帯　花子", "妻")]
    with central.sessions() as db:
        gone = db.get(Resident, fam[2]["resident_id"])
        assert (gone.status, gone.moved_out_to) == ("removed", "架空県かえで市北町3番3号")


def test_two_households_merge(central):
    """世帯合併: the widowed mother, 世帯主 of her own 世帯 at the same address, joins her son's."""
    counter = Counter(central)
    fam = family_of_four(counter)
    mother = counter.applied(todoke(
        [newcomer("世帯主", person("世帯　梅", "セタイ　ウメ", "1956-01-20", "female"))],
        moved_in_from="架空県もみじ市川町2番2号"))[0]
    assert _hno(central, mother) != _hno(central, fam[0])
    answer = counter.through_review(todoke(
        [resident(mother, "setai_henko", to="target", relationship_to_head="母")],
        household_no=_hno(central, fam[0])))
    assert [m["reason"] for m in answer["members"]] == ["世帯変更（世帯合併）"]
    assert [(n, rel) for n, rel, _ in _household_of(central, fam[0]["resident_id"])][-1] == \
        ("世帯　梅", "母")


def test_each_household_check_refuses_with_its_code_and_field(central):
    counter = Counter(central)
    p = FAMILY[0]["person"]
    older_child = person("年上　子", "トシウエ　コ", "1970-01-01", "male")
    cases = [
        ([newcomer("世帯主", p), newcomer("世帯主", FAMILY[1]["person"])],
         "household_head_multiple", "members[1].relationship_to_head"),
        ([newcomer("妻", FAMILY[1]["person"]), newcomer("子", FAMILY[2]["person"])],
         "household_head_missing", "members[0].relationship_to_head"),
        ([newcomer("世帯主", p), newcomer("妻", FAMILY[1]["person"]),
          newcomer("妻", person("重複　妻", "チョウフク　ツマ", "1990-01-01", "female"))],
         "spouse_multiple", "members[2].relationship_to_head"),
        ([newcomer("世帯主", p), newcomer("子", older_child)],
         "relationship_age_inconsistent", "members[1].relationship_to_head"),
        ([newcomer("世帯主", p), newcomer("母", person("男　母", "オトコ　ハハ", "1950-01-01",
                                                     "male"))],
         "relationship_sex_inconsistent", "members[1].relationship_to_head"),
        ([newcomer("世帯主", p), newcomer("長男", FAMILY[2]["person"])],
         "relationship_unknown", "members[1].relationship_to_head"),
        ([newcomer("世帯主", FAMILY[2]["person"]),
          newcomer("同居人", person("大人　同居", "オトナ　ドウキョ", "1990-01-01", "male"))],
         "household_head_minor", "members[0].relationship_to_head"),
        ([newcomer("世帯主", p), newcomer("妻", FAMILY[1]["person"]),
          newcomer("子", FAMILY[1]["person"])],
         "duplicate_member", "members[2].person"),
        ([newcomer("世帯主", p), newcomer("妻", person("別住所　妻", "ベツジュウショ　ツマ",
                                                    "1986-01-01", "female", FLAT))],
         "household_address_split", "members[1].person.address"),
        ([newcomer("世帯主", p)], "relationship_required", "members[0].relationship_to_head"),
    ]
    cases[-1][0][0]["relationship_to_head"] = None
    before = _counts(central)
    for members, code, field in cases:
        counter.refused(todoke(members, moved_in_from="架空県もみじ市本町1番1号"), code, field)
    assert _counts(central) == before
    fam = family_of_four(counter)
    before = _counts(central)
    # nobody in two households: a current resident cannot move in again, nor be named twice
    counter.refused(todoke([newcomer("世帯主", FAMILY[0]["person"])],
                           moved_in_from="架空県もみじ市本町1番1号"),
                    "already_resident", "members[0].person")
    counter.refused(todoke([resident(fam[2], "tenshutsu"), resident(fam[2], "tenshutsu")],
                           moved_out_to="架空県かえで市北町3番3号"),
                    "duplicate_member", "members[1].resident_id")
    # a household is never left without a head: the head cannot simply step down
    counter.refused(todoke([resident(fam[0], "setai_henko", relationship_to_head="同居人")]),
                    "setai_nushi_henko_required", "members")
    # nor become a 転居 of one member inside the same household at another address
    counter.refused(todoke([resident(fam[2], "tenkyo")],
                           address={"postal_code": "9990002", "address": FLAT}),
                    "household_address_split", "address")
    assert _counts(central) == before
    assert set(RELATIONSHIPS) >= {"世帯主", "妻", "夫", "子", "父", "母", "妻の子", "夫の子", "子の妻",
                                  "孫", "兄", "弟", "姉", "妹", "祖父", "祖母", "同居人", "縁故者"}


def test_one_bad_member_means_nothing_is_applied(central):
    counter = Counter(central)
    before = _counts(central)
    bad = [*FAMILY[:3], newcomer("子", dict(FAMILY[3]["person"], name_kana="せたい　さくら"))]
    r = post(counter.clerk, todoke(bad, moved_in_from="架空県もみじ市本町1番1号"))
    assert r.status_code == 422 and r.json()["code"] == "kana_invalid"
    assert r.json()["field"] == "members[3].person.name_kana"
    assert _counts(central) == before
    # accepted on submission, then one member became a resident before the approval: the
    # approval applies none of the four (and says which)
    case = _submit(counter.clerk, todoke(FAMILY, moved_in_from="架空県もみじ市本町1番1号"))
    assert case.status_code == 201, case.text
    counter.applied(todoke([FAMILY[0] | {"person": FAMILY[3]["person"]}],
                           moved_in_from="架空県もみじ市本町1番1号"))
    before = _counts(central)
    r = _approve(counter.reviewer, case.json()["case_id"])
    assert r.status_code == 422 and r.json()["code"] == "already_resident"
    assert r.json()["field"] == "members[3].person"
    assert _counts(central) == before


def test_approval_is_refused_when_a_named_record_changed_since_entry(central):
    """K-DQ-7: every record the 届出 read is checked again on approval."""
    counter = Counter(central)
    fam = _adult_family(counter)
    case = _submit(counter.clerk, todoke([resident(fam[2], "tenshutsu"),
                                          resident(fam[3], "tenshutsu")],
                                         moved_out_to="架空県かえで市北町3番3号"))
    assert case.status_code == 201, case.text
    counter.applied(todoke([resident(fam[3], "setai_henko", relationship_to_head="妻の子")]))
    queue = counter.reviewer.get("/v1/cases").json()["items"]
    assert queue[0]["record_changed"] is True
    assert [m["id"] for m in queue[0]["current_members"]] == [fam[2]["resident_id"],
                                                              fam[3]["resident_id"]]
    r = _approve(counter.reviewer, case.json()["case_id"])
    assert r.status_code == 409 and r.json()["code"] == "record_changed_since_entry"
    assert r.json()["resident_id"] == fam[3]["resident_id"]


def test_single_person_commands_keep_their_shape(central):
    """The one-person forms are untouched: a 転入 answers as before, without members."""
    from tests.central.factories import tennyu

    counter = Counter(central)
    r = post(counter.clerk, tennyu())
    assert r.status_code == 201 and "members" not in r.json()
    assert set(r.json()) == {"result", "command_id", "kind", "resident_id", "version",
                             "history_id"}


def test_the_clients_typed_command_goes_through_review_and_its_refusals_land_on_the_row(central):
    """app/setai_todoke.py builds what the centre accepts; app/review.py shows each 異動者 beside
    their current record (K-DQ-7); a refusal names the row it is about."""
    from app.review import CaseView, entry_rows, subject_name
    from app.setai_todoke import Idousha, NewPerson, SetaiTodoke, member_field

    counter = Counter(central)
    fam = family_of_four(counter)
    kids = [Idousha("tenshutsu", resident_id=m["resident_id"], expected_version=m["version"])
            for m in fam[2:]]
    draft = SetaiTodoke(TODAY, TODAY - dt.timedelta(days=3), kids,
                        moved_out_to="架空県かえで市北町3番3号")
    assert draft.problems() == {}
    assert _submit(counter.clerk, draft.command()).status_code == 201
    view = CaseView.from_json(counter.reviewer.get("/v1/cases").json()["items"][0])
    assert view.kind == "setai" and not view.record_changed
    assert subject_name(view) == "世帯　太郎 ほか1名"
    rows = [r for r in entry_rows(view.command, view.current) if r.key.startswith("members")]
    assert [(r.label, r.entered, r.current) for r in rows] == [
        ("異動者1", "転出 世帯　太郎", "世帯　太郎 子"), ("異動者2", "転出 世帯　桜", "世帯　桜 子")]
    # a 母 younger than the head: the centre's refusal is shown on the second row
    grandma = Idousha("tennyu", "target", "母", person=NewPerson(
        "世帯　梅", "セタイ　ウメ", dt.date(1990, 1, 20), "female", "9990001", HOME))
    bad = SetaiTodoke(TODAY, TODAY - dt.timedelta(days=3), [kids[0], grandma],
                      household_no=_hno(central, fam[0]), moved_in_from="架空県もみじ市川町2番2号",
                      moved_out_to="架空県かえで市北町3番3号")
    assert bad.problems() == {}  # the client does not know the existing 世帯: the centre checks
    r = _submit(counter.clerk, bad.command())
    assert r.json()["code"] == "relationship_age_inconsistent"
    assert member_field(r.json()) == (1, "relationship_to_head")


def test_the_whole_household_moves_within_the_city_and_keeps_its_number(central):
    counter = Counter(central)
    fam = family_of_four(counter)
    hno = _hno(central, fam[0])
    answer = counter.through_review(todoke([resident(m, "tenkyo") for m in fam],
                                           address={"postal_code": "9990002", "address": FLAT}))
    assert [m["reason"] for m in answer["members"]] == ["転居"] * 4
    assert {a for _, _, a in _household_of(central, fam[0]["resident_id"])} == {FLAT}
    assert _hno(central, fam[3]) == hno


def test_the_head_moving_out_needs_a_setai_nushi_henko_and_the_whole_household_may_leave(central):
    counter = Counter(central)
    fam = _adult_family(counter)
    out = {"moved_out_to": "架空県かえで市北町3番3号"}
    got = counter.refused(todoke([resident(fam[0], "tenshutsu")], **out),
                          "setai_nushi_henko_required", "members")
    assert got["household_no"] == _hno(central, fam[1])
    # the son is named head but his mother's 続柄 is not restated: the register cannot guess it
    got = counter.refused(todoke([resident(fam[0], "tenshutsu"),
                                  resident(fam[2], "setai_henko", relationship_to_head="世帯主")],
                                 **out), "relationship_restatement_required", "members")
    assert got["resident_id"] == fam[1]["resident_id"]
    answer = counter.through_review(todoke([
        resident(fam[0], "tenshutsu"),
        resident(fam[2], "setai_henko", relationship_to_head="世帯主"),
        resident(fam[1], "setai_henko", relationship_to_head="母"),
        resident(fam[3], "setai_henko", relationship_to_head="妹")], **out))
    assert [(n, rel) for n, rel, _ in _household_of(central, fam[2]["resident_id"])] == [
        ("世帯　花子", "母"), ("世帯　健", "世帯主"), ("世帯　桜", "妹")]
    # 全部転出: everyone left, nobody to head the 世帯, nothing to refuse
    now = {m["resident_id"]: m["version"] for m in answer["members"]}
    rest = [dict(m, version=now[m["resident_id"]]) for m in fam[1:]]
    counter.through_review(todoke([resident(m, "tenshutsu") for m in rest], **out))
    with central.sessions() as db:
        assert {db.get(Resident, m["resident_id"]).status for m in fam} == {"removed"}


def test_a_birth_into_another_household_than_the_mothers_is_refused(central):
    counter = Counter(central)
    fam = family_of_four(counter)
    other = counter.applied(todoke(
        [newcomer("世帯主", person("隣人　次郎", "リンジン　ジロウ", "1970-02-02", "male"))],
        moved_in_from="架空県もみじ市川町2番2号"))[0]
    birth = (TODAY - dt.timedelta(days=5)).isoformat()
    baby = {"event": "shussei", "mother_id": fam[1]["resident_id"], "to": "target",
            "person": person("世帯　光", "セタイ　ヒカリ", birth, "female")}
    counter.refused(todoke([baby], idou_date=birth, household_no=_hno(central, other)),
                    "mother_household_mismatch", "members[0].mother_id")


def test_a_household_todoke_in_an_outbox_batch_is_applied_as_if_posted_alone(central):
    import json

    counter = Counter(central)
    body = json.dumps(todoke(FAMILY[:2], moved_in_from="架空県もみじ市本町1番1号"),
                      ensure_ascii=False)
    r = counter.clerk.post("/v1/commands/batch", json={"commands": [
        {"key": str(uuid.uuid4()), "path": "/v1/commands/idou", "body": body}]})
    assert r.status_code == 200, r.text
    result = r.json()["results"][0]
    assert result["status"] == 201 and len(result["body"]["members"]) == 2


def test_a_my_number_of_a_member_is_masked_for_a_reviewer_without_the_right(central):
    """AUTHZ-1: each 異動者's 個人番号 in the queue, as for a single-person 届出; and a clerk without
    特定個人情報アクセス権限 cannot send one for any member."""
    from tests.central.factories import my_number

    number = my_number()
    holder = central.clerk(("clerk", "my_number_access"))
    members = [FAMILY[0], newcomer("妻", dict(FAMILY[1]["person"], my_number=number))]
    body = todoke(members, moved_in_from="架空県もみじ市本町1番1号")
    plain_clerk = central.clerk()
    r = _submit(plain_clerk, body)
    assert r.status_code == 403 and r.json()["field"] == "members[1].person.my_number"
    assert number not in r.text
    assert _submit(holder, body).status_code == 201
    plain = central.clerk(("reviewer",))
    seen = plain.get("/v1/cases")
    assert number not in seen.text
    assert seen.json()["items"][0]["command"]["members"][1]["person"]["my_number"] == "*" * 12
    full = central.clerk(("reviewer", "my_number_access"))
    assert full.get("/v1/cases").json()["items"][0]["command"]["members"][1]["person"][
        "my_number"] == number


def test_the_succession_age_is_a_setting(central):
    """counter-domain.md §2.3 marks the 15-year line as practice: a municipality that counts from
    18 sees the widow of a family with a 16-year-old become 世帯主 without a 世帯主変更."""
    from central import household, idou
    from central.config import Settings
    from central.problems import Problem

    assert Settings(database_url="sqlite://", data_key=b"k" * 32).head_succession_age == 15
    counter = Counter(central)
    teen = (TODAY.replace(year=TODAY.year - 16) - dt.timedelta(days=10)).isoformat()
    fam = counter.applied(todoke([*FAMILY[:2], newcomer("子", person(
        "世帯　翔", "セタイ　ショウ", teen, "male"))], moved_in_from="架空県もみじ市本町1番1号"))
    cmd = idou.SetaiTodoke.model_validate(todoke([resident(fam[0], "shibou")]))
    with central.sessions.begin() as db:  # a refusal caught by the caller: nothing kept
        try:
            household.apply(db, central.cipher, cmd, today=TODAY, operator="t", device="d",
                            command_id="c1")
        except Problem as p:
            assert p.code == "setai_nushi_henko_required"
        else:
            raise AssertionError("applied without 世帯主変更")
    assert _household_of(central, fam[0]["resident_id"])[0][:2] == ("世帯　一郎", "世帯主")
    with central.sessions.begin() as db:
        out = household.apply(db, central.cipher, cmd, today=TODAY, operator="t", device="d",
                              command_id="c2", head_age=18)
        assert [(r.id, r.relationship_to_head) for r, _ in out] == [
            (fam[0]["resident_id"], "世帯主"), (fam[1]["resident_id"], "世帯主")]
