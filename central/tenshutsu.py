"""転出証明書: the certificate an applied 転出 issues (令24, #22 point 2), recorded in the 帳票管理簿.

A 転出 that has been applied (the record 消除 with 事由 転出, idou.py) may be given a 転出証明書 for
the persons who moved out together (one household, the same 転出先 and 転出予定日). It is an
``Issuance`` of kind ``tenshutsu`` — the same 帳票管理簿 row as a 住民票の写し: who, when, for whom,
why — and its content is assembled on demand, for the issuing operator and terminal, shortly
after, once (``issuance.check_printable`` / ``issuance.claim_content``); a reprint is a new
issuance. The content is never stored.

Items (counter-domain.md §3.1; the 令/規則 list itself is marked unverified there, so the list
is the one practice uses): 氏名, 出生の年月日, 男女の別, 世帯主 and 続柄, 本籍・筆頭者, 住民票コード,
個人番号, 住所 (the old address) and 住所を定めた日, 転出先 and 転出の予定年月日, and the 国民健康保険
・後期高齢者医療・介護保険・国民年金・児童手当 資格 marks.

The 資格 items are the other divisions' data (国保, 介護, 年金, 児童手当): the register does not
hold them, so the clerk confirms them with those divisions (庁内連携) and states them in the
request; they are recorded in the 帳票管理簿 row (``included``), not in the register.

個人番号 on the certificate — the decision (counter-domain.md §3.1, §7.1):
* It is printed by default. 000 L685-686 confirms the 転出証明書 carries it, and the destination
  needs it: the 個人番号 is carried over at the 転入 (法7⑧の2) and the 転入届 states the 転入前の
  住民票コード (法22①), so both are on the certificate, unlike a 住民票の写し where they are
  omitted unless asked for.
* Municipalities differ (some print it only on request), so it is a setting: the policy setting
  ``tenshutsu_certificate`` ``{"my_number": true|false}`` (``certificate_policy``).
* It is printed only by an operator holding 特定個人情報アクセス権限 (AUTHZ-2): a certificate
  that should carry it is refused to anyone else (``forbidden``), rather than issued without an
  item the destination relies on.
* It is printed only for the person or a member of the same household (番号法, §7.1). A proxy
  (代理人, with a 委任状) gets the certificate with the 個人番号 「記載省略」: §7.1 says a copy with
  the number is never handed to a proxy; the destination pairs the number through 住基ネット by
  the 住民票コード.
"""
from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from .crypto import MyNumberCipher
from .models import Issuance, PolicySetting, Resident
from .problems import problem
from .rights import MY_NUMBER_ACCESS

POLICY_KEY = "tenshutsu_certificate"
DEFAULT_POLICY: dict[str, Any] = {"my_number": True}

# 資格 items, in print order: code -> label on the certificate.
QUALIFICATIONS: dict[str, str] = {
    "kokuho": "国民健康保険",
    "kouki": "後期高齢者医療",
    "kaigo": "介護保険",
    "nenkin": "国民年金",
    "jidou_teate": "児童手当",
}

RowId = Annotated[int, Field(ge=1, le=2**31 - 1)]


class Qualifications(BaseModel):
    """資格 on the day of the 転出, as the clerk confirmed them with the divisions (有 = True)."""

    model_config = ConfigDict(extra="forbid")
    kokuho: bool = False  # 国民健康保険 被保険者
    kouki: bool = False  # 後期高齢者医療 被保険者
    kaigo: bool = False  # 介護保険 被保険者 (第1号)
    nenkin: bool = False  # 国民年金 第1号被保険者
    jidou_teate: bool = False  # 児童手当 受給者


class CertificatePerson(BaseModel):
    model_config = ConfigDict(extra="forbid")
    resident_id: RowId
    qualifications: Qualifications = Qualifications()


class TenshutsuCertificateRequest(BaseModel):
    """One 転出証明書 request: the persons who moved out together, who asks, how many copies."""

    model_config = ConfigDict(extra="forbid")
    persons: Annotated[list[CertificatePerson], Field(min_length=1, max_length=20)]
    requester_relation: Literal["self", "household", "proxy"]
    power_of_attorney_seen: bool = False  # 委任状を確認した
    copies: Annotated[int, Field(ge=1, le=3)] = 1


def certificate_policy(db: Session) -> dict[str, Any]:
    """The municipality's setting (policy_settings ``tenshutsu_certificate``), else the default."""
    row = db.get(PolicySetting, POLICY_KEY)
    return {**DEFAULT_POLICY, **(row.value if row is not None else {})}


def _moved_out(db: Session, rid: int) -> Resident:
    r = db.get(Resident, rid)
    if r is None:
        raise problem("resident_not_found", f"No resident {rid}", "指定された住民が見つかりません",
                      field="persons")
    if r.status != "removed" or r.removal_reason != "転出":
        raise problem("tenshutsu_not_applied",
                      f"Resident {rid} has no applied 転出",
                      "転出が記載されていない方には転出証明書を交付できません。先に転出届を処理してください",
                      field="persons", resident_id=rid)
    return r


