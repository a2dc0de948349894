"""Format checks of the register and the 異動 logical checks (DQ-*) that are the centre's own.

The Japanese rules it shares with the client (the My Number check digit, the フリガナ check, the
search keys of readings and names) are in japan/ (#20).
"""
from __future__ import annotations

import datetime as dt
import re

from japan import dates

from .problems import problem

_POSTAL = re.compile(r"^\d{7}$")


def postal_code_ok(value: str) -> bool:
    return bool(_POSTAL.match(value))


def check_dates(kind: str, *, idou_date: dt.date | None, idou_date_unknown: bool,
                todoke_date: dt.date, birth_date: dt.date | None, today: dt.date,
                new_person: bool) -> None:
    """The plausible bounds of a 異動届's dates and its 不詳 form (#21 class 9, K-DQ-17; the
    rule and its reasons: japan/dates.py, shared with the client): a birth date from 1890 to
    today (of a person entering the register, ``new_person``), a 異動日 and 届出日 from the
    register's beginning to today (a 転出 up to 30 days ahead), or a 異動日 recorded as 不詳 where
    the register allows it. The first refusal is raised as a problem naming its field."""
    field_prefix = "person." if new_person else ""
    checks = []
    if new_person and birth_date is not None:
        checks.append((f"{field_prefix}birth_date", dates.birth_date_refusal(birth_date, today)))
    checks.append(("idou_date", dates.idou_date_refusal(kind, idou_date, today, birth_date,
                                                        idou_date_unknown)))
    checks.append(("todoke_date", dates.todoke_date_refusal(kind, todoke_date, idou_date, today)))
    for field, refusal in checks:
        if refusal is not None:
            code, en, ja = refusal
            raise problem(code, en, ja, field=field, today=today.isoformat())
