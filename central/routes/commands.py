"""異動届 (commands): ``POST /v1/commands/idou`` and the outbox's ``POST /v1/commands/batch``.

Owns applying a 届出 as the register's change: its 本人確認 (checked when it is submitted), the
record's new version and 異動履歴, the audit row and the change-feed entry (``apply_idou``, which
the 審査 approval uses too, cases.py). Each command is idempotent by its Idempotency-Key
(idempotency.py); a batch applies each exactly as if it were posted alone. May touch: idou,
audit, idempotency, auth and the Context; household for a 世帯の届出.
"""
from __future__ import annotations

import dataclasses

import hashlib
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from .. import audit, clock, household, idou
from ..problems import Problem, invalid_request
from ..rights import MY_NUMBER_ACCESS
from . import idempotency
from .auth import Caller, authenticated
from .context import Context, Ctx
from .idempotency import IdempotencyKey, audit_subject, idempotent

router = APIRouter(tags=["commands"])

command_adapter = TypeAdapter(idou.IdouCommand)


class BatchItem(BaseModel):
    """One queued command: its Idempotency-Key, where it would be posted, and its exact JSON text
    (hashed as sent, so a batch and a single post of the same command are the same request)."""

    model_config = ConfigDict(extra="forbid")
    key: Annotated[str, Field(min_length=1, max_length=64)]
    path: Literal["/v1/commands/idou"]
    body: Annotated[str, Field(min_length=2, max_length=20000)]


class CommandBatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    commands: Annotated[list[BatchItem], Field(min_length=1, max_length=100)]


def check_identity(db: Session, cmd: Any, operator: str, device: str) -> None:
    """The 本人確認 the 届出 names, if any, checked when the 届出 is submitted — applied at
    once, in a batch or for 審査 — and never again on approval, which may come on a later
    day and re-applies what was checked then."""
    if cmd.identity_check_seq is not None:
        idou.identity_check(db, cmd.identity_check_seq, operator=operator, device=device,
                            today=clock.today())


def apply_idou(ctx: Context, db: Session, cmd: Any, key: str, operator: str, device: str,
               extra: dict[str, Any] | None = None,
               my_number_access: bool = True) -> dict[str, Any]:
    """Apply ``cmd`` (checked) with its audit row and change-feed entry; the command's answer.
    ``my_number_access``: the sender's 特定個人情報アクセス権限 (idou.apply)."""
    applied = apply_checked(ctx, db, cmd, key, operator, device, my_number_access)
    members = []
    for r, h in applied:  # one audit row and one change-feed entry per person changed
        if extra:  # applied from a 審査 case: the 異動リスト names its approver (K-DQ-6)
            h.case_id, h.approved_by = extra.get("case_id"), extra.get("approved_by")
        audit.append(db, action=f"idou.{h.kind}", outcome="ok", operator=operator,
                     device=device, subject=f"resident:{r.id}", purpose="idou",
                     detail={"command_id": key, "identity_check": cmd.identity_check_seq,
                             **({"todoke": "setai"} if cmd.kind == "setai" else {}),
                             **(extra or {})})
        audit.record_change(db, entity="resident", entity_id=r.id, version=r.version,
                            op=h.kind, command_id=key)
        members.append({"resident_id": r.id, "kind": h.kind, "reason": h.reason,
                        "version": r.version, "history_id": h.id})
    r, h = applied[0]
    out = {"result": "applied", "command_id": key, "kind": cmd.kind, "resident_id": r.id,
           "version": r.version, "history_id": h.id}
    if cmd.kind == "setai":
        out["members"] = members
    return out


def apply_checked(ctx: Context, db: Session, cmd: Any, key: str, operator: str, device: str,
                  my_number_access: bool) -> list[tuple[Any, Any]]:
    """Check and apply ``cmd`` in ``db``'s transaction: (resident, 異動履歴) of each person it
    changed — one for the single-person commands, every member for a 世帯の届出 (household.py)."""
    if cmd.kind == "setai":
        return household.apply(db, ctx.cipher, cmd, today=clock.today(), operator=operator,
                               device=device, command_id=key, my_number_access=my_number_access,
                               head_age=ctx.settings.head_succession_age)
    return [idou.apply(db, ctx.cipher, cmd, today=clock.today(), operator=operator,
                       device=device, command_id=key, my_number_access=my_number_access)]


