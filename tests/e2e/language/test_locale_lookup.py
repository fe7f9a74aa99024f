"""Slack is asked for a person's locale on their first request, briefly, and again later if it could not answer."""

from __future__ import annotations

from datetime import timedelta

from tests.support.language import answer
from tests.support.world import KD, World


def _refusal(world: World) -> str:
    # No pair in the channel: the same refusal, in the language Samspel believes the KD reads.
    return answer(world, "/uppdrag", "lista", user=KD)


def test_a_failed_locale_lookup_is_asked_again_and_then_remembered(world: World) -> None:
    world.slack.locales[KD] = "en-GB"
    world.slack.fail_next("users.info", "500")
    assert "kopplad" in _refusal(world)  # Slack could not say: the default (Swedish) for now
    asked = len(world.slack.of("users.info"))
    world.clock.advance(timedelta(minutes=2))  # past the language cache
    assert "connected" in _refusal(world)  # asked again, and Slack answered
    assert len(world.slack.of("users.info")) > asked
    world.clock.advance(timedelta(minutes=2))
    before = len(world.slack.of("users.info"))
    assert "connected" in _refusal(world)
    assert len(world.slack.of("users.info")) == before  # known now: not asked again


def test_a_person_slack_has_no_locale_for_is_not_asked_on_every_request(world: World) -> None:
    assert "kopplad" in _refusal(world)  # the fake gives no locale unless told: the default
    before = len(world.slack.of("users.info"))
    world.clock.advance(timedelta(minutes=5))
    _refusal(world)
    assert len(world.slack.of("users.info")) == before
