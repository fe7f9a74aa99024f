"""The audit trail: every create, change and decision, with actor, time and before/after."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.models import AuditEntry


def snapshot(obj: object, fields: tuple[str, ...]) -> dict[str, Any]:
    """A JSON-safe copy of some attributes, for before/after."""
    out: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name)
        out[name] = value.isoformat() if isinstance(value, date | datetime) else value
    return out


def record(
    session: Session,
    *,
    pair_id: int | None,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None,
    at: datetime,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        pair_id=pair_id,
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        before=before,
        after=after,
        at=at,
    )
    session.add(entry)
    return entry
