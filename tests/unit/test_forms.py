"""申請書カタログ and filling (#23 point 1, K-WF-4.3, K-DQ-12): the catalogue is checked when it loads,
the interview's answers decide the forms, each form is filled from the client's state with the
missing required items named, and a division receives only its form's items."""
from __future__ import annotations

import copy
import datetime as dt
import json
import tomllib

import pytest

from app import forms, procedures
from app.reception import CaseFile
from app.setai_todoke import NewPerson

TODAY = dt.date(2026, 4, 10)


@pytest.fixture(scope="module")
def procs():
    return procedures.load()


@pytest.fixture(scope="module")
def raw():
    return tomllib.loads(forms.FORMS_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def catalogue(procs):
    return forms.load(catalogue=procs)


def family_sources(**clerk):
    """A family 転入: 世帯主, 妻, a child of 8 and a child of 19 (no longer a 児童)."""
    case = CaseFile("A-012", requester_kind="self", events=["move_in"],
                    answers={"kokuho": True, "children": True}, identity_method="card")
    header = {"idou_date": "2026-04-01", "todoke_date": "2026-04-10", "postal_code": "1234567",
              "address": "東京都架空市本町一丁目2番3号", "katagaki": ""}
    people = [
        (NewPerson("山田　太郎", "ヤマダ　タロウ", dt.date(1985, 6, 1), "male", "1234567", "x"), "世帯主"),
        (NewPerson("山田　花子", "ヤマダ　ハナコ", dt.date(1987, 2, 3), "female", "1234567", "x"), "妻"),
        (NewPerson("山田　一郎", "ヤマダ　イチロウ", dt.date(2018, 1, 20), "male", "1234567", "x"), "子"),
        (NewPerson("山田　次郎", "ヤマダ　ジロウ", dt.date(2006, 5, 5), "male", "1234567", "x"), "子"),
    ]
    members = [forms.person_row(p, event="tennyu", relationship_to_head=rel) for p, rel in people]
    case.card_values = {"moved_in_from": "大阪府架空市北町5番6号", "my_number": "123456789018"}
    return forms.sources_for(case, entry_kind="tennyu", entry_values=header, members=members,
                             requester_name="山田　太郎", clerk=clerk, today=TODAY)


def refused(raw, procs, change) -> forms.FormCatalogueError:
    data = copy.deepcopy(raw)
    change(data)
    with pytest.raises(forms.FormCatalogueError) as info:
        forms.parse(data, procs)
    return info.value


def test_the_shipped_catalogue_loads_with_the_required_forms(catalogue):
    ids = [f.id for f in catalogue.forms]
    assert ids[:5] == ["jumin_idou", "kokuho_shikaku", "jidou_teate", "kodomo_iryou",
                       "kaigo_shikaku"]
    idou = catalogue.form("jumin_idou")
    assert set(idou.procedures) == {"tennyu", "tenkyo", "tenshutsu", "setai_henko"}
    labels = {f.label for f in idou.fields + idou.person_fields}
    assert {"届出人", "氏名", "ふりがな", "生年月日", "性別", "続柄", "新住所", "旧住所", "世帯主",
            "異動日", "届出日", "本人確認の方法"} <= labels
    for form in catalogue.forms:
        assert form.division_id.isascii() and form.retention_years >= 1 and form.page == "A4"
        assert not any("my_number" in f.source for f in form.fields + form.person_fields)


@pytest.mark.parametrize("change, words", [
    (lambda d: d["form"][1].__setitem__("procedures", ["kokuho", "no_such"]), "no_such"),
    (lambda d: d["form"][1]["fields"][0].__setitem__("source", "case.tax_amount"),
     "case.tax_amount"),
    (lambda d: d["form"][1]["fields"][0].__setitem__("source", "answer.no_question"),
     "answer.no_question"),
    (lambda d: d["form"][0]["person_fields"][0].__setitem__("source", "card.my_number"),
     "個人番号"),
    (lambda d: d["form"].append(copy.deepcopy(d["form"][0])), "二度"),
    (lambda d: d["form"][0]["fields"].append(dict(d["form"][0]["fields"][0])), "二度"),
    (lambda d: d["form"][0]["layout"]["sections"][0]["fields"].pop(), "一度"),
    (lambda d: d["form"][0]["layout"].__setitem__("page", "B5"), "A4"),
    (lambda d: d["form"][0].__setitem__("retention_years", 0), "保存年限"),
    (lambda d: d["form"][0].__setitem__("division_id", "市民課"), "半角"),
])
def test_a_broken_catalogue_is_refused_in_japanese(raw, procs, change, words):
    error = refused(raw, procs, change)
    assert words in error.message_ja
    assert isinstance(error, procedures.CatalogueError)


def test_an_unreadable_file_is_refused(tmp_path, procs):
    bad = tmp_path / "forms.toml"
    bad.write_text("[[form]\n", encoding="utf-8")
    with pytest.raises(forms.FormCatalogueError) as info:
        forms.load(bad, procs)
    assert "読み込めません" in info.value.message_ja


def test_the_answers_decide_the_forms_in_catalogue_order_each_once(procs, catalogue):
    family = procedures.plan(procs, ["move_in", "household"], {"kokuho": True, "children": True})
    assert [f.id for f in forms.forms_for(family, catalogue)] == [
        "jumin_idou", "kokuho_shikaku", "jidou_teate", "kodomo_iryou"]
    alone = procedures.plan(procs, ["move_in"], {"kokuho": False, "children": False})
    assert [f.id for f in forms.forms_for(alone, catalogue)] == ["jumin_idou"]
    out = procedures.plan(procs, ["move_out"], {"kaigo": True})
    assert [f.id for f in forms.forms_for(out, catalogue)] == ["jumin_idou", "kaigo_shikaku"]


def test_the_idou_todoke_is_filled_with_every_person_and_dates_in_wareki(catalogue):
    filled = forms.fill(catalogue.form("jumin_idou"), family_sources())
    assert filled.missing == ()
    v = filled.values
    assert v["kind"] == "転入" and v["idou_date"] == "令和8年4月1日"
    assert v["todoke_date"] == "令和8年4月10日"
    assert v["new_address"] == "東京都架空市本町一丁目2番3号"
    assert v["old_address"] == "大阪府架空市北町5番6号"  # the card's address: where they lived
    assert v["head_name"] == "山田　太郎" and v["requester_name"] == "山田　太郎"
    assert v["identity_method"].startswith("マイナンバーカード")
    assert [r["name_kana"] for r in filled.rows][:2] == ["ヤマダ　タロウ", "ヤマダ　ハナコ"]
    assert filled.rows[0]["birth_date"] == "昭和60年6月1日" and filled.rows[0]["sex"] == "男"
    assert filled.rows[1]["relationship_to_head"] == "妻"
    assert "123456789018" not in json.dumps(filled.items(), ensure_ascii=False)


def test_the_clerk_sees_the_missing_required_items_per_form(catalogue):
    teate = forms.fill(catalogue.form("jidou_teate"), family_sources())
    assert set(teate.missing) == {"請求・届出の種類（認定請求／住所変更）", "請求者の加入年金",
                                  "振込先口座（金融機関・支店・種別・口座番号・名義）"}
    assert [r["name_kanji"] for r in teate.rows] == ["山田　一郎"]  # the 19-year-old is not a 児童
    done = forms.fill(catalogue.form("jidou_teate"), family_sources(
        request_kind="認定請求", pension="国民年金", account="架空銀行 本店 普通 1234567 ヤマダ　タロウ"))
    assert done.missing == () and done.complete
    iryou = forms.fill(catalogue.form("kodomo_iryou"), family_sources())
    assert iryou.missing == ("健康保険（保険者名）（1行目）",)
    assert forms.fill(catalogue.form("kodomo_iryou"),
                      family_sources(**{"insurance.0": "架空市国民健康保険"})).rows[0]["insurance"] \
        == "架空市国民健康保険"
    # A 転居 with nothing typed: its address, 異動日 and the person are missing, by label.
    empty = forms.sources_for(CaseFile("7"), entry_kind="tenkyo", entry_values={}, today=TODAY)
    idou = forms.fill(catalogue.form("jumin_idou"), empty)
    assert {"新住所", "旧住所", "異動日", "世帯主", "届出人", "本人確認の方法", "異動者"} <= set(idou.missing)
    assert "新住所の郵便番号" in idou.missing
    setai = forms.sources_for(CaseFile("7"), entry_kind="setai_henko", entry_values={},
                              today=TODAY)
    assert "新住所" not in forms.fill(catalogue.form("jumin_idou"), setai).missing


def test_each_division_receives_only_its_forms_items(catalogue):
    sources = family_sources(request_kind="認定請求", pension="国民年金",
                             account="架空銀行 本店 普通 1234567", previous_insurance="架空健保")
    kokuho = forms.fill(catalogue.form("kokuho_shikaku"), sources).items()
    teate = forms.fill(catalogue.form("jidou_teate"), sources).items()
    assert set(kokuho) == {"form_id", "title", "division_id", "values", "rows"}
    assert kokuho["division_id"] == "kokuho" and teate["division_id"] == "kosodate"
    kokuho_text = json.dumps(kokuho, ensure_ascii=False)
    teate_text = json.dumps(teate, ensure_ascii=False)
    for item in ("架空銀行", "1234567", "国民年金", "account", "pension", "request_kind"):
        assert item not in kokuho_text
    assert "架空健保" in kokuho_text and "架空健保" not in teate_text
    assert "previous_insurance" not in teate_text
    assert set(kokuho["values"]) == {f.id for f in catalogue.form("kokuho_shikaku").fields}
    assert all(set(r) == {f.id for f in catalogue.form("kokuho_shikaku").person_fields}
               for r in kokuho["rows"])
    assert len(kokuho["rows"]) == 4 and len(teate["rows"]) == 1


def test_the_digest_is_of_the_items_and_changes_with_them(catalogue):
    form = catalogue.form("jumin_idou")
    a, b = forms.fill(form, family_sources()), forms.fill(form, family_sources())
    assert a.digest() == b.digest() and len(a.digest()) == 64
    other = forms.sources_for(CaseFile("A-012", identity_method="card"), entry_kind="tennyu",
                              entry_values={"idou_date": "2026-04-02"}, today=TODAY)
    assert forms.fill(form, other).digest() != a.digest()
    assert "山田" not in repr(a) and "山田" not in repr(family_sources())


def test_a_single_entry_fills_its_one_person_from_the_entry_and_the_register(catalogue):
    case = CaseFile("12", requester_kind="proxy", identity_method="documents", answers={"kokuho": True})
    record = {"name_kanji": "山田　太郎", "name_kana": "ヤマダ　タロウ", "birth_date": "1985-06-01",
              "sex": "male", "relationship_to_head": "世帯主", "address": "東京都架空市本町1番",
              "my_number": "123456789018"}
    sources = forms.sources_for(case, entry_kind="tenkyo", record=record, entry_values={
        "postal_code": "1234568", "address": "東京都架空市南町4番", "idou_date": "R8.4.1",
        "todoke_date": "2026-04-10"}, requester_name="山田　花子", today=TODAY)
    filled = forms.fill(catalogue.form("jumin_idou"), sources)
    assert filled.values["old_address"] == "東京都架空市本町1番"
    assert filled.values["new_address"] == "東京都架空市南町4番"
    assert filled.values["requester_kind"] == "代理人（委任状）"
    assert filled.values["identity_method"] == "本人確認書類"
    assert filled.values["head_name"] == "山田　太郎" and filled.values["idou_date"] == "令和8年4月1日"
    assert len(filled.rows) == 1 and filled.rows[0]["name_kanji"] == "山田　太郎"
    assert "123456789018" not in json.dumps(filled.items(), ensure_ascii=False)
    assert "my_number" not in sources.register


@pytest.mark.parametrize("birth, child", [
    (dt.date(2008, 4, 2), True),  # reaches 18 on 2026-04-01: a 児童 until 2027-03-31
    (dt.date(2008, 4, 1), False),  # reaches 18 on 2026-03-31: a 児童 until that day
    (dt.date(2007, 4, 2), False),  # reached 18 on 2025-04-01: until 2026-03-31
    (dt.date(2026, 4, 10), True),  # born today
])
def test_a_child_is_one_until_the_first_march_31_after_reaching_18(birth, child):
    assert forms.is_child(birth, dt.date(2026, 4, 10)) is child
