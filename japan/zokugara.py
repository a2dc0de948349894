"""続柄 and the 世帯主 (counter-domain.md §2): the value list and the household's logical checks.

One implementation for the centre's checks of a 世帯の届出 (central/household.py) and the client's
entry (app/setai_todoke.py), as japan/dates.py is for dates. Pure: no I/O; the day the ages are
taken on (``on``) is always given.

* 続柄 is always relative to the 世帯主 (法7④). The list is data (``RELATIONSHIPS``): each value says
  whether its bearer is older or younger than the head, which sex the word implies, and whether it
  names the head's spouse. 子 for every child of the head (no 長男 / 長女 on the 住民票 since 1995,
  §2.1); 孫 rather than 子の子, as the synthetic register writes it (which form the 要領 prescribes
  is unverified there).
* 世帯主変更 (§2.3): required when the head leaves or dies and two or more members aged
  ``HEAD_SUCCESSION_AGE`` or over remain; with one such member (or one member at all) the successor
  is self-evident and the register makes them head. The 15-year line is how offices explain it
  (practice; its legal basis is unverified), so it is the default of a parameter (``head_age``;
  the centre's setting ``head_succession_age``, MADOGUCHI_HEAD_SUCCESSION_AGE) for municipalities
  that differ.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

HEAD = "世帯主"
HEAD_SUCCESSION_AGE = 15


@dataclass(frozen=True)
class Relation:
    """What a 続柄 says about its bearer beside the 世帯主."""

    age: str | None = None  # "older" / "younger" than the 世帯主
    sex: str | None = None  # "male" / "female"
    spouse: bool = False  # the head's spouse: one at most per 世帯


RELATIONSHIPS: dict[str, Relation] = {
    "世帯主": Relation(),
    "妻": Relation(sex="female", spouse=True),
    "夫": Relation(sex="male", spouse=True),
    "子": Relation(age="younger"),
    "妻の子": Relation(),  # the spouse's child: may even be older than a young head
    "夫の子": Relation(),
    "子の妻": Relation(sex="female"),
    "子の夫": Relation(sex="male"),
    "孫": Relation(age="younger"),
    "父": Relation(age="older", sex="male"),
    "母": Relation(age="older", sex="female"),
    "兄": Relation(age="older", sex="male"),
    "弟": Relation(age="younger", sex="male"),
    "姉": Relation(age="older", sex="female"),
    "妹": Relation(age="younger", sex="female"),
    "祖父": Relation(age="older", sex="male"),
    "祖母": Relation(age="older", sex="female"),
    "同居人": Relation(),
    "縁故者": Relation(),
}

# When the 世帯主 changes, the 続柄 of a member the 届出 does not restate, keyed by (the new head's
# 続柄 before, the member's 続柄 before). Only what follows without doubt: the spouse who becomes
# head keeps the head's children (and the spouse's own), children-in-law and grandchildren.
# Anything else must be stated in the 届出.
RESTATED: dict[tuple[str, str], str] = {
    (spouse, rel): new for spouse in ("妻", "夫") for rel, new in (
        ("子", "子"), ("妻の子", "子"), ("夫の子", "子"), ("子の妻", "子の妻"), ("子の夫", "子の夫"),
        ("孫", "孫"))
}

# 出生: the child's 続柄 from the mother's, when the 届出 leaves it to the register.
CHILD_OF_MOTHER: dict[str, str] = {"世帯主": "子", "妻": "子", "子": "孫", "子の妻": "孫"}


@dataclass(frozen=True)
class Member:
    """One current member of a 世帯 after the change, as the checks see it. ``key``: how the
    caller names the member (a field path, a row); ``named``: this 届出 sets their 続柄 or enters
    them, so their 続柄 is checked."""

    key: Hashable
    relationship: str
    birth_date: dt.date
    sex: str
    address: tuple[str, str | None]  # 住所, 方書
    named: bool = True


@dataclass(frozen=True)
class Refusal:
    """The first thing wrong with a 世帯, and the member it is about (None: the 世帯 as a whole)."""

    code: str
    en: str
    ja: str
    member: Member | None


def age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def successor_candidates(members: Sequence[Member], on: dt.date,
                         head_age: int = HEAD_SUCCESSION_AGE) -> list[Member]:
    """Who may become 世帯主 when the head leaves: the members aged ``head_age`` (15) or over,
    else everyone. Exactly one → self-evident; two or more → a 世帯主変更 is required (§2.3)."""
    adults = [m for m in members if age(m.birth_date, on) >= head_age]
    return adults or list(members)


def _last_named(rows: list[Member]) -> Member:
    named = [m for m in rows if m.named]
    return (named or rows)[-1]


def household_refusal(members: Sequence[Member], on: dt.date, *, check_all: bool = False,
                      head_age: int = HEAD_SUCCESSION_AGE) -> Refusal | None:
    """The household's logical checks after a change (K-DQ-1), the first that fails: a known 続柄,
    exactly one 世帯主, not a child under 15 as head while an older member remains, one spouse,
    each named member's 続柄 consistent with their age and sex beside the head (every member's
    with ``check_all``, e.g. when the head is new), and one address for the whole 世帯. An empty
    世帯 (everyone left) passes."""
    if not members:
        return None
    for m in members:
        if m.named and m.relationship not in RELATIONSHIPS:
            return Refusal("relationship_unknown", "unknown relationship_to_head",
                           f"続柄は次から選んでください：{'・'.join(RELATIONSHIPS)}", m)
    heads = [m for m in members if m.relationship == HEAD]
    if not heads:
        first = next((m for m in members if m.named), None)
        return Refusal("household_head_missing", "The household has no head",
                       "世帯主のいない世帯になります。世帯主を指定してください", first)
    if len(heads) > 1:
        return Refusal("household_head_multiple", f"The household has {len(heads)} heads",
                       "一つの世帯に世帯主は一人です。続柄を確認してください", _last_named(heads))
    head = heads[0]
    spouses = [m for m in members if RELATIONSHIPS.get(m.relationship, Relation()).spouse]
    if len(spouses) > 1:
        return Refusal("spouse_multiple", "The household has more than one spouse of the head",
                       "世帯主の妻・夫は一人です。続柄を確認してください", _last_named(spouses))
    if age(head.birth_date, on) < head_age and any(
            age(m.birth_date, on) >= head_age for m in members):
        return Refusal("household_head_minor",
                       f"The head is under {head_age} while an older member remains",
                       f"{head_age}歳未満の方は、{head_age}歳以上の世帯員がいる世帯の世帯主に"
                       "できません", head)
    for m in members:
        rel = RELATIONSHIPS.get(m.relationship)
        if m is head or rel is None or not (m.named or check_all):
            continue
        if (rel.age == "younger" and m.birth_date <= head.birth_date) or \
                (rel.age == "older" and m.birth_date >= head.birth_date):
            word = "年下" if rel.age == "younger" else "年上"
            return Refusal("relationship_age_inconsistent",
                           f"{rel.age} than the head expected for this relationship",
                           f"続柄「{m.relationship}」の方は世帯主より{word}です。"
                           "続柄または生年月日を確認してください", m)
        if rel.sex and m.sex != rel.sex:
            return Refusal("relationship_sex_inconsistent",
                           "The relationship does not fit the person's sex",
                           f"続柄「{m.relationship}」と性別が一致しません。続柄または性別を"
                           "確認してください", m)
    if len({m.address for m in members}) > 1:
        odd = next((m for m in members if m.named and m.address != head.address), None)
        return Refusal("household_address_split", "The household would live at two addresses",
                       "一つの世帯の住所は一つです。世帯の一部が転居するときは世帯分離（新しい"
                       "世帯）として届け出てください", odd or head)
    return None
