"""冪等性 (idempotency) of the commands: a command runs at most once per Idempotency-Key.

Owns the ``Idempotency-Key`` header (``IdempotencyKey``), what a key is scoped to (``find`` and
``remember``: today the device and the key, compared with the SHA-256 of the body), the replay of a
stored answer and ``idempotent``, which runs a route's effect and stores its answer (or its
refusal) in the same transaction. Every command route (異動届, 審査, 交付, 支援措置, 税) and the
outbox batch go through these functions, so a change to the key's scope is made here once. Owns
no routes; may touch the IdempotencyRecord table, audit and the Context.
"""
from __future__ import annotations

import uuid
from typing import Annotated, Any, Callable

from fastapi import Header
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from .. import audit
from ..models import IdempotencyRecord
from ..problems import Problem, problem
from .auth import Caller
from .context import Context

IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=64)]


def command_key(raw: str) -> str:
    """The key in its canonical form (a UUID), or the idempotency_key_invalid problem."""
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        raise problem("idempotency_key_invalid", "Idempotency-Key must be a UUID",
                      "冪等キーはUUIDで指定してください") from None


def reused() -> Problem:
    return problem("idempotency_key_reused", "This Idempotency-Key was used with a "
                   "different request (operator, route or body)", "同じ冪等キーで異なる内容が送信されました。"
                   "新しい届出として入力し直してください")


def version_conflict() -> Problem:
    return problem("version_conflict", "Record changed while the command was applied",
                   "入力後に記録が更新されています。最新の記録を確認してください")


def find(db: Session, caller: Caller, key: str) -> IdempotencyRecord | None:
    """The answer stored for ``key`` from the caller's device, if any."""
    return db.get(IdempotencyRecord, (caller.device_pk, key))


def remember(db: Session, caller: Caller, key: str, request_hash: str, status: int,
             response: dict[str, Any]) -> None:
    """Store the answer to ``key`` (in the transaction that made it)."""
    db.add(IdempotencyRecord(device_pk=caller.device_pk, key=key, request_hash=request_hash,
                             operator_login=caller.login_id or "", route=caller.route,
                             status_code=status, response=response))


def same_request(rec: IdempotencyRecord, caller: Caller, request_hash: str) -> bool:
    """True only for the operator, route and body that made the stored answer (#21 class 4)."""
    return (rec.request_hash == request_hash and rec.operator_login == (caller.login_id or "")
            and rec.route == caller.route)


def replay(rec: IdempotencyRecord, caller: Caller, ctx: Context | None = None,
           action: str = "idempotency", purpose: str = "idou") -> JSONResponse:
    """The stored answer again, if the request is the one that made it; any other reuse is
    refused (422) and audited, with nothing of the stored answer."""
    if not same_request(rec, caller, caller.body_sha256):
        p = reused()
        if ctx is not None:
            with ctx.sessions.begin() as db:
                audit.append(db, action=action, outcome="rejected", operator=caller.login_id,
                             device=caller.device_id, purpose=purpose,
                             detail={"command_id": rec.key, "code": p.code})
        raise p
    media = "application/problem+json" if rec.status_code >= 400 else "application/json"
    return JSONResponse(rec.response, status_code=rec.status_code, media_type=media,
                        headers={"Idempotent-Replayed": "true"})


def audit_subject(p: Problem, default: str | None) -> str | None:
    """Who a refusal concerns, for its audit row: the person a refusal looked up for the audit
    only (``Problem.audit_subject``, never in the body, #21 class 2), else ``default``."""
    return getattr(p, "audit_subject", None) or default


def _stored(ctx: Context, caller: Caller, key: str) -> IdempotencyRecord | None:
    with ctx.sessions.begin() as db:
        return find(db, caller, key)


def idempotent(ctx: Context, caller: Caller, idempotency_key: str | None, action: str,
               subject: str | None, effect: Callable[[Session, str], dict[str, Any]],
               status: int = 201, purpose: str = "idou") -> Any:
    """Run ``effect`` at most once per (device, Idempotency-Key) and store its answer.

    The effect and the stored answer commit together; a refusal (a Problem, or a version
    conflict) is stored as the answer too, so a replay gets exactly what the first call got.
    """
    if not idempotency_key:
        raise problem("idempotency_key_required", "Commands need an Idempotency-Key header",
                      "冪等キー（Idempotency-Key）がありません")
    key = command_key(idempotency_key)
    rec = _stored(ctx, caller, key)
    if rec is not None:
        return replay(rec, caller, ctx, action, purpose)
    try:
        with ctx.sessions.begin() as db:
            result = effect(db, key)
            remember(db, caller, key, caller.body_sha256, status, result)
        return JSONResponse(result, status_code=status)
    except StaleDataError:
        p = version_conflict()
    except Problem as refused:
        p = refused
    except IntegrityError:
        rec = _stored(ctx, caller, key)
        if rec is None:
            raise
        return replay(rec, caller, ctx, action, purpose)
    try:
        with ctx.sessions.begin() as db:
            remember(db, caller, key, caller.body_sha256, p.status, p.body())
            audit.append(db, action=action, outcome="rejected", operator=caller.login_id,
                         device=caller.device_id, subject=audit_subject(p, subject),
                         purpose=purpose,
                         detail={"command_id": key, "code": p.code})
    except IntegrityError:
        rec = _stored(ctx, caller, key)
        if rec is not None:
            return replay(rec, caller, ctx, action, purpose)
        raise
    raise p
