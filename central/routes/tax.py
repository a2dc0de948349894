"""個人住民税 (tax, #8): 申告受付 with its 二重チェック, 課税・所得証明書, and 税の照会.

Owns ``/v1/tax/…``: a 住民税申告 entered (identified, checked, computed; idempotent) and registered
in the 課税台帳 only after someone else's check (approve) or sent back (return); the check queue (an
audited read); the certificates' kinds, their issuance and printable content; and the inquiry,
which answers nothing until the caller is identified. The rules are tax.py's. May touch: tax,
audit, idempotency, reads, auth and the Context.
"""
from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit, clock, tax
from ..models import utcnow
from ..problems import Problem, problem
from ..rights import MY_NUMBER_ACCESS
from .auth import Caller, Pending, audit_refusal, authenticated
from .context import Ctx
from .idempotency import IdempotencyKey, idempotent
from .params import ReasonRequest, RowId
from .reads import ReadRoute, audited, read

router = APIRouter(tags=["tax"], route_class=ReadRoute)


@router.post("/v1/tax/filings", status_code=201)
def submit_tax_filing(req: tax.FilingIn, ctx: Ctx,
                      caller: Caller = Depends(authenticated("tax.filing.submit")),
                      idempotency_key: IdempotencyKey = None) -> Any:
    """住民税申告 (TAX-2/3/4): the filer identified first, every field checked, the result
    computed; registered in the 課税台帳 only after a second person's check."""
    def effect(db: Session, key: str) -> dict[str, Any]:
        row = tax.submit_filing(db, req, ctx.cipher, operator=caller.login_id or "",
                                device=caller.device_id, today=clock.today(),
                                my_number_access=MY_NUMBER_ACCESS in (caller.rights or {}))
        audit.append(db, action="tax.filing.submit", outcome="ok", operator=caller.login_id,
                     device=caller.device_id, subject=f"resident:{row.resident_id}",
                     purpose="tax", detail={"filing_id": row.id, "fiscal_year": row.fiscal_year,
                                            "dependents": len(row.dependents),
                                            "identity_method": row.identity_method,
                                            "command_id": key})
        audit.record_change(db, entity="tax_filing", entity_id=row.id, version=row.version,
                            op="submitted", command_id=key)
        return {"result": "submitted", "filing_id": row.id, "status": row.status,
                "computed": {k: v for k, v in row.computed.items()
                             if k != "dependent_deductions"}}
    return idempotent(ctx, caller, idempotency_key, "tax.filing.submit",
                      f"resident:{req.resident_id}", effect, purpose="tax")


@router.get("/v1/tax/filings")
def list_tax_filings(ctx: Ctx, pending: Pending = Depends(audited("tax.filing.check", "tax.filing.list", "tax")),
                     status: Literal["submitted", "approved", "returned"] = "submitted",
                     limit: Annotated[int, Query(ge=1, le=200)] = 50) -> dict[str, Any]:
    """The 二重チェック queue: each 申告 as entered with the computed result; dependents' My
    Numbers only for holders of 特定個人情報アクセス権限."""
    def work(db: Session, caller: Caller):
        rows = db.scalars(select(tax.TaxFiling).where(tax.TaxFiling.status == status)
                          .order_by(tax.TaxFiling.id).limit(limit)).all()
        items = [tax.filing_view(db, r, ctx.cipher, caller.rights or {}) for r in rows]
        subject = ",".join(f"resident:{r.resident_id}" for r in rows) or None
        return ({"items": items, "count": len(items)}, subject,
                {"filings": len(items),
                 "my_number_disclosed": any(i["my_number_disclosed"] and i["dependents"]
                                            for i in items)})
    return read(ctx, pending, "tax", None, work, audit_action="tax.filing.list")


@router.post("/v1/tax/filings/{filing_id}/approve")
def approve_tax_filing(filing_id: RowId, ctx: Ctx,
                       caller: Caller = Depends(authenticated("tax.filing.check")),
                       idempotency_key: IdempotencyKey = None) -> Any:
    """二重チェック済み (TAX-3): someone other than the entrant registers it."""
    def effect(db: Session, key: str) -> dict[str, Any]:
        row = tax.open_filing(db, filing_id, caller.login_id or "")
        rec = tax.approve_filing(db, row, caller.login_id or "")
        audit.append(db, action="tax.filing.approve", outcome="ok", operator=caller.login_id,
                     device=caller.device_id, subject=f"resident:{row.resident_id}",
                     purpose="tax", detail={"filing_id": row.id, "tax_record_id": rec.id,
                                            "entered_by": row.entered_by, "command_id": key})
        audit.record_change(db, entity="tax_record", entity_id=rec.id, version=rec.version,
                            op="filing_approved", command_id=key)
        return {"filing_id": row.id, "status": row.status, "tax_record_id": rec.id,
                "fiscal_year": row.fiscal_year}
    return idempotent(ctx, caller, idempotency_key, "tax.filing.approve",
                      f"tax_filing:{filing_id}", effect, status=200, purpose="tax")


