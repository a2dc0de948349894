"""本人確認 in the real window against the real central API (SQLite and PostgreSQL), with the virtual
My Number card through the protocol code (in memory; the PC/SC path is tested in tests/drivers):
happy path with the record beside the card, a difference highlighted, wrong PIN with tries left,
the last try needing confirmation, a locked PIN with no VERIFY sent, a card pulled mid-read
leaving nothing on screen, the My Number only with the right, the documents rule, and every
check recorded with the centre (WF-2, DQ-3, DQ-5, 000 L3286)."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from central.models import AuditEvent
from drivers.card.memory import MemoryCardReader
from drivers.card.virtual import Person, VirtualMyNumberCard
from tests.central.factories import new_resident
from ui.devices.card import CardAccess
from ui.shell.main_window import MainWindow
from ui.common.worker import run_synchronously
from tests.e2e import windows

class Cards:
    """The card the test puts on the reader, made from the resident's record unless told otherwise."""

    def __init__(self):
        self.card: VirtualMyNumberCard | None = None
        self.fail_after: int | None = None
        self.overrides: dict = {}
        self.tries = 3

    def __call__(self, record):
        if self.card is None:
            fields = dict(name=record["name_kanji"], address=record["address"],
                          birth_date=dt.date.fromisoformat(record["birth_date"]),
                          sex={"male": "1", "female": "2"}[record["sex"]], pin="4321")
            fields.update(self.overrides)
            person = Person(**fields)
            self.card = VirtualMyNumberCard(person, tries=self.tries)
        return CardAccess(MemoryCardReader(self.card, fail_after=self.fail_after), virtual=True,
                          demo_pin="4321")

    def verifies(self):
        """VERIFY commands that carried a PIN (each may cost a try)."""
        return self.card.verify_attempts


@pytest.fixture
def cards():
    return Cards()


@pytest.fixture
def window(central, qtbot, cards):
    client, key = central.terminal("IDC-0001")
    win = MainWindow(client, run_synchronously, terminal_id=key.device_id, card_access=cards,
                     guard_tick_ms=3_600_000, health_interval_ms=3_600_000)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def open_identity(qtbot, central, win, rights=("clerk",), **person):
    setup = central.clerk(login_id=f"setup{len(central.passwords)}")
    made = new_resident(setup, **person)
    code = setup.get(f"/v1/residents/{made['resident_id']}", params={"purpose": "idou"}).json()["juminhyo_code"]
    central.operator("c1", list(rights))
    windows.log_in(qtbot, central, win, "c1")
    search = windows.find_resident(qtbot, win, "identity", code)
    search.results_table.selectRow(0)
    qtbot.mouseClick(search.identity_button, Qt.MouseButton.LeftButton)
    assert win.current_page is win.identity_page
    return win.identity_page, made


def type_pin(qtbot, page, pin):
    for digit in pin:
        qtbot.mouseClick(page.pin_pad.keys[digit], Qt.MouseButton.LeftButton)
    assert page.pin_pad.edit.echoMode() == page.pin_pad.edit.EchoMode.Password
    qtbot.mouseClick(page.pin_pad.ok, Qt.MouseButton.LeftButton)


def verdicts(page):
    t = page.compare_table
    return {t.item(r, 0).text(): t.item(r, 3).text() for r in range(t.rowCount())}


def identity_audit(central):
    with central.sessions() as db:
        return [(e.outcome, e.detail) for e in db.scalars(
            select(AuditEvent).where(AuditEvent.action == "identity.check").order_by(AuditEvent.seq))]


def test_card_matches_the_register_and_the_check_is_recorded(central, window, qtbot, cards):
    page, made = open_identity(qtbot, central, window, name_kanji="確認　花子", name_kana="カクニン　ハナコ")
    qtbot.mouseClick(page.read_button, Qt.MouseButton.LeftButton)
    assert page.tries_label.text() == "残り 3 回" and cards.verifies() == 0  # asked, none spent
    assert "有効期限: 2033-04-01" in page.cert_label.text()  # the JPKI certificate, read without a PIN
    assert page.virtual_label.isVisible() and "仮想カード" in page.virtual_label.text()
    type_pin(qtbot, page, "4321")
    assert page.pin_pad.edit.text() == ""  # the PIN never stays in the widget
    assert set(verdicts(page).values()) == {"一致"}
    assert "一致" in page.integrity_label.text() and "署名" in page.integrity_label.text()
    assert "読み取っていません" in page.my_number_label.text()  # no right: not even read
    assert cards.verifies() == 1
    qtbot.mouseClick(page.record_card_button, Qt.MouseButton.LeftButton)
    assert page.result.matched and "記録しました" in page.message.text()
    ((outcome, detail),) = identity_audit(central)
    assert outcome == "ok" and detail["method"] == "card" and detail["digests_verified"]
    assert detail["virtual_card"] is True


