"""審査 (review by a second person, tag ``review``): 異動届 entered for review, the queue, 承認 and 差し戻し.

Owns the case (``Case``): ``POST /v1/cases/idou`` checks a 届出 and keeps it (nothing applied),
``GET /v1/cases`` shows the queue beside the current records (an audited read), approve applies it
as the entrant entered it (commands.py's ``apply_idou``) unless the record changed since (DQ-8),
return sends it back with a reason; never by the entrant (DQ-1). May touch: idou, register (the
current record's summary), commands, idempotency, reads, audit, auth and the Context.
"""
from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Query
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit, clock, idou, register
from ..models import AuditEvent, Case, Resident, utcnow
from ..problems import problem
from ..rights import MY_NUMBER_ACCESS
from .auth import Caller, Pending, authenticated
from .commands import apply_idou, check_identity, command_adapter, subject_of
from .context import Context, Ctx
from .idempotency import IdempotencyKey, idempotent
from .params import ReasonRequest, RowId
from .reads import ReadRoute, audited, read

router = APIRouter(tags=["review"], route_class=ReadRoute)


@router.post("/v1/cases/idou", status_code=201)
def submit_case(cmd: Annotated[idou.IdouCommand, Body()], ctx: Ctx,
                caller: Caller = Depends(authenticated("idou.submit")),
                idempotency_key: IdempotencyKey = None) -> Any:
    """Submit a 異動届 for 審査: checked now (nothing applied), applied on approval."""
    def effect(db: Session, key: str) -> dict[str, Any]:
        check_identity(db, cmd, caller.login_id or "", caller.device_id)
        dry = db.begin_nested()  # run every logical check, then undo
        try:
            idou.apply(db, ctx.cipher, cmd, today=clock.today(), operator=caller.login_id or "",
                       device=caller.device_id, command_id=key,
                       my_number_access=MY_NUMBER_ACCESS in (caller.rights or {}))
        finally:
            dry.rollback()
        case = Case(kind="idou", command=cmd.model_dump(mode="json"),
                    resident_id=getattr(cmd, "resident_id", None),
                    base_version=getattr(cmd, "expected_version", None),
                    entered_by=caller.login_id or "", entered_device=caller.device_id)
        db.add(case)
        db.flush()
        audit.append(db, action="case.submit", outcome="ok", operator=caller.login_id,
                     device=caller.device_id, subject=subject_of(cmd), purpose="idou",
                     detail={"case_id": case.id, "kind": cmd.kind, "command_id": key,
                             "identity_check": cmd.identity_check_seq})
        audit.record_change(db, entity="case", entity_id=case.id, version=case.version,
                            op="submitted", command_id=key)
        return {"result": "submitted", "case_id": case.id, "status": case.status}
    return idempotent(ctx, caller, idempotency_key, f"case.submit.{cmd.kind}", subject_of(cmd),
                      effect)


def _case_view(ctx: Context, db: Session, case: Case, rights: dict,
               checks: dict[int, AuditEvent]) -> dict[str, Any]:
    """One case for the reviewer; ``checks``: the 本人確認 rows the cases name, by seq."""
    command = dict(case.command)
    person = command.get("person")
    if isinstance(person, dict) and person.get("my_number") and MY_NUMBER_ACCESS not in rights:
        command["person"] = dict(person, my_number=register.MASK)
    tokurei = command.get("tokurei")  # 特例転入: the card read carries a 個人番号 too (#22)
    if isinstance(tokurei, dict) and isinstance(tokurei.get("card"), dict) \
            and MY_NUMBER_ACCESS not in rights:
        command["tokurei"] = dict(tokurei, card=dict(tokurei["card"], my_number=register.MASK))
    paper = command.get("tenshutsu_shomeisho")  # the paper 転出証明書 typed: its 個人番号 too
    if isinstance(paper, dict) and paper.get("my_number") and MY_NUMBER_ACCESS not in rights:
        command["tenshutsu_shomeisho"] = dict(paper, my_number=register.MASK)
    out = {"id": case.id, "kind": case.kind, "status": case.status,
           "entered_by": case.entered_by, "entered_at": case.entered_at.isoformat() + "Z",
           "reviewed_by": case.reviewed_by, "review_reason": case.review_reason,
           "command": command, "current": None, "record_changed": False,
           "identity_check": idou.identity_view(
               checks.get(command.get("identity_check_seq") or 0), case.resident_id)}
    if case.resident_id:
        r = db.get(Resident, case.resident_id)
        sup = register.active_support_ids(db, [r.id], clock.today())
        out["current"] = register.summary(r, ctx.cipher, rights, sup)
        out["record_changed"] = r.version != case.base_version
    return out


