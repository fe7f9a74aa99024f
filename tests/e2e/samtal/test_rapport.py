"""The year in figures from data the other features really write: signed /uppdrag, /arende with decision
clicks, /meddela (held, akut, escalated, cancelled) and /agenda points, then the material post and the CLI."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from sqlalchemy import select

from bot import cli
from bot.models import AgendaPoint, Arende, Meddelande
from jobs.samtal import remind
from tests.support.modals import close_incident, escalate
from tests.support.signing import ephemeral_text
from tests.support.world import CHANNEL, KD, KSO, World

KSO_DM = "D" + KSO[1:]


def say(world: World, when: str, command: str, text: str, user: str) -> dict[str, Any]:
    world.at(when)
    resp = world.command(command, text, user=user)
    assert resp.status == 200, resp.body
    world.deliver()
    return json.loads(resp.body) if resp.body else {}


def button(answer: dict[str, Any], action_id: str) -> str:
    for block in answer.get("blocks") or []:
        for element in block.get("elements") or []:
            if element.get("action_id") == action_id:
                return str(element["value"])
    raise AssertionError(f"no {action_id} button in {answer}")


def case_id(world: World, titel: str) -> int:
    with world.sessions() as s:
        return s.scalars(select(Arende.id).where(Arende.titel == titel)).one()


def point_id(world: World, text: str) -> int:
    with world.sessions() as s:
        return s.scalars(select(AgendaPoint.id).where(AgendaPoint.text == text)).one()


def click(world: World, when: str, action_id: str, value: str, user: str) -> None:
    world.at(when)
    resp = world.driver.action(action_id, value, user=user, channel=CHANNEL)
    assert resp.status == 200
    world.deliver()


def ater(world: World, when: str, titel: str, comment: str) -> None:
    click(world, when, "arende_ater", str(case_id(world, titel)), KSO)
    view = world.slack.of("views.open")[-1]["view"]
    resp = world.driver.submit(
        "arende_ater",
        {"kommentar": {"kommentar": {"type": "plain_text_input", "value": comment}}},
        user=KSO,
        private_metadata=view["private_metadata"],
    )
    assert resp.status == 200 and not resp.body
    world.deliver()


def a_real_year(w: World) -> None:
    """The pair's year, 2026-11-23 to 2028-01-06, through the commands and buttons they would use.

    The talk is set to Thursday 20 Jan 2028, so the material is due on trettondedag jul (6 Jan,
    a holiday) and covers 2027-01-07 – 2028-01-06: the first weeks below fall before the period.
    """
    assert "2028-01-20" in ephemeral_text(w.command("/samspel", "utvecklingssamtal 2028-01-20"))

    # Before the period: none of this may count (except what is still open past its deadline).
    say(w, "2026-11-24 10:00", "/uppdrag", "Gammalt uppdrag senast 2026-12-04", KSO)
    say(w, "2026-12-07 09:00", "/uppdrag", "klart 1", KD)
    say(w, "2026-11-25 10:00", "/arende", "Gammalt ärende", KD)
    click(w, "2026-11-30 10:00", "arende_till_ks", str(case_id(w, "Gammalt ärende")), KSO)
    say(w, "2026-11-28 10:00", "/meddela", "akut Gammal helgbrand", KSO)
    say(w, "2026-12-01 10:00", "/agenda", "+ incident Gammal incident", KSO)
    w.at("2027-01-04 10:00")
    close_incident(w, str(point_id(w, "Gammal incident")), user=KD)
    say(w, "2026-12-01 10:00", "/uppdrag", "Bibliotek senast 2026-12-20", KSO)  # #2: never done, overdue

    # Uppdrag in the period.
    say(w, "2027-01-11 10:00", "/uppdrag", "Skolskjutsar senast 2027-01-29", KSO)  # #3
    say(w, "2027-02-01 08:30", "/uppdrag", "klart 3", KD)  # done late
    say(w, "2027-02-01 08:31", "/uppdrag", "klart 3", KSO)  # a second klart changes nothing
    say(w, "2027-03-01 10:00", "/uppdrag", "Budget senast 2027-03-12", KSO)  # #4
    say(w, "2027-03-12 16:55", "/uppdrag", "klart 4", KD)  # on the deadline day: on time
    say(w, "2027-04-06 10:00", "/uppdrag", "Vindkraft", KSO)  # #5, no deadline: open, never overdue
    say(w, "2027-05-03 10:00", "/uppdrag", "Simhall senast 2027-06-01", KSO)  # #6: open, overdue
    say(w, "2027-12-20 10:00", "/uppdrag", "Tillväxtplan senast 2028-01-06", KSO)  # #7: due today, not overdue
    say(w, "2027-09-06 10:00", "/uppdrag", "Som KD kan jag inte ge uppdrag", KD)  # refused: not counted

    # Ärenden in the period: decided after 1, 0 and 7 days (median 1); one waits.
    say(w, "2027-01-11 10:00", "/arende", "Taxor och avgifter", KD)
    ater(w, "2027-01-12 09:00", "Taxor och avgifter", "Konsekvensanalys saknas")
    say(w, "2027-03-01 10:00", "/arende", "Översiktsplan", KD)
    click(w, "2027-03-01 15:00", "arende_till_ks", str(case_id(w, "Översiktsplan")), KSO)
    click(w, "2027-03-01 15:00", "arende_till_ks", str(case_id(w, "Översiktsplan")), KSO)  # double click
    say(w, "2027-05-03 10:00", "/arende", "Detaljplan Norra hamnen", KD)
    click(w, "2027-05-10 10:00", "arende_till_ks", str(case_id(w, "Detaljplan Norra hamnen")), KSO)
    say(w, "2027-10-04 10:00", "/arende", "Skolstruktur", KD)
    say(w, "2027-10-04 10:05", "/arende", "KSO kan inte lämna över", KSO)  # refused

    # Meddelanden in the period.
    say(w, "2027-01-12 10:00", "/meddela", "Hinner vi budgeten?", KSO)  # sent at once
    say(w, "2027-01-15 18:00", "/meddela", "Läs underlaget på måndag", KD)  # Friday evening: held
    say(w, "2027-01-16 10:00", "/meddela", "akut Brand på skolan <!channel>", KD)  # Saturday: akut, helg
    say(w, "2027-02-02 20:00", "/meddela", "akut Pressen ringer om bygglovet", KSO)  # Tuesday evening: kväll
    say(w, "2027-02-03 11:00", "/meddela", "akut Inom arbetstid ändå", KSO)  # akut, arbetstid
    held = say(w, "2027-06-18 17:30", "/meddela", "Stormen har fällt träd", KD)  # Friday evening: held
    w.at("2027-06-19 09:30")
    escalate(w, button(held, "meddela_akut"), "Stormen har fällt träd", user=KD)  # escalated Saturday: helg
    w.deliver()
    say(w, "2027-06-25 11:00", "/meddela", "akut Midsommarfirandet ställs in", KSO)  # midsommarafton: helg
    gone = say(w, "2027-07-03 12:00", "/meddela", "Glöm det här", KSO)  # Saturday: held, then withdrawn
    click(w, "2027-07-03 12:05", "meddela_angra", button(gone, "meddela_angra"), KSO)

    # Agenda points: one closed after three weeks, one after one week, one still open.
    say(w, "2027-01-11 10:00", "/agenda", "+ olöst Lokalförsörjning", KSO)
    click(w, "2027-02-01 10:00", "agenda_stang", str(point_id(w, "Lokalförsörjning")), KD)
    say(w, "2027-03-01 10:00", "/agenda", "+ info Kort punkt", KD)
    click(w, "2027-03-08 10:00", "agenda_stang", str(point_id(w, "Kort punkt")), KSO)
    say(w, "2027-11-01 10:00", "/agenda", "+ kommande Vindkraft <@UOUT0001>", KSO)


EXPECTED = {
    ("Uppdrag", "Givna"): "5",
    ("Uppdrag", "Klara"): "2",
    ("Uppdrag", "Klara efter slutdatum"): "1",
    ("Uppdrag", "Öppna efter slutdatum (i dag)"): "2",
    ("Ärenden", "Överlämnade"): "4",
    ("Ärenden", "Till KS"): "2",
    ("Ärenden", "Åter för beredning"): "1",
    ("Ärenden", "Väntar på beslut"): "1",
    ("Ärenden", "Median dagar till beslut"): "1",
    ("Meddelanden", "Skickade via Samspel"): "7",
    ("Meddelanden", "Hållna enligt respektregeln"): "2",
    # The akut counts with their share of the messages sent (7).
    ("Meddelanden", "Akuta"): "5 (71 %)",
    ("Meddelanden", "Akuta på helg/helgdag"): "3 (43 %)",
    ("Meddelanden", "Akuta på vardagskväll"): "1 (14 %)",
    ("Agenda", "Punkter som legat kvar 3 veckor eller mer"): "2",
}


def test_material_and_cli_show_the_figures_of_a_real_year(paired: World, monkeypatch: pytest.MonkeyPatch) -> None:
    a_real_year(paired)
    with paired.sessions() as s:  # the cancelled message exists, but is not sent
        assert len(s.scalars(select(Meddelande)).all()) == 9

    paired.at("2028-01-06 08:00")  # trettondedag jul: the material waits for the next working morning
    remind(paired.bot.deps)
    paired.deliver()
    assert [p for p in paired.slack.posted_to(CHANNEL) if "Underlag" in p["text"]] == []
    paired.at("2028-01-07 08:00")
    remind(paired.bot.deps)
    paired.deliver()
    (post,) = [p for p in paired.slack.posted_to(CHANNEL) if "Underlag" in p["text"]]
    body = "\n".join(b["text"]["text"] for b in post["blocks"] if b["type"] == "section")
    assert "*Året i siffror* (2027-01-07 – 2028-01-06)" in body
    for (area, measure), value in EXPECTED.items():
        assert f"• {measure}: {value}" in body, (area, measure)
    assert "• 2027-01-16 (helg/helgdag, från KD): Brand på skolan @channel" in body
    assert "• 2027-02-02 (vardagskväll, från KSO): Pressen ringer om bygglovet" in body
    assert "• 2027-06-19 (helg/helgdag, från KD): Stormen har fällt träd" in body  # the day it went akut
    assert "• 2027-06-25 (helg/helgdag, från KSO): Midsommarfirandet ställs in" in body
    assert "Inom arbetstid ändå" not in body and "Gammal" not in body
    assert "Vindkraft @UOUT0001 (lagd 2027-11-01, 9 veckor, fortfarande öppen)" in body
    assert "Lokalförsörjning (lagd 2027-01-11, 3 veckor, stängd)" in body
    assert "<!channel>" not in body and "<@UOUT0001>" not in body

    # The CLI shows the same figures for the same moment (the CLI reads the system clock).
    monkeypatch.setattr("bot.cli.SystemClock", lambda: paired.clock)
    monkeypatch.setenv("DATABASE_URL", paired.bot.deps.sessions.kw["bind"].url.render_as_string(hide_password=False))
    paired.at("2028-01-06 08:00")
    out = io.StringIO()
    assert cli.main(["rapport", "--pair", "1", "--format", "csv"], out=out, err=io.StringIO()) == 0
    table = {(r[0], r[1]): r[2] for r in csv.reader(io.StringIO(out.getvalue()))}
    assert {k: table[k] for k in EXPECTED} == EXPECTED
    assert table[("Akut skäl", "2027-01-16 helg/helgdag från KD")] == "Brand på skolan <!channel>"
    out = io.StringIO()
    assert cli.main(["rapport", "--pair", "1"], out=out, err=io.StringIO()) == 0
    lines = out.getvalue().splitlines()
    assert lines[0] == "# Året i siffror (2027-01-07 – 2028-01-06)"
    assert "## Så räknas siffrorna" in lines  # a reader of the file sees what each figure means
    assert all(f"- {measure}: {value}" in lines for (_, measure), value in EXPECTED.items())
