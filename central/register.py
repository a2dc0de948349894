"""Reads of the reference register (住民基本台帳): search, detail, masking, purposes.

Every read states a purpose (LOG-1) and is audited by the route. A search needs two keys besides sex
(DQ-7: 氏名+住所 or 氏名+生年月日; an address counts only when it reaches the 町字, japan/address.py),
or the 住民票コード, or — for holders of 特定個人情報アクセス権限 —
the 個人番号. The My Number is decrypted only for holders of that right (AUTHZ-2); everyone else gets a
mask.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, and_, bindparam, exists, or_, select
from sqlalchemy.orm import Session

from japan import mynumber
from japan.address import (ADDRESS_TOO_BROAD_EN, ADDRESS_TOO_BROAD_JA, narrows_search,
                           normalise_address)
from japan.kana import normalise_name, search_kana

from .crypto import MyNumberCipher
from .db import rows
from .models import Household, Resident, SupportMeasure, SupportMeasureRelated
from .problems import problem
from .rights import MY_NUMBER_ACCESS

MASK = "************"
MAX_RESULTS = 50

PURPOSES: dict[str, str] = {
    "idou": "異動届の受付",
    "certificate": "証明書の交付",
    "identity": "本人確認",
    "tax": "税務",
    "inquiry": "照会への回答",
    "review": "審査",
    "other": "その他",
}


def check_purpose(purpose: str | None, note: str | None) -> tuple[str, str | None]:
    if not purpose:
        raise problem("purpose_required", "Every register read needs a purpose (LOG-1)",
                      "住民情報の参照には利用目的の選択が必要です", field="purpose")
    if purpose not in PURPOSES:
        raise problem("purpose_invalid", f"Unknown purpose {purpose!r}; one of "
                      + ", ".join(PURPOSES), "利用目的を一覧から選んでください", field="purpose")
    note = (note or "").strip() or None
    if purpose == "other" and not note:
        raise problem("purpose_required", "Purpose 'other' needs a note",
                      "「その他」を選んだときは利用目的を具体的に入力してください",
                      field="purpose_note")
    return purpose, note


def check_request_purpose(purpose: str, note: str | None) -> None:
    """The purpose of a request taken at the counter (交付, 課税証明書, 判断依頼): one of PURPOSES,
    and a note when it is 「その他」. Unlike ``check_purpose`` (register reads), the purpose is
    already required by the request's schema."""
    if purpose not in PURPOSES:
        raise problem("purpose_invalid", "Unknown purpose", "利用目的を一覧から選んでください",
                      field="purpose")
    if purpose == "other" and not (note or "").strip():
        raise problem("purpose_note_required", "Purpose 'other' needs a note",
                      "「その他」の場合は目的を具体的に入力してください", field="purpose_note")


def active_support_ids(db: Session, resident_ids: list[int], today: dt.date) -> set[int]:
    """Which of these residents are a 支援措置 target or co-protected person today (one query)."""
    if not resident_ids:
        return set()
    current = (SupportMeasure.start_date <= today) & (SupportMeasure.end_date >= today)
    targets = select(SupportMeasure.target_resident_id).where(
        current, SupportMeasure.target_resident_id.in_(resident_ids))
    related = select(SupportMeasureRelated.resident_id).join(SupportMeasure).where(
        current, SupportMeasureRelated.role == "co_protected",
        SupportMeasureRelated.resident_id.in_(resident_ids))
    return set(db.scalars(targets.union_all(related)))


def support_flag(today):
    """A column: is this row's resident a 支援措置 target or co-protected person today (the same
    rule as ``active_support_ids``), so that a read needs no separate query for it. ``today`` is
    a date or a bind parameter."""
    current = and_(SupportMeasure.start_date <= today, SupportMeasure.end_date >= today)
    return or_(
        exists().where(SupportMeasure.target_resident_id == Resident.id, current),
        exists().where(SupportMeasureRelated.resident_id == Resident.id,
                       SupportMeasureRelated.role == "co_protected",
                       SupportMeasure.id == SupportMeasureRelated.measure_id, current),
    ).label("support_measure")


# What a search answer shows (summary), read as plain rows rather than ORM objects.
_SUMMARY_COLUMNS = (Resident.id, Resident.juminhyo_code, Resident.name_kanji, Resident.name_kana,
                    Resident.tsusho, Resident.birth_date, Resident.sex, Resident.address,
                    Resident.katagaki, Resident.status, Resident.my_number_enc, Resident.version)
_SEARCH = select(*_SUMMARY_COLUMNS, support_flag(bindparam("today")))


@lru_cache(maxsize=8)
def _exact(column: str, include_removed: bool):
    """The statement of an exact-key search (住民票コード or the My Number's blind index), built
    once: these are the counter's everyday look-ups."""
    q = _SEARCH.where(getattr(Resident, column) == bindparam("key"))
    if not include_removed:
        q = q.where(Resident.status == "current")
    return q.order_by(Resident.id).limit(MAX_RESULTS)


def exact_search(cipher: MyNumberCipher, rights: dict, *, juminhyo_code: str | None,
                 my_number: str | None, include_removed: bool,
                 today: dt.date) -> tuple[Any, dict[str, Any]] | None:
    """The statement and parameters of a search by one exact key (住民票コード, or the My Number
    for holders of the right), or None when the search is by 氏名 (``search``)."""
    if juminhyo_code:
        return (_exact("juminhyo_code", include_removed),
                {"today": today, "key": juminhyo_code.strip()})
    if my_number:
        if MY_NUMBER_ACCESS not in rights:
            refused = problem("forbidden", "Searching by My Number needs the My Number access "
                              "right", "個人番号での検索には特定個人情報アクセス権限が必要です",
                              field="my_number")
            # the audit row names whose number it was, if anyone's (#21 class 2; never the body)
            refused.audit_my_number = my_number.strip()  # type: ignore[attr-defined]
            raise refused
        if not mynumber.is_valid(my_number):
            raise problem("my_number_check_digit", "The My Number is not valid",
                          "個人番号が正しくありません（検査用数字が一致しません）", field="my_number")
        return (_exact("my_number_index", include_removed),
                {"today": today, "key": cipher.index(my_number)})
    return None


