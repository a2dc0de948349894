"""Second factors of the login and the security admin's enrolment API (AUTH-1/2/5/9).

Login is two steps. ``POST /v1/sessions`` checks ID + password; when the policy asks for a face and
the operator has a template it answers ``pending_factors: ["face"]`` and a session that nothing but
``POST /v1/sessions/current/factors/face`` accepts (``resolve_session`` refuses incomplete
sessions) and that expires after ``factor_minutes``. The factor route compares the probe with the
decrypted template here, records the attempt with the terminal whatever its outcome (K-AUTH-9),
and after ``max_failed_biometrics`` failures in a row locks the account and ends the session.

Operators without a template: ``face_policy = "required"`` (the default) refuses their login with
``biometric_not_enrolled``; ``"if_enrolled"`` (the demo) lets them in with the password and audits
that no face was checked; ``"off"`` asks no face at all.

Enrolment (``/v1/admin/operators/{login_id}/biometrics/{provider}``): PUT enrols or re-enrols from
several captures' features (never an image), GET tells whether one is enrolled, DELETE removes it.
Only the security admin (``biometrics.manage``), never for their own account. No response and no
audit row ever holds a template or an embedding.
"""
from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any, Callable

from cryptography.exceptions import InvalidTag
from fastapi import Depends, FastAPI, Path, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit
from .biometrics import FACE, FeatureError, TemplateCipher, matchers
from .config import Settings
from .models import BiometricTemplate, Operator, OperatorSession, utcnow
from .problems import Problem, problem
from .security import token_hash

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


def _template(db: Session, op: Operator, provider: str) -> BiometricTemplate | None:
    return db.scalar(select(BiometricTemplate).where(BiometricTemplate.operator_id == op.id,
                                                     BiometricTemplate.provider == provider))


def pending_factors(db: Session, op: Operator, settings: Settings) -> list[str] | None:
    """Factors the login still needs after the password, or None when policy refuses the login."""
    if settings.face_policy == "off":
        return []
    if _template(db, op, FACE) is not None:
        return [FACE]
    return None if settings.face_policy == "required" else []


def login_session(db: Session, request: Request, device_pk: int, now: dt.datetime
                  ) -> tuple[OperatorSession | None, Problem | None]:
    """The session a login step (a factor, a password renewal) is for, found by its bearer token
    whether or not its steps are done; or the problem that makes it unusable from this device."""
    auth = request.headers.get("authorization") or ""
    sess = None
    if auth.lower().startswith("bearer "):
        sess = db.scalar(select(OperatorSession).where(
            OperatorSession.token_hash == token_hash(auth[7:].strip())))
    if sess is None or sess.ended_at is not None or sess.expires_at <= now:
        return None, problem("session_invalid", "Session is invalid or has expired",
                             "ログインの有効期限が切れました。もう一度ログインしてください")
    if sess.device_pk != device_pk:
        return None, problem("session_wrong_device", "The session was opened on another device",
                             "このセッションは別の端末で開始されました")
    return sess, None


def not_enrolled() -> Problem:
    return problem("biometric_not_enrolled", "No face is enrolled for this operator",
                   "顔認証の登録がありません。情報主管課に顔の登録を依頼してください")


