"""Each person in their own language: Slack's locale, their own choice, SAMSPEL_LANGUAGE as the default."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.models import Person
from bot.services import people
from tests.support.world import CHANNEL, KD, KSO, World, local


def _answer(world: World, command: str, text: str, user: str) -> str:
    resp = world.command(command, text, user=user, channel=CHANNEL)
    assert resp.status == 200
    return str(json.loads(resp.body)["text"])


def test_slack_is_asked_for_the_locale_once_per_person(world: World) -> None:
    world.slack.locales[KD] = "en-US"
    for _ in range(3):
        _answer(world, "/uppdrag", "lista", user=KD)
    asked = [c for c in world.slack.calls if c.method == "users.info" and c.params.get("user") == KD]
    assert len(asked) == 1
    with world.sessions() as session:
        row = session.get(Person, KD)
        assert row is not None and row.slack_locale == "en-US"


def test_own_choice_beats_slack_and_auto_follows_slack_again(world: World) -> None:
    now = local("2026-11-23 10:00")
    with world.sessions() as session:
        people.person(session, KD, now, lambda _user: "en-US")
        assert people.language_of(session, KD, "sv") == "en"
        people.set_language(session, KD, "sv", now, "sv")
        assert people.language_of(session, KD, "sv") == "sv"
        result = people.set_language(session, KD, "auto", now, "sv")
        assert result.follows_slack and result.language == "en"


def test_an_unknown_language_is_refused_with_the_usage(world: World) -> None:
    from bot.errors import UserError

    with world.sessions() as session:
        try:
            people.set_language(session, KD, "de", local("2026-11-23 10:00"), "sv")
        except UserError as err:
            assert "/samspel språk sv" in str(err)
        else:
            raise AssertionError("a language Samspel does not speak was accepted")


def test_the_pair_language_is_the_kso_s_unless_set(world: World) -> None:
    now = local("2026-11-23 10:00")
    with world.sessions() as session:
        people.person(session, KSO, now, lambda _user: "en-US")
        people.person(session, KD, now, lambda _user: "sv-SE")
        from bot.models import Pair

        pair = Pair(team_id="T1", channel_id=CHANNEL, kso_user=KSO, kd_user=KD, created_by=KSO, created_at=now)
        assert people.pair_language(session, pair, "sv") == "en"
        pair.language = "sv"
        assert people.pair_language(session, pair, "sv") == "sv"


def test_calendar_tokens_are_long_secret_and_renewable(world: World) -> None:
    now = local("2026-11-23 10:00")
    with world.sessions() as session:
        first = people.calendar_token(session, KSO, now)
        assert people.calendar_token(session, KSO, now) == first
        assert len(first) >= 40
        renewed = people.calendar_token(session, KSO, now + timedelta(days=1), renew=True)
        assert renewed != first
        assert people.by_calendar_token(session, first) is None
        found = people.by_calendar_token(session, renewed)
        assert found is not None and found.user_id == KSO