def _apply_submitted(ctx: Context, db: Session, cmd: Any, key: str,
                     caller: Caller) -> dict[str, Any]:
    """A 届出 applied as the caller sent it (alone or in a batch): its 本人確認, then apply."""
    check_identity(db, cmd, caller.login_id or "", caller.device_id)
    return apply_idou(ctx, db, cmd, key, caller.login_id or "", caller.device_id,
                      my_number_access=MY_NUMBER_ACCESS in (caller.rights or {}))


def subject_of(cmd: Any) -> str | None:
    """The audit subject of a 届出: the residents it changes, if it names them."""
    if cmd.kind == "setai":
        ids = [m.resident_id for m in cmd.members if m.resident_id]
        return ",".join(f"resident:{i}" for i in ids) or None
    rid = getattr(cmd, "resident_id", None)
    return f"resident:{rid}" if rid else None


@router.post("/v1/commands/idou", status_code=201)
def submit_idou(cmd: Annotated[idou.IdouCommand, Body()], ctx: Ctx,
                caller: Caller = Depends(authenticated("idou.submit")),
                idempotency_key: IdempotencyKey = None) -> Any:
    """Apply one 異動届 after the logical checks. Idempotent by (device, Idempotency-Key)."""
    return idempotent(ctx, caller, idempotency_key, f"idou.{cmd.kind}", subject_of(cmd),
                      lambda db, key: _apply_submitted(ctx, db, cmd, key, caller))


SINGLE_ROUTE = "POST /v1/commands/idou"


def _batch_item(ctx: Context, db: Session, item: BatchItem, caller: Caller) -> dict[str, Any]:
    """One command of a batch, as if posted alone: its result, stored under its key."""
    # Scoped as if posted alone to POST /v1/commands/idou (#21 class 4): a batch and a single
    # post of the same command are one request for the key.
    caller = dataclasses.replace(caller, route=SINGLE_ROUTE)
    body = item.body.encode("utf-8")
    digest = hashlib.sha256(body).hexdigest()
    try:
        key = idempotency.command_key(item.key)
    except Problem as p:
        return {"key": item.key, "status": p.status, "body": p.body()}
    rec = idempotency.find(db, caller, key)
    if rec is not None:
        if not idempotency.same_request(rec, caller, digest):
            p = idempotency.reused()
            audit.append(db, action="idou.batch", outcome="rejected", operator=caller.login_id,
                         device=caller.device_id, purpose="idou",
                         detail={"command_id": key, "code": p.code})
            return {"key": key, "status": p.status, "body": p.body()}
        return {"key": key, "status": rec.status_code, "body": rec.response, "replayed": True}
    try:
        cmd = command_adapter.validate_json(body)
    except ValidationError as exc:  # its locations and messages, never the values (#21 class 10)
        p = invalid_request(exc.errors(include_url=False, include_input=False,
                                       include_context=False),
                            skip_source=False, what="invalid command: ")
        return {"key": key, "status": p.status, "body": p.body()}
    subject = subject_of(cmd)
    try:
        with db.begin_nested():
            result = _apply_submitted(ctx, db, cmd, key, caller)
        status, stored = 201, result
    except StaleDataError:
        p = idempotency.version_conflict()
        status, stored = p.status, p.body()
    except Problem as refused:
        status, stored = refused.status, refused.body()
        subject = audit_subject(refused, subject)
    if status >= 400:
        audit.append(db, action=f"idou.{cmd.kind}", outcome="rejected",
                     operator=caller.login_id, device=caller.device_id,
                     subject=subject, purpose="idou",
                     detail={"command_id": key, "code": stored.get("code")})
    idempotency.remember(db, caller, key, digest, status, stored)
    db.flush()
    return {"key": key, "status": status, "body": stored}


@router.post("/v1/commands/batch")
def submit_batch(batch: CommandBatch, ctx: Ctx,
                 caller: Caller = Depends(authenticated("idou.submit"))) -> dict[str, Any]:
    """An outbox drained in one round trip: the commands in order, each exactly as if posted
    alone (same idempotency, same checks, rejections stored and never blocking the rest),
    applied in one transaction with a savepoint per command."""
    with ctx.sessions.begin() as db:
        results = [_batch_item(ctx, db, item, caller) for item in batch.commands]
    return {"results": results}