@router.get("/v1/cases")
def list_cases(ctx: Ctx, pending: Pending = Depends(audited("case.review", "case.list", "review")),
               status: Literal["submitted", "approved", "returned"] = "submitted",
               limit: Annotated[int, Query(ge=1, le=200)] = 50) -> dict[str, Any]:
    """The review queue: each entry beside the current register record (never outdated)."""
    def work(db: Session, caller: Caller):
        cases = db.scalars(select(Case).where(Case.status == status, Case.kind != "shokken")
                           .order_by(Case.id).limit(limit)).all()
        seqs = {c.command.get("identity_check_seq") for c in cases} - {None}
        checks = {e.seq: e for e in db.scalars(select(AuditEvent).where(
            AuditEvent.seq.in_(seqs)))} if seqs else {}  # one query, not one per case
        items = [_case_view(ctx, db, c, caller.rights or {}, checks) for c in cases]
        subject = ",".join(f"resident:{c.resident_id}" for c in cases if c.resident_id)
        return {"items": items, "count": len(items)}, subject or None, {"cases": len(items)}
    return read(ctx, pending, "review", None, work, audit_action="case.list")


def _open_case(db: Session, case_id: int, caller: Caller) -> Case:
    case = db.get(Case, case_id)
    if case is None:
        raise problem("case_not_found", f"No case {case_id}", "審査案件が見つかりません")
    if case.kind == "shokken":  # a 職権 entry is the supervisor's 決裁 (routes/shokken.py)
        raise problem("shokken_needs_supervisor", f"Case {case_id} is a 職権 entry: it is decided "
                      "at /v1/shokken/{id}", "職権の記載等は所属長が決裁します（審査では承認できません）")
    if case.status != "submitted":
        raise problem("case_not_open", f"Case {case_id} is {case.status}",
                      f"この案件は既に処理されています（{case.status}）")
    if case.entered_by == caller.login_id:
        raise problem("reviewer_is_entrant", "An entry must be reviewed by someone else "
                      "(DQ-1)", "入力した本人は審査できません。別の職員が審査してください")
    return case


@router.post("/v1/cases/{case_id}/approve")
def approve_case(case_id: RowId, ctx: Ctx, caller: Caller = Depends(authenticated("case.review")),
                 idempotency_key: IdempotencyKey = None) -> Any:
    """Approve and apply, refused when the record changed since entry (DQ-8, 000 L4375)."""
    def effect(db: Session, key: str) -> dict[str, Any]:
        case = _open_case(db, case_id, caller)
        if case.resident_id:
            current = db.get(Resident, case.resident_id)
            if current.version != case.base_version:
                raise problem("record_changed_since_entry",
                              f"Record is at version {current.version}, the entry was made "
                              f"against {case.base_version}",
                              "入力後に住民記録が更新されています。最新の記録で入力し直すよう"
                              "差し戻してください", current_version=current.version)
        cmd = command_adapter.validate_python(case.command)
        applied = apply_idou(ctx, db, cmd, key, case.entered_by, case.entered_device,
                             extra={"case_id": case.id, "approved_by": caller.login_id})
        case.status, case.reviewed_by, case.reviewed_at = ("approved", caller.login_id,
                                                           utcnow())
        case.result = applied
        audit.append(db, action="case.approve", outcome="ok", operator=caller.login_id,
                     device=caller.device_id, subject=f"resident:{applied['resident_id']}",
                     purpose="review", detail={"case_id": case.id, "command_id": key})
        return dict(applied, case_id=case.id, status="approved")
    return idempotent(ctx, caller, idempotency_key, "case.approve", f"case:{case_id}", effect,
                      status=200)


@router.post("/v1/cases/{case_id}/return")
def return_case(case_id: RowId, req: ReasonRequest, ctx: Ctx,
                caller: Caller = Depends(authenticated("case.review"))) -> dict[str, Any]:
    """差し戻し: send the entry back with a reason; nothing is applied."""
    with ctx.sessions.begin() as db:
        case = _open_case(db, case_id, caller)
        case.status, case.reviewed_by = "returned", caller.login_id
        case.reviewed_at, case.review_reason = utcnow(), req.reason
        audit.append(db, action="case.return", outcome="ok", operator=caller.login_id,
                     device=caller.device_id, subject=f"case:{case.id}", purpose="review",
                     detail={"reason": req.reason})
        db.flush()
        audit.record_change(db, entity="case", entity_id=case.id, version=case.version,
                            op="returned", command_id=None)
        return {"case_id": case.id, "status": "returned"}
