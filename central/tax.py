"""個人住民税の窓口 (TAX-1…4, #8): 申告受付 with 二重チェック, 課税・所得証明書, identity-checked inquiries.

* **申告受付** (``submit_filing``): the filer must have been identified at this terminal by this
  operator shortly before (an ``identity.check`` recorded with the centre: card or documents, TAX-2/3);
  income, deductions and dependents are checked field by field (per-field limits and logical checks,
  003 L2583), dependents' My Numbers by their check digit, against the filer's own number, each other
  and the register. The result is computed here (所得, 所得控除, 課税標準, 税額) and waits for a
  second person's check; only ``approve_filing`` by someone other than the entrant writes the
  課税台帳 (``TaxRecord``) (二重チェック, 003 L2050). Dependents' My Numbers are stored encrypted.
* **証明書** (``issue_certificate``): 課税証明書 / 所得証明書 for one 年度 from the 課税台帳, never
  with a My Number (003 L579-580); anyone but the person or the same household needs a 委任状 (TAX-4
  / 003 L1989), and the requester is recorded in the 帳票管理簿 (``TaxCertificate``) with the fee
  from ``data/tax_certificates.json``. A 支援措置 subject is never issued to a proxy or third party.
* **照会** (``inquire``): nothing is shown until the caller's basic information (氏名・生年月日)
  plus the My Number match one record (003 L584); the purpose is recorded.

No function here logs a My Number or 4情報; refusals name fields, never values.
"""
from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from japan import mynumber
from japan.kana import is_katakana, normalise_name

from . import clock
from .crypto import MyNumberCipher
from .idou import my_number_access_required
from .issuance import check_printable, claim_content
from .models import AuditEvent, Resident, TaxCertificate, TaxFiling, TaxRecord, utcnow
from .problems import problem
from .register import MASK, active_support_ids, check_request_purpose
from .rights import MY_NUMBER_ACCESS
from .synth import _basic_deduction, _employment_deduction, _pension_deduction

_CONFIG = json.loads((Path(__file__).parent / "data" / "tax_certificates.json").read_text("utf-8"))
KINDS: dict[str, dict[str, Any]] = _CONFIG["kinds"]
MAX_COPIES: int = _CONFIG["max_copies"]
YEARS_BACK: int = _CONFIG["years_back"]

IDENTITY_WINDOW = dt.timedelta(minutes=60)  # the 本人確認 must be this recent (same visit)
AMOUNT_MAX = 1_000_000_000  # per-field input limit (10億円)
LIFE_INSURANCE_MAX = 70_000  # 住民税の生命保険料控除の上限
MEDICAL_MAX = 2_000_000  # 医療費控除の上限
MAX_DEPENDENTS = 10

RELATIONSHIPS = {"spouse": "配偶者", "child": "子", "parent": "父母", "other": "その他の親族"}

Amount = Annotated[int, Field(ge=0, le=AMOUNT_MAX)]


def fee_yen(kind: str, copies: int) -> int:
    return int(KINDS[kind]["fee_yen_per_copy"]) * copies


def certificate_kinds() -> dict[str, Any]:
    return {"kinds": [{"code": code, "label_ja": k["label_ja"], "label_en": k["label_en"],
                       "fee_yen_per_copy": k["fee_yen_per_copy"]} for code, k in KINDS.items()],
            "max_copies": MAX_COPIES, "years_back": YEARS_BACK}


def fiscal_years(today: dt.date) -> list[int]:
    """年度 whose income year has ended, newest first (申告 and 証明 for the last few years)."""
    return [today.year - i for i in range(YEARS_BACK)]


# --- 申告受付 ------------------------------------------------------------------------------------


class DependentIn(BaseModel):
    """控除対象配偶者・扶養親族 as written on the 申告書."""

    model_config = ConfigDict(extra="forbid")
    name: Annotated[str, Field(min_length=1, max_length=100)]
    name_kana: Annotated[str, Field(min_length=1, max_length=200)]
    birth_date: dt.date
    relationship: Literal["spouse", "child", "parent", "other"]
    my_number: Annotated[str, Field(min_length=1, max_length=20)]
    income_estimate: Amount = 0  # 合計所得金額（見積額）
    lives_with: bool = True  # 同居


