"""The centre's administration answers as the client reads them (管理): the grants of rights
(権限一覧, AUTHZ-9) and the applications behind them (権限付与の申請, AUTHZ-4), the daily access review (アクセス点検, LOG-10), the audit chain's verification
(監査ログの検証), the device registry (端末, DEV-6), the 覗き込み policy (PRIV-1) and a login ID's face
enrolment (顔認証の登録, AUTH-5). Each ``from_json`` reads one answer of ``/v1/admin/…`` or
``/v1/audit/verify``; none holds a resident's data or a My Number, and the reprs name no staff
member. Timestamps stay the UTC ISO-8601 text the centre sent (the audit chain hashes that text);
dates are ``datetime.date``. No Qt.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _text(data: Mapping[str, Any], key: str) -> str:
    return str(data.get(key) or "")


def _texts(cls: type, data: Mapping[str, Any]) -> dict[str, str]:
    """Every field of ``cls`` (all of them text) from ``data``, "" for a missing one."""
    return {f.name: _text(data, f.name) for f in fields(cls)}


@dataclass(frozen=True, repr=False)
class RightGrant:
    """One grant of a right to a member of staff, with its status today (valid / expired /
    revoked / future)."""

    grant_id: int
    login_id: str
    display_name: str
    right: str
    right_ja: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    status: str
    granted_by: str
    # where it came from (AUTHZ-4): "application" (applied_by = the 所属長) or "provisioning"
    origin: str = ""
    applied_by: str = ""
    applied_at: str = ""  # UTC ISO-8601
    granted_at: str = ""  # UTC ISO-8601

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RightGrant:
        return cls(grant_id=int(data["grant_id"]), login_id=_text(data, "login_id"),
                   display_name=_text(data, "display_name"), right=_text(data, "right"),
                   right_ja=_text(data, "right_ja") or _text(data, "right"),
                   valid_from=_date(data.get("valid_from")),
                   valid_until=_date(data.get("valid_until")), status=_text(data, "status"),
                   granted_by=_text(data, "granted_by"), origin=_text(data, "origin"),
                   applied_by=_text(data, "applied_by"), applied_at=_text(data, "applied_at"),
                   granted_at=_text(data, "granted_at"))

    def __repr__(self) -> str:
        return f"RightGrant(grant_id={self.grant_id}, right={self.right}, status={self.status})"

    __str__ = __repr__


@dataclass(frozen=True, repr=False)
class RightApplication:
    """権限付与の申請 (AUTHZ-4): a 所属長's application for a right of an operator of their section,
    pending until a security admin (neither the applicant nor the grantee) executes or declines
    it."""

    id: int
    login_id: str
    display_name: str
    section: str
    right: str
    right_ja: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    reason: str
    status: str  # pending / executed / declined
    applied_by: str
    applied_at: str  # UTC ISO-8601
    decided_by: str
    decided_at: str
    decision_reason: str

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RightApplication:
        texts = {k: _text(data, k) for k in (
            "login_id", "display_name", "section", "right", "reason", "status", "applied_by",
            "applied_at", "decided_by", "decided_at", "decision_reason")}
        return cls(id=int(data["id"]), right_ja=_text(data, "right_ja") or texts["right"],
                   valid_from=_date(data.get("valid_from")),
                   valid_until=_date(data.get("valid_until")), **texts)

    @property
    def entered_by(self) -> str:
        """Who made the application (a decision queue's entrant)."""
        return self.applied_by

    def __repr__(self) -> str:
        return f"RightApplication(id={self.id}, right={self.right}, status={self.status})"

    __str__ = __repr__


@dataclass(frozen=True, repr=False)
class ReviewFinding:
    """One thing of the day's access log a security admin must look at: off-hours reads
    (off_hours), reads of 支援措置 subjects (support_measure_access), refused logins
    (failed_logins), unusual volume (unusual_volume)."""

    kind: str
    operator: str
    device: str
    at: str  # UTC ISO-8601, as in the audit row
    detail: str
    detail_ja: str

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ReviewFinding:
        return cls(**_texts(cls, data))

    def __repr__(self) -> str:
        return f"ReviewFinding(kind={self.kind})"

    __str__ = __repr__


@dataclass(frozen=True)
class AccessReview:
    """The daily access review (日次アクセスログ点検) of one JST day: how many audit rows it read and
    what it found."""

    date: dt.date | None
    events: int
    findings: tuple[ReviewFinding, ...]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AccessReview:
        return cls(date=_date(data.get("date")), events=int(data.get("events") or 0),
                   findings=tuple(ReviewFinding.from_json(f) for f in data.get("findings") or ()))


@dataclass(frozen=True)
class AuditChainReport:
    """The walk of the audit hash chain: ``ok``, or the first row that does not match and why."""

    ok: bool
    rows_checked: int
    first_broken_seq: int | None
    reason: str
    anchored: bool = False  # held against signed checkpoints kept outside the database (#21)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AuditChainReport:
        broken = data.get("first_broken_seq")
        return cls(ok=bool(data.get("ok")), rows_checked=int(data.get("rows_checked") or 0),
                   first_broken_seq=int(broken) if broken is not None else None,
                   reason=_text(data, "reason"), anchored=bool(data.get("anchored")))


@dataclass(frozen=True)
class DeviceEntry:
    """One terminal of the device registry: a counter terminal or a loan device (with who approved
    the loan), active or disabled (and why)."""

    device_id: str
    name: str
    kind: str  # counter / loan
    status: str  # active / disabled
    disabled_reason: str
    loan_approved_by: str
    loan_approval_ref: str

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DeviceEntry:
        return cls(**_texts(cls, data))

    @property
    def loan_approval(self) -> str:
        """Who approved the loan and the approval's reference, as one text."""
        return " ".join(x for x in (self.loan_approved_by, self.loan_approval_ref) if x)


@dataclass(frozen=True)
class OnlookerPolicy:
    """The 覗き込み rules terminals get at login: k frames with an onlooker before the shield, m clean
    frames before it clears, seconds without the operator before the lock, whether a camera in
    doubt shields the screen, and the detector's minimum confidence."""

    k: int = 2
    m: int = 25
    absent_seconds: int = 60
    fail_closed: bool = True
    min_score: float = 0.0

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> OnlookerPolicy:
        return cls(k=int(data.get("k", 2)), m=int(data.get("m", 25)),
                   absent_seconds=int(data.get("absent_seconds", 60)),
                   fail_closed=bool(data.get("fail_closed", True)),
                   min_score=float(data.get("min_score", 0.0)))

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class BiometricStatus:
    """Whether a login ID has a template enrolled for a provider, and when, from how many
    captures and by whom (never the template)."""

    login_id: str
    provider: str
    enrolled: bool
    model: str = ""
    captures: int = 0
    enrolled_at: str = ""  # UTC ISO-8601
    enrolled_by: str = ""

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> BiometricStatus:
        return cls(login_id=_text(data, "login_id"), provider=_text(data, "provider"),
                   enrolled=bool(data.get("enrolled")), model=_text(data, "model"),
                   captures=int(data.get("captures") or 0),
                   enrolled_at=_text(data, "enrolled_at"),
                   enrolled_by=_text(data, "enrolled_by"))
