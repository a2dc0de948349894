"""支援措置の判断依頼 (WF-7) as the client sees it: a certificate request blocked by a 支援措置, sent to
a 所属長, and the decision. ``SupportDecision.from_json`` reads ``GET /v1/support-decisions…`` and
the answer to a decision; ``SupportDecision.requested`` is the one a clerk just sent;
the supervisor's queue adds the subject's name and the fact of the measure (how many on the
certificate are protected), never the measure's related persons. No Qt."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.api_client import parse_timestamp


@dataclass(frozen=True, repr=False)
class SupportDecision:
    """One 判断依頼 and, once decided, its decision. The repr names no person."""

    id: int
    kind: str  # juminhyo / kisai
    resident_id: int
    scope: str  # individual / household
    requester_relation: str  # proxy / third_party
    requester_name: str
    requester_org: str
    purpose: str
    purpose_note: str
    status: str  # pending / approved / refused / used
    requested_by: str
    requested_at: dt.datetime | None
    decided_by: str
    decided_at: dt.datetime | None
    decision_reason: str
    valid_today: bool  # approved today: the clerk who asked may issue that request once
    subject_name: str = ""  # the supervisor's queue only
    subject_kana: str = ""
    protected_on_certificate: int = 0
    subject_is_protected: bool = False

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SupportDecision:
        subject = data.get("subject") or {}
        fact = data.get("support_measure") or {}
        return cls(
            id=int(data["id"]), kind=str(data.get("kind") or ""),
            resident_id=int(data.get("resident_id") or 0), scope=str(data.get("scope") or ""),
            requester_relation=str(data.get("requester_relation") or ""),
            requester_name=str(data.get("requester_name") or ""),
            requester_org=str(data.get("requester_org") or ""),
            purpose=str(data.get("purpose") or ""), purpose_note=str(data.get("purpose_note") or ""),
            status=str(data.get("status") or ""), requested_by=str(data.get("requested_by") or ""),
            requested_at=parse_timestamp(data.get("requested_at")),
            decided_by=str(data.get("decided_by") or ""),
            decided_at=parse_timestamp(data.get("decided_at")),
            decision_reason=str(data.get("decision_reason") or ""),
            valid_today=bool(data.get("valid_today")),
            subject_name=str(subject.get("name_kanji") or ""),
            subject_kana=str(subject.get("name_kana") or ""),
            protected_on_certificate=int(fact.get("protected_on_certificate") or 0),
            subject_is_protected=bool(fact.get("subject_is_protected")))

    @classmethod
    def requested(cls, request: Mapping[str, Any], answer: Mapping[str, Any],
                  requested_by: str = "") -> SupportDecision:
        """The 判断依頼 just sent (``POST /v1/support-decisions``): the request as taken, with the
        number and the status the centre answered (``decision_id``, ``status``)."""
        return cls.from_json({**request, "id": answer["decision_id"],
                              "status": answer.get("status") or "pending",
                              "requested_by": requested_by})

    def __repr__(self) -> str:
        return f"SupportDecision(id={self.id}, status={self.status}, kind={self.kind})"

    __str__ = __repr__
