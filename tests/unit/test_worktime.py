"""The working-time calendar behind the respekt rule: holidays, eves, DST and a property test.

Every expected time here is written as Stockholm wall-clock time, so a DST slip of one
hour (07:00 or 09:00 instead of 08:00) fails the assertion.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.adapters.holidays import swedish_calendar
from bot.domain.calendar import WorkingCalendar, format_hhmm, parse_hhmm
from bot.text import day_off_reason, swedish_holiday
from tests.support.world import local

CAL = swedish_calendar()


def held_until(written: str, cal: WorkingCalendar = CAL) -> datetime:
    return cal.next_working_start(local(written))


@pytest.mark.parametrize(
    ("written", "delivered"),
    [
        # Friday: the last minute of the working day is still inside it; 17:00 is not.
        ("2026-11-27 16:59", "2026-11-27 16:59"),
        ("2026-11-27 17:00", "2026-11-30 08:00"),
        ("2026-11-27 18:00", "2026-11-30 08:00"),
        ("2026-11-28 10:00", "2026-11-30 08:00"),  # Saturday
        ("2026-11-29 23:59", "2026-11-30 08:00"),  # Sunday night
        ("2026-11-30 07:59", "2026-11-30 08:00"),  # Monday just before start
        ("2026-11-30 08:00", "2026-11-30 08:00"),  # Monday at start: working
        ("2026-11-24 17:30", "2026-11-25 08:00"),  # Tuesday evening → Wednesday
        # Julafton (de-facto day off), juldagen, annandag jul, then a weekend.
        ("2026-12-23 17:00", "2026-12-28 08:00"),
        ("2026-12-24 10:00", "2026-12-28 08:00"),
        # Midsommarafton is a Friday day off; midsommardagen is Saturday.
        ("2026-06-18 17:00", "2026-06-22 08:00"),
        ("2026-06-19 10:00", "2026-06-22 08:00"),
        # Skärtorsdag evening: långfredag, påskafton, påskdagen and annandag påsk are all off.
        ("2026-04-02 18:00", "2026-04-07 08:00"),
        ("2026-04-06 12:00", "2026-04-07 08:00"),
        # Nyårsafton (Thursday) → nyårsdagen (Friday) → weekend → Monday 4 January.
        ("2026-12-31 10:00", "2027-01-04 08:00"),
        ("2026-12-30 17:00", "2027-01-04 08:00"),
        # Trettondedag jul 2027 is a Wednesday: the evening before is held to Thursday.
        ("2027-01-05 17:00", "2027-01-07 08:00"),
        ("2027-01-06 10:00", "2027-01-07 08:00"),
        # Other public holidays on weekdays.
        ("2026-05-01 09:00", "2026-05-04 08:00"),  # första maj (Friday)
        ("2026-05-13 20:00", "2026-05-15 08:00"),  # Kristi himmelfärd (Thursday)
        ("2027-06-25 09:00", "2027-06-28 08:00"),  # midsommarafton 2027
        # DST: both switches happen on a Saturday night; Monday is still 08:00 local.
        ("2026-03-28 22:00", "2026-03-30 08:00"),
        ("2026-10-24 22:00", "2026-10-26 08:00"),
        ("2026-03-29 03:30", "2026-03-30 08:00"),
        ("2026-10-25 02:30", "2026-10-26 08:00"),
    ],
)
def test_next_working_start(written: str, delivered: str) -> None:
    assert held_until(written) == local(delivered)


def test_dst_monday_start_is_eight_local_and_the_right_utc_hour() -> None:
    # CET is UTC+1 before the spring switch, CEST is UTC+2 after; the reverse in October.
    assert held_until("2026-03-28 22:00") == datetime(2026, 3, 30, 6, 0, tzinfo=UTC)
    assert held_until("2026-03-27 17:00") == datetime(2026, 3, 30, 6, 0, tzinfo=UTC)
    assert held_until("2026-10-24 22:00") == datetime(2026, 10, 26, 7, 0, tzinfo=UTC)
    assert held_until("2026-10-23 17:30") == datetime(2026, 10, 26, 7, 0, tzinfo=UTC)


def test_working_day_around_dst_is_nine_hours() -> None:
    for day in (date(2026, 3, 30), date(2026, 10, 26), date(2026, 3, 27), date(2026, 10, 23)):
        assert CAL.day_end(day) - CAL.day_start(day) == timedelta(hours=9)


def test_start_inside_the_spring_gap_is_when_the_clock_jumps() -> None:
    # Found by the property test: a start that does not exist on the switch day used to begin an
    # hour late (03:30 for 02:30). Work begins when the wall clock jumps past the start time.
    every_day = frozenset(range(1, 8))
    cal = swedish_calendar(start_min=150, weekdays=every_day)
    assert cal.day_start(date(2026, 3, 29)) == local("2026-03-29 03:00")
    assert cal.next_working_start(local("2026-03-29 01:59")) == local("2026-03-29 03:00")
    helsinki = swedish_calendar(timezone="Europe/Helsinki", start_min=195, weekdays=every_day)
    assert helsinki.day_start(date(2026, 3, 29)).astimezone(helsinki.tz).strftime("%H:%M") == "04:00"
    # Autumn: 02:30 happens twice; work starts at the first one.
    assert cal.day_start(date(2026, 10, 25)) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_day_off_reasons() -> None:
    assert day_off_reason(CAL, date(2026, 12, 24)) == "julafton"
    assert day_off_reason(CAL, date(2026, 6, 19)) == "midsommarafton"
    assert day_off_reason(CAL, date(2026, 12, 31)) == "nyårsafton"
    assert day_off_reason(CAL, date(2027, 1, 6)) == "trettondedag jul"
    assert day_off_reason(CAL, date(2026, 4, 6)) == "annandag påsk"
    assert day_off_reason(CAL, date(2026, 11, 28)) == "helg"
    assert day_off_reason(CAL, date(2026, 11, 30)) is None


def test_from_two_pm_eves_and_klamdagar_are_working_days() -> None:
    # The documented choice: eves that end at 14:00 by custom, and klämdagar, are ordinary working days.
    for eve in (
        date(2027, 1, 5),  # trettondagsafton
        date(2026, 4, 2),  # skärtorsdag
        date(2026, 4, 30),  # valborgsmässoafton
        date(2026, 5, 13),  # dagen före Kristi himmelfärd
        date(2026, 10, 30),  # allhelgonaafton
        date(2026, 5, 15),  # klämdag after Kristi himmelfärd
    ):
        assert CAL.is_working_day(eve), eve
    assert CAL.is_working_time(local("2026-04-02 16:30"))
    assert not CAL.is_working_time(local("2026-04-02 17:00"))


def test_pairs_own_day_off() -> None:
    klamdag = date(2026, 5, 15)
    cal = swedish_calendar(extra_days_off=frozenset({klamdag}))
    assert day_off_reason(cal, klamdag) == "egen ledig dag"
    assert not cal.is_working_time(local("2026-05-15 10:00"))
    # Kristi himmelfärd + the klämdag + the weekend: Wednesday evening waits until Monday.
    assert cal.next_working_start(local("2026-05-13 17:00")) == local("2026-05-18 08:00")
    assert CAL.next_working_start(local("2026-05-13 17:00")) == local("2026-05-15 08:00")


def test_own_hours_and_weekdays() -> None:
    cal = swedish_calendar(start_min=7 * 60 + 30, end_min=16 * 60, weekdays=frozenset({1, 2, 3, 4}))
    assert cal.next_working_start(local("2026-11-26 16:00")) == local("2026-11-30 07:30")  # Thursday → Monday
    assert not cal.is_working_time(local("2026-11-27 10:00"))  # Friday is off for this pair
    assert cal.is_working_time(local("2026-11-30 07:30"))


def test_other_time_zone_uses_its_own_wall_clock() -> None:
    cal = swedish_calendar(timezone="Europe/Helsinki")
    # Saturday evening in Helsinki → Monday 08:00 Helsinki time = 07:00 Stockholm time.
    assert cal.next_working_start(local("2026-11-28 20:00")) == local("2026-11-30 07:00")


def test_first_working_day_of_week() -> None:
    assert CAL.first_working_day_of_week(date(2026, 4, 8)) == date(2026, 4, 7)  # after annandag påsk
    assert CAL.first_working_day_of_week(date(2026, 11, 25)) == date(2026, 11, 23)
    closed = swedish_calendar(extra_days_off=frozenset(date(2026, 11, 23) + timedelta(days=i) for i in range(5)))
    assert closed.first_working_day_of_week(date(2026, 11, 25)) is None


def test_swedish_holiday_names_and_clock_parsing() -> None:
    assert swedish_holiday(date(2026, 12, 25)) == "juldagen"
    assert swedish_holiday(date(2026, 12, 23)) is None
    assert parse_hhmm("8.15") == 495 and parse_hhmm("17") == 1020 and format_hhmm(495) == "08:15"
    for bad in ("25:00", "8:5", "åtta", ""):
        with pytest.raises(ValueError):
            parse_hhmm(bad)
    with pytest.raises(ValueError):
        swedish_calendar(start_min=17 * 60, end_min=8 * 60)


# --- property test -----------------------------------------------------------

_ORACLE_HOLIDAYS = holidays.Sweden(categories=("public", "de_facto"))


def oracle_is_working(cal: WorkingCalendar, t: datetime) -> bool:
    """An independent reading of the rule, straight from the wall clock and the holidays package."""
    wall = t.astimezone(ZoneInfo(cal.timezone))
    day = wall.date()
    if day.isoweekday() not in cal.weekdays or day in _ORACLE_HOLIDAYS or day in cal.extra_days_off:
        return False
    minute = wall.hour * 60 + wall.minute
    return cal.start_min <= minute < cal.end_min


# Working hours on quarter hours. Starts avoid 01:00–04:00, where the three zones' wall-clock
# times may not exist (spring) or exist twice (autumn) and a wall-clock oracle is ambiguous;
# test_start_inside_the_spring_gap covers the gap.
_starts = st.integers(min_value=0, max_value=48).map(lambda q: q * 15).filter(lambda m: not 60 <= m < 240)
_ends = st.integers(min_value=49, max_value=96).map(lambda q: q * 15)


@st.composite
def calendars(draw: st.DrawFn) -> WorkingCalendar:
    weekdays = draw(st.frozensets(st.integers(1, 7), min_size=1))
    extra = draw(st.frozensets(st.dates(date(2025, 12, 1), date(2030, 12, 31)), max_size=6))
    return swedish_calendar(
        timezone=draw(st.sampled_from(["Europe/Stockholm", "Europe/Helsinki", "America/New_York"])),
        start_min=draw(_starts),
        end_min=draw(_ends),
        weekdays=weekdays,
        extra_days_off=extra,
    )


instants = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC))
# Times close to the switches and the holidays, where mistakes hide.
tricky_instants = (
    st.sampled_from(
        [
            "2026-03-28 22:00",
            "2026-03-29 01:59",
            "2026-03-29 03:00",
            "2026-10-24 22:00",
            "2026-10-25 02:30",
            "2026-12-23 17:00",
            "2026-12-31 16:59",
            "2026-04-02 17:00",
            "2026-06-18 23:59",
            "2027-01-05 17:00",
        ]
    )
    # In UTC: arithmetic on a Stockholm datetime is wall-clock time, which skips or repeats an hour at the switches.
    .map(lambda text: local(text).astimezone(UTC))
    .flatmap(lambda t: st.integers(-180, 180).map(lambda m: t + timedelta(minutes=m)))
)


def _check_delivery(cal: WorkingCalendar, t: datetime) -> None:
    t = t.astimezone(UTC)  # the probes below step through real minutes, not wall-clock ones
    delivered = cal.next_working_start(t)
    assert delivered >= t
    assert cal.is_working_time(delivered)
    assert oracle_is_working(cal, delivered)
    if delivered == t:
        return
    # Not one working minute between the instant and the delivery: scan every minute.
    probe = t
    while probe < delivered:
        assert not oracle_is_working(cal, probe), (t, probe, delivered)
        probe += timedelta(minutes=1)
    # And delivery is at the start of a working period, not later into it.
    assert not oracle_is_working(cal, delivered - timedelta(minutes=1))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(t=st.one_of(instants, tricky_instants))
def test_property_default_calendar(t: datetime) -> None:
    _check_delivery(CAL, t)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cal=calendars(), t=st.one_of(instants, tricky_instants))
def test_property_any_calendar(cal: WorkingCalendar, t: datetime) -> None:
    _check_delivery(cal, t)
