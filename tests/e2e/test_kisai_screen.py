"""記載事項証明書 from the window against the real central API (SQLite and PostgreSQL): the clerk
chooses the items and the 提出先, the PDF has its own title and certification sentence and only the
chosen items — read back with pdftotext, and drawn (pdftoppm) — and never a 12-digit 個人番号 or an
11-digit 住民票コード; 本籍 appears only when asked for (#7, WF-6, DQ-6)."""
from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from central.models import Issuance
from tests.central.factories import my_number
from tests.e2e.test_issuance_screen import choose, log_in_and_find, pdf_ink, pdf_text, resident
from tests.e2e.windows import open_window

@pytest.fixture
def window(central, qtbot, tmp_path):
    return open_window(central, qtbot, "KSI-0001", tmp_path / "ws")


ADDRESS_MARK = "桜町一丁目"  # every synthetic address from tests.central.factories.tennyu has it


def issue_kisai(qtbot, page, items, submit_to="Sakura pension office"):
    choose(page.kind_combo, "kisai")
    assert not page.my_number_check.isVisible() and not page.household_radio.isVisible()
    choose(page.purpose_combo, "certificate")
    for code, check in page.kisai_checks.items():
        check.setChecked(code in items)
    qtbot.mouseClick(page.issue_button, Qt.MouseButton.LeftButton)
    assert "提出先" in page.message.text()  # asked for before anything is sent
    qtbot.keyClicks(page.kisai_submit_edit, submit_to)
    qtbot.mouseClick(page.issue_button, Qt.MouseButton.LeftButton)
    assert "交付しました" in page.message.text(), page.message.text()
    return page.last_pdf


def test_only_the_chosen_items_are_certified(central, window, qtbot, tmp_path):
    number = my_number()
    made, code = resident(central, my_number=number, name_kanji="記載　一郎", name_kana="キサイ　イチロウ",
                          honseki="架空県さくら市本籍町1番")
    central.operator("c1", ["clerk", "my_number_access"])
    page = log_in_and_find(qtbot, central, window, "c1", code)
    pdf = issue_kisai(qtbot, page, {"name", "sex"})
    assert pdf.name.startswith("kisai-") and (pdf.stat().st_mode & 0o777) == 0o600
    text = pdf_text(pdf)
    flat = re.sub(r"\s", "", text)
    assert "住民票記載事項証明書" in flat and "記載されていることを証明する" in flat
    assert "記載一郎" in flat and "キサイイチロウ" in flat and "男" in flat
    assert "SakurapensionOffice".lower() in flat.lower() and "証明書の交付" in flat
    assert ADDRESS_MARK not in flat and "住所" not in flat and "生年月日" not in flat
    assert "本籍" not in flat and "本籍町" not in flat
    assert "住民票の写し" not in flat and "記載省略" not in flat  # not the 住民票's layout
    assert not re.search(r"\d{11}", flat), flat  # no 住民票コード, no 個人番号
    assert number not in flat and code not in flat
    assert 0.002 < pdf_ink(pdf, tmp_path) < 0.3
    with central.sessions() as db:
        row = db.scalar(select(Issuance))
        assert (row.kind, row.included, row.submit_to) == ("kisai", {"items": ["name", "sex"]},
                                                           "Sakura pension office")


def test_honseki_and_address_when_asked_for(central, window, qtbot):
    made, code = resident(central, name_kanji="記載　二郎", name_kana="キサイ　ジロウ",
                          honseki="架空県さくら市本籍町2番")
    central.operator("c1", ["clerk"])
    page = log_in_and_find(qtbot, central, window, "c1", code)
    flat = re.sub(r"\s", "", pdf_text(issue_kisai(qtbot, page, {"address", "honseki"})))
    assert ADDRESS_MARK in flat and "本籍町2番" in flat and "筆頭者" in flat
    assert "記載二郎" not in flat  # the name was not chosen
    assert not re.search(r"\d{11}", flat)
