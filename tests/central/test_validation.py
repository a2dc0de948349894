"""Format rules of the register and the logical checks (DQ-*), on known vectors."""
from __future__ import annotations

import datetime as dt

import pytest

from central.crypto import MyNumberCipher
from central.rights import fiscal_year_end, period_error
from central.validation import postal_code_ok

# The My Number, kana and name rules moved to japan/ with their tests (tests/unit/test_japan.py, #20).


def test_postal_code():
    assert postal_code_ok("9990001") and not postal_code_ok("999-0001")


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
