"""My Number check digit (施行令 第8条), own copy: drivers may not import central."""
from __future__ import annotations


def check_digit(first11: str) -> int:
    if len(first11) != 11 or not first11.isascii() or not first11.isdigit():
        raise ValueError("need 11 digits")
    total = 0
    for n in range(1, 12):
        p = int(first11[11 - n])
        q = n + 1 if n <= 6 else n - 5
        total += p * q
    r = total % 11
    return 0 if r <= 1 else 11 - r


def is_valid(value: str) -> bool:
    return (len(value) == 12 and value.isascii() and value.isdigit()
            and check_digit(value[:11]) == int(value[11]))


def mask(value: str) -> str:
    return "*" * len(value)
