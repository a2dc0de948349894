"""ログイン・セッション (sessions): login, logout, 画面ロックの解除 and ``GET /v1/me``.

Owns the first step of the login (ID + password on a registered device, AUTH-*), the session it
opens (its lifetime, the policy the terminal gets, the factors still pending) and the account
lockout after failed passwords. The later steps of a login are the factors and password routers'.
May touch: security (passwords, rights, tokens), factors and password (what a login still needs),
policy, audit, auth and the Context.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .. import audit, clock, factors, password, policy
from ..models import Device, Operator, OperatorSession, utcnow
from ..problems import Problem, problem
from ..rights import actions_for
from ..security import burn_password_time, effective_rights, new_token, token_hash, verify_password
from .auth import Caller, authenticated
from .context import Ctx

router = APIRouter(tags=["sessions"])


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    login_id: Annotated[str, Field(min_length=1, max_length=40)]
    password: Annotated[str, Field(min_length=1, max_length=200)]


class UnlockRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    password: Annotated[str, Field(min_length=1, max_length=200)]


def _login_failed() -> Problem:
    """The one answer to every failed first step: unknown ID, wrong password, locked or disabled
    account (#21 class 2). Which of them it was is in the audit row only, so the answer tells no
    one which login IDs exist or which accounts are locked."""
    return problem("login_failed", "Login failed: check the login ID and password",
                   "ログインできませんでした。職員IDとパスワードをお確かめください。"
                   "失敗が続くと一定時間ロックされます。解除できない場合は管理者に連絡してください")


def _locked() -> Problem:
    """The lock screen's lockout (unlock): the session's own operator, already identified."""
    return problem("account_locked", "Too many failed logins; account locked",
                   "ログインの失敗が続いたためロックされています。"
                   "しばらく待つか管理者に連絡してください")


def _end_session(db: Session, request: Request, now: dt.datetime) -> None:
    """End the session the request's bearer token names."""
    db.execute(update(OperatorSession).where(
        OperatorSession.token_hash == token_hash(
            request.headers["authorization"][7:].strip())).values(ended_at=now))


@router.post("/v1/sessions", status_code=201)
def login(req: LoginRequest, ctx: Ctx, caller: Caller = Depends(authenticated(None))
          ) -> dict[str, Any]:
    """ID + password on a registered device; then the pending factors (face, AUTH-1), see
    factors.py."""
    settings = ctx.settings
    now = utcnow()
    refusal: Problem | None = None
    result: dict[str, Any] | None = None
    with ctx.sessions.begin() as db:
        op = db.scalar(select(Operator).where(Operator.login_id == req.login_id))
        reason: str | None = None  # the true reason of a failure, for the audit row only
        if op is None:
            burn_password_time(req.password)  # the same Argon2 work as a known ID
            reason = "unknown_login_id"
        elif op.locked_until and op.locked_until > now:
            verify_password(op.password_hash, req.password)  # same work; the lock holds
            reason = "account_locked"
        elif op.status != "active":
            verify_password(op.password_hash, req.password)
            reason = "account_disabled"
        elif not verify_password(op.password_hash, req.password):
            op.failed_logins += 1
            if op.failed_logins >= settings.max_failed_logins:
                op.locked_until = now + dt.timedelta(minutes=settings.lockout_minutes)
                op.failed_logins = 0
                reason = "wrong_password_locked"
            else:
                reason = "wrong_password"
        if reason is not None:
            refusal = _login_failed()
        else:
            rights = effective_rights(db, op, clock.today())
            device = db.get(Device, caller.device_pk)
            if device.kind == "loan" and device.loan_approved_at is None:
                refusal = problem("loan_not_approved", "This loan device has no approval "
                                  "record (DEV-4)", "この貸出端末には所属長の承認記録がない"
                                  "ため利用できません。情報主管課に連絡してください")
            elif not rights:
                refusal = problem("no_valid_rights", "The operator holds no valid right today",
                                  "有効な権限がありません（期限切れ・失効・任用期間外）")
            elif (pending := factors.pending_factors(db, op, settings)) is None:
                refusal = factors.not_enrolled()  # face required, none enrolled (AUTH-1)
            else:
                if password.needs_renewal(op.password_changed_at, now, settings):
                    pending = [*pending, password.RENEWAL]  # six months (001): renew first
                op.failed_logins = 0
                minutes = (settings.max_session_minutes if caller.device_kind == "loan"
                           else settings.counter_session_minutes)
                token = new_token()
                # Until the pending factors are done the session is good for nothing else
                # and lives only factor_minutes (factors.py).
                s = OperatorSession(token_hash=token_hash(token), operator_id=op.id,
                                    device_pk=caller.device_pk,
                                    expires_at=now + dt.timedelta(
                                        minutes=settings.factor_minutes if pending
                                        else minutes),
                                    factors_done=["password"],
                                    factors_required=["password", *pending])
                db.add(s)
                device = db.get(Device, caller.device_pk)
                age = (now - op.password_changed_at).days
                result = {
                    "token": token,
                    "expires_at": s.expires_at.isoformat() + "Z",
                    "operator": {"login_id": op.login_id, "display_name": op.display_name},
                    "rights": [{"right": r, "valid_until": u.isoformat()}
                               for r, u in sorted(rights.items())],
                    "actions": actions_for(rights),
                    "policy": {
                        "idle_lock_minutes": settings.idle_lock_minutes,
                        "lock_logout_minutes": settings.lock_logout_minutes,
                        "max_session_minutes": minutes,
                        "onlooker": policy.onlooker(db, settings).model_dump(),
                        "roaming_allowed": device.kind == "loan"
                        and device.loan_approved_at is not None,
                    },
                    "pending_factors": pending,
                    "password_change_required": age > settings.password_max_age_days,
                }
        detail: dict[str, Any] = {"code": refusal.code} if refusal else {}
        if reason is not None:
            detail["reason"] = reason
        if result is not None and result["pending_factors"]:
            detail["pending_factors"] = result["pending_factors"]
        elif result is not None and settings.face_policy != "off":
            detail["face"] = "not_enrolled"  # if_enrolled policy: password only, on record
        if op is None:
            detail["attempted_login_id"] = req.login_id  # brute force shows in the review
        audit.append(db, action="session.login", outcome="ok" if result else "denied",
                     operator=op.login_id if op else None, device=caller.device_id,
                     detail=detail)
    if refusal:
        raise refusal
    return result  # type: ignore[return-value]


@router.delete("/v1/sessions/current", status_code=204)
def logout(request: Request, ctx: Ctx,
           caller: Caller = Depends(authenticated("changes.read"))) -> Response:
    with ctx.sessions.begin() as db:
        _end_session(db, request, utcnow())
        audit.append(db, action="session.logout", outcome="ok", operator=caller.login_id,
                     device=caller.device_id)
    return Response(status_code=204)


@router.post("/v1/sessions/current/unlock")
def unlock(req: UnlockRequest, request: Request, ctx: Ctx,
           caller: Caller = Depends(authenticated("changes.read"))) -> dict[str, Any]:
    """画面ロックの解除: the session's own operator re-enters the password (AUTH-7).

    Only the operator who opened the session can unlock it; failures count towards the
    account lockout, and a lockout ends the session.
    """
    settings = ctx.settings
    now = utcnow()
    refusal: Problem | None = None
    with ctx.sessions.begin() as db:
        op = db.get(Operator, caller.operator_id)
        if op.locked_until and op.locked_until > now:
            refusal = _locked()
        elif not verify_password(op.password_hash, req.password):
            op.failed_logins += 1
            refusal = problem("unlock_failed", "Wrong password",
                              "パスワードが違います")
            if op.failed_logins >= settings.max_failed_logins:
                op.locked_until = now + dt.timedelta(minutes=settings.lockout_minutes)
                op.failed_logins = 0
                refusal = _locked()
        else:
            op.failed_logins = 0
        if refusal is not None and refusal.code == "account_locked":
            _end_session(db, request, now)
        audit.append(db, action="session.unlock", outcome="denied" if refusal else "ok",
                     operator=caller.login_id, device=caller.device_id,
                     detail={"code": refusal.code} if refusal else {})
    if refusal:
        raise refusal
    return {"unlocked": True}


@router.get("/v1/me")
def me(caller: Caller = Depends(authenticated("changes.read"))) -> dict[str, Any]:
    return {"login_id": caller.login_id, "device_id": caller.device_id,
            "rights": [{"right": r, "valid_until": u.isoformat()}
                       for r, u in sorted((caller.rights or {}).items())],
            "actions": actions_for(caller.rights or {})}
