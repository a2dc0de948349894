"""Client-side 申告 checks and the certificate layout (#8): specific messages per field, nothing
typed changed, no My Number in the layout."""
from __future__ import annotations

import re

from app import clock
from app.tax import DependentForm, FilingForm, certificate_layout, check_filing, parse_amount
from tests.central.factories import my_number, wrong_check_digit

FY = clock.today().year  # the counter's day, in Japan (JST)


def test_amounts_accept_what_clerks_type():
    assert parse_amount("３，６００，０００円") == 3_600_000
    assert parse_amount("") == 0 and parse_amount("12万") is None


def test_every_bad_field_gets_its_own_message():
    good = my_number()
    form = FilingForm(1, FY, None, {"employment_revenue": "abc", "life_insurance": "80000"},
                      [DependentForm("", "たろう", "2099-01-01", "", wrong_check_digit(good), "x"),
                       DependentForm("扶養　花子", "フヨウ　ハナコ", "1990/4/1", "spouse", good, "0")])
    body, errors = check_filing(form)
    assert body is None
    assert set(errors) == {"identity", "employment_revenue", "life_insurance", "dependents.0.name",
                           "dependents.0.name_kana", "dependents.0.birth_date", "dependents.0.relationship",
                           "dependents.0.my_number", "dependents.0.income_estimate"}
    assert "検査用数字" in errors["dependents.0.my_number"]
    assert form.dependents[0].my_number == wrong_check_digit(good)  # kept as typed
    form = FilingForm(1, FY, "card", {"employment_revenue": "4,000,000"},
                      [DependentForm("扶養　花子", "フヨウ　ハナコ", "1990/4/1", "spouse", good, "0")])
    body, errors = check_filing(form)
    assert errors == {} and body["employment_revenue"] == 4_000_000
    assert body["dependents"][0]["birth_date"] == "1990-04-01"


def test_certificate_layout_has_the_fixed_items_and_no_number():
    doc = certificate_layout({"kind": "kazei", "fiscal_year": 2026, "certificate_no": "Z2026-000001",
                              "issued_at": "2026-11-23T01:00:00Z",
                              "person": {"name_kanji": "税務　太郎", "name_kana": "ゼイム　タロウ",
                                         "birth_date": "1980-01-01", "address": "架空県さくら市"},
                              "record": {"total_income": 3_160_000, "deductions": 1_250_000,
                                         "taxable_income": 1_910_000, "municipal_tax": 114_600,
                                         "prefectural_tax": 76_400, "dependents_count": 1}})
    labels = [label for label, _ in doc.persons[0].rows]
    for item in ("年度", "所得金額（合計）", "所得控除額", "課税標準額", "税額（合計）", "扶養人数"):
        assert item in labels
    text = " ".join(v for block in doc.persons for _, v in block.rows) + " ".join(v for _, v in doc.header)
    assert "191,000円" in text and "1,910,000円" in text and not re.search(r"\d{12}", text)
    assert doc.title == "課税証明書（令和8年度）"
