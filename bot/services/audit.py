"""The audit trail: every create, change and decision, with actor, time and before/after."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.models import AuditEntry, Pair
from bot.services import tenant


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
    team_id: str | None = None,
) -> AuditEntry:
    """One line of the trail, tied to its workspace: `team_id` if given (a proposal's), else the pair's, else the request's."""
    pair = session.get(Pair, pair_id) if pair_id is not None else None
    current = tenant.current()
    enterprise_id = None
    if pair is not None:
        team_id, enterprise_id = team_id or pair.team_id, pair.enterprise_id
    elif current is not None and (team_id is None or team_id == current.team_id):
        team_id, enterprise_id = current.team_id, current.enterprise_id
    entry = AuditEntry(
        pair_id=pair_id,
        team_id=team_id,
        enterprise_id=enterprise_id,
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
