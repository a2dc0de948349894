"""japan/ against the copies it replaces (#20), while those copies are still in the tree.

Every output must stay the same: the register stores search keys made by central.validation, and
clerks see the messages of app.idou_entry. Property tests over kana, names and typed dates, and
exhaustive checks over every single code point and every pair of kana-block characters.
"""
from __future__ import annotations

import datetime as dt
import itertools
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

import app.certificate as old_certificate
import app.idou_entry as old_idou_entry
import app.tax as old_tax
import central.validation as old_validation
import drivers.card.mynumber as old_driver
from japan import era, kana, mynumber

CODE_POINTS = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]
KANA_BLOCKS = [chr(c) for c in itertools.chain(range(0x3040, 0x3100), range(0xFF61, 0xFFA0))]
SPACES = [" ", "\u3000", "\t", "\n", "\u00a0", "\u2003"]
kana_text = st.text(st.sampled_from(KANA_BLOCKS + SPACES + ["\u3099", "\u309a", "\u309b", "\u309c",
                                                            "\ufa30", "\u4fae", "山", "a", "Ａ", "１"]))
any_text = st.one_of(kana_text, st.text())


def test_the_katakana_patterns_are_the_one_pattern():
    assert old_validation._KATAKANA.pattern == old_idou_entry._KATAKANA.pattern == \
        old_tax._KATAKANA.pattern == kana._KATAKANA.pattern


def test_search_kana_and_name_keys_agree_on_every_code_point():
    for ch in CODE_POINTS:
        assert kana.search_kana(ch) == old_validation.search_kana(ch), hex(ord(ch))
        assert kana.normalise_name(ch) == old_validation.normalise_name(ch), hex(ord(ch))
        assert kana.is_katakana(ch) == old_validation.is_katakana(ch), hex(ord(ch))


def test_search_kana_agrees_on_every_pair_of_kana_block_characters():
    alphabet = KANA_BLOCKS + ["\u3099", "\u309a", " ", "\u3000"]
    for a, b in itertools.product(alphabet, repeat=2):
        assert kana.search_kana(a + b) == old_validation.search_kana(a + b), (hex(ord(a)), hex(ord(b)))


@settings(max_examples=3000)
@given(any_text)
def test_search_kana_name_keys_and_katakana_check_agree_on_strings(text):
    assert kana.search_kana(text) == old_validation.search_kana(text)
    assert kana.normalise_name(text) == old_validation.normalise_name(text)
    assert kana.is_katakana(text) == old_validation.is_katakana(text)


def _old_full_width(text: str) -> str:  # ui/guide_pdf.py's expression
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def test_full_width_ascii_agrees_with_the_guide_on_every_code_point():
    for ch in CODE_POINTS:
        assert kana.full_width_ascii(ch) == _old_full_width(ch), hex(ord(ch))


@given(st.text())
def test_full_width_ascii_agrees_on_strings(text):
    assert kana.full_width_ascii(text) == _old_full_width(text)


@settings(max_examples=2000)
@given(st.from_regex(r"\A[0-9]{11}\Z"))
def test_check_digit_agrees_with_every_copy(first11):
    d = mynumber.check_digit(first11)
    assert d == old_validation.my_number_check_digit(first11) == old_driver.check_digit(first11)
    for last in "0123456789":
        n = first11 + last
        assert mynumber.is_valid(n) == old_validation.my_number_valid(n) == old_driver.is_valid(n) \
            == old_idou_entry.my_number_valid(n) == old_tax.my_number_ok(n)


@given(st.text(st.sampled_from("0123456789０１２３٣ -")))
def test_my_number_checks_agree_on_typed_text(text):
    assert mynumber.is_valid(text) == old_validation.my_number_valid(text) == old_driver.is_valid(text) \
        == old_idou_entry.my_number_valid(text) == old_tax.my_number_ok(text)
    assert mynumber.well_formed(text) == old_validation.my_number_format_ok(text)


def test_wareki_agrees_on_every_day_from_1860_to_2200():
    day, last = dt.date(1860, 1, 1), dt.date(2200, 12, 31)
    while day <= last:
        assert era.wareki(day.isoformat()) == old_certificate.wareki(day.isoformat()), day
        day += dt.timedelta(days=1)
    assert era.wareki(None) == old_certificate.wareki(None) == era.wareki("") == ""
    assert era.wareki("2026-11-23T10:00:00+09:00") == old_certificate.wareki("2026-11-23T10:00:00+09:00")


def test_nendo_agrees_with_the_tax_screens_for_every_fiscal_year_the_centre_takes():
    for year in range(2000, 2101):  # central/tax.py: Field(ge=2000, le=2100)
        assert era.nendo(year) == old_tax.era_year(year), year


def test_the_typed_date_pattern_is_the_same():
    assert era._WAREKI.pattern == old_idou_entry._WAREKI.pattern
    assert era._SEIREKI.pattern == old_idou_entry._SEIREKI.pattern
    assert era._COMPACT.pattern == old_idou_entry._COMPACT.pattern


def _outcome(parse, text):
    try:
        return parse(text)
    except ValueError as exc:
        return str(exc)


typed_date = st.builds(
    lambda *parts: "".join(parts),
    st.sampled_from(["", " ", "明治", "大正", "昭和", "平成", "令和", "M", "t", "S", "h", "R", "r", "Ｒ",
                     "ｒ", "X", "2026", "１９８９"]),
    st.sampled_from(["", " ", "元", "0", "1", "8", "31", "32", "45", "64", "99", "100", "０８", "٣"]),
    st.sampled_from(["", "年", ".", "-", "/", "．", " 年 "]),
    st.sampled_from(["", "1", "01", "4", "5", "7", "12", "13", "１２"]),
    st.sampled_from(["", "月", ".", "-", "/"]),
    st.sampled_from(["", "1", "01", "7", "8", "24", "25", "29", "30", "31", "32"]),
    st.sampled_from(["", "日", " 日", "日\n", "x"]))


@settings(max_examples=3000)
@given(st.one_of(typed_date, st.text()))
def test_parse_date_answers_the_same_date_or_message(text):
    assert _outcome(era.parse_date, text) == _outcome(old_idou_entry.parse_date, text)


def test_parse_date_agrees_on_the_wareki_of_every_day_from_1868():
    day = dt.date(1868, 1, 25)
    while day <= dt.date(2117, 12, 31):
        text = era.wareki(day.isoformat())
        assert _outcome(era.parse_date, text) == _outcome(old_idou_entry.parse_date, text) == day
        day += dt.timedelta(days=1)

