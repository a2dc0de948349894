"""元号と和暦 (eras and Japanese-calendar dates): the era table, formatting and parsing.

``ERAS`` is the one era table: each era from its first day (改元の日) to the day before the next
one begins (明治 from 1868-01-25, the day the register counts it from). ``wareki`` writes a date as
the register prints it (令和8年11月23日, 令和元年5月1日), ``nendo`` names a 年度 (令和8年度), and
``parse_date`` reads what a clerk types: 西暦 (2026-04-01, 2026/4/1, 20260401) or 和暦 (令和8年4月1日,
R8.4.1, 令和元年5月1日), refusing a 和暦 date outside its era (平成32年, 令和元年4月30日).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from japan.kana import fold_width


@dataclass(frozen=True)
class Era:
    name: str  # 令和
    letter: str  # R, as typed in R8.4.1
    start: dt.date  # the first day (元年)
    end: dt.date | None  # the last day; None for the era in force


def _table(*starts: tuple[str, str, dt.date]) -> tuple[Era, ...]:
    ends = [nxt - dt.timedelta(days=1) for _, _, nxt in starts[1:]] + [None]
    return tuple(Era(name, letter, start, end) for (name, letter, start), end in zip(starts, ends))


ERAS = _table(("明治", "M", dt.date(1868, 1, 25)), ("大正", "T", dt.date(1912, 7, 30)),
              ("昭和", "S", dt.date(1926, 12, 25)), ("平成", "H", dt.date(1989, 1, 8)),
              ("令和", "R", dt.date(2019, 5, 1)))
_BY_NAME = {e.name: e for e in ERAS} | {e.letter: e for e in ERAS}

_WAREKI = re.compile(r"^(" + "|".join(e.name for e in ERAS) + "|[" + "".join(e.letter for e in ERAS) + "])"
                     r"\s*(元|\d{1,2})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})\s*日?$")
_SEIREKI = re.compile(r"^(\d{4})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})\s*日?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def era_of(day: dt.date) -> Era | None:
    """The era a day falls in; None before 明治."""
    for era in reversed(ERAS):
        if day >= era.start:
            return era
    return None


def _year(n: int) -> str:
    return "元" if n == 1 else str(n)


def wareki(iso: str | None) -> str:
    """2026-11-23 → 令和8年11月23日 (the way the register prints dates); '' for nothing; a day
    before 明治 in 西暦 (1868年1月24日). Takes an ISO date, or the date part of a timestamp."""
    if not iso:
        return ""
    day = dt.date.fromisoformat(iso[:10])
    era = era_of(day)
    if era is None:
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{era.name}{_year(day.year - era.start.year + 1)}年{day.month}月{day.day}日"


def nendo(fiscal_year: int) -> str:
    """年度 in 和暦: 2026 → 令和8年度. A 年度 takes the era that began in or before its calendar year
    (2019 → 令和元年度, 2018 → 平成30年度); a year before 明治 stays 西暦 (1867年度)."""
    for era in reversed(ERAS):
        if fiscal_year >= era.start.year:
            return f"{era.name}{_year(fiscal_year - era.start.year + 1)}年度"
    return f"{fiscal_year}年度"


def parse_date(text: str) -> dt.date:
    """西暦 or 和暦 → date; ValueError with a Japanese message otherwise. Full-width digits and
    letters are folded first (Ｓ６０．１２．３); the era letter may be lower case (r8.4.1)."""
    value = fold_width(text or "").strip()
    if not value:
        raise ValueError("日付を入力してください")
    m = _WAREKI.match(value[:1].upper() + value[1:])
    if m:
        era = _BY_NAME[m.group(1)]
        year = 1 if m.group(2) == "元" else int(m.group(2))
        if year < 1:
            raise ValueError("和暦の年は1（元年）以上です")
        try:
            day = dt.date(era.start.year + year - 1, int(m.group(3)), int(m.group(4)))
        except ValueError:
            raise ValueError("存在しない日付です") from None
        if day < era.start or (era.end is not None and day > era.end):
            raise ValueError(f"{era.name}{m.group(2)}年{m.group(3)}月{m.group(4)}日は{era.name}の期間にありません")
        return day
    m = _SEIREKI.match(value) or _COMPACT.match(value)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise ValueError("存在しない日付です") from None
    raise ValueError("日付は「令和8年4月1日」「R8.4.1」「2026-04-01」のように入力してください")