def search(conn: Connection, cipher: MyNumberCipher, rights: dict, *, juminhyo_code: str | None,
           my_number: str | None, name: str | None, address: str | None,
           birth_date: dt.date | None, include_removed: bool, today: dt.date) -> list[Any]:
    """Matching records as rows with the summary's columns and ``support_measure`` (today)."""
    exact = exact_search(cipher, rights, juminhyo_code=juminhyo_code, my_number=my_number,
                         include_removed=include_removed, today=today)
    if exact is not None:
        return rows(conn, *exact)
    params: dict[str, Any] = {"today": today}
    q = _SEARCH
    name_n = normalise_name(name or "")
    address_n = normalise_name(address or "")
    keys = [k for k in (address_n, birth_date) if k]
    if not name_n or not keys:
        raise problem("search_needs_two_keys",
                      "Search needs 氏名 plus 住所 or 生年月日 (sex does not count), "
                      "or a 住民票コード (DQ-7)",
                      "氏名と住所、または氏名と生年月日で検索してください（性別は条件になりません）",
                      field="name" if not name_n else "address")
    if address_n and not birth_date and not narrows_search(address_n):
        # The address is the second key: only one that reaches the 町字 counts (#21 class 7).
        raise problem("search_needs_two_keys", ADDRESS_TOO_BROAD_EN, ADDRESS_TOO_BROAD_JA,
                      field="address")
    kana = search_kana(name_n)
    q = q.where(or_(Resident.name_search == name_n, Resident.name_search_kana == kana))
    if address_n:
        # As typed (widths and spaces folded), or with the register's 丁目 form (3丁目 → 三丁目).
        forms = {address_n, normalise_address(address_n)}
        q = q.where(or_(*(Resident.address.startswith(f, autoescape=True)
                          for f in sorted(forms))))
    if birth_date:
        q = q.where(Resident.birth_date == birth_date)
    if not include_removed:
        q = q.where(Resident.status == "current")
    return list(conn.execute(q.order_by(Resident.id).limit(MAX_RESULTS), params))


def read(db: Session, resident_id: int, today: dt.date) -> tuple[Resident | None, bool]:
    """One record with its history and household loaded, and whether 支援措置 covers it today."""
    from sqlalchemy.orm import selectinload

    row = db.execute(select(Resident, support_flag(today)).where(Resident.id == resident_id)
                     .options(selectinload(Resident.history),
                              selectinload(Resident.household)
                              .selectinload(Household.members))).first()
    return (row[0], bool(row[1])) if row else (None, False)


def summary(r: Resident, cipher: MyNumberCipher, rights: dict, supported: set[int]) -> dict[str, Any]:
    disclosed = MY_NUMBER_ACCESS in rights and r.my_number_enc is not None
    return {
        "id": r.id,
        "juminhyo_code": r.juminhyo_code,
        "name_kanji": r.name_kanji,
        "name_kana": r.name_kana,
        "tsusho": r.tsusho,
        "birth_date": r.birth_date.isoformat(),
        "sex": r.sex,
        "address": r.address,
        "katagaki": r.katagaki,
        "status": r.status,
        "my_number": cipher.decrypt(r.my_number_enc) if disclosed else
        (MASK if r.my_number_enc is not None else None),
        "my_number_disclosed": disclosed,
        "support_measure": r.id in supported,
        "version": r.version,
    }


_DETAIL_FIELDS = (
    "name_kana_certified", "name_roman", "gaiji", "substitute_chars", "tsusho_kana",
    "former_surname", "former_surname_kana", "relationship_to_head", "postal_code",
    "became_resident_on", "address_set_on", "previous_address", "moved_in_from", "honseki",
    "hittousha", "is_foreign", "nationality", "residence_status", "residence_expiry",
    "residence_card_no", "art30_45_category", "removed_on", "removal_reason", "moved_out_to",
)


def detail(r: Resident, cipher: MyNumberCipher, rights: dict, supported: set[int]) -> dict[str, Any]:
    out = summary(r, cipher, rights, supported)
    for f in _DETAIL_FIELDS:
        v = getattr(r, f)
        out[f] = v.isoformat() if isinstance(v, dt.date) else v
    out["household"] = {"household_no": r.household.household_no,
                        "members": [{"id": m.id, "name_kanji": m.name_kanji,
                                     "relationship_to_head": m.relationship_to_head,
                                     "status": m.status}
                                    for m in sorted(r.household.members, key=lambda m: m.id)]}
    out["removed_on_unknown"] = bool(r.removed_on_unknown)  # 消除日 不詳 (K-DQ-17)
    out["history"] = [{"kind": h.kind, "reason": h.reason,
                       "idou_date": h.idou_date.isoformat() if h.idou_date else None,
                       "idou_date_unknown": bool(h.idou_date_unknown),
                       "todoke_date": h.todoke_date.isoformat() if h.todoke_date else None,
                       # 記載等の種別: 届出 or 職権 (K-DQ-16), and who approved it (K-DQ-6)
                       "entry_kind": h.entry_kind or "todoke",
                       "shokken": h.entry_kind == "shokken", "approved_by": h.approved_by}
                      for h in r.history]
    return out
