"""The pure deadline reading (bot.domain.deadline): dates and typed errors, never sentences, never exceptions."""

from __future__ import annotations

import subprocess
import sys
import typing
from calendar import isleap
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.adapters.holidays import swedish_calendar
from bot.domain.deadline import MAX_AHEAD, MONTHS, NUMBERS, WEEKDAYS, DeadlineError, ErrorKind, parse, split

SWEDEN = swedish_calendar().is_working_day
MON = date(2026, 11, 23)  # Monday of ISO week 48


def weekdays_only(day: date) -> bool:
    """A calendar without holidays, safe for any date (the holidays package is not asked about year 9000)."""
    return day.weekday() < 5


def never(day: date) -> bool:
    return False


def read(text: str, today: date = MON, is_working_day: typing.Callable[[date], bool] = SWEDEN) -> date | DeadlineError:
    return parse(text, today, is_working_day)


# --- the forms that were there before -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("2026-12-24", MON, date(2026, 12, 24)),
        ("idag", MON, MON),
        ("i dag", MON, MON),
        ("Imorgon", MON, date(2026, 11, 24)),
        ("i morgon", MON, date(2026, 11, 24)),
        ("övermorgon", MON, date(2026, 11, 25)),
        ("fredag", MON, date(2026, 11, 27)),
        ("fre", MON, date(2026, 11, 27)),
        ("tors", MON, date(2026, 11, 26)),
        ("på fredag", MON, date(2026, 11, 27)),
        ("fredag", date(2026, 11, 27), date(2026, 12, 4)),  # on a Friday, "fredag" is next week's
        ("måndag", MON, date(2026, 11, 30)),
        ("nästa fredag", MON, date(2026, 12, 4)),
        ("nästa mån", MON, date(2026, 11, 30)),
        ("fredag nästa vecka", MON, date(2026, 12, 4)),
        ("nästa vecka", MON, date(2026, 12, 4)),
        ("  NÄSTA   vecka. ", MON, date(2026, 12, 4)),
    ],
)
def test_existing_words_keep_working(text: str, today: date, expected: date) -> None:
    assert read(text, today) == expected


def test_next_week_is_its_last_working_day() -> None:
    # Monday 15 March 2027: next week ends with långfredagen, so its last working day is skärtorsdag.
    assert read("nästa vecka", date(2027, 3, 15)) == date(2027, 3, 25)


# --- day and month ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "18 december",
        "den 18 december",
        "18 dec",
        "18 dec.",
        "18/12",
        "Den 18 December",
        "18:e dec",
        "18december",
        "fredag 18 december",
        "fre 18/12",
        "fredag den 18 dec.",
        "18/12 2026",
        "18/12-26",
        "18 december 2026",
        "18, december",
    ],
)
def test_day_and_month(text: str) -> None:
    assert read(text) == date(2026, 12, 18)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("18/12 2027", date(2027, 12, 18)),
        ("18/12/2027", date(2027, 12, 18)),
        ("18/12-27", date(2027, 12, 18)),
        ("18/12-2027", date(2027, 12, 18)),
        ("18 dec. 2027", date(2027, 12, 18)),
        ("lördag 18 december 2027", date(2027, 12, 18)),
    ],
)
def test_day_and_month_with_a_year(text: str, expected: date) -> None:
    assert read(text) == expected


def test_a_day_and_month_without_year_is_the_next_one_today_or_later() -> None:
    assert read("18 december", date(2026, 12, 18)) == date(2026, 12, 18)
    assert read("18 december", date(2026, 12, 20)) == date(2027, 12, 18)
    assert read("18/12", date(2026, 12, 19)) == date(2027, 12, 18)
    assert read("2 januari", date(2026, 12, 30)) == date(2027, 1, 2)
    assert read("29 februari", date(2026, 3, 1)) == date(2028, 2, 29)


def test_den_alone_is_the_next_such_day_of_a_month() -> None:
    assert read("den 18") == date(2026, 12, 18)
    assert read("den 23") == MON
    assert read("den 30", date(2027, 1, 31)) == date(2027, 3, 30)  # February has no 30th


def test_a_weekday_that_does_not_match_the_date_is_pointed_out() -> None:
    assert read("torsdag 18 december") == DeadlineError("weekday_mismatch", shown="torsdag 18 december", day=date(2026, 12, 18), weekday=3)


