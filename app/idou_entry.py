"""異動届の入力 (entry of a 異動届, K-WF-5): format checks as the clerk types, and the command sent.

``check_*`` functions answer ``None`` or a Japanese message for the field (shown beside it); the
centre repeats every check and adds the register's logical checks (DQ-*), whose RFC 9457 answers
name the field too (``field_of``), so its message lands beside the same field. Nothing here drops
what was typed: ``Entry`` keeps the raw text of every field, and ``command`` is built only when
every field passes. Dates are accepted in 西暦 (2026-04-01, 2026/4/1, 20260401) and 和暦
(令和8年4月1日, R8.4.1, 令和元年5月1日) as ``japan.era.parse_date`` reads them, within the
plausible bounds the centre applies (``japan.dates``: 生年月日 from 1890, 異動日 and 届出日 from the
register's beginning to today); a 異動日 typed 「不詳」 is sent as unknown (K-DQ-17) where the
register allows it (世帯変更, 転出, 死亡), never as an invented date. No Qt.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.identity import CardIdentity, name_needs_visual_check
from japan import dates, mynumber
from japan.era import parse_date, wareki
from japan.kana import fold_width, is_katakana

KIND_LABELS = {"tennyu": "転入", "tenkyo": "転居", "tenshutsu": "転出", "setai_henko": "世帯変更",
               "shussei": "出生", "shibou": "死亡"}

# The fields of each 異動届 (only these exist on its form: K-WF-4.3 / K-DQ-12).
FIELDS: dict[str, tuple[str, ...]] = {
    "tennyu": ("name_kanji", "name_kana", "birth_date", "sex", "my_number", "postal_code",
               "address", "katagaki", "moved_in_from", "idou_date", "todoke_date"),
    "shussei": ("name_kanji", "name_kana", "birth_date", "sex", "postal_code", "address",
                "katagaki", "household_no", "relationship_to_head", "todoke_date"),
    "tenkyo": ("postal_code", "address", "katagaki", "idou_date", "todoke_date"),
    "tenshutsu": ("moved_out_to", "idou_date", "todoke_date"),
    "setai_henko": ("household_no", "relationship_to_head", "idou_date", "todoke_date"),
    "shibou": ("idou_date", "todoke_date"),
}
OPTIONAL = {"my_number", "katagaki"}

LABELS = {"name_kanji": "氏名", "name_kana": "フリガナ", "birth_date": "生年月日", "sex": "性別",
          "my_number": "個人番号", "postal_code": "郵便番号", "address": "住所", "katagaki": "方書",
          "moved_in_from": "転入前住所", "moved_out_to": "転出先", "idou_date": "異動日",
          "todoke_date": "届出日", "household_no": "世帯番号", "relationship_to_head": "続柄"}


def normalise_postal(text: str) -> str:
    return fold_width(text or "").replace("-", "").replace("ー", "").strip()


def idou_date_unknown(kind: str | None, text: str) -> bool:
    """Whether the 異動日 typed is 「不詳」 (for a ``kind`` that allows it, or any when unknown)."""
    return dates.is_unknown_text(text) and (kind is None or kind in dates.UNKNOWN_ALLOWED)


def check_field(name: str, text: str, *, today: dt.date, kind: str | None = None) -> str | None:
    """The format check of one field: None when fine, else a Japanese message. ``kind`` (the
    異動届's) decides whether 「不詳」 is a 異動日 and how far ahead a 転出 may lie."""
    value = (text or "").strip()
    if not value:
        return None if name in OPTIONAL else f"{LABELS.get(name, name)}を入力してください"
    if name == "name_kana":
        return None if is_katakana(fold_width(value)) else "フリガナは全角カタカナで入力してください"
    if name == "idou_date" and dates.is_unknown_text(value):
        if idou_date_unknown(kind, value):
            return None
        return dates.idou_date_refusal(kind or "", None, today, unknown=True)[2]  # type: ignore[index]
    if name in ("birth_date", "idou_date", "todoke_date"):
        try:
            day = parse_date(value)
        except ValueError as exc:
            return str(exc)
        if name == "birth_date":
            refusal = dates.birth_date_refusal(day, today)
        elif name == "idou_date":
            refusal = dates.idou_date_refusal(kind or "tenshutsu", day, today) \
                if kind is not None or day < dates.REGISTER_START else None
        else:
            refusal = dates.todoke_date_refusal(kind or "", day, None, today)
        return refusal[2] if refusal else None
    if name == "postal_code":
        return None if re.fullmatch(r"\d{7}", normalise_postal(value)) else \
            "郵便番号は7桁の数字で入力してください（例: 123-4567）"
    if name == "my_number":
        digits = fold_width(value).replace(" ", "")
        if not re.fullmatch(r"\d{12}", digits):
            return "個人番号は12桁の数字です"
        return None if mynumber.is_valid(digits) else "個人番号のチェックデジットが一致しません。読み取り・入力を確認してください"
    if name == "sex":
        return None if value in ("male", "female") else "性別を選んでください"
    if name in ("address", "moved_in_from", "moved_out_to") and len(value) > 200:
        return f"{LABELS[name]}は200文字以内です"
    if name == "name_kanji" and len(value) > 100:
        return "氏名は100文字以内です"
    return None


@dataclass
class Entry:
    """入力中の異動届: the raw text of each field (kept whatever happens) and its messages."""

    kind: str
    values: dict[str, str] = field(default_factory=dict)
    resident_id: int | None = None
    expected_version: int | None = None
    identity_check_seq: int | None = None  # the 本人確認 recorded for this case, if any

    def errors(self, today: dt.date) -> dict[str, str]:
        out = {}
        for name in FIELDS[self.kind]:
            message = check_field(name, self.values.get(name, ""), today=today, kind=self.kind)
            if message:
                out[name] = message
        if not out and "idou_date" in FIELDS[self.kind] and "todoke_date" in FIELDS[self.kind] \
                and not idou_date_unknown(self.kind, self.values.get("idou_date", "")):
            if parse_date(self.values["todoke_date"]) < parse_date(self.values["idou_date"]) \
                    and self.kind != "tenshutsu":
                out["todoke_date"] = "届出日が異動日より前になっています"
        if self.kind in ("tenkyo", "tenshutsu", "setai_henko", "shibou") and \
                (self.resident_id is None or self.expected_version is None):
            out["resident"] = "届出の対象者を住民検索で選んでください"
        return out

    def command(self, today: dt.date) -> dict[str, Any]:
        """The command for ``POST /v1/cases/idou``; ValueError when a field does not pass."""
        if self.errors(today):
            raise ValueError("the entry has errors")
        v = {k: (t or "").strip() for k, t in self.values.items()}

        def date(name: str) -> str | None:
            if name == "idou_date" and idou_date_unknown(self.kind, v[name]):
                return None  # 不詳 (K-DQ-17): sent with idou_date_unknown, never a made-up date
            return parse_date(v[name]).isoformat()

        cmd: dict[str, Any] = {"kind": self.kind, "todoke_date": date("todoke_date")}
        if self.identity_check_seq is not None:  # the reviewer sees how the 届出人 was identified
            cmd["identity_check_seq"] = self.identity_check_seq
        if self.kind in ("tennyu", "shussei"):
            person = {"name_kanji": v["name_kanji"],
                      "name_kana": fold_width(v["name_kana"]),
                      "birth_date": date("birth_date"), "sex": v["sex"],
                      "postal_code": normalise_postal(v["postal_code"]), "address": v["address"],
                      "katagaki": v.get("katagaki") or None}
            if v.get("my_number"):
                person["my_number"] = fold_width(v["my_number"]).replace(" ", "")
            cmd["person"] = person
        if self.kind == "tennyu":
            cmd.update(idou_date=date("idou_date"), moved_in_from=v["moved_in_from"])
        elif self.kind == "shussei":
            cmd["idou_date"] = cmd["person"]["birth_date"]
            cmd["household"] = {"household_no": v.get("household_no") or None,
                                "relationship_to_head": v.get("relationship_to_head") or "子"}
        else:
            cmd.update(idou_date=date("idou_date"), resident_id=self.resident_id,
                       expected_version=self.expected_version)
            if cmd["idou_date"] is None:
                cmd["idou_date_unknown"] = True
            if self.kind == "tenkyo":
                cmd["changes"] = {"postal_code": normalise_postal(v["postal_code"]),
                                  "address": v["address"], "katagaki": v.get("katagaki") or None}
            elif self.kind == "setai_henko":
                cmd["changes"] = {"household_no": v["household_no"],
                                  "relationship_to_head": v["relationship_to_head"]}
            elif self.kind == "tenshutsu":
                cmd["moved_out_to"] = v["moved_out_to"]
        return cmd


def prefill(kind: str, record: Mapping[str, Any] | None, card: Mapping[str, Any] | None,
            today: dt.date) -> dict[str, str]:
    """書かない窓口: the fields filled from the register record and the card's 券面事項 (the card
    wins for 4情報 it holds), today as 届出日. The clerk checks; the resident writes nothing."""
    values: dict[str, str] = {"todoke_date": today.isoformat()}
    fields = FIELDS[kind]
    src: dict[str, Any] = {}
    for source in (record or {}, card or {}):
        for key in ("name_kanji", "name_kana", "birth_date", "sex", "address", "postal_code",
                    "katagaki", "household_no", "relationship_to_head"):
            if source.get(key):
                src[key] = source[key]
    for name in fields:
        if name in src and kind in ("tennyu", "shussei", "setai_henko"):
            values[name] = str(src[name])
    if kind in ("tenkyo", "tenshutsu", "setai_henko", "shibou"):
        values.setdefault("idou_date", today.isoformat())
    return values


VISUAL_CHECK_NOTE = "外字・代替文字の可能性があります。券面の氏名と目視で確認してください"
# The fields a card pre-fills per kind: the card's address is where the person lived before (its
# 券面 is not updated until the 転入 is registered), so it is the 転入前住所, never the new address.
CARD_FIELDS: dict[str, tuple[str, ...]] = {
    "tennyu": ("name_kanji", "birth_date", "sex", "my_number", "moved_in_from"),
}


@dataclass(frozen=True, repr=False)
class CardPrefill:
    """What the card fills in: the text of each field, which came from the card, and the notes
    (氏名 with possible 外字/代替文字 → a visual check). The repr never shows the values."""

    values: dict[str, str]
    notes: dict[str, str]

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self.values)

    def __repr__(self) -> str:
        return f"CardPrefill(fields={self.fields}, notes={tuple(self.notes)})"


