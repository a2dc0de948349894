"""The municipality's calendar (暦): every business date the central API decides on (異動日 and
届出日 not in the future, rights valid until 3/31, 支援措置 periods, the daily access review's day)
is a day in Japan, whatever time zone the server itself runs in. A server on UTC would otherwise
call 00:00-09:00 JST "yesterday": a 転入 dated today refused as a future date, a grant ending
yesterday still honoured, the access review looking at the wrong day."""
from __future__ import annotations

import datetime as dt

JST = dt.timezone(dt.timedelta(hours=9), "JST")


def today(now: dt.datetime | None = None) -> dt.date:
    """Today's date in Japan (JST); ``now`` (aware) for tests."""
    return (now or dt.datetime.now(dt.timezone.utc)).astimezone(JST).date()


def as_of(day: dt.date) -> dict[str, str]:
    """What a problem that compares a date with today says about that today (#21 class 12): the
    ``today`` member (ISO date) and the words for ``detail`` and ``detail_ja``; the server's
    today is the day in Japan (JST), whatever its own time zone."""
    iso = day.isoformat()
    return {"today": iso, "en": f" (the server's today: {iso}, JST)",
            "ja": f"（サーバーの本日: {iso}、日本時間）"}
