"""世帯の届出: one 異動届 for a household, several 異動者, applied all or none (K-WF-5.1, K-DQ-1).

A family moves in together, a son leaves his parents' 世帯 (世帯分離), two 世帯 become one (世帯合併),
the 世帯主 dies: one ``SetaiTodoke`` (idou.py) names every person it changes, each with their 異動
(``event``), the 世帯 they belong to afterwards (``to``) and their 続柄 there. ``apply`` checks each
person as the single-person commands do, changes them in the caller's transaction, settles the
世帯主 of every 世帯 it touched (§2.3 of counter-domain.md) and then runs the household's logical
checks; the first refusal raises a ``Problem`` naming the field beside which the client shows it
(``members[2].relationship_to_head``) and nothing is kept — the caller's transaction is rolled back.

Every changed person gets one 異動履歴 row under the 届出's command id, so a 異動リスト (K-DQ-6)
lists them per person; commands.py adds the audit row and the change-feed entry for each.
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from japan.kana import search_kana
from japan.zokugara import (CHILD_OF_MOTHER, HEAD, HEAD_SUCCESSION_AGE, RELATIONSHIPS, RESTATED,
                            Member, household_refusal, successor_candidates)

from . import idou
from .crypto import MyNumberCipher
from .models import Household, Resident, ResidentHistory, utcnow
from .problems import Problem, problem
from .validation import check_dates, postal_code_ok

# The 続柄 list, the 世帯主 rule and the household's checks are shared with the client:
# japan/zokugara.py (RELATIONSHIPS, HEAD_SUCCESSION_AGE, RESTATED, CHILD_OF_MOTHER).

# 事由 on the 異動履歴 row: (event, how the 世帯 changed) -> text
REASONS: dict[tuple[str, str], str] = {
    ("tennyu", "new"): "転入", ("tennyu", "target"): "転入（世帯加入）",
    ("shussei", "target"): "出生",
    ("tenkyo", "same"): "転居", ("tenkyo", "new"): "転居（世帯分離）",
    ("tenkyo", "target"): "転居（世帯加入）",
    ("tenshutsu", "same"): "転出", ("shibou", "same"): "死亡",
    ("setai_henko", "new"): "世帯変更（世帯分離）", ("setai_henko", "target"): "世帯変更（世帯構成変更）",
    ("setai_henko", "merge"): "世帯変更（世帯合併）", ("setai_henko", "head"): "世帯変更（世帯主変更）",
    ("setai_henko", "same"): "世帯変更（続柄変更）",
}

NEW_PERSON_EVENTS = ("tennyu", "shussei")
REMOVAL_EVENTS = {"tenshutsu": "転出", "shibou": "死亡"}


@dataclasses.dataclass
class _PersonCmd:
    """The single-person view of one 異動者 for idou's checks (its kind and the 届出's dates)."""

    kind: str
    idou_date: dt.date | None
    idou_date_unknown: bool
    todoke_date: dt.date


@dataclasses.dataclass
class _Change:
    resident: Resident
    index: int | None  # the 異動者's position in the 届出; None for a member changed as a consequence
    event: str
    how: str
    changes: dict[str, list[Any]]


def _field(i: int | None, name: str) -> str:
    return f"members[{i}].{name}" if i is not None else "members"


@contextlib.contextmanager
def _member(i: int) -> Iterator[None]:
    """A refusal raised by a single-person check names the 異動者's field."""
    try:
        yield
    except Problem as p:
        if p.field and not p.field.startswith(("idou_date", "todoke_date", "members")):
            p.field = _field(i, p.field)
        raise


# --- shape of the 届出 ------------------------------------------------------------------------


