"""Accessible names and wait indicators on the case pages (issue #7 point 9): every widget that
takes the keyboard focus on the search, 受付・聞き取り・入力 and 本人確認 pages has a name a screen
reader can say (its accessibleName, a label whose buddy it is, or a button's own text), in every
state the case goes through; and every wait for the centre or the card shows the busy indicator
and the busy cursor until the answer arrives."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from app.api_client import RecordedCheck, SubmittedCase
from tests.e2e.test_case_flow import log_in
from tests.e2e.test_identity_screen import type_pin
from tests.e2e.test_tennyu_card import card, window  # noqa: F401 - the same window, the same card
from ui.pages.case import CasePage
from ui.pages.identity import IdentityPage


def unnamed(page: QWidget) -> list[str]:
    """The focusable widgets of ``page`` with nothing to be called by."""
    buddies = {id(label.buddy()) for label in page.findChildren(QLabel)
               if label.buddy() is not None and label.text().replace("&", "").strip()}
    missing = []
    for widget in page.findChildren(QWidget):
        if not widget.focusPolicy() & Qt.FocusPolicy.TabFocus or widget.focusProxy() is not None:
            continue
        if widget.window() is not page.window():  # a combo box's popup list: its own window
            continue
        named = bool(widget.accessibleName().strip()) or id(widget) in buddies or (
            isinstance(widget, QAbstractButton) and widget.text().replace("&", "").strip())
        spoken = QAccessible.queryAccessibleInterface(widget)
        if not named or spoken is None or not spoken.text(QAccessible.Text.Name).strip():
            missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return missing


def test_every_focusable_widget_of_the_case_pages_has_a_name(central, window, qtbot):  # noqa: F811
    central.operator("a1", ["clerk", "my_number_access"])
    log_in(qtbot, central, window, "a1")
    assert unnamed(window.search_page) == []
    qtbot.mouseClick(window.search_page.reception_button, Qt.MouseButton.LeftButton)
    page = window.case_page
    assert unnamed(page) == []  # before a case
    qtbot.keyClicks(page.queue_edit, "5")
    qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    for event in ("move_in", "birth"):  # questions and 届出 built as the interview goes
        qtbot.mouseClick(page.event_checks[event], Qt.MouseButton.LeftButton)
        assert unnamed(page) == [], event
    qtbot.mouseClick(page.event_checks["birth"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.identity_button, Qt.MouseButton.LeftButton)
    identity = window.identity_page
    assert unnamed(identity) == []  # before reading
    qtbot.mouseClick(identity.read_button, Qt.MouseButton.LeftButton)
    assert unnamed(identity) == []  # the PIN pad
    type_pin(qtbot, identity, "4321")
    assert unnamed(identity) == []  # the card's details
    qtbot.mouseClick(identity.record_card_button, Qt.MouseButton.LeftButton)
    assert window.current_page is page and page.card_marks
    assert unnamed(page) == []  # the 転入届 with the card's marks


class Held:
    """A runner that keeps each job until the test lets it run: the time a real wait takes."""

    def __init__(self):
        self.jobs = []

    def __call__(self, fn, on_done, on_error):
        self.jobs.append((fn, on_done, on_error))

    def release(self):
        fn, on_done, on_error = self.jobs.pop(0)
        try:
            result = fn()
        except Exception as exc:  # noqa: BLE001
            on_error(exc)
            return
        on_done(result)


class Centre:
    def submit_case(self, command, key):
        return SubmittedCase(41, "submitted")

    def record_identity_check(self, check):
        return RecordedCheck(1)


def busy(page):
    return page.busy.isVisible() and page.cursor().shape() == Qt.CursorShape.BusyCursor


def test_the_case_page_shows_every_wait(qtbot):
    held = Held()
    page = CasePage(Centre(), held, today=lambda: dt.date(2026, 11, 23))
    qtbot.addWidget(page)
    page.show()
    qtbot.keyClicks(page.queue_edit, "8")
    qtbot.keyClick(page.queue_edit, Qt.Key.Key_Return)
    page.event_checks["move_in"].click()
    assert not busy(page) and page.busy.isHidden()
    values = {"name_kanji": "待機　一郎", "name_kana": "タイキ　イチロウ", "birth_date": "S60.1.2",
              "postal_code": "1234567", "address": "架空県さくら市1-1", "moved_in_from": "架空県もみじ市1-1",
              "idou_date": "R8.11.1"}
    for name, text in values.items():
        page.edits[name].insert(text)
    page.edits["sex"].setCurrentIndex(1)
    qtbot.mouseClick(page.submit_button, Qt.MouseButton.LeftButton)
    assert held.jobs and busy(page)  # sending: indicator and busy cursor
    held.release()
    assert not busy(page) and page.busy.isHidden() and "審査待ち" in page.status_label.text()
    qtbot.mouseClick(page.guide_button, Qt.MouseButton.LeftButton)  # printing is a wait too
    assert busy(page)
    held.jobs.clear()


def test_the_todoke_date_is_the_counters_day_whatever_the_os_zone(qtbot, monkeypatch):
    """届出日 defaults to the counter's day (JST, app.clock), not the OS's: at 06:00 JST on a
    terminal set to UTC, dt.date.today() is still the day before."""
    from app import clock

    monkeypatch.setattr(clock, "today", lambda now=None: dt.date(2030, 1, 2))
    page = CasePage(Centre(), Held())
    qtbot.addWidget(page)
    page.show()
    qtbot.keyClicks(page.queue_edit, "9")
    qtbot.keyClick(page.queue_edit, Qt.Key.Key_Return)
    page.event_checks["move_in"].click()
    assert page.current_kind() == "tennyu"
    assert page.edits["todoke_date"].text() == "2030-01-02"


def test_the_identity_page_shows_every_wait(qtbot, card):  # noqa: F811
    held = Held()
    page = IdentityPage(Centre(), held, card)
    qtbot.addWidget(page)
    page.show()
    page.show_newcomer("a" * 32)
    qtbot.mouseClick(page.read_button, Qt.MouseButton.LeftButton)
    assert busy(page) and not page.pin_box.isVisible()  # the card being set up
    held.release()
    assert not busy(page) and page.pin_box.isVisible()
    type_pin(qtbot, page, "4321")
    assert busy(page)  # VERIFY and the reads
    held.release()
    assert not busy(page) and page.card_result is not None
    qtbot.mouseClick(page.record_card_button, Qt.MouseButton.LeftButton)
    assert busy(page)  # recording with the centre
    held.release()
    assert not busy(page) and page.result is not None and page.result.newcomer_case == "a" * 32


def test_the_search_page_shows_its_wait(qtbot):
    from app.api_client import CentralUnreachable
    from ui.pages.search import SearchPage

    class Offline:
        def search_residents(self, *args, **kwargs):
            raise CentralUnreachable("down")

    held = Held()
    page = SearchPage(Offline(), held)
    qtbot.addWidget(page)
    page.show()
    page.purpose_combo.setCurrentIndex(page.purpose_combo.findData("idou"))
    qtbot.keyClicks(page.name_edit, "test")
    qtbot.keyClicks(page.birth_date_edit, "1980-04-01")
    qtbot.keyClick(page.birth_date_edit, Qt.Key.Key_Return)
    assert held.jobs and busy(page)
    held.release()
    assert not busy(page) and page.error_label.text()  # said on screen, in Japanese


def test_every_page_of_the_window_names_its_focusable_widgets(central, window, qtbot):  # noqa: F811
    """Beyond the case pages: 交付 (before and after issuing), 審査 with an entry chosen, the tax
    pages, 支援措置の判断, admin, lock — every page of the window, as an operator holding every
    role would see it."""
    from tests.e2e.test_issuance_screen import choose, resident

    made, code = resident(central, name_kanji="名前　一郎", name_kana="ナマエ　イチロウ")
    central.operator("all", ["clerk", "reviewer", "supervisor", "security_admin",
                             "my_number_access"])
    log_in(qtbot, central, window, "all")
    gaps = {}
    for i in range(window.stack.count()):
        page = window.stack.widget(i)
        window.stack.setCurrentWidget(page)
        gaps[type(page).__name__] = unnamed(page)
    search = window.search_page
    choose(search.purpose_combo, "certificate")
    search.juminhyo_code_edit.insert(code)
    qtbot.mouseClick(search.search_button, Qt.MouseButton.LeftButton)
    search.results_table.selectRow(0)
    qtbot.mouseClick(search.issue_button, Qt.MouseButton.LeftButton)
    issuance = window.issuance_page
    choose(issuance.kind_combo, "kisai")
    gaps["IssuancePage kisai"] = unnamed(issuance)
    choose(issuance.kind_combo, "juminhyo")
    choose(issuance.purpose_combo, "certificate")
    qtbot.mouseClick(issuance.issue_button, Qt.MouseButton.LeftButton)
    assert "交付しました" in issuance.message.text(), issuance.message.text()
    gaps["IssuancePage issued"] = unnamed(issuance)
    missing = {page: names for page, names in gaps.items() if names}
    assert not missing, "\n".join(f"{p}: {n}" for p, n in missing.items())
