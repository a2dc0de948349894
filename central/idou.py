"""異動届 commands and the register's logical checks (DQ-*, 001 L495 論理チェック).

A command is validated completely before anything is written; a violation raises a ``Problem`` with
a specific code (e.g. ``already_resident``, ``tenkyo_non_address_change``) that the clerk sees in
Japanese. Records are never deleted: 転出 and 死亡 set ``status = removed`` (消除) and every change
adds an 異動履歴 row. Optimistic concurrency: a command names the version it was entered against.
"""
from __future__ import annotations

import datetime as dt
import secrets
from typing import Annotated, Any, Callable, Literal, Union

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from japan import mynumber
from japan.kana import is_katakana, normalise_name, search_kana

from . import clock
from .audit import parse_at
from .crypto import MyNumberCipher
from .models import AuditEvent, Household, Resident, ResidentHistory, utcnow
from .problems import Problem, problem
from .tennyu_yotei import PaperCertificate, Tokurei, check_paper, check_tokurei, mark_arrived
from .validation import check_dates, postal_code_ok

KIND_LABELS = {"tennyu": "転入", "tenkyo": "転居", "tenshutsu": "転出", "setai_henko": "世帯変更",
               "shussei": "出生", "shibou": "死亡", "setai": "世帯の届出"}

ADDRESS_FIELDS = {"address", "katagaki", "postal_code"}
HOUSEHOLD_FIELDS = {"household_no", "relationship_to_head"}
TENSHUTSU_MAX_AHEAD_DAYS = 30  # 転出予定日 may lie ahead (届出 before the move)

Str100 = Annotated[str, Field(min_length=1, max_length=100)]
RecordId = Annotated[int, Field(ge=1, le=2**31 - 1)]
Version = Annotated[int, Field(ge=1, le=2**31 - 1)]
# Longest value each changeable field may take (the register's column widths).
FIELD_MAX = {"address": 200, "katagaki": 100, "postal_code": 7, "household_no": 12,
             "relationship_to_head": 20}
Str200 = Annotated[str, Field(min_length=1, max_length=200)]


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid")
    idou_date: dt.date | None = Field(
        None, description="異動日; null only with idou_date_unknown (不詳, K-DQ-17)")
    idou_date_unknown: bool = Field(
        False, description="異動年月日不詳: the date is unknown (世帯変更, 転出, 死亡 only)")
    todoke_date: dt.date = Field(description="届出日")
    identity_check_seq: Annotated[int, Field(ge=1, le=2**62)] | None = Field(
        None, description="本人確認の記録: the seq POST /v1/identity-checks answered at this counter")


class NewPerson(BaseModel):
    """A person entering the register (転入 / 出生)."""

    model_config = ConfigDict(extra="forbid")
    name_kanji: Str100
    name_kana: Str100
    birth_date: dt.date
    sex: Literal["male", "female"]
    my_number: Annotated[str, Field(max_length=20)] | None = None
    # 転入前の住民票コード (法22①), from the 転出証明書 or its 情報: carried over; null: a new one
    juminhyo_code: Annotated[str, Field(pattern=r"^[0-9]{11}$")] | None = None
    postal_code: Annotated[str, Field(max_length=10)]
    address: Str200
    katagaki: Annotated[str, Field(max_length=100)] | None = None
    honseki: Annotated[str, Field(max_length=200)] | None = None
    hittousha: Annotated[str, Field(max_length=100)] | None = None
    nationality: Annotated[str, Field(max_length=50)] | None = None
    residence_status: Annotated[str, Field(max_length=50)] | None = None
    residence_expiry: dt.date | None = None
    residence_card_no: Annotated[str, Field(max_length=12)] | None = None
    art30_45_category: Annotated[str, Field(max_length=40)] | None = None


class HouseholdChoice(BaseModel):
    """Join an existing 世帯 (household_no + 続柄) or found a new one as 世帯主 (household_no null)."""

    model_config = ConfigDict(extra="forbid")
    household_no: Annotated[str, Field(max_length=12)] | None = None
    relationship_to_head: Annotated[str, Field(min_length=1, max_length=20)] = "世帯主"


