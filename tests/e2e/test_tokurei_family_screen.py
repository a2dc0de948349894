"""A family of four 特例転入 from 転出証明書情報 at the counter, in real windows against the central API
(SQLite and PostgreSQL), #22 point 2 (K-WF-4.6, WF-2/WF-3 書かない窓口, WF-5 審査, AUTHZ-2).

The 転出証明書情報 of 架空県もみじ市 (synth_momiji) arrive through the CS adapter; at the counter the
clerk reads the 妻's card (PIN, 券面事項入力補助AP) and the 転入予定 household appears with all four
members pre-filled; a card of somebody else's household is shown as not matching and refused; the
other three cards, read in the same visit, are matched to their members; the clerk confirms the
郵便番号 and 異動日 (the new address and 続柄 come pre-filled) and sends the 世帯主's 転入; a second
person approves it in another window; the clerk sends the three others into the new 世帯; they are
approved, and the register holds the family with its 住民票コード, 個人番号 and 続柄 carried over."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit
from sqlalchemy import select

from app import clock
from central import tennyu_yotei
from central.models import Case, Resident
from central.synth_momiji import document, family_of_four
from drivers.card.memory import MemoryCardReader
from drivers.card.virtual import Person, VirtualMyNumberCard
from tests.e2e.test_case_flow import keys, log_in
from tests.e2e.test_identity_screen import type_pin
from tests.e2e.windows import open_window, screenshot
from ui.devices.card import CardAccess

TODAY = clock.today()
PIN = "4321"


class Cards:
    """The card on the reader: the test puts each member's card there in turn."""

    def __init__(self):
        self.card: VirtualMyNumberCard | None = None

    def put(self, member: dict, address: str) -> None:
        self.card = VirtualMyNumberCard(Person(
            name=member["name_kanji"], address=address,
            birth_date=dt.date.fromisoformat(member["birth_date"]),
            sex="1" if member["sex"] == "male" else "2", my_number=member["my_number"], pin=PIN))

    def __call__(self, record):
        return CardAccess(MemoryCardReader(self.card), virtual=True, demo_pin=PIN)


@pytest.fixture
def cards():
    return Cards()


@pytest.fixture
def family(central):
    """The 転出証明書情報 of a family of four and of another household, received by the CS adapter
    (the document the cs-receive command reads)."""
    doc = family_of_four(41, today=TODAY)
    other = document(42, 1, today=TODAY)
    with central.sessions.begin() as db:
        for d in (doc, other):
            tennyu_yotei.receive(db, central.cipher, tennyu_yotei.parse(json.dumps(d)),
                                 received_by="cs-adapter")
    return doc["certificates"][0], other["certificates"][0]