def _check_shape(cmd: idou.SetaiTodoke) -> None:
    """What each 異動者 must and must not carry, each person once, the 続柄 from the list."""
    seen_ids: dict[int, int] = {}
    seen_people: dict[tuple[str, dt.date], int] = {}
    for i, m in enumerate(cmd.members):
        new = m.event in NEW_PERSON_EVENTS
        if new and m.person is None:
            raise problem("invalid_request", f"members[{i}]: a {m.event} needs person",
                          "転入・出生の異動者は氏名・生年月日等を入力してください",
                          field=_field(i, "person"))
        if new and m.resident_id is not None:
            raise problem("invalid_request", f"members[{i}]: a {m.event} names no resident_id",
                          "転入・出生の異動者には住民を指定できません",
                          field=_field(i, "resident_id"))
        if not new and (m.resident_id is None or m.expected_version is None):
            raise problem("invalid_request", f"members[{i}]: resident_id and expected_version "
                          "are required", "異動者の住民と記録の版を指定してください",
                          field=_field(i, "resident_id"))
        if not new and m.person is not None:
            raise problem("invalid_request", f"members[{i}]: only 転入/出生 carry person",
                          "転入・出生以外の異動者には氏名等を入力しません", field=_field(i, "person"))
        if m.mother_id is not None and m.event != "shussei":
            raise problem("invalid_request", f"members[{i}]: mother_id is for 出生 only",
                          "母の指定は出生の異動者だけです", field=_field(i, "mother_id"))
        if m.event in REMOVAL_EVENTS and (m.to != "same" or m.relationship_to_head):
            raise problem("invalid_request", f"members[{i}]: a {m.event} leaves the register; "
                          "it has no household or relationship afterwards",
                          f"{REMOVAL_EVENTS[m.event]}の異動者には異動後の世帯・続柄を指定しません",
                          field=_field(i, "to"))
        if m.event == "tennyu" and m.to == "same":
            raise problem("invalid_request", f"members[{i}]: a 転入 joins a new or an existing "
                          "household", "転入の異動者は新しい世帯か既存の世帯に入ります",
                          field=_field(i, "to"))
        if m.event == "shussei" and m.mother_id is None and m.to != "target":
            raise problem("household_not_found", "A birth joins the mother's household",
                          "出生は母の世帯に記載します。母または世帯番号を指定してください",
                          field=_field(i, "mother_id"))
        if m.event == "setai_henko" and m.to == "same" and not m.relationship_to_head:
            raise problem("invalid_request", f"members[{i}]: nothing changes",
                          "世帯変更の内容（続柄または世帯）がありません",
                          field=_field(i, "relationship_to_head"))
        needs_rel = m.to in ("new", "target") and not (m.event == "shussei" and m.mother_id)
        if needs_rel and not m.relationship_to_head:
            raise problem("relationship_required", f"members[{i}]: relationship_to_head required",
                          f"異動者{i + 1}の続柄を入力してください",
                          field=_field(i, "relationship_to_head"))
        if m.relationship_to_head and m.relationship_to_head not in RELATIONSHIPS:
            raise problem("relationship_unknown", f"members[{i}]: unknown relationship_to_head",
                          f"続柄は次から選んでください：{'・'.join(RELATIONSHIPS)}",
                          field=_field(i, "relationship_to_head"),
                          allowed=list(RELATIONSHIPS))
        if m.resident_id is not None:
            if m.resident_id in seen_ids:
                raise problem("duplicate_member", f"members[{i}] repeats members"
                              f"[{seen_ids[m.resident_id]}]",
                              f"同じ方が一つの届出に二度記載されています（異動者"
                              f"{seen_ids[m.resident_id] + 1}と{i + 1}）",
                              field=_field(i, "resident_id"))
            seen_ids[m.resident_id] = i
        if m.person is not None:
            who = (search_kana(m.person.name_kana), m.person.birth_date)
            if who in seen_people:
                raise problem("duplicate_member", f"members[{i}] repeats members"
                              f"[{seen_people[who]}]",
                              f"同じ方が一つの届出に二度記載されています（異動者"
                              f"{seen_people[who] + 1}と{i + 1}）", field=_field(i, "person"))
            seen_people[who] = i
    events = {m.event for m in cmd.members}
    if any(m.to == "target" for m in cmd.members) and not cmd.household_no:
        raise problem("household_not_found", "household_no is required to join a household",
                      "加入する世帯の世帯番号を指定してください", field="household_no")
    if "tennyu" in events and not cmd.moved_in_from:
        raise problem("invalid_request", "A 転入 needs moved_in_from", "転入前の住所を入力してください",
                      field="moved_in_from")
    if "tenshutsu" in events and not cmd.moved_out_to:
        raise problem("invalid_request", "A 転出 needs moved_out_to", "転出先を入力してください",
                      field="moved_out_to")
    tenkyo_away = any(m.event == "tenkyo" and m.to != "target" for m in cmd.members)
    if tenkyo_away and cmd.address is None:
        raise problem("invalid_request", "A 転居 needs the new address", "転居先の住所を入力してください",
                      field="address")
    if cmd.address is not None and not postal_code_ok(cmd.address.postal_code):
        raise problem("postal_code_invalid", "postal_code must be 7 digits",
                      "郵便番号は7桁の数字で入力してください（ハイフンなし）",
                      field="address.postal_code")


def _target(db: Session, household_no: str) -> Household:
    hh = db.scalar(select(Household).where(Household.household_no == household_no))
    if hh is None or not _current_members(db, hh):
        raise problem("household_not_found", f"No current household {household_no}",
                      f"世帯番号 {household_no} の世帯が見つかりません", field="household_no")
    return hh


