"""審査: what a reviewer compares — the entry beside the current register record (DQ-1, DQ-8).

``entry_rows`` turns a submitted 異動届 (the command as the centre stored it) and the record as it
is now into rows of (項目, 入力内容, 現在の記録, changed?), in the order a reviewer reads a 届出.
A reviewer is never shown an outdated record: the centre sends the current one and says whether it
changed since the entry (``record_changed``); approval is refused by the centre in that case too.
``CaseView.from_json`` reads one case of ``GET /v1/cases`` (the 審査 queue). No Qt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from app.clock import JST
from japan.dates import date_label

KIND_LABELS = {
    "tennyu": "転入",
    "tenkyo": "転居",
    "tenshutsu": "転出",
    "setai_henko": "世帯変更",
    "shussei": "出生",
    "shibou": "死亡",
    "setai": "世帯の届出",
}
EVENT_LABELS = {"tennyu": "転入", "shussei": "出生", "tenkyo": "転居", "tenshutsu": "転出",
                "shibou": "死亡", "setai_henko": "世帯変更"}
TO_LABELS = {"new": "新しい世帯", "target": "既存の世帯", "same": "同じ世帯"}

FIELD_LABELS = {
    "idou_date": "異動日",
    "todoke_date": "届出日",
    "name_kanji": "氏名",
    "name_kana": "フリガナ",
    "birth_date": "生年月日",
    "sex": "性別",
    "my_number": "個人番号",
    "postal_code": "郵便番号",
    "address": "住所",
    "katagaki": "方書",
    "honseki": "本籍",
    "hittousha": "筆頭者",
    "nationality": "国籍",
    "residence_status": "在留資格",
    "residence_expiry": "在留期間満了日",
    "residence_card_no": "在留カード番号",
    "moved_in_from": "転入前住所",
    "moved_out_to": "転出先",
    "household_no": "世帯番号",
    "relationship_to_head": "続柄",
}

SEX_LABELS = {"male": "男", "female": "女"}

_ORDER = ("name_kanji", "name_kana", "birth_date", "sex", "my_number", "postal_code", "address",
          "katagaki", "honseki", "hittousha", "nationality", "residence_status",
          "residence_expiry", "residence_card_no")


@dataclass(frozen=True)
class EntryRow:
    """One line of the review: the label, what was entered, what the register holds now."""

    key: str
    label: str
    entered: str
    current: str
    changed: bool  # the entry would change this item of the record


def _text(key: str, value: Any) -> str:
    if value is None:
        return ""
    if key == "sex":
        return SEX_LABELS.get(str(value), str(value))
    return str(value)


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def entry_rows(command: Mapping[str, Any], current: Mapping[str, Any] | None) -> list[EntryRow]:
    """The rows a reviewer reads, in 届出 order."""
    current = current or {}
    rows: list[EntryRow] = []
    for key in ("idou_date", "todoke_date"):
        if key in command:
            unknown = key == "idou_date" and bool(command.get("idou_date_unknown"))
            text = date_label(None, True) if unknown else _text(key, command[key])  # 不詳
            rows.append(EntryRow(key, FIELD_LABELS[key], text, "", False))
    person = command.get("person")
    changes = command.get("changes")
    if isinstance(person, dict):  # 転入・出生: a new record; every item is new
        for key in _ORDER:
            if person.get(key) not in (None, ""):
                rows.append(EntryRow(key, FIELD_LABELS[key], _text(key, person[key]),
                                     _text(key, current.get(key)), True))
    elif isinstance(changes, dict):  # 転居・世帯変更: only what changes, beside what is there now
        for key in sorted(changes, key=lambda k: _ORDER.index(k) if k in _ORDER else len(_ORDER)):
            entered = _text(key, changes[key])
            now = _text(key, current.get(key))
            rows.append(EntryRow(key, FIELD_LABELS.get(key, key), entered, now, entered != now))
    for key in ("moved_in_from", "moved_out_to"):
        if command.get(key):
            rows.append(EntryRow(key, FIELD_LABELS[key], _text(key, command[key]), "", True))
    household = command.get("household")
    if isinstance(household, dict):
        for key in ("household_no", "relationship_to_head"):
            if household.get(key):
                rows.append(EntryRow(key, FIELD_LABELS[key], _text(key, household[key]), "", True))
    members = command.get("members")
    if isinstance(members, (list, tuple)):  # 世帯の届出: one row per 異動者
        rows += member_rows(members, current.get("members") or ())
    if command.get("kind") in ("tenshutsu", "shibou") and current:
        for key in ("name_kanji", "birth_date", "address"):
            rows.append(EntryRow(key, FIELD_LABELS[key], "", _text(key, current.get(key)), False))
    return rows


def member_rows(members: Any, current: Any) -> list[EntryRow]:
    """The 異動者 of a 世帯の届出, each as 異動・氏名・続柄・世帯 beside the record as it is now
    (``current``: the centre's ``current_members``, by resident id)."""
    now = {c.get("id"): c for c in current if isinstance(c, Mapping)}
    rows = []
    for i, m in enumerate(members):
        if not isinstance(m, Mapping):
            continue
        person = m.get("person") if isinstance(m.get("person"), Mapping) else None
        record = now.get(m.get("resident_id")) or {}
        name = (person or record).get("name_kanji") or ""
        parts = [EVENT_LABELS.get(str(m.get("event")), str(m.get("event"))), name]
        if m.get("relationship_to_head"):
            parts.append(f"続柄 {m['relationship_to_head']}")
        if m.get("to") in ("new", "target"):
            parts.append(TO_LABELS[m["to"]])
        was = " ".join(x for x in (record.get("name_kanji"), record.get("relationship_to_head"))
                       if x)
        rows.append(EntryRow(f"members[{i}]", f"異動者{i + 1}", " ".join(p for p in parts if p),
                             was, True))
    return rows


def local_time(at: str) -> str:
    """A UTC ISO time from the centre ("…Z") as the counter reads it: JST, to the minute."""
    try:
        moment = dt.datetime.fromisoformat(at.replace("Z", "+00:00"))
    except ValueError:
        return ""
    if moment.tzinfo is None:
        return ""
    return moment.astimezone(JST).strftime("%Y-%m-%d %H:%M")


@dataclass(frozen=True, repr=False)
class IdentityCheckRecord:
    """The 本人確認 a 届出 names, as the centre recorded it (WF-2): how, when, by whom, and of whom —
    a resident (``resident_id``) or a 転入's counter case (``subject == "newcomer"``), and whether
    that is the person the 届出 is about. The card's data is never part of it."""

    method: str  # card / card_code_b / documents
    items: tuple[str, ...]  # the documents seen
    signature_verified: bool
    at: str  # UTC ISO, as the centre sent it (``local_time`` shows it)
    operator: str
    subject: str  # resident / newcomer
    resident_id: int | None
    is_subject: bool

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> IdentityCheckRecord:
        rid = data.get("resident_id")
        return cls(method=str(data.get("method") or ""),
                   items=tuple(str(i) for i in data.get("items") or ()),
                   signature_verified=bool(data.get("signature_verified")),
                   at=str(data.get("at") or ""), operator=str(data.get("operator") or ""),
                   subject=str(data.get("subject") or "resident"),
                   resident_id=int(rid) if rid is not None else None,
                   is_subject=bool(data.get("is_subject")))

    def __repr__(self) -> str:
        return f"IdentityCheckRecord(method={self.method}, subject={self.subject})"


def _frozen(value: Any) -> Any:
    """A read-only view of the centre's JSON (mappings inside stay as sent)."""
    return MappingProxyType(dict(value)) if isinstance(value, Mapping) else None


@dataclass(frozen=True, repr=False)
class CaseView:
    """One 届出 in the 審査 queue: the entry command as the centre stored it, the register record as
    it is now (None for a 転入・出生), whether that record changed since the entry, who entered it,
    and the 本人確認 it names. The repr names no person."""

    id: int
    kind: str
    status: str
    entered_by: str
    entered_at: str
    command: Mapping[str, Any]
    current: Mapping[str, Any] | None
    record_changed: bool
    identity_check: IdentityCheckRecord | None
    support_measure: bool  # the current record is of a 支援措置 subject

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CaseView:
        command = _frozen(data.get("command")) or MappingProxyType({})
        current = _frozen(data.get("current"))
        members = data.get("current_members")
        if isinstance(members, list):  # 世帯の届出: the record of each named 異動者, as it is now
            current = MappingProxyType({
                "members": tuple(_frozen(m) for m in members if isinstance(m, Mapping)),
                "support_measure": any(isinstance(m, Mapping) and m.get("support_measure")
                                       for m in members)})
        check = data.get("identity_check")
        return cls(id=int(data["id"]), kind=str(command.get("kind") or data.get("kind") or ""),
                   status=str(data.get("status") or ""),
                   entered_by=str(data.get("entered_by") or ""),
                   entered_at=str(data.get("entered_at") or ""),
                   command=command, current=current,
                   record_changed=bool(data.get("record_changed")),
                   identity_check=IdentityCheckRecord.from_json(check) if check else None,
                   support_measure=bool((current or {}).get("support_measure")))

    def __repr__(self) -> str:
        return f"CaseView(id={self.id}, kind={self.kind}, status={self.status})"


def subject_name(case: CaseView) -> str:
    """Who the case is about, for the queue list (from the entry, else the current record)."""
    person = case.command.get("person")
    if isinstance(person, dict) and person.get("name_kanji"):
        return str(person["name_kanji"])
    current = case.current or {}
    members = case.command.get("members")
    if isinstance(members, (list, tuple)) and members:  # 世帯の届出: the first 異動者 and how many
        first = members[0] if isinstance(members[0], Mapping) else {}
        person = first.get("person") if isinstance(first.get("person"), Mapping) else None
        rows = current.get("members") or ()
        name = (person or {}).get("name_kanji") or next(
            (r.get("name_kanji") for r in rows if r.get("id") == first.get("resident_id")), "")
        return f"{name} ほか{len(members) - 1}名" if len(members) > 1 else str(name)
    return str(current.get("name_kanji") or "")
