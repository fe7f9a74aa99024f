"""Deadline words at the edge: the pure reading (`bot.domain.deadline`) put into words.

`parse_deadline` and `split_deadline` keep their old contract: a date, or a
`UserError` whose text says what went wrong and shows examples of the forms
people can type (the words themselves stay Swedish in every language). The
accepted forms are listed in `bot.domain.deadline`.
"""

from __future__ import annotations

from datetime import date

from bot.adapters.holidays import swedish_calendar
from bot.domain.deadline import MAX_AHEAD, DeadlineError, WorkingDay, parse, split
from bot.errors import UserError
from bot.i18n import _, language
from bot.text import WEEKDAYS_EN, WEEKDAYS_SV, fmt_date

__all__ = ["MAX_AHEAD", "explain", "forms", "parse_deadline", "split_deadline"]

# Without the pair's calendar: Monday to Friday, Swedish holidays off.
_DEFAULT_WORKING_DAY = swedish_calendar().is_working_day


def forms() -> str:
    """Examples of the deadline forms, for refusals (the words themselves stay Swedish)."""
    return _("`senast fredag`, `imorgon`, `18 december`, `18/12`, `vecka 51`, `om två veckor`, "
             "`i slutet av månaden` eller `ÅÅÅÅ-MM-DD`")


def _shown_day(day: date) -> str:
    """'fredag 18 dec (2026-12-18)': the weekday and date, with the year."""
    return f"{fmt_date(day)} ({day.isoformat()})"


def _weekday_name(weekday: int) -> str:
    return (WEEKDAYS_EN if language() == "en" else WEEKDAYS_SV)[weekday]


def explain(error: DeadlineError) -> str:
    """The user's sentence for a deadline that gives no date."""
    if error.kind == "missing":
        return _("Skriv vilken dag efter `senast`, t.ex. {forms}.").format(forms=forms())
    if error.kind == "past" and error.day is not None:
        return _("Slutdatumet {day} har redan varit: välj idag eller ett senare datum.").format(day=_shown_day(error.day))
    if error.kind == "too_far":
        return _("Slutdatumet {shown!r} ligger mer än tio år fram: kontrollera årtalet.").format(shown=error.shown)
    if error.kind == "no_working_day" and error.first is not None and error.last is not None:
        if error.week is not None:
            return _("Vecka {week} {year} har ingen arbetsdag ({first}–{last}): välj en annan vecka eller ett datum.").format(
                week=error.week, year=error.year, first=fmt_date(error.first), last=fmt_date(error.last))
        return _("Det finns ingen arbetsdag mellan {first} och {last}: välj ett datum.").format(
            first=_shown_day(error.first), last=_shown_day(error.last))
    if error.kind == "no_such_week" and error.week is not None and error.year is not None:
        return _("År {year} har ingen vecka {week}. Skriv t.ex. {forms}.").format(
            year=error.year, week=error.week, forms=forms())
    if error.kind == "weekday_mismatch" and error.day is not None and error.weekday is not None:
        sentence = _("{day} är ingen {said}: kontrollera datumet eller veckodagen.").format(
            day=_shown_day(error.day), said=_weekday_name(error.weekday))
        return sentence[:1].upper() + sentence[1:]
    return _("Förstår inte slutdatumet {shown!r}. Skriv t.ex. {forms}.").format(shown=error.shown, forms=forms())


def parse_deadline(word: str, today: date, is_working_day: WorkingDay | None = None) -> date:
    """The date meant by a deadline word; a `UserError` for the past, the unknown or the unreadable."""
    reading = parse(word, today, is_working_day or _DEFAULT_WORKING_DAY)
    if isinstance(reading, DeadlineError):
        raise UserError(explain(reading))
    return reading


def split_deadline(text: str, today: date, is_working_day: WorkingDay | None = None) -> tuple[str, date | None]:
    """`'<text> senast <ord>'` → (text, date); without `senast`, (text, None)."""
    body, reading = split(text, today, is_working_day or _DEFAULT_WORKING_DAY)
    if isinstance(reading, DeadlineError):
        raise UserError(explain(reading))
    return body, reading
