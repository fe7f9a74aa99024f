"""The talk material: the workshop's four questions and five success factors as prompts, next to the figures,
and the year's incidents with how they were cleared up (issue 14, item 8); numbers in a series as digits (item 9).
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from bot.i18n import translator
from bot.models import AgendaPoint
from bot.presenters import rapport as rapport_words
from bot.presenters.samtal import SUCCESS_FACTORS, WORKSHOP_QUESTIONS
from bot.services.rapport import CarriedPoint, YearFigures
from jobs.samtal import remind
from tests.support.modals import close_incident
from tests.support.world import CHANNEL, KD, KSO, World

# Counts written out (not "en"/"ett"/"one", which are also articles).
NUMBER_WORDS = re.compile(
    r"\b(två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv|"
    r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b",
    re.IGNORECASE,
)


def _material(world: World) -> str:
    world.at("2027-01-07 08:00")  # two weeks before a talk on Thursday 21 Jan 2027
    remind(world.bot.deps)
    world.deliver()
    [post] = [p for p in world.slack.posted_to(CHANNEL) if p["text"].startswith(("Underlag", "Material"))]
    return "\n".join(b["text"]["text"] for b in post["blocks"] if b["type"] == "section")


def _with_incidents(world: World) -> None:
    world.at("2026-12-01 10:00")
    world.command("/samspel", "utvecklingssamtal 2027-01-21", user=KSO)
    world.command("/agenda", "+ incident Larmet gick i stadshuset", user=KD)
    world.command("/agenda", "+ incident Vattenläcka i simhallen <!channel>", user=KSO)
    with world.sessions() as s:
        first = s.scalars(select(AgendaPoint.id).where(AgendaPoint.text == "Larmet gick i stadshuset")).one()
    world.at("2026-12-07 09:30")
    close_incident(world, str(first), owner="kd", note="Ny rutin för nattlarmet", user=KSO)
    world.deliver()


def test_material_has_the_prompts_next_to_the_figures(paired: World) -> None:
    _with_incidents(paired)
    body = _material(paired)
    assert "*Året i siffror*" in body
    assert "*Att samtala om*" in body
    assert (
        "För att uppnå det gemensamma uppdraget och för att öka genomslag och resultat av politiken är det bra att komma överens om:"
    ) in body
    for n, question in enumerate(WORKSHOP_QUESTIONS, start=1):
        assert f"{n}. {question}" in body
    assert "1. Vilka mål/löften är viktigast att fokusera på?" in body
    assert "4. Hur ska vi styra och leda tillsammans?" in body
    assert "*Framgångsfaktorer:* hur väl lever vi upp till dem?" in body
    for n, factor in enumerate(SUCCESS_FACTORS, start=1):
        assert f"{n}. {factor}" in body
    assert "5. En kultur för medskapande och förnyelse" in body
    # The prompts come after the figures, before the spelregler.
    assert body.index("*Året i siffror*") < body.index("*Att samtala om*")


def test_material_lists_the_years_incidents_and_how_they_were_cleared_up(paired: World) -> None:
    _with_incidents(paired)
    body = _material(paired)
    assert "*Årets incidenter och hur de klarades ut*" in body
    assert ("• 2026-12-01: Larmet gick i stadshuset · klarades ut 2026-12-07: Ny rutin för nattlarmet (uppföljning: KD)") in body
    assert "• 2026-12-01: Vattenläcka i simhallen @channel · fortfarande öppen" in body
    assert "<!channel>" not in body


@pytest.mark.usefixtures("english")
def test_material_prompts_in_english(paired: World) -> None:
    _with_incidents(paired)
    body = _material(paired)
    assert "1. Which goals and promises matter most to focus on?" in body
    assert "5. A culture of co-creation and renewal" in body
    assert "*This year's incidents and how they were cleared up*" in body
    assert "(follow-up: KD)" in body


def test_the_year_in_figures_writes_every_number_of_its_series_as_digits() -> None:
    figures = YearFigures(
        pair_id=1,
        first_day=date(2026, 1, 8),
        last_day=date(2027, 1, 7),
        uppdrag_given=3,
        uppdrag_done=2,
        uppdrag_done_late=1,
        uppdrag_open_overdue=0,
        arenden_handed_over=12,
        arenden_decided=11,
        arenden_to_ks=9,
        arenden_back=2,
        arenden_waiting=1,
        median_days_to_decision=4.5,
        messages_sent=20,
        messages_held=6,
        messages_akut=2,
        akut_weekend=1,
        akut_evening=1,
        carried_points=[CarriedPoint(created=date(2026, 3, 2), weeks=4, text="Lokalfrågan", still_open=False)],
    )
    for language in ("sv", "en"):
        t = translator(language)
        text = rapport_words.markdown(figures, t)
        series = [line for line in text.split("\n") if line.startswith(("- ", "### ", "## "))]
        assert [line for line in series if NUMBER_WORDS.search(line.replace("Lokalfrågan", ""))] == [], language
    sv = rapport_words.markdown(figures, translator("sv"))
    assert "- Punkter som legat kvar 3 veckor eller mer: 1" in sv
    assert "- Perioden är de senaste 12 månaderna till och med i dag, i parets tidszon." in sv
    assert "Lokalfrågan (lagd 2026-03-02, 4 veckor, stängd)" in sv
