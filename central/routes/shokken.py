"""職権 (tag ``shokken``): 職権記載・職権消除・職権修正 entered with their evidence and decided by a
supervisor (K-DQ-16, K-WF-6.7).

Owns ``POST /v1/shokken`` (a clerk enters one: checked now, nothing applied, kept as a ``Case`` of
kind ``shokken``), ``GET /v1/shokken`` (the supervisor's queue beside the current records, an
audited read) and its 決裁: approve applies it as entered (shokken.py) unless the record changed
since (DQ-8), return sends it back with a reason; never by the entrant (refused with
``shokken_decider_is_entrant`` and audited). The 審査 routes of cases.py refuse these cases: a
reviewer's approval is not a 決裁. May touch: shokken, register (summaries), cases (the case view),
idempotency, reads, audit, auth and the Context.
"""
from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Query
from pydantic import TypeAdapter
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit, clock, shokken
from ..models import Case, Resident, utcnow
from ..problems import Problem, problem
from ..rights import MY_NUMBER_ACCESS
from .auth import Caller, Pending, authenticated
from .cases import _case_view
from .context import Context, Ctx
from .idempotency import IdempotencyKey, idempotent
from .params import ReasonRequest, RowId
from .reads import ReadRoute, audited, read

router = APIRouter(tags=["shokken"], route_class=ReadRoute)

command_adapter = TypeAdapter(shokken.ShokkenCommand)
CASE_KIND = "shokken"


def _subject(cmd: Any) -> str | None:
    rid = getattr(cmd, "resident_id", None)
    return f"resident:{rid}" if rid else None


@router.post("/v1/shokken", status_code=201)
def submit_shokken(cmd: Annotated[shokken.ShokkenCommand, Body()], ctx: Ctx,
                   caller: Caller = Depends(authenticated("shokken.submit")),
                   idempotency_key: IdempotencyKey = None) -> Any:
    """Enter a 職権記載・消除・修正 with its reason and 実態調査: checked now (nothing applied),
    applied when a supervisor other than the entrant approves it."""
    def effect(db: Session, key: str) -> dict[str, Any]:
        dry = db.begin_nested()  # every check of the apply, then undo
        try:
            shokken.apply(db, ctx.cipher, cmd, today=clock.today(),
                          operator=caller.login_id or "", device=caller.device_id,
                          command_id=key,
                          my_number_access=MY_NUMBER_ACCESS in (caller.rights or {}))
        finally:
            dry.rollback()
        case = Case(kind=CASE_KIND, command=cmd.model_dump(mode="json"),
                    resident_id=getattr(cmd, "resident_id", None),
                    base_version=getattr(cmd, "expected_version", None),
                    entered_by=caller.login_id or "", entered_device=caller.device_id)
        db.add(case)
        db.flush()
        audit.append(db, action="shokken.submit", outcome="ok", operator=caller.login_id,
                     device=caller.device_id, subject=_subject(cmd), purpose="idou",
                     detail={"case_id": case.id, "kind": cmd.kind, "command_id": key})
        audit.record_change(db, entity="case", entity_id=case.id, version=case.version,
                            op="submitted", command_id=key)
        return {"result": "submitted", "case_id": case.id, "kind": cmd.kind,
                "status": case.status}
    return idempotent(ctx, caller, idempotency_key, "shokken.submit", _subject(cmd), effect)


@router.get("/v1/shokken")
def list_shokken(ctx: Ctx,
                 pending: Pending = Depends(audited("shokken.decide", "shokken.list", "review")),
                 status: Literal["submitted", "approved", "returned"] = "submitted",
                 limit: Annotated[int, Query(ge=1, le=200)] = 50) -> Any:
    """The supervisor's queue of 職権 cases, each with its reason, 実態調査 and the current record."""
    def work(db: Session, caller: Caller):
        cases = db.scalars(select(Case).where(Case.kind == CASE_KIND, Case.status == status)
                           .order_by(Case.id).limit(limit)).all()
        items = [_case_view(ctx, db, c, caller.rights or {}, {}) for c in cases]
        subject = ",".join(f"resident:{c.resident_id}" for c in cases if c.resident_id)
        return {"items": items, "count": len(items)}, subject or None, {"cases": len(items)}
    return read(ctx, pending, "review", None, work, audit_action="shokken.list")


