"""住民票の写し: the fixed layout of the certificate as data (no Qt), from the centre's content.

``layout`` turns ``GET /v1/certificates/{id}/content`` into the lines a renderer draws: a title, the
household's address and 世帯主, one block per person with label/value rows, and the certification
text. Items not requested are printed as 「記載省略」 (the 個人番号 and 住民票コード by default), so a
reader sees that they were left out on purpose and no number appears (DQ-6). ``kisai_layout`` does
the same for a 記載事項証明書. The answers of the issuance calls are ``IssuedCertificate`` (``POST
/v1/certificates``) and ``CertificateContent`` (the content with its layout already made).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from japan.era import wareki

OMITTED = "記載省略"
MUNICIPALITY = "架空県さくら市"  # synthetic: no real municipality issues these
MAYOR = "架空県さくら市長　見本　一郎"

@dataclass
class IssuanceAttempt:
    """One press of 交付: the certificate number once the 帳票管理簿 has recorded the issuance.

    The centre serves a certificate's content once (#21 class 8). Once the issuance is recorded,
    whatever fails after it (the content not received, the PDF not saved) cannot be retried with
    the same Idempotency-Key: the retry would be answered the same issuance, whose content may
    already be spent. The next press is therefore a new issuance (a new key), recorded too: a
    reprint is always a recorded issuance."""

    certificate_no: str | None = None

    def recorded(self, certificate_no: str) -> None:
        self.certificate_no = certificate_no

    @property
    def needs_new_issuance(self) -> bool:
        """Whether a failure of this attempt makes the next press a new issuance."""
        return self.certificate_no is not None


@dataclass(frozen=True)
class PersonBlock:
    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class CertificateLayout:
    title: str
    certificate_no: str
    address: str
    householder: str
    persons: tuple[PersonBlock, ...]
    certification: str
    issued_on: str
    issuer: str
    # label/value rows above the blocks; empty = 住所 and 世帯主 (the 住民票の写し)
    header: tuple[tuple[str, str], ...] = ()


def layout(content: dict[str, Any]) -> CertificateLayout:
    included = content.get("included") or {}
    persons = []
    for p in content.get("persons") or []:
        rows: list[tuple[str, str]] = [("氏名", p.get("name_kanji", "")), ("フリガナ", p.get("name_kana", ""))]
        if p.get("tsusho"):
            rows.append(("通称", p["tsusho"]))
        rows += [("生年月日", wareki(p.get("birth_date"))),
                 ("性別", {"male": "男", "female": "女"}.get(p.get("sex", ""), ""))]
        if included.get("relationship"):
            rows.append(("続柄", p.get("relationship_to_head") or ""))
        rows += [("住民となった日", wareki(p.get("became_resident_on"))),
                 ("住所を定めた日", wareki(p.get("address_set_on"))),
                 ("前住所", p.get("previous_address") or "")]
        if included.get("honseki"):
            rows += [("本籍", p.get("honseki") or ""), ("筆頭者", p.get("hittousha") or "")]
        if p.get("nationality"):
            rows += [("国籍・地域", p["nationality"]), ("在留資格", p.get("residence_status") or ""),
                     ("在留期間満了日", wareki(p.get("residence_expiry")))]
        rows.append(("住民票コード", p["juminhyo_code"] if p.get("juminhyo_code") else OMITTED))
        rows.append(("個人番号", p["my_number"] if p.get("my_number") else OMITTED))
        persons.append(PersonBlock(tuple(rows)))
    address = content.get("address", "")
    if content.get("katagaki"):
        address = f"{address}　{content['katagaki']}"
    scope = "世帯全員" if content.get("scope") == "household" else "個人"
    return CertificateLayout(
        title=f"住民票の写し（{scope}）",
        certificate_no=str(content.get("certificate_no", "")),
        address=address,
        householder=content.get("householder") or "",
        persons=tuple(persons),
        certification="この写しは、住民票の原本と相違ないことを証明する。",
        issued_on=wareki((content.get("issued_at") or "")[:10]),
        issuer=MAYOR,
    )


# --- 記載事項証明書 (certificate of recorded items) ----------------------------------------------

KISAI_TITLE = "住民票記載事項証明書"
KISAI_CERTIFICATION = "上記の事項は、住民基本台帳（住民票）に記載されていることを証明する。"
KISAI_LABELS = {"name": "氏名", "birth_date": "生年月日", "sex": "性別", "address": "住所",
                "became_resident_on": "住民となった日", "householder_relationship": "世帯主・続柄",
                "honseki": "本籍・筆頭者"}


@dataclass(frozen=True)
class KisaiLayout:
    """記載事項証明書: the 提出先 and purpose, one table of the certified items, the sentence."""

    title: str
    certificate_no: str
    submit_to: str
    purpose: str
    rows: tuple[tuple[str, str], ...]
    certification: str
    issued_on: str
    issuer: str


def kisai_layout(content: dict[str, Any]) -> KisaiLayout:
    """Rows for exactly the items the centre certified, in its order; nothing else."""
    p = content.get("person") or {}
    rows: list[tuple[str, str]] = []
    for item in content.get("items") or []:
        if item == "name":
            rows += [("氏名", p.get("name_kanji") or ""), ("フリガナ", p.get("name_kana") or "")]
            if p.get("tsusho"):
                rows.append(("通称", p["tsusho"]))
        elif item == "birth_date":
            rows.append(("生年月日", wareki(p.get("birth_date"))))
        elif item == "sex":
            rows.append(("性別", {"male": "男", "female": "女"}.get(p.get("sex", ""), "")))
        elif item == "address":
            address = p.get("address") or ""
            rows.append(("住所", f"{address}　{p['katagaki']}" if p.get("katagaki") else address))
        elif item == "became_resident_on":
            rows.append(("住民となった日", wareki(p.get("became_resident_on"))))
        elif item == "householder_relationship":
            rows += [("世帯主", p.get("householder") or ""), ("続柄", p.get("relationship_to_head") or "")]
        elif item == "honseki":
            rows += [("本籍", p.get("honseki") or "（記載なし）"), ("筆頭者", p.get("hittousha") or "")]
    purpose = str(content.get("purpose_ja") or "")
    if content.get("purpose_note"):
        purpose = f"{purpose}（{content['purpose_note']}）"
    return KisaiLayout(
        title=KISAI_TITLE, certificate_no=str(content.get("certificate_no", "")),
        submit_to=str(content.get("submit_to") or ""), purpose=purpose, rows=tuple(rows),
        certification=KISAI_CERTIFICATION,
        issued_on=wareki((content.get("issued_at") or "")[:10]), issuer=MAYOR)


# --- 転出証明書 (#22 point 2) -------------------------------------------------------------------

TENSHUTSU_TITLE = "転出証明書"
TENSHUTSU_CERTIFICATION = "上記の者は、本市から転出する予定であることを証明する。"
QUALIFICATION_LABELS = (("kokuho", "国民健康保険"), ("kouki", "後期高齢者医療"), ("kaigo", "介護保険"),
                        ("nenkin", "国民年金"), ("jidou_teate", "児童手当"))


def tenshutsu_layout(content: dict[str, Any]) -> CertificateLayout:
    """転出証明書: 住所, 世帯主, 転出先 and 転出の予定年月日 above, one block per person (氏名, 出生の
    年月日, 男女の別, 続柄, 本籍・筆頭者, 住民票コード, 個人番号 — 「記載省略」 when the centre left it
    out — and the 資格 items 有/無)."""
    persons = []
    for p in content.get("persons") or []:
        name = p.get("name_kanji", "")
        if p.get("former_surname"):
            name = f"{name}（旧氏　{p['former_surname']}）"
        rows: list[tuple[str, str]] = [
            ("氏名", name), ("フリガナ", p.get("name_kana", "")),
            ("出生の年月日", wareki(p.get("birth_date"))),
            ("男女の別", {"male": "男", "female": "女"}.get(p.get("sex", ""), "")),
            ("続柄", p.get("relationship_to_head") or "")]
        if p.get("nationality"):
            rows.append(("国籍・地域", p["nationality"]))
        else:
            rows += [("本籍", p.get("honseki") or ""), ("筆頭者", p.get("hittousha") or "")]
        rows += [("住所を定めた日", wareki(p.get("address_set_on"))),
                 ("住民票コード", p.get("juminhyo_code") or OMITTED),
                 ("個人番号", p.get("my_number") or OMITTED)]
        quals = p.get("qualifications") or {}
        marks = [f"{label}：{'有' if quals.get(key) else '無'}" for key, label in QUALIFICATION_LABELS]
        rows += [("資格（医療・介護）", "　".join(marks[:3])), ("資格（年金・手当）", "　".join(marks[3:]))]
        persons.append(PersonBlock(tuple(rows)))
    address = content.get("address", "")
    if content.get("katagaki"):
        address = f"{address}　{content['katagaki']}"
    return CertificateLayout(
        title=TENSHUTSU_TITLE, certificate_no=str(content.get("certificate_no", "")),
        address=address, householder=content.get("householder") or "", persons=tuple(persons),
        certification=TENSHUTSU_CERTIFICATION,
        issued_on=wareki((content.get("issued_at") or "")[:10]), issuer=MAYOR,
        header=(("住所", address), ("世帯主", content.get("householder") or ""),
                ("転出先", content.get("moved_out_to") or ""),
                ("転出の予定年月日", wareki(content.get("planned_date")))))


# --- the issuance calls' answers ---------------------------------------------------------------


@dataclass(frozen=True)
class IssuedCertificate:
    """``POST /v1/certificates``: the 帳票管理簿 entry the centre made (no personal data)."""

    issuance_id: int
    certificate_no: str
    persons: int  # how many persons the certificate shows

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> IssuedCertificate:
        return cls(issuance_id=int(data["issuance_id"]), certificate_no=str(data["certificate_no"]),
                   persons=int(data.get("persons") or 0))


@dataclass(frozen=True, repr=False)
class CertificateContent:
    """``GET /v1/certificates/{id}/content``: what to print as its fixed layout (``layout`` for a
    住民票の写し, ``kisai_layout`` for a 記載事項証明書) and how many copies. The repr names no
    person."""

    kind: str  # juminhyo / kisai / tenshutsu
    certificate_no: str
    copies: int
    document: CertificateLayout | KisaiLayout

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CertificateContent:
        content = dict(data)
        kind = str(content.get("kind") or "juminhyo")
        return cls(kind=kind, certificate_no=str(content.get("certificate_no", "")),
                   copies=int(content.get("copies") or 1),
                   document=kisai_layout(content) if kind == "kisai"
                   else tenshutsu_layout(content) if kind == "tenshutsu" else layout(content))

    def __repr__(self) -> str:
        return f"CertificateContent(kind={self.kind}, certificate_no={self.certificate_no})"