class Tennyu(_Base):
    """転入: a person moves into the city from elsewhere."""

    kind: Literal["tennyu"]
    person: NewPerson
    moved_in_from: Str200 = Field(description="転入前住所")
    household: HouseholdChoice = HouseholdChoice()
    tokurei: Tokurei | None = Field(
        None, description="特例転入: the 転入予定者 (転出証明書情報) and the card read (#22)")
    tenshutsu_shomeisho: PaperCertificate | None = Field(
        None, description="the paper 転出証明書 as typed by the clerk, checked against the 届出 (#22)")


class Shussei(_Base):
    """出生: a birth; idou_date is the birth date."""

    kind: Literal["shussei"]
    person: NewPerson
    household: HouseholdChoice


class Tenkyo(_Base):
    """転居: a move within the city. Only address, 方書 and postal code may change."""

    kind: Literal["tenkyo"]
    resident_id: RecordId
    expected_version: Version
    changes: dict[str, Annotated[str, Field(max_length=200)] | None]


class SetaiHenko(_Base):
    """世帯変更: household membership or 続柄 changes."""

    kind: Literal["setai_henko"]
    resident_id: RecordId
    expected_version: Version
    changes: dict[str, Annotated[str, Field(max_length=200)] | None]


class Tenshutsu(_Base):
    """転出: a move out of the city; idou_date is the 転出予定日."""

    kind: Literal["tenshutsu"]
    resident_id: RecordId
    expected_version: Version
    moved_out_to: Str200 = Field(description="転出先")


class Shibou(_Base):
    """死亡: a death; idou_date is the date of death."""

    kind: Literal["shibou"]
    resident_id: RecordId
    expected_version: Version


Relationship = Annotated[str, Field(min_length=1, max_length=20,
                                    description="続柄 (relation to the 世帯主, household.py)")]


class Idousha(BaseModel):
    """One 異動者 of a household 届出 (``SetaiTodoke``): what happens to them (``event``), who they
    are (``resident_id`` + ``expected_version`` of a current resident, or ``person`` for a 転入 /
    出生), which 世帯 they belong to afterwards (``to``) and their 続柄 there."""

    model_config = ConfigDict(extra="forbid")
    event: Literal["tennyu", "shussei", "tenkyo", "tenshutsu", "shibou", "setai_henko"] = Field(
        description="転入, 出生, 転居, 転出, 死亡 or 世帯変更 of this person")
    resident_id: RecordId | None = Field(None, description="a current resident (not for 転入/出生)")
    expected_version: Version | None = Field(None, description="the record version entered against")
    person: NewPerson | None = Field(None, description="the person entering (転入/出生 only)")
    to: Literal["same", "new", "target"] = Field(
        "same", description="世帯 afterwards: same (their own), new (the 届出's new 世帯) or "
        "target (the existing 世帯 household_no)")
    relationship_to_head: Relationship | None = Field(
        None, description="続柄 in that 世帯; for 出生 with mother_id it may be left to the register")
    mother_id: RecordId | None = Field(None, description="出生: the mother, a current resident")


class NewAddress(BaseModel):
    """転居先: the new address of a 転居."""

    model_config = ConfigDict(extra="forbid")
    postal_code: Annotated[str, Field(max_length=10)]
    address: Str200
    katagaki: Annotated[str, Field(max_length=100)] | None = None


class SetaiTodoke(_Base):
    """世帯の届出: one 届出 naming several 異動者, applied all or none (household.py). One date for
    all; one new 世帯 at most (``to = new``); one existing 世帯 joined at most (``household_no``)."""

    kind: Literal["setai"]
    members: Annotated[list[Idousha], Field(min_length=1, max_length=20)]
    household_no: Annotated[str, Field(max_length=12)] | None = Field(
        None, description="the existing 世帯 the members with to = target join")
    address: NewAddress | None = Field(None, description="転居先 (転居 not into an existing 世帯)")
    moved_in_from: Str200 | None = Field(None, description="転入前住所 (転入)")
    moved_out_to: Str200 | None = Field(None, description="転出先 (転出)")


IdouCommand = Annotated[Union[Tennyu, Shussei, Tenkyo, SetaiHenko, Tenshutsu, Shibou,
                              SetaiTodoke], Field(discriminator="kind")]


