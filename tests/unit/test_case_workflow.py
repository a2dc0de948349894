"""受付・聞き取り・入力 (issue #7, K-WF-2/4/5): the catalogue, the plan, the entry checks and parking,
as plain functions (the window and the centre are exercised in tests/e2e/test_case_flow.py)."""
from __future__ import annotations

import datetime as dt

import pytest

from app import idou_entry, procedures, reception

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def catalogue():
    return procedures.load()


def test_the_shipped_catalogue_loads_and_every_procedure_has_its_form_and_function_id(catalogue):
    assert {e.id for e in catalogue.events} >= {"move_in", "move_within", "move_out", "birth",
                                                "death", "household", "certificate_only"}
    for p in catalogue.procedures.values():
        assert p.forms and p.standard_function_id and p.counter and p.division
    kinds = {p.idou_kind for p in catalogue.procedures.values() if p.idou_kind}
    assert kinds == set(idou_entry.KIND_LABELS)


def test_moving_in_with_children_and_kokuho_lists_other_divisions_once(catalogue):
    plan = procedures.plan(catalogue, ["move_in"], {"children": True, "kokuho": True,
                                                    "school_age": False})
    names = [p.id for p in plan.procedures]
    assert plan.idou_kinds == ("tennyu",)
    assert {"card_address", "jidou_teate", "kodomo_iryou", "kokuho"} <= set(names)
    assert "gakkou" not in names and len(names) == len(set(names))
    assert plan.shares_with_other_divisions
    # Answers to questions the chosen events do not ask are ignored.
    assert "kaigo" not in [p.id for p in procedures.plan(catalogue, ["move_in"],
                                                          {"kaigo": True}).procedures]


def test_certificate_only_needs_no_entry_and_shares_nothing(catalogue):
    plan = procedures.plan(catalogue, ["certificate_only"], {})
    assert plan.idou_kinds == () and not plan.shares_with_other_divisions


def test_a_death_of_the_head_adds_a_household_change(catalogue):
    plan = procedures.plan(catalogue, ["death"], {"was_head": True})
    assert plan.idou_kinds == ("setai_henko", "shibou")


def test_the_guide_holds_procedures_only(catalogue):
    plan = procedures.plan(catalogue, ["move_in"], {"children": True})
    lines = procedures.guide(plan)
    assert [ln.procedure for ln in lines] == [p.name for p in plan.procedures]
    for ln in lines:
        assert set(vars(ln)) == {"counter", "division", "procedure", "forms"}


@pytest.mark.parametrize("broken, message", [
    ({"event": [{"id": "e", "label": "x", "procedures": ["nope"]}]}, "未定義の手続き"),
    ({"event": [{"id": "e", "label": "x", "questions": ["q"]}]}, "未定義の質問"),
    ({"procedure": [{"id": "p", "name": "n", "division": "d", "counter": "c",
                     "standard_function_id": "X", "idou_kind": "marriage"}],
      "event": [{"id": "e", "label": "x", "procedures": ["p"]}]}, "idou_kind"),
    ({"event": []}, "ライフイベントがありません"),
])
def test_a_broken_catalogue_is_refused_with_a_message(broken, message):
    with pytest.raises(procedures.CatalogueError) as err:
        procedures.parse(broken)
    assert message in err.value.message_ja


# Dates in 和暦 and 西暦: japan.era.parse_date, tests/unit/test_japan.py (#20).


def test_field_checks_explain_in_japanese():
    check = lambda n, v: idou_entry.check_field(n, v, today=TODAY)  # noqa: E731
    assert check("name_kana", "やまだ たろう") == "フリガナは全角カタカナで入力してください"
    assert check("name_kana", "ヤマダ　タロウ") is None
    assert check("postal_code", "123-4567") is None and check("postal_code", "12345") is not None
    assert "チェックデジット" in check("my_number", "123456789012")
    assert check("my_number", "123456789018") is None  # a valid check digit
    assert check("my_number", "") is None  # optional (read from the card when there is one)
    assert check("birth_date", "2027-01-01").startswith("生年月日（2027-01-01）が未来の日付です")
    assert check("address", "") == "住所を入力してください"


def test_an_entry_keeps_what_was_typed_and_builds_the_command_only_when_clean():
    values = {"name_kanji": "架空 太郎", "name_kana": "カクウ タロウ", "birth_date": "S60.12.3",
              "sex": "male", "postal_code": "１２３－４５６７", "address": "架空県さくら市本町1-2-3",
              "moved_in_from": "架空県もみじ市1-1", "idou_date": "R8.11.20",
              "todoke_date": "2026-11-23", "my_number": "12345678901"}
    entry = idou_entry.Entry("tennyu", dict(values))
    assert entry.errors(TODAY) == {"my_number": "個人番号は12桁の数字です"}
    with pytest.raises(ValueError):
        entry.command(TODAY)
    assert entry.values == values  # nothing dropped
    entry.values["my_number"] = "123456789018"
    cmd = entry.command(TODAY)
    assert cmd["kind"] == "tennyu" and cmd["idou_date"] == "2026-11-20"
    assert cmd["person"]["birth_date"] == "1985-12-03" and cmd["person"]["postal_code"] == "1234567"
    assert "identity_check_seq" not in cmd  # no 本人確認 recorded for this case
    entry.identity_check_seq = 41
    assert entry.command(TODAY)["identity_check_seq"] == 41  # the 届出 names its 本人確認


def test_a_move_within_the_city_needs_its_resident_and_sends_only_address_fields():
    entry = idou_entry.Entry("tenkyo", {"postal_code": "1234567", "address": "さくら市2-2",
                                        "katagaki": "", "idou_date": "2026-11-20",
                                        "todoke_date": "2026-11-23"})
    assert "resident" in entry.errors(TODAY)
    entry.resident_id, entry.expected_version = 5, 2
    cmd = entry.command(TODAY)
    assert set(cmd["changes"]) == {"postal_code", "address", "katagaki"}
    assert (cmd["resident_id"], cmd["expected_version"]) == (5, 2)


def test_problem_fields_map_to_entry_fields():
    assert idou_entry.field_of({"field": "person.name_kana"}) == "name_kana"
    assert idou_entry.field_of({"field": "changes"}) == "changes"
    assert idou_entry.field_of({}) == "form"


class Drafts:
    def __init__(self):
        self.rows = {}

    def put_draft(self, draft_id, kind, body):
        self.rows[draft_id] = (kind, body)

    def get_draft(self, draft_id):
        row = self.rows.get(draft_id)
        return row[1] if row else None

    def drafts(self):
        return [(k, v[0]) for k, v in self.rows.items()]

    def delete_draft(self, draft_id):
        self.rows.pop(draft_id, None)


def test_queue_numbers_and_requesters():
    assert reception.normalise_queue_number(" ａ－０１２ ") == "A-012"
    with pytest.raises(ValueError, match="受付番号"):
        reception.normalise_queue_number("12345")
    assert reception.requester_problem("proxy", False, True) == "代理人の場合は委任状を確認してください"
    assert "本人確認" in reception.requester_problem("proxy", True, False)
    assert reception.requester_problem("self", False, False) is None


def test_park_and_resume_keep_the_whole_case():
    store = Drafts()
    case = reception.CaseFile("A-012", "household", events=["move_in"],
                              answers={"children": True}, entry_kind="tennyu",
                              entry_values={"name_kanji": "架空 花子"}, identity_method="card",
                              identity_check_seq=41)
    reception.park(store, case)
    assert [c.queue_number for c in reception.parked(store)] == ["A-012"]
    back = reception.resume(store, case.case_id)
    assert back == case and reception.parked(store) == []
