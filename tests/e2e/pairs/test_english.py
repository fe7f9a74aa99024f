"""SAMSPEL_LANGUAGE=en: /samspel, help and refusals speak English."""

from __future__ import annotations

import json

import pytest

from tests.support.english import swedish_left
from tests.support.pairs import DM_KD, dm_texts, open_home, second_pair
from tests.support.signing import ephemeral_text
from tests.support.text import LONG
from tests.support.world import CHANNEL, CHANNEL2, KD, KSO, KSO2, OUTSIDER, World, accept_invitation, couple, invitation


@pytest.mark.usefixtures("english")
def test_connect_status_and_settings_in_english(world: World) -> None:
    proposed = ephemeral_text(world.command("/samspel", f"koppla <@{KSO}|anna> <@{KD}|bo>"))
    assert proposed.startswith("The proposal has been sent") and swedish_left(proposed) == []
    invite = invitation(world, KD)
    assert invite is not None and swedish_left(invite["message"]["text"]) == []
    accept_invitation(world, KD)
    [done] = list(world.slack.posted_to(CHANNEL))
    assert "is now your pair's channel" in done["text"] and swedish_left(done["text"]) == []
    status = ephemeral_text(world.command("/samspel", "status", user=KD))
    assert f"• Working hours KD <@{KD}>: Mon–Fri 08:00–17:00 (Europe/Stockholm)" in status
    assert "• Working time in common (the Monday meeting and the channel): Mon–Fri 08:00–17:00" in status
    assert swedish_left(status) == []
    hours = ephemeral_text(world.command("/samspel", "arbetstid 07:30-16:00"))
    assert hours.startswith("Your working hours are now Mon–Fri 07:30–16:00 (Europe/Stockholm).")
    assert swedish_left(hours) == []
    early = ephemeral_text(world.command("/samspel", "agendatid 07:00"))
    assert "outside your working time in common" in early and swedish_left(early) == []
    before = ephemeral_text(world.command("/samspel", "agendatid fredag 15:00"))
    assert "working day before the meeting" in before and swedish_left(before) == []
    off = ephemeral_text(world.command("/samspel", "ledig 2027-07-05..2027-07-30 semester", user=KD))
    assert "2027-07-05–2027-07-30 (26 days) now count as days off for you" in off and swedish_left(off) == []
    talk = ephemeral_text(world.command("/samspel", "utvecklingssamtal 2027-12-24"))
    assert "Friday 24 Dec 2027" in talk and "Christmas Eve" in talk and swedish_left(talk) == []


@pytest.mark.usefixtures("english")
def test_refusals_and_help_in_english(world: World) -> None:
    couple(world)
    refusal = ephemeral_text(world.command("/samspel", "status", user=OUTSIDER))
    assert refusal == "Only the pair's KSO and KD can use this."
    bad = ephemeral_text(world.command("/samspel", "arbetstid 17:00-08:00"))
    assert bad == "Working hours must start before they end, e.g. `08:00-17:00`."
    help_text = ephemeral_text(world.command("/samspel", "help", user=OUTSIDER))
    assert "Example:" in help_text and "Exempel" not in help_text
    assert "The Monday agenda" in help_text


def test_swedish_stays_the_default(world: World) -> None:
    assert ephemeral_text(world.command("/samspel", "status", user=OUTSIDER)).startswith("Den här kanalen")


def test_english_two_pairs_custom_hours_and_escaped_text(english: None, paired: World) -> None:
    second_pair(paired)
    answer = ephemeral_text(paired.command("/samspel", "arbetstid 07:00-15:30 mån-tor", user=KSO2, channel=CHANNEL2))
    assert "Mon–Thu 07:00–15:30" in answer and not swedish_left(answer)
    dm = ephemeral_text(paired.command("/uppdrag", "lista", user=KD, channel=DM_KD))
    assert "pair" in dm and not swedish_left(dm)
    paired.at("2026-11-26 16:00")
    held = ephemeral_text(paired.command("/meddela", "Vård &amp; omsorg", user=KD, channel=CHANNEL2))
    assert "Monday 30 Nov at 07:00" in held and not swedish_left(held, "Vård &amp; omsorg")
    paired.command("/uppdrag", "Skola &amp; vård <!subteam^S1|@grupp> senast fredag", user=KSO)
    paired.deliver()
    [note] = [t for t in dm_texts(paired, KD) if "Skola" in t]
    assert "Skola &amp; vård @grupp" in note and "&amp;amp;" not in note
    assert not swedish_left(note, "Skola &amp; vård @grupp")
    too_long = ephemeral_text(paired.command("/uppdrag", LONG + "y", user=KSO))
    assert "3001" in too_long and not swedish_left(too_long)
    blocks = open_home(paired, KD)
    home = json.dumps(blocks, ensure_ascii=False)
    assert "Vård &amp; omsorg" in home and "Skola &amp; vård @grupp" in home
    assert not swedish_left(home, "Vård &amp; omsorg", "Skola &amp; vård @grupp")
