"""監査 (audit): ``GET /v1/audit/verify`` and ``POST /v1/terminal-events``.

Owns the check of the audit log's hash chain on request (the first broken row named) and the
rows of what a terminal observed itself (覗き込み, 離席, a camera fault: PRIV-1; never an image).
Every other route writes its own audit rows; the daily access review is the admin router's. May
touch: audit, auth and the Context.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, ConfigDict, Field

from .. import audit, checkpoint
from ..problems import problem
from .auth import Caller, authenticated
from .context import Ctx

router = APIRouter(tags=["audit"])


class TerminalEvent(BaseModel):
    """An event the terminal observed itself (覗き込み, 離席, camera fault): never an image."""

    model_config = ConfigDict(extra="forbid")
    event: Literal["privacy_shield", "presence_lock", "camera_fault"]
    reason: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z_]+$")]
    started_at: dt.datetime
    duration_ms: Annotated[int, Field(ge=0, le=7 * 24 * 3600 * 1000)]


@router.get("/v1/audit/verify")
def verify_audit(ctx: Ctx,
                 caller: Caller = Depends(authenticated("audit.verify"))) -> dict[str, Any]:
    """Walk the hash chain and name the first broken row, then hold it against the signed
    checkpoints of its head (a cut-off or rewritten tail, #21); ``anchored`` says whether the
    server has a checkpoint store at all."""
    settings = ctx.settings
    anchored = bool(settings.audit_checkpoints and settings.audit_key_pem)
    findings: list[checkpoint.Finding] = []
    with ctx.sessions() as db:
        report = audit.verify_chain(db)
        if report.ok and anchored:
            cps, bad = checkpoint.CheckpointStore(settings.audit_checkpoints).read()
            public = checkpoint.load_private_key(settings.audit_key_pem).public_key()
            findings = checkpoint.verify(db, cps, public) + [
                checkpoint.Finding("unreadable", line) for line in bad]
    ok = report.ok and not findings
    first = report.first_broken_seq if not report.ok else (findings[0].first_seq if findings
                                                          else None)
    reason = report.reason if not report.ok else (findings[0].message if findings else None)
    with ctx.sessions.begin() as db:
        audit.append(db, action="audit.verify", outcome="ok", operator=caller.login_id,
                     device=caller.device_id, detail={"chain_ok": ok, "anchored": anchored})
    return {"ok": ok, "rows_checked": report.rows_checked, "first_broken_seq": first,
            "reason": reason, "anchored": anchored,
            "findings": [{"kind": f.kind, "first_seq": f.first_seq, "last_seq": f.last_seq,
                          "message": f.message} for f in findings]}


@router.get("/v1/audit/proof/{seq}")
def prove_audit_row(ctx: Ctx, seq: Annotated[int, Path(ge=1, le=2**62)],
                    caller: Caller = Depends(authenticated("audit.verify"))) -> dict[str, Any]:
    """An inclusion proof of one audit row in the latest signed checkpoint (RFC 9162): the row,
    its hashes, the checkpoint and the audit path, which an auditor checks with the public key
    alone (``madoguchi-central audit-check-proof``)."""
    settings = ctx.settings
    why = None
    if not (settings.audit_checkpoints and settings.audit_key_pem):
        why = ("the audit log is not anchored: no checkpoint store is configured",
               "チェックポイントが設定されていないため、証明を作成できません")
    else:
        cps, _ = checkpoint.CheckpointStore(settings.audit_checkpoints).read()
        public = checkpoint.load_private_key(settings.audit_key_pem).public_key()
        try:
            with ctx.sessions() as db:
                doc = checkpoint.prove_row(db, seq, cps, public)
        except ValueError as exc:
            why = (str(exc), "この行はまだ署名付きチェックポイントに含まれていないか、"
                   "ログがチェックポイントと一致しません")
    with ctx.sessions.begin() as db:
        audit.append(db, action="audit.proof", outcome="denied" if why else "ok",
                     operator=caller.login_id, device=caller.device_id, subject=f"audit:{seq}")
    if why:
        raise problem("audit_proof_unavailable", *why)
    return doc


@router.post("/v1/terminal-events", status_code=201)
def terminal_event(ev: TerminalEvent, ctx: Ctx,
                   caller: Caller = Depends(authenticated("changes.read"))) -> dict[str, Any]:
    """Audit what the terminal saw: terminal, operator, start, duration, reason (PRIV-1)."""
    with ctx.sessions.begin() as db:
        row = audit.append(db, action=f"terminal.{ev.event}", outcome="ok",
                           operator=caller.login_id, device=caller.device_id,
                           detail={"reason": ev.reason, "duration_ms": ev.duration_ms,
                                   "started_at": ev.started_at.isoformat()})
        return {"seq": row.seq}
