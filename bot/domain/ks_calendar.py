"""The KS calendar's date rules: stopptid, planning a case onto a meeting, and the flags on the agenda.

Pure: plain dates in, plain dates out, with the working-day calendar passed in as a
callable. A case must be decided by the KSO at the latest on its meeting's stopptid,
`stopptid_days` working days before the KS meeting (seed 004: "färdigberedda ärenden",
and the board's rhythm). Deciding on the stopptid day itself still reaches that meeting.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

IsWorkingDay = Callable[[date], bool]

DEFAULT_STOPPTID_DAYS = 10
# A case this many working days (or fewer) before its stopptid is flagged on the agenda.
FLAG_WORKING_DAYS = 3
MAX_STOPPTID_DAYS = 60
# Far enough for any real calendar; bounds the walk when a calendar has no working days.
_MAX_WALK = 800


@dataclass(frozen=True)
class Planned:
    """The KS meeting a case goes to, and the last day the KSO can decide it for that meeting."""

    meeting: date
    stopptid: date


def stopptid(meeting: date, days: int, is_working_day: IsWorkingDay) -> date:
    """The working day `days` working days before `meeting` (the meeting day itself not counted)."""
    day = meeting
    left = days
    for _step in range(_MAX_WALK):
        if left <= 0:
            return day
        day -= timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def plan(meetings: Iterable[date], today: date, days: int, is_working_day: IsWorkingDay) -> Planned | None:
    """The first meeting whose stopptid is today or later; None when the calendar has none."""
    for meeting in sorted(set(meetings)):
        if meeting < today:
            continue
        last = stopptid(meeting, days, is_working_day)
        if last >= today:
            return Planned(meeting, last)
    return None


def working_days_between(start: date, end: date, is_working_day: IsWorkingDay) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is not after `start`)."""
    count = 0
    day = start
    for _step in range(_MAX_WALK):
        if day >= end:
            break
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


@dataclass(frozen=True)
class Flag:
    """How close a waiting case is to its stopptid, seen from `today`."""

    passed: bool
    working_days_left: int


def flag(last_day: date, today: date, is_working_day: IsWorkingDay, within: int = FLAG_WORKING_DAYS) -> Flag | None:
    """A flag when the stopptid has passed or is at most `within` working days away; None otherwise."""
    if today > last_day:
        return Flag(passed=True, working_days_left=0)
    left = working_days_between(today, last_day, is_working_day)
    return Flag(passed=False, working_days_left=left) if left <= within else None


def refusal_for_meeting_day(day: date, today: date, is_working_day: IsWorkingDay) -> str | None:
    """Why `day` cannot be a KS meeting: 'past' or 'not_working_day'; None when it can."""
    if day < today:
        return "past"
    if not is_working_day(day):
        return "not_working_day"
    return None
