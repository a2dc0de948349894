"""転入 pre-filled from the My Number card (issue #7, WF-2, WF-3, WF-4): the card's 4情報 → the
entry's fields, as a plain function. The card's address is the 転入前住所; フリガナ and the new
address stay for the clerk; 外字/代替文字 candidates in the name ask for a visual check."""
from __future__ import annotations

import datetime as dt

import pytest

from app import idou_entry, reception
from app.identity import CardIdentity, IdentityResult, name_needs_visual_check
from japan.era import parse_date

TODAY = dt.date(2026, 11, 23)


def card(**kw):
    fields = dict(name="転入　次郎", address="架空県もみじ市本町1番1号", birth_date=dt.date(1985, 12, 3),
                  sex="male", digests_verified=True)
    fields.update(kw)
    return CardIdentity(**fields)


def test_a_tennyu_gets_name_birth_date_in_wareki_sex_and_the_old_address():
    filled = idou_entry.from_card("tennyu", card())
    assert filled.values == {"name_kanji": "転入　次郎", "birth_date": "昭和60年12月3日", "sex": "male",
                             "moved_in_from": "架空県もみじ市本町1番1号"}
    assert "address" not in filled.values and "name_kana" not in filled.values
    assert filled.notes == {}
    # what it fills passes the form's own checks, and the 和暦 date is the card's date
    for name, text in filled.values.items():
        assert idou_entry.check_field(name, text, today=TODAY) is None, name
    assert parse_date(filled.values["birth_date"]) == dt.date(1985, 12, 3)


def test_the_era_boundary_and_the_first_year_are_written_as_the_register_writes_them():
    assert idou_entry.from_card("tennyu", card(birth_date=dt.date(1989, 1, 7))).values["birth_date"] == \
        "昭和64年1月7日"
    assert idou_entry.from_card("tennyu", card(birth_date=dt.date(1989, 1, 8))).values["birth_date"] == \
        "平成元年1月8日"


def test_the_my_number_is_filled_only_when_it_was_read():
    assert "my_number" not in idou_entry.from_card("tennyu", card()).values
    filled = idou_entry.from_card("tennyu", card(my_number="123456789018"))
    assert filled.values["my_number"] == "123456789018"
    assert "123456789018" not in repr(filled)  # never in a log line


def test_sex_not_applicable_is_left_for_the_clerk():
    assert "sex" not in idou_entry.from_card("tennyu", card(sex="not_applicable")).values


def test_other_kinds_are_not_filled_from_the_card():
    for kind in ("tenkyo", "tenshutsu", "setai_henko", "shibou", "shussei"):
        assert idou_entry.from_card(kind, card()).values == {}


@pytest.mark.parametrize("name", ["髙橋　一郎", "山﨑　花子", "\ue000田　太郎", "辻\U000E0100　一", "渡〓　三郎",
                                  "\ufa30山　四郎"])
def test_gaiji_or_substitute_candidates_ask_for_a_visual_check(name):
    assert name_needs_visual_check(name)
    filled = idou_entry.from_card("tennyu", card(name=name))
    assert filled.notes["name_kanji"] == idou_entry.VISUAL_CHECK_NOTE


@pytest.mark.parametrize("name", ["高橋　一郎", "渡邉 三郎", "ヤマダ　タロウ", "Smith John"])
def test_ordinary_jis_names_need_no_visual_check(name):
    assert not name_needs_visual_check(name)


def test_card_origin_tells_card_edited_and_typed_apart():
    pre = {"name_kanji": "転入　次郎"}
    assert idou_entry.card_origin("name_kanji", "転入　次郎 ", pre) == "card"
    assert idou_entry.card_origin("name_kanji", "転入　二郎", pre) == "edited"
    assert idou_entry.card_origin("address", "どこか", pre) is None


def test_a_newcomer_check_is_sent_with_the_case_not_a_resident():
    result = IdentityResult(None, "card", True, digests_verified=True, newcomer_case="a" * 32)
    assert result.to_json() == {"newcomer_case": "a" * 32, "method": "card", "matched": True,
                                "items": [], "digests_verified": True, "signature_verified": False,
                                "virtual_card": False}
    assert "newcomer_case" not in IdentityResult(7, "documents", True).to_json()


def test_parking_keeps_the_card_marks():
    case = reception.CaseFile("A-1", card_values={"name_kanji": "髙橋　一郎"},
                              card_notes={"name_kanji": idou_entry.VISUAL_CHECK_NOTE},
                              identity_method="card")
    back = reception.CaseFile.from_json(case.to_json())
    assert back.card_values == case.card_values and back.card_notes == case.card_notes
    assert back.identity_method == "card"
