"""Consent's pure rules: what a proposal needs, who may answer it, how long it holds, and what a channel must be.

A pair exists only when both people agreed and are in its private channel. These rules
return a code for what is wrong (None when all is well); `bot.services.consent` turns the
code into the refusal.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

PROPOSAL_LIFETIME = timedelta(days=7)


@dataclass(frozen=True)
class ChannelFacts:
    """What Slack says about a conversation: kind is private, public, im or mpim; members includes the bot when it is in."""

    id: str
    kind: str
    members: frozenset[str]
    bot_is_member: bool


def proposal_problem(users: Sequence[str], actor: str, bot_user: str | None) -> str | None:
    """`koppla @kso @kd`: two different people, neither of them Samspel, one of them the actor."""
    if len(users) != 2:
        return "not_two"
    if users[0] == users[1]:
        return "same_person"
    if bot_user and bot_user in users:
        return "bot_named"
    if actor not in users:
        return "actor_not_named"
    return None


def invitee(kso: str, kd: str, proposed_by: str) -> str:
    """The one who must agree: the other of the two."""
    return kd if proposed_by == kso else kso


def expires_at(now: datetime) -> datetime:
    return now + PROPOSAL_LIFETIME


def is_open(status: str, expires: datetime, now: datetime) -> bool:
    """A proposal can still be answered: pending and not past its seven days."""
    return status == "pending" and expires > now


def may_answer(invitee_user: str, actor: str) -> bool:
    """Only the invitee accepts or declines: the proposer has already said yes."""
    return invitee_user == actor


def missing(people: Iterable[str], members: frozenset[str]) -> list[str]:
    return [user for user in people if user not in members]


def pair_channel_problem(facts: ChannelFacts | None, people: tuple[str, str]) -> str | None:
    """The pair channel must be private, with both people and Samspel in it."""
    if facts is None:
        return "not_visible"
    if facts.kind in ("im", "mpim"):
        return "direct_message"
    if facts.kind != "private":
        return "public"
    if not facts.bot_is_member:
        return "bot_missing"
    if missing(people, facts.members):
        return "people_missing"
    return None


def radsmote_channel_problem(facts: ChannelFacts | None, people: tuple[str, str], other_pair: bool) -> str | None:
    """A rådsmöte channel: not another pair's channel, with both members and Samspel in it."""
    if other_pair:
        return "other_pair"
    if facts is None or not facts.bot_is_member:
        return "bot_missing"
    if facts.kind in ("im", "mpim"):
        return "direct_message"
    if missing(people, facts.members):
        return "people_missing"
    return None


def everyone_back(facts: ChannelFacts | None, people: tuple[str, str]) -> bool:
    """A paused pair resumes when Samspel and both members are in the channel again."""
    return facts is not None and facts.bot_is_member and set(people) <= facts.members
