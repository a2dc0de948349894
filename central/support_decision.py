"""支援措置の判断依頼と所属長の判断 (WF-7): lifting the server's block, once, by a supervisor.

The issuance rules (issuance.py) refuse a certificate to a proxy or third party when a 支援措置
target or co-protected person would be on it. The clerk can then send the request as taken — the
resident, the kind and scope of the certificate, the requester's relation, name and organisation (as
stated, free text), the purpose and its note — to a supervisor (``request``). A supervisor who is not
the requester approves or refuses it with a reason (``decide``). An approval lets exactly that
request be issued once, on the day of the decision, by the clerk who sent it (``use``): the
decision names the requester as that clerk took them at the counter, so a clerk serving someone
else cannot borrow it. The issuance names the decision, and the decision is marked used in the
same transaction as the 帳票管理簿 row that records it.

What a supervisor sees (``view``) is the request and the fact of the 支援措置 (how many people on the
certificate are protected); never the measure's related persons (加害者 and their addresses).
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from . import clock
from .models import Resident, SupportDecision, utcnow
from .problems import problem
from .register import active_support_ids, check_request_purpose

KINDS = ("juminhyo", "kisai")
BLOCKED_RELATIONS = ("proxy", "third_party")


class DecisionRequest(BaseModel):
    """判断依頼: the certificate request as the clerk took it at the counter."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["juminhyo", "kisai"] = "juminhyo"
    resident_id: Annotated[int, Field(ge=1, le=2**31 - 1)]
    scope: Literal["individual", "household"] = "individual"
    requester_relation: Literal["proxy", "third_party"]
    requester_name: Annotated[str, Field(min_length=1, max_length=100)]
    requester_org: Annotated[str, Field(max_length=100)] | None = None
    purpose: Annotated[str, Field(min_length=1, max_length=40)]
    purpose_note: Annotated[str, Field(max_length=200)] | None = None