# --- checks -------------------------------------------------------------------------------------


def _check_dates(cmd: _Base, today: dt.date, birth: dt.date | None,
                 tenshutsu: bool | None = None) -> None:
    """``tenshutsu``: whether the 異動 is a 転出 (a household 届出 says it per 異動者)."""
    tenshutsu = isinstance(cmd, Tenshutsu) if tenshutsu is None else tenshutsu
    ahead = TENSHUTSU_MAX_AHEAD_DAYS if tenshutsu else 0
    now = clock.as_of(today)
    if cmd.idou_date > today + dt.timedelta(days=ahead):
        raise problem("date_in_future", f"idou_date {cmd.idou_date} is in the future{now['en']}",
                      f"異動日（{cmd.idou_date}）が未来の日付です{now['ja']}", field="idou_date",
                      today=now["today"])
    if cmd.todoke_date > today:
        raise problem("date_in_future",
                      f"todoke_date {cmd.todoke_date} is in the future{now['en']}",
                      f"届出日（{cmd.todoke_date}）が未来の日付です{now['ja']}",
                      field="todoke_date", today=now["today"])
    if birth and cmd.idou_date < birth:
        raise problem("date_before_birth", f"idou_date {cmd.idou_date} is before birth {birth}",
                      f"異動日（{cmd.idou_date}）が生年月日（{birth}）より前です", field="idou_date")
    if not tenshutsu and cmd.todoke_date < cmd.idou_date:
        raise problem("todoke_before_idou", "todoke_date is before idou_date",
                      "届出日が異動日より前です", field="todoke_date")


def _check_person(p: NewPerson, today: dt.date) -> None:
    if p.birth_date > today:
        now = clock.as_of(today)
        raise problem("date_in_future", f"birth_date is in the future{now['en']}",
                      f"生年月日が未来の日付です{now['ja']}", field="person.birth_date",
                      today=now["today"])
    if not is_katakana(p.name_kana):
        raise problem("kana_invalid", "name_kana must be katakana",
                      "フリガナはカタカナで入力してください", field="person.name_kana")
    if not postal_code_ok(p.postal_code):
        raise problem("postal_code_invalid", "postal_code must be 7 digits",
                      "郵便番号は7桁の数字で入力してください（ハイフンなし）",
                      field="person.postal_code")
    if p.my_number is not None:
        check_my_number(p.my_number, field="person.my_number")


def check_my_number(value: str, field: str) -> None:
    if not mynumber.well_formed(value):
        raise problem("my_number_format", "My Number must be 12 digits",
                      "個人番号は12桁の数字です", field=field)
    if not mynumber.is_valid(value):
        raise problem("my_number_check_digit", "The My Number check digit is wrong",
                      "個人番号の検査用数字が一致しません。番号を確認してください", field=field)


def _current(db: Session, resident_id: int, expected_version: int) -> Resident:
    r = db.get(Resident, resident_id)
    if r is None:
        raise problem("resident_not_found", f"No resident {resident_id}",
                      "指定された住民が見つかりません", field="resident_id")
    if r.status != "current":
        raise problem("not_a_resident", f"Resident {resident_id} is not a current resident "
                      f"(removed: {r.removal_reason})",
                      f"この方は現在の住民ではありません（{r.removal_reason or '消除'}済み）",
                      field="resident_id")
    if r.version != expected_version:
        raise problem("version_conflict", f"Record is at version {r.version}, command was "
                      f"entered against {expected_version}",
                      "入力後に記録が更新されています。最新の記録を確認して入力し直してください",
                      field="expected_version", current_version=r.version)
    return r


def _household(db: Session, choice: HouseholdChoice, *, for_birth: bool) -> Household | None:
    if choice.household_no is None:
        if for_birth:
            raise problem("household_not_found", "A birth joins an existing household",
                          "出生は既存の世帯に記載します。世帯番号を指定してください",
                          field="household.household_no")
        return None
    hh = db.scalar(select(Household).where(Household.household_no == choice.household_no))
    if hh is None or not any(m.status == "current" for m in hh.members):
        raise problem("household_not_found", f"No current household {choice.household_no}",
                      f"世帯番号 {choice.household_no} の世帯が見つかりません",
                      field="household.household_no")
    if choice.relationship_to_head == "世帯主":
        raise problem("household_head_conflict", "The household already has a head",
                      "この世帯には既に世帯主がいます", field="household.relationship_to_head")
    return hh


