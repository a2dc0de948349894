"""パスワードの更新 (password renewal): ``POST /v1/sessions/current/password``.

Owns the change of an operator's password by the operator: the renewal a login asked for (the
pending factor ``password_renewal``) or a voluntary one, every attempt audited with the terminal.
The rules (strength, age) are password.py's. May touch: password, factors (the login's session),
security (password hashes), audit, auth and the Context.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from .. import audit, factors, password
from ..models import utcnow
from ..problems import problem
from ..security import hash_password, verify_password
from .auth import Caller, authenticated
from .context import Ctx

router = APIRouter(tags=["sessions"])


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    current_password: Annotated[str, Field(min_length=1, max_length=200)]
    new_password: Annotated[str, Field(min_length=1, max_length=200)]


@router.post("/v1/sessions/current/password")
def change_password(req: PasswordChange, request: Request, ctx: Ctx,
                    caller: Caller = Depends(authenticated(None))) -> dict[str, Any]:
    """Set a new password: the renewal a login asked for, or a voluntary change."""
    settings = ctx.settings
    now = utcnow()
    result: dict[str, Any] | None = None
    login: str | None = None
    with ctx.sessions.begin() as db:
        sess, refusal = factors.login_session(db, request, caller.device_pk, now)
        pending = ([f for f in sess.factors_required if f not in sess.factors_done]
                   if sess is not None else [])
        if refusal is not None:
            pass
        elif pending and pending != [password.RENEWAL]:
            login = sess.operator.login_id
            refusal = problem("session_invalid", "Authentication is not complete",
                              "本人認証が完了していません")
        else:
            op = sess.operator
            login = op.login_id
            if not verify_password(op.password_hash, req.current_password):
                refusal = problem("login_failed", "The current password is wrong",
                                  "現在のパスワードが違います", field="current_password")
            else:
                refusal = password.weakness(op.login_id, req.current_password,
                                            req.new_password)
            if refusal is None:
                op.password_hash = hash_password(req.new_password)
                op.password_changed_at = now
                if password.RENEWAL in pending:
                    sess.factors_done = [*sess.factors_done, password.RENEWAL]
                    minutes = (settings.max_session_minutes if caller.device_kind == "loan"
                               else settings.counter_session_minutes)
                    sess.expires_at = sess.created_at + dt.timedelta(minutes=minutes)
                result = {"changed": True, "pending_factors": [],
                          "expires_at": sess.expires_at.isoformat() + "Z"}
        audit.append(db, action="session.password_change",
                     outcome="denied" if refusal else "ok", operator=login,
                     device=caller.device_id,
                     detail={"code": refusal.code} if refusal else
                     {"renewal": password.RENEWAL in pending})
    if refusal is not None:
        raise refusal
    return result  # type: ignore[return-value]
