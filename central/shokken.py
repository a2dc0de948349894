"""職権記載・職権消除・職権修正 (K-DQ-16, K-WF-6.7; counter-domain.md §4): changes of the register the
office makes by its own act (法8, 令12) when it has confirmed the facts, not on a 届出.

Each is entered by a clerk with its reason (職権の事由) and the evidence of the 実態調査 (when, by
whom, how, what was found; free text bounded), kept as a case, and applied only when a supervisor
other than the entrant decides it (routes/shokken.py). Applied, it is an ordinary 異動履歴 row whose
記載等の種別 (``entry_kind``) is ``shokken`` (000 別添2 item 97), so the history, the change feed
(op ``shokken_*``) and the 異動リスト show it as 職権.

* 職権記載 adds a person, with the checks of a 転入 (already a resident, dates, My Number);
* 職権消除 removes one (status removed, 消除事由 職権消除) like 転出 and 死亡 do;
* 職権修正 corrects recorded items; never the 住民票コード or the 個人番号, which have paths of
  their own.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from japan.kana import is_katakana, normalise_name, search_kana

from . import clock, idou
from .crypto import MyNumberCipher
from .models import Resident, ResidentHistory, utcnow
from .problems import problem
from .validation import check_dates, postal_code_ok

KIND_LABELS = {"shokken_kisai": "職権記載", "shokken_shojo": "職権消除",
               "shokken_shusei": "職権修正"}
ENTRY_KIND_LABELS = {"todoke": "届出", "shokken": "職権"}

# 現地調査 by two or more staff (the 要綱 pattern of several municipalities, counter-domain.md
# §4.2). Municipalities differ; this is the stricter reading, in one place to make a setting.
SITE_VISIT_MIN_INVESTIGATORS = 2

Str40 = Annotated[str, Field(min_length=1, max_length=40)]
Str200 = Annotated[str, Field(min_length=1, max_length=200)]
Text1000 = Annotated[str, Field(min_length=1, max_length=1000)]

# What a 職権修正 may correct, and each one's longest value (the register's column widths).
CORRECTABLE = {"name_kanji": 100, "name_kana": 100, "birth_date": 10, "sex": 6, "honseki": 200,
               "hittousha": 100, "address": 200, "katagaki": 100, "postal_code": 7,
               "relationship_to_head": 20, "former_surname": 50, "former_surname_kana": 100}
CorrectableField = Literal["name_kanji", "name_kana", "birth_date", "sex", "honseki", "hittousha",
                           "address", "katagaki", "postal_code", "relationship_to_head",
                           "former_surname", "former_surname_kana"]
REQUIRED = {"name_kanji", "name_kana", "birth_date", "sex", "address", "postal_code",
            "relationship_to_head"}


class Investigation(BaseModel):
    """実態調査: the evidence a 職権 entry rests on (counter-domain.md §4.2)."""

    model_config = ConfigDict(extra="forbid")
    investigated_on: dt.date = Field(description="調査日")
    investigators: Annotated[list[Str40], Field(min_length=1, max_length=4)] = Field(
        description="調査した職員（ログインIDまたは氏名）")
    method: Literal["site_visit", "documents", "inquiry", "notice"] = Field(
        description="現地調査 / 書類調査 / 照会 / 他機関からの通知")
    finding: Text1000 = Field(description="調査結果（確認した事実）")


class _Shokken(BaseModel):
    model_config = ConfigDict(extra="forbid")
    idou_date: dt.date | None = Field(
        None, description="異動日 (the fact's date); null only with idou_date_unknown")
    idou_date_unknown: bool = Field(False, description="異動年月日不詳 (消除・修正 only, K-DQ-17)")
    reason: Str200 = Field(description="職権の事由 (e.g. 不現住, 本籍地からの通知による誤記の修正)")
    investigation: Investigation


class ShokkenKisai(_Shokken):
    """職権記載: a person found living here without a 届出 (or recorded from a 戸籍 event)."""

    kind: Literal["shokken_kisai"]
    person: idou.NewPerson
    household: idou.HouseholdChoice = idou.HouseholdChoice()
    moved_in_from: Str200 | None = Field(None, description="従前の住所 (if known)")


class ShokkenShojo(_Shokken):
    """職権消除: the person no longer lives at the address (不現住) and filed nothing."""

    kind: Literal["shokken_shojo"]
    resident_id: idou.RecordId
    expected_version: idou.Version


class ShokkenShusei(_Shokken):
    """職権修正: recorded items corrected after information the office has confirmed."""

    kind: Literal["shokken_shusei"]
    resident_id: idou.RecordId
    expected_version: idou.Version
    changes: Annotated[dict[CorrectableField, Annotated[str, Field(max_length=200)] | None],
                       Field(min_length=1, max_length=len(CORRECTABLE))]


ShokkenCommand = Annotated[Union[ShokkenKisai, ShokkenShojo, ShokkenShusei],
                           Field(discriminator="kind")]


def _check_evidence(cmd: _Shokken, today: dt.date) -> None:
    inv = cmd.investigation
    if inv.investigated_on > today:
        now = clock.as_of(today)
        raise problem("date_in_future", f"investigated_on is in the future{now['en']}",
                      f"調査日が未来の日付です{now['ja']}", field="investigation.investigated_on",
                      today=now["today"])
    if not inv.finding.strip() or not cmd.reason.strip():
        field = "reason" if not cmd.reason.strip() else "investigation.finding"
        raise problem("shokken_evidence_required", f"{field} may not be blank",
                      "職権の事由と実態調査の結果を入力してください", field=field)
    names = [n.strip() for n in inv.investigators]
    if any(not n for n in names) or len(set(names)) != len(names):
        raise problem("shokken_evidence_required", "investigators must be distinct and named",
                      "調査した職員を重複なく入力してください", field="investigation.investigators")
    if inv.method == "site_visit" and len(names) < SITE_VISIT_MIN_INVESTIGATORS:
        raise problem("shokken_evidence_required",
                      f"A site visit is made by {SITE_VISIT_MIN_INVESTIGATORS} or more staff",
                      f"現地調査は{SITE_VISIT_MIN_INVESTIGATORS}人以上の職員で行います。"
                      "調査した職員を全員入力してください", field="investigation.investigators")


def _check_correction(r: Resident, changes: dict[str, str | None], today: dt.date) -> dict[str, Any]:
    """The corrected values, typed, after the checks a 届出 would have had."""
    out: dict[str, Any] = {}
    for f, v in changes.items():
        if v is not None and len(v) > CORRECTABLE[f]:
            raise problem("invalid_request", f"{f} is longer than {CORRECTABLE[f]} characters",
                          f"{f} は{CORRECTABLE[f]}文字以内で入力してください", field=f"changes.{f}")
        if f in REQUIRED and not (v or "").strip():
            raise problem("invalid_request", f"{f} may not be empty",
                          "この項目は空欄にできません", field=f"changes.{f}")
        if f == "birth_date":
            try:
                v = dt.date.fromisoformat(v or "")
            except ValueError:
                raise problem("invalid_request", "birth_date must be YYYY-MM-DD",
                              "生年月日の形式が正しくありません", field="changes.birth_date") from None
            if v > today:
                now = clock.as_of(today)
                raise problem("date_in_future", f"birth_date is in the future{now['en']}",
                              f"生年月日が未来の日付です{now['ja']}", field="changes.birth_date",
                              today=now["today"])
        elif f == "sex" and v not in ("male", "female"):
            raise problem("invalid_request", "sex must be male or female",
                          "性別が正しくありません", field="changes.sex")
        elif f in ("name_kana", "former_surname_kana") and v and not is_katakana(v):
            raise problem("kana_invalid", f"{f} must be katakana",
                          "フリガナはカタカナで入力してください", field=f"changes.{f}")
        elif f == "postal_code" and not postal_code_ok(v or ""):
            raise problem("postal_code_invalid", "postal_code must be 7 digits",
                          "郵便番号は7桁の数字で入力してください", field="changes.postal_code")
        elif f == "relationship_to_head" and v == "世帯主" and any(
                m.relationship_to_head == "世帯主" and m.id != r.id and m.status == "current"
                for m in r.household.members):
            raise problem("household_head_conflict", "The household already has a head",
                          "この世帯には既に世帯主がいます", field="changes.relationship_to_head")
        if getattr(r, f) == v:
            raise problem("shokken_no_change", f"{f} already has that value",
                          "修正後の内容が現在の記録と同じです", field=f"changes.{f}")
        out[f] = v
    return out


def _history(db: Session, r: Resident, cmd: _Shokken, changes: dict[str, list[Any]], *,
             operator: str, device: str, command_id: str) -> ResidentHistory:
    h = ResidentHistory(resident=r, kind=cmd.kind, reason=KIND_LABELS[cmd.kind],
                        idou_date=cmd.idou_date, idou_date_unknown=cmd.idou_date_unknown,
                        todoke_date=None, entry_kind="shokken", operator_login=operator,
                        device_id=device, command_id=command_id, changes=changes)
    db.add(h)
    return h


def apply(db: Session, cipher: MyNumberCipher, cmd: Any, *, today: dt.date, operator: str,
          device: str, command_id: str,
          my_number_access: bool = True) -> tuple[Resident, ResidentHistory]:
    """Check then apply one 職権 command in the caller's transaction (the 審査 dry run and the
    supervisor's approval both call it). Raises Problem on refusal. ``operator``/``device``: who
    entered it, where (the 異動履歴 names the entrant; the approver is recorded beside)."""
    _check_evidence(cmd, today)
    if isinstance(cmd, ShokkenKisai):
        # The checks and the record of a 転入 (idou.apply), then the 履歴 says 職権記載: no 届出,
        # so no 届出日 (the 転入's todoke_date check is given today, which always passes).
        as_tennyu = idou.Tennyu(kind="tennyu", idou_date=cmd.idou_date,
                                idou_date_unknown=cmd.idou_date_unknown, todoke_date=today,
                                person=cmd.person, household=cmd.household,
                                moved_in_from=cmd.moved_in_from or "不詳")
        r, h = idou.apply(db, cipher, as_tennyu, today=today, operator=operator, device=device,
                          command_id=command_id, my_number_access=my_number_access)
        r.moved_in_from = r.previous_address = cmd.moved_in_from
        h.kind, h.reason, h.entry_kind, h.todoke_date = (cmd.kind, KIND_LABELS[cmd.kind],
                                                         "shokken", None)
        db.flush()
        return r, h
    r = idou._current(db, cmd.resident_id, cmd.expected_version)
    # 消除 follows a 死亡's date rules (not ahead, 不詳 allowed); a 修正 a 世帯変更's (K-DQ-17)
    date_kind = "shibou" if isinstance(cmd, ShokkenShojo) else "setai_henko"
    check_dates(date_kind, idou_date=cmd.idou_date, idou_date_unknown=cmd.idou_date_unknown,
                todoke_date=today, birth_date=r.birth_date, today=today, new_person=False)
    changes: dict[str, list[Any]] = {}
    if isinstance(cmd, ShokkenShojo):
        changes["status"] = [r.status, "removed"]
        r.status, r.removed_on, r.removal_reason = "removed", cmd.idou_date, "職権消除"
        r.removed_on_unknown = cmd.idou_date_unknown
    else:  # a correction, not a move: 住所を定めた日 and 前住所 stay as they were
        for f, v in _check_correction(r, dict(cmd.changes), today).items():
            old = getattr(r, f)
            changes[f] = [old.isoformat() if isinstance(old, dt.date) else old,
                          v.isoformat() if isinstance(v, dt.date) else v]
            setattr(r, f, v)
        if "name_kanji" in cmd.changes:
            r.name_search = normalise_name(r.name_kanji)
        if "name_kana" in cmd.changes:
            r.name_search_kana = search_kana(r.name_kana)
    r.updated_at = utcnow()
    h = _history(db, r, cmd, changes, operator=operator, device=device, command_id=command_id)
    db.flush()
    return r, h