@router.post("/v1/tax/filings/{filing_id}/return")
def return_tax_filing(filing_id: RowId, req: ReasonRequest, ctx: Ctx,
                      caller: Caller = Depends(authenticated("tax.filing.check"))
                      ) -> dict[str, Any]:
    """差し戻し: the entry does not match the 申告書; nothing is registered."""
    with ctx.sessions.begin() as db:
        row = tax.open_filing(db, filing_id, caller.login_id or "")
        row.status, row.checked_by = "returned", caller.login_id
        row.checked_at, row.return_reason = utcnow(), req.reason
        audit.append(db, action="tax.filing.return", outcome="ok", operator=caller.login_id,
                     device=caller.device_id, subject=f"resident:{row.resident_id}",
                     purpose="tax", detail={"filing_id": row.id, "reason": req.reason})
        db.flush()
        return {"filing_id": row.id, "status": "returned"}


@router.get("/v1/tax/certificate-kinds")
def tax_certificate_kinds(caller: Caller = Depends(authenticated("tax.certificate.issue"))
                          ) -> dict[str, Any]:
    """Kinds, fees per copy and the 年度 that can be asked for (from the fee table)."""
    out = tax.certificate_kinds()
    out["fiscal_years"] = tax.fiscal_years(clock.today())
    return out


@router.post("/v1/tax/certificates", status_code=201)
def issue_tax_certificate(req: tax.TaxCertificateRequest, ctx: Ctx,
                          caller: Caller = Depends(authenticated("tax.certificate.issue")),
                          idempotency_key: IdempotencyKey = None) -> Any:
    """課税証明書 / 所得証明書 (TAX-1): checked (委任状 for anyone but the person or the
    household, 支援措置) and recorded in the 帳票管理簿 with the requester and the fee."""
    def effect(db: Session, key: str) -> dict[str, Any]:
        row = tax.issue_certificate(db, req, operator=caller.login_id or "",
                                    device=caller.device_id, today=clock.today())
        audit.append(db, action="tax.certificate.issue", outcome="ok",
                     operator=caller.login_id, device=caller.device_id,
                     subject=f"resident:{row.resident_id}", purpose=req.purpose,
                     purpose_note=req.purpose_note,
                     detail={"tax_certificate_id": row.id, "kind": row.kind,
                             "fiscal_year": row.fiscal_year,
                             "requester": row.requester_relation,
                             "power_of_attorney_seen": row.power_of_attorney_seen,
                             "copies": row.copies, "fee_yen": row.fee_yen, "command_id": key})
        return {"issuance_id": row.id, "certificate_no": tax.certificate_no(row),
                "copies": row.copies, "fee_yen": row.fee_yen}
    return idempotent(ctx, caller, idempotency_key, "tax.certificate.issue",
                      f"resident:{req.resident_id}", effect, purpose="tax")


@router.get("/v1/tax/certificates/{issuance_id}/content")
def tax_certificate_content(issuance_id: RowId, ctx: Ctx,
                            caller: Caller = Depends(authenticated("tax.certificate.issue"))
                            ) -> Any:
    """What to print, for the issuing operator and terminal only, shortly after, once (a
    reprint is a new issuance, #21 class 8); no My Number. Every refusal is audited."""
    subject = None
    try:
        with ctx.sessions.begin() as db:
            row = db.get(tax.TaxCertificate, issuance_id)
            if row is None:
                raise problem("certificate_not_found", "No such issuance",
                              "交付記録が見つかりません")
            subject = f"resident:{row.resident_id}"
            body = tax.certificate_content(db, row, operator=caller.login_id or "",
                                           device=caller.device_id, now=utcnow())
            audit.append(db, action="tax.certificate.content", outcome="ok",
                         operator=caller.login_id, device=caller.device_id, subject=subject,
                         purpose="certificate", detail={"tax_certificate_id": row.id})
    except Problem as p:
        audit_refusal(ctx, p, "tax.certificate.content", caller.device_id, caller.login_id,
                      subject=subject, purpose="certificate")
        raise
    return body


@router.post("/v1/tax/inquiries")
def tax_inquiry(req: tax.TaxInquiry, ctx: Ctx,
                pending: Pending = Depends(audited("tax.inquiry"))) -> dict[str, Any]:
    """税の照会 (TAX-2, 003 L584): nothing until 氏名・生年月日 and the My Number identify the
    caller; the purpose is required and recorded. A POST so that no My Number is in a URL."""
    def work(db: Session, caller: Caller):
        person, records = tax.inquire(
            db, req, ctx.cipher, my_number_access=MY_NUMBER_ACCESS in (caller.rights or {}))
        out = {"person": {"name_kanji": person.name_kanji, "name_kana": person.name_kana,
                          "address": person.address}, "records": records}
        return out, f"resident:{person.id}", {"identity": "confirmed",
                                               "fiscal_year": req.fiscal_year,
                                               "records": len(records)}
    return read(ctx, pending, req.purpose, req.purpose_note, work)

