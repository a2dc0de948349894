"""Second factors of the login and the enrolment of templates (AUTH-1/2/5/9): the rules.

Login is two steps. ``POST /v1/sessions`` checks ID + password; when the policy asks for a face and
the operator has a template it answers ``pending_factors: ["face"]`` and a session that nothing but
``POST /v1/sessions/current/factors/face`` accepts (``resolve_session`` refuses incomplete
sessions) and that expires after ``factor_minutes``. The factor route compares the probe with the
decrypted template, records the attempt with the terminal whatever its outcome (K-AUTH-9), and
after ``max_failed_biometrics`` failures in a row locks the account and ends the session.

Operators without a template: ``face_policy = "required"`` (the default) refuses their login with
``biometric_not_enrolled``; ``"if_enrolled"`` (the demo) lets them in with the password and audits
that no face was checked; ``"off"`` asks no face at all.

Enrolment (``/v1/admin/operators/{login_id}/biometrics/{provider}``): PUT enrols or re-enrols from
several captures' features (never an image), GET tells whether one is enrolled, DELETE removes it.
Only the security admin (``biometrics.manage``), never for their own account. No response and no
audit row ever holds a template or an embedding.

The routes are routes/factors.py; here are what they and the login share (the pending factors, the
login's session, the template store) and the command line's enrolment (``enrol_direct``).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit
from .biometrics import FACE, TemplateCipher, matchers
from .config import Settings
from .models import BiometricTemplate, Operator, OperatorSession, utcnow
from .problems import Problem, problem
from .security import token_hash


def enrolled(db: Session, op: Operator, provider: str) -> BiometricTemplate | None:
    """The operator's template for ``provider``, if one is enrolled."""
    return db.scalar(select(BiometricTemplate).where(BiometricTemplate.operator_id == op.id,
                                                     BiometricTemplate.provider == provider))


def pending_factors(db: Session, op: Operator, settings: Settings) -> list[str] | None:
    """Factors the login still needs after the password, or None when policy refuses the login."""
    if settings.face_policy == "off":
        return []
    if enrolled(db, op, FACE) is not None:
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


def store(db: Session, op: Operator, provider: str, model: str, blob: bytes, captures: int,
          actor: str) -> tuple[BiometricTemplate, bool]:
    """Enrol (or re-enrol: True) the encrypted template ``blob``; flushed."""
    tpl = enrolled(db, op, provider)
    replaced = tpl is not None
    if tpl is None:
        tpl = BiometricTemplate(operator_id=op.id, provider=provider)
        db.add(tpl)
    tpl.model, tpl.template_enc, tpl.captures = model, blob, captures
    tpl.enrolled_at, tpl.enrolled_by = utcnow(), actor
    db.flush()
    return tpl, replaced


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
    store(db, op, FACE, matcher.model, blob, check.captures, actor)
    audit.append(db, action="biometrics.enrol", outcome="ok", operator=actor, device=None,
                 subject=f"operator:{login_id}", detail={"provider": FACE, **check.report()})
    return check.report()