class FilingIn(BaseModel):
    """住民税申告 as entered at the counter (revenues, not incomes: the centre computes 所得)."""

    model_config = ConfigDict(extra="forbid")
    resident_id: Annotated[int, Field(ge=1, le=2**31 - 1)]
    fiscal_year: Annotated[int, Field(ge=2000, le=2100)]
    identity_method: Literal["card", "card_code_b", "documents"]
    employment_revenue: Amount = 0  # 給与収入
    pension_revenue: Amount = 0  # 公的年金等の収入
    other_income: Amount = 0  # その他の所得（事業・不動産など）
    social_insurance: Amount = 0  # 社会保険料控除
    life_insurance: Amount = 0  # 生命保険料控除（住民税）
    medical: Amount = 0  # 医療費控除
    dependents: Annotated[list[DependentIn], Field(max_length=MAX_DEPENDENTS)] = []


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def dependent_deduction(relationship: str, age: int, lives_with: bool, filer_total: int) -> int:
    """配偶者控除・扶養控除 (住民税) by relationship and age on 12/31 of the income year."""
    if relationship == "spouse":
        if filer_total > 10_000_000:
            return 0
        return 380_000 if age >= 70 else 330_000
    if age < 16:
        return 0  # 年少扶養親族: counted, no deduction
    if 19 <= age <= 22:
        return 450_000  # 特定扶養親族
    if age >= 70:
        return 450_000 if relationship == "parent" and lives_with else 380_000  # 同居老親等
    return 330_000


def income_limit(income_year: int) -> int:
    """合計所得金額 up to which a person can be a dependent (令和7年分から58万円)."""
    return 580_000 if income_year >= 2025 else 480_000


def compute(req: FilingIn, filer_birth: dt.date) -> dict[str, Any]:
    """所得, 所得控除, 課税標準 and 税額 for the 申告 (the same rules as the 課税台帳)."""
    iy = req.fiscal_year - 1
    dec31 = dt.date(iy, 12, 31)
    sal, pen = req.employment_revenue, req.pension_revenue
    emp_inc = max(0, sal - _employment_deduction(sal, iy)) if sal else 0
    pen_inc = max(0, pen - _pension_deduction(pen, _age(filer_birth, dec31))) if pen else 0
    total = emp_inc + pen_inc + req.other_income
    dep = [dependent_deduction(d.relationship, _age(d.birth_date, dec31), d.lives_with, total)
           for d in req.dependents]
    basic = _basic_deduction(total)
    deductions = basic + req.social_insurance + req.life_insurance + req.medical + sum(dep)
    taxable = max(0, total - deductions)
    return {"employment_income": emp_inc, "pension_income": pen_inc, "other_income": req.other_income,
            "total_income": total, "basic_deduction": basic, "dependent_deductions": dep,
            "deductions": deductions, "taxable_income": taxable,
            "municipal_tax": taxable * 6 // 100 // 100 * 100,
            "prefectural_tax": taxable * 4 // 100 // 100 * 100,
            "dependents_count": len(req.dependents)}


def _identified(db: Session, resident_id: int, operator: str, device: str, now: dt.datetime) -> bool:
    since = (now - IDENTITY_WINDOW).strftime("%Y-%m-%dT%H:%M:%S")
    return db.scalar(select(AuditEvent.seq).where(
        AuditEvent.action == "identity.check", AuditEvent.outcome == "ok",
        AuditEvent.subject == f"resident:{resident_id}", AuditEvent.operator_login == operator,
        AuditEvent.device_id == device, AuditEvent.at >= since).limit(1)) is not None


