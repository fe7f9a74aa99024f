"""App Home: each pair member's overview, republished after every change that concerns them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import OutboxMessage, Pair
from bot.outbox import enqueue


def home_blocks(session: Session, pair: Pair, user: str, now: datetime) -> list[dict[str, Any]]:
    """The Home tab for one member of `pair`."""
    return [{"type": "header", "text": {"type": "plain_text", "text": "Samspel"}}]


def refresh(session: Session, pair: Pair, now: datetime) -> None:
    """Queue a fresh Home tab for both members; an older queued one is superseded."""
    for user in (pair.kso_user, pair.kd_user):
        stale = session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "home", OutboxMessage.user == user, OutboxMessage.status == "pending")
        ).all()
        for row in stale:
            row.status = "cancelled"
        enqueue(session, kind="home", now=now, user=user, pair_id=pair.id, text="", blocks=home_blocks(session, pair, user, now))
