"""A notice: the DM a member gets about what the other did, held under the respekt rule.

The service decided when it may arrive (`deliver_after` on its event, the one rule in
`bot.domain.respekt`); the outbox gate checks it again at send time (`respekt=True`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot import outbox
from bot.models import OutboxMessage, Pair


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