def _new_household(db: Session) -> Household:
    while True:
        no = f"{secrets.randbelow(10**10):010d}"
        if db.scalar(select(Household.id).where(Household.household_no == no)) is None:
            hh = Household(household_no=no)
            db.add(hh)
            return hh


def _new_juminhyo_code(db: Session) -> str:
    while True:
        code = f"{secrets.randbelow(9 * 10**10) + 10**10:011d}"
        if db.scalar(select(Resident.id).where(Resident.juminhyo_code == code)) is None:
            return code


def _only(changes: dict[str, Any], allowed: set[str], code: str, en: str, ja: str) -> None:
    bad = sorted(set(changes) - allowed)
    if bad:
        raise problem(code, f"{en}: {', '.join(bad)}", f"{ja}（{'、'.join(bad)}）", field=bad[0])
    if not changes:
        raise problem("invalid_request", "changes is empty", "変更内容がありません", field="changes")
    for f, v in changes.items():
        if v is not None and len(v) > FIELD_MAX[f]:
            raise problem("invalid_request", f"{f} is longer than {FIELD_MAX[f]} characters",
                          f"{f} は{FIELD_MAX[f]}文字以内で入力してください", field=f)


# --- 本人確認 the 届出 rests on ------------------------------------------------------------------


def identity_check(db: Session, seq: int, *, operator: str, device: str,
                   today: dt.date) -> AuditEvent:
    """The 本人確認 a 届出 names (``identity_check_seq``): a check that matched, made today by the
    same clerk at the same terminal, so that the reviewer sees how the 届出人 was identified —
    for a 転入, who has no record here yet, the check of the counter case (WF-2, 000 L959).
    Refusals are specific: the record is missing, it was a mismatch, it is another counter's, or
    it is from another day."""
    row = db.get(AuditEvent, seq)
    if row is None or row.action != "identity.check":
        raise problem("identity_check_not_found", f"No identity check {seq}",
                      "届出に指定された本人確認の記録が見つかりません。本人確認をやり直してください",
                      field="identity_check_seq")
    if row.outcome != "ok":
        raise problem("identity_check_mismatch",
                      "The identity check recorded a mismatch; it cannot support a 届出",
                      "本人確認で相違があった記録です。相違を解消して本人確認をやり直してください",
                      field="identity_check_seq")
    if (row.operator_login, row.device_id) != (operator, device):
        raise problem("identity_check_other_counter",
                      "The identity check was made by another clerk or at another terminal",
                      "別の職員または別の端末で行った本人確認です。この窓口で本人確認をしてください",
                      field="identity_check_seq")
    if clock.today(parse_at(row.at)) != today:
        now = clock.as_of(today)
        raise problem("identity_check_stale", f"The identity check was not made today{now['en']}",
                      "本人確認は届出の当日に行ったものが必要です。本人確認をやり直してください"
                      + now["ja"], field="identity_check_seq", today=now["today"])
    return row


def identity_view(row: AuditEvent | None, case_resident: int | None) -> dict[str, Any] | None:
    """What a reviewer sees of the 本人確認: how, when, by whom, and whom — a resident or a 転入's
    counter case — and whether that is the person the 届出 is about (``is_subject``; for 出生 or
    死亡, or a household member's 届出, the 届出人 is someone else, which the reviewer weighs). The
    card's data is never part of it."""
    if row is None or row.action != "identity.check":
        return None
    detail = row.detail or {}
    kind, _, ref = (row.subject or "").partition(":")
    resident_id = int(ref) if kind == "resident" and ref.isdigit() else None
    return {"seq": row.seq, "at": row.at, "operator": row.operator_login, "device": row.device_id,
            "method": detail.get("method"), "items": detail.get("items") or [],
            "signature_verified": bool(detail.get("signature_verified")),
            "subject": "newcomer" if kind == "newcomer" else "resident",
            "resident_id": resident_id,
            "is_subject": (kind == "newcomer" and case_resident is None)
            or (resident_id is not None and resident_id == case_resident)}


