"""The pair's pure rules: who may do what, and reading the settings people type.

Plain values in, plain values out. A setting that cannot be read raises `Invalid` with a
code and the values a refusal shows; `bot.services.pairs` turns the code into the
sentence (`UserError`), and the edge words it in the person's language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from bot.domain.calendar import parse_hhmm

KSO, KD = "kso", "kd"
DAY_NAMES = {"mån": 1, "tis": 2, "ons": 3, "tor": 4, "fre": 5, "lör": 6, "sön": 7}
# A day-off range is capped at a year: `ledig` is for leave, not for leaving the pair.
MAX_DAYS_OFF_RANGE = 366
NOTE_CHARS = 200
CHANNEL_REF = re.compile(r"<#([CG][A-Z0-9]+)(?:\|[^>]*)?>")

# `agendatid fredag 15:00`: the working day before the meeting (a Monday meeting's is normally Friday).
DAY_BEFORE_WORDS = ("fredag", "fre", "dagen före", "dagen innan", "föregående arbetsdag", "arbetsdagen före", "friday", "day before")
MEETING_DAY_WORDS = ("måndag", "mån", "mötesdagen", "samma dag", "monday")
RADSMOTE_OFF_WORDS = ("av", "ingen", "stäng")

# The talk's reminders: four weeks before, one week before and on the day.
TALK_STAGES = (("four_weeks", 28), ("one_week", 7), ("on_the_day", 0))


class Invalid(ValueError):
    """Why a setting cannot be used: a code (`kind`) and the values its refusal names."""

    def __init__(self, kind: str, **fields: Any) -> None:
        super().__init__(kind)
        self.kind = kind
        self.fields = fields


# --- roles ------------------------------------------------------------------------------


def may_set_talk_date(role: str) -> bool:
    # Seed 004: the talk "genomförs av kommunstyrelsens ordförande med kommundirektören".
    return role == KSO


# --- clock times and weekdays -------------------------------------------------------------


def parse_clock(text: str) -> int:
    """'08:00' or '8.00' → minutes after midnight; ValueError when it is no clock time."""
    return parse_hhmm(text)


def parse_days(text: str) -> str:
    """'mån-fre', 'mån,tis,tor' → ISO weekday digits ('12345')."""
    days: set[int] = set()
    for part in text.lower().replace(" ", "").split(","):
        first, _sep, last = part.partition("-")
        try:
            a = DAY_NAMES[first[:3]]
            b = DAY_NAMES[last[:3]] if last else a
        except KeyError:
            raise Invalid("days_unreadable", text=repr(text)) from None
        if b < a:
            raise Invalid("days_out_of_order")
        days.update(range(a, b + 1))
    return "".join(str(d) for d in sorted(days))


@dataclass(frozen=True)
class Hours:
    """`arbetstid 08:00-17:00 [mån-fre]`: minutes after midnight, and weekday digits when given."""

    start: int
    end: int
    days: str | None


def parse_hours(text: str) -> Hours:
    parts = text.split()
    if not parts:
        raise Invalid("hours_missing")
    start_text, sep, end_text = parts[0].partition("-")
    try:
        start, end = parse_clock(start_text), parse_clock(end_text)
    except ValueError:
        raise Invalid("hours_unreadable", text=repr(parts[0])) from None
    if not sep or start >= end:
        raise Invalid("hours_backwards")
    days = parse_days(" ".join(parts[1:])) if len(parts) > 1 else None
    if days == "":
        raise Invalid("no_days")
    return Hours(start, end, days)


def parse_agenda_time(text: str) -> tuple[int, int]:
    """'08:00' → (0, 480); 'fredag 15:00' → (1, 900): (working days before the meeting, minutes)."""
    words, _sep, clock = text.strip().lower().rpartition(" ")
    words = " ".join(words.split())
    try:
        minutes = parse_clock(clock)
    except ValueError:
        raise Invalid("agenda_time_unreadable") from None
    if not words or words in MEETING_DAY_WORDS:
        return 0, minutes
    if words in DAY_BEFORE_WORDS:
        return 1, minutes
    raise Invalid("agenda_day_unknown")


@dataclass(frozen=True)
class Radsmote:
    """`rådsmöte #kanal [13:00]` (minutes None: keep the time) or `rådsmöte av` (channel None)."""

    channel: str | None
    minutes: int | None = None


def parse_radsmote(text: str) -> Radsmote:
    if text.strip().lower() in RADSMOTE_OFF_WORDS:
        return Radsmote(channel=None)
    match = CHANNEL_REF.search(text)
    if not match:
        raise Invalid("radsmote_no_channel")
    rest = CHANNEL_REF.sub("", text).strip()
    if not rest:
        return Radsmote(channel=match.group(1))
    try:
        return Radsmote(channel=match.group(1), minutes=parse_clock(rest))
    except ValueError:
        raise Invalid("radsmote_time_unreadable", text=repr(rest)) from None


# --- days off and dates ----------------------------------------------------------------------


@dataclass(frozen=True)
class DaysOff:
    first: date
    last: date
    note: str = ""

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]


def parse_days_off(text: str, today: date) -> DaysOff:
    """'2027-07-05..2027-07-30 semester' → the range and its note; a single day is a range of one.

    Days already past are left out; a range wholly in the past is refused.
    """
    span, _sep, note = text.strip().partition(" ")
    first_text, dots, last_text = span.partition("..")
    try:
        first = date.fromisoformat(first_text)
        last = date.fromisoformat(last_text) if dots else first
    except ValueError:
        raise Invalid("days_off_unreadable") from None
    if last < first:
        raise Invalid("days_off_backwards")
    if (last - first).days + 1 > MAX_DAYS_OFF_RANGE:
        raise Invalid("days_off_too_many", limit=MAX_DAYS_OFF_RANGE)
    if last < today:
        raise Invalid("days_off_past", day=last.isoformat())
    return DaysOff(max(first, today), last, note.strip()[:NOTE_CHARS])


def parse_talk_date(text: str, today: date) -> date:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise Invalid("talk_date_unreadable") from None
    if day < today:
        raise Invalid("talk_date_past", day=day.isoformat())
    return day


def one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


@dataclass(frozen=True)
class TalkReminders:
    """The talk's reminders still to come (codes of TALK_STAGES), and whether some have already passed."""

    coming: list[str] = field(default_factory=list)
    passed: bool = False


def talk_reminders(day: date, today: date) -> TalkReminders:
    coming = [code for code, days in TALK_STAGES if day - timedelta(days=days) > today]
    return TalkReminders(coming=coming, passed=len(coming) < len(TALK_STAGES))


def day_ranges(days: Iterable[date]) -> list[tuple[date, date]]:
    """Consecutive days as (first, last) ranges, in order; a lone day is (day, day)."""
    ordered = sorted(set(days))
    ranges: list[tuple[date, date]] = []
    for day in ordered:
        if ranges and day - ranges[-1][1] == timedelta(days=1):
            ranges[-1] = (ranges[-1][0], day)
        else:
            ranges.append((day, day))
    return ranges


def weekday_digits(work_days: str) -> list[int]:
    return [int(c) for c in work_days]
