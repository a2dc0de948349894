"""顔認証 (second factors): the login's face step and the security admin's enrolment of faces.

Owns ``POST /v1/sessions/current/factors/{provider}`` (compare a live capture with the enrolled
template, every attempt audited, AUTH-1/9), ``DELETE /v1/sessions/pending`` (give up a login whose
factors are not done) and ``/v1/admin/operators/{login_id}/biometrics/{provider}`` (GET, PUT,
DELETE: AUTH-5). The rules they share with the login are factors.py's. May touch: factors,
biometrics (the matchers, the template cipher, through the Context), audit, auth.
"""
from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any, Callable

from cryptography.exceptions import InvalidTag
from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit, factors
from ..biometrics import FeatureError
from ..models import BiometricTemplate, Operator, OperatorSession, utcnow
from ..problems import Problem, problem
from ..security import token_hash
from .auth import Caller, authenticated
from .context import Context, Ctx

router = APIRouter()

_Features = Annotated[str, Field(min_length=1, max_length=4096,
                                 description="base64 of the provider's feature vector")]


_Login = Annotated[str, Path(min_length=1, max_length=40)]
_Provider = Annotated[str, Path(max_length=20)]


class FactorRequest(BaseModel):
    """One live capture's features (the face provider: a 128-d float32 embedding), never an image."""

    model_config = ConfigDict(extra="forbid")
    model: Annotated[str, Field(min_length=1, max_length=40)]
    features: _Features


class EnrolRequest(BaseModel):
    """Several captures' features for one operator (enrolment or re-enrolment)."""

    model_config = ConfigDict(extra="forbid")
    model: Annotated[str, Field(min_length=1, max_length=40)]
    captures: Annotated[list[_Features], Field(min_length=1, max_length=20)]


def _matcher(ctx: Context, provider: str):
    m = ctx.matchers.get(provider)
    if m is None:
        raise problem("not_found", f"No biometric provider {provider}",
                      "この生体認証方式には対応していません")
    return m


