"""The counter's calendar (暦): business dates on the terminal (the access review's default day,
a right's last valid day, the date on a printed guide) are days in Japan, as on the central API
(central/clock.py), whatever time zone the terminal's OS is set to."""
from __future__ import annotations

import datetime as dt

JST = dt.timezone(dt.timedelta(hours=9), "JST")


def today(now: dt.datetime | None = None) -> dt.date:
    """Today's date in Japan (JST); ``now`` (aware) for tests."""
    return (now or dt.datetime.now(dt.timezone.utc)).astimezone(JST).date()
