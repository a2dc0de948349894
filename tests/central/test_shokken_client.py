"""The terminal's client core for 職権 (K-DQ-16) and the 異動リスト (DQ-2): the entry built by
app/idou_list.py, sent, decided and listed through app.api_client, against the central API."""
from __future__ import annotations

import uuid

import pytest

from app import idou_list as il
from app.api_client import ApiError
from central import clock  # today in JST, as the centre dates everything
from tests.central.factories import new_resident


def _login(central, device_id: str, login_id: str, rights: list[str]):
    central.operator(login_id, rights)
    client, _ = central.terminal(device_id)
    client.login(login_id, central.passwords[login_id])
    return client


def test_a_shokken_shojo_through_the_client_core(central):
    setup = central.clerk(login_id="setup")
    made = new_resident(setup, name_kanji="端末　消除", name_kana="タンマツ　ショウジョ")
    clerk = _login(central, "CL-1", "c1", ["clerk"])
    kacho = _login(central, "CL-2", "kacho", ["supervisor"])
    rev = _login(central, "CL-3", "rev", ["reviewer"])
    evidence = il.investigation(clock.today(), ["chosa1", "chosa2"], "site_visit",
                                "居住の実態なし")
    body = il.shokken_shojo(made["resident_id"], made["version"], "不現住", evidence)
    assert body["idou_date_unknown"] is True
    case = clerk.submit_shokken(body, str(uuid.uuid4()))
    with pytest.raises(ApiError) as refused:
        clerk.approve_shokken(case.case_id, str(uuid.uuid4()))
    assert refused.value.code == "forbidden"
    queue = kacho.list_shokken()
    assert [c.id for c in queue] == [case.case_id] and queue[0].kind == "shokken_shojo"
    assert "端末" not in repr(queue[0])
    applied = kacho.approve_shokken(case.case_id, str(uuid.uuid4()))
    assert applied["kind"] == "shokken_shojo"

    listing = rev.idou_list()
    row = next(r for r in listing.rows if r.kind == "shokken_shojo")
    assert row.shokken and row.entry_kind_ja == "職権" and row.approved_by == "kacho"
    assert row.idou_date_unknown and not row.checked and "端末" not in repr(listing)
    assert rev.check_idou(row.history_id)["checked_by"] == "rev"
    assert next(r for r in rev.idou_list().rows if r.history_id == row.history_id).checked
    assert rev.idou_list_pdf().startswith(b"%PDF-")
    with pytest.raises(ApiError) as refused:
        clerk.idou_list()
    assert refused.value.code == "forbidden"
    with pytest.raises(ValueError):
        il.investigation(clock.today(), ["a"], "telepathy", "x")
