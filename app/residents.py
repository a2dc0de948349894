"""Resident search (住民検索): purposes, search keys and result records.

The central API enforces the search rules (a purpose is required, at least
two keys, a note for "other"); the client tidies what was typed and leaves
the decision to the server, whose Japanese message is shown. One rule is
also applied here, before sending, with the server's words: an address
that does not reach the 町字 is no second key (DQ-7, japan/address.py),
so that the clerk is told at once which field to complete
(``address_key_refusal``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from japan.address import ADDRESS_TOO_BROAD_EN, ADDRESS_TOO_BROAD_JA, narrows_search
from japan.kana import fold_width

#: Purpose codes (利用目的), in the order they are offered at the counter.
#: idou 異動届の受付, certificate 証明書の交付, identity 本人確認, tax 税務,
#: inquiry 照会への回答, review 審査, other その他 (needs a purpose note).
PURPOSE_CODES: tuple[str, ...] = (
    "idou",
    "certificate",
    "identity",
    "tax",
    "inquiry",
    "review",
    "other",
)

#: Search keys the central API understands (検索キー).
SEARCH_KEYS: tuple[str, ...] = ("juminhyo_code", "name", "address", "birth_date")

MASKED_MY_NUMBER = "************"

_DATE_SEPARATORS = re.compile(r"[./年月]")


def normalize_birth_date(value: str | dt.date) -> str:
    """Return ``YYYY-MM-DD`` for a typed birth date (生年月日).

    Accepts full-width digits and ``/``, ``.`` or ``年月日`` separators, and
    ``YYYYMMDD``. Anything else is returned unchanged (stripped) so that the
    server's validation message is what the operator sees.
    """
    if isinstance(value, dt.date):
        return value.isoformat()
    text = fold_width(value).strip()
    candidate = _DATE_SEPARATORS.sub("-", text).rstrip("日").strip("-")
    if re.fullmatch(r"\d{8}", candidate):
        candidate = f"{candidate[:4]}-{candidate[4:6]}-{candidate[6:]}"
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", candidate)
    if not match:
        return text
    try:
        return dt.date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        return text


def search_params(
    purpose: str | None,
    purpose_note: str | None = None,
    **keys: str | dt.date | None,
) -> dict[str, str]:
    """Query parameters for ``GET /v1/residents`` (住民検索の条件).

    Empty values are left out; digits typed full-width (全角) in the
    住民票コード and 生年月日 are converted to ASCII. Unknown key names are a
    programming error (``TypeError``).
    """
    unknown = set(keys) - set(SEARCH_KEYS)
    if unknown:
        raise TypeError(f"unknown search keys: {sorted(unknown)}")
    params: dict[str, str] = {}
    if purpose:
        params["purpose"] = purpose
    if purpose_note and purpose_note.strip():
        params["purpose_note"] = purpose_note.strip()
    for name in SEARCH_KEYS:
        value = keys.get(name)
        if value is None:
            continue
        if name == "birth_date":
            text = normalize_birth_date(value)
        elif name == "juminhyo_code":
            text = re.sub(r"[\s-]", "", fold_width(str(value)))
        else:
            text = str(value).strip()
        if text:
            params[name] = text
    return params


def address_key_refusal(params: Mapping[str, str]) -> tuple[str, str] | None:
    """(English, Japanese) of the server's refusal when the query ``params`` (from
    ``search_params``) search by 氏名 and an address that does not narrow the search (no
    生年月日, no 住民票コード); None when the server decides. The server checks the purpose
    first: without one, it is left to the server too."""
    if not params.get("purpose") or "juminhyo_code" in params or "birth_date" in params:
        return None
    if "name" in params and "address" in params and not narrows_search(params["address"]):
        return ADDRESS_TOO_BROAD_EN, ADDRESS_TOO_BROAD_JA
    return None


@dataclass(frozen=True)
class ResidentSummary:
    """One row of a resident search result (住民の概要).

    ``my_number`` (個人番号) is exactly as the server returned it: masked
    unless the operator holds the right to see it. It is kept out of
    ``repr`` so that it can never end up in a log line.
    """

    id: int
    juminhyo_code: str
    name_kanji: str
    name_kana: str
    birth_date: str
    sex: str
    address: str
    katagaki: str | None
    status: str
    my_number: str = field(repr=False)
    my_number_disclosed: bool
    support_measure: bool
    version: int

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ResidentSummary:
        return cls(
            id=int(data["id"]),
            juminhyo_code=str(data.get("juminhyo_code") or ""),
            name_kanji=str(data.get("name_kanji") or ""),
            name_kana=str(data.get("name_kana") or ""),
            birth_date=str(data.get("birth_date") or ""),
            sex=str(data.get("sex") or ""),
            address=str(data.get("address") or ""),
            katagaki=data.get("katagaki"),
            status=str(data.get("status") or ""),
            my_number=str(data.get("my_number") or MASKED_MY_NUMBER),
            my_number_disclosed=bool(data.get("my_number_disclosed", False)),
            support_measure=bool(data.get("support_measure", False)),
            version=int(data.get("version") or 0),
        )

    @property
    def is_removed(self) -> bool:
        """True for a removed record (除票)."""
        return self.status == "removed"


@dataclass(frozen=True)
class ResidentSearchResult:
    """The answer to one search: the rows and the server's count (該当件数)."""

    items: tuple[ResidentSummary, ...]
    count: int

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ResidentSearchResult:
        items = tuple(ResidentSummary.from_json(item) for item in data.get("items") or ())
        return cls(items=items, count=int(data.get("count", len(items))))
