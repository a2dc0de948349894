"""The 税務窓口 page on its own (#8, #20): a 申告's Idempotency-Key lives as long as the entry does
(pressing again replays it, any edit — a dependent's 続柄 too — makes a new 申告), a refusal is
shown beside its field, and a failure every page shares never reaches the page's message line."""
from __future__ import annotations

import pytest

from app.api_client import ApiError
from app.identity import IdentityResult
from app.residents import ResidentSummary
from app.tax import TaxCertificateKinds, TaxFilingReceipt
from tests.central.factories import my_number
from ui.common.ops import Failures
from ui.common.worker import run_synchronously
from ui.pages.tax import TaxPage

RESIDENT = ResidentSummary.from_json({"id": 7, "name_kanji": "税務　太郎", "name_kana": "ゼイム　タロウ",
                                      "address": "架空県さくら市1-2-3", "support_measure": False})


class Client:
    def __init__(self):
        self.keys: list[str] = []
        self.refuse: ApiError | None = None

    def tax_certificate_kinds(self):
        return TaxCertificateKinds.from_json({"kinds": [], "fiscal_years": [2026, 2025]})

    def submit_tax_filing(self, request, key):
        self.keys.append(key)
        if self.refuse is not None:
            raise self.refuse
        return TaxFilingReceipt.from_json({"filing_id": len(self.keys), "status": "submitted",
                                           "computed": {"total_income": 100}})


@pytest.fixture
def page(qtbot):
    client = Client()
    page = TaxPage(client, run_synchronously, failures=Failures())
    qtbot.addWidget(page)
    page.show_resident(RESIDENT)
    page.set_identity(IdentityResult(resident_id=7, method="documents", matched=True))
    page.amount_edits["employment_revenue"].setText("4000000")
    row = page.add_dependent()
    row.name_edit.setText("税務　花子")
    row.kana_edit.setText("ゼイム　ハナコ")
    row.birth_edit.setText("1985-04-01")
    row.relationship_combo.setCurrentIndex(row.relationship_combo.findData("child"))
    row.my_number_edit.setText(my_number())
    return page, client, row


def test_the_key_stays_with_the_entry_and_goes_with_any_edit(page):
    page, client, row = page
    assert page.filing_year_combo.currentData() == 2026  # from the centre's table
    page.submit_filing()
    page.submit_filing()  # pressed twice: the same 申告
    assert len(client.keys) == 2 and client.keys[0] == client.keys[1]
    assert page.last_filing.filing_id == 2 and "二重チェック" in page.filing_message.text()
    row.relationship_combo.setCurrentIndex(row.relationship_combo.findData("parent"))
    page.submit_filing()
    row.lives_with_check.setChecked(False)
    page.submit_filing()
    assert len(set(client.keys)) == 3


def test_a_refusal_stands_beside_its_field_and_the_corrected_entry_is_new(page):
    page, client, _row = page
    client.refuse = ApiError(422, "amount_invalid", detail_ja="金額が正しくありません",
                             field="social_insurance")
    page.submit_filing()
    assert page.amount_errors["social_insurance"].text() == "金額が正しくありません"
    assert page.filing_message.text() == "金額が正しくありません" and page.last_filing is None
    client.refuse = None
    page.submit_filing()
    assert client.keys[0] != client.keys[1] and page.last_filing is not None


def test_a_shared_failure_goes_to_the_shell_not_the_page(page):
    page, client, _row = page
    ended = []
    page.failures.session_ended.connect(ended.append)
    client.refuse = ApiError(401, "session_invalid", detail_ja="再度ログインしてください")
    page.submit_filing()
    assert ended == ["再度ログインしてください"] and page.filing_message.isHidden()
    assert page.file_button.isEnabled()

