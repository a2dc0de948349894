"""管理 (admin): rights, 年度更新, the 覗き込み policy, the daily access review and the device registry.

Owns ``/v1/admin/…`` except the biometric enrolment (factors router): grants, only on a
所属長's application executed by a security admin, for a period that never runs past 3/31 or
employment (AUTHZ-4/7, right_applications.py), and their same-day revocation (AUTHZ-6), never of
one's own; the year-end rollover (AUTHZ-8), the rights list and its CSV (AUTHZ-9), the onlooker
policy terminals get at login (PRIV-1), the access review (LOG-10) and the registered devices with
their remote disable (DEV-3/4/6). Every change is audited. May touch: admin, rights,
right_applications, review, policy, audit, auth and the Context.
"""
from __future__ import annotations

import base64
import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from .. import admin, audit, clock, policy, review, right_applications
from ..models import Device, Operator, RightApplication, RightGrant, utcnow
from ..problems import Problem, problem
from ..rights import ALL_RIGHTS
from .auth import Caller, authenticated
from .context import Context, Ctx
from .params import ReasonRequest, RowId

router = APIRouter(tags=["admin"])


class GrantRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    login_id: Annotated[str, Field(min_length=1, max_length=40)]
    right: Literal[ALL_RIGHTS]  # type: ignore[valid-type]
    valid_from: dt.date
    valid_until: dt.date


class DeviceRegistration(BaseModel):
    """登録端末: the device's own Ed25519 public key (made on the device), kind and approval."""

    model_config = ConfigDict(extra="forbid")
    device_id: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")]
    name: Annotated[str, Field(min_length=1, max_length=100)]
    kind: Literal["counter", "loan"]
    public_key: Annotated[str, Field(min_length=40, max_length=64,
                                     description="base64 of the raw 32-byte Ed25519 public key")]
    loan_approved_by: Annotated[str, Field(min_length=1, max_length=40)] | None = None
    loan_approval_ref: Annotated[str, Field(min_length=1, max_length=100)] | None = None


class RolloverRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    fiscal_year_end: dt.date = Field(description="年度末 being closed (3/31)")


def _refused(ctx: Context, caller: Caller, action: str, p: Problem, subject: str | None,
             **detail: Any) -> Problem:
    """Audit a refused rights step (its own transaction: the step's is rolled back)."""
    with ctx.sessions.begin() as db:
        audit.append(db, action=action, outcome="denied" if p.status in (401, 403) else "rejected",
                     operator=caller.login_id, device=caller.device_id, subject=subject,
                     detail={"code": p.code, **detail})
    return p


@router.post("/v1/admin/rights", status_code=201)
def grant_right(req: GrantRequest, ctx: Ctx,
                caller: Caller = Depends(authenticated("rights.manage"))) -> dict[str, Any]:
    """No direct grant (AUTHZ-4, #21 class 3): a right is granted only by executing a 所属長's
    application (``POST /v1/admin/rights/applications`` then ``…/{id}/execute``). Refused and
    audited."""
    p = problem("rights_application_required",
                "A right is granted only on an application by the operator's section head, "
                "executed by the security admin (POST /v1/admin/rights/applications)",
                "権限は所属長の申請に基づいてのみ付与できます。申請を承認・設定してください")
    raise _refused(ctx, caller, "rights.grant", p, f"operator:{req.login_id}", right=req.right)


@router.post("/v1/admin/rights/applications", status_code=201)
def apply_for_right(req: right_applications.ApplicationRequest, ctx: Ctx,
                    caller: Caller = Depends(authenticated("rights.apply"))) -> dict[str, Any]:
    """権限付与の申請 by the 所属長 of the operator's section, never for oneself (AUTHZ-4)."""
    try:
        with ctx.sessions.begin() as db:
            applicant = db.get(Operator, caller.operator_id)
            row = right_applications.apply(db, req, applicant=applicant, device=caller.device_id,
                                           today=clock.today())
            audit.append(db, action="rights.apply", outcome="ok", operator=caller.login_id,
                         device=caller.device_id, subject=f"operator:{req.login_id}",
                         detail={"application_id": row.id, "right": row.right,
                                 "valid_from": row.valid_from.isoformat(),
                                 "valid_until": row.valid_until.isoformat()})
            return right_applications.view(row)
    except Problem as p:
        raise _refused(ctx, caller, "rights.apply", p, f"operator:{req.login_id}",
                       right=req.right) from None


