"""権限付与の申請と承認・設定 (AUTHZ-4, #21 class 3): separation of duties for rights.

A right is granted only on an **application** (``apply``) by the 所属長 of the operator's section —
an operator holding ``supervisor`` today whose ``section`` is the grantee's — and its **execution**
(``execute``: 承認・設定, the grant) by the security admin, who may also **decline** it with a
reason. Applicant, executor and grantee are three different people: no one applies for, executes
or declines a right of their own, and no one executes their own application. The grant names the
application it came from, so the rights list (AUTHZ-9) shows who applied and when, and who
executed and when, for every grant. Revocation stays one step by the security admin (same-day,
AUTHZ-6) but never of one's own rights (``check_not_own``).

Each function runs in the caller's transaction and raises a Problem to refuse; the route audits
both outcomes. The same pattern as the 支援措置 decision (support_decision.py): a pending row, a
decision by another person, the decider and time recorded on the row.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Operator, RightApplication, RightGrant, utcnow
from .problems import problem
from .rights import ALL_RIGHTS, RIGHT_LABELS_JA, SUPERVISOR, period_error
from .security import effective_rights


class ApplicationRequest(BaseModel):
    """申請: whose right, which, for what period, and why."""

    model_config = ConfigDict(extra="forbid")
    login_id: Annotated[str, Field(min_length=1, max_length=40)]
    right: Literal[ALL_RIGHTS]  # type: ignore[valid-type]
    valid_from: dt.date
    valid_until: dt.date
    reason: Annotated[str, Field(min_length=1, max_length=200)]


def check_not_own(caller_operator_id: int | None, grantee_id: int) -> None:
    """No operator changes their own rights, by any route (#21 class 3)."""
    if caller_operator_id is not None and caller_operator_id == grantee_id:
        raise problem("own_rights_change", "No operator changes their own rights",
                      "自分自身の権限は申請・承認・失効できません。別の担当者に依頼してください")


def _period(req_from: dt.date, req_until: dt.date, grantee: Operator) -> None:
    why = period_error(req_from, req_until, grantee.employment_until)
    if why:
        raise problem("right_period_invalid", why,
                      "権限の有効期間は年度末（3月31日）と任用期間を超えられません",
                      field="valid_until")


def apply(db: Session, req: ApplicationRequest, *, applicant: Operator, device: str | None,
          today: dt.date) -> RightApplication:
    """A 所属長's application for an operator of their own section; pending until executed."""
    grantee = db.scalar(select(Operator).where(Operator.login_id == req.login_id))
    if grantee is not None:
        check_not_own(applicant.id, grantee.id)
    # an unknown login ID answers as one of another section: no one learns which IDs exist
    if (grantee is None or SUPERVISOR not in effective_rights(db, applicant, today)
            or not applicant.section or applicant.section != grantee.section):
        raise problem("not_section_head",
                      "Only the head (所属長) of the operator's section applies for their rights; "
                      "no operator of your section has this login ID",
                      "権限の申請は、その職員の所属の所属長だけができます。"
                      "職員IDと所属をお確かめください", field="login_id")
    _period(req.valid_from, req.valid_until, grantee)
    reason = req.reason.strip()
    if not reason:
        raise problem("invalid_request", "An application needs a reason",
                      "申請理由を入力してください", field="reason")
    row = RightApplication(operator=grantee, right=req.right, valid_from=req.valid_from,
                           valid_until=req.valid_until, reason=reason, status="pending",
                           section=applicant.section, applied_by=applicant.login_id,
                           applied_device=device)
    db.add(row)
    db.flush()
    return row


def get(db: Session, application_id: int) -> RightApplication:
    row = db.get(RightApplication, application_id)
    if row is None:
        raise problem("right_application_not_found", f"No application {application_id}",
                      "権限付与の申請が見つかりません")
    return row


def _decidable(row: RightApplication, executor: Operator) -> None:
    check_not_own(executor.id, row.operator_id)
    if row.applied_by == executor.login_id:
        raise problem("executor_is_applicant",
                      "The applicant cannot execute or decline their own application",
                      "申請した本人は承認・設定できません。別のセキュリティ管理者が行ってください")
    if row.status != "pending":
        raise problem("right_application_not_pending", f"Application {row.id} is {row.status}",
                      "この申請は既に処理されています")


def execute(db: Session, application_id: int, *, executor: Operator) -> RightGrant:
    """承認・設定: the grant the application asked for, naming it. The period is checked again
    (a 任用期間 may have been shortened since)."""
    row = get(db, application_id)
    _decidable(row, executor)
    _period(row.valid_from, row.valid_until, row.operator)
    now = utcnow()
    g = RightGrant(operator=row.operator, right=row.right, valid_from=row.valid_from,
                   valid_until=row.valid_until, granted_by=executor.login_id, granted_at=now,
                   origin="application", application_id=row.id)
    db.add(g)
    row.status, row.decided_by, row.decided_at = "executed", executor.login_id, now
    db.flush()  # a concurrent execution of the same application fails here (version, unique)
    return g


def decline(db: Session, application_id: int, reason: str, *,
            executor: Operator) -> RightApplication:
    """却下: the application is closed with the security admin's reason; nothing is granted."""
    row = get(db, application_id)
    _decidable(row, executor)
    reason = reason.strip()
    if not reason:
        raise problem("invalid_request", "Declining needs a reason", "却下の理由を入力してください",
                      field="reason")
    row.status, row.decided_by, row.decided_at = "declined", executor.login_id, utcnow()
    row.decision_reason = reason
    db.flush()
    return row


def view(row: RightApplication) -> dict[str, Any]:
    return {"id": row.id, "login_id": row.operator.login_id,
            "display_name": row.operator.display_name, "section": row.section,
            "right": row.right, "right_ja": RIGHT_LABELS_JA.get(row.right, row.right),
            "valid_from": row.valid_from.isoformat(), "valid_until": row.valid_until.isoformat(),
            "reason": row.reason, "status": row.status,
            "applied_by": row.applied_by, "applied_at": row.applied_at.isoformat() + "Z",
            "decided_by": row.decided_by,
            "decided_at": row.decided_at.isoformat() + "Z" if row.decided_at else None,
            "decision_reason": row.decision_reason}
