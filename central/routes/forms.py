"""申請書の電子保存 (signed forms, tag ``forms``, #23 point 4): the forms a resident signed for a case,
stored beside it, read by 審査 beside the entry and kept until their retention date.

``POST /v1/cases/{case_id}/forms`` stores one signed form (checked by signed_forms.py; a form
signed again is its next version) while the case waits for 審査, under an Idempotency-Key; the
PDF's SHA-256 enters the audit chain (``form.store``). ``GET /v1/cases/{case_id}/forms`` lists them
with their items (an audited read: the reviewers, and the entrant for its own case) and
``GET …/forms/{form_id}/pdf`` gives one PDF (the latest version, or ``?version=``). Refusals never
echo an item. May touch signed_forms, auth, idempotency, reads, audit and the Context.
"""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit, signed_forms
from ..models import Case, SignedForm
from ..problems import problem
from ..rights import allowed
from ..signed_forms import MAX_FORM_BODY_BYTES, FormRequest
from .auth import Caller, Pending, authenticated
from .context import Ctx
from .idempotency import IdempotencyKey, idempotent
from .params import RowId
from .reads import ReadRoute, audited, read

router = APIRouter(tags=["forms"], route_class=ReadRoute)

FormIdPath = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9_.-]*$")]


def _subject(ctx, case_id: int) -> str | None:
    with ctx.sessions() as db:
        return signed_forms.case_subject(db.get(Case, case_id))


@router.post("/v1/cases/{case_id}/forms", status_code=201,
             openapi_extra={"x-max-body-bytes": MAX_FORM_BODY_BYTES})
def store_form(case_id: RowId, req: Annotated[FormRequest, Body()], ctx: Ctx,
               caller: Caller = Depends(authenticated("form.store")),
               idempotency_key: IdempotencyKey = None) -> Any:
    """Store one signed form of a case waiting for 審査 (PDF/A of at most 4 MB as base64).

    ``digest`` is the lower-case hex SHA-256 of the items' canonical JSON, exactly
    ``json.dumps(items, ensure_ascii=False, sort_keys=True, separators=(",", ":"))`` encoded as
    UTF-8 (the client computes the same). A form for another division than ``shimin`` needs
    ``told_divisions`` (the resident was told it goes there, K-PRIV-11); a 代筆 signature's
    writer must be the caller. The answer names the version stored and the PDF's SHA-256."""
    subject = _subject(ctx, case_id)

    def effect(db: Session, key: str) -> dict[str, Any]:
        case = signed_forms.open_case(db, case_id, caller.login_id or "")
        row = signed_forms.store(db, ctx.forms, case, req, caller.login_id or "",
                                 caller.device_id)
        audit.append(db, action="form.store", outcome="ok", operator=caller.login_id,
                     device=caller.device_id, subject=subject, purpose="idou",
                     detail={"case_id": case.id, "form_id": row.form_id, "version": row.version,
                             "sha256": row.sha256, "division_id": row.division_id,
                             "signer": row.signer, "command_id": key})
        return {"case_id": case.id, "form_id": row.form_id, "version": row.version,
                "sha256": row.sha256, "division_id": row.division_id, "signer": row.signer,
                "retention_until": row.retention_until.date().isoformat()}
    return idempotent(ctx, caller, idempotency_key, "form.store", subject, effect)


def _readable_case(db: Session, case_id: int, caller: Caller) -> Case:
    """The case, if the caller may read its forms: a reviewer any, an entrant its own."""
    case = db.get(Case, case_id)
    if case is None:
        raise problem("case_not_found", f"No case {case_id}", "審査案件が見つかりません")
    if not allowed("case.review", caller.rights or {}) and case.entered_by != caller.login_id:
        p = problem("forbidden", "Only a reviewer or the case's entrant reads its forms",
                    "この案件の申請書を閲覧する権限がありません", action="form.read")
        p.audit_subject = signed_forms.case_subject(case)  # type: ignore[attr-defined]
        raise p
    return case


@router.get("/v1/cases/{case_id}/forms")
def list_forms(case_id: RowId, ctx: Ctx,
               pending: Pending = Depends(audited("form.read", "form.list", "review"))) -> Any:
    """The case's stored forms, every version, with their items (for 審査 beside the entry)."""
    def work(db: Session, caller: Caller):
        case = _readable_case(db, case_id, caller)
        rows = signed_forms.forms_of(db, case.id)
        items = [signed_forms.view(ctx.forms, r) for r in rows]
        return ({"items": items, "count": len(items)}, signed_forms.case_subject(case),
                {"case_id": case.id, "forms": len(items)})
    return read(ctx, pending, "review", None, work, audit_action="form.list")


@router.get("/v1/cases/{case_id}/forms/{form_id}/pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}}})
def form_pdf(case_id: RowId, form_id: FormIdPath, ctx: Ctx,
             pending: Pending = Depends(audited("form.read", "form.pdf", "review")),
             version: Annotated[int | None, Query(ge=1, le=10_000)] = None) -> Any:
    """One stored form's PDF/A: the latest version, or ``version``."""
    def work(db: Session, caller: Caller):
        case = _readable_case(db, case_id, caller)
        q = select(SignedForm).where(SignedForm.case_id == case.id, SignedForm.form_id == form_id)
        q = q.where(SignedForm.version == version) if version else q
        row = db.scalar(q.order_by(SignedForm.version.desc()).limit(1))
        if row is None:
            p = problem("form_not_found", f"No form {form_id} for case {case_id}",
                        "指定された申請書は保存されていません")
            p.audit_subject = signed_forms.case_subject(case)  # type: ignore[attr-defined]
            raise p
        pdf = signed_forms.pdf_of(ctx.forms, row)
        return ((pdf, row.form_id, row.version), signed_forms.case_subject(case),
                {"case_id": case.id, "form_id": row.form_id, "version": row.version,
                 "sha256": row.sha256})

    def respond(result, _caller: Caller) -> Response:
        pdf, fid, ver = result
        return Response(pdf, media_type="application/pdf", headers={
            "Content-Disposition": f'attachment; filename="{fid}-v{ver}.pdf"',
            "Cache-Control": "no-store"})
    return read(ctx, pending, "review", None, work, audit_action="form.pdf", respond=respond)