def check_filing(db: Session, req: FilingIn, cipher: MyNumberCipher, *, operator: str, device: str,
                 today: dt.date, now: dt.datetime,
                 my_number_access: bool = True) -> tuple[Resident, dict[str, Any]]:
    """Every check of a 申告; raise a Problem naming the field. Returns the filer and the result.

    A dependent's My Number is compared with the register (the filer's own number, a registered
    person born on another day) only for an entrant who holds 特定個人情報アクセス権限: for anyone
    else the answer must not depend on whose number it is (#21 class 2); their entry is checked
    against the 申告書 by the second person (二重チェック) as every entry is."""
    filer = db.get(Resident, req.resident_id)
    if filer is None or filer.status != "current":
        raise problem("resident_not_found", "No current resident with that id",
                      "申告者が住民記録に見つかりません（消除済みを含む）")
    if req.fiscal_year not in fiscal_years(today):
        now = clock.as_of(today)
        raise problem("fiscal_year_out_of_range",
                      f"年度 must be one of {fiscal_years(today)} (the income year must have ended)"
                      + now["en"],
                      f"申告できる年度は{min(fiscal_years(today))}年度から{today.year}年度までです"
                      + now["ja"], field="fiscal_year", today=now["today"])
    if not _identified(db, filer.id, operator, device, now):
        raise problem("filer_identity_required",
                      "The filer's identity must be checked and recorded first (card or documents)",
                      "申告者の本人確認（マイナンバーカードまたは書類）を先に行い、記録してください",
                      field="identity_method")
    if req.life_insurance > LIFE_INSURANCE_MAX:
        raise problem("deduction_over_limit", "life_insurance is at most 70,000 yen",
                      "生命保険料控除は住民税では7万円が上限です", field="life_insurance")
    if req.medical > MEDICAL_MAX:
        raise problem("deduction_over_limit", "medical is at most 2,000,000 yen",
                      "医療費控除は200万円が上限です", field="medical")
    iy = req.fiscal_year - 1
    dec31 = dt.date(iy, 12, 31)
    seen: set[str] = set()
    own = (cipher.decrypt(filer.my_number_enc)
           if filer.my_number_enc is not None and my_number_access else None)
    spouses = 0
    for i, d in enumerate(req.dependents):
        f = f"dependents.{i}"
        n = i + 1
        if not mynumber.well_formed(d.my_number):
            raise problem("my_number_format", f"dependent {n}: a My Number is 12 digits",
                          f"扶養親族{n}人目の個人番号は12桁の数字で入力してください",
                          field=f"{f}.my_number")
        if not mynumber.is_valid(d.my_number):
            raise problem("my_number_check_digit", f"dependent {n}: check digit is wrong",
                          f"扶養親族{n}人目の個人番号が正しくありません（検査用数字が一致しません）",
                          field=f"{f}.my_number")
        if own is not None and d.my_number == own:
            raise problem("dependent_invalid", f"dependent {n} has the filer's own My Number",
                          f"扶養親族{n}人目の個人番号が申告者本人の番号です", field=f"{f}.my_number")
        if d.my_number in seen:
            raise problem("dependent_invalid", f"dependent {n} is listed twice",
                          f"扶養親族{n}人目は既に入力した方と同じ個人番号です", field=f"{f}.my_number")
        seen.add(d.my_number)
        if not is_katakana(d.name_kana):
            raise problem("kana_invalid", f"dependent {n}: kana expected",
                          f"扶養親族{n}人目のフリガナはカタカナで入力してください", field=f"{f}.name_kana")
        if d.birth_date > dec31:
            raise problem("dependent_invalid", f"dependent {n} was born after the income year",
                          f"扶養親族{n}人目の生年月日が{iy}年12月31日より後です", field=f"{f}.birth_date")
        if d.birth_date.year < 1900:
            raise problem("dependent_invalid", f"dependent {n}: birth date before 1900",
                          f"扶養親族{n}人目の生年月日を確認してください", field=f"{f}.birth_date")
        if d.relationship == "spouse":
            spouses += 1
            if spouses > 1:
                raise problem("dependent_invalid", "only one spouse can be claimed",
                              "控除対象配偶者は1人だけです", field=f"{f}.relationship")
        if d.relationship == "child" and d.birth_date <= filer.birth_date:
            raise problem("dependent_invalid", f"dependent {n}: a child older than the filer",
                          f"扶養親族{n}人目（子）が申告者より年上になっています", field=f"{f}.birth_date")
        if d.relationship == "parent" and d.birth_date >= filer.birth_date:
            raise problem("dependent_invalid", f"dependent {n}: a parent younger than the filer",
                          f"扶養親族{n}人目（父母）が申告者より年下になっています", field=f"{f}.birth_date")
        if d.income_estimate > income_limit(iy):
            raise problem("dependent_income_over_limit",
                          f"dependent {n}: income above {income_limit(iy)} yen",
                          f"扶養親族{n}人目の所得見積額が{income_limit(iy):,}円を超えるため、"
                          "扶養の対象になりません", field=f"{f}.income_estimate")
        known = db.scalar(select(Resident).where(
            Resident.my_number_index == cipher.index(d.my_number))) if my_number_access else None
        if known is not None and known.birth_date != d.birth_date:
            raise problem("dependent_invalid",
                          f"dependent {n}: the My Number belongs to a register record with "
                          "another birth date",
                          f"扶養親族{n}人目の個人番号と生年月日が住民記録と一致しません。"
                          "申告書の原本を確認してください", field=f"{f}.my_number")
    return filer, compute(req, filer.birth_date)