def _current_members(db: Session, hh: Household) -> list[Resident]:
    db.flush()
    return list(db.scalars(select(Resident).where(Resident.household_id == hh.id,
                                                  Resident.status == "current")
                           .order_by(Resident.id)))


# --- apply ------------------------------------------------------------------------------------


def apply(db: Session, cipher: MyNumberCipher, cmd: idou.SetaiTodoke, *, today: dt.date,
          operator: str, device: str, command_id: str, my_number_access: bool = True,
          head_age: int = HEAD_SUCCESSION_AGE) -> list[tuple[Resident, ResidentHistory]]:
    """Check then apply a household 届出 in the caller's transaction: every person changed (the
    異動者 in order, then members changed as a consequence, e.g. the self-evident new 世帯主) with
    their 異動履歴 row. Raises Problem on the first refusal; the caller rolls back.
    ``head_age``: the 世帯主 succession age (the setting ``head_succession_age``, default 15).
    All or none even for a caller that goes on after a refusal: the changes are made under a
    savepoint that a refusal rolls back."""
    with db.begin_nested():
        return _apply(db, cipher, cmd, today=today, operator=operator, device=device,
                      command_id=command_id, my_number_access=my_number_access,
                      head_age=head_age)


def _apply(db: Session, cipher: MyNumberCipher, cmd: idou.SetaiTodoke, *, today: dt.date,
           operator: str, device: str, command_id: str, my_number_access: bool,
           head_age: int) -> list[tuple[Resident, ResidentHistory]]:
    _check_shape(cmd)
    on = cmd.idou_date or today
    target = _target(db, cmd.household_no) if cmd.household_no else None
    residents: dict[int, Resident] = {}
    for i, m in enumerate(cmd.members):
        if m.resident_id is None:
            continue
        with _member(i):
            r = idou._current(db, m.resident_id, m.expected_version)
            check_dates(m.event, idou_date=cmd.idou_date,
                        idou_date_unknown=cmd.idou_date_unknown, todoke_date=cmd.todoke_date,
                        birth_date=r.birth_date, today=today, new_person=False)
            if cmd.idou_date is not None:
                idou._check_dates(cmd, today, r.birth_date, tenshutsu=m.event == "tenshutsu")
        residents[m.resident_id] = r
    if any(m.event in NEW_PERSON_EVENTS for m in cmd.members) and cmd.idou_date_unknown:
        raise problem("date_unknown_not_allowed", "A 転入 or 出生 needs its date",
                      "転入・出生の異動日は不詳にできません", field="idou_date")
    # The 世帯 as they were: whom each had as 世帯主, to settle the head afterwards.
    touched: dict[int, Household] = {}
    heads_before: dict[int, list[Resident]] = {}
    for r in residents.values():
        touched[r.household.id] = r.household
    if target is not None:
        touched[target.id] = target
    for hid, hh in touched.items():
        heads_before[hid] = [x for x in _current_members(db, hh) if x.relationship_to_head == HEAD]
    rel_before = {r.id: r.relationship_to_head for hh in touched.values()
                  for r in _current_members(db, hh)}
    new_hh: Household | None = None

    def destination(i: int, m: idou.Idousha, mother: Resident | None) -> Household | None:
        nonlocal new_hh
        if m.event == "shussei" and mother is not None:
            if target is not None and m.to == "target" and target.id != mother.household_id:
                raise problem("mother_household_mismatch", "The mother lives in another household",
                              "出生は母の世帯に記載します。指定の世帯は母の世帯ではありません",
                              field=_field(i, "mother_id"))
            return mother.household
        if m.to == "target":
            return target
        if m.to == "new":
            if new_hh is None:
                new_hh = idou._new_household(db)
            return new_hh
        return None

    done: list[_Change] = []
    stated: set[int] = set()  # residents whose 続柄 the 届出 states (or who are new)
    target_address = _address_of(db, target) if target is not None else None
    for i, m in enumerate(cmd.members):
        changes: dict[str, list[Any]] = {}
        if m.event in NEW_PERSON_EVENTS:
            mother = _mother(db, i, m) if m.event == "shussei" else None
            rel = m.relationship_to_head
            if rel is None and mother is not None:
                rel = CHILD_OF_MOTHER.get(mother.relationship_to_head)
                if rel is None:
                    raise problem("relationship_required",
                                  f"members[{i}]: the child's relationship cannot be derived",
                                  f"母の続柄（{mother.relationship_to_head}）から子の続柄を決められ"
                                  "ません。続柄を入力してください",
                                  field=_field(i, "relationship_to_head"))
            with _member(i):
                hh = destination(i, m, mother)
                r = idou.new_resident(
                    db, cipher, _PersonCmd(m.event, cmd.idou_date, cmd.idou_date_unknown,
                                           cmd.todoke_date), m.person, today=today,
                    my_number_access=my_number_access, household=lambda: hh,
                    relationship=rel,
                    moved_in_from=cmd.moved_in_from if m.event == "tennyu" else None)
            db.add(r)
            changes["status"] = [None, "current"]
            stated.add(id(r))
            done.append(_Change(r, i, m.event, "new" if hh is new_hh else "target", changes))
            continue
        r = residents[m.resident_id]
        how = m.to
        if m.event in REMOVAL_EVENTS:
            changes["status"] = [r.status, "removed"]
            if m.event == "tenshutsu":
                changes["moved_out_to"] = [r.moved_out_to, cmd.moved_out_to]
                r.moved_out_to = cmd.moved_out_to
            r.status, r.removed_on = "removed", cmd.idou_date
            r.removal_reason, r.removed_on_unknown = REMOVAL_EVENTS[m.event], cmd.idou_date_unknown
        else:
            hh = destination(i, m, None)
            if m.event == "tenkyo":
                new_addr = cmd.address if m.to != "target" else None
                addr = ((new_addr.postal_code, new_addr.address, new_addr.katagaki)
                        if new_addr is not None else target_address)
                if addr is not None:
                    if addr[1] != r.address:
                        changes["previous_address"] = [r.previous_address, r.address]
                        r.previous_address = r.address
                        changes["address_set_on"] = [r.address_set_on.isoformat(),
                                                     on.isoformat()]
                        r.address_set_on = on
                    for f, v in zip(("postal_code", "address", "katagaki"), addr):
                        if getattr(r, f) != v:
                            changes[f] = [getattr(r, f), v]
                            setattr(r, f, v)
            if hh is not None and hh.id != r.household_id:
                changes["household_no"] = [r.household.household_no, hh.household_no]
                if m.event == "setai_henko" and m.to == "target" and all(
                        x.id in residents for x in _current_members(db, r.household)):
                    how = "merge"  # the whole 世帯 joins the other: 世帯合併
                r.household = hh
            if m.relationship_to_head and m.relationship_to_head != r.relationship_to_head:
                changes["relationship_to_head"] = [r.relationship_to_head,
                                                   m.relationship_to_head]
                r.relationship_to_head = m.relationship_to_head
                if m.event == "setai_henko" and m.to == "same" and m.relationship_to_head == HEAD:
                    how = "head"
            if m.relationship_to_head:
                stated.add(id(r))
            if not changes:
                raise problem("invalid_request", f"members[{i}]: nothing changes",
                              f"異動者{i + 1}の記録は変わりません", field=_field(i, "to"))
        r.updated_at = utcnow()
        done.append(_Change(r, i, m.event, how, changes))
    db.flush()
    if new_hh is not None:
        touched[new_hh.id] = new_hh
        heads_before[new_hh.id] = []
    for hid, hh in touched.items():
        done += _settle_head(db, hh, heads_before[hid], rel_before, stated, on, head_age)
    for hid, hh in touched.items():
        _check_household(db, hh, done, on, head_age)
    out = []
    for c in done:
        h = ResidentHistory(resident=c.resident, kind=c.event,
                            reason=REASONS.get((c.event, c.how), idou.KIND_LABELS[c.event]),
                            idou_date=cmd.idou_date, idou_date_unknown=cmd.idou_date_unknown,
                            todoke_date=cmd.todoke_date, operator_login=operator,
                            device_id=device, command_id=command_id, changes=c.changes)
        db.add(h)
        out.append((c.resident, h))
    db.flush()
    return out


