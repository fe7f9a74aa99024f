"""Deadlines in natural Swedish, end to end: signed `/uppdrag … senast …` requests on the fake clock."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from bot.models import Uppdrag
from tests.support.english import swedish_left
from tests.support.signing import ephemeral_text
from tests.support.world import KD, KSO, World

KD_DM = "D" + KD[1:]


def give(world: World, text: str) -> str:
    return ephemeral_text(world.command("/uppdrag", text, user=KSO))


def deadlines(world: World) -> list[date | None]:
    with world.sessions() as s:
        return list(s.scalars(select(Uppdrag.deadline).order_by(Uppdrag.nr)).all())


def test_day_month_and_week_are_understood_and_shown_as_weekday_and_date(paired: World) -> None:
    # Monday 23 November 2026.
    answer = give(paired, "Remissvar om översiktsplanen senast 18 december")
    assert "Uppdrag #1" in answer and "Senast fredag 18 dec. (2026-12-18)." in answer
    week = give(paired, "Budgetunderlag senast vecka 51")
    assert "Senast fredag 18 dec. (2026-12-18)." in week
    # Week 52 ends with julafton and juldagen; the pair has also taken 23 December off.
    assert "ledig dag" in ephemeral_text(paired.command("/samspel", "ledig 2026-12-23 julledig", user=KD))
    christmas = give(paired, "Julhälsning till personalen senast v. 52")
    assert "Senast tisdag 22 dec. (2026-12-22)." in christmas and "ledig dag" not in christmas
    give(paired, "Lokalöversyn senast om två veckor")
    give(paired, "Månadsrapport senast i slutet av månaden")
    assert deadlines(paired) == [date(2026, 12, 18), date(2026, 12, 18), date(2026, 12, 22), date(2026, 12, 7), date(2026, 11, 30)]
    paired.deliver()
    notes = [m["text"] or "" for m in paired.slack.posted_to(KD_DM)]
    assert any("Remissvar om översiktsplanen" in n and "Senast fredag 18 dec. (2026-12-18)" in n for n in notes)


def test_a_date_without_year_after_it_has_passed_is_next_year(paired: World) -> None:
    paired.at("2026-12-21 10:00")
    answer = give(paired, "Årsplanering senast 18 december")
    assert "Senast lördag 18 dec. (2027-12-18)." in answer
    assert "lördag 18 dec. är en ledig dag (helg)" in answer  # the KSO is told before the KD is


def test_refusals_say_slutdatum_and_show_the_new_forms(paired: World) -> None:
    unreadable = give(paired, "Luddigt senast snart")
    assert unreadable.startswith("Förstår inte slutdatumet 'snart'. Skriv t.ex. `senast fredag`")
    assert "`18 december`" in unreadable and "`vecka 51`" in unreadable and "`om två veckor`" in unreadable
    past = give(paired, "Gammalt senast 18/12 2025")
    assert past == "Slutdatumet torsdag 18 dec. (2025-12-18) har redan varit: välj idag eller ett senare datum."
    no_week = give(paired, "Omöjligt senast vecka 53 2027")
    assert no_week.startswith("År 2027 har ingen vecka 53.")
    wrong_day = give(paired, "Fel dag senast torsdag 18 december")
    assert wrong_day == "Fredag 18 dec. (2026-12-18) är ingen torsdag: kontrollera datumet eller veckodagen."
    assert all("deadline" not in text.lower() for text in (unreadable, past, no_week, wrong_day))
    assert deadlines(paired) == []


@pytest.mark.usefixtures("english")
def test_the_new_forms_and_refusals_in_english(paired: World) -> None:
    task = "Prepare the budget"
    week = give(paired, f"{task} senast vecka 51")
    assert "\nDue Friday 18 Dec (2026-12-18).\n" in week
    no_week = give(paired, f"{task} senast vecka 53 2027")
    assert no_week.startswith("2027 has no week 53. Write e.g. `senast fredag` (by Friday)")
    wrong_day = give(paired, f"{task} senast torsdag 18 december")
    assert wrong_day == "Friday 18 Dec (2026-12-18) is not a Thursday: check the date or the weekday."
    too_far = give(paired, f"{task} senast om 5000 dagar")
    assert too_far == "The deadline 'om 5000 dagar' is more than ten years away: check the year."
    for text in (week, no_week, wrong_day, too_far):
        assert swedish_left(text, task) == [], text
    assert deadlines(paired) == [date(2026, 12, 18)]