def submit_filing(db: Session, req: FilingIn, cipher: MyNumberCipher, *, operator: str,
                  device: str, today: dt.date, my_number_access: bool = True) -> TaxFiling:
    filer, computed = check_filing(db, req, cipher, operator=operator, device=device,
                                   today=today, now=dt.datetime.now(dt.timezone.utc),
                                   my_number_access=my_number_access)
    entry = req.model_dump(mode="json", exclude={"dependents", "resident_id", "fiscal_year",
                                                 "identity_method"})
    deps = []
    for d, amount in zip(req.dependents, computed["dependent_deductions"]):
        deps.append({"name": d.name, "name_kana": d.name_kana, "birth_date": d.birth_date.isoformat(),
                     "relationship": d.relationship, "income_estimate": d.income_estimate,
                     "lives_with": d.lives_with, "deduction": amount,
                     "my_number_enc": base64.b64encode(cipher.encrypt(d.my_number)).decode()})
    row = TaxFiling(resident_id=filer.id, fiscal_year=req.fiscal_year,
                    identity_method=req.identity_method, entry=entry, dependents=deps,
                    computed=computed, entered_by=operator, entered_device=device)
    db.add(row)
    db.flush()
    return row


def filing_view(db: Session, row: TaxFiling, cipher: MyNumberCipher, rights: dict) -> dict[str, Any]:
    """A filing for the checker: dependents' My Numbers only with 特定個人情報アクセス権限."""
    filer = db.get(Resident, row.resident_id)
    show = MY_NUMBER_ACCESS in rights
    deps = []
    for d in row.dependents:
        out = {k: v for k, v in d.items() if k != "my_number_enc"}
        out["my_number"] = cipher.decrypt(base64.b64decode(d["my_number_enc"])) if show else MASK
        deps.append(out)
    return {"id": row.id, "status": row.status, "fiscal_year": row.fiscal_year,
            "resident_id": row.resident_id, "filer": {"name_kanji": filer.name_kanji,
                                                      "name_kana": filer.name_kana,
                                                      "birth_date": filer.birth_date.isoformat(),
                                                      "address": filer.address},
            "identity_method": row.identity_method, "entry": row.entry, "dependents": deps,
            "computed": row.computed, "entered_by": row.entered_by,
            "entered_at": row.entered_at.isoformat() + "Z", "checked_by": row.checked_by,
            "return_reason": row.return_reason, "my_number_disclosed": show}


def open_filing(db: Session, filing_id: int, checker: str) -> TaxFiling:
    row = db.get(TaxFiling, filing_id)
    if row is None:
        raise problem("filing_not_found", f"No filing {filing_id}", "申告が見つかりません")
    if row.status != "submitted":
        raise problem("filing_not_open", f"Filing {filing_id} is {row.status}",
                      "この申告は既に二重チェック済みです")
    if row.entered_by == checker:
        raise problem("checker_is_entrant", "The entrant cannot check their own entry (TAX-3)",
                      "入力した本人は二重チェックできません。別の職員が確認してください")
    return row


