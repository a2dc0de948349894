"""変更フィード (sync): ``GET /v1/changes``, the entity versions terminals sync their caches by.

Owns the feed's paging (cursor, limit, head). The feed holds no personal data: entity, id,
version, operation and time; the rows are written by the routes that change an entity
(``audit.record_change``). May touch: the Change table, auth and the Context.
"""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy import func, select

from ..models import Change
from .auth import Caller, authenticated
from .context import Ctx

router = APIRouter(tags=["sync"])


@router.get("/v1/changes")
def changes(ctx: Ctx, caller: Caller = Depends(authenticated("changes.read")),
            cursor: Annotated[int, Query(ge=0, le=2**62)] = 0,
            limit: Annotated[int, Query(ge=1, le=500)] = 100) -> dict[str, Any]:
    """Entity versions after ``cursor`` in commit order; no personal data. ``head`` is the
    newest sequence number at the time of the read (where a new session starts)."""
    with ctx.sessions() as db:
        rows = db.scalars(select(Change).where(Change.seq > cursor)
                          .order_by(Change.seq).limit(limit)).all()
        head = db.scalar(select(func.max(Change.seq))) or 0
    items = [{"seq": c.seq, "entity": c.entity, "entity_id": c.entity_id,
              "version": c.version, "op": c.op, "at": c.at.isoformat() + "Z"} for c in rows]
    return {"items": items, "next_cursor": items[-1]["seq"] if items else cursor,
            "has_more": len(items) == limit, "head": max(head, items[-1]["seq"] if items else 0)}
