"""Each person in their own language: an English-speaking KD in a Swedish kommun, through signed requests.

What only the KD receives (DMs, ephemeral answers, the Home tab) is in English, from Slack's
locale; what the KSO receives, and what both see (the pair channel, the agenda), stays Swedish.
"""

from __future__ import annotations

import pytest

from jobs.agenda import agenda_tick
from tests.support.english import swedish_left
from tests.support.language import answer, channel_posts, dms_to, ephemerals_to, home_of
from tests.support.world import KD, KSO, World, accept_invitation, invitation


@pytest.fixture
def english_kd(world: World) -> World:
    """KSO Anna (no locale: the Swedish default) and KD Bo, whose Slack is in English, coupled."""
    world.slack.locales[KD] = "en-US"
    world.command("/samspel", f"koppla <@{KSO}|anna> <@{KD}|bo>", user=KSO)
    invite = invitation(world, KD)
    assert invite is not None
    # The consent question is the first thing Bo gets, before he ever used Samspel: in his language.
    question = invite["message"]["text"]
    assert question.startswith(f"<@{KSO}> wants to connect"), question
    accept_invitation(world, KD)
    return world


def test_the_kd_gets_english_dms_the_kso_and_the_channel_swedish(english_kd: World) -> None:
    w = english_kd
    assert channel_posts(w)[0].startswith(":handshake: Samspel är kopplat."), channel_posts(w)
    assert dms_to(w, KSO)[0].startswith(f"<@{KD}> godkände ert par.")

    w.at("2026-11-24 10:00")
    given = answer(w, "/uppdrag", "Ta fram underlag om skolskjutsar senast fredag", user=KSO)
    assert "Uppdrag #1" in given  # the KSO's answer, in Swedish
    w.deliver()
    [notice] = [dm for dm in dms_to(w, KD) if "skolskjutsar" in dm]
    assert swedish_left(notice, "Ta fram underlag om skolskjutsar") == [], notice

    # A message written Friday evening is held to Monday 08:00 and reaches Bo in English.
    w.at("2026-11-27 17:00")
    held = answer(w, "/meddela", "Kan vi ta budgeten på måndag?", user=KSO)
    assert "Hålls enligt respektregeln till måndag 30 nov. kl. 08:00" in held
    w.at("2026-11-30 08:00")
    w.deliver()
    message = dms_to(w, KD)[-1]
    assert message.startswith(f"✉️ Message from <@{KSO}>, written Friday 27 Nov at 17:00"), message

    # The Monday agenda is the pair's: in the KSO's language.
    w.tick(agenda_tick, "2026-11-30 08:00")
    assert any(post.startswith("Agenda för KSO och KD måndag 30 nov. (vecka 49)") for post in channel_posts(w))


def test_the_kd_gets_english_answers_and_home_the_kso_swedish(english_kd: World) -> None:
    w = english_kd
    w.command("/uppdrag", "Boka lokal senast fredag", user=KSO)
    listed = answer(w, "/uppdrag", "lista", user=KD)
    assert swedish_left(listed, "Boka lokal") == [], listed
    assert "fredag" in answer(w, "/uppdrag", "lista", user=KSO)

    refused = answer(w, "/uppdrag", "klart 99", user=KD)
    assert swedish_left(refused) == [], refused

    kd_home = home_of(w, KD)
    assert swedish_left(kd_home, "Boka lokal") == [], kd_home
    kso_home = home_of(w, KSO)
    assert swedish_left(kso_home, "Boka lokal") != []


def test_a_button_answer_reaches_the_clicker_in_their_language(english_kd: World) -> None:
    w = english_kd
    w.driver.action("pair_accept", "999", user=KD, channel="D" + KD.lstrip("U"))
    w.deliver()
    assert ephemerals_to(w, KD)[-1] == "The proposal is not addressed to you."


def test_a_ks_date_on_a_day_off_is_refused_with_the_reason_in_each_reader_s_language(english_kd: World) -> None:
    """The day-off reason is a code until the refusal is read: juldagen to the KSO, Christmas Day to the KD."""
    w = english_kd
    assert "2026-12-25 är ingen arbetsdag (juldagen)" in answer(w, "/samspel", "ks 2026-12-25", user=KSO)
    assert "2026-12-12 är ingen arbetsdag (helg)" in answer(w, "/samspel", "ks 2026-12-12", user=KSO)
    christmas = answer(w, "/samspel", "ks 2026-12-25", user=KD)
    assert "2026-12-25 is not a working day (Christmas Day)" in christmas
    saturday = answer(w, "/arende", "Detaljplan Norra hamnen ks 2026-12-12", user=KD)
    assert "2026-12-12 is not a working day (weekend)" in saturday
    assert swedish_left(christmas) == [] and swedish_left(saturday, "Detaljplan Norra hamnen") == []
