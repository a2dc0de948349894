"""申請書の電子保存 (signed forms kept centrally, #23 point 4, K-WF-4.3/4.5, K-PRIV-11).

The counter makes each form of a visit as a PDF/A with the resident's one signature on it (the
client's app/signature.py and its forms); here the centre checks and keeps it for the case it
belongs to, until the form's retention date:

* the PDF is a PDF (``%PDF-``), declares PDF/A (``pdfaid:part`` in its XMP) and is at most
  ``MAX_PDF_BYTES`` decoded;
* the items (``{"form_id","title","division_id","values","rows"}``) match the form named, and the
  client's ``digest`` is the SHA-256 of their canonical JSON (``items_digest``);
* the signature has the shape of app/signature.py's ``Signature.to_json`` (checked here with
  pydantic: the centre imports nothing of app/), and a 代筆's writer is the clerk storing it;
* a form for another division (``division_id`` != ``"shimin"``) is kept only once the resident
  was told that it goes there (``told_divisions``, K-PRIV-11).

PDF, items and signature are AES-GCM ciphertext under an HKDF sub-key of the data key (as the face
templates, biometrics.py), the associated data binding each to its case, form, version and part.
Owns no routes (routes/forms.py); may touch the models, crypto and problems.
"""
from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import math
import os
from typing import Annotated, Any, Literal

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from japan import mynumber
from japan.kana import fold_width

from . import form_catalogue
from .crypto import _derive
from .models import Case, RenkeiEvent, SignedForm, utcnow
from .problems import Problem, invalid_request, problem

SHIMIN = "shimin"  # 市民課: the counter's own division; its forms go to no feed
MAX_PDF_BYTES = 4 * 1024 * 1024
MAX_ITEMS_BYTES = 256 * 1024  # the items' canonical JSON
MAX_STROKES, MAX_POINTS, MIN_POINTS = 400, 20_000, 2  # as app/signature.py
PROXY_REASONS = ("physical", "visual", "literacy", "other")  # app/signature.py PROXY_REASONS
#: The body of ``POST /v1/cases/{id}/forms`` may be this large (a 4 MB PDF as base64, its
#: signature and items): the request guard's limit for that route (guard.py).
MAX_FORM_BODY_BYTES = 8 * 1024 * 1024
_NONCE = 12
_AAD = b"madoguchi:signed-form:v1"
Ascii = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z0-9][a-z0-9_.-]*$")]