@router.get("/v1/admin/rights/applications")
def list_applications(ctx: Ctx, caller: Caller = Depends(authenticated("rights.manage")),
                      status: Literal["pending", "executed", "declined"] = "pending"
                      ) -> dict[str, Any]:
    """The security admin's queue of applications (oldest first)."""
    with ctx.sessions() as db:
        rows = db.scalars(select(RightApplication).where(RightApplication.status == status)
                          .order_by(RightApplication.id)).all()
        return {"items": [right_applications.view(r) for r in rows]}


def _decide(ctx: Context, caller: Caller, application_id: int, action: str,
            step: Any) -> dict[str, Any]:
    subject = None
    try:
        with ctx.sessions.begin() as db:
            row = right_applications.get(db, application_id)
            subject = f"operator:{row.operator.login_id}"
            executor = db.get(Operator, caller.operator_id)
            out, detail = step(db, executor)
            audit.append(db, action=action, outcome="ok", operator=caller.login_id,
                         device=caller.device_id, subject=subject,
                         detail={"application_id": application_id, "applied_by": row.applied_by,
                                 "right": row.right, **detail})
            return out
    except (StaleDataError, IntegrityError):  # executed at the same time by someone else
        p = problem("right_application_not_pending", f"Application {application_id} changed",
                    "この申請は既に処理されています")
    except Problem as refused:
        p = refused
    raise _refused(ctx, caller, action, p, subject, application_id=application_id)


@router.post("/v1/admin/rights/applications/{application_id}/execute", status_code=201)
def execute_application(application_id: RowId, ctx: Ctx,
                        caller: Caller = Depends(authenticated("rights.manage"))
                        ) -> dict[str, Any]:
    """承認・設定: grant what the application asked for, by a security admin who is neither the
    applicant nor the grantee; the grant names the application (AUTHZ-4)."""
    def step(db: Session, executor: Operator) -> tuple[dict[str, Any], dict[str, Any]]:
        g = right_applications.execute(db, application_id, executor=executor)
        row = right_applications.get(db, application_id)
        return ({"id": g.id, "login_id": g.operator.login_id, "right": g.right,
                 "valid_from": g.valid_from.isoformat(), "valid_until": g.valid_until.isoformat(),
                 "application": right_applications.view(row)},
                {"grant_id": g.id, "valid_until": g.valid_until.isoformat()})
    return _decide(ctx, caller, application_id, "rights.execute", step)


@router.post("/v1/admin/rights/applications/{application_id}/decline")
def decline_application(application_id: RowId, req: ReasonRequest, ctx: Ctx,
                        caller: Caller = Depends(authenticated("rights.manage"))
                        ) -> dict[str, Any]:
    """却下 with a reason; nothing is granted."""
    def step(db: Session, executor: Operator) -> tuple[dict[str, Any], dict[str, Any]]:
        row = right_applications.decline(db, application_id, req.reason, executor=executor)
        return right_applications.view(row), {"reason": row.decision_reason}
    return _decide(ctx, caller, application_id, "rights.decline", step)


