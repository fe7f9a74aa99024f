"""Idempotency keys for scheduled work, enforced by a unique index in our own table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.models import JobRun


def claim(session: Session, key: str, *, now: datetime, pair_id: int | None = None, note: str = "") -> bool:
    """Insert `key` once. True for the first caller; False if it was already done.

    Uses INSERT … ON CONFLICT DO NOTHING, so a concurrent second process blocks on
    the first's row and then sees the conflict instead of running the work again.
    Call it in the same transaction as the work it guards.
    """
    values = {"key": key, "pair_id": pair_id, "ran_at": now, "note": note}
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(JobRun).values(**values).on_conflict_do_nothing(index_elements=["key"]).returning(JobRun.id)
    # RETURNING, not rowcount: psycopg reports rowcount -1 for this statement under SQLAlchemy 2.1.
    return session.execute(stmt).first() is not None


def done(session: Session, key: str) -> bool:
    return session.scalar(select(JobRun.id).where(JobRun.key == key)) is not None