def _open(db: Session, case_id: int, caller: Caller) -> Case:
    case = db.get(Case, case_id)
    if case is None or case.kind != CASE_KIND:
        raise problem("case_not_found", f"No 職権 case {case_id}", "職権の案件が見つかりません")
    if case.status != "submitted":
        raise problem("case_not_open", f"Case {case_id} is {case.status}",
                      f"この案件は既に処理されています（{case.status}）")
    if case.entered_by == caller.login_id:
        raise problem("shokken_decider_is_entrant",
                      "A 職権 entry is decided by someone other than its entrant (K-DQ-16, DQ-1)",
                      "職権の記載等を入力した本人は決裁できません。別の所属長が決裁してください")
    return case


def _apply(ctx: Context, db: Session, case: Case, caller: Caller, key: str) -> dict[str, Any]:
    if case.resident_id:
        current = db.get(Resident, case.resident_id)
        if current.version != case.base_version:
            raise problem("record_changed_since_entry",
                          f"Record is at version {current.version}, the entry was made "
                          f"against {case.base_version}",
                          "入力後に住民記録が更新されています。最新の記録で入力し直すよう"
                          "差し戻してください", current_version=current.version)
    cmd = command_adapter.validate_python(case.command)
    # applied as its entrant entered it: the entrant's My Number right was checked on entry
    r, h = shokken.apply(db, ctx.cipher, cmd, today=clock.today(), operator=case.entered_by,
                         device=case.entered_device, command_id=key)
    h.case_id, h.approved_by = case.id, caller.login_id
    audit.append(db, action=f"idou.{cmd.kind}", outcome="ok", operator=case.entered_by,
                 device=case.entered_device, subject=f"resident:{r.id}", purpose="idou",
                 detail={"command_id": key, "case_id": case.id, "approved_by": caller.login_id,
                         "entry_kind": "shokken"})
    audit.record_change(db, entity="resident", entity_id=r.id, version=r.version,
                        op=cmd.kind, command_id=key)
    return {"result": "applied", "command_id": key, "kind": cmd.kind, "resident_id": r.id,
            "version": r.version, "history_id": h.id}


@router.post("/v1/shokken/{case_id}/approve")
def approve_shokken(case_id: RowId, ctx: Ctx,
                    caller: Caller = Depends(authenticated("shokken.decide")),
                    idempotency_key: IdempotencyKey = None) -> Any:
    """決裁 (承認): apply the 職権 entry; refused to its entrant and when the record changed."""
    def effect(db: Session, key: str) -> dict[str, Any]:
        case = _open(db, case_id, caller)
        applied = _apply(ctx, db, case, caller, key)
        case.status, case.reviewed_by, case.reviewed_at = "approved", caller.login_id, utcnow()
        case.result = applied
        audit.append(db, action="shokken.approve", outcome="ok", operator=caller.login_id,
                     device=caller.device_id, subject=f"resident:{applied['resident_id']}",
                     purpose="review", detail={"case_id": case.id, "command_id": key})
        return dict(applied, case_id=case.id, status="approved")
    return idempotent(ctx, caller, idempotency_key, "shokken.approve", f"case:{case_id}", effect,
                      status=200, purpose="review")


@router.post("/v1/shokken/{case_id}/return")
def return_shokken(case_id: RowId, req: ReasonRequest, ctx: Ctx,
                   caller: Caller = Depends(authenticated("shokken.decide"))) -> dict[str, Any]:
    """差し戻し: send the 職権 entry back with a reason; nothing is applied. A refusal is audited."""
    try:
        with ctx.sessions.begin() as db:
            case = _open(db, case_id, caller)
            case.status, case.reviewed_by = "returned", caller.login_id
            case.reviewed_at, case.review_reason = utcnow(), req.reason
            audit.append(db, action="shokken.return", outcome="ok", operator=caller.login_id,
                         device=caller.device_id, subject=f"case:{case.id}", purpose="review",
                         detail={"reason": req.reason})
            db.flush()
            audit.record_change(db, entity="case", entity_id=case.id, version=case.version,
                                op="returned", command_id=None)
            return {"case_id": case.id, "status": "returned"}
    except Problem as p:
        with ctx.sessions.begin() as db:
            audit.append(db, action="shokken.return",
                         outcome="denied" if p.status == 403 else "rejected",
                         operator=caller.login_id, device=caller.device_id,
                         subject=f"case:{case_id}", purpose="review", detail={"code": p.code})
        raise
