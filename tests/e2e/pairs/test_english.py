"""SAMSPEL_LANGUAGE=en: /samspel, help and refusals speak English."""

from __future__ import annotations

import pytest

from tests.support.english import swedish_left
from tests.support.signing import ephemeral_text
from tests.support.world import CHANNEL, KD, KSO, OUTSIDER, World, accept_invitation, couple, invitation


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
