"""DQ-7 (#21 class 7) on the real search page against the real central API: an address that does
not reach the 町字 is no second key; the page says so in Japanese and puts the cursor in the
address field; a 町字-level address finds the resident."""
from __future__ import annotations

from PySide6.QtCore import Qt

from tests.central.factories import new_resident
from tests.e2e.windows import log_in, open_window


def _search(qtbot, page, name: str, address: str) -> None:
    page.clear_form()
    page.purpose_combo.setCurrentIndex(page.purpose_combo.findData("inquiry"))
    page.name_edit.insert(name)  # keyClicks types ASCII only
    page.address_edit.insert(address)
    qtbot.mouseClick(page.search_button, Qt.MouseButton.LeftButton)


def test_search_page_refuses_an_address_that_does_not_narrow(qtbot, central):
    made = new_resident(central.clerk(login_id="setup"), name_kanji="住所　確認",
                        name_kana="ジュウショ　カクニン", address="架空県さくら市桜町三丁目4番5号")
    central.operator("clerk1", ["clerk"])
    win = open_window(central, qtbot, "E2E-ADDR")
    log_in(qtbot, central, win, "clerk1")
    page = win.search_page
    before = len(central.audit_rows("resident.search"))
    for broad in ("架空県", "架空県　さくら市"):
        _search(qtbot, page, "住所確認", broad)
        assert "町字まで入力してください" in page.error_label.text()
        assert page.window().focusWidget() is page.address_edit
        assert page.results_table.rowCount() == 0
    assert len(central.audit_rows("resident.search")) == before  # refused before sending
    _search(qtbot, page, "住所確認", "架空県さくら市桜町３丁目")
    assert page.results_table.rowCount() == 1, page.error_label.text()
    assert "住所" in page.results_table.item(0, 1).text() and made["resident_id"]