def install(app: FastAPI, settings: Settings, sessions: Any,
            authenticated: Callable[[str | None], Callable[..., Any]]) -> None:
    """Add the factor and enrolment routes to ``app`` (called by ``api.create_app``)."""
    cipher = TemplateCipher.from_master(settings.data_key)
    by_provider = matchers(settings.face_threshold)

    def _matcher(provider: str):
        m = by_provider.get(provider)
        if m is None:
            raise problem("not_found", f"No biometric provider {provider}",
                          "この生体認証方式には対応していません")
        return m

    @app.post("/v1/sessions/current/factors/{provider}", tags=["sessions"])
    def verify_factor(provider: _Provider, req: FactorRequest,
                      request: Request,
                      caller: Any = Depends(authenticated(None))) -> dict[str, Any]:
        """The login's second step: compare a live capture with the operator's enrolled template
        on the server (AUTH-1, bound to the user ID); every attempt audited with the terminal."""
        matcher = _matcher(provider)
        now = utcnow()
        refusal: Problem | None = None
        result: dict[str, Any] | None = None
        login: str | None = None
        detail: dict[str, Any] = {"provider": provider}
        with sessions.begin() as db:
            sess, refusal = login_session(db, request, caller.device_pk, now)
            if refusal is not None:
                pass
            elif provider not in sess.factors_required or provider in sess.factors_done:
                login = sess.operator.login_id
                refusal = problem("factor_not_pending", f"No {provider} verification is pending",
                                  "この認証は求められていません")
            else:
                op = sess.operator
                login = op.login_id
                tpl = _template(db, op, provider)
                if op.locked_until and op.locked_until > now:
                    sess.ended_at = now
                    refusal = problem("account_locked", "Account locked",
                                      "認証の失敗が続いたためロックされています。"
                                      "しばらく待つか管理者に連絡してください")
                elif tpl is None:
                    sess.ended_at = now
                    refusal = not_enrolled()
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
                            score = matcher.score(cipher.decrypt(tpl.template_enc, op.login_id,
                                                                 provider), probe)
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

    @app.delete("/v1/sessions/pending", status_code=204, tags=["sessions"])
    def abandon(request: Request, caller: Any = Depends(authenticated(None))) -> Response:
        """Give up a login whose factors are not done (the clerk cancelled the face step): the
        session ends now instead of at its factor deadline. A complete session is not ended here
        (``DELETE /v1/sessions/current`` is the logout)."""
        auth = request.headers.get("authorization") or ""
        with sessions.begin() as db:
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

    def _admin_call(caller: Any, action: str, login_id: str,
                    work: Callable[[Session], tuple[dict[str, Any], dict[str, Any]]]) -> Any:
        try:
            with sessions.begin() as db:
                out, detail = work(db)
                audit.append(db, action=action, outcome="ok", operator=caller.login_id,
                             device=caller.device_id, subject=f"operator:{login_id}",
                             detail=detail)
                return out
        except Problem as p:
            with sessions.begin() as db:
                audit.append(db, action=action, outcome="rejected" if p.status == 422
                             else "denied", operator=caller.login_id, device=caller.device_id,
                             subject=f"operator:{login_id}", detail={"code": p.code})
            raise

    @app.get("/v1/admin/operators/{login_id}/biometrics/{provider}", tags=["admin"])
    def biometric_status(login_id: _Login, provider: _Provider,
                         caller: Any = Depends(authenticated("biometrics.manage"))
                         ) -> dict[str, Any]:
        """Whether a template is enrolled, when and by whom (never the template)."""
        _matcher(provider)
        with sessions() as db:
            return _status(_template(db, _target(db, login_id), provider), login_id, provider)

    @app.put("/v1/admin/operators/{login_id}/biometrics/{provider}", tags=["admin"])
    def enrol(login_id: _Login, provider: _Provider, req: EnrolRequest,
              caller: Any = Depends(authenticated("biometrics.manage"))) -> dict[str, Any]:
        """Enrol or re-enrol from several captures' features with quality checks (AUTH-5)."""
        matcher = _matcher(provider)

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
            blob = cipher.encrypt(matcher.pack(vectors), op.login_id, provider)
            tpl = _template(db, op, provider)
            replaced = tpl is not None
            if tpl is None:
                tpl = BiometricTemplate(operator_id=op.id, provider=provider)
                db.add(tpl)
            tpl.model, tpl.template_enc, tpl.captures = matcher.model, blob, check.captures
            tpl.enrolled_at, tpl.enrolled_by = utcnow(), caller.login_id or ""
            op.failed_biometrics = 0
            db.flush()
            return (dict(_status(tpl, login_id, provider), quality=check.report()),
                    {"provider": provider, "re_enrolment": replaced, **check.report()})

        return _admin_call(caller, "biometrics.enrol", login_id, work)

    @app.delete("/v1/admin/operators/{login_id}/biometrics/{provider}", tags=["admin"])
    def delete_template(login_id: _Login, provider: _Provider,
                        caller: Any = Depends(authenticated("biometrics.manage"))
                        ) -> dict[str, Any]:
        """Delete the template (the row is removed, not flagged): the ciphertext is gone."""
        _matcher(provider)

        def work(db: Session):
            op = _target(db, login_id)
            tpl = _template(db, op, provider)
            if tpl is None:
                raise problem("not_found", "No template enrolled", "登録がありません")
            db.delete(tpl)
            return ({"login_id": login_id, "provider": provider, "enrolled": False},
                    {"provider": provider})

        return _admin_call(caller, "biometrics.delete", login_id, work)


def enrol_direct(db: Session, settings: Settings, login_id: str, captures: list[str], *,
                 actor: str) -> dict[str, Any]:
    """Enrol a face from the command line (the demo bootstrap): the same checks as the API."""
    matcher = matchers(settings.face_threshold)[FACE]
    op = db.scalar(select(Operator).where(Operator.login_id == login_id))
    if op is None:
        raise ValueError(f"no operator {login_id!r}")
    vectors = [matcher.parse(c) for c in captures]
    check = matcher.check_enrolment(vectors)
    if not check.ok:
        raise ValueError(check.message)
    blob = TemplateCipher.from_master(settings.data_key).encrypt(matcher.pack(vectors),
                                                                 op.login_id, FACE)
    tpl = _template(db, op, FACE)
    if tpl is None:
        tpl = BiometricTemplate(operator_id=op.id, provider=FACE)
        db.add(tpl)
    tpl.model, tpl.template_enc, tpl.captures = matcher.model, blob, check.captures
    tpl.enrolled_at, tpl.enrolled_by = utcnow(), actor
    db.flush()
    audit.append(db, action="biometrics.enrol", outcome="ok", operator=actor, device=None,
                 subject=f"operator:{login_id}", detail={"provider": FACE, **check.report()})
    return check.report()
