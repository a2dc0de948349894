"""app.identity: card vs register, normalised only for width and spaces; the documents rule
(000 L3286: one photo ID or two other documents)."""
from __future__ import annotations

import datetime as dt

from app.identity import CardIdentity, all_match, compare, documents_sufficient, normalise

RECORD = {"name_kanji": "見本　花子", "address": "架空県さくら市桜町一丁目2番3号", "katagaki": "さくら荘101",
          "birth_date": "1980-04-01", "sex": "female"}


def card(**kw):
    base = dict(name="見本 花子", address="架空県さくら市桜町一丁目２番３号　さくら荘１０１",
                birth_date=dt.date(1980, 4, 1), sex="female", digests_verified=True)
    base.update(kw)
    return CardIdentity(**base)


def test_width_and_spaces_do_not_count_but_words_do():
    assert normalise("一丁目２番　３号 ") == "一丁目2番3号"
    assert all_match(compare(card(), RECORD))
    rows = {r.key: r for r in compare(card(address="架空県さくら市桜町一丁目２番地３"), RECORD)}
    assert rows["address"].status == "different"  # 番地 vs 番/号 is for the clerk to judge
    rows = {r.key: r for r in compare(card(sex="male", birth_date=dt.date(1980, 4, 2)), RECORD)}
    assert rows["sex"].status == rows["birth_date"].status == "different"


def test_gaiji_in_the_register_asks_for_a_visual_check():
    rows = {r.key: r for r in compare(card(name="見本 華子"), dict(RECORD, gaiji=True))}
    assert rows["name"].status == "check"
    rows = {r.key: r for r in compare(card(name="見本 華子"), RECORD)}
    assert rows["name"].status == "different"


def test_repr_hides_the_card_holder():
    assert "花子" not in repr(card()) and "さくら" not in str(card())


def test_documents_rule():
    assert documents_sufficient({"drivers_license"}).sufficient
    assert not documents_sufficient({"health_insurance"}).sufficient
    assert documents_sufficient({"health_insurance", "bank_book"}).sufficient
    assert not documents_sufficient(set()).sufficient
    assert not documents_sufficient({"made_up"}).sufficient


def test_a_variant_kanji_is_not_folded_into_its_unified_form():
    """U+FA30 (侮, a CJK compatibility ideograph) is not U+4FAE for the register: a difference."""
    assert normalise("\ufa30") != normalise("\u4fae")
    rows = {r.key: r for r in compare(card(name="見本 \u4fae子"), dict(RECORD, name_kanji="見本　\ufa30子"))}
    assert rows["name"].status == "different"