def _address_of(db: Session, hh: Household) -> tuple[str, str, str | None] | None:
    members = _current_members(db, hh)
    head = next((x for x in members if x.relationship_to_head == HEAD), members[0] if members
                else None)
    return (head.postal_code, head.address, head.katagaki) if head else None


def _mother(db: Session, i: int, m: idou.Idousha) -> Resident | None:
    if m.mother_id is None:
        return None
    mother = db.get(Resident, m.mother_id)
    if mother is None or mother.status != "current":
        raise problem("mother_not_found", f"members[{i}]: the mother is not a current resident",
                      "母が現在の住民として見つかりません", field=_field(i, "mother_id"))
    if mother.sex != "female" or (m.person and mother.birth_date >= m.person.birth_date):
        raise problem("mother_inconsistent", f"members[{i}]: mother_id cannot be the mother",
                      "指定の方は母として記載できません（性別・生年月日を確認してください）",
                      field=_field(i, "mother_id"))
    return mother


def _settle_head(db: Session, hh: Household, heads_before: list[Resident],
                 rel_before: dict[int, str], stated: set[int], on: dt.date,
                 head_age: int) -> list[_Change]:
    """The 世帯主 after the change (counter-domain.md §2.3, ``HEAD_SUCCESSION_AGE``): when the head
    left or died and the 届出 names no successor, the one member who can be head becomes it —
    the only member, or the only one aged 15 or over — and the others' 続柄 follow ``RESTATED``;
    with two or more candidates a 世帯主変更 is required. When the head changes, a member whose
    続柄 the 届出 does not restate is restated by ``RESTATED`` or the 届出 is refused."""
    members = _current_members(db, hh)
    heads = [x for x in members if x.relationship_to_head == HEAD]
    if not members or not heads_before:
        return []
    old_head = heads_before[0]
    if heads and heads[0].id == old_head.id:
        return []
    out: list[_Change] = []
    if not heads:
        views = {_view(x, True): x for x in members}
        candidates = [views[v] for v in successor_candidates(list(views), on, head_age)]
        if len(candidates) > 1:
            raise problem("setai_nushi_henko_required",
                          f"The head of household {hh.household_no} leaves; {len(candidates)} "
                          f"members aged {head_age} or over remain",
                          f"この届出で世帯主がいなくなり、{head_age}歳以上の世帯員が"
                          f"{len(candidates)}人残ります。世帯主変更（新しい世帯主と各世帯員の続柄）を"
                          "この届出に記載してください", field="members",
                          household_no=hh.household_no,
                          candidates=[x.id for x in candidates])
        new_head = candidates[0]
        out.append(_Change(new_head, None, "setai_henko", "head",
                           {"relationship_to_head": [new_head.relationship_to_head, HEAD]}))
        new_head.relationship_to_head = HEAD
        new_head.updated_at = utcnow()
        stated.add(id(new_head))
    else:
        new_head = heads[0]
    head_was = rel_before.get(new_head.id, new_head.relationship_to_head)
    for x in members:
        if id(x) in stated or x.id == new_head.id:
            continue
        rel = RESTATED.get((head_was, rel_before.get(x.id, x.relationship_to_head)))
        if rel is None:
            raise problem("relationship_restatement_required",
                          f"The head of household {hh.household_no} changes; resident {x.id}'s "
                          "relationship must be stated",
                          "世帯主が変わるため、この世帯員の新しい世帯主との続柄を届出に記載してください",
                          field="members", household_no=hh.household_no, resident_id=x.id)
        if rel != x.relationship_to_head:
            out.append(_Change(x, None, "setai_henko", "head",
                               {"relationship_to_head": [x.relationship_to_head, rel]}))
            x.relationship_to_head = rel
            x.updated_at = utcnow()
    db.flush()
    return out


