"""Dates in the reader's language from CLDR (Babel): names, the shape of a date, and the DST days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from bot.i18n import Translator, translator
from bot.text import cldr_locale, fill, fmt_date, fmt_date_year, fmt_day_month, fmt_when, month_name, weekday_name
from tests.support.world import STHLM

SV, EN = translator("sv"), translator("en")


def test_weekday_names_in_both_languages() -> None:
    assert [weekday_name(d, SV) for d in range(7)] == ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"]
    assert [weekday_name(d, EN) for d in range(7)] == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    assert [weekday_name(d, SV, "abbreviated") for d in range(7)] == ["mån", "tis", "ons", "tors", "fre", "lör", "sön"]
    assert [weekday_name(d, EN, "abbreviated") for d in range(7)] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def test_month_names_in_both_languages() -> None:
    # CLDR's Swedish abbreviations end in a period, except where nothing is left out.
    sv = ["jan.", "feb.", "mars", "apr.", "maj", "juni", "juli", "aug.", "sep.", "okt.", "nov.", "dec."]
    assert [month_name(m, SV) for m in range(1, 13)] == sv
    assert [month_name(m, EN) for m in range(1, 13)] == ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    assert month_name(10, SV, "wide") == "oktober" and month_name(10, EN, "wide") == "October"


def test_the_shape_of_a_date() -> None:
    monday = date(2026, 11, 30)
    assert fmt_date(monday, SV) == "måndag 30 nov." and fmt_date(monday, EN) == "Monday 30 Nov"
    assert fmt_date(monday) == "måndag 30 nov."  # no translator: the Swedish source
    assert fmt_day_month(date(2026, 12, 15), SV) == "15 dec." and fmt_day_month(date(2026, 12, 15), EN) == "15 Dec"
    assert fmt_date_year(date(2027, 1, 7), SV) == "torsdag 7 jan. 2027" and fmt_date_year(date(2027, 1, 7), EN) == "Thursday 7 Jan 2027"
    assert fmt_date(date(2026, 6, 19), SV) == "fredag 19 juni"


# (UTC moment, Swedish, English): the last minute before each switch, the first after it, and the Sunday itself.
DST = [
    (datetime(2026, 3, 29, 0, 59, tzinfo=UTC), "söndag 29 mars kl. 01:59", "Sunday 29 Mar at 01:59"),
    (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), "söndag 29 mars kl. 03:00", "Sunday 29 Mar at 03:00"),
    (datetime(2026, 3, 28, 23, 30, tzinfo=UTC), "söndag 29 mars kl. 00:30", "Sunday 29 Mar at 00:30"),
    (datetime(2026, 10, 25, 0, 59, tzinfo=UTC), "söndag 25 okt. kl. 02:59", "Sunday 25 Oct at 02:59"),
    (datetime(2026, 10, 25, 1, 0, tzinfo=UTC), "söndag 25 okt. kl. 02:00", "Sunday 25 Oct at 02:00"),
    (datetime(2026, 10, 24, 22, 30, tzinfo=UTC), "söndag 25 okt. kl. 00:30", "Sunday 25 Oct at 00:30"),
]


@pytest.mark.parametrize(("moment", "sv", "en"), DST)
def test_when_across_the_dst_switch_days(moment: datetime, sv: str, en: str) -> None:
    assert fmt_when(moment, "Europe/Stockholm", SV) == sv
    assert fmt_when(moment, STHLM, EN) == en


def test_when_is_in_the_given_zone_not_the_moments() -> None:
    local = datetime(2026, 11, 30, 8, 0, tzinfo=STHLM)
    assert fmt_when(local, STHLM, SV) == "måndag 30 nov. kl. 08:00"
    assert fmt_when(local, "UTC", SV) == "måndag 30 nov. kl. 07:00"
    assert fmt_when(local, "America/New_York", EN) == "Monday 30 Nov at 02:00"


def test_a_sentence_that_ends_on_a_date_ends_in_one_period() -> None:
    day = fmt_date(date(2026, 11, 30), SV)
    assert fill("Stängd {date}.", date=day) == "Stängd måndag 30 nov."
    assert fill("Stängd {date}. Nästa {next}.", date=day, next=fmt_date(date(2026, 12, 7), EN)) == (
        "Stängd måndag 30 nov. Nästa Monday 7 Dec."
    )
    # Only a period right after the field goes; the rest of the text is formatted as it is.
    assert fill("{date}, {n}...", date=day, n=3) == "måndag 30 nov., 3..."


@dataclass(frozen=True)
class _Unchecked(Translator):
    """A translator for a language Samspel has no catalog for (Translator itself refuses one)."""

    def __post_init__(self) -> None:
        pass


def test_a_third_language_needs_no_code_and_an_unknown_one_falls_back_to_swedish() -> None:
    with pytest.raises(ValueError):
        Translator("de")  # no catalog, so no reader gets it
    assert str(cldr_locale("xx")) == "sv" and str(cldr_locale("")) == "sv"
    assert str(cldr_locale("en-GB")) == "en_GB"
    # A language CLDR knows brings its own names; the order and the word before the time are its catalog's
    # (with no German catalog it gets the Swedish source's, so the words in between are not asserted here).
    german = _Unchecked("de")
    assert weekday_name(0, german) == "Montag" and month_name(3, german) == "März"
    when = fmt_when(datetime(2026, 3, 30, 6, 0, tzinfo=UTC), STHLM, german)
    assert when.startswith("Montag 30 März ") and when.endswith(" 08:00")
    unknown = _Unchecked("xx")
    assert fmt_date(date(2026, 11, 30), unknown) == "måndag 30 nov."
