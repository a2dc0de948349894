"""世帯の届出 on the client (#22 point 1, K-WF-5.1): the typed command for several 異動者 and the
household checks the clerk sees beside each field as they type.

A family at the counter is one 届出: ``SetaiTodoke`` holds every 異動者 (``Idousha``) with their
異動, the 世帯 they belong to afterwards (``to``: their own, the 届出's new 世帯, or the existing
``household_no``) and their 続柄, and builds the JSON of ``POST /v1/cases/idou`` (kind ``setai``).
``problems`` runs, before sending, the same household checks the centre runs
(``japan.zokugara``) on what the client knows in full — the new 世帯 of a 転入 or 世帯分離 — plus the
shape of each row; the centre repeats them on the whole register and its answer wins. A centre's
refusal names ``members[i].<field>`` (``member_field``), so it lands beside the same row. No Qt.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from japan.kana import search_kana
from japan.zokugara import RELATIONSHIPS, Member, household_refusal

#: The 続柄 a clerk may choose (the list is the centre's: japan/zokugara.py).
RELATIONSHIP_CHOICES: tuple[str, ...] = tuple(RELATIONSHIPS)
EVENT_LABELS = {"tennyu": "転入", "shussei": "出生", "tenkyo": "転居", "tenshutsu": "転出",
                "shibou": "死亡", "setai_henko": "世帯変更"}
NEW_PERSON = ("tennyu", "shussei")


@dataclass
class NewPerson:
    """A person entering the register (転入 / 出生), as on the 転出証明書 or the card."""

    name_kanji: str
    name_kana: str
    birth_date: dt.date
    sex: str  # male / female
    postal_code: str
    address: str
    katagaki: str | None = None
    my_number: str | None = None

    def body(self) -> dict[str, Any]:
        out = {"name_kanji": self.name_kanji, "name_kana": self.name_kana,
               "birth_date": self.birth_date.isoformat(), "sex": self.sex,
               "postal_code": self.postal_code, "address": self.address,
               "katagaki": self.katagaki}
        if self.my_number:
            out["my_number"] = self.my_number
        return out


@dataclass
class Idousha:
    """One row of the 届出: a current resident (``resident_id`` + ``expected_version``, with the
    birth date, sex and address of the record the clerk read, for the client's checks) or a
    ``person`` entering the register."""

    event: str
    to: str = "same"  # same / new / target
    relationship_to_head: str | None = None
    resident_id: int | None = None
    expected_version: int | None = None
    person: NewPerson | None = None
    mother_id: int | None = None
    birth_date: dt.date | None = None  # of the record read (existing residents)
    sex: str | None = None
    address: tuple[str, str | None] | None = None

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"event": self.event, "to": self.to}
        if self.relationship_to_head:
            out["relationship_to_head"] = self.relationship_to_head
        if self.person is not None:
            out["person"] = self.person.body()
        else:
            out.update(resident_id=self.resident_id, expected_version=self.expected_version)
        if self.mother_id is not None:
            out["mother_id"] = self.mother_id
        return out


@dataclass
class NewAddress:
    postal_code: str
    address: str
    katagaki: str | None = None


@dataclass
class SetaiTodoke:
    """入力中の世帯の届出."""

    todoke_date: dt.date
    idou_date: dt.date | None
    members: list[Idousha] = field(default_factory=list)
    idou_date_unknown: bool = False
    household_no: str | None = None
    address: NewAddress | None = None
    moved_in_from: str | None = None
    moved_out_to: str | None = None
    identity_check_seq: int | None = None

    def problems(self) -> dict[str, str]:
        """Field path → Japanese message, empty when the 届出 may be sent. The paths are the
        centre's (``members[2].relationship_to_head``, ``address``)."""
        out: dict[str, str] = {}
        seen: dict[Any, int] = {}
        for i, m in enumerate(self.members):
            at = f"members[{i}]."
            if m.event in NEW_PERSON and m.person is None:
                out[at + "person"] = "氏名・生年月日等を入力してください"
            if m.event not in NEW_PERSON and m.resident_id is None:
                out[at + "resident_id"] = "異動者を住民検索で選んでください"
            needs = m.to in ("new", "target") and not (m.event == "shussei" and m.mother_id)
            if needs and not m.relationship_to_head:
                out[at + "relationship_to_head"] = "続柄を選んでください"
            elif m.relationship_to_head and m.relationship_to_head not in RELATIONSHIPS:
                out[at + "relationship_to_head"] = "続柄は一覧から選んでください"
            who = m.resident_id if m.person is None else (search_kana(m.person.name_kana),
                                                          m.person.birth_date)
            if who is not None and who in seen:
                out[at + ("person" if m.person else "resident_id")] = (
                    f"異動者{seen[who] + 1}と同じ方です")
            elif who is not None:
                seen[who] = i
        if any(m.to == "target" for m in self.members) and not self.household_no:
            out["household_no"] = "加入する世帯の世帯番号を入力してください"
        events = {m.event for m in self.members}
        if "tennyu" in events and not self.moved_in_from:
            out["moved_in_from"] = "転入前の住所を入力してください"
        if "tenshutsu" in events and not self.moved_out_to:
            out["moved_out_to"] = "転出先を入力してください"
        if any(m.event == "tenkyo" and m.to != "target" for m in self.members) and \
                self.address is None:
            out["address"] = "転居先の住所を入力してください"
        if not out:
            out.update(self._new_household_problems())
        return out

    def _new_household_problems(self) -> dict[str, str]:
        """The household checks on the 届出's new 世帯, which the client knows in full."""
        rows: list[tuple[int, Member]] = []
        for i, m in enumerate(self.members):
            if m.to != "new":
                continue
            if m.person is not None:
                birth, sex = m.person.birth_date, m.person.sex
                addr = (m.person.address, m.person.katagaki or None)
            elif m.birth_date is not None and m.sex is not None:
                birth, sex = m.birth_date, m.sex
                addr = ((self.address.address, self.address.katagaki or None)
                        if m.event == "tenkyo" and self.address else m.address or ("", None))
            else:
                return {}  # the record was not read: the centre checks
            rows.append((i, Member(i, m.relationship_to_head or "", birth, sex, addr)))
        if not rows:
            return {}
        refusal = household_refusal([v for _, v in rows], self.idou_date or self.todoke_date,
                                    check_all=True)
        if refusal is None:
            return {}
        i = refusal.member.key if refusal.member is not None else None
        if i is None:
            return {"members": refusal.ja}
        name = "relationship_to_head"
        if refusal.code == "household_address_split":
            name = "person.address" if self.members[i].person is not None else "address"
            if name == "address":
                return {"address": refusal.ja}
        return {f"members[{i}].{name}": refusal.ja}

    def command(self) -> dict[str, Any]:
        """The command for ``POST /v1/cases/idou``; ValueError when ``problems`` is not empty."""
        if self.problems():
            raise ValueError("the 届出 has problems")
        cmd: dict[str, Any] = {
            "kind": "setai", "todoke_date": self.todoke_date.isoformat(),
            "idou_date": self.idou_date.isoformat() if self.idou_date else None,
            "members": [m.body() for m in self.members]}
        if self.idou_date is None:
            cmd["idou_date_unknown"] = True
        if self.household_no:
            cmd["household_no"] = self.household_no
        if self.address is not None:
            cmd["address"] = {"postal_code": self.address.postal_code,
                              "address": self.address.address, "katagaki": self.address.katagaki}
        for name in ("moved_in_from", "moved_out_to", "identity_check_seq"):
            if getattr(self, name) is not None:
                cmd[name] = getattr(self, name)
        return cmd


_MEMBER_FIELD = re.compile(r"^members\[(\d+)\]\.(.+)$")


def member_field(problem: Mapping[str, Any]) -> tuple[int | None, str]:
    """Which row and field a centre's refusal of a 世帯の届出 is about: (index, field) for a row
    (``person.`` stripped, as the entry's fields are named), (None, field) for the 届出 as a whole
    (``address``, ``idou_date``, ``members`` for a member it does not name)."""
    name = str(problem.get("field") or "")
    m = _MEMBER_FIELD.match(name)
    if m is None:
        return None, name or "form"
    sub = m.group(2)
    return int(m.group(1)), sub[len("person."):] if sub.startswith("person.") else sub


#: Where each 異動者 belongs afterwards, as the clerk chooses it (``Idousha.to``).
TO_LABELS = {"same": "今の世帯のまま", "new": "新しい世帯（世帯分離）", "target": "世帯番号の世帯に加入"}
#: The 異動 of a current resident the screen offers (転入・出生 come with a person's data).
RESIDENT_EVENTS = ("tenkyo", "tenshutsu", "shibou", "setai_henko")
HEADER_FIELDS = ("idou_date", "todoke_date", "household_no", "postal_code", "address", "katagaki",
                 "moved_out_to")
HEADER_LABELS = {"idou_date": "異動日", "todoke_date": "届出日", "household_no": "世帯番号",
                 "postal_code": "郵便番号", "address": "転居先の住所", "katagaki": "方書",
                 "moved_out_to": "転出先"}


@dataclass(frozen=True, repr=False)
class EntryRow:
    """One row of the screen as typed: the resident chosen (a ``ResidentSummary``), the 異動, the
    世帯 afterwards and the 続柄 ("" none)."""

    resident: Any  # app.residents.ResidentSummary | None
    event: str
    to: str
    relationship_to_head: str

    def __repr__(self) -> str:
        return f"EntryRow(event={self.event}, to={self.to})"


def entry_draft(values: Mapping[str, str], rows: list[EntryRow], *, today: dt.date,
                identity_check_seq: int | None = None) -> tuple[SetaiTodoke | None, dict[str, str]]:
    """The 世帯の届出 from the screen's fields (``HEADER_FIELDS``) and rows, or the format errors
    (field → Japanese message) that keep it from being built; then ``problems`` is the next check."""
    from app.idou_entry import check_field, normalise_postal
    from japan.era import parse_date

    errors: dict[str, str] = {}
    text = {k: (values.get(k) or "").strip() for k in HEADER_FIELDS}
    for name in ("idou_date", "todoke_date"):
        message = check_field(name, text[name], today=today,
                              kind=rows[0].event if rows else None)
        if message:
            errors[name] = message
    if text["address"] or text["postal_code"]:
        message = check_field("postal_code", text["postal_code"], today=today)
        if message:
            errors["postal_code"] = message
    if not rows:
        errors["members"] = "異動者を追加してください"
    if errors:
        return None, errors
    members = []
    for row in rows:
        r = row.resident
        birth = None
        if r is not None and r.birth_date:
            try:
                birth = dt.date.fromisoformat(r.birth_date)
            except ValueError:
                birth = None
        members.append(Idousha(
            row.event, row.to, row.relationship_to_head or None,
            resident_id=r.id if r is not None else None,
            expected_version=r.version if r is not None else None, birth_date=birth,
            sex=r.sex if r is not None and r.sex in ("male", "female") else None,
            address=(r.address, r.katagaki or None) if r is not None else None))
    address = None
    if text["address"]:
        address = NewAddress(normalise_postal(text["postal_code"]), text["address"],
                             text["katagaki"] or None)
    draft = SetaiTodoke(parse_date(text["todoke_date"]), parse_date(text["idou_date"]), members,
                        household_no=text["household_no"] or None, address=address,
                        moved_out_to=text["moved_out_to"] or None,
                        identity_check_seq=identity_check_seq)
    return draft, {}