def issue(db: Session, req: TenshutsuCertificateRequest, *, rights: dict[str, Any],
          operator: str, device: str) -> Issuance:
    """Check the request and record the 転出証明書 in the 帳票管理簿; raise a Problem to refuse."""
    if req.requester_relation == "proxy" and not req.power_of_attorney_seen:
        raise problem("power_of_attorney_required", "A proxy needs a letter of proxy",
                      "代理人による請求には委任状の確認が必要です", field="power_of_attorney_seen")
    ids = [p.resident_id for p in req.persons]
    if len(set(ids)) != len(ids):
        raise problem("invalid_request", "A person is listed twice", "同じ方が重複しています",
                      field="persons")
    people = [_moved_out(db, rid) for rid in ids]
    first = people[0]
    for r in people[1:]:
        if (r.household_id, r.moved_out_to, r.removed_on) != (
                first.household_id, first.moved_out_to, first.removed_on):
            raise problem("tenshutsu_not_together",
                          "One certificate is for persons of one household moving to the same "
                          "place on the same day",
                          "転出証明書は同じ世帯から同じ日に同じ転出先へ転出する方ごとに交付します",
                          field="persons", resident_id=r.id)
    policy = certificate_policy(db)
    # the 個人番号: the setting, then only to 本人 or 同一世帯 (never a proxy), then the right
    my_number = bool(policy.get("my_number")) and req.requester_relation != "proxy"
    if my_number and MY_NUMBER_ACCESS not in rights:
        raise problem("forbidden",
                      "This municipality's 転出証明書 carries the My Number: issuing it needs the "
                      "My Number access right",
                      "転出証明書には個人番号を記載するため、特定個人情報アクセス権限が必要です。"
                      "権限のある職員が交付してください")
    included = {"my_number": my_number, "juminhyo_code": True,
                "qualifications": {str(p.resident_id): p.qualifications.model_dump()
                                   for p in req.persons}}
    row = Issuance(kind="tenshutsu", scope="household" if len(ids) > 1 else "individual",
                   resident_id=first.id, person_ids=ids,
                   requester_relation=req.requester_relation, purpose="certificate",
                   purpose_note="転出証明書", included=included, my_number_reason=None,
                   submit_to=None, copies=req.copies, operator_login=operator, device_id=device)
    db.add(row)
    db.flush()
    return row


def _householder(head: Resident) -> str | None:
    """The 世帯主 on the day of the 転出: the member recorded as 世帯主, current or removed with
    the others on that 転出."""
    heads = [m for m in head.household.members if m.relationship_to_head == "世帯主"]
    heads.sort(key=lambda m: (m.status != "current", m.removed_on != head.removed_on))
    return heads[0].name_kanji if heads else None


def content(db: Session, row: Issuance, cipher: MyNumberCipher) -> dict[str, Any]:
    """What the 転出証明書 shows (called by ``issuance.content`` once the operator, terminal, time
    and served-once checks have passed)."""
    inc = row.included or {}
    quals = inc.get("qualifications") or {}
    persons = []
    for rid in row.person_ids:
        r = db.get(Resident, rid)
        entry: dict[str, Any] = {
            "name_kanji": r.name_kanji, "name_kana": r.name_kana,
            "former_surname": r.former_surname,
            "birth_date": r.birth_date.isoformat(), "sex": r.sex,
            "relationship_to_head": r.relationship_to_head,
            "honseki": None if r.is_foreign else r.honseki,
            "hittousha": None if r.is_foreign else r.hittousha,
            "nationality": r.nationality if r.is_foreign else None,
            "address_set_on": r.address_set_on.isoformat(),
            "juminhyo_code": r.juminhyo_code if inc.get("juminhyo_code") else None,
            "qualifications": {k: bool((quals.get(str(rid)) or {}).get(k))
                               for k in QUALIFICATIONS},
        }
        if inc.get("my_number") and r.my_number_enc is not None:
            entry["my_number"] = cipher.decrypt(r.my_number_enc)
        persons.append(entry)
    head = db.get(Resident, row.resident_id)
    return {"certificate_no": f"{row.issued_at:%Y}-{row.id:06d}", "kind": "tenshutsu",
            "scope": row.scope, "issued_at": row.issued_at.isoformat() + "Z",
            "address": head.address, "katagaki": head.katagaki,
            "householder": _householder(head), "moved_out_to": head.moved_out_to,
            "planned_date": head.removed_on.isoformat() if head.removed_on else None,
            "persons": persons, "copies": row.copies, "included": {
                "my_number": bool(inc.get("my_number")), "juminhyo_code": True}}