# --- apply --------------------------------------------------------------------------------------


def my_number_access_required(db: Session, cipher: MyNumberCipher, number: str,
                              field: str = "person.my_number") -> Problem:
    """The refusal of a 届出 (or a tax inquiry) that carries a My Number from an operator without
    特定個人情報アクセス権限 (#21 class 2, AUTHZ-1): the same answer whether or not the number is on
    the register, so no route tells more than the My Number search the operator may not make. The person the
    number belongs to, if any, is looked up for the audit row only (``audit_subject``, never in
    the body)."""
    p = problem("forbidden",  # the code the refused My Number search answers (register.py)
                "Using a My Number needs the My Number access right",
                "個人番号を使う処理には特定個人情報アクセス権限が必要です。"
                "個人番号を空欄にするか、権限のある職員が処理してください", field=field)
    rid = db.scalar(select(Resident.id).where(Resident.my_number_index == cipher.index(number)))
    p.audit_subject = f"resident:{rid}" if rid else None  # type: ignore[attr-defined]
    return p


def _tennyu_evidence(db: Session, cipher: MyNumberCipher, cmd: "Tennyu", p: NewPerson, *,
                     today: dt.date, my_number_access: bool) -> Any:
    """The 転入's evidence checked (#22 point 2): a 特例転入 against its 転出証明書情報 (the
    転入予定者 it carries 住民票コード and 個人番号 over from, returned), or a paper 転出証明書
    typed by the clerk against the 届出. Without 特定個人情報アクセス権限 a 特例転入 or a typed
    number is refused before anything is compared, so no answer tells a number."""
    if not my_number_access:
        card = cmd.tokurei.card if cmd.tokurei is not None else None
        paper = cmd.tenshutsu_shomeisho
        number = (card.my_number if card else None) or (paper.my_number if paper else None)
        if cmd.tokurei is not None or number:  # (the 届出's own number: refused later)
            field = "tokurei" if cmd.tokurei is not None else "tenshutsu_shomeisho.my_number"
            raise my_number_access_required(db, cipher, number or p.my_number or "", field=field)
    carried = None
    if cmd.tokurei is not None:
        carried = check_tokurei(db, cipher, cmd.tokurei, p, idou_date=cmd.idou_date,
                                todoke_date=cmd.todoke_date, today=today)
    if cmd.tenshutsu_shomeisho is not None:
        if cmd.tokurei is not None:
            raise problem("invalid_request", "A 転入 is either 特例 or from a paper 転出証明書",
                          "特例転入と転出証明書（紙）による転入は同時に指定できません",
                          field="tenshutsu_shomeisho")
        check_paper(cmd.tenshutsu_shomeisho, p, moved_in_from=cmd.moved_in_from,
                    idou_date=cmd.idou_date, todoke_date=cmd.todoke_date)
    return carried


