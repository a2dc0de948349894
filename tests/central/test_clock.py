"""Business dates are days in Japan whatever the server's time zone (central/clock.py)."""
import datetime as dt

from central import clock

UTC = dt.timezone.utc


def test_today_is_the_japanese_date_on_a_utc_server():
    assert clock.today(dt.datetime(2026, 11, 23, 14, 59, 59, tzinfo=UTC)) == dt.date(2026, 11, 23)
    assert clock.today(dt.datetime(2026, 11, 23, 15, 0, tzinfo=UTC)) == dt.date(2026, 11, 24)
    assert clock.today(dt.datetime(2027, 3, 31, 15, 0, tzinfo=UTC)) == dt.date(2027, 4, 1)


def test_today_ignores_the_zone_it_is_given_in():
    la = dt.timezone(dt.timedelta(hours=-8))
    assert clock.today(dt.datetime(2026, 11, 23, 7, 0, tzinfo=la)) == dt.date(2026, 11, 24)


def test_the_terminal_keeps_the_same_calendar_as_the_central_api():
    from app import clock as terminal_clock

    for hour in (0, 8, 14, 15, 23):
        now = dt.datetime(2026, 11, 23, hour, 30, tzinfo=UTC)
        assert terminal_clock.today(now) == clock.today(now)
