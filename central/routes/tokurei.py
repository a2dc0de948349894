"""転出証明書 and 転入予定者 (tag ``tokurei``, #22 point 2, K-WF-4.6).

Owns ``POST /v1/tenshutsu-certificates`` (an applied 転出's 転出証明書 recorded in the 帳票管理簿,
idempotent; its content is ``GET /v1/certificates/{id}/content``, issuance.py's route, once),
``POST /v1/cs/tenshutsu-joho`` (the 住基ネット CS adapter: 転出証明書情報 received and kept as
転入予定者) and ``POST /v1/tennyu-yotei/lookup`` (the counter's lookup by one member's card: the
household and every member's pre-fill data, to holders of 特定個人情報アクセス権限 only; a POST so
that no number is ever in a URL). The rules are tenshutsu.py's and tennyu_yotei.py's. May touch:
tenshutsu, tennyu_yotei, audit, idempotency, auth and the Context.
"""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from .. import audit, clock, tennyu_yotei, tenshutsu
from ..problems import Problem
from .auth import Caller, audit_refusal, authenticated
from .context import Ctx
from .idempotency import IdempotencyKey, idempotent

router = APIRouter(tags=["tokurei"])


@router.post("/v1/tenshutsu-certificates", status_code=201)
def issue_tenshutsu_certificate(req: tenshutsu.TenshutsuCertificateRequest, ctx: Ctx,
                                caller: Caller = Depends(authenticated("certificate.issue")),
                                idempotency_key: IdempotencyKey = None) -> Any:
    """転出証明書 for persons whose 転出 is applied: checked and recorded in the 帳票管理簿 (kind
    ``tenshutsu``). The answer holds no personal data; the content is fetched once, right after,
    from ``GET /v1/certificates/{issuance_id}/content``."""
    subject = ",".join(f"resident:{p.resident_id}" for p in req.persons)

    def effect(db: Session, key: str) -> dict[str, Any]:
        row = tenshutsu.issue(db, req, rights=caller.rights or {},
                              operator=caller.login_id or "", device=caller.device_id)
        audit.append(db, action="certificate.issue", outcome="ok", operator=caller.login_id,
                     device=caller.device_id, subject=subject, purpose="certificate",
                     purpose_note="転出証明書",
                     detail={"issuance_id": row.id, "kind": row.kind, "scope": row.scope,
                             "requester": row.requester_relation,
                             "my_number": bool(row.included.get("my_number")),
                             "command_id": key})
        return {"issuance_id": row.id, "certificate_no": f"{row.issued_at:%Y}-{row.id:06d}",
                "persons": len(row.person_ids)}
    return idempotent(ctx, caller, idempotency_key, "certificate.issue", subject, effect,
                      purpose="certificate")


@router.post("/v1/cs/tenshutsu-joho", status_code=201)
def receive_tenshutsu_joho(doc: tennyu_yotei.JohoDocument, ctx: Ctx,
                           caller: Caller = Depends(authenticated("tennyu_yotei.receive"))
                           ) -> dict[str, Any]:
    """The 住基ネット CS adapter's feed (format: tennyu_yotei.py, docs/cs-tenshutsu-joho.md):
    転出証明書情報 kept as 転入予定者, the 個人番号 encrypted. Storing discloses nothing, so the
    情報システム担当 who runs the link needs no 特定個人情報アクセス権限; the answer is counts and
    the certificate ids skipped as already received. A re-sent certificate is never stored twice."""
    try:
        with ctx.sessions.begin() as db:
            got = tennyu_yotei.receive(db, ctx.cipher, doc, received_by=caller.login_id or "")
            audit.append(db, action="tennyu_yotei.receive", outcome="ok",
                         operator=caller.login_id, device=caller.device_id,
                         subject=",".join(f"tennyu_yotei:{i}" for i in got.ids) or None,
                         purpose="idou", detail={**got.answer(), "sender": doc.sender.code})
    except Problem as p:
        audit_refusal(ctx, p, "tennyu_yotei.receive", caller.device_id, caller.login_id,
                      purpose="idou")
        raise
    return got.answer()


@router.post("/v1/tennyu-yotei/lookup")
def lookup_tennyu_yotei(req: tennyu_yotei.LookupRequest, ctx: Ctx,
                        caller: Caller = Depends(authenticated("resident.search"))
                        ) -> dict[str, Any]:
    """One member's card (its 個人番号) or 住民票コード → the 転入予定 household and every member's
    pre-fill data (K-WF-4.6). Only to holders of 特定個人情報アクセス権限, as a My Number search;
    audited with the persons it concerns, the refusals too."""
    try:
        with ctx.sessions.begin() as db:
            answer, rows = tennyu_yotei.lookup(db, ctx.cipher, req, rights=caller.rights or {},
                                               today=clock.today())
            audit.append(db, action="tennyu_yotei.lookup", outcome="ok",
                         operator=caller.login_id, device=caller.device_id,
                         subject=tennyu_yotei.subjects(rows), purpose=req.purpose,
                         detail={"key": "my_number" if req.my_number else "juminhyo_code",
                                 "members": len(rows), "my_number_disclosed": True})
    except Problem as p:
        audit_refusal(ctx, p, "tennyu_yotei.lookup", caller.device_id, caller.login_id,
                      purpose=req.purpose)
        raise
    return answer