@router.post("/v1/sessions/current/factors/{provider}", tags=["sessions"])
def verify_factor(provider: _Provider, req: FactorRequest,
                  request: Request, ctx: Ctx,
                  caller: Caller = Depends(authenticated(None))) -> dict[str, Any]:
    """The login's second step: compare a live capture with the operator's enrolled template
    on the server (AUTH-1, bound to the user ID); every attempt audited with the terminal."""
    settings = ctx.settings
    matcher = _matcher(ctx, provider)
    now = utcnow()
    refusal: Problem | None = None
    result: dict[str, Any] | None = None
    login: str | None = None
    detail: dict[str, Any] = {"provider": provider}
    with ctx.sessions.begin() as db:
        sess, refusal = factors.login_session(db, request, caller.device_pk, now)
        if refusal is not None:
            pass
        elif provider not in sess.factors_required or provider in sess.factors_done:
            login = sess.operator.login_id
            refusal = problem("factor_not_pending", f"No {provider} verification is pending",
                              "この認証は求められていません")
        else:
            op = sess.operator
            login = op.login_id
            tpl = factors.enrolled(db, op, provider)
            if op.locked_until and op.locked_until > now:
                sess.ended_at = now
                refusal = problem("account_locked", "Account locked",
                                  "認証の失敗が続いたためロックされています。"
                                  "しばらく待つか管理者に連絡してください")
            elif tpl is None:
                sess.ended_at = now
                refusal = factors.not_enrolled()
            elif req.model != tpl.model:
                refusal = problem("biometric_model_mismatch",
                                  f"Enrolled with {tpl.model}, probe made with {req.model}",
                                  "登録時と異なる認証モデルです。情報主管課に連絡してください")
            else:
                try:
                    probe = matcher.parse(req.features)
                except FeatureError as exc:
                    refusal = problem(exc.code, str(exc), exc.message_ja, field="features")
                else:
                    try:
                        score = matcher.score(ctx.templates.decrypt(tpl.template_enc,
                                                                    op.login_id, provider),
                                              probe)
                    except InvalidTag:  # not this operator's template (moved rows), or
                        score = math.inf  # a wrong data key: never a match
                        detail["template_unreadable"] = True
                    else:
                        detail["score"] = round(score, 3)
                    if matcher.matches(score):
                        op.failed_biometrics = 0
                        sess.factors_done = [*sess.factors_done, provider]
                        minutes = (settings.max_session_minutes
                                   if caller.device_kind == "loan"
                                   else settings.counter_session_minutes)
                        if not set(sess.factors_required) - set(sess.factors_done):
                            # complete: the session's full life; a renewal still pending
                            # keeps the short factor deadline
                            sess.expires_at = sess.created_at + dt.timedelta(minutes=minutes)
                        result = {"verified": provider,
                                  "pending_factors": [f for f in sess.factors_required
                                                      if f not in sess.factors_done],
                                  "expires_at": sess.expires_at.isoformat() + "Z"}
                    else:
                        op.failed_biometrics += 1
                        left = max(0, settings.max_failed_biometrics - op.failed_biometrics)
                        detail["tries_left"] = left
                        if left == 0:
                            op.locked_until = now + dt.timedelta(
                                minutes=settings.lockout_minutes)
                            op.failed_biometrics = 0
                            sess.ended_at = now
                            refusal = problem(
                                "account_locked", "Too many failed verifications; locked",
                                "顔認証の失敗が続いたためアカウントがロックされました。"
                                "しばらく待つか管理者に連絡してください", tries_left=0)
                        else:
                            refusal = problem(
                                "biometric_mismatch", "The face does not match",
                                f"顔認証に失敗しました（あと{left}回）", tries_left=left)
        if refusal is not None:
            detail["code"] = refusal.code
        audit.append(db, action=f"session.factor.{provider}",
                     outcome="denied" if refusal else "ok", operator=login,
                     device=caller.device_id, detail=detail)
    if refusal is not None:
        raise refusal
    return result  # type: ignore[return-value]


@router.delete("/v1/sessions/pending", status_code=204, tags=["sessions"])
def abandon(request: Request, ctx: Ctx, caller: Caller = Depends(authenticated(None))) -> Response:
    """Give up a login whose factors are not done (the clerk cancelled the face step): the
    session ends now instead of at its factor deadline. A complete session is not ended here
    (``DELETE /v1/sessions/current`` is the logout)."""
    auth = request.headers.get("authorization") or ""
    with ctx.sessions.begin() as db:
        sess = None
        if auth.lower().startswith("bearer "):
            sess = db.scalar(select(OperatorSession).where(
                OperatorSession.token_hash == token_hash(auth[7:].strip())))
        if (sess is None or sess.device_pk != caller.device_pk or sess.ended_at is not None
                or not set(sess.factors_required) - set(sess.factors_done)):
            raise problem("session_invalid", "No pending login on this device",
                          "取り消すログインがありません")
        sess.ended_at = utcnow()
        audit.append(db, action="session.abandon", outcome="ok",
                     operator=sess.operator.login_id, device=caller.device_id,
                     detail={"pending_factors": [f for f in sess.factors_required
                                                 if f not in sess.factors_done]})
    return Response(status_code=204)


# --- enrolment by the security admin (AUTH-5) -----------------------------------------------

def _target(db: Session, login_id: str) -> Operator:
    op = db.scalar(select(Operator).where(Operator.login_id == login_id))
    if op is None:
        raise problem("not_found", f"No operator {login_id}", "職員が見つかりません")
    return op


def _status(tpl: BiometricTemplate | None, login_id: str, provider: str) -> dict[str, Any]:
    if tpl is None:
        return {"login_id": login_id, "provider": provider, "enrolled": False}
    return {"login_id": login_id, "provider": provider, "enrolled": True,
            "model": tpl.model, "captures": tpl.captures,
            "enrolled_at": tpl.enrolled_at.isoformat() + "Z", "enrolled_by": tpl.enrolled_by}


