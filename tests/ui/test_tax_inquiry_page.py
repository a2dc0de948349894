"""The 税の照会 page on its own (#8, #20): one inquiry at a time, the busy indicator while it waits,
and the answer as the centre's typed ``TaxInquiryAnswer``."""
from __future__ import annotations

from app.tax import TaxInquiryAnswer
from tests.cache.test_session_window import HeldRunner
from tests.central.factories import my_number
from ui.common.ops import Failures
from ui.pages.tax_inquiry import TaxInquiryPage


def test_the_inquiry_waits_with_the_busy_indicator_and_one_call_at_a_time(qtbot):
    calls = []

    class InquiryClient:
        def tax_inquiry(self, request):
            calls.append(request)
            return TaxInquiryAnswer.from_json({"person": {"name_kanji": "照会　三郎"}, "records": []})

    held = HeldRunner()
    held.hold = True
    page = TaxInquiryPage(InquiryClient(), held, failures=Failures())
    qtbot.addWidget(page)
    page.show()
    page.name_edit.setText("照会　三郎")
    page.birth_edit.setText("1975-05-05")
    page.my_number_edit.setText(my_number())
    page.purpose_combo.setCurrentIndex(page.purpose_combo.findData("tax"))
    page.inquire()
    page.inquire()  # still waiting: not sent twice
    assert page.busy.isVisible() and not page.inquire_button.isEnabled() and len(held.held) == 1
    held.release()
    assert not page.busy.isVisible() and page.inquire_button.isEnabled() and len(calls) == 1
    assert "課税記録はありません" in page.message.text() and page.person_label.text().startswith("照会")
