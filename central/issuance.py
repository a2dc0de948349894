"""交付: who may get which 住民票の写し with what on it (WF-6, DQ-6, WF-7), and the 帳票管理簿.

Rules, checked before anything is recorded:
* the requested person must be a current resident; a 世帯連記式 copy lists the current household;
* a proxy (代理人) needs a 委任状 seen by the clerk; a third party (第三者) states a purpose;
* the 個人番号 is printed only when asked for, only to the person or the same household, only with a
  請求理由 that 番号法 allows and a 提出先 (000 L3784-3786), and only by an operator holding
  特定個人情報アクセス権限 (AUTHZ-2);
* a 支援措置 target or co-protected person on the certificate blocks issuance to a proxy or third
  party (WF-7): the block is the server's; only a supervisor's approval of this very request, named
  by ``support_decision_id``, lifts it, once, on the day it was given (support_decision.py);
* 住民票コード, 本籍・筆頭者 and 続柄 are printed only when asked for (omitted by default);
* a 記載事項証明書 (kind ``kisai``) certifies only the items the clerk chose, for one person, with
  the 提出先; never a 個人番号 or 住民票コード; 本籍 only when asked for; the same proxy, third-party
  and 支援措置 rules as the 住民票の写し.
Every issuance is one ``Issuance`` row (who, when, what, for whom, why) and one audit row. The
certificate's content is assembled on demand for the issuing operator and never stored.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import update
from sqlalchemy.orm import Session

from . import support_decision
from .crypto import MyNumberCipher
from .models import Issuance, Resident
from .problems import problem
from .register import PURPOSES, active_support_ids, check_request_purpose
from .rights import MY_NUMBER_ACCESS

# 番号法で個人番号の提供が認められる事務 (the reasons a 請求理由 may give), by code.
MY_NUMBER_REASONS: dict[str, str] = {
    "social_security": "社会保障（年金・医療・介護・福祉・労働保険）",
    "tax": "税（申告・届出・源泉徴収）",
    "disaster": "災害対策",
    "employer": "勤務先への提出（社会保険・税の手続き）",
}

# 記載事項証明書: the items that may be certified, in the order they are printed.
KISAI_ITEMS = ("name", "birth_date", "sex", "address", "became_resident_on",
               "householder_relationship", "honseki")
KisaiItem = Literal["name", "birth_date", "sex", "address", "became_resident_on",
                    "householder_relationship", "honseki"]

CONTENT_TTL = dt.timedelta(minutes=15)  # the issuing operator prints it now, not later


class IncludeOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    my_number: bool = False
    juminhyo_code: bool = False
    honseki: bool = False
    relationship: bool = True


class IssueRequest(BaseModel):
    """One 住民票の写し request as the clerk took it at the counter."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["juminhyo", "kisai"] = "juminhyo"  # 住民票の写し / 記載事項証明書
    resident_id: Annotated[int, Field(ge=1, le=2**31 - 1)]
    scope: Literal["individual", "household"] = "individual"
    requester_relation: Literal["self", "household", "proxy", "third_party"]
    power_of_attorney_seen: bool = False  # 委任状を確認した
    purpose: Annotated[str, Field(min_length=1, max_length=40)]
    purpose_note: Annotated[str, Field(max_length=200)] | None = None
    include: IncludeOptions = IncludeOptions()
    my_number_reason: Annotated[str, Field(max_length=40)] | None = None
    submit_to: Annotated[str, Field(max_length=100)] | None = None
    copies: Annotated[int, Field(ge=1, le=10)] = 1
    support_decision_id: Annotated[int, Field(ge=1, le=2**31 - 1)] | None = None  # 所属長の判断
    items: Annotated[list[KisaiItem], Field(max_length=len(KISAI_ITEMS))] | None = None  # kisai


def _check_kisai(req: IssueRequest) -> None:
    if req.include.my_number or req.include.juminhyo_code:
        raise problem("kisai_item_not_allowed",
                      "A certificate of recorded items never carries a My Number or 住民票コード",
                      "記載事項証明書には個人番号・住民票コードは記載できません", field="include")
    if req.scope != "individual":
        raise problem("invalid_request", "A certificate of recorded items is for one person",
                      "記載事項証明書は一人ずつ請求してください", field="scope")
    if not req.items:
        raise problem("kisai_items_required", "Choose the items to certify",
                      "証明する事項を一つ以上選んでください", field="items")
    if len(set(req.items)) != len(req.items):
        raise problem("invalid_request", "An item is listed twice", "証明する事項が重複しています",
                      field="items")
    if not (req.submit_to or "").strip():
        raise problem("submit_to_required", "A certificate of recorded items names where it goes",
                      "記載事項証明書には提出先が必要です", field="submit_to")