@pytest.mark.parametrize("text", ["31 april", "30 februari 2027", "18/13", "0/12", "32 dec", "18 decembr", "12/18"])
def test_impossible_dates_are_unreadable(text: str) -> None:
    error = read(text)
    assert isinstance(error, DeadlineError) and error.kind == "unreadable" and error.shown == text


# --- weeks --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("vecka 51", MON, date(2026, 12, 18)),
        ("v. 51", MON, date(2026, 12, 18)),
        ("v.51", MON, date(2026, 12, 18)),
        ("v51", MON, date(2026, 12, 18)),
        ("V 51", MON, date(2026, 12, 18)),
        ("i vecka 51", MON, date(2026, 12, 18)),
        ("vecka 48", MON, date(2026, 11, 27)),  # this week
        ("vecka 52", MON, date(2026, 12, 23)),  # julafton and juldagen are off
        ("vecka 53", MON, date(2026, 12, 30)),  # 2026 has a week 53; nyårsafton and nyårsdagen are off
        ("vecka 51 2027", MON, date(2027, 12, 23)),  # julafton 2027 is a Friday
        ("vecka 12 2027", MON, date(2027, 3, 25)),  # Easter: långfredagen off, skärtorsdag works
        ("vecka 13 2027", MON, date(2027, 4, 2)),  # annandag påsk off, Friday works
        ("vecka 14 2027", MON, date(2027, 4, 9)),
        ("fredag vecka 51", MON, date(2026, 12, 18)),
        ("mån v. 2", MON, date(2027, 1, 11)),
        # Year wrap: a week number that has passed this ISO year is next year's.
        ("vecka 2", date(2026, 12, 28), date(2027, 1, 15)),
        ("vecka 1", date(2026, 12, 29), date(2027, 1, 8)),  # 29 Dec 2026 is in ISO week 53 of 2026
        ("v. 1", MON, date(2027, 1, 8)),
    ],
)
def test_week_is_its_last_working_day(text: str, today: date, expected: date) -> None:
    assert read(text, today) == expected


def test_a_week_follows_the_pairs_own_days_off() -> None:
    julledig = swedish_calendar(extra_days_off=frozenset({date(2026, 12, 22), date(2026, 12, 23)})).is_working_day
    assert read("vecka 52", is_working_day=julledig) == date(2026, 12, 21)
    four_days = swedish_calendar(weekdays=frozenset({1, 2, 3, 4})).is_working_day
    assert read("vecka 51", is_working_day=four_days) == date(2026, 12, 17)


def test_a_week_without_working_day_says_so() -> None:
    # Christmas and new year off, and the pair's own days between them.
    mellandagar = frozenset({date(2026, 12, 28), date(2026, 12, 29), date(2026, 12, 30)})
    calendar = swedish_calendar(extra_days_off=mellandagar).is_working_day
    assert read("vecka 53", is_working_day=calendar) == DeadlineError(
        "no_working_day", shown="vecka 53", first=date(2026, 12, 28), last=date(2027, 1, 3), week=53, year=2026
    )
    assert read("vecka 53 2026", is_working_day=calendar) == DeadlineError(
        "no_working_day", shown="vecka 53 2026", first=date(2026, 12, 28), last=date(2027, 1, 3), week=53, year=2026
    )


def test_a_week_that_does_not_exist() -> None:
    assert read("vecka 53 2027") == DeadlineError("no_such_week", shown="vecka 53 2027", week=53, year=2027)
    # Neither 2027 nor 2028 has a week 53.
    assert read("vecka 53", date(2027, 6, 1)) == DeadlineError("no_such_week", shown="vecka 53", week=53, year=2027)
    for text in ("vecka 0", "vecka 54", "v."):
        assert read(text) == DeadlineError("unreadable", shown=text)


def test_a_week_whose_last_working_day_has_passed_is_past() -> None:
    saturday = date(2026, 12, 19)
    assert read("vecka 51", saturday) == DeadlineError("past", shown="vecka 51", day=date(2026, 12, 18))
    assert read("vecka 47 2026") == DeadlineError("past", shown="vecka 47 2026", day=date(2026, 11, 20))


# --- counted from today ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("om två veckor", date(2026, 12, 7)),
        ("om 2 veckor", date(2026, 12, 7)),
        ("om en vecka", date(2026, 11, 30)),
        ("om 3 dagar", date(2026, 11, 26)),
        ("om tre dagar", date(2026, 11, 26)),
        ("om en dag", date(2026, 11, 24)),
        ("om 1 dag", date(2026, 11, 24)),
        ("om tolv dagar", date(2026, 12, 5)),
        ("om 0 dagar", MON),
        ("om 5 arbetsdagar", date(2026, 11, 30)),
    ],
)
def test_counted_from_today(text: str, expected: date) -> None:
    assert read(text) == expected


