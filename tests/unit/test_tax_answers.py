"""The centre's answers to the tax counter's calls as the client reads them (#8, #20 point 5): typed,
and with nothing of the person or their income in a repr or a log line."""
from __future__ import annotations

import json

import httpx

from app.api_client import CentralClient
from app.device_key import DeviceKey, DeviceSigner
from app.tax import (TaxCertificateContent, TaxCertificateIssued, TaxCertificateKinds, TaxFilingReceipt,
                     TaxInquiryAnswer)

COMPUTED = {"employment_income": 2_760_000, "pension_income": 0, "other_income": 0,
            "total_income": 2_760_000, "basic_deduction": 430_000, "deductions": 1_040_000,
            "taxable_income": 1_720_000, "municipal_tax": 103_200, "prefectural_tax": 68_800,
            "dependents_count": 1}
PERSON = {"name_kanji": "税務　太郎", "name_kana": "ゼイム　タロウ", "address": "架空県さくら市1-2-3",
          "birth_date": "1980-01-01", "katagaki": None}
CONTENT = {"certificate_no": "Z2026-000001", "kind": "kazei", "title": "課税証明書",
           "fiscal_year": 2025, "issued_at": "2026-11-23T01:00:00Z", "copies": 2,
           "person": PERSON, "record": COMPUTED}


def test_a_filing_receipt_has_the_computed_amounts_and_a_repr_without_them():
    receipt = TaxFilingReceipt.from_json({"result": "submitted", "filing_id": 12,
                                          "status": "submitted", "computed": COMPUTED})
    assert (receipt.filing_id, receipt.status) == (12, "submitted")
    assert receipt.computed.taxable_income == 1_720_000 and receipt.computed.tax == 172_000
    assert receipt.computed.fiscal_year is None
    assert "1720000" not in repr(receipt) and "172" not in repr(receipt.computed)


def test_an_inquiry_answer_has_the_records_newest_first_and_names_nobody_in_its_repr():
    answer = TaxInquiryAnswer.from_json({"person": PERSON, "records": [
        dict(COMPUTED, fiscal_year=2025), dict(COMPUTED, fiscal_year=2024, municipal_tax=None)]})
    assert answer.name_kanji == "税務　太郎" and [r.fiscal_year for r in answer.records] == [2025, 2024]
    assert answer.records[1].municipal_tax == 0 and answer.records[1].tax == 68_800
    assert "税務" not in repr(answer) and "架空県" not in str(answer)
    assert TaxInquiryAnswer.from_json({"person": PERSON, "records": []}).records == ()


def test_certificate_kinds_issued_and_content():
    kinds = TaxCertificateKinds.from_json({"kinds": [
        {"code": "kazei", "label_ja": "課税証明書", "label_en": "Tax certificate", "fee_yen_per_copy": 300},
        {"code": "shotoku", "label_ja": "所得証明書", "label_en": "Income certificate",
         "fee_yen_per_copy": 300}], "fiscal_years": [2026, 2025, 2024], "max_copies": 10})
    assert kinds.kind("shotoku").fee_yen_per_copy == 300 and kinds.kind("juminhyo") is None
    assert kinds.fiscal_years == (2026, 2025, 2024) and TaxCertificateKinds().kind("kazei") is None
    issued = TaxCertificateIssued.from_json({"issuance_id": 3, "certificate_no": "Z2026-000003",
                                             "copies": 2, "fee_yen": 600})
    assert (issued.issuance_id, issued.certificate_no, issued.fee_yen) == (3, "Z2026-000003", 600)
    content = TaxCertificateContent.from_json(CONTENT)
    assert content.copies == 2 and content.layout.title == "課税証明書（令和7年度）"
    assert "税務" not in repr(content) and "Z2026-000001" in repr(content)


def test_the_client_returns_the_answers():
    answers = {"/v1/tax/filings": {"filing_id": 5, "status": "submitted", "computed": COMPUTED},
               "/v1/tax/certificate-kinds": {"kinds": [], "fiscal_years": [2026, 2025]},
               "/v1/tax/certificates": {"issuance_id": 9, "certificate_no": "Z2026-000009",
                                        "copies": 1, "fee_yen": 300},
               "/v1/tax/certificates/9/content": CONTENT,
               "/v1/tax/inquiries": {"person": PERSON, "records": [dict(COMPUTED, fiscal_year=2025)]}}
    keys = []

    def handler(request: httpx.Request) -> httpx.Response:
        keys.append(request.headers.get("Idempotency-Key"))
        created = request.url.path in ("/v1/tax/filings", "/v1/tax/certificates")
        return httpx.Response(201 if created else 200,
                              content=json.dumps(answers[request.url.path]).encode(),
                              headers={"Content-Type": "application/json"})

    client = CentralClient("http://central.test", DeviceSigner(DeviceKey.generate("T-1")),
                           transport=httpx.MockTransport(handler))
    assert client.submit_tax_filing({"resident_id": 1}, "key-1").filing_id == 5
    assert client.tax_certificate_kinds().fiscal_years == (2026, 2025)
    assert client.issue_tax_certificate({"resident_id": 1}, "key-2").issuance_id == 9
    assert client.tax_certificate_content(9).layout.certificate_no == "Z2026-000001"
    assert client.tax_inquiry({"name": "税務　太郎"}).records[0].taxable_income == 1_720_000
    assert keys == ["key-1", None, "key-2", None, None]
