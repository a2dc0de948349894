"""#21 class 9: plausible dates for a 異動届, and the 不詳 form (K-DQ-17), on the central API.

生年月日 from 1890-01-01 to today (JST); 異動日 and 届出日 not before the 住民基本台帳法 took effect
(1967-11-10) nor after today (a 転出 up to 30 days ahead); a 異動日 recorded as 不詳 where the register
allows it (世帯変更, 転出, 死亡), never an invented date, and shown as unknown in the record."""
from __future__ import annotations

import datetime as dt

import pytest

from central import clock
from central.models import Resident
from tests.central.factories import new_resident, post, tennyu


def _refused(r, code, field):
    assert r.status_code == 422, r.text
    body = r.json()
    assert (body["code"], body["field"]) == (code, field), body
    assert body["detail_ja"] and body["title_ja"]


@pytest.mark.parametrize("birth", ["0001-01-01", "1026-05-05", "1889-12-31", "1800-01-01"])
def test_implausible_births_are_refused(central, birth):
    clerk = central.clerk()
    body = tennyu(birth_date=birth)
    _refused(post(clerk, body), "date_out_of_range", "person.birth_date")
    shussei = dict(body, kind="shussei", idou_date=birth, household={"household_no": "1",
                                                                     "relationship_to_head": "子"})
    del shussei["moved_in_from"]
    _refused(post(clerk, shussei), "date_out_of_range", "person.birth_date")
    with central.sessions() as db:
        assert db.query(Resident).count() == 0


def test_births_at_the_bounds(central):
    clerk = central.clerk()
    today = clock.today()
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    _refused(post(clerk, tennyu(birth_date=tomorrow)), "date_in_future", "person.birth_date")
    oldest = tennyu(birth_date="1890-01-01")
    assert post(clerk, oldest).status_code == 201


@pytest.mark.parametrize("idou", ["0001-01-01", "1900-01-01", "1967-11-09"])
def test_implausible_idou_dates_are_refused(central, idou):
    clerk = central.clerk()
    made = new_resident(clerk, birth_date="1950-01-01")
    body = tennyu(birth_date="1950-06-06")
    body["idou_date"] = idou
    _refused(post(clerk, body), "date_out_of_range", "idou_date")
    today = clock.today().isoformat()
    for kind, extra in (("tenshutsu", {"moved_out_to": "架空県もみじ市本町2番2号"}),
                        ("shibou", {}),
                        ("setai_henko", {"changes": {"relationship_to_head": "妻"}})):
        r = post(clerk, {"kind": kind, "resident_id": made["resident_id"],
                         "expected_version": made["version"], "idou_date": idou,
                         "todoke_date": today, **extra})
        _refused(r, "date_out_of_range", "idou_date")
    r = post(clerk, dict(tennyu(), todoke_date="1901-01-01", idou_date="1901-01-01"))
    _refused(r, "date_out_of_range", "idou_date")


def test_future_idou_dates(central):
    clerk = central.clerk()
    today = clock.today()
    made = new_resident(clerk)
    body = tennyu()
    body["idou_date"] = (today + dt.timedelta(days=1)).isoformat()
    _refused(post(clerk, body), "date_in_future", "idou_date")
    out = {"kind": "tenshutsu", "resident_id": made["resident_id"],
           "expected_version": made["version"], "todoke_date": today.isoformat(),
           "moved_out_to": "架空県もみじ市本町2番2号"}
    r = post(clerk, dict(out, idou_date=(today + dt.timedelta(days=31)).isoformat()))
    _refused(r, "date_in_future", "idou_date")
    assert "JST" in r.json()["detail"] and r.json()["today"] == today.isoformat()
    r = post(clerk, dict(out, idou_date=(today + dt.timedelta(days=30)).isoformat()))
    assert r.status_code == 201, r.text


def test_a_late_filing_is_accepted(central):
    """The 14-day 届出期間 is a deadline (a 過料 may follow), not a bound: accepted."""
    clerk = central.clerk()
    body = tennyu()
    body["idou_date"] = (clock.today() - dt.timedelta(days=400)).isoformat()
    assert post(clerk, body).status_code == 201


def test_an_unknown_removal_date_is_recorded_as_unknown(central):
    clerk = central.clerk()
    today = clock.today().isoformat()
    made = new_resident(clerk, name_kanji="不詳　花子", name_kana="フショウ　ハナコ")
    r = post(clerk, {"kind": "shibou", "resident_id": made["resident_id"],
                     "expected_version": made["version"], "idou_date": None,
                     "idou_date_unknown": True, "todoke_date": today})
    assert r.status_code == 201, r.text
    with central.sessions() as db:
        res = db.get(Resident, made["resident_id"])
        assert (res.status, res.removed_on, res.removed_on_unknown) == ("removed", None, True)
        last = res.history[-1]
        assert (last.kind, last.idou_date, last.idou_date_unknown) == ("shibou", None, True)
    body = clerk.get(f"/v1/residents/{made['resident_id']}", params={"purpose": "inquiry"}).json()
    assert body["removed_on"] is None and body["removed_on_unknown"] is True
    assert body["history"][-1]["idou_date"] is None
    assert body["history"][-1]["idou_date_unknown"] is True
    assert body["history"][0]["idou_date_unknown"] is False


def test_unknown_dates_only_where_the_register_allows_them(central):
    clerk = central.clerk()
    today = clock.today().isoformat()
    made = new_resident(clerk)
    body = dict(tennyu(), idou_date=None, idou_date_unknown=True)
    _refused(post(clerk, body), "date_unknown_not_allowed", "idou_date")
    tenkyo = {"kind": "tenkyo", "resident_id": made["resident_id"],
              "expected_version": made["version"], "idou_date": None, "idou_date_unknown": True,
              "todoke_date": today, "changes": {"address": "架空県さくら市本町1番1号"}}
    _refused(post(clerk, tenkyo), "date_unknown_not_allowed", "idou_date")
    out = {"kind": "tenshutsu", "resident_id": made["resident_id"],
           "expected_version": made["version"], "todoke_date": today,
           "moved_out_to": "架空県もみじ市本町2番2号"}
    _refused(post(clerk, dict(out, idou_date=None)), "invalid_request", "idou_date")  # no date
    _refused(post(clerk, dict(out, idou_date=today, idou_date_unknown=True)), "invalid_request",
             "idou_date")  # both
    r = post(clerk, dict(out, idou_date=None, idou_date_unknown=True))
    assert r.status_code == 201, r.text
