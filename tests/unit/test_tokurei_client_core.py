"""app/tokurei.py (#22 point 2, K-WF-4.6): a card whose 個人番号 was not read is not sent as a
特例転入's card, the household's reprs show no personal data, and the 世帯主 founds the household."""
from __future__ import annotations

import datetime as dt

import pytest

from app.identity import CardIdentity
from app.tokurei import TennyuYoteiHousehold, card_read, tennyu_command

ANSWER = {"certificate_id": "999021-0001-000000", "from_municipality": "架空県もみじ市",
          "address": "架空県もみじ市錦町一丁目1番1号", "householder_name": "見本　一郎",
          "moved_out_to": "架空県さくら市桜町一丁目1番1号", "planned_date": "2026-12-01",
          "tokurei_until": "2026-12-31",
          "members": [{"tennyu_yotei_id": 7, "member_no": 1, "juminhyo_code": "81234567890",
                       "my_number": "123456789018", "name_kanji": "見本　一郎",
                       "name_kana": "ミホン　イチロウ", "birth_date": "1980-01-02", "sex": "male",
                       "relationship_to_head": "世帯主", "honseki": None, "hittousha": None,
                       "card_held": True}]}


def _card(number: str | None, ok: bool | None = True) -> CardIdentity:
    return CardIdentity(name="見本　一郎", address="架空県もみじ市錦町一丁目1番1号",
                        birth_date=dt.date(1980, 1, 2), sex="male", digests_verified=True,
                        my_number=number, my_number_check_digit_ok=ok)


def test_a_card_without_its_number_is_not_a_tokurei_card():
    with pytest.raises(ValueError):
        card_read(_card(None, None))
    with pytest.raises(ValueError):
        card_read(_card("123456789017", False))
    assert card_read(_card("123456789018"))["pin_verified"] is True


def test_reprs_and_the_head_command():
    household = TennyuYoteiHousehold.from_json(ANSWER)
    assert "見本" not in repr(household) and "1234" not in repr(household.members[0])
    head = household.members[0]
    assert household.cards_missing({}) == (head,)
    cmd = tennyu_command(household, head, _card("123456789018"), postal_code="9990001",
                         moved_in=dt.date(2026, 12, 2), todoke=dt.date(2026, 12, 3))
    assert cmd["household"] == {"household_no": None, "relationship_to_head": "世帯主"}
    assert cmd["person"]["juminhyo_code"] == "81234567890"
    assert cmd["person"]["address"] == ANSWER["moved_out_to"]
    assert cmd["moved_in_from"] == ANSWER["address"]
    assert cmd["tokurei"] == {"tennyu_yotei_id": 7, "card": card_read(_card("123456789018"))}


FAMILY = dict(ANSWER, members=[
    ANSWER["members"][0],
    {**ANSWER["members"][0], "tennyu_yotei_id": 8, "member_no": 2, "juminhyo_code": "81234567891",
     "my_number": "234567890123", "name_kanji": "見本　花子", "sex": "female",
     "relationship_to_head": "妻"},
    {**ANSWER["members"][0], "tennyu_yotei_id": 9, "member_no": 3, "juminhyo_code": "81234567892",
     "my_number": None, "name_kanji": "見本　健", "birth_date": "2020-05-05",
     "relationship_to_head": "子", "card_held": False}])
VALUES = {"postal_code": "999-0001", "address": "架空県さくら市桜町一丁目1番1号", "katagaki": "",
          "idou_date": "2026-12-02"}


def test_the_counter_entry_sends_the_head_first_then_the_others_into_the_new_household():
    """TokureiEntry (#22 point 2, K-WF-4.6): a card of somebody else is refused, a missing card
    is named on its member's row, the 世帯主 is sent alone first, the rest join the 世帯 after."""
    from app.tokurei import CardNotInHousehold, TokureiEntry, refusal_field

    entry = TokureiEntry(TennyuYoteiHousehold.from_json(FAMILY))
    assert entry.add_card(_card("234567890123")).member_no == 2
    with pytest.raises(CardNotInHousehold):
        entry.add_card(_card("345678901234"))
    rels = {1: "世帯主", 2: "妻", 3: "子"}
    today = dt.date(2026, 12, 3)
    assert entry.pending() == (entry.head,)
    problems = entry.problems(VALUES, rels, today=today)
    assert set(problems) == {"members[0].card"}  # the head's card (the child has none)
    assert "暗証番号" in problems["members[0].card"]
    assert entry.problems(VALUES, {**rels, 3: "世帯主"}, today=today)["members[2].relationship_to_head"]
    entry.add_card(_card("123456789018"))
    assert entry.problems({**VALUES, "postal_code": "12"}, rels, today=today).keys() == {"postal_code"}
    ((no, head_cmd),) = entry.commands(VALUES, rels, today=today, household_no=None)
    assert no == 1 and head_cmd["household"]["household_no"] is None
    assert head_cmd["person"]["postal_code"] == "9990001"
    entry.sent_case(1, 10)
    assert 1 not in entry.cards and [m.member_no for m in entry.pending()] == [2, 3]
    rest = dict(entry.commands(VALUES, rels, today=today, household_no="H-1"))
    assert rest[2]["household"] == {"household_no": "H-1", "relationship_to_head": "妻"}
    assert rest[3]["tokurei"]["card"] is None  # moves on another member's card
    assert "見本" not in repr(entry) and "2345" not in repr(entry)
    assert refusal_field("person.postal_code", 1) == "postal_code"
    assert refusal_field("household.relationship_to_head", 1) == "members[1].relationship_to_head"
    assert refusal_field("tokurei.card.name_kanji", 2) == "members[2].card"
