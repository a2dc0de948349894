"""The counter visit (app/visit.py, #20 point 1): the card's data walks one way — the 本人確認 page
puts the reading in, the visit compares it once, the 受付 page takes the 転入届's pre-fill out — and
a visit serves several persons, each with their own 本人確認 (WF-2, WF-3)."""
from __future__ import annotations

import datetime as dt

import pytest

from app import identity, visit as visit_module
from app.identity import CardIdentity
from app.reception import CaseFile
from app.residents import ResidentSummary
from app.visit import RETURN_CASE, RETURN_SEARCH, RETURN_TAX, Visit

TODAY = dt.date(2026, 11, 23)


def resident(rid: int, **kw) -> ResidentSummary:
    data = {"id": rid, "name_kanji": f"見本　{rid}郎", "name_kana": "ミホン　イチロウ",
            "birth_date": "1980-04-01", "sex": "male", "address": "架空県さくら市桜町1-2-3", "version": 3}
    data.update(kw)
    return ResidentSummary.from_json(data)


def card(**kw) -> CardIdentity:
    fields = dict(name="転入　次郎", address="架空県もみじ市本町1番1号", birth_date=dt.date(1985, 12, 3),
                  sex="male", digests_verified=True, my_number="123456789018", my_number_check_digit_ok=True)
    fields.update(kw)
    return CardIdentity(**fields)


def record_of(r: ResidentSummary) -> dict:
    return {"name_kanji": r.name_kanji, "address": r.address, "birth_date": r.birth_date, "sex": r.sex}


def test_a_card_is_compared_once_and_the_report_is_what_the_record_is_made_of(monkeypatch):
    calls = []
    real = identity.check_card
    monkeypatch.setattr(visit_module, "check_card", lambda c, r: calls.append(1) or real(c, r))
    v = Visit()
    r = resident(7)
    v.begin_identity(r, RETURN_SEARCH)
    v.record_fetched(record_of(r))
    report = v.card_read(card(name=r.name_kanji, address=r.address, birth_date=dt.date(1980, 4, 1)))
    result = v.card_result()
    assert calls == [1] and report.matched and result.matched and result.resident_id == 7
    assert v.card_result() == result and calls == [1]  # asking again compares nothing again


def test_a_difference_is_recorded_by_its_key():
    v = Visit()
    r = resident(8)
    v.begin_identity(r, RETURN_SEARCH)
    v.record_fetched(record_of(r))
    v.card_read(card(name=r.name_kanji, address="架空県さくら市別町9-9", birth_date=dt.date(1980, 4, 1)))
    result = v.card_result()
    assert not result.matched and result.items == ("address",)


def test_a_newcomers_card_becomes_the_tennyu_prefill_only_once_recorded_and_then_leaves():
    v = Visit()
    v.open_case(CaseFile("A-1"))
    v.begin_identity(None, RETURN_CASE)
    v.record_fetched({})
    v.card_read(card())
    assert v.case.card_values == {}  # nothing reaches the 届出 before the check is recorded
    result = v.card_result()
    assert result.newcomer_case == v.case.case_id and result.resident_id is None
    recorded = v.identity_recorded(result, seq=41)
    assert recorded.seq == 41 and v.case.identity_check_seq == 41 and v.case.identity_method == "card"
    assert v.case.card_values["name_kanji"] == "転入　次郎"
    assert v.case.card_values["moved_in_from"] == "架空県もみじ市本町1番1号"
    assert v.checking.report is None  # the reading itself is gone
    assert v.end_identity() == RETURN_CASE and v.checking is None


def test_the_card_never_overwrites_what_the_clerk_typed():
    v = Visit()
    v.open_case(CaseFile("A-2"))
    v.case.card_values = {"name_kanji": "転入　次郎", "birth_date": "昭和60年12月3日"}
    values = v.entry_values("tennyu", {"todoke_date": TODAY.isoformat()},
                            {"name_kanji": "手入力　太郎", "birth_date": " "})
    assert values["name_kanji"] == "手入力　太郎" and values["birth_date"] == "昭和60年12月3日"
    assert v.entry_values("tenkyo", {}, {}) == {}  # only a 転入 takes the card's 券面事項


def test_a_my_number_that_fails_its_check_digit_is_a_difference_and_is_not_prefilled():
    v = Visit()
    v.open_case(CaseFile("A-3"))
    v.begin_identity(None, RETURN_CASE)
    v.record_fetched({})
    report = v.card_read(card(my_number="123456789010", my_number_check_digit_ok=False))
    assert report.my_number_invalid and report.differences == ("my_number",)
    result = v.card_result()
    assert not result.matched
    v.identity_recorded(result, seq=5)
    assert v.case.card_values == {}  # an unmatched check fills nothing


def test_a_household_is_several_persons_each_with_their_own_check():
    v = Visit()
    father, daughter = resident(1), resident(2, name_kanji="見本　花子", sex="female")
    for person in (father, daughter):
        v.begin_identity(person, RETURN_TAX)
        v.record_fetched(record_of(person))
        v.card_read(card(name=person.name_kanji, address=person.address, birth_date=dt.date(1980, 4, 1),
                         sex=person.sex))
        v.identity_recorded(v.card_result(), seq=person.id * 10)
    assert [p.resident_id for p in v.persons] == [1, 2]
    assert v.identity_of(1).seq == 10 and v.identity_of(2).seq == 20 and v.identity_of(3) is None


def test_an_unmatched_check_does_not_count_as_identified():
    v = Visit()
    r = resident(4)
    v.begin_identity(r, RETURN_TAX)
    v.record_fetched(record_of(r))
    v.card_read(card(name="別人　三郎", address=r.address, birth_date=dt.date(1980, 4, 1)))
    v.identity_recorded(v.card_result(), seq=1)
    assert v.identity_of(4) is None


def test_parking_the_case_ends_the_visit_and_a_draft_keeps_its_subject():
    v = Visit()
    r = resident(9)
    v.choose(r)
    v.open_case(CaseFile("A-4"))
    assert v.case.resident_ids == [9]
    case = v.keep_draft("tenkyo", {"address": "新住所"})
    assert (case.entry_resident_id, case.entry_version, case.entry_kind) == (9, 3, "tenkyo")
    v.close_case()
    assert v.case is None and v.persons == [] and v.subject is None
    v.resume_case(case)
    assert v.entry("tenkyo", {"address": "新住所"}).resident_id == 9


@pytest.mark.parametrize("secret", ["転入　次郎", "123456789018", "架空県もみじ市"])
def test_no_repr_shows_personal_data(secret):
    v = Visit()
    v.open_case(CaseFile("A-5"))
    v.begin_identity(None, RETURN_CASE)
    v.record_fetched({})
    report = v.card_read(card())
    for thing in (v, v.checking, report):
        assert secret not in repr(thing) and secret not in str(thing)
