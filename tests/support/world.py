"""A running bot with its fakes (World), the people and channels the tests use, and Postgres/SQLite engines."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import pytest
from slack_bolt.response import BoltResponse
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from bot import db
from bot.bootstrap import Samspel, build
from bot.clock import FakeClock
from bot.models import Pair
from bot.outbox import DeliveryPolicy, OutboxDeliverer
from bot.outbox.slack_sender import SlackSender
from bot.runtime import Deps
from bot.settings import load_settings
from handlers.ids import PAIR_ACCEPT as ACCEPT_ACTION
from tests.support.signing import SIGNING_SECRET, SlackDriver
from tests.support.slack_mock import MockSlack, SlackServer

STHLM = ZoneInfo("Europe/Stockholm")
T = TypeVar("T")
KSO = "UKSO0001"
KD = "UKD00001"
OUTSIDER = "UOUT0001"
CHANNEL = "GPAIR001"


def local(text: str) -> datetime:
    """'2026-11-30 08:00' in Stockholm time, as an aware datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=STHLM)


def _fresh_postgres(url: str) -> Engine:
    engine = db.make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    db.upgrade(engine)
    return engine


PG_URL = os.environ.get("TEST_DATABASE_URL")
needs_pg = pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL is not set")


def _sqlite_copy(tmp_path: Path, template: Path) -> Engine:
    path = tmp_path / "samspel.db"
    shutil.copy(template, path)
    return db.make_engine(f"sqlite:///{path}")


KSO2, KD2, CHANNEL2, RADSMOTE = "UKSO0002", "UKD00002", "GPAIR002", "CRAD0001"


# One worker: Slack sees the rows in the order they were written across channels too, so a
# test's transcript is the same every run. Lanes in parallel are tested in test_outbox.py.
FAST_RETRIES = DeliveryPolicy(base_backoff=timedelta(seconds=1), workers=1)
# World.deliver moves the clock through pacing waits up to this long, this many times.
MAX_PACING_WAIT = timedelta(seconds=3)
MAX_PACED_ROUNDS = 200


def make_bot(slack: SlackServer, engine: Engine, clock: FakeClock, **env: str) -> Samspel:
    """The bot on the fake Slack and the fake clock; `env` adds settings (e.g. SAMSPEL_PUBLIC_URL)."""
    # The fake Slack's rate limit and ts run on the bot's clock: time passes when the test says.
    slack.mock.use_clock(clock)
    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": slack.url,
            "DATABASE_URL": engine.url.render_as_string(hide_password=False),
            # The `english` fixture sets it before the bot is built.
            "SAMSPEL_LANGUAGE": os.environ.get("SAMSPEL_LANGUAGE", "sv"),
            **env,
        }
    )
    bot = build(settings, clock=clock, engine=engine, process_before_response=True, policy=FAST_RETRIES, catch_up=False)
    deliverer = bot.deps.deliverer
    assert isinstance(deliverer, OutboxDeliverer) and isinstance(deliverer.sender, SlackSender)
    # A message sent in parts waits between them on the fake clock, not the real one.
    deliverer.sender.sleep = lambda seconds: clock.advance(timedelta(seconds=seconds))
    return bot


@dataclass
class World:
    """One running bot with its fakes: drive it with signed requests, then deliver the outbox."""

    bot: Samspel
    slack: MockSlack
    clock: FakeClock
    driver: SlackDriver
    # Outbox rows up to this id were written while setting the world up (coupling the pair).
    mark: int = 0

    def deliver(self) -> int:
        """Deliver until nothing more may go, moving the fake clock through each lane's pacing (a second or so).

        The clock never moves past a retry's backoff or a message held for working time:
        a test sees those waits as they are.
        """
        deliverer = self.bot.deps.deliverer
        assert deliverer is not None
        sent = deliverer.deliver_due()
        for _ in range(MAX_PACED_ROUNDS):
            wait = deliverer.pacing_wait()
            if wait is None or wait > MAX_PACING_WAIT:
                break
            self.clock.advance(max(wait, timedelta(0)))
            sent += deliverer.deliver_due()
        return sent

    def command(self, command: str, text: str, *, user: str = KSO, channel: str = CHANNEL):  # type: ignore[no-untyped-def]
        return self.driver.command(command, text, user=user, channel=channel)

    def at(self, when: str) -> None:
        self.clock.set(local(when))

    def sessions(self):  # type: ignore[no-untyped-def]
        """A unit of work on the bot's database, as a listener gets one."""
        return self.bot.deps.uow()

    def tick(self, job: Callable[[Deps], T], when: str) -> T:
        """Run one scheduled job as it would fire at local time `when`, then deliver what it queued."""
        self.at(when)
        result = job(self.bot.deps)
        self.deliver()
        return result


def invitation(world: World, invitee: str) -> dict[str, Any] | None:
    """The newest consent question Samspel sent `invitee`, as posted to the fake Slack."""
    world.deliver()
    for message in reversed(world.slack.posted_to("D" + invitee[1:])):
        for block in message.get("blocks") or []:
            for element in block.get("elements", []):
                if element.get("action_id") == ACCEPT_ACTION:
                    return {"message": message, "proposal": element["value"]}
    return None


def couple(world: World, kso: str = KSO, kd: str = KD, channel: str = CHANNEL, *, by: str | None = None) -> None:
    """Propose the pair as `by` (the KSO by default), accept it as the other, and deliver what that sends."""
    proposer = by or kso
    invitee = kd if proposer == kso else kso
    resp = world.command("/samspel", f"koppla <@{kso}|anna> <@{kd}|bo>", user=proposer, channel=channel)
    assert resp.status == 200
    accept_invitation(world, invitee)


def accept_invitation(world: World, invitee: str, action: str = ACCEPT_ACTION) -> BoltResponse:
    """`invitee` clicks Godkänn (or `action`) in the newest consent question; what that sends is delivered."""
    invite = invitation(world, invitee)
    assert invite is not None, "no consent question reached the invitee"
    resp = world.driver.action(action, invite["proposal"], user=invitee, channel="D" + invitee[1:], message_ts=invite["message"]["ts"])
    world.deliver()
    return resp


def stored_pair(session: Session, *, created: str, next_talk: date, **settings: Any) -> Pair:
    """The KSO's and KD's pair in CHANNEL, written straight to the database (for tests without Slack)."""
    pair = Pair(
        team_id="T0001",
        channel_id=CHANNEL,
        kso_user=KSO,
        kd_user=KD,
        created_by=KSO,
        created_at=local(created),
        next_talk=next_talk,
        **settings,
    )
    session.add(pair)
    session.flush()
    return pair
