"""`/samspel språk sv|en|auto`: one's own language, over Slack's locale; SAMSPEL_LANGUAGE only the default."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from bot.models import OutboxMessage
from tests.support.english import swedish_left
from tests.support.language import answer, channel_posts, dms_to, home_of
from tests.support.world import KD, KSO, World

NOT_PAIRED_SV, NOT_PAIRED_EN = "Den här kanalen är inte kopplad till något par.", "This channel is not connected to a pair."


def test_the_kso_switches_to_english_for_answers_dms_and_home(paired: World) -> None:
    w = paired
    assert answer(w, "/samspel", "språk en", user=KSO) == (
        "Samspel now writes to you in English. What you both see (the pair channel, the agenda) is in the pair's "
        "language: the KSO's, unless you choose one with `/samspel språk par sv|en`. `/samspel språk auto` follows Slack again."
    )
    # The Home tab is rendered again, now in English.
    w.deliver()
    views = [c["view"] for c in w.slack.of("views.publish") if c["user_id"] == KSO]
    assert views and swedish_left(json.dumps(views[-1]["blocks"], ensure_ascii=False)) == []

    assert answer(w, "/meddela", "lista", user=KSO) == "You have no messages on hold right now.\n" + json.dumps(
        {"type": "section", "text": {"type": "mrkdwn", "text": "You have no messages held under the respect rule right now."}}
    )
    assert answer(w, "/meddela", "lista", user=KD).startswith("Du har inga meddelanden som hålls just nu.")

    w.at("2026-11-24 10:00")
    answer(w, "/meddela", "Budgeten är klar", user=KD)
    w.deliver()
    assert dms_to(w, KSO)[-1].startswith(f"✉️ Message from <@{KD}>"), dms_to(w, KSO)[-1]
    # The pair's language is the KSO's: the channel follows.
    answer(w, "/uppdrag", "Boka lokal", user=KSO)
    assert swedish_left(home_of(w, KSO), "Boka lokal") == []
    assert swedish_left(home_of(w, KD), "Boka lokal") != []

    assert answer(w, "/samspel", "språk sv", user=KSO).startswith("Samspel skriver nu till dig på svenska.")
    assert answer(w, "/meddela", "lista", user=KSO).startswith("Du har inga meddelanden som hålls just nu.")


def test_the_pair_channel_is_in_the_kso_s_language(paired: World) -> None:
    answer(paired, "/samspel", "språk en", user=KSO)
    paired.command("/spelregler", "genomfört", user=KSO)
    paired.deliver()
    posts = channel_posts(paired)
    assert posts and swedish_left(posts[-1]) == [], posts[-1]


def test_auto_follows_slack_again(world: World) -> None:
    world.slack.locales[KD] = "en-US"
    assert answer(world, "/samspel", "språk sv", user=KD).startswith("Samspel skriver nu till dig på svenska.")
    assert answer(world, "/meddela", "lista", user=KD).startswith(NOT_PAIRED_SV)
    assert answer(world, "/samspel", "språk auto", user=KD).startswith(
        "Samspel now follows the language of your Slack and writes to you in English."
    )
    assert answer(world, "/meddela", "lista", user=KD).startswith(NOT_PAIRED_EN)


def test_a_bad_value_gets_the_usage_in_the_person_s_language(world: World) -> None:
    world.slack.locales[KD] = "en-GB"
    assert answer(world, "/samspel", "språk de", user=KD) == (
        "Write `/samspel språk sv`, `/samspel språk en` or `/samspel språk auto` (as your Slack)."
    )
    assert answer(world, "/samspel", "språk", user=KSO) == (
        "Skriv `/samspel språk sv`, `/samspel språk en` eller `/samspel språk auto` (som din Slack)."
    )


@pytest.mark.usefixtures("english")
def test_samspel_language_en_is_only_the_default(world: World) -> None:
    world.slack.locales[KSO] = "sv-SE"
    assert answer(world, "/meddela", "lista", user=KSO).startswith(NOT_PAIRED_SV)
    assert answer(world, "/meddela", "lista", user=KD).startswith(NOT_PAIRED_EN)
    assert answer(world, "/samspel", "språk sv", user=KD).startswith("Samspel skriver nu till dig på svenska.")
    assert answer(world, "/meddela", "lista", user=KD).startswith(NOT_PAIRED_SV)


def test_the_choice_is_stored_and_outlives_the_process_s_memory(world: World) -> None:
    answer(world, "/samspel", "språk en", user=KSO)
    world.bot.deps.languages.forget(KSO)  # type: ignore[union-attr]
    assert answer(world, "/meddela", "lista", user=KSO).startswith(NOT_PAIRED_EN)
    with world.sessions() as s:
        assert s.scalars(select(OutboxMessage.kind).where(OutboxMessage.user == KSO)).all() == ["home"]