def approve_filing(db: Session, row: TaxFiling, checker: str) -> TaxRecord:
    """二重チェック済み: write the 課税台帳 for the 年度 (a new record or a corrected one)."""
    c = row.computed
    rec = db.scalar(select(TaxRecord).where(TaxRecord.resident_id == row.resident_id,
                                            TaxRecord.fiscal_year == row.fiscal_year))
    if rec is None:
        rec = TaxRecord(resident_id=row.resident_id, fiscal_year=row.fiscal_year)
        db.add(rec)
    for name in ("employment_income", "pension_income", "other_income", "total_income",
                 "deductions", "taxable_income", "municipal_tax", "prefectural_tax",
                 "dependents_count"):
        setattr(rec, name, int(c[name]))
    if rec.id is not None:
        rec.version = (rec.version or 1) + 1
    row.status, row.checked_by, row.checked_at = "approved", checker, utcnow()
    db.flush()
    return rec


# --- 課税証明書・所得証明書 -----------------------------------------------------------------------


class TaxCertificateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    resident_id: Annotated[int, Field(ge=1, le=2**31 - 1)]
    kind: Literal["kazei", "shotoku"]
    fiscal_year: Annotated[int, Field(ge=2000, le=2100)]
    requester_relation: Literal["self", "household", "proxy", "third_party"]
    requester_name: Annotated[str, Field(max_length=100)] | None = None
    power_of_attorney_seen: bool = False
    purpose: Annotated[str, Field(min_length=1, max_length=40)]
    purpose_note: Annotated[str, Field(max_length=200)] | None = None
    copies: Annotated[int, Field(ge=1, le=MAX_COPIES)] = 1


def issue_certificate(db: Session, req: TaxCertificateRequest, *, operator: str, device: str,
                      today: dt.date) -> TaxCertificate:
    check_request_purpose(req.purpose, req.purpose_note)
    if req.requester_relation in ("proxy", "third_party"):
        if not req.power_of_attorney_seen:
            raise problem("power_of_attorney_required",
                          "A tax certificate for someone else needs a letter of proxy (委任状)",
                          "本人・同一世帯の方以外からの請求には委任状が必要です。委任状を確認してください",
                          field="power_of_attorney_seen")
        if not (req.requester_name or "").strip():
            raise problem("requester_name_required", "The proxy's name is recorded",
                          "代理人（請求者）の氏名を入力してください", field="requester_name")
    person = db.get(Resident, req.resident_id)
    if person is None or person.status != "current":
        raise problem("resident_not_found", "No current resident with that id",
                      "対象の住民が見つかりません（消除済みを含む）")
    if req.requester_relation in ("proxy", "third_party") and active_support_ids(db, [person.id], today):
        raise problem("support_measure_blocked",
                      "A support-measure subject: not issued to a proxy or third party",
                      "支援措置の対象者のため、代理人・第三者には交付できません。所属長の判断が必要です")
    rec = db.scalar(select(TaxRecord.id).where(TaxRecord.resident_id == person.id,
                                               TaxRecord.fiscal_year == req.fiscal_year))
    if rec is None:
        raise problem("tax_record_not_found", f"No tax record for fiscal year {req.fiscal_year}",
                      f"{req.fiscal_year}年度の課税記録がありません（未申告または当市で課税なし）",
                      field="fiscal_year")
    row = TaxCertificate(kind=req.kind, resident_id=person.id, fiscal_year=req.fiscal_year,
                         requester_relation=req.requester_relation,
                         requester_name=(req.requester_name or "").strip() or None,
                         power_of_attorney_seen=req.power_of_attorney_seen, purpose=req.purpose,
                         purpose_note=req.purpose_note, copies=req.copies,
                         fee_yen=fee_yen(req.kind, req.copies), operator_login=operator,
                         device_id=device)
    db.add(row)
    db.flush()
    return row


def certificate_no(row: TaxCertificate) -> str:
    return f"Z{row.issued_at:%Y}-{row.id:06d}"


