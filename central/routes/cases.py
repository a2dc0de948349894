"""審査 (review by a second person, tag ``review``): 異動届 entered for review, the queue, 承認 and 差し戻し.

Owns the case (``Case``): ``POST /v1/cases/idou`` checks a 届出 and keeps it (nothing applied),
``GET /v1/cases`` shows the queue beside the current records (an audited read), approve applies it
as the entrant entered it (commands.py's ``apply_idou``) unless the record changed since (DQ-8),
return sends it back with a reason; never by the entrant (DQ-1). An approval also puts the case's
signed forms of other divisions on the 庁内連携 feed (renkei.py). May touch: idou, register (the
current record's summary), renkei, commands, idempotency, reads, audit, auth and the Context.
"""
from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Query
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit, clock, idou, register, renkei
from ..models import AuditEvent, Case, Resident, SignedForm, utcnow
from ..problems import problem
from ..rights import MY_NUMBER_ACCESS
from .auth import Caller, Pending, authenticated
from .commands import apply_checked, apply_idou, check_identity, command_adapter, subject_of
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
            apply_checked(ctx, db, cmd, key, caller.login_id or "", caller.device_id,
                          MY_NUMBER_ACCESS in (caller.rights or {}))
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


def _masked(command: dict[str, Any], rights: dict) -> dict[str, Any]:
    """The command as the reviewer may see it: a My Number masked without 特定個人情報アクセス権限,
    for the one person of a single-person 届出, for each 異動者 of a 世帯の届出, and on the card
    or paper 転出証明書 of a 転入."""
    def person_masked(holder: dict[str, Any]) -> dict[str, Any]:
        person = holder.get("person")
        if isinstance(person, dict) and person.get("my_number") and MY_NUMBER_ACCESS not in rights:
            return dict(holder, person=dict(person, my_number=register.MASK))
        return holder
    command = person_masked(dict(command))
    if MY_NUMBER_ACCESS not in rights:
        tokurei = command.get("tokurei")  # 特例転入: the card read carries a 個人番号 (#22)
        if isinstance(tokurei, dict) and isinstance(tokurei.get("card"), dict):
            command["tokurei"] = dict(tokurei, card=dict(tokurei["card"], my_number=register.MASK))
        paper = command.get("tenshutsu_shomeisho")  # the paper 転出証明書 typed: its 個人番号
        if isinstance(paper, dict) and paper.get("my_number"):
            command["tenshutsu_shomeisho"] = dict(paper, my_number=register.MASK)
    if isinstance(command.get("members"), list):
        command["members"] = [person_masked(dict(m)) if isinstance(m, dict) else m
                              for m in command["members"]]
    return command


def _case_view(ctx: Context, db: Session, case: Case, rights: dict,
               checks: dict[int, AuditEvent]) -> dict[str, Any]:
    """One case for the reviewer; ``checks``: the 本人確認 rows the cases name, by seq."""
    command = _masked(case.command, rights)
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
    members = case.command.get("members") if case.command.get("kind") == "setai" else None
    if members:  # a 世帯の届出: each named person's current record beside the entry (K-DQ-7)
        named = [(m["resident_id"], m["expected_version"]) for m in members
                 if m.get("resident_id")]
        rows = [db.get(Resident, rid) for rid, _ in named]
        sup = register.active_support_ids(db, [r.id for r in rows], clock.today())
        out["current_members"] = [dict(register.summary(r, ctx.cipher, rights, sup),
                                       relationship_to_head=r.relationship_to_head,
                                       household_no=r.household.household_no) for r in rows]
        out["record_changed"] = any(r.version != v for r, (_, v) in zip(rows, named))
    return out


def _case_subjects(case: Case) -> list[str]:
    """The residents a case concerns, for the audit row of the read that shows it."""
    if case.resident_id:
        return [f"resident:{case.resident_id}"]
    members = case.command.get("members") if case.command.get("kind") == "setai" else None
    return [f"resident:{m['resident_id']}" for m in members or [] if m.get("resident_id")]


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
        subject = ",".join(s for c in cases for s in _case_subjects(c))
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
    if db.scalar(select(SignedForm.id).where(SignedForm.case_id == case.id,
                                             SignedForm.stored_by == caller.login_id).limit(1)):
        raise problem("reviewer_stored_forms", "Whoever stored the case's signed forms cannot "
                      "review it (DQ-1)", "この届出の申請書を保存した職員は審査できません。"
                      "別の職員が審査してください")
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
        if cmd.kind == "setai":  # every record the 届出 read, as at entry (K-DQ-7)
            for m in cmd.members:
                current = db.get(Resident, m.resident_id) if m.resident_id else None
                if current is not None and current.version != m.expected_version:
                    raise problem("record_changed_since_entry",
                                  f"Resident {m.resident_id} is at version {current.version}, "
                                  f"the entry was made against {m.expected_version}",
                                  "入力後に住民記録が更新されています。最新の記録で入力し直すよう"
                                  "差し戻してください", current_version=current.version,
                                  resident_id=m.resident_id)
        applied = apply_idou(ctx, db, cmd, key, case.entered_by, case.entered_device,
                             extra={"case_id": case.id, "approved_by": caller.login_id})
        case.status, case.reviewed_by, case.reviewed_at = ("approved", caller.login_id,
                                                           utcnow())
        case.result = applied
        events = renkei.events_for_approved(db, ctx.forms, case)  # 庁内連携 (#23 point 5)
        audit.append(db, action="case.approve", outcome="ok", operator=caller.login_id,
                     device=caller.device_id,
                     subject=",".join(f"resident:{m['resident_id']}" for m in applied["members"])
                     if "members" in applied else f"resident:{applied['resident_id']}",
                     purpose="review", detail={"case_id": case.id, "command_id": key,
                                               "renkei_events": [e.id for e in events]})
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