def from_card(kind: str, card: CardIdentity) -> CardPrefill:
    """書かない窓口 for a 転入 (WF-2, WF-3): the card's 4情報 (and the 個人番号 when it was read,
    which happens only with 特定個人情報アクセス権限) → the entry's fields. 氏名 as read, 生年月日 in
    和暦 (as the form shows dates), 性別 when the card says 男 or 女, 転入前住所 = the card's address.
    フリガナ and the new address are not on the card: they stay for the clerk. A kind without
    card fields gets nothing."""
    wanted = CARD_FIELDS.get(kind, ())
    candidates = {
        "name_kanji": (card.name or "").strip(),
        "birth_date": wareki(card.birth_date.isoformat()) if card.birth_date else "",
        "sex": card.sex if card.sex in ("male", "female") else "",
        "my_number": card.my_number or "",
        "moved_in_from": (card.address or "").strip(),
    }
    values = {name: candidates[name] for name in wanted if candidates.get(name)}
    notes = {}
    if "name_kanji" in values and name_needs_visual_check(values["name_kanji"]):
        notes["name_kanji"] = VISUAL_CHECK_NOTE
    return CardPrefill(values, notes)


def fill_empty(values: Mapping[str, str], filled: Mapping[str, str]) -> dict[str, str]:
    """``values`` with ``filled`` put into the fields still empty: what the clerk typed is never
    overwritten by the card (書かない窓口, WF-3)."""
    out = dict(values)
    for name, value in filled.items():
        if not (out.get(name) or "").strip():
            out[name] = value
    return out


def card_origin(name: str, text: str, prefill: Mapping[str, str]) -> str | None:
    """How a field stands to the card: "card" (still the card's value), "edited" (the clerk
    changed what the card gave) or None (not from the card)."""
    if name not in prefill:
        return None
    return "card" if (text or "").strip() == prefill[name] else "edited"


def field_of(problem: Mapping[str, Any]) -> str:
    """The entry field a centre's problem answer is about (``person.`` / ``changes.`` stripped);
    "form" when it names none."""
    name = str(problem.get("field") or "")
    for prefix in ("person.", "changes.", "household."):
        if name.startswith(prefix):
            name = name[len(prefix):]
    return name or "form"