def test_every_number_word_counts() -> None:
    assert [read(f"om {word} dagar") for word in ("två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva", "tolv")] == [
        MON + timedelta(days=n) for n in range(2, 13)
    ]
    assert set(NUMBERS.values()) == set(range(1, 13))


def test_working_days_skip_christmas() -> None:
    # From Wednesday 23 Dec 2026: julafton, juldagen and the weekend are skipped.
    assert read("om 3 arbetsdagar", date(2026, 12, 23)) == date(2026, 12, 30)


# --- end of the month -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("i slutet av månaden", MON, date(2026, 11, 30)),
        ("slutet av månaden", MON, date(2026, 11, 30)),
        ("månadsskiftet", MON, date(2026, 11, 30)),
        ("vid månadsskiftet", MON, date(2026, 11, 30)),
        ("i slutet av månaden", date(2026, 12, 1), date(2026, 12, 30)),  # nyårsafton is off
        ("i slutet av månaden", date(2027, 1, 4), date(2027, 1, 29)),  # 31 Jan 2027 is a Sunday
        ("i slutet av december", MON, date(2026, 12, 30)),
        ("i slutet av januari", MON, date(2027, 1, 29)),
        ("slutet av juni 2027", MON, date(2027, 6, 30)),
        ("i slutet av november", date(2026, 12, 1), date(2027, 11, 30)),  # this November is over
        ("i slutet av veckan", MON, date(2026, 11, 27)),
    ],
)
def test_end_of_month_is_its_last_working_day(text: str, today: date, expected: date) -> None:
    assert read(text, today) == expected


def test_end_of_month_after_its_last_working_day_is_past() -> None:
    sunday = date(2027, 1, 31)
    assert read("månadsskiftet", sunday) == DeadlineError("past", shown="månadsskiftet", day=date(2027, 1, 29))


def test_a_month_without_working_day_says_so() -> None:
    assert read("i slutet av månaden", is_working_day=never) == DeadlineError(
        "no_working_day", shown="i slutet av månaden", first=date(2026, 11, 1), last=date(2026, 11, 30)
    )
    assert read("om 2 arbetsdagar", is_working_day=never) == DeadlineError("too_far", shown="om 2 arbetsdagar")


# --- refusals -------------------------------------------------------------------------


def test_unreadable_missing_past_and_too_far() -> None:
    assert read("snart") == DeadlineError("unreadable", shown="snart")
    assert read("2026-02-30") == DeadlineError("unreadable", shown="2026-02-30")
    assert read("   ") == DeadlineError("missing", shown="")
    assert read("2026-11-20") == DeadlineError("past", shown="2026-11-20", day=date(2026, 11, 20))
    assert read("18/12 2025") == DeadlineError("past", shown="18/12 2025", day=date(2025, 12, 18))
    assert read("2207-01-01") == DeadlineError("too_far", shown="2207-01-01", day=date(2207, 1, 1))
    assert read("om 999999 dagar") == DeadlineError("too_far", shown="om 999999 dagar")
    assert read("om 4000 arbetsdagar") == DeadlineError("too_far", shown="om 4000 arbetsdagar")
    long = read("x" * 100)
    assert isinstance(long, DeadlineError) and long.shown == "x" * 40


def test_edges_of_the_calendar_are_too_far_not_a_crash() -> None:
    assert read("imorgon", date.max, weekdays_only) == DeadlineError("too_far", shown="imorgon")
    assert read("nästa vecka", date.max, weekdays_only) == DeadlineError("too_far", shown="nästa vecka")
    assert read("idag", date.max, weekdays_only) == date.max
    assert read("vecka 1", date(9999, 12, 1), weekdays_only) == DeadlineError("no_such_week", shown="vecka 1", week=1, year=9999)


# --- splitting the command text ---------------------------------------------------------


def test_split_takes_the_last_senast() -> None:
    assert split("Remissvar senast 18 december", MON, SWEDEN) == ("Remissvar", date(2026, 12, 18))
    assert split("Sammanställ senast inkomna svar senast vecka 51", MON, SWEDEN) == ("Sammanställ senast inkomna svar", date(2026, 12, 18))
    assert split("Utan slutdatum om två veckor", MON, SWEDEN) == ("Utan slutdatum om två veckor", None)
    assert split("Något senast", MON, SWEDEN) == ("Något", DeadlineError("missing"))
    assert split("Något SENAST snart", MON, SWEDEN) == ("Något", DeadlineError("unreadable", shown="snart"))