def new_resident(db: Session, cipher: MyNumberCipher, cmd: Any, p: NewPerson, *,
                 today: dt.date, my_number_access: bool,
                 household: Callable[[], Household | None], relationship: str,
                 moved_in_from: str | None, juminhyo_code: str | None = None) -> Resident:
    """A person entering the register by 転入 or 出生 (``cmd.kind``), checked first (dates,
    kana, postal code, My Number, not already a current resident), in ``household`` or a new
    one (``household`` is looked up after the person's checks and answers None for a new
    one). Used by the single-person commands and by the household 届出 (household.py).
    ``juminhyo_code``: the 住民票コード carried over (特例転入), else the person's own if given."""
    check_dates(cmd.kind, idou_date=cmd.idou_date, idou_date_unknown=cmd.idou_date_unknown,
                todoke_date=cmd.todoke_date, birth_date=p.birth_date, today=today,
                new_person=True)  # plausible bounds and 不詳 (#21 class 9)
    _check_person(p, today)
    _check_dates(cmd, today, p.birth_date, tenshutsu=False)
    if cmd.kind == "shussei" and p.birth_date != cmd.idou_date:
        raise problem("invalid_request", "For 出生 the idou_date is the birth date",
                      "出生の異動日は生年月日と同じ日です", field="idou_date")
    if p.my_number and not my_number_access:
        raise my_number_access_required(db, cipher, p.my_number)
    idx = cipher.index(p.my_number) if p.my_number else None
    dup = None
    if idx:
        dup = db.scalar(select(Resident).where(Resident.my_number_index == idx))
    if dup is None:
        dup = db.scalar(select(Resident).where(
            Resident.status == "current",
            Resident.name_search_kana == search_kana(p.name_kana),
            Resident.birth_date == p.birth_date,
            Resident.name_search == normalise_name(p.name_kanji)))
    if dup is not None and dup.status == "current":
        raise problem("already_resident", "This person is already a current resident",
                      "この方は既に住民登録されています（転入ではなく転居の届出です）",
                      field="person", resident_id=dup.id)
    if dup is not None and idx and dup.my_number_index == idx:
        # A former resident returns: the number stays with the old, removed record.
        dup.my_number_index = None
    hh = household() or _new_household(db)
    code = juminhyo_code or p.juminhyo_code
    if code is not None and db.scalar(
            select(Resident.id).where(Resident.juminhyo_code == code)) is not None:
        raise problem("juminhyo_code_in_use", "This 住民票コード is already on the register",
                      "この住民票コードの住民票が既にあります。記録を確認してください",
                      field="person.juminhyo_code")
    r = Resident(
        juminhyo_code=code or _new_juminhyo_code(db),
        my_number_enc=cipher.encrypt(p.my_number) if p.my_number else None,
        my_number_index=idx,
        name_kanji=p.name_kanji, name_kana=p.name_kana,
        name_search=normalise_name(p.name_kanji), name_search_kana=search_kana(p.name_kana),
        birth_date=p.birth_date, sex=p.sex, household=hh,
        relationship_to_head=relationship,
        postal_code=p.postal_code, address=p.address, katagaki=p.katagaki,
        became_resident_on=cmd.idou_date, address_set_on=cmd.idou_date,
        moved_in_from=moved_in_from, previous_address=moved_in_from,
        honseki=p.honseki, hittousha=p.hittousha,
        is_foreign=p.nationality is not None, nationality=p.nationality,
        residence_status=p.residence_status, residence_expiry=p.residence_expiry,
        residence_card_no=p.residence_card_no, art30_45_category=p.art30_45_category,
        substitute_chars=[],
    )
    return r


