"""Format rules shared by the register and the logical checks (DQ-*), on known vectors."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from central.crypto import MyNumberCipher
from central.rights import fiscal_year_end, period_error
from central.validation import (is_katakana, my_number_check_digit, my_number_valid,
                                normalise_name, postal_code_ok, search_kana)


def test_known_valid_my_number():
    assert my_number_valid("123456789018")  # the example published with the formula
    assert not my_number_valid("123456789011")
    assert not my_number_valid("12345678901")
    assert not my_number_valid("１２３４５６７８９０１８")  # full-width digits are not a number


@given(st.from_regex(r"\A[0-9]{11}\Z"), st.integers(min_value=0, max_value=9))
def test_exactly_one_check_digit_is_valid(first11, digit):
    expected = my_number_check_digit(first11)
    assert my_number_valid(first11 + str(digit)) == (digit == expected)


def test_search_kana_folds_voicing_and_small_kana():
    assert search_kana("ガッコウ　パン") == "カツコウハン"
    assert search_kana("ヤマダ タロウ") == search_kana("ヤマタ　タロウ")


def test_kana_and_postal_code_and_names():
    assert is_katakana("ヤマダ　タロウ") and is_katakana("グエン　ヴァン")
    assert not is_katakana("やまだ") and not is_katakana("Yamada")
    assert postal_code_ok("9990001") and not postal_code_ok("999-0001")
    assert normalise_name("山田　太郎") == normalise_name("山田 太郎") == "山田太郎"


def test_fiscal_year_end_and_grant_periods():
    assert fiscal_year_end(dt.date(2026, 4, 1)) == dt.date(2027, 3, 31)
    assert fiscal_year_end(dt.date(2027, 3, 31)) == dt.date(2027, 3, 31)
    assert period_error(dt.date(2026, 4, 1), dt.date(2027, 3, 31)) is None
    assert "fiscal year" in period_error(dt.date(2026, 4, 1), dt.date(2027, 4, 1))
    assert "employment" in period_error(dt.date(2026, 4, 1), dt.date(2026, 9, 30),
                                        employment_until=dt.date(2026, 6, 30))


def test_cipher_round_trip_index_and_key_separation():
    a = MyNumberCipher.from_master(bytes(32))
    b = MyNumberCipher.from_master(bytes([1]) * 32)
    blob = a.encrypt("123456789018")
    assert b"123456789018" not in blob and a.decrypt(blob) == "123456789018"
    assert a.encrypt("123456789018") != blob  # fresh nonce each time
    assert a.index("123456789018") == a.index("123456789018") != b.index("123456789018")
    with pytest.raises(Exception):
        b.decrypt(blob)