# --- properties -----------------------------------------------------------------------

KINDS = set(typing.get_args(ErrorKind))
FRAGMENTS = [
    *WEEKDAYS,
    *MONTHS,
    *NUMBERS,
    "senast",
    "idag",
    "i dag",
    "imorgon",
    "övermorgon",
    "nästa",
    "vecka",
    "veckor",
    "veckan",
    "v.",
    "v",
    "om",
    "dag",
    "dagar",
    "arbetsdagar",
    "den",
    "på",
    "i",
    "vid",
    "slutet",
    "av",
    "månaden",
    "månadsskiftet",
    "denna",
    ":e",
    ":a",
    "/",
    "-",
    ".",
    ",",
    "0",
    "1",
    "12",
    "18",
    "29",
    "31",
    "51",
    "53",
    "54",
    "2026",
    "2027",
    "9999",
    "0000",
    "27",
    "999999",
    "18/12",
    "18/12-27",
    "2026-12-18",
    "2026-02-30",
    " ",
    "\n",
    "å",
    "ß",
    "İ",
    "٣",
    "\x00",
    "🫎",
]
swedish_ish = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=6), max_size=10).map(" ".join)
glued = st.lists(st.sampled_from(FRAGMENTS), max_size=6).map("".join)
any_text = st.text(max_size=80) | swedish_ish | glued
any_day = st.dates()


def check(reading: object, today: date) -> None:
    if isinstance(reading, DeadlineError):
        assert reading.kind in KINDS
    else:
        assert isinstance(reading, date)
        assert today <= reading and reading - today <= MAX_AHEAD


@given(any_text, any_day, st.sampled_from([weekdays_only, never, lambda day: day.day % 3 == 0]))
def test_no_text_on_any_day_raises(text: str, today: date, is_working_day: typing.Callable[[date], bool]) -> None:
    check(parse(text, today, is_working_day), today)
    body, reading = split(text, today, is_working_day)
    assert isinstance(body, str)
    if reading is not None:
        check(reading, today)


@given(any_text, st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)))
def test_no_text_raises_with_the_swedish_calendar(text: str, today: date) -> None:
    check(parse(text, today, SWEDEN), today)


FULL_MONTH_NAMES = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]
years_2000s = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


@given(years_2000s, years_2000s)
def test_day_and_month_is_the_next_such_date(today: date, said: date) -> None:
    for text in (f"{said.day}/{said.month}", f"den {said.day} {FULL_MONTH_NAMES[said.month - 1]}"):
        reading = parse(text, today, weekdays_only)
        assert isinstance(reading, date), text
        assert (reading.month, reading.day) == (said.month, said.day) and reading >= today
        # No earlier such date lies between today and the reading (29 February: up to eight years on).
        leap_day = (said.month, said.day) == (2, 29)
        earlier = [date(y, said.month, said.day) for y in range(today.year, reading.year) if not leap_day or isleap(y)]
        assert all(d < today for d in earlier)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)), st.integers(0, 60))
def test_a_week_is_its_last_working_day_or_none(today: date, weeks_ahead: int) -> None:
    monday = today - timedelta(days=today.weekday()) + timedelta(weeks=weeks_ahead)
    iso = monday.isocalendar()
    reading = parse(f"vecka {iso.week} {iso.year}", today, SWEDEN)
    days = [monday + timedelta(days=n) for n in range(7)]
    working = [d for d in days if SWEDEN(d)]
    if not working:
        assert isinstance(reading, DeadlineError) and reading.kind == "no_working_day"
    elif working[-1] < today:
        assert reading == DeadlineError("past", shown=f"vecka {iso.week} {iso.year}", day=working[-1])
    else:
        assert reading == working[-1]


@given(st.dates(min_value=date(1, 1, 1), max_value=date(9000, 1, 1)), st.integers(0, 3660))
def test_iso_dates_read_back(today: date, ahead: int) -> None:
    day = today + timedelta(days=ahead)
    assert parse(day.isoformat(), today, weekdays_only) == day


def test_the_domain_module_imports_nothing_above_it() -> None:
    """No database, Slack, language catalog or holiday table: the caller passes the calendar in."""
    code = (
        "import sys, bot.domain.deadline; print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('sqlalchemy', 'slack_sdk', 'slack_bolt', 'holidays') or (m.startswith('bot.') and not m.startswith('bot.domain'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
