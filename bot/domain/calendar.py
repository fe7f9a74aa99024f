"""The working calendar behind the respekt rule: hours, days off, the next working start, DST.

Pure: the public holidays are handed in as data (any container of dates; the adapter
`bot.adapters.holidays` gives the Swedish ones), so this module knows no country and no
language. Why a day is off is a code (`HOLIDAY`, `OWN_DAY_OFF`, `WEEKEND`); its name for
people is the presenter's business (`bot.text.day_off_reason`, `bot.text.swedish_holiday`).
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_SEARCH_DAYS = 400

# Why a day is not a working day.
HOLIDAY, OWN_DAY_OFF, WEEKEND = "holiday", "own", "weekend"


def parse_hhmm(text: str) -> int:
    """'08:00' or '8.00' → minutes after midnight; ValueError when it is no clock time."""
    cleaned = text.strip().replace(".", ":")
    hours, sep, minutes = cleaned.partition(":")
    if not sep:
        minutes = "00"
    if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2 and len(hours) <= 2):
        raise ValueError(text)
    h, m = int(hours), int(minutes)
    if h > 23 or m > 59:
        raise ValueError(text)
    return h * 60 + m


def format_hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True)
class WorkingCalendar:
    """When a person can be disturbed: weekdays, hours and days off, in one time zone.

    `holidays` is required on purpose: a calendar that silently knew no holidays would
    deliver on julafton. Build one with `bot.adapters.holidays.swedish_calendar`.
    """

    holidays: Container[date]
    timezone: str = "Europe/Stockholm"
    start_min: int = 8 * 60
    end_min: int = 17 * 60
    weekdays: frozenset[int] = frozenset({1, 2, 3, 4, 5})  # ISO: 1 = Monday
    extra_days_off: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if not 0 <= self.start_min < self.end_min <= 24 * 60:
            raise ValueError("working hours must start before they end")

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def local(self, t: datetime) -> datetime:
        return t.astimezone(self.tz)

    def day_off(self, day: date) -> str | None:
        """Why `day` is not a working day (HOLIDAY, OWN_DAY_OFF, WEEKEND), or None for a working day."""
        if day in self.holidays:
            return HOLIDAY
        if day in self.extra_days_off:
            return OWN_DAY_OFF
        if day.isoweekday() not in self.weekdays:
            return WEEKEND
        return None

    def is_working_day(self, day: date) -> bool:
        return self.day_off(day) is None

    def at_local(self, day: date, minutes: int) -> datetime:
        """The UTC instant of a local wall-clock time.

        A time that occurs twice (autumn) is its first occurrence. A time that does not
        exist (the spring gap) is the instant the clock jumps past it: 02:30 on the
        Stockholm switch day is 03:00, when that day's wall clock first reaches 02:30 or later.
        """
        wall = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=self.tz)
        instant = wall.astimezone(UTC)
        if instant.astimezone(self.tz).replace(tzinfo=None) == wall.replace(tzinfo=None):
            return instant
        # In a gap: fold=1 reads the wall time with the later offset, an instant before the jump.
        # Search (to the minute) for the first instant whose wall clock is at or past `wall`.
        naive = wall.replace(tzinfo=None)
        lo, hi = wall.replace(fold=1).astimezone(UTC), instant
        while hi - lo > timedelta(minutes=1):
            mid = lo + (hi - lo) / 2
            mid = mid.replace(second=0, microsecond=0)
            if mid <= lo:
                break
            if mid.astimezone(self.tz).replace(tzinfo=None) >= naive:
                hi = mid
            else:
                lo = mid
        return hi

    def day_start(self, day: date) -> datetime:
        return self.at_local(day, self.start_min)

    def day_end(self, day: date) -> datetime:
        if self.end_min == 24 * 60:
            return self.at_local(day + timedelta(days=1), 0)
        return self.at_local(day, self.end_min)

    def is_working_time(self, t: datetime) -> bool:
        day = self.local(t).date()
        return self.is_working_day(day) and self.day_start(day) <= t < self.day_end(day)

    def next_working_start(self, t: datetime) -> datetime:
        """`t` itself inside working time, else the start of the next working period."""
        if self.is_working_time(t):
            return t
        return self.next_period_start(t)

    def next_period_start(self, t: datetime) -> datetime:
        """The first working-period start at or after `t`."""
        day = self.local(t).date()
        for offset in range(_SEARCH_DAYS):
            candidate = day + timedelta(days=offset)
            if self.is_working_day(candidate):
                start = self.day_start(candidate)
                if start >= t:
                    return start
        raise ValueError("no working day within a year: check the working days")

    def working_days(self, first: date, last: date) -> list[date]:
        days = []
        current = first
        while current <= last:
            if self.is_working_day(current):
                days.append(current)
            current += timedelta(days=1)
        return days

    def both(self, other: WorkingCalendar) -> WorkingCalendar | None:
        """The time when both people work: common weekdays, the overlap of the hours, both sets of days off.

        Each person's hours are the same on every working day, so the overlap is a calendar
        of the same kind. None when they never work at the same time (no common weekday, or
        hours that do not overlap). Both calendars are in the pair's time zone and share its holidays.
        """
        start, end = max(self.start_min, other.start_min), min(self.end_min, other.end_min)
        weekdays = self.weekdays & other.weekdays
        if start >= end or not weekdays:
            return None
        return WorkingCalendar(
            holidays=self.holidays,
            timezone=self.timezone,
            start_min=start,
            end_min=end,
            weekdays=weekdays,
            extra_days_off=self.extra_days_off | other.extra_days_off,
        )

    def has_working_time(self, t: datetime, days: int = 366) -> bool:
        """Whether a working period starts within `days` after `t` (a calendar that never lets anything through is refused)."""
        day = self.local(t).date()
        return any(self.is_working_day(day + timedelta(days=offset)) for offset in range(days + 1))

    def previous_working_day(self, day: date, search_days: int = 14) -> date | None:
        """The last working day before `day`, within `search_days`."""
        for offset in range(1, search_days + 1):
            candidate = day - timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        return None

    def first_working_day_of_week(self, any_day: date) -> date | None:
        """The first working day of the ISO week holding `any_day`, or None for a week off."""
        monday = any_day - timedelta(days=any_day.isoweekday() - 1)
        days = self.working_days(monday, monday + timedelta(days=6))
        return days[0] if days else None
