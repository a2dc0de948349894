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
from dataclasses import dataclass
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
