"""A channel post that could not be delivered is reported to the pair (an outbox hook, `on_failed`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.models import OutboxMessage, Pair
from bot.presenters.pairs import post_failed
from bot.projections.notices import member_dm
from bot.services.people import translator_for


def tell_about_failure(session: Session, row: OutboxMessage, now: datetime) -> None:
    """Outbox hook: a channel post that could not be delivered is reported to the pair.

    Usually Samspel is not a member of the channel (a new rådsmöte channel, say); the
    note says how to fix it. Failed DMs are only logged and shown in `/samspel status`,
    since telling about them by DM could fail the same way.
    """
    if row.kind != "post" or row.pair_id is None:
        return
    pair = session.get(Pair, row.pair_id)
    if pair is None:
        return
    for user in (pair.kso_user, pair.kd_user):
        text = post_failed(row.channel, row.last_error, translator_for(session, user))
        member_dm(session, pair, user, at=now, text=text)
