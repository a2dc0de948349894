"""The client core of the 職権 entry and the printed 異動リスト (K-DQ-16, DQ-2): format checks beside
each field, the command sent, the centre's field names folded onto the form, the print layout."""
from __future__ import annotations

import datetime as dt

from app import idou_list as il

TODAY = dt.date(2026, 12, 8)
EVIDENCE = {"reason": "不現住", "investigated_on": "R8.12.1", "investigators": "chosa1、chosa2",
            "method": "site_visit", "finding": "居住の実態なし"}


def test_an_empty_entry_names_every_missing_field_and_keeps_nothing_invented():
    errors = il.ShokkenEntry().errors(TODAY)
    assert set(errors) == {"resident", "reason", "investigated_on", "investigators", "method",
                           "finding"}
    assert "idou_date" not in errors  # a 職権消除's 異動日 may be 不詳 (K-DQ-17)


def test_a_shojo_with_unknown_date_and_a_shusei_that_needs_one():
    entry = il.ShokkenEntry(resident_id=3, version=2, values=dict(EVIDENCE, idou_date="不詳"))
    cmd = entry.command(TODAY)
    assert cmd["idou_date"] is None and cmd["idou_date_unknown"] is True
    assert cmd["investigation"] == {"investigated_on": "2026-12-01", "method": "site_visit",
                                    "investigators": ["chosa1", "chosa2"], "finding": "居住の実態なし"}
    shusei = il.ShokkenEntry("shokken_shusei", 3, 2, dict(EVIDENCE, idou_date="不詳",
                                                          shusei_field="birth_date",
                                                          shusei_value="S60.1.2"))
    assert shusei.errors(TODAY) == {"idou_date": "職権記載・職権修正の異動日は不詳にできません"}
    shusei.values["idou_date"] = "2026-12-01"
    assert shusei.command(TODAY)["changes"] == {"birth_date": "1985-01-02"}


def test_future_dates_and_duplicate_investigators_are_refused_beside_their_fields():
    entry = il.ShokkenEntry(resident_id=3, version=2, values=dict(
        EVIDENCE, investigated_on="2026-12-09", investigators="a a"))
    errors = entry.errors(TODAY)
    assert errors["investigated_on"] == "調査日が未来の日付です"
    assert "重複なく" in errors["investigators"]


def test_the_centres_field_names_land_on_the_form():
    assert il.entry_field("investigation.investigators") == "investigators"
    assert il.entry_field("changes.katagaki") == "shusei_value"
    assert il.entry_field("expected_version") == "resident"
    assert il.entry_field("person.name_kana") == "name_kana"
    assert il.entry_field(None) == il.entry_field("household.household_no") == "form"


def test_a_kisai_is_a_new_person_checked_like_a_tennyu():
    entry = il.ShokkenEntry("shokken_kisai", values=dict(EVIDENCE, idou_date="R8.11.30",
                                                         name_kanji="架空　次郎",
                                                         name_kana="かくう"))
    errors = entry.errors(TODAY)
    assert "resident" not in errors and "moved_in_from" not in errors  # no record; 従前の住所 if known
    assert set(errors) == {"name_kana", "birth_date", "sex", "postal_code", "address"}
    entry.values.update(name_kana="カクウ　ジロウ", birth_date="1990-04-01", sex="male",
                        postal_code="123-4567", address="架空県さくら市桜町1番1号")
    cmd = entry.command(TODAY)
    assert cmd["kind"] == "shokken_kisai" and cmd["idou_date"] == "2026-11-30"
    assert cmd["person"]["postal_code"] == "1234567" and cmd["moved_in_from"] is None
    assert "household" not in cmd  # a new 世帯, the person its 世帯主 (the centre's default)


def test_the_print_layout_has_the_centre_pdfs_columns_and_marks_carried_over_rows():
    listing = il.IdouList.from_json({"date": "2026-12-08", "device": None, "unchecked_count": 1,
                                     "carried_over_count": 1, "rows": [{
                                         "history_id": 1, "resident_id": 2, "kind": "shokken_shojo",
                                         "kind_ja": "職権消除", "entry_kind": "shokken",
                                         "entry_kind_ja": "職権", "name_kanji": "架空　太郎",
                                         "address": "架空県", "idou_date_unknown": True,
                                         "recorded_at": "2026-12-07T01:00:00Z", "operator": "c1",
                                         "approved_by": "kacho", "carried_over": True,
                                         "support_measure": True}]})
    doc = il.print_layout(listing, printed_by="rev", printed_at="2026-12-08 10:00 JST")
    [row] = doc.rows
    assert len(row) == len(doc.columns) == len(il.PRINT_COLUMNS)
    assert row[2] == "職権消除（前日以前）" and row[5] == "不詳" and row[6] == "（職権）"
    assert "支援措置" in row[4] and row[9] == "□ 未点検"
    assert "全体" in doc.heading and "出力: rev" in doc.summary and "架空" not in repr(doc)