@router.post("/v1/admin/rights/{grant_id}/revoke")
def revoke_right(grant_id: RowId, req: ReasonRequest, ctx: Ctx,
                 caller: Caller = Depends(authenticated("rights.manage"))) -> dict[str, Any]:
    """Same-day revocation (AUTHZ-6): effective on the operator's next request. One step by the
    security admin, but never of their own rights (#21 class 3)."""
    subject = None
    try:
        with ctx.sessions.begin() as db:
            g = db.get(RightGrant, grant_id)
            if g is None:
                raise problem("not_found", f"No grant {grant_id}", "権限付与が見つかりません")
            subject = f"operator:{g.operator.login_id}"
            right_applications.check_not_own(caller.operator_id, g.operator_id)
            if g.revoked_at is None:
                g.revoked_at, g.revoked_by, g.revoke_reason = utcnow(), caller.login_id, req.reason
            audit.append(db, action="rights.revoke", outcome="ok", operator=caller.login_id,
                         device=caller.device_id, subject=subject,
                         detail={"grant_id": g.id, "right": g.right})
            return {"id": g.id, "revoked_at": g.revoked_at.isoformat() + "Z"}
    except Problem as p:
        raise _refused(ctx, caller, "rights.revoke", p, subject, grant_id=grant_id) from None


@router.post("/v1/admin/rollover")
def rollover(req: RolloverRequest, ctx: Ctx,
             caller: Caller = Depends(authenticated("rights.manage"))) -> dict[str, Any]:
    """年度更新: revoke every right still open at the fiscal year end (AUTHZ-8)."""
    with ctx.sessions.begin() as db:
        n = db.execute(update(RightGrant).where(RightGrant.revoked_at.is_(None)).values(
            revoked_at=utcnow(), revoked_by=caller.login_id,
            revoke_reason=f"年度更新 {req.fiscal_year_end.isoformat()}")).rowcount
        audit.append(db, action="rights.rollover", outcome="ok", operator=caller.login_id,
                     device=caller.device_id, detail={"revoked": n})
        return {"revoked": n}


@router.get("/v1/admin/policy/onlooker")
def get_onlooker_policy(ctx: Ctx, caller: Caller = Depends(authenticated("policy.manage"))
                        ) -> dict[str, Any]:
    """The 覗き込み rules terminals get at login (PRIV-1)."""
    with ctx.sessions() as db:
        return policy.onlooker(db, ctx.settings).model_dump()


@router.put("/v1/admin/policy/onlooker")
def put_onlooker_policy(req: policy.OnlookerPolicy, ctx: Ctx,
                        caller: Caller = Depends(authenticated("policy.manage"))
                        ) -> dict[str, Any]:
    """Change the 覗き込み rules; terminals use them from their next login. Audited."""
    with ctx.sessions.begin() as db:
        old, new = policy.set_onlooker(db, req, caller.login_id or "")
        audit.append(db, action="policy.onlooker", outcome="ok", operator=caller.login_id,
                     device=caller.device_id, detail={"old": old, "new": new})
    return new


def _rights_rows(ctx: Context, caller: Caller, action: str) -> list[dict[str, Any]]:
    """Every grant with its status today, the read audited as ``action``."""
    with ctx.sessions.begin() as db:
        rows = review.rights_rows(db, clock.today())
        audit.append(db, action=action, outcome="ok", operator=caller.login_id,
                     device=caller.device_id, detail={"rows": len(rows)})
    return rows


@router.get("/v1/admin/rights")
def list_rights(ctx: Ctx,
                caller: Caller = Depends(authenticated("rights.manage"))) -> dict[str, Any]:
    """Every grant with its status, for the security admin's screen (AUTHZ-9); no My Number."""
    return {"items": _rights_rows(ctx, caller, "rights.list")}


@router.get("/v1/admin/rights.csv")
def export_rights(ctx: Ctx, caller: Caller = Depends(authenticated("rights.manage"))) -> Response:
    """User/right list (CSV) to reconcile with the rights sheet (AUTHZ-9); no My Number."""
    rows = _rights_rows(ctx, caller, "rights.export")
    return Response(review.to_csv(rows, review.RIGHTS_CSV_COLUMNS),
                    media_type="text/csv; charset=utf-8", headers={
                        "Content-Disposition": 'attachment; filename="rights.csv"'})


