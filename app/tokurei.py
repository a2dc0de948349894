"""特例転入 at the counter (#22 point 2, K-WF-4.6): the 転入予定 household found by one member's card,
each member's card matched to them, and the 転入 commands pre-filled from the 転出証明書情報.

The clerk reads one card; ``TennyuYoteiHousehold`` is the centre's answer (``POST
/v1/tennyu-yotei/lookup``, for holders of 特定個人情報アクセス権限 only). Every member's identity
data comes from it; the clerk confirms the new address, the 異動日 (住み始めた日) and the 続柄.
Each further card read in the same visit is matched to its member by the 個人番号 (``member_for``);
a card that belongs to nobody of the household is said so, without showing whose it is.
``tennyu_command`` builds the 転入 of one member as the centre checks it (central/tennyu_yotei.py
``check_tokurei``): the 住民票コード and 個人番号 carried over, the card as read (its 4-digit PIN was
verified by the card itself before the 券面事項入力補助AP answered). Plain functions and
dataclasses; no Qt, no driver. The reprs never show personal data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.identity import CardIdentity


class CardNotInHousehold(Exception):
    """The card read is not one of the 転入予定 household's members (shown, never whose it is)."""

    message_ja = "このカードは転入予定の世帯の方のものではありません。カードを確認してください"


@dataclass(frozen=True, repr=False)
class TennyuYoteiMember:
    """One person of the 転出証明書情報, as the lookup answered."""

    tennyu_yotei_id: int
    member_no: int
    juminhyo_code: str
    my_number: str | None
    name_kanji: str
    name_kana: str
    former_surname: str | None
    birth_date: dt.date
    sex: str
    relationship_to_head: str
    honseki: str | None
    hittousha: str | None
    card_held: bool

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TennyuYoteiMember:
        return cls(tennyu_yotei_id=int(data["tennyu_yotei_id"]),
                   member_no=int(data["member_no"]),
                   juminhyo_code=str(data["juminhyo_code"]),
                   my_number=data.get("my_number"), name_kanji=str(data["name_kanji"]),
                   name_kana=str(data["name_kana"]), former_surname=data.get("former_surname"),
                   birth_date=dt.date.fromisoformat(str(data["birth_date"])),
                   sex=str(data["sex"]), relationship_to_head=str(data["relationship_to_head"]),
                   honseki=data.get("honseki"), hittousha=data.get("hittousha"),
                   card_held=bool(data.get("card_held")))

    def __repr__(self) -> str:
        return f"TennyuYoteiMember(id={self.tennyu_yotei_id}, no={self.member_no})"

    __str__ = __repr__


@dataclass(frozen=True, repr=False)
class TennyuYoteiHousehold:
    """The 転入予定 household: the former address, the planned move, and its members."""

    certificate_id: str
    from_municipality: str
    address: str  # 住所 in the former municipality (the cards still show it)
    householder_name: str
    moved_out_to: str  # 転出先 as planned: the new address the clerk confirms
    planned_date: dt.date
    tokurei_until: dt.date  # the last day of the 30 days from the 転出予定日
    members: tuple[TennyuYoteiMember, ...]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TennyuYoteiHousehold:
        return cls(certificate_id=str(data["certificate_id"]),
                   from_municipality=str(data["from_municipality"]),
                   address=str(data["address"]), householder_name=str(data["householder_name"]),
                   moved_out_to=str(data["moved_out_to"]),
                   planned_date=dt.date.fromisoformat(str(data["planned_date"])),
                   tokurei_until=dt.date.fromisoformat(str(data["tokurei_until"])),
                   members=tuple(TennyuYoteiMember.from_json(m) for m in data["members"]))

    def member_for(self, card: CardIdentity) -> TennyuYoteiMember:
        """The member whose card this is (by its 個人番号), or ``CardNotInHousehold``."""
        for m in self.members:
            if card.my_number is not None and m.my_number == card.my_number:
                return m
        raise CardNotInHousehold(CardNotInHousehold.message_ja)

    def cards_missing(self, cards: Mapping[int, CardIdentity]) -> tuple[TennyuYoteiMember, ...]:
        """Card holders whose card (``cards`` by member_no) has not been read yet."""
        return tuple(m for m in self.members if m.card_held and m.member_no not in cards)

    def __repr__(self) -> str:
        return (f"TennyuYoteiHousehold(certificate_id={self.certificate_id}, "
                f"members={len(self.members)})")

    __str__ = __repr__


