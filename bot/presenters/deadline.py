"""Deadline words put into words: why a deadline gives no date, with examples of what people can type.

The pure reading is `bot.domain.deadline` (the accepted forms are listed there); it answers
with a date or a `DeadlineError`, and `explain` words the error in the person's language
(the deadline words themselves stay Swedish in every language).
"""

from __future__ import annotations

from datetime import date

from bot.domain.deadline import DeadlineError
from bot.i18n import Translator
from bot.text import fmt_date, weekday_name

__all__ = ["explain", "forms"]


def forms(t: Translator) -> str:
    """Examples of the deadline forms, for refusals (the words themselves stay Swedish)."""
    return t("`senast fredag`, `imorgon`, `18 december`, `18/12`, `vecka 51`, `om två veckor`, `i slutet av månaden` eller `ÅÅÅÅ-MM-DD`")


def _shown_day(day: date, t: Translator) -> str:
    """'fredag 18 dec. (2026-12-18)': the weekday and date, with the year."""
    return f"{fmt_date(day, t)} ({day.isoformat()})"


def _no_working_day(error: DeadlineError, t: Translator) -> str | None:
    if error.first is None or error.last is None:
        return None
    if error.week is not None:
        return t("Vecka {week} {year} har ingen arbetsdag ({first}–{last}): välj en annan vecka eller ett datum.").format(
            week=error.week, year=error.year, first=fmt_date(error.first, t), last=fmt_date(error.last, t)
        )
    return t("Det finns ingen arbetsdag mellan {first} och {last}: välj ett datum.").format(
        first=_shown_day(error.first, t), last=_shown_day(error.last, t)
    )


def _specific(error: DeadlineError, t: Translator) -> str | None:
    """The sentence for an error with its own wording; None for the general one."""
    if error.kind == "missing":
        return t("Skriv vilken dag efter `senast`, t.ex. {forms}.").format(forms=forms(t))
    if error.kind == "past" and error.day is not None:
        return t("Slutdatumet {day} har redan varit: välj idag eller ett senare datum.").format(day=_shown_day(error.day, t))
    if error.kind == "too_far":
        return t("Slutdatumet {shown!r} ligger mer än tio år fram: kontrollera årtalet.").format(shown=error.shown)
    if error.kind == "no_working_day":
        return _no_working_day(error, t)
    if error.kind == "no_such_week" and error.week is not None and error.year is not None:
        return t("År {year} har ingen vecka {week}. Skriv t.ex. {forms}.").format(year=error.year, week=error.week, forms=forms(t))
    if error.kind == "weekday_mismatch" and error.day is not None and error.weekday is not None:
        sentence = t("{day} är ingen {said}: kontrollera datumet eller veckodagen.").format(
            day=_shown_day(error.day, t), said=weekday_name(error.weekday, t)
        )
        return sentence[:1].upper() + sentence[1:]
    return None


def explain(error: DeadlineError, t: Translator) -> str:
    """The user's sentence for a deadline that gives no date."""
    return _specific(error, t) or t("Förstår inte slutdatumet {shown!r}. Skriv t.ex. {forms}.").format(shown=error.shown, forms=forms(t))
