"""app.review: the rows a reviewer reads (DQ-1): new records list every entered item; a 転居 lists
only what changes, beside what the register holds now, and flags only real differences."""
from __future__ import annotations

from app.review import CaseView, entry_rows, kind_label, local_time, subject_name


def test_tennyu_lists_entered_items_in_notification_order():
    command = {"kind": "tennyu", "idou_date": "2026-11-20", "todoke_date": "2026-11-23",
               "person": {"name_kanji": "見本　花子", "name_kana": "ミホン　ハナコ",
                          "birth_date": "1980-04-01", "sex": "female", "postal_code": "9990001",
                          "address": "架空県さくら市桜町1番", "katagaki": None},
               "moved_in_from": "架空県もみじ市本町1番1号"}
    rows = entry_rows(command, None)
    assert [r.label for r in rows] == ["異動日", "届出日", "氏名", "フリガナ", "生年月日", "性別",
                                       "郵便番号", "住所", "転入前住所"]
    assert next(r for r in rows if r.key == "sex").entered == "女"
    assert all(r.changed for r in rows if r.key not in ("idou_date", "todoke_date"))
    assert subject_name(CaseView.from_json({"id": 1, "command": command})) == "見本　花子"
    assert kind_label("tennyu") == "転入" and kind_label("unknown") == "unknown"


def test_tenkyo_shows_changes_beside_the_current_record():
    command = {"kind": "tenkyo", "resident_id": 5, "expected_version": 2,
               "changes": {"katagaki": "さくら荘101", "address": "架空県さくら市梅町2番"}}
    current = {"name_kanji": "見本　太郎", "address": "架空県さくら市梅町2番", "katagaki": None}
    rows = {r.key: r for r in entry_rows(command, current)}
    assert list(rows) == ["address", "katagaki"]
    assert not rows["address"].changed  # same as the record: nothing to look at
    assert rows["katagaki"].changed and rows["katagaki"].current == ""
    assert subject_name(CaseView.from_json({"id": 2, "command": command, "current": current})) == "見本　太郎"


def test_the_centres_times_are_shown_as_the_counter_reads_them():
    """UTC from the centre, JST at the counter (a check at 20:10 UTC is the next morning's)."""
    assert local_time("2026-11-23T20:10:59.123456Z") == "2026-11-24 05:10"
    assert local_time("2026-11-23T01:00:00+00:00") == "2026-11-23 10:00"
    for bad in ("", "yesterday", "2026-11-23T01:00:00"):  # no zone: not guessed
        assert local_time(bad) == ""