def card_read(card: CardIdentity) -> dict[str, Any]:
    """The card as the 特例転入 sends it. The 券面事項入力補助AP answers only after its 4-digit PIN
    was verified, so a card read with its 個人番号 is a card whose PIN was entered."""
    if card.my_number is None or card.my_number_check_digit_ok is False:
        raise ValueError("the card's 個人番号 was not read")
    return {"my_number": card.my_number, "name_kanji": card.name,
            "birth_date": card.birth_date.isoformat(), "sex": card.sex,
            "address": card.address, "pin_verified": True}


def tennyu_command(household: TennyuYoteiHousehold, member: TennyuYoteiMember,
                   card: CardIdentity | None, *, postal_code: str, moved_in: dt.date,
                   todoke: dt.date, address: str | None = None, katagaki: str | None = None,
                   household_no: str | None = None,
                   relationship_to_head: str | None = None) -> dict[str, Any]:
    """The 転入 of one member from the 転出証明書情報 (kind ``tennyu`` with ``tokurei``): identity
    data and numbers from the information, the new address (default: the planned 転出先), the 異動日
    and the 続柄 as the clerk confirmed them; ``household_no`` null founds the household (世帯主)."""
    rel = relationship_to_head or member.relationship_to_head
    if household_no is None:
        rel = "世帯主"
    return {
        "kind": "tennyu", "idou_date": moved_in.isoformat(), "todoke_date": todoke.isoformat(),
        "person": {"name_kanji": member.name_kanji, "name_kana": member.name_kana,
                   "birth_date": member.birth_date.isoformat(), "sex": member.sex,
                   "my_number": member.my_number, "juminhyo_code": member.juminhyo_code,
                   "postal_code": postal_code, "address": address or household.moved_out_to,
                   "katagaki": katagaki, "honseki": member.honseki,
                   "hittousha": member.hittousha},
        "moved_in_from": household.address,
        "household": {"household_no": household_no, "relationship_to_head": rel},
        "tokurei": {"tennyu_yotei_id": member.tennyu_yotei_id,
                    "card": card_read(card) if card is not None else None},
    }


#: The fields of the 特例転入 the clerk confirms, as the page names them (and the centre's refusals
#: are placed: ``person.postal_code`` → ``postal_code``, ``household.relationship_to_head`` → the
#: member's row).
CONFIRMED_FIELDS = ("postal_code", "address", "katagaki", "idou_date")


