"""Security admin's reports (情報主管課): the rights list for reconciliation (AUTHZ-9) and the daily
access review (LOG-10).

Neither ever contains a My Number or 4情報 (001 L492): subjects are record ids, people are login IDs.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import statistics
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .audit import parse_at
from .clock import JST
from .models import AuditEvent, Operator, RightGrant, SupportMeasure, SupportMeasureRelated
from .register import PURPOSES
from .rights import RIGHT_LABELS_JA

WORK_START, WORK_END = dt.time(8, 0), dt.time(19, 0)  # 開庁時間の目安 (policy setting later)
VOLUME_FLOOR = 50  # reads by one operator in a day below which volume is never "unusual"
READ_ACTIONS = ("resident.search", "resident.read")

RIGHTS_CSV_COLUMNS = ("login_id", "display_name", "section", "contractor", "employment_until",
                      "right", "right_ja", "valid_from", "valid_until", "status", "origin",
                      "application_id", "applied_by", "applied_at", "application_reason",
                      "granted_by", "granted_at", "revoked_at", "revoked_by")


def rights_rows(db: Session, today: dt.date) -> list[dict[str, Any]]:
    """Every grant with its operator, for reconciliation with the rights sheet (権限管理簿)."""
    rows = []
    q = select(RightGrant, Operator).join(Operator).order_by(Operator.login_id, RightGrant.id)
    for g, op in db.execute(q):
        app = g.application
        if g.revoked_at is not None:
            status = "revoked"
        elif g.valid_until < today or (op.employment_until and op.employment_until < today):
            status = "expired"
        elif g.valid_from > today:
            status = "future"
        else:
            status = "valid"
        rows.append({
            "grant_id": g.id, "login_id": op.login_id, "display_name": op.display_name,
            "contractor": "yes" if op.is_contractor else "no",
            "employment_until": op.employment_until.isoformat() if op.employment_until else "",
            "right": g.right, "right_ja": RIGHT_LABELS_JA.get(g.right, g.right),
            "valid_from": g.valid_from.isoformat(), "valid_until": g.valid_until.isoformat(),
            "status": status, "section": op.section or "",
            # the application behind the grant (AUTHZ-4/9): who applied and when, who
            # executed (granted_by) and when; a provisioned grant names who provisioned it
            "origin": g.origin,
            "application_id": g.application_id,
            "applied_by": app.applied_by if app else (g.granted_by or ""),
            "applied_at": (app.applied_at if app else g.granted_at).isoformat() + "Z",
            "application_reason": app.reason if app else "初期設定 (initial provisioning)",
            "granted_by": g.granted_by or "",
            "granted_at": g.granted_at.isoformat() + "Z",
            "revoked_at": g.revoked_at.isoformat() + "Z" if g.revoked_at else "",
            "revoked_by": g.revoked_by or "",
        })
    return rows


def to_csv(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> str:
    """CSV with a BOM so that Excel opens the Japanese text correctly."""
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: _cell(v) for k, v in r.items()})
    return "\ufeff" + out.getvalue()


def _cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas (CSV injection) in text cells."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@dataclass(frozen=True)
class Finding:
    kind: str  # off_hours / unusual_volume / support_measure_access / failed_logins / no_purpose_note
    operator: str | None
    device: str | None
    seq: int | None
    at: str | None
    detail: str
    detail_ja: str


def _jst(at: str) -> dt.datetime:
    return parse_at(at).astimezone(JST)


def _resident_ids(subject: str | None) -> list[int]:
    if not subject:
        return []
    return [int(p.split(":", 1)[1]) for p in subject.split(",")
            if p.startswith("resident:") and p.split(":", 1)[1].isdigit()]


def access_review(db: Session, day: dt.date) -> dict[str, Any]:
    """日次アクセスログ点検 for one JST day: what a security admin must look at (LOG-10, LOG-9)."""
    start = dt.datetime.combine(day, dt.time(0), JST).astimezone(dt.timezone.utc)
    end = start + dt.timedelta(days=1)
    fmt = "%Y-%m-%dT%H:%M:%S"
    events = db.scalars(select(AuditEvent).where(
        AuditEvent.at >= start.strftime(fmt), AuditEvent.at < end.strftime(fmt))
        .order_by(AuditEvent.seq)).all()
    findings: list[Finding] = []
    reads_per_op: Counter[str] = Counter()
    failed: dict[str, int] = defaultdict(int)
    protected = _protected_ids(db, day)
    for ev in events:
        local = _jst(ev.at)
        if ev.action in READ_ACTIONS and ev.outcome == "ok":
            reads_per_op[ev.operator_login or "?"] += 1
            off = local.weekday() >= 5 or not (WORK_START <= local.time() < WORK_END)
            if off:
                findings.append(Finding(
                    "off_hours", ev.operator_login, ev.device_id, ev.seq, ev.at,
                    f"register read at {local:%a %H:%M} JST, outside office hours",
                    f"開庁時間外の参照（{local:%m/%d %H:%M}）"))
            hit = sorted(set(_resident_ids(ev.subject)) & protected)
            if hit:
                findings.append(Finding(
                    "support_measure_access", ev.operator_login, ev.device_id, ev.seq, ev.at,
                    f"read of 支援措置 subject(s) {hit} for purpose {ev.purpose}",
                    f"支援措置対象者の参照（目的: {PURPOSES.get(ev.purpose or '', ev.purpose)}）。"
                    "申請書との照合が必要です"))
        if ev.action == "session.login" and ev.outcome == "denied":
            who = ev.operator_login or f"(unknown: {ev.detail.get('attempted_login_id', '?')})"
            failed[who] += 1
    for who, n in sorted(failed.items()):
        findings.append(Finding("failed_logins", who, None, None, None,
                                f"{n} refused login(s)", f"ログイン失敗 {n} 回"))
    if reads_per_op:
        counts = list(reads_per_op.values())
        median = statistics.median(counts)
        for op, n in sorted(reads_per_op.items()):
            if n >= VOLUME_FLOOR and n > 3 * median:
                findings.append(Finding("unusual_volume", op, None, None, None,
                                        f"{n} register reads (median per operator {median:g})",
                                        f"参照件数が多い（{n} 件、職員の中央値 {median:g} 件）"))
    return {"date": day.isoformat(), "events": len(events),
            "reads_per_operator": dict(sorted(reads_per_op.items())),
            "findings": [asdict(f) for f in findings]}


def _protected_ids(db: Session, day: dt.date) -> set[int]:
    current = (SupportMeasure.start_date <= day) & (SupportMeasure.end_date >= day)
    ids = set(db.scalars(select(SupportMeasure.target_resident_id).where(current)))
    ids |= {i for i in db.scalars(select(SupportMeasureRelated.resident_id).join(SupportMeasure)
                                  .where(current, SupportMeasureRelated.role == "co_protected"))
            if i is not None}
    return ids
