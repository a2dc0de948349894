"""交付 (certificates): 住民票の写し and 記載事項証明書, recorded in the 帳票管理簿, then printed.

Owns ``POST /v1/certificates`` (the request checked, DQ-6 and WF-7, and recorded; idempotent) and
``GET /v1/certificates/{issuance_id}/content`` (what to print, for the issuing operator and terminal
only, shortly after). The checks and the content are issuance.py's. May touch: issuance, audit,
idempotency, auth and the Context.
"""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from .. import audit, clock, issuance
from ..models import Issuance, utcnow
from ..problems import Problem, problem
from .auth import Caller, audit_refusal, authenticated
from .context import Ctx
from .idempotency import IdempotencyKey, idempotent
from .params import RowId

router = APIRouter(tags=["issuance"])


def _persons(row: Issuance) -> str:
    return ",".join(f"resident:{i}" for i in row.person_ids)


@router.post("/v1/certificates", status_code=201)
def issue_certificate(req: issuance.IssueRequest, ctx: Ctx,
                      caller: Caller = Depends(authenticated("certificate.issue")),
                      idempotency_key: IdempotencyKey = None) -> Any:
    """住民票の写し or 記載事項証明書 (``kind``): checks the request (DQ-6, WF-7) and records it in
    the 帳票管理簿 with its kind.
    The answer holds no personal data; the content is fetched once, right after."""
    def effect(db: Session, key: str) -> dict[str, Any]:
        row = issuance.issue(db, req, rights=caller.rights or {}, operator=caller.login_id or "",
                             device=caller.device_id, today=clock.today())
        audit.append(db, action="certificate.issue", outcome="ok", operator=caller.login_id,
                     device=caller.device_id, subject=_persons(row),
                     purpose=req.purpose, purpose_note=req.purpose_note,
                     detail={"issuance_id": row.id, "kind": row.kind, "scope": row.scope,
                             "requester": row.requester_relation, "included": row.included,
                             "my_number_reason": row.my_number_reason,
                             "submit_to": row.submit_to, "command_id": key,
                             "support_decision_id": row.support_decision_id})
        return {"issuance_id": row.id, "certificate_no": f"{row.issued_at:%Y}-{row.id:06d}",
                "persons": len(row.person_ids)}
    return idempotent(ctx, caller, idempotency_key, "certificate.issue",
                      f"resident:{req.resident_id}", effect)


@router.get("/v1/certificates/{issuance_id}/content")
def certificate_content(issuance_id: RowId, ctx: Ctx,
                        caller: Caller = Depends(authenticated("certificate.issue"))) -> Any:
    """The certificate's content for printing, for the issuing operator and terminal only,
    once: a second request is refused (410 ``certificate_content_served``) and a reprint is a
    new issuance (#21 class 8). Every refusal is audited."""
    subject = None
    try:
        with ctx.sessions.begin() as db:
            row = db.get(Issuance, issuance_id)
            if row is None:
                raise problem("certificate_not_found", "No such issuance",
                              "交付記録が見つかりません")
            subject = _persons(row)
            body = issuance.content(db, row, ctx.cipher, operator=caller.login_id or "",
                                    device=caller.device_id, now=utcnow())
            audit.append(db, action="certificate.content", outcome="ok",
                         operator=caller.login_id, device=caller.device_id, subject=subject,
                         purpose="certificate", detail={"issuance_id": row.id})
    except Problem as p:
        audit_refusal(ctx, p, "certificate.content", caller.device_id, caller.login_id,
                      subject=subject, purpose="certificate")
        raise
    return body
