"""Deadline words in natural Swedish, as people type them after `senast`.

A deadline (slutdatum) is a local date of the pair. Everything is read relative to
`today` (the pair's local date, from the injected clock) and a working-day
predicate (the pair's calendar), and the answer is a value, never a sentence:
either a `date` or a `DeadlineError` whose `kind` the edge turns into words.

Accepted forms (case and spacing do not matter; a trailing full stop is dropped):

- `ÅÅÅÅ-MM-DD`
- `idag`/`i dag`, `imorgon`/`i morgon`, `övermorgon`
- a weekday (`fredag`, `fre`, `på fredag`): the next such day after today, so on a
  Friday `fredag` means next week's Friday (today is `idag`)
- `nästa <veckodag>` or `<veckodag> nästa vecka`: that weekday in next week
- `nästa vecka`, `i slutet av veckan`: the last working day of next week / this week
- `18 december`, `den 18 dec`, `18:e dec.`, `18/12`, optionally with a year
  (`18 december 2027`, `18/12 2027`, `18/12/2027`, `18/12-27`) and a weekday
  (`fredag 18 december`, which must match); `den 18`: the next 18th. Without a
  year, the next such date that is today or later (on 20 December, `18 december`
  is next year's)
- `vecka 51`, `v. 51`, `v51`, `vecka 51 2027`: the last working day of that ISO week;
  without a year the next week 51 that has not ended. `fredag vecka 51`: that day.
- `om 3 dagar`, `om två veckor`, `om en vecka`, `om 5 arbetsdagar` (digits or the
  words en/ett … tolv): calendar days, or working days counted after today
- `i slutet av månaden`, `slutet av månaden`, `månadsskiftet`: the last working day
  of this month; `i slutet av december [2027]`: of that month

A reading may still land on a day off (`fredag` when Friday is a holiday); telling
the user is the caller's business, as the date itself is what they said.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal

WorkingDay = Callable[[date], bool]

ErrorKind = Literal["unreadable", "past", "too_far", "no_working_day", "no_such_week", "weekday_mismatch", "missing"]

# Further ahead is almost certainly a typo (2207 for 2027), which would never show as overdue.
MAX_AHEAD = timedelta(days=10 * 366)
SHOWN_CHARS = 40
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class DeadlineError:
    """Why a deadline word gives no date. The edge words it; the fields are what it needs.

    - unreadable: `shown` could not be read
    - past: `day` has already been
    - too_far: `shown` is more than MAX_AHEAD away (`day` when it is a date at all)
    - no_working_day: `first`..`last` (ISO `week`/`year` when a week) has no working day
    - no_such_week: ISO `year` has no week `week`
    - weekday_mismatch: `day` is not on the said `weekday` (0 = Monday)
    - missing: nothing after `senast`
    """

    kind: ErrorKind
    shown: str = ""
    day: date | None = None
    first: date | None = None
    last: date | None = None
    week: int | None = None
    year: int | None = None
    weekday: int | None = None


Reading = date | DeadlineError

WEEKDAYS = {
    "måndag": 0,
    "mån": 0,
    "tisdag": 1,
    "tis": 1,
    "onsdag": 2,
    "ons": 2,
    "torsdag": 3,
    "tor": 3,
    "tors": 3,
    "fredag": 4,
    "fre": 4,
    "lördag": 5,
    "lör": 5,
    "söndag": 6,
    "sön": 6,
}
MONTHS = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "feb": 2,
    "mars": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "maj": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "augusti": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
NUMBERS = {
    "en": 1,
    "ett": 1,
    "två": 2,
    "tre": 3,
    "fyra": 4,
    "fem": 5,
    "sex": 6,
    "sju": 7,
    "åtta": 8,
    "nio": 9,
    "tio": 10,
    "elva": 11,
    "tolv": 12,
}
_RELATIVE = {"idag": 0, "i dag": 0, "imorgon": 1, "i morgon": 1, "övermorgon": 2, "i övermorgon": 2}


def _alternatives(words: dict[str, int]) -> str:
    # Longest first, so `tors` is not read as `tor` + rest.
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


_WD = rf"(?:{_alternatives(WEEKDAYS)})\.?"
_MON = rf"(?:{_alternatives(MONTHS)})"
_NUM = rf"(?:[0-9]{{1,6}}|{_alternatives(NUMBERS)})"
_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_WEEKDAY = re.compile(rf"(?:på\s+)?(?P<wd>{_WD})")
_NEXT_WEEKDAY = re.compile(rf"(?:på\s+)?(?:nästa\s+(?P<a>{_WD})|(?P<b>{_WD})\s+nästa\s+vecka)")
_THIS_WEEK_END = re.compile(r"(?:i\s+)?(?:slutet\s+av\s+(?:veckan|den\s+här\s+veckan|denna\s+vecka)|veckans\s+slut)")
_NEXT_WEEK = re.compile(r"(?:i\s+slutet\s+av\s+)?nästa\s+vecka")
_DAY_MONTH = re.compile(
    rf"(?:(?P<wd>{_WD})\s+)?(?:den\s+)?(?P<d>[0-9]{{1,2}})(?::?e|:a)?\s*"
    rf"(?:(?P<mon>{_MON})\.?(?:\s+(?P<y1>[0-9]{{4}}))?"
    r"|/(?P<m>[0-9]{1,2})(?:(?:\s+|/)(?P<y2>[0-9]{4})|-(?P<y3>[0-9]{2}|[0-9]{4}))?)"
)
_DAY_ONLY = re.compile(r"den\s+(?P<d>[0-9]{1,2})(?::?e|:a)?")
_WEEK = re.compile(rf"(?:(?P<wd>{_WD})\s+)?(?:i\s+)?(?:vecka|v\.?)\s*(?P<w>[0-9]{{1,2}})(?:\s+(?P<y>[0-9]{{4}}))?")
_IN = re.compile(rf"om\s+(?P<n>{_NUM})\s+(?P<unit>dag|dagar|arbetsdag|arbetsdagar|vecka|veckor)")
_MONTH_END = re.compile(
    r"(?:(?:i|vid|till)\s+)?(?:slutet\s+av\s+(?:månaden|den\s+här\s+månaden|denna\s+månad)|månadsskiftet|månadens\s+slut)"
)
_NAMED_MONTH_END = re.compile(rf"(?:i\s+)?slutet\s+av\s+(?P<mon>{_MON})\.?(?:\s+(?P<y>[0-9]{{4}}))?")
# Greedy body: the last `senast` is the deadline ("… senast inkomna … senast fredag").
_SENAST = re.compile(r"^(?P<body>.*?)(?:^|\s)senast(?:\s+(?P<when>(?:(?!\ssenast(?:\s|$)).)*))?\s*$", re.IGNORECASE | re.DOTALL)


def parse(text: str, today: date, is_working_day: WorkingDay) -> Reading:
    """The date meant by a deadline word, or why there is none (never raises for any text)."""
    shown = text.strip()[:SHOWN_CHARS]
    words = " ".join(text.lower().replace(",", " ").split()).rstrip(".!")
    if not words:
        return DeadlineError("missing", shown=shown)
    try:
        reading = _read(words, today, is_working_day)
    except OverflowError:
        # Date arithmetic beyond year 9999: as far as a deadline can be.
        return DeadlineError("too_far", shown=shown)
    if reading is None:
        return DeadlineError("unreadable", shown=shown)
    if isinstance(reading, DeadlineError):
        return replace(reading, shown=shown)
    if reading < today:
        return DeadlineError("past", shown=shown, day=reading)
    if reading - today > MAX_AHEAD:
        return DeadlineError("too_far", shown=shown, day=reading)
    return reading


def split(text: str, today: date, is_working_day: WorkingDay) -> tuple[str, Reading | None]:
    """`'<text> senast <ord>'` → (text, reading); without `senast`, (text, None)."""
    match = _SENAST.match(text)
    if match is None:
        return text.strip(), None
    body = match.group("body").strip()
    when = match.group("when")
    if not when:
        return body, DeadlineError("missing")
    return body, parse(when, today, is_working_day)


# --- the grammar ---------------------------------------------------------------


def _read(words: str, today: date, is_working_day: WorkingDay) -> Reading | None:
    if match := _ISO.fullmatch(words):
        return _valid_date(int(match[1]), int(match[2]), int(match[3]))
    if words in _RELATIVE:
        return today + timedelta(days=_RELATIVE[words])
    if match := _WEEKDAY.fullmatch(words):
        ahead = (_weekday(match["wd"]) - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead)
    if match := _NEXT_WEEKDAY.fullmatch(words):
        return _monday(today) + timedelta(days=7 + _weekday(match["a"] or match["b"]))
    if _NEXT_WEEK.fullmatch(words):
        return _week_end(_monday(today) + timedelta(days=7), is_working_day)
    if _THIS_WEEK_END.fullmatch(words):
        return _week_end(_monday(today), is_working_day)
    if match := _DAY_MONTH.fullmatch(words):
        return _day_month(match, today)
    if match := _DAY_ONLY.fullmatch(words):
        return _next_day_of_month(int(match["d"]), today)
    if match := _WEEK.fullmatch(words):
        return _week(match, today, is_working_day)
    if match := _IN.fullmatch(words):
        return _in(match["n"], match["unit"], today, is_working_day)
    if _MONTH_END.fullmatch(words):
        return _month_end(today.year, today.month, is_working_day)
    if match := _NAMED_MONTH_END.fullmatch(words):
        month = MONTHS[match["mon"]]
        year = int(match["y"]) if match["y"] else _next_year_for_month(month, today)
        return _month_end(year, month, is_working_day)
    return None


def _weekday(word: str) -> int:
    return WEEKDAYS[word.rstrip(".")]


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _last_working_day(first: date, last: date, is_working_day: WorkingDay) -> date | None:
    day = last
    while True:
        if is_working_day(day):
            return day
        if day <= first:
            return None
        day -= _DAY


def _week_end(monday: date, is_working_day: WorkingDay) -> Reading:
    """The last working day of the ISO week that starts on `monday`."""
    sunday = monday + timedelta(days=6)
    found = _last_working_day(monday, sunday, is_working_day)
    if found is None:
        iso = monday.isocalendar()
        return DeadlineError("no_working_day", first=monday, last=sunday, week=iso.week, year=iso.year)
    return found


def _day_month(match: re.Match[str], today: date) -> Reading | None:
    day = int(match["d"])
    month = MONTHS[match["mon"]] if match["mon"] else int(match["m"])
    year_text = match["y1"] or match["y2"] or match["y3"]
    if year_text is None:
        found = _next_date(month, day, today)
    else:
        # `18/12-27`: a two-digit year after a dash is this century's, as Swedish dates are written.
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
        found = _valid_date(year, month, day)
    if found is None:
        return None
    if match["wd"] and _weekday(match["wd"]) != found.weekday():
        return DeadlineError("weekday_mismatch", day=found, weekday=_weekday(match["wd"]))
    return found


def _next_date(month: int, day: int, today: date) -> date | None:
    """The next `day`/`month` that is today or later; 29 February may be up to eight years on."""
    for year in range(today.year, min(today.year + 9, date.max.year + 1)):
        found = _valid_date(year, month, day)
        if found is not None and found >= today:
            return found
    return None


def _next_day_of_month(day: int, today: date) -> date | None:
    """`den 18`: the next 18th that is today or later (skipping months too short for it)."""
    year, month = today.year, today.month
    for _step in range(3):
        found = _valid_date(year, month, day)
        if found is not None and found >= today:
            return found
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _iso_weeks(year: int) -> int:
    """52 or 53: 28 December is always in the last ISO week of its year."""
    return date(year, 12, 28).isocalendar().week


def _iso_day(year: int, week: int, weekday: int) -> date | None:
    """The ISO day, or None when the week does not exist (or lies beyond year 9999)."""
    if not 1 <= year <= date.max.year or week > _iso_weeks(year):
        return None
    try:
        return date.fromisocalendar(year, week, weekday)
    except ValueError:  # the last week of 9999 ends in year 10000
        return None


def _week(match: re.Match[str], today: date, is_working_day: WorkingDay) -> Reading | None:
    week = int(match["w"])
    if not 1 <= week <= 53:
        return None
    if match["y"]:
        year = int(match["y"])
        if _iso_day(year, week, 7) is None:
            return DeadlineError("no_such_week", week=week, year=year)
    else:
        # The next week with that number that has not ended: in December, `vecka 2` is next year's.
        this_year = today.isocalendar().year
        candidates = [y for y in (this_year, this_year + 1) if (sunday := _iso_day(y, week, 7)) and sunday >= today]
        if not candidates:
            return DeadlineError("no_such_week", week=week, year=this_year)
        year = candidates[0]
    monday = date.fromisocalendar(year, week, 1)
    if match["wd"]:
        return monday + timedelta(days=_weekday(match["wd"]))
    return _week_end(monday, is_working_day)


def _in(count: str, unit: str, today: date, is_working_day: WorkingDay) -> Reading:
    n = int(count) if count.isdigit() else NUMBERS[count]
    if unit.startswith("arbetsdag"):
        return _working_days_after(today, n, is_working_day)
    days = n * (7 if unit.startswith("veck") else 1)
    if days > MAX_AHEAD.days:
        return DeadlineError("too_far")
    return today + timedelta(days=days)


def _working_days_after(today: date, n: int, is_working_day: WorkingDay) -> Reading:
    """The n:th working day after today (today itself for n = 0)."""
    day, left = today, n
    while left > 0:
        day += _DAY
        if day - today > MAX_AHEAD:
            return DeadlineError("too_far")
        if is_working_day(day):
            left -= 1
    return day


def _next_year_for_month(month: int, today: date) -> int:
    """This year's month unless it has ended."""
    return today.year if month >= today.month else today.year + 1


def _month_end(year: int, month: int, is_working_day: WorkingDay) -> Reading | None:
    if year < 1:
        return None
    if year > date.max.year:
        return DeadlineError("too_far")
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    found = _last_working_day(first, last, is_working_day)
    if found is None:
        return DeadlineError("no_working_day", first=first, last=last)
    return found
