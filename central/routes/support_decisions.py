"""支援措置の判断 (support decisions, WF-7; tag ``issuance``): 判断依頼 by the clerk, 所属長の判断.

Owns ``/v1/support-decisions``: the clerk's request about a 交付 refused for a 支援措置 subject
(idempotent), the supervisor's queue (an audited read), one request's state for the clerk who
sent it, and the supervisor's approval or refusal with its reason (never of one's own request).
The rules are support_decision.py's. May touch: support_decision, rights, audit, idempotency,
reads, auth and the Context.
"""
from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from .. import audit, clock, support_decision
from ..problems import Problem, problem
from ..rights import allowed
from .auth import Caller, Pending, audit_refusal, authenticated
from .context import Context, Ctx
from .idempotency import IdempotencyKey, idempotent
from .params import RowId
from .reads import ReadRoute, audited, read

router = APIRouter(tags=["issuance"], route_class=ReadRoute)

_Decision = support_decision.SupportDecision


@router.post("/v1/support-decisions", status_code=201)
def request_support_decision(req: support_decision.DecisionRequest, ctx: Ctx,
                             caller: Caller = Depends(authenticated("support.decision.request")),
                             idempotency_key: IdempotencyKey = None) -> Any:
    """判断依頼: a request the server refused for a 支援措置 subject, as taken, for a supervisor
    to decide. Refused when nothing would block it. Idempotent by (device, key)."""
    def effect(db: Session, key: str) -> dict[str, Any]:
        row = support_decision.request(db, req, operator=caller.login_id or "",
                                       device=caller.device_id, today=clock.today())
        audit.append(db, action="support_decision.request", outcome="ok",
                     operator=caller.login_id, device=caller.device_id,
                     subject=f"resident:{row.resident_id}", purpose=req.purpose,
                     purpose_note=req.purpose_note,
                     detail={"decision_id": row.id, "kind": row.kind, "scope": row.scope,
                             "requester": row.requester_relation, "command_id": key})
        return {"decision_id": row.id, "status": row.status}
    return idempotent(ctx, caller, idempotency_key, "support_decision.request",
                      f"resident:{req.resident_id}", effect, purpose=req.purpose)


@router.get("/v1/support-decisions")
def list_support_decisions(ctx: Ctx,
                           pending: Pending = Depends(audited("support.decision.decide", "support_decision.list", "review")),
                           status: Literal["pending", "approved", "refused", "used"] = "pending",
                           limit: Annotated[int, Query(ge=1, le=200)] = 50) -> dict[str, Any]:
    """The supervisor's queue: each request with who it is about and the fact of the 支援措置
    (never the measure's related persons). A read of the register: audited (LOG-1)."""
    def work(db: Session, caller: Caller):
        rows = db.scalars(select(_Decision).where(_Decision.status == status)
                          .order_by(_Decision.id).limit(limit)).all()
        items = [support_decision.view(db, r, clock.today(), full=True) for r in rows]
        subject = ",".join(f"resident:{r.resident_id}" for r in rows) or None
        return {"items": items, "count": len(items)}, subject, {"decisions": len(items),
                                                                "status": status}
    return read(ctx, pending, "review", None, work, audit_action="support_decision.list")


@router.get("/v1/support-decisions/{decision_id}")
def get_support_decision(decision_id: RowId, ctx: Ctx,
                         pending: Pending = Depends(audited("support.decision.request", "support_decision.read", "certificate"))
                         ) -> dict[str, Any]:
    """The state of one request, for the clerk who sent it (or a supervisor): pending,
    approved (usable today), refused with the reason, or used."""
    def work(db: Session, caller: Caller):
        row = support_decision.get(db, decision_id)
        supervisor = allowed("support.decision.decide", caller.rights or {})
        if row.requested_by != caller.login_id and not supervisor:
            raise problem("forbidden", "Only the requester or a supervisor may read it",
                          "判断依頼を送った職員と所属長だけが確認できます")
        out = support_decision.view(db, row, clock.today(), full=False)
        return out, f"resident:{row.resident_id}", {"decision_id": row.id,
                                                    "status": row.status}
    return read(ctx, pending, "certificate", None, work, audit_action="support_decision.read")


def _decide(ctx: Context, decision_id: int, approve: bool, req: support_decision.DecisionReason,
            caller: Caller) -> dict[str, Any]:
    action = "support_decision.approve" if approve else "support_decision.refuse"
    try:
        with ctx.sessions.begin() as db:
            row = support_decision.decide(db, decision_id, approve, req.reason,
                                          operator=caller.login_id or "", today=clock.today())
            audit.append(db, action=action, outcome="ok", operator=caller.login_id,
                         device=caller.device_id, subject=f"resident:{row.resident_id}",
                         purpose="review",
                         detail={"decision_id": row.id, "requested_by": row.requested_by,
                                 "kind": row.kind, "scope": row.scope,
                                 "requester": row.requester_relation,
                                 "reason": row.decision_reason})
            return support_decision.view(db, row, clock.today(), full=False)
    except StaleDataError:
        p = problem("support_decision_not_pending", "Decided concurrently by someone else",
                    "この判断依頼は既に判断されています")
    except Problem as refused:
        p = refused
    audit_refusal(ctx, p, action, caller.device_id, caller.login_id,
                  subject=f"support_decision:{decision_id}", purpose="review")
    raise p


@router.post("/v1/support-decisions/{decision_id}/approve")
def approve_support_decision(decision_id: RowId, req: support_decision.DecisionReason, ctx: Ctx,
                             caller: Caller = Depends(authenticated("support.decision.decide"))
                             ) -> dict[str, Any]:
    """所属長の判断（交付を認める）: never one's own request; the reason is required; audited."""
    return _decide(ctx, decision_id, True, req, caller)


@router.post("/v1/support-decisions/{decision_id}/refuse")
def refuse_support_decision(decision_id: RowId, req: support_decision.DecisionReason, ctx: Ctx,
                            caller: Caller = Depends(authenticated("support.decision.decide"))
                            ) -> dict[str, Any]:
    """所属長の判断（交付を認めない）: the reason is required and shown to the clerk; audited."""
    return _decide(ctx, decision_id, False, req, caller)
