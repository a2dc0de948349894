"""#21 class 9 on the client: the same plausible dates as the centre (japan/dates.py), and a 異動日
typed 「不詳」 sent as unknown (K-DQ-17) and shown as 不詳 to the reviewer."""
import datetime as dt

import pytest

from app import idou_entry
from app.review import entry_rows
from japan import dates

TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize("birth", ["0001-01-01", "1889-12-31", "明治10年1月1日", "1026-01-01"])
def test_implausible_birth_dates_are_refused_as_typed(birth):
    message = idou_entry.check_field("birth_date", birth, today=TODAY, kind="tennyu")
    assert message and ("より前" in message or "範囲" in message), message


def test_birth_dates_within_the_bounds():
    for ok in ("1890-01-01", "明治23年1月1日", "S60.12.3", TODAY.isoformat()):
        assert idou_entry.check_field("birth_date", ok, today=TODAY, kind="tennyu") is None, ok
    assert "未来" in idou_entry.check_field("birth_date", "2026-11-24", today=TODAY)


def test_idou_dates_bounds():
    check = lambda v, kind="tennyu": idou_entry.check_field("idou_date", v, today=TODAY,  # noqa: E731
                                                            kind=kind)
    assert "施行日" in check("1967-11-09") and "施行日" in check("0001-01-01")
    assert check("1967-11-10") is None
    assert "未来" in check("2026-11-24")
    assert check("2026-12-23", "tenshutsu") is None  # 転出予定日: up to 30 days ahead
    assert "未来" in check("2026-12-24", "tenshutsu")
    assert "未来" in idou_entry.check_field("todoke_date", "2026-11-24", today=TODAY)


def test_unknown_change_date_where_the_register_allows_it():
    assert "不詳にできません" in idou_entry.check_field("idou_date", "不詳", today=TODAY,
                                                  kind="tennyu")
    assert "不詳にできません" in idou_entry.check_field("idou_date", "不詳", today=TODAY,
                                                  kind="tenkyo")
    for kind in ("shibou", "tenshutsu", "setai_henko"):
        assert idou_entry.check_field("idou_date", " 不 詳 ", today=TODAY, kind=kind) is None
    entry = idou_entry.Entry("shibou", {"idou_date": "不詳", "todoke_date": "2026-11-23"},
                             resident_id=7, expected_version=2)
    assert entry.errors(TODAY) == {}
    cmd = entry.command(TODAY)
    assert cmd["idou_date"] is None and cmd["idou_date_unknown"] is True
    rows = {r.key: r for r in entry_rows(cmd, {})}
    assert rows["idou_date"].entered == "不詳"
    known = idou_entry.Entry("shibou", {"idou_date": "2026-11-20", "todoke_date": "2026-11-23"},
                             resident_id=7, expected_version=2).command(TODAY)
    assert known["idou_date"] == "2026-11-20" and "idou_date_unknown" not in known


def test_late_filing_is_a_warning_not_a_bound():
    assert dates.late_filing("tennyu", dt.date(2026, 1, 1), TODAY)
    assert not dates.late_filing("tennyu", dt.date(2026, 11, 10), TODAY)
    assert idou_entry.check_field("idou_date", "2025-01-01", today=TODAY, kind="tennyu") is None
    assert dates.date_label(None, True) == "不詳" and dates.date_label(dt.date(2026, 1, 2)) == "2026-01-02"
