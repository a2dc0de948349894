"""Format checks shared by the register and the 異動 logical checks (DQ-*).

The My Number check digit follows the 行政手続における特定の個人を識別するための番号の利用等に関する法律
施行令 第8条 formula: with P(n) the n-th digit counted from the right excluding the check digit, and
Q(n) = n + 1 for n ≤ 6, n − 5 for 7 ≤ n ≤ 11, the check digit is 0 when ΣP·Q mod 11 ≤ 1, else 11 minus it.
"""
from __future__ import annotations

import re
import unicodedata

_KATAKANA = re.compile(r"^[\u30A1-\u30FA\u30FC\u30FD\u30FE\u3000 ]+$")
_POSTAL = re.compile(r"^\d{7}$")


def my_number_check_digit(first11: str) -> int:
    if len(first11) != 11 or not first11.isdigit():
        raise ValueError("need 11 digits")
    total = 0
    for n in range(1, 12):
        p = int(first11[11 - n])
        q = n + 1 if n <= 6 else n - 5
        total += p * q
    r = total % 11
    return 0 if r <= 1 else 11 - r


def my_number_format_ok(value: str) -> bool:
    return len(value) == 12 and value.isascii() and value.isdigit()


def my_number_valid(value: str) -> bool:
    return my_number_format_ok(value) and my_number_check_digit(value[:11]) == int(value[11])


def is_katakana(value: str) -> bool:
    return bool(_KATAKANA.match(value))


def postal_code_ok(value: str) -> bool:
    return bool(_POSTAL.match(value))


_DAKUTEN = {"\u3099", "\u309A"}  # combining voiced / semi-voiced marks
_SMALL = str.maketrans("ァィゥェォッャュョヮヵヶ", "アイウエオツヤユヨワカケ")


def search_kana(kana: str) -> str:
    """清音化かな (002): katakana without voicing marks, small kana made large, no spaces.

    ガ → カ, パ → ハ, ッ → ツ, so that a search by reading does not depend on how a clerk heard it.
    """
    decomposed = unicodedata.normalize("NFD", kana)
    plain = "".join(ch for ch in decomposed if ch not in _DAKUTEN)
    plain = unicodedata.normalize("NFC", plain).translate(_SMALL)
    return "".join(plain.split()).replace("\u3000", "")


def normalise_name(value: str) -> str:
    """Names compare without spaces (half- or full-width) and in NFKC form."""
    return "".join(unicodedata.normalize("NFKC", value).split())
