"""Onboarding's messages: the welcome DM (with the first Home tab's welcome), and Samspel's word in a channel it joins.

The services decided that they are due (`bot.services.onboarding`: once per person, once per
channel); here they become outbox rows in the same transaction, worded by `bot.presenters.onboarding`.
The person opened the Home tab, or someone just invited Samspel, so neither waits for working time.
"""

from __future__ import annotations

from sqlalchemy import or_, select

from bot.domain.events import BotJoinedChannel, Event, PersonWelcomed
from bot.i18n import translator
from bot.models import Pair
from bot.outbox import enqueue
from bot.presenters import onboarding as words
from bot.projections import home
from bot.services import people, tenant
from bot.services.onboarding import intro_key
from bot.services.pairs import LIVE, in_team
from bot.services.unit_of_work import UnitOfWork


def welcome(event: Event, uow: UnitOfWork) -> None:
    """One DM in the person's language, and the Home tab this first open publishes carries the welcome too."""
    assert isinstance(event, PersonWelcomed)
    session = uow.session
    t = people.translator_for(session, event.user)
    # Only this workspace's pairs: the same user id may be in another workspace's pair (Enterprise Grid).
    pairs = session.scalars(
        select(Pair).where(or_(Pair.kso_user == event.user, Pair.kd_user == event.user), LIVE, *in_team()).order_by(Pair.id)
    ).all()
    roles = [words.Role(channel=p.channel_id, role=p.role_of(event.user) or "") for p in pairs]
    text, blocks = words.welcome_dm(roles, t)
    enqueue(session, kind="dm", now=event.at, user=event.user, text=text, blocks=blocks, team_id=tenant.team())
    home.publish_welcome(uow, event.user, event.at)


def introduce(event: Event, uow: UnitOfWork) -> None:
    """The message in a channel Samspel was invited to: how to couple the pair here, with the button.

    In the language of whoever invited Samspel (their choice, else their Slack locale): they asked for it and read
    it first. With no inviter known, the deployment's default, as the channel has no pair yet whose language to use.
    """
    assert isinstance(event, BotJoinedChannel)
    session = uow.session
    t = people.translator_for(session, event.inviter) if event.inviter else translator(people.default_language(session))
    text, blocks = words.channel_intro(event.channel, event.public, t)
    enqueue(
        session,
        kind="post",
        now=event.at,
        channel=event.channel,
        text=text,
        blocks=blocks,
        dedupe_key=intro_key(event.team_id, event.channel),
        team_id=event.team_id,
    )
