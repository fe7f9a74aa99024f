"""The pure KS calendar rules (bot.domain.ks_calendar): stopptid in working days, planning, flags."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.adapters.holidays import swedish_calendar
from bot.domain.ks_calendar import Flag, Planned, flag, plan, refusal_for_meeting_day, stopptid, working_days_between

SWEDEN = swedish_calendar().is_working_day


def weekdays_only(day: date) -> bool:
    return day.weekday() < 5


def test_stopptid_is_ten_working_days_before_the_meeting() -> None:
    # The example: KS 15 dec, stopptid 1 dec.
    assert stopptid(date(2026, 12, 15), 10, SWEDEN) == date(2026, 12, 1)


def test_stopptid_skips_the_easter_holidays() -> None:
    # KS Wednesday 14 April 2027: Easter Monday 29 March and Good Friday 26 March are not counted.
    assert stopptid(date(2027, 4, 14), 10, SWEDEN) == date(2027, 3, 31)


def test_a_case_goes_to_the_next_meeting_whose_stopptid_has_not_passed() -> None:
    meetings = [date(2026, 12, 15), date(2027, 1, 19)]
    assert plan(meetings, date(2026, 11, 23), 10, SWEDEN) == Planned(date(2026, 12, 15), date(2026, 12, 1))
    # On the stopptid day itself the case still reaches that meeting.
    assert plan(meetings, date(2026, 12, 1), 10, SWEDEN) == Planned(date(2026, 12, 15), date(2026, 12, 1))
    assert plan(meetings, date(2026, 12, 2), 10, SWEDEN) == Planned(date(2027, 1, 19), stopptid(date(2027, 1, 19), 10, SWEDEN))
    assert plan(meetings, date(2027, 1, 20), 10, SWEDEN) is None
    assert plan([], date(2026, 12, 2), 10, SWEDEN) is None


def test_flag_within_three_working_days_and_after_the_stopptid() -> None:
    last = date(2026, 12, 1)  # Tuesday
    assert flag(last, date(2026, 11, 23), SWEDEN) is None  # Monday the week before: 6 working days
    assert flag(last, date(2026, 11, 26), SWEDEN) == Flag(passed=False, working_days_left=3)
    assert flag(last, last, SWEDEN) == Flag(passed=False, working_days_left=0)
    assert flag(last, date(2026, 12, 2), SWEDEN) == Flag(passed=True, working_days_left=0)


def test_a_meeting_on_a_saturday_or_in_the_past_is_refused() -> None:
    today = date(2026, 11, 23)
    assert refusal_for_meeting_day(date(2026, 12, 12), today, SWEDEN) == "not_working_day"
    assert refusal_for_meeting_day(date(2026, 12, 25), today, SWEDEN) == "not_working_day"
    assert refusal_for_meeting_day(date(2026, 11, 20), today, SWEDEN) == "past"
    assert refusal_for_meeting_day(date(2026, 12, 15), today, SWEDEN) is None


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(min_value=1, max_value=60))
def test_stopptid_has_exactly_that_many_working_days_before_the_meeting(meeting: date, days: int) -> None:
    last = stopptid(meeting, days, weekdays_only)
    # The working days from the stopptid up to the day before the meeting, the stopptid itself counted.
    assert weekdays_only(last)
    assert working_days_between(last - timedelta(days=1), meeting - timedelta(days=1), weekdays_only) == days
