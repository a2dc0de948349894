"""個人住民税の窓口 on the client (#8): checking what the clerk typed before it goes to the centre, and
the fixed layout of the 課税証明書 / 所得証明書. No Qt.

``check_filing`` turns the typed 申告 (strings, as on the form) into the centre's request, or a
Japanese message per field (``dependents.1.my_number`` …) to show beside it; the centre checks all
of it again and computes the tax. The My Number check digit, the フリガナ check and the 和暦 of
年度 and dates are japan/'s.
``certificate_layout`` makes the certificate's lines from ``GET /v1/tax/certificates/{id}/content``:
年度, 所得金額, 所得控除, 課税標準, 税額, 扶養人数 — the content never has a My Number and neither
does the layout. Fees are the centre's (``GET /v1/tax/certificate-kinds``), never typed here.

The centre's answers to the tax counter's calls are frozen dataclasses read by ``from_json``
(``CentralClient`` returns them): ``TaxFilingReceipt`` (the 申告 as computed), ``TaxInquiryAnswer``
(税の照会), ``TaxCertificateKinds``, ``TaxCertificateIssued`` and ``TaxCertificateContent``. The
amounts of one 年度 are a ``TaxAmounts``. None of them shows a person or an amount in its repr.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import Any

from app.certificate import MAYOR, CertificateLayout, PersonBlock
from app.residents import normalize_birth_date
from japan import mynumber
from japan.era import nendo, wareki
from japan.kana import fold_width, is_katakana

AMOUNT_MAX = 1_000_000_000
MAX_DEPENDENTS = 10
RELATIONSHIPS = {"spouse": "配偶者", "child": "子", "parent": "父母", "other": "その他の親族"}
AMOUNT_FIELDS = ("employment_revenue", "pension_revenue", "other_income", "social_insurance",
                 "life_insurance", "medical")


def parse_amount(text: str) -> int | None:
    """金額: full-width digits, commas and a trailing 円 are fine; '' is 0; None if not a number."""
    t = fold_width(text or "").replace(",", "").replace("円", "").strip()
    if not t:
        return 0
    if not t.isdigit():
        return None
    return int(t)


def yen(value: int | None) -> str:
    return f"{int(value or 0):,}円"


@dataclass
class DependentForm:
    name: str = ""
    name_kana: str = ""
    birth_date: str = ""
    relationship: str = ""
    my_number: str = ""
    income_estimate: str = ""
    lives_with: bool = True


@dataclass
class FilingForm:
    """The 申告 as typed (every value a string, as on the form)."""

    resident_id: int
    fiscal_year: int
    identity_method: str | None  # from the recorded 本人確認, None if not yet done
    amounts: dict[str, str] = field(default_factory=dict)
    dependents: list[DependentForm] = field(default_factory=list)


def check_filing(form: FilingForm) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """(request, {}) or (None, {field: 日本語のメッセージ}); nothing typed is changed."""
    errors: dict[str, str] = {}
    if not form.identity_method:
        errors["identity"] = "申告者の本人確認（カードまたは書類）を先に行ってください"
    body: dict[str, Any] = {"resident_id": form.resident_id, "fiscal_year": form.fiscal_year,
                            "identity_method": form.identity_method or "documents"}
    for name in AMOUNT_FIELDS:
        value = parse_amount(form.amounts.get(name, ""))
        if value is None:
            errors[name] = "金額は半角または全角の数字で入力してください（例: 3,600,000）"
        elif value > AMOUNT_MAX:
            errors[name] = "金額が入力の上限（10億円）を超えています"
        else:
            body[name] = value
    if body.get("life_insurance", 0) > 70_000:
        errors["life_insurance"] = "生命保険料控除は住民税では7万円が上限です"
    if body.get("medical", 0) > 2_000_000:
        errors["medical"] = "医療費控除は200万円が上限です"
    deps: list[dict[str, Any]] = []
    numbers: set[str] = set()
    spouses = 0
    if len(form.dependents) > MAX_DEPENDENTS:
        errors["dependents"] = f"扶養親族は{MAX_DEPENDENTS}人まで入力できます"
    income_year_end = dt.date(form.fiscal_year - 1, 12, 31)
    for i, d in enumerate(form.dependents):
        n, f = i + 1, f"dependents.{i}"
        name = d.name.strip()
        if not name:
            errors[f"{f}.name"] = f"扶養親族{n}人目の氏名を入力してください"
        kana = fold_width(d.name_kana).strip()
        if not kana or not is_katakana(kana):
            errors[f"{f}.name_kana"] = f"扶養親族{n}人目のフリガナをカタカナで入力してください"
        birth = normalize_birth_date(d.birth_date)
        try:
            born = dt.date.fromisoformat(birth)
        except ValueError:
            born = None
            errors[f"{f}.birth_date"] = f"扶養親族{n}人目の生年月日は 1990-04-01 の形で入力してください"
        if born is not None and born > income_year_end:
            errors[f"{f}.birth_date"] = (f"扶養親族{n}人目の生年月日が"
                                         f"{income_year_end.year}年12月31日より後です")
        if d.relationship not in RELATIONSHIPS:
            errors[f"{f}.relationship"] = f"扶養親族{n}人目の続柄を選んでください"
        elif d.relationship == "spouse":
            spouses += 1
            if spouses > 1:
                errors[f"{f}.relationship"] = "控除対象配偶者は1人だけです"
        number = fold_width(d.my_number).replace(" ", "").replace("-", "")
        if not (len(number) == 12 and number.isdigit()):
            errors[f"{f}.my_number"] = f"扶養親族{n}人目の個人番号は12桁の数字で入力してください"
        elif not mynumber.is_valid(number):
            errors[f"{f}.my_number"] = (f"扶養親族{n}人目の個人番号が正しくありません"
                                        "（検査用数字が一致しません）")
        elif number in numbers:
            errors[f"{f}.my_number"] = f"扶養親族{n}人目は既に入力した方と同じ個人番号です"
        numbers.add(number)
        income = parse_amount(d.income_estimate)
        if income is None or income > AMOUNT_MAX:
            errors[f"{f}.income_estimate"] = f"扶養親族{n}人目の所得見積額を数字で入力してください"
        deps.append({"name": name, "name_kana": kana, "birth_date": birth,
                     "relationship": d.relationship, "my_number": number,
                     "income_estimate": income or 0, "lives_with": d.lives_with})
    body["dependents"] = deps
    return (None, errors) if errors else (body, {})


# --- the centre's answers: 申告, 照会 --------------------------------------------------------------


def _int(data: dict[str, Any], key: str) -> int:
    return int(data.get(key) or 0)


@dataclass(frozen=True, repr=False)
class TaxAmounts:
    """所得・所得控除・課税標準・税額 of one 年度: a 申告 as the centre computed it, or a 課税台帳
    record. The repr shows no amount."""

    fiscal_year: int | None = None  # where the answer names it (the 照会's records)
    employment_income: int = 0
    pension_income: int = 0
    other_income: int = 0
    total_income: int = 0
    deductions: int = 0
    taxable_income: int = 0
    municipal_tax: int = 0
    prefectural_tax: int = 0
    dependents_count: int = 0

    @property
    def tax(self) -> int:
        """税額: 市民税 and 県民税 (所得割) together."""
        return self.municipal_tax + self.prefectural_tax

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TaxAmounts:
        year = data.get("fiscal_year")
        amounts = {f.name: _int(data, f.name) for f in fields(cls) if f.name != "fiscal_year"}
        return cls(fiscal_year=int(year) if year is not None else None, **amounts)

    def __repr__(self) -> str:
        return f"TaxAmounts(fiscal_year={self.fiscal_year})"


@dataclass(frozen=True, repr=False)
class TaxFilingReceipt:
    """The answer to ``POST /v1/tax/filings``: the 申告's number and status (``submitted``: waiting
    for 二重チェック) and what the centre computed from it."""

    filing_id: int
    status: str
    computed: TaxAmounts

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TaxFilingReceipt:
        return cls(filing_id=int(data["filing_id"]), status=str(data.get("status") or ""),
                   computed=TaxAmounts.from_json(data.get("computed") or {}))

    def __repr__(self) -> str:
        return f"TaxFilingReceipt(filing_id={self.filing_id}, status={self.status})"


@dataclass(frozen=True, repr=False)
class TaxInquiryAnswer:
    """The answer to ``POST /v1/tax/inquiries`` (税の照会): the caller the centre identified and their
    課税台帳 records, newest 年度 first. The repr names no person."""

    name_kanji: str
    name_kana: str
    address: str
    records: tuple[TaxAmounts, ...]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TaxInquiryAnswer:
        person = data.get("person") or {}
        return cls(name_kanji=str(person.get("name_kanji") or ""),
                   name_kana=str(person.get("name_kana") or ""),
                   address=str(person.get("address") or ""),
                   records=tuple(TaxAmounts.from_json(r) for r in data.get("records") or ()))

    def __repr__(self) -> str:
        return f"TaxInquiryAnswer(records={len(self.records)})"


# --- 証明書 -----------------------------------------------------------------------------------------

CERTIFICATION = {
    "kazei": "上記のとおり課税されていることを証明する。",
    "shotoku": "上記のとおり所得があったことを証明する。",
}


@dataclass(frozen=True)
class CertificateKind:
    """One kind of certificate on offer (課税証明書, 所得証明書) and its fee per copy."""

    code: str
    label_ja: str
    label_en: str
    fee_yen_per_copy: int

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CertificateKind:
        return cls(code=str(data["code"]), label_ja=str(data.get("label_ja") or ""),
                   label_en=str(data.get("label_en") or ""),
                   fee_yen_per_copy=int(data["fee_yen_per_copy"]))


@dataclass(frozen=True)
class TaxCertificateKinds:
    """``GET /v1/tax/certificate-kinds``: the kinds with their fees, and the 年度 on offer (newest
    first) for a certificate and for a 申告."""

    kinds: tuple[CertificateKind, ...] = ()
    fiscal_years: tuple[int, ...] = ()

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TaxCertificateKinds:
        return cls(kinds=tuple(CertificateKind.from_json(k) for k in data.get("kinds") or ()),
                   fiscal_years=tuple(int(y) for y in data.get("fiscal_years") or ()))

    def kind(self, code: object) -> CertificateKind | None:
        return next((k for k in self.kinds if k.code == code), None)


@dataclass(frozen=True)
class TaxCertificateIssued:
    """The answer to ``POST /v1/tax/certificates``: recorded in the 帳票管理簿 with its fee."""

    issuance_id: int
    certificate_no: str
    copies: int
    fee_yen: int

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TaxCertificateIssued:
        return cls(issuance_id=int(data["issuance_id"]),
                   certificate_no=str(data.get("certificate_no") or ""),
                   copies=int(data.get("copies") or 1), fee_yen=_int(data, "fee_yen"))


@dataclass(frozen=True, repr=False)
class TaxCertificateContent:
    """``GET /v1/tax/certificates/{id}/content``: what to print, as the fixed layout
    (``certificate_layout``), and how many copies. The repr names no person."""

    certificate_no: str
    copies: int
    layout: CertificateLayout

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TaxCertificateContent:
        return cls(certificate_no=str(data.get("certificate_no") or ""),
                   copies=int(data.get("copies") or 1), layout=certificate_layout(data))

    def __repr__(self) -> str:
        return f"TaxCertificateContent(certificate_no={self.certificate_no}, copies={self.copies})"


def certificate_layout(content: dict[str, Any]) -> CertificateLayout:
    """課税証明書 / 所得証明書 in the same fixed A4 layout as the 住民票の写し (no My Number)."""
    kind = str(content.get("kind") or "kazei")
    fy = int(content.get("fiscal_year") or 0)
    rec = content.get("record") or {}
    person = content.get("person") or {}
    income_year = fy - 1
    rows: list[tuple[str, str]] = [
        ("年度", f"{nendo(fy)}（{fy}年度・{income_year}年中の所得）"),
        ("給与所得", yen(rec.get("employment_income"))),
        ("公的年金等に係る雑所得", yen(rec.get("pension_income"))),
        ("その他の所得", yen(rec.get("other_income"))),
        ("所得金額（合計）", yen(rec.get("total_income"))),
        ("所得控除額", yen(rec.get("deductions"))),
        ("扶養人数", f"{int(rec.get('dependents_count') or 0)}人"),
    ]
    if kind == "kazei":
        municipal, prefectural = int(rec.get("municipal_tax") or 0), int(rec.get("prefectural_tax") or 0)
        rows[6:6] = [("課税標準額", yen(rec.get("taxable_income")))]
        rows += [("市民税（所得割）", yen(municipal)), ("県民税（所得割）", yen(prefectural)),
                 ("税額（合計）", yen(municipal + prefectural))]
    address = str(person.get("address") or "")
    if person.get("katagaki"):
        address = f"{address}　{person['katagaki']}"
    header = (("住所", address), ("氏名", str(person.get("name_kanji") or "")),
              ("フリガナ", str(person.get("name_kana") or "")),
              ("生年月日", wareki(person.get("birth_date"))))
    title = str(content.get("title") or ("課税証明書" if kind == "kazei" else "所得証明書"))
    return CertificateLayout(
        title=f"{title}（{nendo(fy)}）",
        certificate_no=str(content.get("certificate_no", "")),
        address=address,
        householder="",
        persons=(PersonBlock(tuple(rows)),),
        certification=CERTIFICATION.get(kind, CERTIFICATION["kazei"]),
        issued_on=wareki((content.get("issued_at") or "")[:10]),
        issuer=MAYOR,
        header=header,
    )


# --- 二重チェック ----------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class FiledDependent:
    """One 扶養親族 of a filing as the checker sees it; ``my_number`` is masked unless the operator
    holds 特定個人情報アクセス権限. The repr names no person."""

    name: str
    name_kana: str
    birth_date: str
    relationship: str  # a key of RELATIONSHIPS
    my_number: str
    income_estimate: int

    def __repr__(self) -> str:
        return f"FiledDependent(relationship={self.relationship})"


@dataclass(frozen=True, repr=False)
class FilingForCheck:
    """A 住民税申告 waiting for the 二重チェック (``GET /v1/tax/filings``): who filed it, the amounts as
    entered (``AMOUNT_FIELDS``), the dependents, the centre's computation and who entered it. The
    repr names no person."""

    id: int
    status: str
    fiscal_year: int
    resident_id: int
    filer_name: str
    filer_kana: str
    filer_birth_date: str
    filer_address: str
    identity_method: str
    amounts: tuple[tuple[str, int], ...]  # (AMOUNT_FIELDS key, 円) as entered
    dependents: tuple[FiledDependent, ...]
    total_income: int
    deductions: int
    taxable_income: int
    tax: int  # 市民税 + 県民税
    entered_by: str

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FilingForCheck:
        filer, entry, computed = (data.get("filer") or {}, data.get("entry") or {},
                                  data.get("computed") or {})
        return cls(
            id=int(data["id"]), status=str(data.get("status") or ""),
            fiscal_year=int(data.get("fiscal_year") or 0),
            resident_id=int(data.get("resident_id") or 0),
            filer_name=str(filer.get("name_kanji") or ""), filer_kana=str(filer.get("name_kana") or ""),
            filer_birth_date=str(filer.get("birth_date") or ""),
            filer_address=str(filer.get("address") or ""),
            identity_method=str(data.get("identity_method") or ""),
            amounts=tuple((name, int(entry.get(name) or 0)) for name in AMOUNT_FIELDS),
            dependents=tuple(FiledDependent(
                name=str(d.get("name") or ""), name_kana=str(d.get("name_kana") or ""),
                birth_date=str(d.get("birth_date") or ""), relationship=str(d.get("relationship") or ""),
                my_number=str(d.get("my_number") or ""), income_estimate=int(d.get("income_estimate") or 0))
                for d in data.get("dependents") or ()),
            total_income=int(computed.get("total_income") or 0),
            deductions=int(computed.get("deductions") or 0),
            taxable_income=int(computed.get("taxable_income") or 0),
            tax=int(computed.get("municipal_tax") or 0) + int(computed.get("prefectural_tax") or 0),
            entered_by=str(data.get("entered_by") or ""))

    def __repr__(self) -> str:
        return f"FilingForCheck(id={self.id}, status={self.status}, fiscal_year={self.fiscal_year})"