def _admin_call(ctx: Context, caller: Caller, action: str, login_id: str,
                work: Callable[[Session], tuple[dict[str, Any], dict[str, Any]]]) -> Any:
    try:
        with ctx.sessions.begin() as db:
            out, detail = work(db)
            audit.append(db, action=action, outcome="ok", operator=caller.login_id,
                         device=caller.device_id, subject=f"operator:{login_id}",
                         detail=detail)
            return out
    except Problem as p:
        with ctx.sessions.begin() as db:
            audit.append(db, action=action, outcome="rejected" if p.status == 422
                         else "denied", operator=caller.login_id, device=caller.device_id,
                         subject=f"operator:{login_id}", detail={"code": p.code})
        raise


@router.get("/v1/admin/operators/{login_id}/biometrics/{provider}", tags=["admin"])
def biometric_status(login_id: _Login, provider: _Provider, ctx: Ctx,
                     caller: Caller = Depends(authenticated("biometrics.manage"))
                     ) -> dict[str, Any]:
    """Whether a template is enrolled, when and by whom (never the template)."""
    _matcher(ctx, provider)
    with ctx.sessions() as db:
        return _status(factors.enrolled(db, _target(db, login_id), provider), login_id, provider)


@router.put("/v1/admin/operators/{login_id}/biometrics/{provider}", tags=["admin"])
def enrol(login_id: _Login, provider: _Provider, req: EnrolRequest, ctx: Ctx,
          caller: Caller = Depends(authenticated("biometrics.manage"))) -> dict[str, Any]:
    """Enrol or re-enrol from several captures' features with quality checks (AUTH-5)."""
    matcher = _matcher(ctx, provider)

    def work(db: Session):
        op = _target(db, login_id)
        if op.login_id == caller.login_id:
            raise problem("forbidden", "Administrators cannot enrol their own biometrics",
                          "自分自身の生体情報は登録できません。別の管理者に依頼してください")
        if req.model != matcher.model:
            raise problem("biometric_model_mismatch", f"Expected model {matcher.model}",
                          "認証モデルが異なります。端末のソフトウェアを確認してください")
        try:
            vectors = [matcher.parse(c) for c in req.captures]
        except FeatureError as exc:
            raise problem(exc.code, str(exc), exc.message_ja, field="captures") from None
        check = matcher.check_enrolment(vectors)
        if not check.ok:
            raise problem(check.code or "enrolment_quality", check.message, check.message_ja,
                          field="captures", quality=check.report())
        blob = ctx.templates.encrypt(matcher.pack(vectors), op.login_id, provider)
        op.failed_biometrics = 0
        tpl, replaced = factors.store(db, op, provider, matcher.model, blob, check.captures,
                                      caller.login_id or "")
        return (dict(_status(tpl, login_id, provider), quality=check.report()),
                {"provider": provider, "re_enrolment": replaced, **check.report()})

    return _admin_call(ctx, caller, "biometrics.enrol", login_id, work)


@router.delete("/v1/admin/operators/{login_id}/biometrics/{provider}", tags=["admin"])
def delete_template(login_id: _Login, provider: _Provider, ctx: Ctx,
                    caller: Caller = Depends(authenticated("biometrics.manage"))
                    ) -> dict[str, Any]:
    """Delete the template (the row is removed, not flagged): the ciphertext is gone."""
    _matcher(ctx, provider)

    def work(db: Session):
        op = _target(db, login_id)
        tpl = factors.enrolled(db, op, provider)
        if tpl is None:
            raise problem("not_found", "No template enrolled", "登録がありません")
        db.delete(tpl)
        return ({"login_id": login_id, "provider": provider, "enrolled": False},
                {"provider": provider})

    return _admin_call(ctx, caller, "biometrics.delete", login_id, work)
