"""パスワードの更新 (password renewal, 001: every six months; AUTH-*).

A password older than ``password_max_age_days`` makes the login's last step a renewal: the session
gets the pending factor ``password_renewal`` and is good for nothing else until the operator sets a
new password here (current one again, a new one of at least ``MIN_LENGTH`` characters that is not
the old one and does not contain the login ID). A complete session may also change its password
(voluntary renewal). Every attempt is audited with the terminal; no password is ever logged.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from pydantic import BaseModel, ConfigDict, Field
from . import audit
from .config import Settings
from .factors import login_session
from .models import utcnow
from .problems import Problem, problem
from .security import hash_password, verify_password

RENEWAL = "password_renewal"
MIN_LENGTH = 12


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    current_password: Annotated[str, Field(min_length=1, max_length=200)]
    new_password: Annotated[str, Field(min_length=1, max_length=200)]


def weakness(login_id: str, current: str, new: str) -> Problem | None:
    """Why ``new`` is not acceptable, or None."""
    if len(new) < MIN_LENGTH:
        return problem("password_too_weak", f"The new password needs {MIN_LENGTH} characters or more",
                       f"新しいパスワードは{MIN_LENGTH}文字以上にしてください", field="new_password")
    if new == current:
        return problem("password_too_weak", "The new password must differ from the current one",
                       "新しいパスワードは現在のものと異なるものにしてください", field="new_password")
    if login_id.lower() in new.lower():
        return problem("password_too_weak", "The new password must not contain the login ID",
                       "新しいパスワードに職員IDを含めないでください", field="new_password")
    if len(set(new)) < 5:
        return problem("password_too_weak", "The new password repeats too few characters",
                       "同じ文字の繰り返しが多すぎます。推測されにくいパスワードにしてください",
                       field="new_password")
    return None


def needs_renewal(changed_at: dt.datetime, now: dt.datetime, settings: Settings) -> bool:
    return (now - changed_at).days > settings.password_max_age_days


def install(app: FastAPI, settings: Settings, sessions: Any,
            authenticated: Callable[[str | None], Callable[..., Any]]) -> None:
    """Add ``POST /v1/sessions/current/password`` to ``app``."""

    @app.post("/v1/sessions/current/password", tags=["sessions"])
    def change_password(req: PasswordChange, request: Request,
                        caller: Any = Depends(authenticated(None))) -> dict[str, Any]:
        """Set a new password: the renewal a login asked for, or a voluntary change."""
        now = utcnow()
        result: dict[str, Any] | None = None
        login: str | None = None
        with sessions.begin() as db:
            sess, refusal = login_session(db, request, caller.device_pk, now)
            pending = ([f for f in sess.factors_required if f not in sess.factors_done]
                       if sess is not None else [])
            if refusal is not None:
                pass
            elif pending and pending != [RENEWAL]:
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
                    refusal = weakness(op.login_id, req.current_password, req.new_password)
                if refusal is None:
                    op.password_hash = hash_password(req.new_password)
                    op.password_changed_at = now
                    if RENEWAL in pending:
                        sess.factors_done = [*sess.factors_done, RENEWAL]
                        minutes = (settings.max_session_minutes if caller.device_kind == "loan"
                                   else settings.counter_session_minutes)
                        sess.expires_at = sess.created_at + dt.timedelta(minutes=minutes)
                    result = {"changed": True, "pending_factors": [],
                              "expires_at": sess.expires_at.isoformat() + "Z"}
            audit.append(db, action="session.password_change",
                         outcome="denied" if refusal else "ok", operator=login,
                         device=caller.device_id,
                         detail={"code": refusal.code} if refusal else
                         {"renewal": RENEWAL in pending})
        if refusal is not None:
            raise refusal
        return result  # type: ignore[return-value]
