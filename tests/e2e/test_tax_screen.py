"""The tax counter from the window against the real central API (SQLite and PostgreSQL), #8:
a 住民税申告 taken after 本人確認 with dependents checked beside their fields, then registered by a
second person's 二重チェック; a 課税証明書 issued, its PDF read back with pdftotext and pdftoppm and
no 12-digit number anywhere; a proxy without a 委任状 refused by the server; an inquiry that shows
nothing until the caller is identified with the My Number."""
from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from app import clock
from central.models import AuditEvent, TaxCertificate, TaxFiling, TaxRecord
from tests.central.factories import my_number, new_resident, wrong_check_digit
from tests.e2e.test_issuance_screen import pdf_ink, pdf_text, printer_to_file
from tests.e2e.windows import open_window
from tests.e2e import windows

FY = clock.today().year  # the counter's day, in Japan (JST)


@pytest.fixture
def window(central, qtbot, tmp_path):
    return open_window(central, qtbot, "TAX-0001", tmp_path / "ws")


def resident(central, **person):
    setup = central.clerk(("clerk", "my_number_access"), login_id=f"setup{len(central.passwords)}")
    made = new_resident(setup, **person)
    code = setup.get(f"/v1/residents/{made['resident_id']}", params={"purpose": "idou"}).json()["juminhyo_code"]
    return made["resident_id"], code


log_in = windows.log_in


def open_tax(qtbot, central, win, login_id, code):
    log_in(qtbot, central, win, login_id)
    search = windows.find_resident(qtbot, win, "tax", code)
    search.results_table.selectRow(0)
    qtbot.mouseClick(search.tax_button, Qt.MouseButton.LeftButton)
    assert win.current_page is win.tax_page
    return win.tax_page


def test_filing_after_identity_then_a_second_persons_check(central, window, qtbot):
    rid, code = resident(central, birth_date="1980-01-01")
    central.operator("c1", ["clerk"])
    central.operator("c2", ["clerk"])
    page = open_tax(qtbot, central, window, "c1", code)
    page.amount_edits["employment_revenue"].setText("４，０００，０００")
    qtbot.mouseClick(page.file_button, Qt.MouseButton.LeftButton)
    assert "本人確認" in page.identity_label.text() and page.last_filing is None
    # 本人確認 by documents, in the same workflow, and back to the 申告
    qtbot.mouseClick(page.identity_button, Qt.MouseButton.LeftButton)
    ident = window.identity_page
    assert window.current_page is ident
    ident.tabs.setCurrentWidget(ident.docs_tab)
    ident.doc_checks["drivers_license"].setChecked(True)
    qtbot.mouseClick(ident.record_docs_button, Qt.MouseButton.LeftButton)
    assert window.current_page is page and "済" in page.identity_label.text()
    assert page.amount_edits["employment_revenue"].text() == "４，０００，０００"  # kept
    qtbot.keyClicks(page.amount_edits["life_insurance"], "90000")
    row = page.add_dependent()
    good = my_number()
    row.name_edit.setText("税務　花子")
    row.kana_edit.setText("ゼイム　ハナコ")
    qtbot.keyClicks(row.birth_edit, "1985/4/1")
    row.relationship_combo.setCurrentIndex(row.relationship_combo.findData("spouse"))
    qtbot.keyClicks(row.my_number_edit, wrong_check_digit(good))
    qtbot.mouseClick(page.file_button, Qt.MouseButton.LeftButton)
    assert "検査用数字" in row.error_label.text() and not row.error_label.isHidden()
    assert "7万円" in page.amount_errors["life_insurance"].text()
    assert row.my_number_edit.text() == wrong_check_digit(good)  # nothing typed is lost
    with central.sessions() as db:
        assert db.scalar(select(TaxFiling.id)) is None
    row.my_number_edit.clear()
    qtbot.keyClicks(row.my_number_edit, good)
    page.amount_edits["life_insurance"].clear()
    qtbot.keyClicks(page.amount_edits["life_insurance"], "40000")
    qtbot.mouseClick(page.file_button, Qt.MouseButton.LeftButton)
    assert "二重チェック" in page.filing_message.text(), page.filing_message.text()
    assert row.error_label.isHidden()
    fid = page.last_filing.filing_id
    qtbot.mouseClick(page.file_button, Qt.MouseButton.LeftButton)  # pressed twice: one 申告
    with central.sessions() as db:
        assert db.scalars(select(TaxFiling.id)).all() == [fid]
    # the entrant cannot check their own entry
    window.tax_check_action.trigger()
    check = window.tax_check_page
    check.select_filing(fid)
    assert not check.approve_button.isEnabled() and "別の職員" in check.message.text()
    window.logout()
    log_in(qtbot, central, window, "c2")
    window.tax_check_action.trigger()
    assert window.current_page is check
    check.select_filing(fid)
    shown = [check.detail.item(r, 1).text() for r in range(check.detail.rowCount())]
    assert any("税務　花子" in v and "************" in v for v in shown)  # masked without the right
    assert good not in " ".join(shown)
    qtbot.mouseClick(check.approve_button, Qt.MouseButton.LeftButton)
    assert "課税台帳に登録" in check.message.text(), check.message.text()
    with central.sessions() as db:
        rec = db.scalar(select(TaxRecord).where(TaxRecord.resident_id == rid))
        assert rec.fiscal_year == page.filing_year_combo.itemData(0) and rec.dependents_count == 1
        assert db.get(TaxFiling, fid).checked_by == "c2"


