"""カナと文字幅 (kana and character width): the フリガナ check, width folding and search keys.

The search keys (``search_kana``, ``normalise_name``) are stored in the register
(``residents.name_search_kana``, ``residents.name_search``) and compared with the keys of what a
clerk types, so they must never change for a string already stored: a change here needs a data
migration of those columns.

Kana conversions use jaconv (MIT), a maintained pure-Python library, instead of tables of our own;
width folding is Unicode NFKC, which is what the register's keys were made with.
"""
from __future__ import annotations

import re
import unicodedata

import jaconv

# 全角カタカナ ァ–ヺ, the 長音符 ー and the 踊り字 ヽ ヾ, with spaces (half or full width) between words;
# not the 中点 ・ (U+30FB), not ヿ (U+30FF), not hiragana, not half-width kana (fold the width first).
_KATAKANA = re.compile(r"^[\u30A1-\u30FA\u30FC\u30FD\u30FE\u3000 ]+$")

_VOICING_MARKS = {"\u3099", "\u309A"}  # combining 濁点 / 半濁点, as NFD splits them off (ガ = カ + U+3099)
# jaconv enlarges small hiragana too, and has no small ワ: the register's keys were made with small
# katakana only made large (ァィゥェォッャュョヮヵヶ), so the hiragana are left as they are and ヮ is added.
_SMALL_HIRAGANA = "ぁぃぅぇぉゃゅょっ"


def is_katakana(text: str) -> bool:
    """フリガナ as the register takes it: 全角カタカナ and spaces, at least one character."""
    return bool(_KATAKANA.match(text))


def fold_width(text: str) -> str:
    """全角・半角の統一 (Unicode NFKC): full-width letters, digits and signs become ASCII
    (１２３ → 123, Ａ－１ → A-1), half-width katakana become full width (ｶﾞ → ガ), the ideographic
    space a space.

    NFKC folds other compatibility characters too (① → 1, ㍻ → 平成, a CJK compatibility
    ideograph such as U+FA30 侮 into its unified form): right for numbers, codes, kana and search
    keys; a comparison of registered names that must keep 異体字 apart folds character by
    character and leaves those ideographs alone (``app.identity.normalise``)."""
    return unicodedata.normalize("NFKC", text)


def hiragana_to_katakana(text: str) -> str:
    """ひらがな → 全角カタカナ (やまだ → ヤマダ); everything else unchanged."""
    return jaconv.hira2kata(text)


def full_width_ascii(text: str) -> str:
    """Printable ASCII as full-width forms (A-012 → Ａ－０１２), as printed forms show numbers; the
    space and everything that is not ASCII unchanged."""
    return jaconv.h2z(text, ignore=" ", kana=False, ascii=True, digit=True)


def search_kana(kana: str) -> str:
    """清音化かな (002): the search key of a reading, stored as ``residents.name_search_kana``.

    Katakana without voicing marks (ガ → カ, パ → ハ, ヴ → ウ; hiragana too: が → か), small
    katakana made large (ッ → ツ, ャ → ヤ, ヮ → ワ, ヶ → ケ), and no spaces of any width; the 長音符 ー
    is kept as it is. A search by reading then does not depend on how a clerk heard it.
    """
    decomposed = unicodedata.normalize("NFD", kana)
    plain = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _VOICING_MARKS))
    plain = jaconv.enlarge_smallkana(plain, ignore=_SMALL_HIRAGANA).replace("ヮ", "ワ")
    return "".join(plain.split())


def normalise_name(value: str) -> str:
    """The search key of a name (氏名), stored as ``residents.name_search``: NFKC
    (``fold_width``) and no spaces, half- or full-width. 山田　太郎 → 山田太郎."""
    return "".join(fold_width(value).split())
