"""A notice: the DM a member gets about what the other did, held under the respekt rule.

The service decided when it may arrive (`deliver_after` on its event, from
`bot.services.respekt_time.delivery_time`); the outbox gate checks it again at send time (`respekt=True`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot import outbox
from bot.models import OutboxMessage, Pair
from bot.services.respekt_time import delivery_time


def notice(
    session: Session, pair: Pair, user: str, *, at: datetime, deliver_after: datetime, text: str, blocks: list[Any] | None = None
) -> OutboxMessage:
    return outbox.enqueue(
        session,
        kind="dm",
        now=at,
        user=user,
        pair_id=pair.id,
        deliver_after=deliver_after,
        respekt=True,
        text=text,
        blocks=blocks,
    )


def member_dm(session: Session, pair: Pair, user: str, *, at: datetime, text: str, tied: bool = True) -> OutboxMessage:
    """A DM to a member at their next working time (their own calendar).

    `tied=False`: not the pair's message, so a paused or dissolved pair does not hold it back
    (the note that the pair was paused or dissolved); the time is chosen once, here.
    """
    return outbox.enqueue(
        session,
        kind="dm",
        now=at,
        user=user,
        pair_id=pair.id if tied else None,
        deliver_after=delivery_time(session, pair, at, user),
        respekt=tied,
        text=text,
    )


def pair_post(
    session: Session,
    pair: Pair,
    *,
    at: datetime,
    text: str,
    blocks: list[Any] | None = None,
    dedupe_key: str | None = None,
    channel: str | None = None,
) -> OutboxMessage:
    """A post in the pair's channel (or `channel`: the rådsmöte's) when both work; `dedupe_key` makes it once-only."""
    return outbox.enqueue(
        session,
        kind="post",
        now=at,
        channel=channel or pair.channel_id,
        pair_id=pair.id,
        respekt=True,
        deliver_after=delivery_time(session, pair, at),
        text=text,
        blocks=blocks,
        dedupe_key=dedupe_key,
    )