@router.get("/v1/admin/access-review")
def access_review(ctx: Ctx, caller: Caller = Depends(authenticated("audit.review")),
                  date: dt.date | None = None) -> dict[str, Any]:
    """Daily access review (LOG-10): off-hours reads, 支援措置 subjects, failed logins,
    unusual volume. ``date`` is a JST day, default today."""
    day = date or clock.today()
    with ctx.sessions() as db:
        report = review.access_review(db, day)
    with ctx.sessions.begin() as db:
        audit.append(db, action="audit.review", outcome="ok", operator=caller.login_id,
                     device=caller.device_id, detail={"date": day.isoformat(),
                                                      "findings": len(report["findings"])})
    return report


@router.get("/v1/admin/devices")
def list_devices(ctx: Ctx,
                 caller: Caller = Depends(authenticated("devices.manage"))) -> dict[str, Any]:
    """The device registry (DEV-6): who may connect, of which kind, active or disabled."""
    with ctx.sessions() as db:
        devices = db.scalars(select(Device).order_by(Device.device_id)).all()
    return {"items": [{
        "device_id": d.device_id, "name": d.name, "kind": d.kind, "status": d.status,
        "registered_at": d.registered_at.isoformat() + "Z", "registered_by": d.registered_by,
        "disabled_reason": d.disabled_reason, "loan_approved_by": d.loan_approved_by,
        "loan_approval_ref": d.loan_approval_ref} for d in devices]}


@router.post("/v1/admin/devices", status_code=201)
def register_device(req: DeviceRegistration, ctx: Ctx,
                    caller: Caller = Depends(authenticated("devices.manage"))) -> dict[str, Any]:
    """Register a terminal by its public key; a loan device carries its approval (DEV-4)."""
    try:
        raw = base64.b64decode(req.public_key, validate=True)
        if len(raw) != 32:
            raise ValueError
    except ValueError:
        raise problem("invalid_request", "public_key must be base64 of 32 bytes",
                      "公開鍵の形式が正しくありません", field="public_key") from None
    if (req.loan_approved_by is None) != (req.loan_approval_ref is None) or (
            req.kind == "counter" and req.loan_approved_by) or (
            req.kind == "loan" and not req.loan_approved_by):
        raise problem("invalid_request", "A loan device needs its approval (approver and "
                      "reference), and only loan devices have one (DEV-4)",
                      "貸出端末には所属長の承認（承認者と承認番号）が必要です（貸出端末のみ）",
                      field="loan_approved_by")
    with ctx.sessions.begin() as db:
        if db.scalar(select(Device.id).where(Device.device_id == req.device_id)):
            raise problem("invalid_request", f"Device {req.device_id} already exists",
                          "この端末IDは登録済みです", field="device_id")
        try:
            d = admin.register_device(db, req.device_id, req.name, req.kind, raw,
                                      actor=caller.login_id or "",
                                      loan_approved_by=req.loan_approved_by,
                                      loan_approval_ref=req.loan_approval_ref)
        except ValueError:
            raise problem("invalid_request", "public_key is not an Ed25519 key",
                          "公開鍵の形式が正しくありません", field="public_key") from None
        return {"device_id": d.device_id, "kind": d.kind, "status": d.status}


@router.post("/v1/admin/devices/{device_id}/disable")
def disable_device(device_id: Annotated[str, Path(max_length=40)], req: ReasonRequest, ctx: Ctx,
                   caller: Caller = Depends(authenticated("devices.manage"))) -> dict[str, Any]:
    """Remote disable (DEV-3): the device's next contact answers device_disabled."""
    with ctx.sessions.begin() as db:
        try:
            admin.disable_device(db, device_id, req.reason, by=caller.login_id,
                                 by_device=caller.device_id)
        except ValueError:
            raise problem("not_found", f"No device {device_id}", "端末が見つかりません") from None
        return {"device_id": device_id, "status": "disabled"}