def canonical(items: Any) -> bytes:
    """The items' canonical JSON: ``json.dumps(items, ensure_ascii=False, sort_keys=True,
    separators=(",", ":"))`` as UTF-8, what the digest is taken over (the client does the same).
    A number that is not finite has no JSON: ValueError."""
    return json.dumps(items, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")


def items_digest(items: Any) -> str:
    """SHA-256 (lower-case hex) of ``canonical(items)``."""
    return hashlib.sha256(canonical(items)).hexdigest()


class FormCipher:
    """AES-GCM for a stored form's parts, bound to (part, case, form, version) by the associated
    data: a PDF copied onto another form's row, or into its items column, does not decrypt."""

    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    @classmethod
    def from_master(cls, master: bytes) -> "FormCipher":
        return cls(_derive(master, b"signed-form-aes-gcm"))

    @staticmethod
    def _aad(part: str, case_id: int, form_id: str, version: int, extra: str = "") -> bytes:
        return b"\n".join([_AAD, part.encode(), str(case_id).encode(), form_id.encode(),
                           str(version).encode(), extra.encode()])

    def encrypt(self, raw: bytes, part: str, case_id: int, form_id: str, version: int,
                extra: str = "") -> bytes:
        nonce = os.urandom(_NONCE)
        return nonce + self._aead.encrypt(nonce, raw, self._aad(part, case_id, form_id, version,
                                                                extra))

    def decrypt(self, blob: bytes, part: str, case_id: int, form_id: str, version: int,
                extra: str = "") -> bytes:
        return self._aead.decrypt(blob[:_NONCE], blob[_NONCE:],
                                  self._aad(part, case_id, form_id, version, extra))


# --- the request's shapes --------------------------------------------------------------------


class ProxyIn(BaseModel):
    """代筆: who wrote for the resident (a login ID) and why (a key of PROXY_REASONS)."""

    model_config = ConfigDict(extra="forbid")
    writer: Annotated[str, Field(min_length=1, max_length=40)]
    reason: Literal["physical", "visual", "literacy", "other"]
    note: Annotated[str, Field(max_length=200)] = ""


Coord = Annotated[float, Field(allow_inf_nan=False, ge=-1e6, le=1e6)]
Point = tuple[Coord, Coord, Annotated[int, Field(ge=0, le=86_400_000)],
              Annotated[float, Field(allow_inf_nan=False, ge=0, le=1)] | None]


class SignatureIn(BaseModel):
    """The signature as app/signature.py's ``Signature.to_json`` writes it."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    input: Literal["tablet", "touch", "mouse"]
    width: Annotated[float, Field(gt=0, le=100_000)]
    height: Annotated[float, Field(gt=0, le=100_000)]
    signed_at: Annotated[str, Field(min_length=1, max_length=40)]
    strokes: Annotated[list[Annotated[list[Point], Field(max_length=MAX_POINTS)]],
                       Field(max_length=MAX_STROKES)]
    proxy: ProxyIn | None = None


FormId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9_.-]*$")]


class ItemsIn(BaseModel):
    """The form's items: what the resident confirmed on it (values) and its table rows."""

    model_config = ConfigDict(extra="forbid")
    form_id: FormId
    title: Annotated[str, Field(min_length=1, max_length=200)]
    division_id: Ascii
    values: dict[str, Any]
    rows: list[Any]


class FormRequest(BaseModel):
    """``POST /v1/cases/{case_id}/forms``: one signed form of the case. ``pdf`` is standard
    base64 of the PDF/A; ``items`` and ``signature`` are checked by the route (its refusals are
    audited), so they are declared as objects here."""

    model_config = ConfigDict(extra="forbid")
    form_id: FormId
    title: Annotated[str, Field(min_length=1, max_length=200)]
    division_id: Ascii
    retention_years: Annotated[int, Field(ge=1, le=150)]
    pdf: Annotated[str, Field(min_length=8, max_length=MAX_FORM_BODY_BYTES)]  # size: check_pdf
    items: dict[str, Any]
    digest: Annotated[str, Field(min_length=64, max_length=64, pattern=r"^[0-9a-f]{64}$")]
    signature: dict[str, Any]
    told_divisions: bool


# --- checks ----------------------------------------------------------------------------------


def _shape(errors: list[dict[str, Any]], code: str, prefix: str, ja: str) -> Problem:
    """A shape refusal: the locations and messages only, never a value (invalid_request's)."""
    p = invalid_request(errors, skip_source=False, what=prefix)
    return problem(code, p.detail, ja, field=f"{prefix.rstrip(': ')}.{p.field}" if p.field
                   else None, errors=p.extra.get("errors", []))


def check_pdf(text: str) -> bytes:
    """The PDF/A the base64 ``text`` holds, or a problem."""
    if len(text) > (MAX_PDF_BYTES + 2) // 3 * 4 + 4:
        raise problem("form_pdf_too_large", f"The PDF exceeds {MAX_PDF_BYTES} bytes",
                      f"PDFが大きすぎます（上限 {MAX_PDF_BYTES // (1024 * 1024)} MB）")
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise problem("form_pdf_invalid", "pdf is not standard base64",
                      "PDFの形式が正しくありません（base64）", field="pdf") from None
    if len(raw) > MAX_PDF_BYTES:
        raise problem("form_pdf_too_large", f"The PDF exceeds {MAX_PDF_BYTES} bytes",
                      f"PDFが大きすぎます（上限 {MAX_PDF_BYTES // (1024 * 1024)} MB）")
    if not raw.startswith(b"%PDF-"):
        raise problem("form_pdf_invalid", "pdf is not a PDF", "PDFではありません", field="pdf")
    if b"pdfaid:part" not in raw:
        raise problem("form_pdf_invalid", "pdf is not PDF/A (no pdfaid:part in its metadata)",
                      "長期保存用のPDF/Aではありません", field="pdf")
    return raw


def check_items(req: FormRequest) -> ItemsIn:
    """The items, shaped, naming the form of the request, within size, matching the digest."""
    try:
        items = ItemsIn.model_validate(req.items)
    except ValidationError as exc:
        raise _shape(exc.errors(), "form_items_invalid", "items: ",
                     "申請書の項目の形式が正しくありません") from None
    if (items.form_id, items.title, items.division_id) != (req.form_id, req.title,
                                                           req.division_id):
        raise problem("form_items_invalid", "items name another form than the request",
                      "申請書の項目が様式と一致しません", field="items")
    try:
        raw = canonical(req.items)
    except ValueError:  # NaN or Infinity: no canonical JSON
        raise problem("form_items_invalid", "items hold a number that is not finite",
                      "申請書の項目の形式が正しくありません", field="items") from None
    if len(raw) > MAX_ITEMS_BYTES:
        raise problem("form_items_invalid", f"items exceed {MAX_ITEMS_BYTES} bytes",
                      "申請書の項目が大きすぎます", field="items")
    _held_to_catalogue(req, items)
    if hashlib.sha256(raw).hexdigest() != req.digest:
        raise problem("form_digest_mismatch", "digest is not the SHA-256 of the items' canonical "
                      "JSON", "申請書の項目の要約値が一致しません。様式を作り直してください",
                      field="digest")
    return items


def _held_to_catalogue(req: FormRequest, items: ItemsIn) -> None:
    """The form as the catalogue has it (central/form_catalogue.py): a known form, for its own
    division, with only its own items, each text, and no 個人番号 in any of them."""
    rule = form_catalogue.rule(req.form_id)
    if rule is None:
        raise problem("form_unknown", f"Form {req.form_id!r} is not in the form catalogue",
                      "申請書カタログにない様式です", field="form_id")
    if req.division_id != rule.division_id:
        raise problem("form_division_mismatch", "the form goes to another division than the "
                      "request names", "この様式の送付先の課が違います", field="division_id")
    if req.title != rule.title:
        raise problem("form_items_invalid", "the title is not the catalogue's title of the form",
                      "申請書の名称が様式と一致しません", field="title")
    rows = items.rows
    texts = list(items.values.values()) + [v for r in rows if isinstance(r, dict) for v in r.values()]
    if (set(items.values) - rule.value_keys
            or any(not isinstance(r, dict) or set(r) - rule.row_keys for r in rows)
            or not all(isinstance(v, str) for v in texts)):
        raise problem("form_items_invalid", "items hold what the form does not have (only its "
                      "own items, as text)", "申請書にない項目が含まれています", field="items")
    for text in texts:
        folded = fold_width(text).replace(" ", "").replace("-", "")
        if mynumber.is_valid(folded):
            raise problem("form_items_my_number", "an item holds a 12-digit number with a valid "
                          "My Number check digit: no form carries one",
                          "申請書の項目に個人番号と思われる番号があります。申請書には記載しません",
                          field="items")


def check_signature(data: dict[str, Any], caller_login: str) -> SignatureIn:
    """The signature as app/signature.py ``check`` would accept it, and a 代筆 only in the
    storing clerk's own name."""
    try:
        sig = SignatureIn.model_validate(data)
    except ValidationError as exc:
        raise _shape(exc.errors(), "signature_invalid", "signature: ",
                     "署名のデータが正しくありません") from None
    points = [p for s in sig.strokes for p in s]
    if len(points) > MAX_POINTS:
        raise problem("signature_invalid", "too many points", "署名の画数が多すぎます",
                      field="signature.strokes")
    if len(points) < MIN_POINTS:
        raise problem("signature_invalid", "empty signature", "署名がありません",
                      field="signature.strokes")
    for x, y, _t, _p in points:
        if not (math.isfinite(x) and math.isfinite(y)) or not (
                -1 <= x <= sig.width + 1 and -1 <= y <= sig.height + 1):
            raise problem("signature_invalid", "point outside the pad", "署名欄の外の点があります",
                          field="signature.strokes")
    if sig.proxy is not None:
        if not sig.proxy.writer.strip():
            raise problem("signature_invalid", "proxy writer missing",
                          "代筆した職員が記録されていません", field="signature.proxy.writer")
        if sig.proxy.reason == "other" and not sig.proxy.note.strip():
            raise problem("signature_invalid", "proxy reason note missing",
                          "代筆の理由を入力してください", field="signature.proxy.note")
        if sig.proxy.writer != caller_login:
            raise problem("proxy_writer_not_caller", "A 代筆 is recorded by the clerk who wrote it",
                          "代筆は代筆した職員本人のログインで保存してください",
                          field="signature.proxy.writer")
    return sig


def retention_until(stored_at: dt.datetime, years: int) -> dt.datetime:
    """``stored_at`` plus ``years`` years (29 February to 28 February)."""
    try:
        return stored_at.replace(year=stored_at.year + years)
    except ValueError:
        return stored_at.replace(year=stored_at.year + years, day=28)


def open_case(db: Session, case_id: int, caller_login: str) -> Case:
    """The case a form is stored for: it exists, waits for 審査, and the caller entered it (the
    forms are the resident's signature on that clerk's 届出; nobody attaches forms to another's)."""
    case = db.get(Case, case_id)
    if case is None:
        raise problem("case_not_found", f"No case {case_id}", "審査案件が見つかりません")
    if case.status != "submitted" or case.kind == "shokken":
        raise problem("case_not_pending", f"Case {case_id} is not waiting for review",
                      "審査待ちの案件ではないため申請書を保存できません", status_now=case.status)
    if case.entered_by != caller_login:
        raise problem("form_not_entrant", "Only the clerk who entered the case stores its forms",
                      "この届出を入力した職員だけが申請書を保存できます")
    return case


def case_subject(case: Case | None) -> str | None:
    """Whom a case concerns, for an audit row: its residents, else the case itself."""
    if case is None:
        return None
    if case.resident_id:
        return f"resident:{case.resident_id}"
    members = case.command.get("members") if case.command.get("kind") == "setai" else None
    subjects = [f"resident:{m['resident_id']}" for m in members or [] if m.get("resident_id")]
    return ",".join(subjects) or f"case:{case.id}"


def _retention_years(req: FormRequest) -> int:
    """The catalogue's retention for the form (the register's rules, not the terminal's)."""
    rule = form_catalogue.rule(req.form_id)
    return rule.retention_years if rule is not None else req.retention_years


def store(db: Session, cipher: FormCipher, case: Case, req: FormRequest, caller_login: str,
          device_id: str) -> SignedForm:
    """Check the form and keep it as the next version of (case, form)."""
    pdf = check_pdf(req.pdf)
    check_items(req)
    sig = check_signature(req.signature, caller_login)
    if req.division_id != SHIMIN and not req.told_divisions:
        raise problem("resident_not_told", f"Form {req.form_id} goes to division "
                      f"{req.division_id}: the resident must be told first (K-PRIV-11)",
                      "この申請書は担当課に送られます。そのことを住民に説明し、確認してから保存して"
                      "ください", field="told_divisions")
    version = (db.scalar(select(func.max(SignedForm.version)).where(
        SignedForm.case_id == case.id, SignedForm.form_id == req.form_id)) or 0) + 1
    now = utcnow()
    fields = canonical(req.items)
    signature = json.dumps(sig.model_dump(mode="json"), ensure_ascii=False).encode("utf-8")
    row = SignedForm(
        case_id=case.id, form_id=req.form_id, title=req.title, division_id=req.division_id,
        version=version, pdf_enc=cipher.encrypt(pdf, "pdf", case.id, req.form_id, version),
        fields_enc=cipher.encrypt(fields, "fields", case.id, req.form_id, version),
        signature_enc=cipher.encrypt(signature, "signature", case.id, req.form_id, version),
        signer="proxy" if sig.proxy else "resident",
        proxy_writer=sig.proxy.writer if sig.proxy else None,
        proxy_reason=sig.proxy.reason if sig.proxy else None,
        told_divisions=req.told_divisions, sha256=hashlib.sha256(pdf).hexdigest(),
        digest=req.digest, stored_by=caller_login, stored_device=device_id, stored_at=now,
        retention_until=retention_until(now, _retention_years(req)))
    db.add(row)
    db.flush()
    return row


def items_of(cipher: FormCipher, row: SignedForm) -> dict[str, Any]:
    return json.loads(cipher.decrypt(row.fields_enc, "fields", row.case_id, row.form_id,
                                     row.version))


def pdf_of(cipher: FormCipher, row: SignedForm) -> bytes:
    return cipher.decrypt(row.pdf_enc, "pdf", row.case_id, row.form_id, row.version)


def view(cipher: FormCipher, row: SignedForm) -> dict[str, Any]:
    """One stored form for 審査: its items beside the entry (never the PDF or the strokes)."""
    return {"form_id": row.form_id, "title": row.title, "division_id": row.division_id,
            "version": row.version, "items": items_of(cipher, row), "signer": row.signer,
            "proxy_writer": row.proxy_writer, "proxy_reason": row.proxy_reason,
            "told_divisions": row.told_divisions, "sha256": row.sha256, "digest": row.digest,
            "stored_by": row.stored_by, "stored_at": row.stored_at.isoformat() + "Z",
            "retention_until": row.retention_until.date().isoformat()}


def forms_of(db: Session, case_id: int) -> list[SignedForm]:
    return list(db.scalars(select(SignedForm).where(SignedForm.case_id == case_id)
                           .order_by(SignedForm.form_id, SignedForm.version)))


def latest_forms(db: Session, case_id: int) -> list[SignedForm]:
    """The latest version of each form of the case."""
    latest: dict[str, SignedForm] = {}
    for row in forms_of(db, case_id):
        latest[row.form_id] = row
    return list(latest.values())


def due_for_purge(db: Session, now: dt.datetime, limit: int) -> list[SignedForm]:
    """Forms past their retention date, oldest first, at most ``limit``."""
    return list(db.scalars(select(SignedForm).where(SignedForm.retention_until < now)
                           .order_by(SignedForm.retention_until, SignedForm.id).limit(limit)))


def purge(db: Session, row: SignedForm) -> None:
    """Delete a form past retention and its feed events (their items are that form's)."""
    db.execute(delete(RenkeiEvent).where(RenkeiEvent.case_id == row.case_id,
                                         RenkeiEvent.form_id == row.form_id,
                                         RenkeiEvent.version == row.version))
    db.delete(row)
