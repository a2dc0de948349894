"""庁内連携 (the divisions' feed, #23 point 5, K-WF-4.5): what an approved case sends to the
divisions whose forms the resident signed at the counter.

When a case is approved (routes/cases.py), each latest-version stored form of that case whose
division is not 市民課 becomes one ``RenkeiEvent`` for that division, carrying exactly that form's
items and nothing else of the case (data minimisation: 国保年金課 gets the 国保 form, 子育て支援課 the
児童手当 form). A division's system reads its events with a bearer token of its own
(``DivisionClient``: only the token's SHA-256 is kept), from a cursor (the event id), and
acknowledges how far it has read; events after the acknowledgement stay deliverable (at least
once). Owns no routes (routes/renkei.py); may touch the models, signed_forms (the items' cipher)
and problems.
"""
from __future__ import annotations

import hashlib
import json
import re
import secrets
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import Case, DivisionClient, RenkeiEvent, utcnow
from .problems import problem
from .signed_forms import SHIMIN, FormCipher, items_of, latest_forms

DIVISION_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,39}$")
TOKEN_PREFIX = "mdr_"  # a division token is told apart from an operator's session token at sight


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    """32 random bytes, URL-safe base64, with the division prefix."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def add_division(db: Session, division_id: str, created_by: str) -> str:
    """Register a division's system (or give it a new token, active again); the token, once."""
    if not DIVISION_ID.fullmatch(division_id) or division_id == SHIMIN:
        raise ValueError("a division id is 1-40 of a-z 0-9 _ . - (and not shimin)")
    token = new_token()
    row = db.scalar(select(DivisionClient).where(DivisionClient.division_id == division_id))
    if row is None:
        db.add(DivisionClient(division_id=division_id, token_hash=token_hash(token), active=True,
                              acked=0, created_by=created_by, created_at=utcnow()))
    else:
        row.token_hash, row.active, row.created_by = token_hash(token), True, created_by
    db.flush()
    return token


def disable_division(db: Session, division_id: str) -> None:
    row = db.scalar(select(DivisionClient).where(DivisionClient.division_id == division_id))
    if row is None:
        raise ValueError(f"no division {division_id}")
    row.active = False


def division_by_token(db: Session, token: str) -> DivisionClient | None:
    """The active division whose token this is."""
    return db.scalar(select(DivisionClient).where(DivisionClient.token_hash == token_hash(token),
                                                  DivisionClient.active.is_(True)))


def _aad_extra(division_id: str) -> str:
    return "renkei:" + division_id


def events_for_approved(db: Session, cipher: FormCipher, case: Case) -> list[RenkeiEvent]:
    """One event per latest-version form of another division than 市民課, its items only."""
    made = []
    for form in latest_forms(db, case.id):
        if form.division_id == SHIMIN:
            continue
        items = json.dumps(items_of(cipher, form), ensure_ascii=False).encode("utf-8")
        ev = RenkeiEvent(division_id=form.division_id, case_id=case.id, form_id=form.form_id,
                         version=form.version, created_at=utcnow(),
                         items_enc=cipher.encrypt(items, "renkei", case.id, form.form_id,
                                                  form.version, _aad_extra(form.division_id)))
        db.add(ev)
        made.append(ev)
    db.flush()
    return made


def event_view(cipher: FormCipher, ev: RenkeiEvent) -> dict[str, Any]:
    """One event as its division receives it: the case's number for reference, the form and its
    items; nothing else of the case."""
    items = json.loads(cipher.decrypt(ev.items_enc, "renkei", ev.case_id, ev.form_id,
                                      ev.version, _aad_extra(ev.division_id)))
    return {"id": ev.id, "case_id": ev.case_id, "form_id": ev.form_id, "version": ev.version,
            "title": items.get("title"), "created_at": ev.created_at.isoformat() + "Z",
            "items": items}


def events_after(db: Session, division_id: str, after: int, limit: int) -> list[RenkeiEvent]:
    return list(db.scalars(select(RenkeiEvent).where(RenkeiEvent.division_id == division_id,
                                                     RenkeiEvent.id > after)
                           .order_by(RenkeiEvent.id).limit(limit)))


def acknowledge(db: Session, client: DivisionClient, cursor: int) -> int:
    """Record that the division has read up to ``cursor`` (never backwards); refused past its
    last event. Returns the acknowledged cursor."""
    last = db.scalar(select(func.max(RenkeiEvent.id)).where(
        RenkeiEvent.division_id == client.division_id)) or 0
    if cursor > last:
        raise problem("renkei_cursor_ahead", f"cursor {cursor} is past the last event ({last})",
                      "まだ配信されていない位置までの受領は記録できません", last_event=last)
    if cursor > client.acked:
        client.acked = cursor
    return client.acked
