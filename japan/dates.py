"""日付の妥当性 (plausible dates of a 異動届, #21 class 9) and the 不詳 form (K-DQ-17).

One implementation for the centre's checks (central/validation.py) and the client's entry
(app/idou_entry.py). Pure: no I/O; ``today`` is always given (the municipality's day, JST).

Bounds, and why:

* 生年月日 from **1890-01-01** (明治23年) to today. A 異動届 is made for a living person (転入, 出生,
  and the persons of a record being changed). The longest verified human life is 122 years; 1890
  keeps a margin of more than a decade over anyone alive in 2026 and still refuses the dates an
  entry error makes (0001-01-01, 1026 for 2026, a 和暦 year read as 西暦). Never after today.
* 異動日 not before **1967-11-10**, the day the 住民基本台帳法 (昭和42年法律第81号) took effect: no
  register 異動 can lie before the register existed; nor before the person's birth; and not after
  today, except a 転出, whose 転出予定日 may lie up to 30 days ahead (届出 before the move,
  counter-domain §1.3).
* 届出日 not before the same day, not after today, and (except a 転出, filed in advance) not
  before the 異動日. The 14-day 届出期間 of 転入・転居・世帯変更 is a deadline, not a bound: a late
  届出 is accepted (its lateness is for a 経過申述書, counter-domain §1.3), so it is a warning
  (``late_filing``), never a refusal.

不詳 (K-DQ-17: 異動年月日不詳表記): the change date, and with it the removal date, may be recorded as
unknown — never as an invented date. It is written ``不詳`` at the counter and travels as
``idou_date: null`` with ``idou_date_unknown: true``. Only where the register has no date that must
be known: 世帯変更, 転出 and 死亡 (the 除票's 異動日); a 出生 is its birth date, and a 転入 or 転居 sets
the 住民となった日 / 住定日, which a certificate prints.
"""
from __future__ import annotations

import datetime as dt

EARLIEST_BIRTH = dt.date(1890, 1, 1)
REGISTER_START = dt.date(1967, 11, 10)  # 住民基本台帳法 施行日
TENSHUTSU_MAX_AHEAD_DAYS = 30  # 転出予定日 may lie ahead (届出 before the move)
FILING_PERIOD_DAYS = 14  # 届出期間 (法22–25): a warning when exceeded, not a bound
UNKNOWN_JA = "不詳"
UNKNOWN_ALLOWED = frozenset({"setai_henko", "tenshutsu", "shibou"})  # K-DQ-17

Refusal = tuple[str, str, str]  # (code, English detail, Japanese detail)


def is_unknown_text(text: str) -> bool:
    """Whether what the clerk typed is the 不詳 form."""
    return "".join((text or "").split()) in (UNKNOWN_JA, "日付不詳", "異動日不詳")


def birth_date_refusal(birth: dt.date, today: dt.date) -> Refusal | None:
    if birth > today:
        return ("date_in_future", f"birth_date {birth} is after today ({today}, JST)",
                f"生年月日（{birth}）が未来の日付です（本日 {today}、日本時間）")
    if birth < EARLIEST_BIRTH:
        return ("date_out_of_range", f"birth_date {birth} is before {EARLIEST_BIRTH}: "
                "not a living person's",
                f"生年月日（{birth}）が{EARLIEST_BIRTH:%Y年%m月%d日}より前です。入力を確認してください")
    return None


def idou_date_refusal(kind: str, idou: dt.date | None, today: dt.date,
                      birth: dt.date | None = None, unknown: bool = False) -> Refusal | None:
    """The 異動日 of a ``kind`` of 異動, or its 不詳 form (``idou`` None and ``unknown``)."""
    if idou is None or unknown:
        if idou is not None:
            return ("invalid_request", "idou_date is given and said to be unknown",
                    "異動日を入力したうえで不詳とすることはできません")
        if not unknown:
            return ("invalid_request", "idou_date is required (or idou_date_unknown)",
                    "異動日を入力してください（わからない場合は「不詳」）")
        if kind not in UNKNOWN_ALLOWED:
            return ("date_unknown_not_allowed", f"The idou_date of a {kind} cannot be unknown",
                    "この届出の異動日は不詳にできません（不詳にできるのは世帯変更・転出・死亡の異動日です）")
        return None
    ahead = TENSHUTSU_MAX_AHEAD_DAYS if kind == "tenshutsu" else 0
    if idou > today + dt.timedelta(days=ahead):
        return ("date_in_future", f"idou_date {idou} is in the future (today is {today}, JST)",
                f"異動日（{idou}）が未来の日付です（本日 {today}、日本時間）")
    if idou < REGISTER_START:
        return ("date_out_of_range", f"idou_date {idou} is before the register began "
                f"({REGISTER_START})",
                f"異動日（{idou}）が住民基本台帳法の施行日（昭和42年11月10日）より前です")
    if birth is not None and idou < birth:
        return ("date_before_birth", f"idou_date {idou} is before birth {birth}",
                f"異動日（{idou}）が生年月日（{birth}）より前です")
    return None


def todoke_date_refusal(kind: str, todoke: dt.date, idou: dt.date | None,
                        today: dt.date) -> Refusal | None:
    if todoke > today:
        return ("date_in_future", f"todoke_date {todoke} is in the future (today is {today}, "
                "JST)", f"届出日（{todoke}）が未来の日付です（本日 {today}、日本時間）")
    if todoke < REGISTER_START:
        return ("date_out_of_range", f"todoke_date {todoke} is before the register began "
                f"({REGISTER_START})",
                f"届出日（{todoke}）が住民基本台帳法の施行日（昭和42年11月10日）より前です")
    if idou is not None and kind != "tenshutsu" and todoke < idou:
        return ("todoke_before_idou", "todoke_date is before idou_date",
                "届出日が異動日より前です")
    return None


def late_filing(kind: str, idou: dt.date | None, todoke: dt.date) -> bool:
    """A 届出 after the 14-day 届出期間 (a warning: accepted, with a 経過申述書 where asked)."""
    if idou is None or kind in ("tenshutsu", "shussei", "shibou"):
        return False
    return (todoke - idou).days > FILING_PERIOD_DAYS


def date_label(value: str | dt.date | None, unknown: bool = False) -> str:
    """A date as shown, or 不詳 for a date recorded as unknown (K-DQ-17)."""
    if unknown or value is None:
        return UNKNOWN_JA if unknown else ""
    return value.isoformat() if isinstance(value, dt.date) else str(value)