def seed_record(central, rid, fy):
    with central.sessions.begin() as db:
        db.add(TaxRecord(resident_id=rid, fiscal_year=fy, employment_income=3_160_000,
                         total_income=3_160_000, deductions=1_250_000, taxable_income=1_910_000,
                         municipal_tax=114_600, prefectural_tax=76_400, dependents_count=1))


def test_certificate_pdf_has_the_items_and_no_12_digit_number(central, window, qtbot, tmp_path):
    number = my_number()
    rid, code = resident(central, my_number=number, name_kanji="課税　太郎", name_kana="カゼイ　タロウ")
    seed_record(central, rid, FY - 1)
    central.operator("c1", ["clerk", "my_number_access"])
    page = open_tax(qtbot, central, window, "c1", code)
    page.tabs.setCurrentWidget(page.cert_tab)
    assert page.cert_year_combo.currentData() == FY - 1
    page.copies_spin.setValue(2)
    assert page.fee_label.text() == "300円 × 2通 = 600円"
    page.cert_purpose_combo.setCurrentIndex(page.cert_purpose_combo.findData("certificate"))
    # a proxy without a 委任状: the server refuses (the box is on but unticked)
    page.requester_combo.setCurrentIndex(page.requester_combo.findData("proxy"))
    page.requester_name_edit.setText("代理　次郎")
    qtbot.mouseClick(page.cert_button, Qt.MouseButton.LeftButton)
    assert "委任状" in page.cert_message.text() and page.last_pdf is None
    assert page.requester_name_edit.text() == "代理　次郎"
    with central.sessions() as db:
        assert db.scalar(select(TaxCertificate.id)) is None
        assert db.scalar(select(AuditEvent.detail).where(
            AuditEvent.action == "tax.certificate.issue", AuditEvent.outcome == "rejected"))["code"] \
            == "power_of_attorney_required"
    page.attorney_check.setChecked(True)
    qtbot.mouseClick(page.cert_button, Qt.MouseButton.LeftButton)
    assert "600円" in page.cert_message.text(), page.cert_message.text()
    pdf = page.last_pdf
    assert pdf.parent == window.workspace.print_dir and (pdf.stat().st_mode & 0o777) == 0o600
    text = pdf_text(pdf)
    flat = text.replace(" ", "").replace("\u3000", "")
    for item in ("課税証明書", "年度", "所得金額", "所得控除額", "課税標準額", "税額", "扶養人数",
                 "1,910,000円", "191,000円", "課税太郎"):
        assert item in flat, item
    assert not re.search(r"\d{12}", flat) and number not in flat
    assert number.encode() not in pdf.read_bytes()  # nor anywhere in the file (metadata included)
    assert 0.003 < pdf_ink(pdf, tmp_path) < 0.3  # pdftoppm drew a real page
    # 印刷: the same two copies on the chosen printer (a real QPrinter writing to a file)
    printed = tmp_path / "printer-output.pdf"
    page.print_button.choose_printer = printer_to_file(printed)
    qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    assert "印刷しました（2 ページ）" in page.cert_message.text(), page.cert_message.text()
    paper = pdf_text(printed).replace(" ", "").replace("\u3000", "")
    assert "課税証明書" in paper and "課税太郎" in paper and number not in paper
    with central.sessions() as db:
        row = db.scalar(select(TaxCertificate))
        assert (row.requester_relation, row.requester_name, row.power_of_attorney_seen, row.fee_yen) == \
            ("proxy", "代理　次郎", True, 600)
    window.logout()
    assert not pdf.exists()


def test_inquiry_shows_nothing_without_identity(central, window, qtbot):
    number = my_number()
    rid, _code = resident(central, my_number=number, name_kanji="照会　三郎",
                          name_kana="ショウカイ　サブロウ", birth_date="1975-05-05")
    seed_record(central, rid, FY - 1)
    central.operator("c1", ["clerk", "my_number_access"])  # a My Number inquiry needs the right
    log_in(qtbot, central, window, "c1")
    window.tax_inquiry_action.trigger()
    page = window.tax_inquiry_page
    assert window.current_page is page
    page.name_edit.setText("照会　三郎")
    qtbot.keyClicks(page.birth_edit, "1975-05-05")
    page.purpose_combo.setCurrentIndex(page.purpose_combo.findData("tax"))
    qtbot.mouseClick(page.inquire_button, Qt.MouseButton.LeftButton)
    assert "個人番号" in page.field_errors["my_number"].text() and page.results.isHidden()
    other = my_number()  # valid, but not this person's: the centre refuses
    qtbot.keyClicks(page.my_number_edit, other)
    qtbot.mouseClick(page.inquire_button, Qt.MouseButton.LeftButton)
    assert "本人確認ができませんでした" in page.message.text() and page.results.isHidden()
    assert page.person_label.isHidden()
    page.my_number_edit.clear()
    qtbot.keyClicks(page.my_number_edit, number)
    qtbot.mouseClick(page.inquire_button, Qt.MouseButton.LeftButton)
    assert not page.results.isHidden() and page.results.rowCount() == 1
    assert page.results.item(0, 3).text() == "1,910,000円"
    qtbot.keyClicks(page.birth_edit, "x")  # any change of the identity clears the answer
    assert page.results.isHidden()
    with central.sessions() as db:
        events = db.scalars(select(AuditEvent).where(AuditEvent.action == "tax.inquiry")
                            .order_by(AuditEvent.seq)).all()
        assert [(e.outcome, e.purpose) for e in events] == [("denied", "tax"), ("ok", "tax")]