def _check(req: IssueRequest, rights: dict[str, Any]) -> None:
    if req.kind == "kisai":
        _check_kisai(req)
    elif req.items is not None:
        raise problem("invalid_request", "items are for a certificate of recorded items",
                      "証明する事項の選択は記載事項証明書の場合だけです", field="items")
    check_request_purpose(req.purpose, req.purpose_note)
    if req.requester_relation == "proxy" and not req.power_of_attorney_seen:
        raise problem("power_of_attorney_required", "A proxy needs a letter of proxy",
                      "代理人による請求には委任状の確認が必要です", field="power_of_attorney_seen")
    if req.include.my_number:
        if req.requester_relation not in ("self", "household"):
            raise problem("my_number_not_for_requester",
                          "The My Number is printed only for the person or the same household",
                          "個人番号入りの住民票の写しは、本人または同一世帯の方にしか交付できません",
                          field="include")
        if MY_NUMBER_ACCESS not in rights:
            raise problem("forbidden", "Printing a My Number needs 特定個人情報アクセス権限",
                          "個人番号を記載するには特定個人情報アクセス権限が必要です")
        if not req.my_number_reason or not (req.submit_to or "").strip():
            raise problem("my_number_reason_required",
                          "A My Number copy needs the reason and where it will be submitted",
                          "個人番号を記載する場合は請求理由と提出先が必要です",
                          field="my_number_reason")
        if req.my_number_reason not in MY_NUMBER_REASONS:
            raise problem("my_number_purpose_not_allowed",
                          "The stated reason is not one the My Number Act allows",
                          "請求理由が番号法で認められた事務ではないため、個人番号は記載できません",
                          field="my_number_reason")


def issue(db: Session, req: IssueRequest, *, rights: dict[str, Any], operator: str,
          device: str, today: dt.date) -> Issuance:
    """Check the request and record the issuance (帳票管理簿); raise a Problem to refuse."""
    _check(req, rights)
    person = db.get(Resident, req.resident_id)
    if person is None or person.status != "current":
        raise problem("resident_not_found", "No current resident with that id",
                      "対象の住民が見つかりません（消除済みを含む）")
    ids = [m.id for m in support_decision.certificate_members(db, person, req.scope)]
    protected = active_support_ids(db, ids, today)
    decision = None
    if req.support_decision_id is not None:  # named: it must cover this request, blocked or not
        decision = support_decision.use(db, req.support_decision_id, kind=req.kind,
                                        resident_id=person.id, scope=req.scope,
                                        requester_relation=req.requester_relation,
                                        purpose=req.purpose, operator=operator, today=today)
    elif protected and req.requester_relation in support_decision.BLOCKED_RELATIONS:
        raise problem("support_measure_blocked",
                      "A support-measure subject is on the certificate: not issued to a proxy or "
                      "third party without a supervisor's decision",
                      "支援措置の対象者が含まれるため、代理人・第三者には交付できません。"
                      "所属長の判断が必要です", decision_possible=True)
    if req.kind == "kisai":  # only the chosen items, in print order; never a number
        included: dict[str, Any] = {"items": [i for i in KISAI_ITEMS if i in (req.items or [])]}
        submit_to: str | None = (req.submit_to or "").strip()
    else:
        included = req.include.model_dump()
        submit_to = req.submit_to if req.include.my_number else None
    row = Issuance(kind=req.kind, support_decision_id=decision.id if decision else None,
                   scope=req.scope, resident_id=person.id, person_ids=ids,
                   requester_relation=req.requester_relation, purpose=req.purpose,
                   purpose_note=req.purpose_note, included=included,
                   my_number_reason=req.my_number_reason if req.include.my_number else None,
                   submit_to=submit_to,
                   copies=req.copies, operator_login=operator, device_id=device)
    db.add(row)
    db.flush()
    return row


def check_printable(row: Any, *, operator: str, device: str, now: dt.datetime) -> None:
    """A certificate's content is printed only by the operator on the terminal that issued it,
    shortly after (住民票の写し and 課税・所得証明書 alike); otherwise a problem."""
    if row.operator_login != operator or row.device_id != device:
        raise problem("forbidden", "Only the issuing operator on the issuing terminal may print it",
                      "交付した職員・端末以外では印刷できません")
    if now - row.issued_at > CONTENT_TTL:
        raise problem("certificate_expired", "The certificate content is no longer available",
                      "交付から時間が経ったため印刷できません。もう一度交付手続きをしてください")