class DecisionReason(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Annotated[str, Field(min_length=1, max_length=200)]


def certificate_members(db: Session, person: Resident, scope: str) -> list[Resident]:
    """Who would be on the certificate: the person, or the current household."""
    if scope == "household":
        return list(db.scalars(select(Resident).where(
            Resident.household_id == person.household_id, Resident.status == "current")
            .order_by(Resident.id)).all())
    return [person]


def request(db: Session, req: DecisionRequest, *, operator: str, device: str,
            today: dt.date) -> SupportDecision:
    """Store a pending 判断依頼; refused when nothing would block the request."""
    check_request_purpose(req.purpose, req.purpose_note)
    if not req.requester_name.strip():
        raise problem("requester_name_required", "The requester's name is required",
                      "請求者の氏名を入力してください", field="requester_name")
    person = db.get(Resident, req.resident_id)
    if person is None or person.status != "current":
        raise problem("resident_not_found", "No current resident with that id",
                      "対象の住民が見つかりません（消除済みを含む）")
    if req.kind == "kisai" and req.scope != "individual":
        raise problem("invalid_request", "A certificate of recorded items is for one person",
                      "記載事項証明書は一人ずつ請求してください", field="scope")
    ids = [m.id for m in certificate_members(db, person, req.scope)]
    if not active_support_ids(db, ids, today):
        raise problem("support_decision_not_needed",
                      "No support-measure subject is on this certificate; issue it directly",
                      "支援措置の対象者は含まれていません。判断依頼は不要です")
    row = SupportDecision(kind=req.kind, resident_id=person.id, scope=req.scope,
                          requester_relation=req.requester_relation,
                          requester_name=req.requester_name.strip(),
                          requester_org=(req.requester_org or "").strip() or None,
                          purpose=req.purpose, purpose_note=(req.purpose_note or "").strip() or None,
                          status="pending", requested_by=operator, requested_device=device)
    db.add(row)
    db.flush()
    return row


def get(db: Session, decision_id: int) -> SupportDecision:
    row = db.get(SupportDecision, decision_id)
    if row is None:
        raise problem("support_decision_not_found", f"No decision {decision_id}",
                      "支援措置の判断依頼が見つかりません")
    return row


def decide(db: Session, decision_id: int, approve: bool, reason: str, *, operator: str,
           today: dt.date) -> SupportDecision:
    """所属長の判断: approve or refuse a pending request, never one's own; the reason is required."""
    row = get(db, decision_id)
    if row.requested_by == operator:
        raise problem("decider_is_requester", "A supervisor cannot decide a request they made",
                      "判断を依頼した本人は判断できません。別の所属長が判断してください")
    if row.status != "pending":
        raise problem("support_decision_not_pending", f"Decision {row.id} is {row.status}",
                      "この判断依頼は既に判断されています")
    reason = reason.strip()
    if not reason:
        raise problem("invalid_request", "A decision needs a reason", "判断の理由を入力してください",
                      field="reason")
    row.status = "approved" if approve else "refused"
    row.decided_by, row.decided_at, row.decided_on = operator, utcnow(), today
    row.decision_reason = reason
    db.flush()
    return row


def use(db: Session, decision_id: int, *, kind: str, resident_id: int, scope: str,
        requester_relation: str, purpose: str, operator: str, today: dt.date) -> SupportDecision:
    """Check that an approval covers this very request and mark it used (the caller records the
    decision on its 帳票管理簿 row in the same transaction); raise a specific Problem otherwise."""
    row = get(db, decision_id)
    # First: another clerk learns nothing of it (pending, refused and why, used), as with a read.
    if row.requested_by != operator:  # the approval is for the counter that took the request
        raise problem("support_decision_not_yours",
                      "Only the clerk who sent the request may issue on its decision",
                      "この判断は別の職員が依頼したものです。判断依頼を送った職員だけが交付できます")
    if row.status == "pending":
        raise problem("support_decision_pending", "The supervisor has not decided yet",
                      "所属長の判断がまだありません。判断が出てから交付してください")
    if row.status == "refused":
        raise problem("support_decision_refused",
                      f"The supervisor refused the issuance: {row.decision_reason}",
                      f"所属長が交付を認めませんでした（理由: {row.decision_reason}）。交付できません",
                      reason=row.decision_reason)
    if row.status == "used":
        raise problem("support_decision_used", "This decision was already used for an issuance",
                      "この判断は既に交付に使われています。改めて判断依頼をしてください")
    if (row.kind, row.resident_id, row.scope, row.requester_relation, row.purpose) != (
            kind, resident_id, scope, requester_relation, purpose):
        raise problem("support_decision_mismatch",
                      "The decision was made for a different request (person, kind, scope, "
                      "requester or purpose)",
                      "所属長の判断と請求の内容（対象者・証明書の種類・範囲・請求者・利用目的）が"
                      "一致しません")
    if row.decided_on != today:
        now = clock.as_of(today)
        raise problem("support_decision_expired",
                      f"An approval is valid on the day it was given{now['en']}",
                      f"所属長の判断は当日限り有効です。改めて判断依頼をしてください{now['ja']}",
                      today=now["today"])
    row.status, row.used_at, row.used_by = "used", utcnow(), operator
    db.flush()  # a concurrent use of the same approval fails here (version check)
    return row


def view(db: Session, row: SupportDecision, today: dt.date, *, full: bool) -> dict[str, Any]:
    """The request and its decision. ``full`` (a supervisor's queue) adds who the request is about
    and the fact of the 支援措置 — how many on the certificate are protected, never who else is
    related to the measure."""
    out: dict[str, Any] = {
        "id": row.id, "kind": row.kind, "resident_id": row.resident_id, "scope": row.scope,
        "requester_relation": row.requester_relation, "requester_name": row.requester_name,
        "requester_org": row.requester_org, "purpose": row.purpose,
        "purpose_note": row.purpose_note, "status": row.status,
        "requested_by": row.requested_by, "requested_at": row.requested_at.isoformat() + "Z",
        "decided_by": row.decided_by,
        "decided_at": row.decided_at.isoformat() + "Z" if row.decided_at else None,
        "decision_reason": row.decision_reason,
        "valid_today": row.status == "approved" and row.decided_on == today,
    }
    if full:
        person = db.get(Resident, row.resident_id)
        ids = [m.id for m in certificate_members(db, person, row.scope)]
        protected = active_support_ids(db, ids, today)
        out["subject"] = {"name_kanji": person.name_kanji, "name_kana": person.name_kana}
        out["support_measure"] = {"protected_on_certificate": len(protected),
                                  "subject_is_protected": person.id in protected}
    return out
