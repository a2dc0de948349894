"""世帯の届出 on the client (#22 point 1, K-WF-5.1, K-DQ-1): the typed command and the household
checks shown beside each row before sending, the same rules as the centre (japan/zokugara.py)."""
from __future__ import annotations

import datetime as dt

import pytest

from app.setai_todoke import (RELATIONSHIP_CHOICES, Idousha, NewAddress, NewPerson, SetaiTodoke,
                              member_field)

TODAY = dt.date(2026, 12, 7)
HOME = "架空県さくら市桜町二丁目3番4号"


def newcomer(rel, kana, birth, sex, address=HOME):
    return Idousha("tennyu", "new", rel, person=NewPerson(
        "世帯　" + kana, "セタイ　" + kana, dt.date.fromisoformat(birth), sex, "9990001", address))


def family(*rows):
    return SetaiTodoke(TODAY, TODAY - dt.timedelta(days=3), list(rows),
                       moved_in_from="架空県もみじ市本町1番1号")


def test_a_family_builds_the_centres_command():
    t = family(newcomer("世帯主", "イチロウ", "1984-04-02", "male"),
               newcomer("妻", "ハナコ", "1986-07-15", "female"),
               newcomer("子", "タロウ", "2016-05-05", "male"))
    assert t.problems() == {}
    cmd = t.command()
    assert cmd["kind"] == "setai" and cmd["moved_in_from"] == "架空県もみじ市本町1番1号"
    assert [(m["event"], m["to"], m["relationship_to_head"]) for m in cmd["members"]] == [
        ("tennyu", "new", "世帯主"), ("tennyu", "new", "妻"), ("tennyu", "new", "子")]
    assert "my_number" not in cmd["members"][0]["person"]


@pytest.mark.parametrize("rows, where, words", [
    ([("世帯主", "イチロウ", "1984-04-02", "male"), ("世帯主", "ハナコ", "1986-07-15", "female")],
     "members[1].relationship_to_head", "世帯主は一人"),
    ([("妻", "ハナコ", "1986-07-15", "female")], "members[0].relationship_to_head", "世帯主のいない"),
    ([("世帯主", "イチロウ", "1984-04-02", "male"), ("子", "ジロウ", "1970-01-01", "male")],
     "members[1].relationship_to_head", "年下"),
    ([("世帯主", "イチロウ", "1984-04-02", "male"), ("母", "ハハ", "1950-01-01", "male")],
     "members[1].relationship_to_head", "性別"),
    ([("世帯主", "イチロウ", "1984-04-02", "male"), ("長男", "タロウ", "2016-05-05", "male")],
     "members[1].relationship_to_head", "一覧"),
    ([("世帯主", "イチロウ", "1984-04-02", "male"), ("子", "イチロウ", "1984-04-02", "male")],
     "members[1].person", "異動者1と同じ方"),
])
def test_the_household_checks_show_beside_the_row(rows, where, words):
    t = family(*(newcomer(*r) for r in rows))
    problems = t.problems()
    assert where in problems and words in problems[where], problems
    with pytest.raises(ValueError):
        t.command()


def test_a_member_at_another_address_is_shown_at_their_address():
    t = family(newcomer("世帯主", "イチロウ", "1984-04-02", "male"),
               newcomer("妻", "ハナコ", "1986-07-15", "female", "架空県さくら市梅町1番1号"))
    assert "世帯分離" in t.problems()["members[1].person.address"]


def test_a_split_off_member_becomes_head_of_the_new_household():
    son = Idousha("tenkyo", "new", "世帯主", resident_id=7, expected_version=2,
                  birth_date=dt.date(2002, 11, 11), sex="male", address=(HOME, None))
    t = SetaiTodoke(TODAY, TODAY, [son], address=NewAddress("9990002", "架空県さくら市梅町1番1号"))
    assert t.problems() == {}
    cmd = t.command()
    assert cmd["members"] == [{"event": "tenkyo", "to": "new", "relationship_to_head": "世帯主",
                               "resident_id": 7, "expected_version": 2}]
    assert cmd["address"]["address"] == "架空県さくら市梅町1番1号"
    assert SetaiTodoke(TODAY, TODAY, [son]).problems() == {"address": "転居先の住所を入力してください"}


def test_the_centres_refusal_lands_on_its_row():
    assert member_field({"field": "members[2].person.name_kana"}) == (2, "name_kana")
    assert member_field({"field": "members[0].relationship_to_head"}) == (0, "relationship_to_head")
    assert member_field({"field": "address"}) == (None, "address")
    assert member_field({}) == (None, "form")
    assert RELATIONSHIP_CHOICES[0] == "世帯主" and "同居人" in RELATIONSHIP_CHOICES


def test_the_screens_rows_become_the_todoke_or_say_what_is_missing():
    """entry_draft (#22 point 1): the format errors first (beside the field), then the draft whose
    household checks run on the new 世帯 of a 世帯分離."""
    from app.residents import ResidentSummary
    from app.setai_todoke import EntryRow, entry_draft

    son = ResidentSummary.from_json({"id": 5, "name_kanji": "世帯　健", "birth_date": "2002-11-11",
                                     "sex": "male", "address": "架空県さくら市桜町二丁目3番4号",
                                     "version": 3})
    today = dt.date(2026, 12, 3)
    values = {"idou_date": "R8.12.1", "todoke_date": "2026-12-03", "address": "架空県さくら市梅町1番",
              "postal_code": ""}
    draft, errors = entry_draft(values, [EntryRow(son, "tenkyo", "new", "世帯主")], today=today)
    assert draft is None and set(errors) == {"postal_code"}
    assert entry_draft({**values, "idou_date": ""}, [], today=today)[1].keys() == {
        "idou_date", "members", "postal_code"}
    values["postal_code"] = "999-0002"
    draft, errors = entry_draft(values, [EntryRow(son, "tenkyo", "new", "子")], today=today)
    assert errors == {} and draft.problems() == {
        "members[0].relationship_to_head": draft.problems()["members[0].relationship_to_head"]}
    draft, _ = entry_draft(values, [EntryRow(son, "tenkyo", "new", "世帯主")], today=today)
    assert draft.problems() == {}
    cmd = draft.command()
    assert cmd["members"] == [{"event": "tenkyo", "to": "new", "relationship_to_head": "世帯主",
                               "resident_id": 5, "expected_version": 3}]
    assert cmd["address"] == {"postal_code": "9990002", "address": "架空県さくら市梅町1番",
                              "katagaki": None}
    assert cmd["idou_date"] == "2026-12-01"
