"""The rådsmöte post: only cases sent to KS and `kommande` points, once per week, in its own channel."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from bot.models import JobRun, Meddelande, UppdragFraga
from jobs.agenda import agenda_tick, radsmote_tick
from tests.support.agenda_data import add_arende, add_fraga, add_point, add_uppdrag, the_pair
from tests.support.slack_mock import SlackServer
from tests.support.world import CHANNEL, KD, KSO, World, make_bot

RAD = "CRAD0001"


def tick(world: World, when: str) -> list[str]:
    return world.tick(radsmote_tick, when)


def fill(world: World) -> None:
    with world.sessions() as s:
        pair = the_pair(s)
        add_arende(
            s,
            pair,
            1,
            "Detaljplan Norra hamnen",
            "2026-11-26 10:00",
            status="till_ks",
            decided="2026-11-30 10:15",
            ks="2026-12-08",
            link="https://diarium.example/KS-2026-123",
        )
        add_arende(s, pair, 2, "Taxor för <!channel> & avgifter", "2026-11-25 10:00", status="till_ks", decided="2026-11-27 15:00")
        add_arende(s, pair, 3, "Gick till KS förra veckan", "2026-11-16 10:00", status="till_ks", decided="2026-11-23 10:30")
        add_arende(s, pair, 4, "Väntar på beslut", "2026-11-27 10:00")
        add_arende(s, pair, 5, "Åter för beredning", "2026-11-26 10:00", status="ater", decided="2026-11-30 10:20")
        u = add_uppdrag(s, pair, 1, "Hemligt uppdrag", "2026-11-10 09:00")
        add_fraga(s, u, "Privat osäkerhet", "2026-11-24 10:00")
        add_point(s, pair, "kommande", "Nationaldagsfirandet 2027", "2026-11-24 10:00")
        add_point(s, pair, "kommande", "Redan avklarad kommande", "2026-11-24 10:00", closed="2026-11-25 10:00")
        for typ in ("prioritering", "info", "incident", "olöst"):
            add_point(s, pair, typ, f"Privat {typ}", "2026-11-24 10:00", by=KSO)


def test_radsmote_shows_only_cases_to_ks_and_kommande_points(paired: World) -> None:
    paired.command("/samspel", f"rådsmöte <#{RAD}|majoritetsledningen>", user=KSO)
    fill(paired)
    # Private messages between the two (respekt) and an oklart question raised through the real commands.
    paired.at("2026-11-28 20:00")
    paired.command("/meddela", "Privat meddelande om budgeten", user=KSO)
    paired.at("2026-11-30 10:30")
    paired.command("/meddela", "Akut privat sak", user=KD)
    paired.command("/uppdrag", "Utred det interna", user=KSO)
    paired.command("/uppdrag", "oklart 2 Privat fråga via kommandot", user=KD)
    paired.deliver()
    with paired.sessions() as s:
        assert s.scalar(select(func.count(Meddelande.id))) == 2
        assert s.scalar(select(func.count(UppdragFraga.id))) == 2
    assert tick(paired, "2026-11-30 12:59") == []
    assert tick(paired, "2026-11-30 13:00") == ["radsmote:1:2026-W49"]
    [message] = paired.slack.posted_to(RAD)
    text = json.dumps(message["blocks"], ensure_ascii=False) + message["text"]
    assert message["blocks"][0]["text"]["text"] == "Rådsmöte måndag 30 nov. kl. 13:00"
    assert "Detaljplan Norra hamnen · KS-möte 2026-12-08 · https://diarium.example/KS-2026-123" in text
    assert "Taxor för @channel &amp; avgifter" in text and "<!channel>" not in text
    assert "Nationaldagsfirandet 2027" in text
    for hidden in (
        "Gick till KS förra veckan",
        "Väntar på beslut",
        "Åter för beredning",
        "Hemligt uppdrag",
        "Privat osäkerhet",
        "Redan avklarad",
        "Privat prioritering",
        "Privat info",
        "Privat incident",
        "Privat olöst",
        "Privat meddelande",
        "Akut privat",
        "Privat fråga",
        "Utred det interna",
        KSO,
        KD,
    ):
        assert hidden not in text, hidden
    # No buttons: the majority leadership does not decide cases or close points.
    assert all(b["type"] in ("header", "section") for b in message["blocks"])
    # Nothing reached the pair's own channel from the rådsmöte job.
    assert all(m["text"] != message["text"] for m in paired.slack.posted_to(CHANNEL))


def test_radsmote_posts_once_and_is_idempotent_like_the_agenda(paired: World, slack: SlackServer) -> None:
    paired.command("/samspel", f"rådsmöte <#{RAD}> 13:30", user=KD)
    tick(paired, "2026-11-30 13:30")
    tick(paired, "2026-11-30 13:31")
    restarted = make_bot(slack, paired.bot.engine, paired.clock)
    assert radsmote_tick(restarted.deps) == []
    paired.deliver()
    [message] = paired.slack.posted_to(RAD)
    assert "Inga ärenden har gått till KS sedan förra rådsmötet." in json.dumps(message["blocks"], ensure_ascii=False)
    assert "Inga kommande frågor är anmälda." in json.dumps(message["blocks"], ensure_ascii=False)
    with paired.sessions() as s:
        assert s.scalar(select(func.count(JobRun.id)).where(JobRun.key.like("radsmote:%"))) == 1


def test_no_radsmote_channel_no_post(paired: World) -> None:
    fill(paired)
    assert tick(paired, "2026-11-30 13:00") == []
    agenda_tick(paired.bot.deps)
    paired.deliver()
    assert [c["channel"] for c in paired.slack.posts] == [CHANNEL]
    # Turning it off again stops it.
    paired.command("/samspel", f"rådsmöte <#{RAD}>", user=KSO)
    paired.command("/samspel", "rådsmöte av", user=KSO)
    assert tick(paired, "2026-12-07 13:00") == []


def test_radsmote_follows_the_meeting_day_at_easter(paired: World) -> None:
    paired.command("/samspel", f"rådsmöte <#{RAD}>", user=KSO)
    with paired.sessions() as s:
        pair = the_pair(s)
        add_arende(s, pair, 1, "Årsredovisning 2026", "2027-03-25 10:00", status="till_ks", decided="2027-03-30 10:00")
    assert tick(paired, "2027-03-29 13:00") == []
    assert tick(paired, "2027-03-30 13:00") == ["radsmote:1:2027-W13"]
    [message] = paired.slack.posted_to(RAD)
    assert message["blocks"][0]["text"]["text"] == "Rådsmöte tisdag 30 mars kl. 13:00"
    assert "Årsredovisning 2026" in json.dumps(message["blocks"], ensure_ascii=False)


def test_radsmote_skipped_when_the_bot_was_down_all_day(paired: World) -> None:
    paired.command("/samspel", f"rådsmöte <#{RAD}>", user=KSO)
    assert tick(paired, "2026-11-30 17:45") == []
    assert tick(paired, "2026-12-01 13:00") == []
    assert paired.slack.posted_to(RAD) == []
    with paired.sessions() as s:
        run = s.scalars(select(JobRun).where(JobRun.key == "radsmote:1:2026-W49")).one()
        assert run.note.startswith("överhoppad")