def read_card(qtbot, window, page, button):
    """本人確認 with the card on the reader (PIN on the pad), recorded, back on the case page."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    identity = window.identity_page
    assert window.current_page is identity
    qtbot.mouseClick(identity.read_button, Qt.MouseButton.LeftButton)
    type_pin(qtbot, identity, PIN)
    qtbot.mouseClick(identity.record_card_button, Qt.MouseButton.LeftButton)
    assert window.current_page is page, identity.message.text()


def approve_all(qtbot, central, reviewer, case_ids):
    reviewer.review_action.trigger()
    review = reviewer.review_page
    for case_id in case_ids:
        qtbot.mouseClick(review.refresh_button, Qt.MouseButton.LeftButton)  # the queue as it is now
        review.queue.setCurrentCell(-1, -1)  # the reloaded queue keeps row 0 current: choose anew
        review.select_case(case_id)
        qtbot.mouseClick(review.approve_button, Qt.MouseButton.LeftButton)
        assert "承認し" in review.message.text(), review.message.text()
        assert case_id not in [item.id for item in review.items], review.message.text()  # applied


def test_a_family_of_four_tokurei_tennyu_through_review(central, qtbot, tmp_path, cards, family):
    cert, other = family
    central.operator("c1", ["clerk", "my_number_access"])
    central.operator("r1", ["reviewer"])
    window = open_window(central, qtbot, "TOK-0001", tmp_path / "ws", card_access=cards)
    reviewer = open_window(central, qtbot, "TOK-0002", tmp_path / "ws2")
    log_in(qtbot, central, window, "c1")
    log_in(qtbot, central, reviewer, "r1")
    qtbot.mouseClick(window.search_page.reception_button, Qt.MouseButton.LeftButton)
    page = window.case_page
    keys(qtbot, page.queue_edit, "T-41")
    qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    page.event_checks["move_in"].setChecked(True)
    assert page.current_kind() == "tennyu"
    members = cert["members"]
    assert [m["relationship_to_head"] for m in members][:2] == ["世帯主", "妻"]

    # one card (the 妻's) finds the household: every member pre-filled, the one-person form hidden
    cards.put(members[1], cert["address"])
    read_card(qtbot, window, page, page.identity_button)
    box = page.tokurei_box
    assert box.isVisible() and not page.entry_form.isVisible(), page.status_label.text()
    number = {m.juminhyo_code: m.member_no for m in page.visit.tokurei.household.members}
    for m in members:
        m["member_no"] = number[m["juminhyo_code"]]
    assert len(box.relation_combos) == 4
    assert [box.relation_combos[m["member_no"]].currentText() for m in members] == \
        [m["relationship_to_head"] for m in members]
    assert box.edits["address"].text() == cert["moved_out_to"]  # the planned 転出先, to confirm
    assert "架空県もみじ市" in box.source_label.text()  # the sender (転出元)
    assert box.card_labels[members[1]["member_no"]].text() == "読取済み（照合一致）"
    assert box.card_labels[members[0]["member_no"]].text() == "未読取"
    shown = " ".join(w.text() for kind in (QLabel, QLineEdit) for w in box.findChildren(kind))
    assert not any(m["my_number"] in shown for m in members)  # the 個人番号 is never shown
    assert window.focusWidget() is box.read_button  # what the clerk does next
    screenshot(window, "31-tokurei-household-found.png", box)

    # sending before every card is read: refused beside the rows whose card is missing
    qtbot.mouseClick(box.submit_button, Qt.MouseButton.LeftButton)
    assert "カードを読み取って" in box.row_errors[members[0]["member_no"]].text()

    # a card of another household: shown as not matching, and refused
    cards.put(other["members"][0], other["address"])
    read_card(qtbot, window, page, box.read_button)
    assert "転入予定の世帯の方のものではありません" in box.card_error.text()
    assert other["members"][0]["name_kanji"] not in box.card_error.text()
    screenshot(window, "32-tokurei-card-not-in-household.png", box)
    assert sorted(page.visit.tokurei.cards) == [members[1]["member_no"]]

    # the other three cards, read in the same visit, each matched to its member
    for m in (members[0], members[2], members[3]):
        cards.put(m, cert["address"])
        read_card(qtbot, window, page, box.read_button)
        assert box.card_labels[m["member_no"]].text() == "読取済み（照合一致）", box.card_error.text()
    assert box.card_error.text() == "" and "全員のカード" in box.status_label.text()
    assert window.focusWidget() is box.edits["postal_code"]

    # the clerk confirms: 郵便番号 and 異動日 typed (Return moves on); an error keeps the text
    keys(qtbot, box.edits["postal_code"], "12-345")
    qtbot.keyClick(box.edits["postal_code"], Qt.Key.Key_Return)
    assert window.focusWidget() is box.edits["address"]
    qtbot.mouseClick(box.submit_button, Qt.MouseButton.LeftButton)
    assert "7桁" in box.errors["postal_code"].text() and box.edits["postal_code"].text() == "12-345"
    assert "異動日" in box.errors["idou_date"].text()
    screenshot(window, "33-tokurei-errors-beside-fields.png", box)
    box.edits["postal_code"].clear()
    keys(qtbot, box.edits["postal_code"], "1234567")
    keys(qtbot, box.edits["idou_date"], TODAY.isoformat())
    qtbot.mouseClick(box.submit_button, Qt.MouseButton.LeftButton)
    head_no = members[0]["member_no"]
    assert list(page.visit.tokurei.sent) == [head_no], box.status_label.text()
    assert "世帯主の転入を審査に回しました" in box.status_label.text()
    assert box.errors["postal_code"].text() == ""
    # the members cannot join before the 世帯主 is on the register
    qtbot.mouseClick(box.submit_button, Qt.MouseButton.LeftButton)
    assert "まだ審査中" in box.status_label.text()

    approve_all(qtbot, central, reviewer, [page.visit.tokurei.sent[head_no]])
    qtbot.mouseClick(box.submit_button, Qt.MouseButton.LeftButton)
    assert len(page.visit.tokurei.sent) == 4, box.status_label.text() + str(box.row_errors)
    assert "世帯員の転入を審査に回しました" in box.status_label.text()
    assert page.visit.tokurei.cards == {}  # the card readings are dropped once sent
    assert all("審査待ち" in label.text() for label in box.sent_labels.values())
    screenshot(window, "34-tokurei-all-sent-to-review.png", box)
    approve_all(qtbot, central, reviewer,
                [c for no, c in page.visit.tokurei.sent.items() if no != head_no])

    with central.sessions() as db:
        assert {c.status for c in db.scalars(select(Case))} == {"approved"}
        people = db.scalars(select(Resident).where(
            Resident.juminhyo_code.in_([m["juminhyo_code"] for m in members]))).all()
        assert len(people) == 4 and len({p.household_id for p in people}) == 1
        by_code = {p.juminhyo_code: p for p in people}
        for m in members:
            p = by_code[m["juminhyo_code"]]
            assert central.cipher.decrypt(p.my_number_enc) == m["my_number"]
            assert p.relationship_to_head == m["relationship_to_head"]
            assert p.address == cert["moved_out_to"] and p.postal_code == "1234567"
            assert p.moved_in_from == cert["address"]