@dataclass(repr=False)
class TokureiEntry:
    """The 特例転入 of one household at the counter, as it stands: the household the first card
    found, the cards read so far (by ``member_no``; kept in memory until that member's 転入 is
    sent, because the 届出 carries the card read), and the cases sent (``member_no`` → case id).

    The 世帯主's 転入 founds the 世帯; the others join it (``household_no``) once the 世帯主's 転入
    is on the register, so the entry is sent in two steps (``pending``)."""

    household: TennyuYoteiHousehold
    cards: dict[int, CardIdentity] = field(default_factory=dict)
    sent: dict[int, int] = field(default_factory=dict)

    def add_card(self, card: CardIdentity) -> TennyuYoteiMember:
        """A further card read in the visit: its member, or ``CardNotInHousehold`` (refused)."""
        member = self.household.member_for(card)
        self.cards[member.member_no] = card
        return member

    @property
    def head(self) -> TennyuYoteiMember:
        return next((m for m in self.household.members if m.relationship_to_head == "世帯主"),
                    self.household.members[0])

    def pending(self) -> tuple[TennyuYoteiMember, ...]:
        """Who is sent next: the 世帯主 alone first, then everyone not yet sent."""
        if self.head.member_no not in self.sent:
            return (self.head,)
        return tuple(m for m in self.household.members if m.member_no not in self.sent)

    def problems(self, values: Mapping[str, str], relationships: Mapping[int, str], *,
                 today: dt.date) -> dict[str, str]:
        """Field → Japanese message for what the clerk confirms (``postal_code``, ``address``,
        ``idou_date``, ``members[i].relationship_to_head``, ``members[i].card``); empty when the
        pending 転入 may be sent."""
        from app.idou_entry import check_field

        out: dict[str, str] = {}
        for name in ("postal_code", "address", "idou_date"):
            message = check_field(name, values.get(name, ""), today=today, kind="tennyu")
            if message:
                out[name] = message
        pending = {m.member_no for m in self.pending()}
        for i, m in enumerate(self.household.members):
            rel = relationships.get(m.member_no) or ""
            if m.member_no == self.head.member_no:
                if rel and rel != "世帯主":
                    out[f"members[{i}].relationship_to_head"] = "世帯主の続柄は「世帯主」です"
            elif not rel:
                out[f"members[{i}].relationship_to_head"] = "続柄を選んでください"
            elif rel == "世帯主":
                out[f"members[{i}].relationship_to_head"] = "世帯主は一人です"
            if m.member_no in pending and m.card_held and m.member_no not in self.cards:
                out[f"members[{i}].card"] = "この方のマイナンバーカードを読み取ってください（暗証番号の入力が必要です）"
        return out

    def commands(self, values: Mapping[str, str], relationships: Mapping[int, str], *,
                 today: dt.date, household_no: str | None) -> list[tuple[int, dict[str, Any]]]:
        """The pending 転入 (``member_no``, command); ValueError when ``problems`` is not empty.
        ``household_no``: the 世帯 the 世帯主's 転入 founded (None while the 世帯主 is pending)."""
        from app.idou_entry import normalise_postal
        from japan.era import parse_date

        if self.problems(values, relationships, today=today):
            raise ValueError("the 特例転入 has problems")
        moved_in = parse_date(values["idou_date"].strip())
        out = []
        for m in self.pending():
            head = m.member_no == self.head.member_no
            out.append((m.member_no, tennyu_command(
                self.household, m, self.cards.get(m.member_no),
                postal_code=normalise_postal(values["postal_code"]), moved_in=moved_in,
                todoke=today, address=values["address"].strip(),
                katagaki=(values.get("katagaki") or "").strip() or None,
                household_no=None if head else household_no,
                relationship_to_head=relationships.get(m.member_no))))
        return out

    def sent_case(self, member_no: int, case_id: int) -> None:
        """That member's 転入 is with 審査: their card reading is no longer needed."""
        self.sent[member_no] = case_id
        self.cards.pop(member_no, None)

    def __repr__(self) -> str:
        return (f"TokureiEntry({self.household!r}, cards={sorted(self.cards)}, "
                f"sent={sorted(self.sent)})")

    __str__ = __repr__


def household_no_of(record: Mapping[str, Any]) -> str | None:
    """The 世帯番号 of a register record (``GET /v1/residents/{id}``)."""
    household = record.get("household") or {}
    return household.get("household_no") if isinstance(household, Mapping) else None


def refusal_field(name: str | None, index: int) -> str:
    """Where the centre's refusal of member ``index``'s 特例転入 is shown: a confirmed field
    (``person.postal_code`` → ``postal_code``, ``idou_date``) or that member's row
    (``members[i].relationship_to_head``, ``members[i].card`` for the card and the information)."""
    name = name or ""
    sub = name[len("person."):] if name.startswith("person.") else name
    if sub in CONFIRMED_FIELDS:
        return sub
    if name.startswith("household."):
        return f"members[{index}].relationship_to_head"
    return f"members[{index}].card"
