"""世帯の届出 through the case page's screen (#22 point 1, K-WF-5.1, K-DQ-1, WF-5 審査), in the real
window against the central API (SQLite and PostgreSQL): a partial 転居 (世帯分離) — the grown-up son
moves to a flat in the city as 世帯主 of his own 世帯. The household checks are shown beside the
row's field in Japanese, nothing typed is lost on an error, and after 審査 by a second person the
register holds two 世帯."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from central.models import Case, Resident
from tests.central.test_household_todoke import (FAMILY, FLAT, Counter, newcomer, person,
                                                 todoke)
from tests.e2e.test_case_flow import keys, log_in
from tests.e2e.test_tokurei_family_screen import approve_all
from tests.e2e.windows import find_resident, open_window, screenshot


@pytest.fixture
def family(central):
    members = [*FAMILY[:2], newcomer("子", person("世帯　健", "セタイ　ケン", "2002-11-11", "male"))]
    return Counter(central).applied(todoke(members, moved_in_from="架空県もみじ市本町1番1号"))


def test_a_partial_tenkyo_splits_off_a_new_household_through_the_screen(central, qtbot, tmp_path,
                                                                        family):
    central.operator("c1", ["clerk"])
    central.operator("r1", ["reviewer"])
    window = open_window(central, qtbot, "SET-0001", tmp_path / "ws")
    reviewer = open_window(central, qtbot, "SET-0002", tmp_path / "ws2")
    log_in(qtbot, central, window, "c1")
    log_in(qtbot, central, reviewer, "r1")
    son = family[2]
    with central.sessions() as db:
        code = db.get(Resident, son["resident_id"]).juminhyo_code
        old_household = db.get(Resident, son["resident_id"]).household_id
    search = find_resident(qtbot, window, "idou", code)
    search.results_table.selectRow(0)
    qtbot.mouseClick(search.entry_button, Qt.MouseButton.LeftButton)
    page = window.case_page
    keys(qtbot, page.queue_edit, "S-1")
    qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.setai_button, Qt.MouseButton.LeftButton)
    box = page.setai_box
    assert box.isVisible() and not page.entry_form.isVisible()
    (row,) = box.rows
    assert row.person.currentData() == son["resident_id"]  # the resident chosen on the search page

    # a 続柄 only the centre can check against the 世帯 (a 父 younger than the 世帯主): its
    # refusal comes back on the row (member_field), and nothing is kept
    row.choose(row.event, "setai_henko")
    row.choose(row.relation, "父")
    keys(qtbot, box.edits["idou_date"], "2026-12-01")
    qtbot.mouseClick(box.submit_button, Qt.MouseButton.LeftButton)
    assert "差し戻されました" in box.status_label.text(), box.status_label.text()
    assert row.error.text() and not row.error.text().isascii(), box.form_error.text()
    assert box.edits["idou_date"].text() == "2026-12-01" and row.relation.currentData() == "父"
    with central.sessions() as db:
        assert db.query(Case).count() == 0
    row.choose(row.relation, "")

    # 世帯分離 without a 続柄 and without the new address: said beside the row and the field
    row.choose(row.event, "tenkyo")
    row.choose(row.to, "new")
    qtbot.mouseClick(box.submit_button, Qt.MouseButton.LeftButton)
    assert "続柄を選んでください" in row.error.text()
    assert "転居先の住所" in box.errors["address"].text()
    # a 続柄 that cannot be the only member of a new 世帯: the household check, on the row
    row.choose(row.relation, "子")
    keys(qtbot, box.edits["postal_code"], "9990002")
    box.edits["address"].insert(FLAT)
    keys(qtbot, box.edits["katagaki"], "101")
    qtbot.mouseClick(box.submit_button, Qt.MouseButton.LeftButton)
    assert row.error.text() and not row.error.text().isascii(), row.error.text()
    assert box.errors["address"].text() == ""
    assert box.edits["address"].text() == FLAT and box.edits["postal_code"].text() == "9990002"
    screenshot(window, "35-setai-household-check-beside-row.png", box)
    with central.sessions() as db:
        assert db.query(Case).count() == 0  # nothing sent yet

    row.choose(row.relation, "世帯主")
    qtbot.mouseClick(box.submit_button, Qt.MouseButton.LeftButton)
    assert "審査待ち" in box.status_label.text(), box.status_label.text() + box.form_error.text()
    assert row.error.text() == ""
    screenshot(window, "36-setai-sent-to-review.png", box)
    with central.sessions() as db:
        (case,) = db.query(Case).all()
        assert case.command["kind"] == "setai"
        assert case.command["members"][0]["to"] == "new"
    approve_all(qtbot, central, reviewer, [case.id])
    with central.sessions() as db:
        r = db.get(Resident, son["resident_id"])
        assert r.household_id != old_household and r.relationship_to_head == "世帯主"
        assert (r.address, r.postal_code, r.katagaki) == (FLAT, "9990002", "101")
        parents = db.get(Resident, family[0]["resident_id"])
        assert parents.household_id == old_household and parents.relationship_to_head == "世帯主"