def test_an_old_address_on_the_card_is_highlighted(central, window, qtbot, cards):
    cards.overrides = {"address": "架空県もみじ市本町1番1号"}  # the card was not updated after a move
    page, _ = open_identity(qtbot, central, window)
    qtbot.mouseClick(page.read_button, Qt.MouseButton.LeftButton)
    type_pin(qtbot, page, "4321")
    assert verdicts(page)["住所"] == "相違" and verdicts(page)["氏名"] == "一致"
    assert "相違" in page.card_status.text()
    qtbot.mouseClick(page.record_card_button, Qt.MouseButton.LeftButton)
    ((outcome, detail),) = identity_audit(central)
    assert outcome == "mismatch" and detail["items"] == ["address"]


def test_wrong_pins_count_down_and_the_last_try_needs_confirmation(central, window, qtbot, cards):
    page, _ = open_identity(qtbot, central, window)
    qtbot.mouseClick(page.read_button, Qt.MouseButton.LeftButton)
    type_pin(qtbot, page, "0000")
    assert "残り2回" in page.message.text() and page.tries_label.text() == "残り 2 回"
    type_pin(qtbot, page, "0000")
    assert page.tries_label.text() == "残り 1 回" and page.confirm_last.isVisible()
    type_pin(qtbot, page, "4321")  # without the confirmation nothing is sent
    assert cards.verifies() == 2 and "確認欄" in page.message.text()
    page.confirm_last.setChecked(True)
    type_pin(qtbot, page, "4321")
    assert cards.verifies() == 3 and set(verdicts(page).values()) == {"一致"}


def test_a_locked_pin_gets_its_own_panel_and_no_verify(central, window, qtbot, cards):
    cards.tries = 0
    page, _ = open_identity(qtbot, central, window)
    qtbot.mouseClick(page.read_button, Qt.MouseButton.LeftButton)
    assert page.locked_panel.isVisible() and not page.pin_box.isVisible()
    assert cards.verifies() == 0
    qtbot.mouseClick(page.to_documents_button, Qt.MouseButton.LeftButton)
    assert page.tabs.currentWidget() is page.docs_tab


def test_a_card_pulled_mid_read_leaves_nothing_on_screen(central, window, qtbot, cards):
    page, _ = open_identity(qtbot, central, window)
    qtbot.mouseClick(page.read_button, Qt.MouseButton.LeftButton)
    page.card.reader.fail_after = 4  # the card leaves the reader: VERIFY goes through, the reads do not
    type_pin(qtbot, page, "4321")
    assert page.compare_table.rowCount() == 0 and page.card_result is None
    assert not page.record_card_button.isEnabled()
    assert "カード" in page.message.text()


def test_my_number_is_read_only_with_the_right(central, window, qtbot, cards):
    page, _ = open_identity(qtbot, central, window, rights=("clerk", "my_number_access"))
    qtbot.mouseClick(page.read_button, Qt.MouseButton.LeftButton)
    type_pin(qtbot, page, "4321")
    assert cards.card.person.my_number in page.my_number_label.text()


def test_documents_one_photo_id_or_two_others(central, window, qtbot):
    page, _ = open_identity(qtbot, central, window)
    page.tabs.setCurrentWidget(page.docs_tab)
    assert not page.record_docs_button.isEnabled()
    page.doc_checks["health_insurance"].setChecked(True)
    assert not page.record_docs_button.isEnabled() and "2点" in page.docs_verdict.text()
    page.doc_checks["pension_book"].setChecked(True)
    assert page.record_docs_button.isEnabled()
    qtbot.mouseClick(page.record_docs_button, Qt.MouseButton.LeftButton)
    ((outcome, detail),) = identity_audit(central)
    assert detail["method"] == "documents" and detail["items"] == ["health_insurance", "pension_book"]


def test_the_demo_virtual_card_is_signed_and_says_with_which_key(central, window, qtbot):
    from ui.devices.card import virtual_card_access

    window.identity_page._card_access = virtual_card_access  # what `--demo` uses
    page, _ = open_identity(qtbot, central, window)
    qtbot.mouseClick(page.read_button, Qt.MouseButton.LeftButton)
    assert "1234" in page.virtual_label.text()  # the demo PIN is on screen
    type_pin(qtbot, page, "1234")
    assert set(verdicts(page).values()) == {"一致"}
    assert "検証済み" in page.integrity_label.text() and "テスト用" in page.integrity_label.text()
    qtbot.mouseClick(page.record_card_button, Qt.MouseButton.LeftButton)
    ((_outcome, detail),) = identity_audit(central)
    assert detail["signature_verified"] and detail["virtual_card"]
