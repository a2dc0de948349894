"""個人番号 (My Number): the check digit and the form of a 12-digit number.

The check digit follows the 行政手続における特定の個人を識別するための番号の利用等に関する法律
施行令 第8条 formula: with P(n) the n-th digit counted from the right excluding the check digit, and
Q(n) = n + 1 for n ≤ 6, n − 5 for 7 ≤ n ≤ 11, the check digit is 0 when ΣP·Q mod 11 ≤ 1, else 11
minus it.

Only ASCII digits are a number here: a number typed in full width is folded first
(``japan.kana.fold_width``), so that what is checked is what is stored and sent.
"""
from __future__ import annotations


def check_digit(first11: str) -> int:
    """検査用数字 of the first 11 digits (ASCII); ValueError for anything else."""
    if len(first11) != 11 or not first11.isascii() or not first11.isdigit():
        raise ValueError("need 11 digits")
    total = sum(int(first11[11 - n]) * (n + 1 if n <= 6 else n - 5) for n in range(1, 12))
    r = total % 11
    return 0 if r <= 1 else 11 - r


def well_formed(value: str) -> bool:
    """12 ASCII digits (whether or not the check digit agrees)."""
    return len(value) == 12 and value.isascii() and value.isdigit()


def is_valid(value: str) -> bool:
    """12 ASCII digits whose last is the check digit of the first 11."""
    return well_formed(value) and check_digit(value[:11]) == int(value[11])
