"""異動リスト and 職権 on the terminal (client core, no widgets): the day's applied 異動 as the centre
lists them (DQ-2, K-WF-6.5) and the body of a 職権記載・消除・修正 entry (K-DQ-16).

The centre decides everything (who may read, tick, enter, decide); these types only carry its
answers. Their repr names no person.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

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
