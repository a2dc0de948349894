"""住所の構造 (the structure of a register address) and when an address narrows a search (DQ-7).

A 住民基本台帳 address is written 都道府県 + 市区町村 (with 郡 before a 町村, a 区 after a
政令指定都市) + 町字 (町・大字・字, then 丁目) + 番地・号. Every resident of a municipality's
register shares the first two parts; a search key of only those (or less) therefore matches
everyone of the name, and is no second key at all (#21 class 7). An address counts as a search
key only when, once normalised, it starts with a 都道府県 and a 市区町村 and goes on to at least
two characters of the 町字 (after 「大字」「字」, which name no place by themselves): for the
register of 架空県さくら市, 「架空県さくら市桜町」 counts, 「架空県さくら市」「架空県」「さくら市」
「桜」 do not.

One implementation for the central search (central/register.py) and the client's search
(app/residents.py). Pure: no I/O, no Qt.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .kana import fold_width

_NUM_KANJI = "〇一二三四五六七八九"

# 都道府県: the four irregular ones, or a name of two or three characters and 県.
_PREFECTURE = re.compile(r"(東京都|北海道|京都府|大阪府|[^\d都道府県市区町村郡]{2,3}県)")
_N = r"[^\d市区町村郡]"  # a character of a municipality's name
# 市区町村: 郡 + 町/村; 市 with an optional 区 (政令指定都市); 東京の特別区; a 町 or 村.
_MUNICIPALITY = re.compile(
    rf"({_N}+?郡{_N}+?[町村]|{_N}+?市(?:{_N}+?区)?|{_N}+?区|{_N}+?[町村])")
_CHOME_DIGITS = re.compile(r"(\d{1,2})丁目")
_OAZA = re.compile(r"^(大字|字)")

MIN_TOWN_CHARS = 2  # characters of the 町字 a key must reach


def _kanji_number(n: int) -> str:
    if n < 10:
        return _NUM_KANJI[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _NUM_KANJI[tens]) + "十" + (_NUM_KANJI[ones] if ones else "")


def normalise_address(text: str) -> str:
    """An address as compared: NFKC widths (１２ → 12, ｻｸﾗ → サクラ), no spaces of any width,
    and 丁目 with a kanji number as the register writes it (3丁目 → 三丁目)."""
    folded = "".join(fold_width(text).split())
    return _CHOME_DIGITS.sub(lambda m: _kanji_number(int(m.group(1))) + "丁目", folded)


@dataclass(frozen=True)
class AddressParts:
    prefecture: str
    municipality: str
    rest: str  # 町字 onwards (番地, 号, 方書)


def split_address(text: str) -> AddressParts:
    """都道府県, 市区町村 and the rest of a (normalised) address; a part not found is empty."""
    s = normalise_address(text)
    pref = _PREFECTURE.match(s)
    prefecture = pref.group(1) if pref else ""
    s = s[len(prefecture):]
    muni = _MUNICIPALITY.match(s) if prefecture else None
    municipality = muni.group(1) if muni else ""
    return AddressParts(prefecture, municipality, s[len(municipality):])


def narrows_search(address: str) -> bool:
    """Whether ``address`` counts as a search key (DQ-7): it reaches the 町字 beyond 都道府県 and
    市区町村 (see the module's docstring)."""
    parts = split_address(address)
    if not (parts.prefecture and parts.municipality):
        return False
    town = _OAZA.sub("", parts.rest)
    return len(town) >= MIN_TOWN_CHARS


ADDRESS_TOO_BROAD_EN = ("The address does not narrow the search: give it from the prefecture "
                        "and municipality on to at least the town (町字), e.g. 架空県さくら市桜町 "
                        "(DQ-7)")
ADDRESS_TOO_BROAD_JA = ("住所では絞り込めません。都道府県・市区町村に続けて町字まで入力してください"
                        "（例：架空県さくら市桜町）")