def _view(r: Resident, named: bool) -> Member:
    return Member(key=r.id or id(r), relationship=r.relationship_to_head,
                  birth_date=r.birth_date, sex=r.sex, address=(r.address, r.katagaki or None),
                  named=named)


def _check_household(db: Session, hh: Household, done: list[_Change], on: dt.date,
                     head_age: int) -> None:
    """The household's logical checks after the change (japan/zokugara.py, K-DQ-1), the
    refusal naming the 異動者's field, or ``members`` for a member the 届出 does not name."""
    members = _current_members(db, hh)
    where = {id(c.resident): c.index for c in done if c.index is not None}
    entered = {id(c.resident) for c in done if c.event in NEW_PERSON_EVENTS}
    rel_set = entered | {id(c.resident) for c in done if "relationship_to_head" in c.changes}
    head_changed = any(id(r) in rel_set and r.relationship_to_head == HEAD for r in members)
    views = [_view(r, id(r) in rel_set or id(r) in where) for r in members]
    by_view = {id(v): r for v, r in zip(views, members)}
    refusal = household_refusal(views, on, check_all=head_changed, head_age=head_age)
    if refusal is None:
        return
    r = by_view.get(id(refusal.member)) if refusal.member is not None else None
    i = where.get(id(r)) if r is not None else None
    if refusal.code == "household_address_split":
        field = _field(i, "person.address") if id(r) in entered else "address"
    else:
        field = _field(i, "relationship_to_head")
    raise problem(refusal.code, f"Household {hh.household_no}: {refusal.en}", refusal.ja,
                  field=field, household_no=hh.household_no)
