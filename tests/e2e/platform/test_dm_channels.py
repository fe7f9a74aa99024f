"""A person's DM is opened once, not once per process: Slack allows conversations.open about 50 times a minute.

On a Monday morning, a freshly started Samspel with 600 people to write to would
otherwise wait twelve minutes for Slack to let it open their DMs.
"""

from __future__ import annotations

from sqlalchemy import Engine

from tests.support.slack_mock import SlackServer
from tests.support.world import KD, KSO, World, make_bot


def test_after_a_restart_a_known_person_s_dm_is_not_opened_again(paired: World, slack: SlackServer, engine: Engine) -> None:
    paired.at("2026-11-24 10:00")
    paired.command("/meddela", "Första", user=KSO)
    paired.deliver()
    # Both got DMs before (the consent question, the pair's confirmation): this process knows their DMs.
    assert paired.slack.of("conversations.open") == []

    # The process is replaced: a new bot, with nothing in memory, on the same database.
    restarted = World(bot=make_bot(slack, engine, paired.clock), slack=paired.slack, clock=paired.clock, driver=paired.driver)
    restarted.driver.app = restarted.bot.app
    restarted.command("/meddela", "Andra", user=KSO)
    restarted.command("/meddela", "Hej tillbaka", user=KD)
    restarted.deliver()
    texts = [m.get("text") or "" for m in paired.slack.posted_to("D" + KD[1:])]
    assert any("Andra" in t for t in texts)
    assert any("Hej tillbaka" in t for t in (m.get("text") or "" for m in paired.slack.posted_to("D" + KSO[1:])))
    # Known from the database, not from memory: neither DM is opened again.
    assert paired.slack.of("conversations.open") == []
