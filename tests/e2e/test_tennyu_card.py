"""転入 pre-filled from the My Number card (issue #7, WF-2, WF-3, WF-4, LOG-1), in the real window
against the real central API (SQLite and PostgreSQL) with the virtual card through the protocol
code: 受付 → 本人確認 without a register record (PIN, 券面事項入力補助 4情報; the My Number only with
特定個人情報アクセス権限) → the check recorded against the case → the 転入届 filled with 氏名, 生年月日
(和暦), 性別 and 前住所 = the card's address, each marked and editable, 外字 flagged for a visual
check → フリガナ and the new address typed → 審査."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from app import clock
from central.models import AuditEvent, Case
from drivers.card.memory import MemoryCardReader
from drivers.card.virtual import Person, VirtualMyNumberCard
from tests.e2e.test_case_flow import log_in, type_into
from tests.e2e.test_identity_screen import type_pin
from tests.e2e.test_issuance_screen import choose
from tests.e2e.windows import open_window
from ui.devices.card import CardAccess

TODAY = clock.today()  # the counter's day, in Japan (JST)
OLD_ADDRESS = "架空県もみじ市本町一丁目1番1号"


class NewcomerCard:
    """A card whose holder has no record here; the page must not need one to read it."""

    def __init__(self, name="髙橋　転入"):
        self.card = VirtualMyNumberCard(Person(name=name, address=OLD_ADDRESS,
                                               birth_date=dt.date(1985, 12, 3), sex="2", pin="4321"))
        self.records = []

    def __call__(self, record):
        self.records.append(record)
        return CardAccess(MemoryCardReader(self.card), virtual=True, demo_pin="4321")


@pytest.fixture
def card():
    return NewcomerCard()


@pytest.fixture
def window(central, qtbot, tmp_path, card):
    return open_window(central, qtbot, "TNY-0001", tmp_path / "ws", card_access=card)


def start_tennyu(qtbot, window, queue="T-1"):
    qtbot.mouseClick(window.search_page.reception_button, Qt.MouseButton.LeftButton)
    page = window.case_page
    assert window.current_page is page
    qtbot.keyClicks(page.queue_edit, queue)
    qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    assert page.case is not None, page.reception_error.text()
    page.event_checks["move_in"].setChecked(True)
    assert page.current_kind() == "tennyu"
    return page


def read_card(qtbot, window, page):
    qtbot.mouseClick(page.identity_button, Qt.MouseButton.LeftButton)
    identity = window.identity_page
    assert window.current_page is identity and "転入" in identity.subject_label.text()
    assert identity.busy.isHidden() and identity.cursor().shape() != Qt.CursorShape.BusyCursor
    qtbot.mouseClick(identity.read_button, Qt.MouseButton.LeftButton)
    type_pin(qtbot, identity, "4321")
    table = identity.compare_table
    shown = {table.item(r, 0).text(): (table.item(r, 1).text(), table.item(r, 3).text())
             for r in range(table.rowCount())}
    assert shown["住所（転入前）"][0] == OLD_ADDRESS
    assert shown["生年月日"][0].startswith("昭和60年12月3日")
    qtbot.mouseClick(identity.record_card_button, Qt.MouseButton.LeftButton)
    assert window.current_page is page, identity.message.text()
    assert identity.card_result is None and identity.compare_table.rowCount() == 0  # not left on screen
    return shown


def test_a_whole_tennyu_filled_from_the_card_goes_to_review(central, window, qtbot, card):
    central.operator("t1", ["clerk", "my_number_access"])
    log_in(qtbot, central, window, "t1")
    page = start_tennyu(qtbot, window)
    shown = read_card(qtbot, window, page)
    assert shown["氏名"] == ("髙橋　転入", "目視確認")  # 髙 is not in JIS X 0208
    assert card.records == [{}]  # read without any register record
    # the check is in the centre's log against this counter case, with nothing of the card
    with central.sessions() as db:
        (event,) = db.scalars(select(AuditEvent).where(AuditEvent.action == "identity.check"))
        assert event.subject == f"newcomer:{page.case.case_id}" and event.operator_login == "t1"
        assert "髙橋" not in str(event.detail) and OLD_ADDRESS not in str(event.detail)
    # the form: the card's 4情報 (and the number, read with the right), marked; the rest left
    values = page.entry_values()
    assert values["name_kanji"] == "髙橋　転入" and values["birth_date"] == "昭和60年12月3日"
    assert values["sex"] == "female" and values["moved_in_from"] == OLD_ADDRESS
    assert values["my_number"] == card.card.person.my_number
    assert values["name_kana"] == "" and values["address"] == "" and values["postal_code"] == ""
    assert set(page.card_marks) == {"name_kanji", "birth_date", "sex", "moved_in_from", "my_number"}
    assert all(m.text() == "カードから" for m in page.card_marks.values())
    assert page.card_notes["name_kanji"].isVisible()
    assert "外字" in page.card_notes["name_kanji"].text() and "目視" in page.card_notes["name_kanji"].text()
    assert page.edits["name_kana"].hasFocus()  # what the clerk types next
    # editable: a change is marked as such, and the card's value back is the card's again
    type_into(qtbot, page, "moved_in_from", OLD_ADDRESS + "　もみじ荘")
    assert page.card_marks["moved_in_from"].text() == "カードから（修正あり）"
    type_into(qtbot, page, "moved_in_from", OLD_ADDRESS)
    assert page.card_marks["moved_in_from"].text() == "カードから"
    # what the card does not hold: typed by the clerk
    type_into(qtbot, page, "name_kana", "タカハシ　テンニュウ")
    type_into(qtbot, page, "postal_code", "123-4567")
    type_into(qtbot, page, "address", "架空県さくら市本町三丁目4番5号")
    type_into(qtbot, page, "idou_date", TODAY.isoformat())
    qtbot.mouseClick(page.submit_button, Qt.MouseButton.LeftButton)
    assert "審査待ち" in page.status_label.text(), page.status_label.text() + page.form_error.text()
    assert page.busy.isHidden()
    with central.sessions() as db:
        (case,) = db.scalars(select(Case))
        person = case.command["person"]
        assert person["name_kanji"] == "髙橋　転入" and person["birth_date"] == "1985-12-03"
        assert person["sex"] == "female" and case.command["moved_in_from"] == OLD_ADDRESS
        assert case.status == "submitted"
        assert case.command["identity_check_seq"] == event.seq  # the 届出 names its 本人確認
    # 審査: the reviewer sees how the 届出人 was identified, from the centre's record
    window.logout()
    central.operator("t2", ["reviewer"])
    log_in(qtbot, central, window, "t2")
    window.review_action.trigger()
    review = window.review_page
    review.select_case(case.id)
    shown = review.identity_label.text()
    assert "マイナンバーカード（ICチップ照合）" in shown and "転入の受付で確認" in shown, shown
    assert "確認者: t1" in shown and clock.today().isoformat() in shown  # the counter's day (JST)


def test_without_the_right_no_number_and_nothing_typed_is_overwritten(central, window, qtbot, card):
    central.operator("t2", ["clerk"])
    log_in(qtbot, central, window, "t2")
    card.card = NewcomerCard(name="転入　花子").card
    page = start_tennyu(qtbot, window, "T-2")
    type_into(qtbot, page, "name_kanji", "転入　華子")  # the clerk typed first (from the 届書)
    type_into(qtbot, page, "name_kana", "テンニュウ　ハナコ")
    shown = read_card(qtbot, window, page)
    assert shown["氏名"] == ("転入　花子", "—")  # ordinary characters: no visual check
    values = page.entry_values()
    assert values["name_kanji"] == "転入　華子" and values["name_kana"] == "テンニュウ　ハナコ"
    assert page.card_marks["name_kanji"].text() == "カードから（修正あり）"  # differs from the card
    assert values["my_number"] == "" and "my_number" not in page.card_marks  # never read
    assert values["moved_in_from"] == OLD_ADDRESS and "name_kanji" not in page.card_notes
    # 保留 and 再開 keep the values and the marks
    qtbot.mouseClick(page.park_button, Qt.MouseButton.LeftButton)
    page.parked_combo.setCurrentIndex(page.parked_combo.findText("T-2"))
    qtbot.mouseClick(page.resume_button, Qt.MouseButton.LeftButton)
    assert page.entry_values()["moved_in_from"] == OLD_ADDRESS
    assert page.card_marks["moved_in_from"].text() == "カードから"
    choose(page.edits["sex"], "female")
    assert page.card_marks["sex"].text() == "カードから"
