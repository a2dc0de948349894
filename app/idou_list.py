"""異動リスト and 職権 on the terminal (client core, no widgets): the day's applied 異動 as the centre
lists them (DQ-2, K-WF-6.5) and the body of a 職権記載・消除・修正 entry (K-DQ-16).

The centre decides everything (who may read, tick, enter, decide); these types only carry its
answers. Their repr names no person.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from japan.dates import date_label, is_unknown_text
from japan.era import parse_date
from app.idou_entry import check_field, normalise_postal
from japan.kana import fold_width

SHOKKEN_KINDS = {"shokken_kisai": "職権記載", "shokken_shojo": "職権消除",
                 "shokken_shusei": "職権修正"}
INVESTIGATION_METHODS = {"site_visit": "現地調査", "documents": "書類調査", "inquiry": "照会",
                         "notice": "他機関からの通知"}


@dataclass(frozen=True, repr=False)
class IdouListRow:
    """One applied 異動 of the list: what a reviewer checks against its 届出, and its 点検."""

    history_id: int
    resident_id: int
    kind: str
    kind_ja: str
    entry_kind: str  # todoke / shokken
    entry_kind_ja: str  # 届出 / 職権
    name_kanji: str
    name_kana: str
    address: str
    idou_date: str | None
    idou_date_unknown: bool
    todoke_date: str | None
    recorded_at: str
    operator: str | None
    device: str | None
    approved_by: str | None
    carried_over: bool  # an earlier day's row nobody has ticked yet
    checked: bool
    checked_by: str | None
    support_measure: bool

    @property
    def shokken(self) -> bool:
        return self.entry_kind == "shokken"

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> IdouListRow:
        return cls(history_id=int(d["history_id"]), resident_id=int(d["resident_id"]),
                   kind=str(d["kind"]), kind_ja=str(d.get("kind_ja") or ""),
                   entry_kind=str(d.get("entry_kind") or "todoke"),
                   entry_kind_ja=str(d.get("entry_kind_ja") or ""),
                   name_kanji=str(d.get("name_kanji") or ""),
                   name_kana=str(d.get("name_kana") or ""),
                   address=str(d.get("address") or ""), idou_date=d.get("idou_date"),
                   idou_date_unknown=bool(d.get("idou_date_unknown")),
                   todoke_date=d.get("todoke_date"), recorded_at=str(d.get("recorded_at") or ""),
                   operator=d.get("operator"), device=d.get("device"),
                   approved_by=d.get("approved_by"), carried_over=bool(d.get("carried_over")),
                   checked=bool(d.get("checked")), checked_by=d.get("checked_by"),
                   support_measure=bool(d.get("support_measure")))

    def __repr__(self) -> str:
        return f"IdouListRow(history_id={self.history_id}, kind={self.kind}, checked={self.checked})"


@dataclass(frozen=True, repr=False)
class IdouList:
    """The 異動リスト of one JST day, of one terminal (``device``) or the whole office."""

    date: str
    device: str | None
    rows: tuple[IdouListRow, ...]
    unchecked_count: int
    carried_over_count: int

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> IdouList:
        return cls(date=str(d["date"]), device=d.get("device"),
                   rows=tuple(IdouListRow.from_json(r) for r in d.get("rows") or []),
                   unchecked_count=int(d.get("unchecked_count") or 0),
                   carried_over_count=int(d.get("carried_over_count") or 0))

    def __repr__(self) -> str:
        return f"IdouList(date={self.date}, device={self.device}, rows={len(self.rows)})"


def investigation(investigated_on: dt.date, investigators: Sequence[str], method: str,
                  finding: str) -> dict[str, Any]:
    """The 実態調査 of a 職権 entry as the centre takes it (its checks are the centre's)."""
    if method not in INVESTIGATION_METHODS:
        raise ValueError(f"unknown investigation method {method!r}")
    return {"investigated_on": investigated_on.isoformat(),
            "investigators": [s.strip() for s in investigators if s.strip()],
            "method": method, "finding": finding.strip()}


def shokken_shojo(resident_id: int, version: int, reason: str, evidence: Mapping[str, Any],
                  idou_date: dt.date | None = None) -> dict[str, Any]:
    """A 職権消除 entry; without ``idou_date`` the 異動日 is recorded as 不詳 (K-DQ-17)."""
    return {"kind": "shokken_shojo", "resident_id": resident_id, "expected_version": version,
            "idou_date": idou_date.isoformat() if idou_date else None,
            "idou_date_unknown": idou_date is None, "reason": reason.strip(),
            "investigation": dict(evidence)}


def shokken_shusei(resident_id: int, version: int, changes: Mapping[str, str | None],
                   reason: str, evidence: Mapping[str, Any], idou_date: dt.date) -> dict[str, Any]:
    """A 職権修正 entry correcting ``changes`` (field → corrected value)."""
    return {"kind": "shokken_shusei", "resident_id": resident_id, "expected_version": version,
            "idou_date": idou_date.isoformat(), "reason": reason.strip(),
            "investigation": dict(evidence), "changes": dict(changes)}


def shokken_kisai(person: Mapping[str, Any], reason: str, evidence: Mapping[str, Any],
                  idou_date: dt.date, household: Mapping[str, Any] | None = None,
                  moved_in_from: str | None = None) -> dict[str, Any]:
    """A 職権記載 entry for ``person`` (the fields of a 転入's person)."""
    body: dict[str, Any] = {"kind": "shokken_kisai", "idou_date": idou_date.isoformat(),
                            "reason": reason.strip(), "investigation": dict(evidence),
                            "person": dict(person), "moved_in_from": moved_in_from}
    if household is not None:
        body["household"] = dict(household)
    return body


# -- the 職権 entry as the clerk types it, and the supervisor's view of it -------------------

#: What a 職権修正 may correct on this form (the centre's ``CORRECTABLE`` holds a few more).
SHUSEI_FIELDS = {"name_kanji": "氏名", "name_kana": "フリガナ", "birth_date": "生年月日",
                 "address": "住所", "katagaki": "方書", "postal_code": "郵便番号",
                 "honseki": "本籍", "hittousha": "筆頭者", "relationship_to_head": "続柄"}
#: The person of a 職権記載 on this form (a new 世帯 with the person as 世帯主; a 職権記載 into an
#: existing 世帯 is the centre's, not yet this form's).
KISAI_FIELDS = ("name_kanji", "name_kana", "birth_date", "sex", "postal_code", "address",
                "katagaki", "moved_in_from")
ENTRY_FIELDS = ("resident", "idou_date", "reason", "investigated_on", "investigators", "method",
                "finding", "shusei_field", "shusei_value") + KISAI_FIELDS
_SEPARATORS = re.compile(r"[、,，\s]+")


def investigator_names(text: str) -> list[str]:
    """The investigators typed in one field, separated by 、 , or spaces."""
    return [n for n in _SEPARATORS.split(text or "") if n]


@dataclass
class ShokkenEntry:
    """入力中の職権消除・職権修正: the raw text of every field (kept whatever the centre answers)
    and the person it is about (``resident_id`` at ``version``). ``errors`` are the format checks
    shown beside each field before anything is sent; the centre repeats them and adds its own
    (the 現地調査 rule, the record's version), whose answers land beside the same field
    (``entry_field``)."""

    kind: str = "shokken_shojo"
    resident_id: int | None = None
    version: int | None = None
    values: dict[str, str] = field(default_factory=dict)

    def text(self, name: str) -> str:
        return (self.values.get(name) or "").strip()

    def errors(self, today: dt.date) -> dict[str, str]:
        out: dict[str, str] = {}
        if self.kind not in SHOKKEN_KINDS:
            out["kind"] = "職権の種別を選んでください"
        kisai = self.kind == "shokken_kisai"
        if kisai:  # a new person: the format checks of a 転入's fields
            for name in KISAI_FIELDS:
                if name == "moved_in_from" and not self.text(name):
                    continue  # 従前の住所: if known
                message = check_field(name, self.values.get(name, ""), today=today, kind="tennyu")
                if message:
                    out[name] = message
        elif self.resident_id is None or self.version is None:
            out["resident"] = "対象者を住民検索の結果か記録番号で選んでください"
        idou = self.text("idou_date")
        if self.kind != "shokken_shojo" and is_unknown_text(idou):
            out["idou_date"] = "職権記載・職権修正の異動日は不詳にできません"
        elif self.kind != "shokken_shojo" or (idou and not is_unknown_text(idou)):
            message = _date_error(idou, today, "異動日")  # 職権消除: blank or 不詳 is 不詳
            if message:
                out["idou_date"] = message
        if not self.text("reason"):
            out["reason"] = "職権の事由を入力してください"
        elif len(self.text("reason")) > 200:
            out["reason"] = "職権の事由は200文字以内です"
        message = _date_error(self.text("investigated_on"), today, "調査日")
        if message:
            out["investigated_on"] = message
        names = investigator_names(self.values.get("investigators", ""))
        if not names:
            out["investigators"] = "調査した職員を入力してください"
        elif len(names) > 4 or len(set(names)) != len(names) or any(len(n) > 40 for n in names):
            out["investigators"] = "調査した職員は重複なく4人まで（1人40文字以内）です"
        if self.text("method") not in INVESTIGATION_METHODS:
            out["method"] = "調査の方法を選んでください"
        if not self.text("finding"):
            out["finding"] = "調査の結果（確認した事実）を入力してください"
        elif len(self.text("finding")) > 1000:
            out["finding"] = "調査の結果は1000文字以内です"
        if self.kind == "shokken_shusei":
            if self.text("shusei_field") not in SHUSEI_FIELDS:
                out["shusei_field"] = "修正する項目を選んでください"
            elif not self.text("shusei_value"):
                out["shusei_value"] = "修正後の内容を入力してください"
            elif self.text("shusei_field") == "birth_date":
                message = _date_error(self.text("shusei_value"), today, "生年月日")
                if message:
                    out["shusei_value"] = message
        return out

    def command(self, today: dt.date) -> dict[str, Any]:
        """The body of ``POST /v1/shokken``; ValueError while a field does not pass."""
        if self.errors(today):
            raise ValueError("the entry has errors")
        evidence = investigation(parse_date(self.text("investigated_on")),
                                 investigator_names(self.values.get("investigators", "")),
                                 self.text("method"), self.text("finding"))
        idou = self.text("idou_date")
        day = None if not idou or is_unknown_text(idou) else parse_date(idou)
        if self.kind == "shokken_kisai":
            assert day is not None
            v = {name: self.text(name) for name in KISAI_FIELDS}
            person = {"name_kanji": v["name_kanji"], "name_kana": fold_width(v["name_kana"]),
                      "birth_date": parse_date(v["birth_date"]).isoformat(), "sex": v["sex"],
                      "postal_code": normalise_postal(v["postal_code"]), "address": v["address"],
                      "katagaki": v["katagaki"] or None}
            return shokken_kisai(person, self.text("reason"), evidence, day,
                                 moved_in_from=v["moved_in_from"] or None)
        assert self.resident_id is not None and self.version is not None
        if self.kind == "shokken_shojo":
            return shokken_shojo(self.resident_id, self.version, self.text("reason"), evidence,
                                 day)
        name, value = self.text("shusei_field"), self.text("shusei_value")
        if name == "birth_date":
            value = parse_date(value).isoformat()
        elif name == "name_kana":
            value = fold_width(value)
        elif name == "postal_code":
            value = fold_width(value).replace("-", "")
        assert day is not None
        return shokken_shusei(self.resident_id, self.version, {name: value},
                              self.text("reason"), evidence, day)


def _date_error(text: str, today: dt.date, label: str) -> str | None:
    if not text:
        return f"{label}を入力してください"
    try:
        day = parse_date(text)
    except ValueError as exc:
        return str(exc)
    return f"{label}が未来の日付です" if day > today else None


def entry_field(problem_field: str | None) -> str:
    """The entry field a centre's problem answer names (``investigation.`` and ``changes.``
    folded onto this form's fields); "form" when it names none of them."""
    name = str(problem_field or "")
    if name.startswith("investigation."):
        name = name[len("investigation."):]
    if name.startswith("changes."):
        name = "shusei_value"
    if name in ("resident_id", "expected_version"):
        name = "resident"
    if name.startswith("person."):
        name = name[len("person."):]
    return name if name in ENTRY_FIELDS else "form"


def shokken_rows(command: Mapping[str, Any],
                 current: Mapping[str, Any] | None) -> list[tuple[str, str, str]]:
    """The 職権 entry as the supervisor reads it before the 決裁: (項目, 入力内容, 現在の記録),
    the reason and the 実態調査 first, then what the entry changes beside the record now."""
    current = current or {}
    inv = command.get("investigation") if isinstance(command.get("investigation"), Mapping) else {}
    unknown = bool(command.get("idou_date_unknown")) or not command.get("idou_date")
    rows = [("種別", SHOKKEN_KINDS.get(str(command.get("kind")), str(command.get("kind"))), ""),
            ("対象者", "", str(current.get("name_kanji") or "")),
            ("異動日", date_label(None, True) if unknown else str(command.get("idou_date")), ""),
            ("職権の事由", str(command.get("reason") or ""), ""),
            ("調査日", str(inv.get("investigated_on") or ""), ""),
            ("調査した職員", "、".join(str(n) for n in inv.get("investigators") or ()), ""),
            ("調査の方法", INVESTIGATION_METHODS.get(str(inv.get("method")), ""), ""),
            ("調査の結果", str(inv.get("finding") or ""), "")]
    person = command.get("person")
    if isinstance(person, Mapping):  # 職権記載: a new record, every item new
        rows[1] = ("対象者", str(person.get("name_kanji") or ""), "")
        for key, label in (("name_kana", "フリガナ"), ("birth_date", "生年月日"), ("sex", "性別"),
                           ("postal_code", "郵便番号"), ("address", "住所"), ("katagaki", "方書")):
            value = person.get(key)
            if value:
                rows.append((label, {"male": "男", "female": "女"}.get(str(value), str(value)), ""))
        if command.get("moved_in_from"):
            rows.append(("従前の住所", str(command["moved_in_from"]), ""))
    changes = command.get("changes")
    if isinstance(changes, Mapping):
        for key, value in changes.items():
            rows.append((SHUSEI_FIELDS.get(str(key), str(key)), str(value or ""),
                         str(current.get(key) or "")))
    if command.get("kind") == "shokken_shojo":
        for key, label in (("birth_date", "生年月日"), ("address", "住所")):
            rows.append((label, "", str(current.get(key) or "")))
        status = {"current": "記載", "removed": "消除済み"}.get(str(current.get("status")), "")
        rows.append(("記録の状態", "消除（職権消除）", status))
    return rows


# -- the printed 異動リスト (drawn by ui/printing on the printer the reviewer chooses) ------------

#: The printed columns and their shares of the width, as the centre's PDF has them.
PRINT_COLUMNS = (("No", 3), ("種別", 4), ("事由", 6), ("氏名", 11), ("住所", 22), ("異動日", 9),
                 ("届出日", 9), ("入力者", 11), ("承認者", 8), ("点検", 9))


@dataclass(frozen=True, repr=False)
class ListPrintLayout:
    """The 異動リスト as printed: heading, summary line, the columns and their rows, the note.
    Never a 個人番号 or 住民票コード (the centre sends neither)."""

    title: str
    heading: str
    summary: str
    columns: tuple[tuple[str, int], ...]
    rows: tuple[tuple[str, ...], ...]
    note: str

    def __repr__(self) -> str:
        return f"ListPrintLayout(rows={len(self.rows)})"


def print_layout(listing: IdouList, *, printed_by: str, printed_at: str,
                 local_time: Any = lambda at: at) -> ListPrintLayout:
    """The layout of ``listing`` to print; ``local_time`` shows the centre's UTC times in JST."""
    scope = f"端末 {listing.device}" if listing.device else "全体（所属全端末）"
    today = len(listing.rows) - listing.carried_over_count
    rows = []
    for n, r in enumerate(listing.rows, 1):
        kind = r.kind_ja + ("（前日以前）" if r.carried_over else "")
        address = r.address + ("　※支援措置対象" if r.support_measure else "")
        idou = date_label(None, True) if r.idou_date_unknown else (r.idou_date or "")
        todoke = (r.todoke_date or "") if not r.shokken else "（職権）"
        entered = f"{r.operator or '—'}\n{local_time(r.recorded_at)[5:]}"  # MM-DD HH:MM
        checked = f"済 {r.checked_by}" if r.checked else "□ 未点検"
        rows.append((str(n), r.entry_kind_ja, kind, r.name_kanji, address, idou, todoke, entered,
                     r.approved_by or "（即時）", checked))
    return ListPrintLayout(
        title=f"異動リスト {listing.date}",
        heading=f"異動リスト　{listing.date}（日本時間）　{scope}",
        summary=(f"当日 {today} 件　前日以前の未点検 {listing.carried_over_count} 件　未点検 計 "
                 f"{listing.unchecked_count} 件　出力: {printed_by} {printed_at}"),
        columns=PRINT_COLUMNS, rows=tuple(rows),
        note="日本時間の暦日で集計（時刻は日本時間）。個人番号は記載しません。"
             if rows else "該当する異動はありません")