def _record_fields(rec: TaxRecord) -> dict[str, int]:
    return {"employment_income": rec.employment_income, "pension_income": rec.pension_income,
            "other_income": rec.other_income, "total_income": rec.total_income,
            "deductions": rec.deductions, "taxable_income": rec.taxable_income,
            "municipal_tax": rec.municipal_tax, "prefectural_tax": rec.prefectural_tax,
            "dependents_count": rec.dependents_count}


def certificate_content(db: Session, row: TaxCertificate, *, operator: str, device: str,
                        now: dt.datetime) -> dict[str, Any]:
    """What the certificate shows: never a My Number (003 L579-580); once (``claim_content``)."""
    check_printable(row, operator=operator, device=device, now=now)
    claim_content(db, row, now=now)
    person = db.get(Resident, row.resident_id)
    rec = db.scalar(select(TaxRecord).where(TaxRecord.resident_id == row.resident_id,
                                            TaxRecord.fiscal_year == row.fiscal_year))
    return {"certificate_no": certificate_no(row), "kind": row.kind,
            "title": KINDS[row.kind]["label_ja"], "fiscal_year": row.fiscal_year,
            "issued_at": row.issued_at.isoformat() + "Z", "copies": row.copies,
            "person": {"name_kanji": person.name_kanji, "name_kana": person.name_kana,
                       "birth_date": person.birth_date.isoformat(), "address": person.address,
                       "katagaki": person.katagaki},
            "record": _record_fields(rec)}


# --- 照会 ------------------------------------------------------------------------------------------


class TaxInquiry(BaseModel):
    """A counter or phone inquiry: the caller's basic information plus the My Number (003 L584)."""

    model_config = ConfigDict(extra="forbid")
    name: Annotated[str, Field(max_length=100)] = ""
    birth_date: dt.date | None = None
    my_number: Annotated[str, Field(max_length=20)] = ""
    purpose: Annotated[str, Field(max_length=40)] | None = None
    purpose_note: Annotated[str, Field(max_length=200)] | None = None
    fiscal_year: Annotated[int, Field(ge=2000, le=2100)] | None = None


def inquire(db: Session, req: TaxInquiry, cipher: MyNumberCipher, *,
            my_number_access: bool = True) -> tuple[Resident, list[dict[str, Any]]]:
    """The caller's own tax records, only when name, birth date and My Number all match, for an
    operator who holds 特定個人情報アクセス権限: for anyone else the answer would confirm whose the
    number is, which the My Number search refuses them (#21 class 2)."""
    if not normalise_name(req.name) or req.birth_date is None or not req.my_number.strip():
        missing = ("name" if not normalise_name(req.name) else
                   "birth_date" if req.birth_date is None else "my_number")
        raise problem("identity_required",
                      "A tax inquiry needs the caller's name, birth date and My Number first",
                      "税の照会には本人確認（氏名・生年月日と個人番号）が必要です", field=missing)
    if not mynumber.is_valid(req.my_number.strip()):
        raise problem("my_number_check_digit", "The My Number is not valid",
                      "個人番号が正しくありません（12桁・検査用数字を確認してください）",
                      field="my_number")
    if not my_number_access:
        raise my_number_access_required(db, cipher, req.my_number.strip(), field="my_number")
    person = db.scalar(select(Resident).where(
        Resident.my_number_index == cipher.index(req.my_number.strip())))
    if (person is None or person.status != "current" or person.birth_date != req.birth_date
            or normalise_name(req.name) != person.name_search):
        # one answer for every mismatch: the caller learns nothing about whose number it is
        raise problem("identity_not_confirmed",
                      "Name, birth date and My Number do not identify one resident",
                      "本人確認ができませんでした。氏名・生年月日・個人番号をお確かめください。"
                      "照会内容はお答えできません")
    q = select(TaxRecord).where(TaxRecord.resident_id == person.id)
    if req.fiscal_year is not None:
        q = q.where(TaxRecord.fiscal_year == req.fiscal_year)
    rows = db.scalars(q.order_by(TaxRecord.fiscal_year.desc())).all()
    return person, [dict(_record_fields(r), fiscal_year=r.fiscal_year) for r in rows]
