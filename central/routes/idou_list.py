"""異動リスト (tag ``idou-list``): the day's applied 異動 per counter or for the office, as JSON and as
a PDF, and the reviewer's tick per row (DQ-2, K-DQ-6, K-WF-6.5).

Owns ``GET /v1/idou-list`` and ``GET /v1/idou-list.pdf`` (audited reads: who, when, which day and
terminal, whom the rows concern) and ``POST /v1/idou-list/{history_id}/check`` (a tick: who, when,
at which terminal; refused to the person who entered that 異動, audited either way). The day is a
JST day (clock.py); it defaults to today and is never in the future. May touch: idou_list,
report_pdf, reads, audit, auth and the Context.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import audit, clock, idou_list, report_pdf
from ..models import IdouCheck, ResidentHistory, utcnow
from ..problems import Problem, problem
from .auth import Caller, Pending, authenticated
from .context import Context, Ctx
from .params import RowId
from .reads import ReadRoute, audited, read

router = APIRouter(tags=["idou-list"], route_class=ReadRoute)

Day = Annotated[dt.date | None, Query(description="JST day (YYYY-MM-DD); today when omitted")]
DeviceId = Annotated[str | None, Query(max_length=40, pattern=r"^[A-Za-z0-9_.\-]+$",
                                       description="one counter's terminal; the office when omitted")]


def _day(day: dt.date | None) -> dt.date:
    today = clock.today()
    if day is None:
        return today
    if day > today:
        now = clock.as_of(today)
        raise problem("date_in_future", f"date {day} is in the future{now['en']}",
                      f"{day} は未来の日付です{now['ja']}", field="date", today=now["today"])
    return day


def _work(date: dt.date | None, device: str | None):
    def work(db: Session, caller: Caller):
        listing = idou_list.listing(db, _day(date), device)
        ids = sorted({r["resident_id"] for r in listing["rows"]})
        subject = ",".join(f"resident:{i}" for i in ids) or None
        return listing, subject, {"date": listing["date"], "device": device,
                                  "rows": listing["count"]}
    return work


@router.get("/v1/idou-list")
def get_idou_list(ctx: Ctx,
                  pending: Pending = Depends(audited("idou_list.read", "idou_list.read",
                                                     "review")),
                  date: Day = None, device: DeviceId = None) -> Any:
    """The day's applied 異動 (every kind, 届出 and 職権) and the earlier days' unticked ones."""
    return read(ctx, pending, "review", None, _work(date, device), audit_action="idou_list.read")


@router.get("/v1/idou-list.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}}})
def get_idou_list_pdf(ctx: Ctx,
                      pending: Pending = Depends(audited("idou_list.read", "idou_list.pdf",
                                                         "review")),
                      date: Day = None, device: DeviceId = None) -> Any:
    """The same list as a PDF (A4 landscape, a 点検 column), to print or keep."""
    def respond(listing: dict[str, Any], caller: Caller) -> Response:
        printed_at = dt.datetime.now(clock.JST).strftime("%Y-%m-%d %H:%M JST")
        body = report_pdf.idou_list_pdf(listing, printed_by=caller.login_id or "",
                                        printed_at=printed_at)
        name = f"idou-list-{listing['date']}{'-' + device if device else ''}.pdf"
        return Response(body, media_type="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="{name}"',
                                 "Cache-Control": "no-store"})
    return read(ctx, pending, "review", None, _work(date, device), audit_action="idou_list.pdf",
                respond=respond)


def _tick(ctx: Context, db: Session, history_id: int, caller: Caller) -> dict[str, Any]:
    h = db.get(ResidentHistory, history_id)
    if h is None or h.kind in idou_list.NOT_LISTED:
        raise problem("idou_not_found", f"No applied 異動 {history_id}",
                      "指定された異動が見つかりません")
    if h.operator_login == caller.login_id:
        raise problem("idou_checker_is_entrant",
                      "A 異動 is checked by someone other than the person who entered it (DQ-1)",
                      "この異動を入力した本人は点検できません。別の職員が点検してください")
    done = db.scalar(select(IdouCheck).where(IdouCheck.history_id == h.id))
    if done is not None:
        raise problem("idou_already_checked", f"異動 {history_id} was checked already",
                      f"この異動は点検済みです（{done.checked_by}）", checked_by=done.checked_by)
    c = IdouCheck(history_id=h.id, checked_by=caller.login_id or "",
                  checked_device=caller.device_id, checked_at=utcnow())
    db.add(c)
    db.flush()
    audit.append(db, action="idou_list.check", outcome="ok", operator=caller.login_id,
                 device=caller.device_id, subject=f"resident:{h.resident_id}", purpose="review",
                 detail={"history_id": h.id, "kind": h.kind})
    return {"history_id": h.id, "checked": True, "checked_by": c.checked_by,
            "checked_at": c.checked_at.isoformat() + "Z"}


@router.post("/v1/idou-list/{history_id}/check", status_code=201)
def check_row(history_id: RowId, ctx: Ctx,
              caller: Caller = Depends(authenticated("idou_list.check"))) -> Any:
    """点検: tick one applied 異動 as checked against its 届出; once, never by its entrant."""
    try:
        try:
            with ctx.sessions.begin() as db:
                return _tick(ctx, db, history_id, caller)
        except IntegrityError:  # ticked at the same moment by another reviewer
            with ctx.sessions() as db:
                done = db.scalar(select(IdouCheck).where(IdouCheck.history_id == history_id))
            raise problem("idou_already_checked", f"異動 {history_id} was checked already",
                          "この異動は点検済みです",
                          checked_by=done.checked_by if done else None) from None
    except Problem as p:
        with ctx.sessions.begin() as db:
            h = db.get(ResidentHistory, history_id)
            audit.append(db, action="idou_list.check",
                         outcome="denied" if p.status == 403 else "rejected",
                         operator=caller.login_id, device=caller.device_id,
                         subject=f"resident:{h.resident_id}" if h else None, purpose="review",
                         detail={"history_id": history_id, "code": p.code})
        raise
