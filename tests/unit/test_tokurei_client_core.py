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