def apply(db: Session, cipher: MyNumberCipher, cmd: Any, *, today: dt.date, operator: str,
          device: str, command_id: str,
          my_number_access: bool = True) -> tuple[Resident, ResidentHistory]:
    """Check then apply one 異動 command in the caller's transaction. Raises Problem on refusal.

    ``my_number_access``: whether the operator who sent the 届出 holds 特定個人情報アクセス権限; a
    My Number from one who does not is refused before it is looked up (the 審査 approval applies
    what its entrant sent and was checked for)."""
    changes: dict[str, list[Any]] = {}
    carried = None  # the 転入予定者 a 特例転入 carries its 住民票コード and 個人番号 over from
    if isinstance(cmd, (Tennyu, Shussei)):
        p = cmd.person
        if isinstance(cmd, Tennyu):  # 特例転入 or a paper 転出証明書 (#22 point 2)
            carried = _tennyu_evidence(db, cipher, cmd, p, today=today,
                                       my_number_access=my_number_access)
        r = new_resident(db, cipher, cmd, p, today=today,
                         my_number_access=my_number_access,
                         household=lambda: _household(db, cmd.household,
                                                      for_birth=isinstance(cmd, Shussei)),
                         relationship=cmd.household.relationship_to_head,
                         moved_in_from=getattr(cmd, "moved_in_from", None),
                         juminhyo_code=carried.juminhyo_code if carried is not None else None)
        db.add(r)
        changes["status"] = [None, "current"]
        if carried is not None:
            changes["tennyu_yotei"] = [None, carried.certificate_id]  # 特例転入, shown in history
            # 旧氏 and 異体字 as the former municipality recorded them (転出証明書情報)
            r.former_surname, r.former_surname_kana = (carried.former_surname,
                                                       carried.former_surname_kana)
            r.substitute_chars = list(carried.substitute_chars or [])
            r.gaiji = bool(r.substitute_chars)
    else:
        r = _current(db, cmd.resident_id, cmd.expected_version)
        check_dates(cmd.kind, idou_date=cmd.idou_date, idou_date_unknown=cmd.idou_date_unknown,
                    todoke_date=cmd.todoke_date, birth_date=r.birth_date, today=today,
                    new_person=False)  # plausible bounds and 不詳 (#21 class 9)
        if cmd.idou_date is not None:
            _check_dates(cmd, today, r.birth_date)
        if isinstance(cmd, Tenkyo):
            _only(cmd.changes, ADDRESS_FIELDS, "tenkyo_non_address_change",
                  "転居 may change only address, katagaki and postal_code",
                  "転居で変更できるのは住所・方書・郵便番号だけです")
            if "postal_code" in cmd.changes and not postal_code_ok(cmd.changes["postal_code"] or ""):
                raise problem("postal_code_invalid", "postal_code must be 7 digits",
                              "郵便番号は7桁の数字で入力してください", field="postal_code")
            if "address" in cmd.changes and not (cmd.changes["address"] or "").strip():
                raise problem("invalid_request", "address may not be empty",
                              "住所を入力してください", field="address")
            if "address" in cmd.changes:
                changes["previous_address"] = [r.previous_address, r.address]
                r.previous_address = r.address
                changes["address_set_on"] = [r.address_set_on.isoformat(),
                                             cmd.idou_date.isoformat()]
                r.address_set_on = cmd.idou_date
            for f, v in cmd.changes.items():
                changes[f] = [getattr(r, f), v]
                setattr(r, f, v)
        elif isinstance(cmd, SetaiHenko):
            _only(cmd.changes, HOUSEHOLD_FIELDS, "setai_henko_non_household_change",
                  "世帯変更 may change only household_no and relationship_to_head",
                  "世帯変更で変更できるのは世帯番号と続柄だけです")
            if "household_no" in cmd.changes:
                rel = cmd.changes.get("relationship_to_head") or r.relationship_to_head
                target = cmd.changes["household_no"]
                if target is None:
                    hh = _new_household(db)
                    rel = "世帯主"
                else:
                    hh = _household(db, HouseholdChoice(household_no=target,
                                                        relationship_to_head=rel), for_birth=False)
                changes["household_no"] = [r.household.household_no, hh.household_no]
                changes["relationship_to_head"] = [r.relationship_to_head, rel]
                r.household, r.relationship_to_head = hh, rel
            else:
                rel = cmd.changes["relationship_to_head"]
                if not rel:
                    raise problem("invalid_request", "relationship_to_head may not be empty",
                                  "続柄を入力してください", field="relationship_to_head")
                if rel == "世帯主" and any(m.relationship_to_head == "世帯主" and m.id != r.id
                                         and m.status == "current" for m in r.household.members):
                    raise problem("household_head_conflict", "The household already has a head",
                                  "この世帯には既に世帯主がいます", field="relationship_to_head")
                changes["relationship_to_head"] = [r.relationship_to_head, rel]
                r.relationship_to_head = rel
        elif isinstance(cmd, Tenshutsu):
            changes.update(status=[r.status, "removed"], moved_out_to=[r.moved_out_to,
                                                                        cmd.moved_out_to])
            r.status, r.removed_on, r.removal_reason = "removed", cmd.idou_date, "転出"
            r.removed_on_unknown = cmd.idou_date_unknown
            r.moved_out_to = cmd.moved_out_to
        elif isinstance(cmd, Shibou):
            changes["status"] = [r.status, "removed"]
            r.status, r.removed_on, r.removal_reason = "removed", cmd.idou_date, "死亡"
            r.removed_on_unknown = cmd.idou_date_unknown
        r.updated_at = utcnow()
    h = ResidentHistory(resident=r, kind=cmd.kind, reason=KIND_LABELS[cmd.kind],
                        idou_date=cmd.idou_date, idou_date_unknown=cmd.idou_date_unknown,
                        todoke_date=cmd.todoke_date,
                        operator_login=operator, device_id=device, command_id=command_id,
                        changes=changes)
    db.add(h)
    db.flush()
    if carried is not None:
        mark_arrived(carried, r.id)
        db.flush()
    return r, h


