"""異動リスト (DQ-2, K-DQ-6, K-WF-6.5): the day's applied 異動, for the after-the-fact check against
the 届出 (000 L3354-3357, L4497-4498).

A day is a day in Japan (clock.py): the 異動 whose 異動履歴 row was recorded between 00:00 and 24:00
JST, of one counter (the terminal it was entered at) or of the whole office, every kind (転入, 転居,
転出, 世帯変更, 出生, 死亡 and the 職権 ones, each with its 記載等の種別 届出/職権), with who entered and
who approved it. A reviewer ticks each row as checked (``IdouCheck``), never the person who
entered it; a row not yet ticked stays on the list of every later day until it is (``carried_over``).

What a row shows is what checking against the 届出 needs (氏名, フリガナ, 住所 as they were right
after that 異動, the dates, the fields that changed — names, not values) and never a 個人番号: the list is built from named columns
only, and the changed fields of a row are filtered by name.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from . import register
from .clock import JST
from .idou import KIND_LABELS as IDOU_LABELS
from .models import IdouCheck, Resident, ResidentHistory
from .shokken import ENTRY_KIND_LABELS, KIND_LABELS as SHOKKEN_LABELS

KIND_LABELS = {**IDOU_LABELS, **SHOKKEN_LABELS}
NOT_LISTED = ("initial",)  # the register's initial load is not a 異動
_NEVER_SHOWN = ("my_number", "juminhyo_code")  # a changed field named so is left out
SHOWN_AS_OF = ("name_kanji", "name_kana", "address", "katagaki")


def window(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The JST day as naive UTC bounds [start, end) (recorded_at is naive UTC)."""
    start = dt.datetime.combine(day, dt.time(0), JST).astimezone(dt.timezone.utc)
    start = start.replace(tzinfo=None)
    return start, start + dt.timedelta(days=1)


def _jst_day(at: dt.datetime) -> dt.date:
    return at.replace(tzinfo=dt.timezone.utc).astimezone(JST).date()


def _z(at: dt.datetime | None) -> str | None:
    return at.isoformat() + "Z" if at else None


def listing(db: Session, day: dt.date, device: str | None = None) -> dict[str, Any]:
    """The 異動リスト of ``day`` (JST), of one terminal (``device``) or the whole office: that
    day's applied 異動 and, before them, the earlier days' rows nobody has ticked yet."""
    start, end = window(day)
    q = (select(ResidentHistory, Resident, IdouCheck)
         .join(Resident, ResidentHistory.resident_id == Resident.id)
         .outerjoin(IdouCheck, IdouCheck.history_id == ResidentHistory.id)
         .where(ResidentHistory.kind.not_in(NOT_LISTED), ResidentHistory.recorded_at < end,
                or_(ResidentHistory.recorded_at >= start, IdouCheck.id.is_(None)))
         .order_by(ResidentHistory.recorded_at, ResidentHistory.id))
    if device is not None:
        q = q.where(ResidentHistory.device_id == device)
    found = db.execute(q).all()
    ids = list({r.id for _, r, _ in found})
    supported = register.active_support_ids(db, ids, day)
    later = _changes_by_resident(db, ids)
    rows = [_row(h, r, c, start, r.id in supported, _as_of(h, r, later.get(r.id, [])))
            for h, r, c in found]
    return {"date": day.isoformat(), "device": device, "scope": "device" if device else "office",
            "rows": rows, "count": len(rows),
            "today_count": sum(1 for x in rows if not x["carried_over"]),
            "carried_over_count": sum(1 for x in rows if x["carried_over"]),
            "unchecked_count": sum(1 for x in rows if not x["checked"])}


def _changes_by_resident(db: Session, ids: list[int]) -> dict[int, list[ResidentHistory]]:
    """Every history row of these residents, oldest first (one query)."""
    out: dict[int, list[ResidentHistory]] = {}
    if ids:
        for h in db.scalars(select(ResidentHistory).where(ResidentHistory.resident_id.in_(ids))
                            .order_by(ResidentHistory.id)):
            out.setdefault(h.resident_id, []).append(h)
    return out


def _as_of(h: ResidentHistory, r: Resident, history: list[ResidentHistory]) -> dict[str, Any]:
    """氏名・フリガナ・住所・方書 as they were right after ``h``: what its 届出 says, even when a later
    転居 or 職権修正 changed them since (the old value of the first later change of each)."""
    out = {f: getattr(r, f) for f in SHOWN_AS_OF}
    for f in SHOWN_AS_OF:
        nxt = next((x for x in history if x.id > h.id and f in (x.changes or {})), None)
        if nxt is not None:
            out[f] = nxt.changes[f][0]
    return out


def _row(h: ResidentHistory, r: Resident, c: IdouCheck | None, start: dt.datetime,
         supported: bool, then: dict[str, Any]) -> dict[str, Any]:
    entry_kind = h.entry_kind or "todoke"
    return {
        "history_id": h.id, "resident_id": r.id, "kind": h.kind,
        "kind_ja": KIND_LABELS.get(h.kind, h.reason), "reason": h.reason,
        "entry_kind": entry_kind, "entry_kind_ja": ENTRY_KIND_LABELS.get(entry_kind, entry_kind),
        "name_kanji": then["name_kanji"], "name_kana": then["name_kana"],
        "address": then["address"], "katagaki": then["katagaki"],
        "moved_out_to": r.moved_out_to if h.kind == "tenshutsu" else None,
        "status": r.status, "support_measure": supported,
        "idou_date": h.idou_date.isoformat() if h.idou_date else None,
        "idou_date_unknown": bool(h.idou_date_unknown),
        "todoke_date": h.todoke_date.isoformat() if h.todoke_date else None,
        "recorded_at": _z(h.recorded_at), "recorded_day": _jst_day(h.recorded_at).isoformat(),
        "carried_over": h.recorded_at < start,
        "operator": h.operator_login, "device": h.device_id, "approved_by": h.approved_by,
        "case_id": h.case_id,
        "changed_fields": sorted(f for f in (h.changes or {})
                                 if not any(n in f for n in _NEVER_SHOWN)),
        "checked": c is not None, "checked_by": c.checked_by if c else None,
        "checked_at": _z(c.checked_at) if c else None,
    }