def claim_content(db: Session, row: Any, *, now: dt.datetime) -> None:
    """Mark the content of ``row`` (an Issuance or a TaxCertificate) served, or refuse: it is
    served once (#21 class 8; a reprint is a new issuance, recorded). One statement checks and
    sets it (UPDATE … WHERE content_served_at IS NULL): of two simultaneous requests exactly one
    gets the content, on SQLite (one writer) and on PostgreSQL (the second UPDATE waits for the
    first's row lock, then finds the row served). In the caller's transaction: if the content
    is not answered after all (its audit row fails), the mark goes with it."""
    model = type(row)
    claimed = db.execute(update(model).where(model.id == row.id,
                                             model.content_served_at.is_(None))
                         .values(content_served_at=now)
                         .execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        raise problem("certificate_content_served",
                      f"The content of issuance {row.id} was served once already; a reprint is "
                      "a new issuance",
                      "この証明書の内容は一度だけ取得できます。もう一度印刷するには、改めて交付手続きを"
                      "してください（帳票管理簿に記録されます）")


def content(db: Session, row: Issuance, cipher: MyNumberCipher, *, operator: str, device: str,
            now: dt.datetime) -> dict[str, Any]:
    """What the certificate shows, for the operator and terminal that issued it, shortly after,
    once (``claim_content``)."""
    check_printable(row, operator=operator, device=device, now=now)
    claim_content(db, row, now=now)
    if row.kind == "kisai":
        return _kisai_content(db, row)
    if row.kind == "tenshutsu":  # 転出証明書 (#22 point 2)
        from . import tenshutsu
        return tenshutsu.content(db, row, cipher)
    inc = row.included or {}
    people = []
    for rid in row.person_ids:
        r = db.get(Resident, rid)
        entry: dict[str, Any] = {
            "name_kanji": r.name_kanji, "name_kana": r.name_kana,
            "birth_date": r.birth_date.isoformat(), "sex": r.sex,
            "became_resident_on": r.became_resident_on.isoformat(),
            "address_set_on": r.address_set_on.isoformat(),
            "previous_address": r.previous_address or r.moved_in_from,
            "tsusho": r.tsusho, "nationality": r.nationality if r.is_foreign else None,
            "residence_status": r.residence_status if r.is_foreign else None,
            "residence_expiry": r.residence_expiry.isoformat() if r.is_foreign and r.residence_expiry else None,
        }
        if inc.get("relationship"):
            entry["relationship_to_head"] = r.relationship_to_head
        if inc.get("honseki") and not r.is_foreign:
            entry["honseki"], entry["hittousha"] = r.honseki, r.hittousha
        if inc.get("juminhyo_code"):
            entry["juminhyo_code"] = r.juminhyo_code
        if inc.get("my_number") and r.my_number_enc is not None:
            entry["my_number"] = cipher.decrypt(r.my_number_enc)
        people.append(entry)
    head = db.get(Resident, row.resident_id)
    householder = next((m.name_kanji for m in head.household.members
                        if m.relationship_to_head == "世帯主" and m.status == "current"), None)
    return {"certificate_no": f"{row.issued_at:%Y}-{row.id:06d}", "kind": row.kind,
            "scope": row.scope, "issued_at": row.issued_at.isoformat() + "Z",
            "address": head.address, "katagaki": head.katagaki,
            "householder": householder, "persons": people, "copies": row.copies,
            "included": inc}


def _kisai_content(db: Session, row: Issuance) -> dict[str, Any]:
    """記載事項証明書: the chosen items only (no 個人番号, no 住民票コード, whatever was asked)."""
    r = db.get(Resident, row.resident_id)
    items = [i for i in KISAI_ITEMS if i in (row.included or {}).get("items", [])]
    person: dict[str, Any] = {}
    if "name" in items:
        person.update(name_kanji=r.name_kanji, name_kana=r.name_kana, tsusho=r.tsusho)
    if "birth_date" in items:
        person["birth_date"] = r.birth_date.isoformat()
    if "sex" in items:
        person["sex"] = r.sex
    if "address" in items:
        person.update(address=r.address, katagaki=r.katagaki)
    if "became_resident_on" in items:
        person["became_resident_on"] = r.became_resident_on.isoformat()
    if "householder_relationship" in items:
        person["householder"] = next((m.name_kanji for m in r.household.members
                                      if m.relationship_to_head == "世帯主"
                                      and m.status == "current"), None)
        person["relationship_to_head"] = r.relationship_to_head
    if "honseki" in items:  # a foreign resident has none
        person["honseki"] = None if r.is_foreign else r.honseki
        person["hittousha"] = None if r.is_foreign else r.hittousha
    return {"certificate_no": f"{row.issued_at:%Y}-{row.id:06d}", "kind": "kisai",
            "issued_at": row.issued_at.isoformat() + "Z", "items": items, "person": person,
            "submit_to": row.submit_to, "purpose": row.purpose,
            "purpose_ja": PURPOSES.get(row.purpose, row.purpose), "purpose_note": row.purpose_note,
            "copies": row.copies}
