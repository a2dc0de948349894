"""受付 (reception, K-WF-2): open a case, say who came and for whom, park and resume it.

A ``CaseFile`` is the counter's working state of one case: the queue number (typed or scanned from
the 整理券), who is present and in what capacity (本人 / 同一世帯 / 代理人 with 委任状 / 第三者), the
life events and answers of the interview, the 異動届 being entered (raw text, so nothing typed is
lost) and where the clerk was. ``park`` stores it in the session's encrypted cache (SQLCipher,
shredded with the session) and ``resume`` brings it back; nothing is written in plain text and
nothing outlives the session. No Qt.
"""
from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from japan.kana import fold_width

REQUESTER_KINDS = {"self": "本人", "household": "同一世帯の方", "proxy": "代理人（委任状）",
                   "third_party": "第三者"}
_QUEUE = re.compile(r"^[A-Z]?-?\d{1,4}$")
DRAFT_KIND = "case"


class DraftStore(Protocol):
    def put_draft(self, draft_id: str, kind: str, body: dict[str, Any]) -> None: ...

    def get_draft(self, draft_id: str) -> dict[str, Any] | None: ...

    def drafts(self) -> list[tuple[str, str]]: ...

    def delete_draft(self, draft_id: str) -> None: ...


def normalise_queue_number(text: str) -> str:
    """整理券番号: 1–4 digits with an optional letter (A-012, B12, 7); full-width accepted."""
    value = fold_width(text or "").strip().upper().replace(" ", "")
    if not _QUEUE.match(value):
        raise ValueError("受付番号は整理券の番号（例: 12、A-012）を入力してください")
    return value


def requester_problem(kind: str, power_of_attorney: bool, proxy_checked: bool) -> str | None:
    """Why the reception cannot go on (Japanese), or None. A proxy needs the 委任状 and the
    proxy's own identity check (K-WF-3.4); a third party goes to review (K-WF-7.1)."""
    if kind not in REQUESTER_KINDS:
        return "来庁者の立場を選んでください"
    if kind == "proxy" and not power_of_attorney:
        return "代理人の場合は委任状を確認してください"
    if kind == "proxy" and not proxy_checked:
        return "代理人ご本人の本人確認を行ってください"
    return None


@dataclass
class CaseFile:
    """One counter case as the clerk works on it (受付から交付まで)."""

    queue_number: str
    requester_kind: str = "self"
    power_of_attorney: bool = False
    proxy_checked: bool = False
    resident_ids: list[int] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    answers: dict[str, bool] = field(default_factory=dict)
    entry_kind: str | None = None
    entry_values: dict[str, str] = field(default_factory=dict)
    entry_resident_id: int | None = None
    entry_version: int | None = None
    submitted_case_ids: list[int] = field(default_factory=list)
    # 本人確認 with the card for a 転入 (no register record): what the card pre-filled, per field,
    # and the notes beside it (外字/代替文字 → visual check), so the marks survive 保留/再開.
    identity_method: str | None = None
    identity_check_seq: int | None = None  # the centre's record of that 本人確認, named by the 届出
    card_values: dict[str, str] = field(default_factory=dict)
    card_notes: dict[str, str] = field(default_factory=dict)
    step: str = "reception"
    case_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    opened_at: str = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc).isoformat())

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CaseFile:
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)


def park(store: DraftStore, case: CaseFile) -> None:
    """保留: keep the case in the session's encrypted cache to serve someone else meanwhile."""
    store.put_draft(case.case_id, DRAFT_KIND, case.to_json())


def parked(store: DraftStore) -> list[CaseFile]:
    """The parked cases of this session, oldest first."""
    out = []
    for draft_id, kind in store.drafts():
        if kind == DRAFT_KIND:
            body = store.get_draft(draft_id)
            if body is not None:
                out.append(CaseFile.from_json(body))
    return sorted(out, key=lambda c: c.opened_at)


def resume(store: DraftStore, case_id: str) -> CaseFile:
    """再開: take a parked case back (it leaves the parked list)."""
    body = store.get_draft(case_id)
    if body is None:
        raise KeyError(case_id)
    store.delete_draft(case_id)
    return CaseFile.from_json(body)
