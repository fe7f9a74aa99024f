"""Where one person appears: shared by their extract (bot.services.export) and their erasure (bot.services.erase).

Both ask the same questions here, so what the extract shows is what the erasure removes, and a
person the extract knows nothing about is one the erasure refuses (and the other way round).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, TableClause, column, func, or_, select, table
from sqlalchemy.orm import Session

from bot.i18n import N_
from bot.models import AuditEntry, DayOff, Meddelande, MemberCalendar, OutboxMessage, Pair, PairProposal, Person, UserName

# slack_sdk's installation table (migration 0012): the installer's Slack id is in `user_id`.
# A lightweight table, not a model: slack_sdk owns the table's definition.
INSTALLATIONS: TableClause = table(
    "slack_installations",
    column("id"),
    column("team_id"),
    column("team_name"),
    column("enterprise_id"),
    column("user_id"),
    column("installed_at"),
)
BOTS: TableClause = table("slack_bots", column("id"), column("team_id"))
NOTHING_STORED = N_("Samspel har inga uppgifter om {user}.")
# The erasure lines themselves name no one and are what shows that an erasure happened: never erased.
ERASURE_ACTIONS = ("radera_par", "radera_person", "radera_arbetsyta")


def pairs_of(session: Session, user_id: str) -> Sequence[Pair]:
    return session.scalars(select(Pair).where(or_(Pair.kso_user == user_id, Pair.kd_user == user_id)).order_by(Pair.id)).all()


def in_proposal(user_id: str) -> ColumnElement[bool]:
    return or_(PairProposal.kso_user == user_id, PairProposal.kd_user == user_id, PairProposal.proposed_by == user_id)


def in_message(user_id: str) -> ColumnElement[bool]:
    return or_(Meddelande.sender == user_id, Meddelande.recipient == user_id, Meddelande.origin_user == user_id)


def names(entry: AuditEntry, user_id: str) -> bool:
    return entry.actor == user_id or user_id in repr((entry.before, entry.after))


def loose_entries(session: Session, user_id: str, *where: Any) -> list[AuditEntry]:
    """Log lines outside any pair (a proposal to couple one, a declined one) that name the person."""
    entries = session.scalars(select(AuditEntry).where(AuditEntry.pair_id.is_(None), *where).order_by(AuditEntry.at, AuditEntry.id)).all()
    return [e for e in entries if names(e, user_id)]


def installations_of(session: Session, user_id: str) -> list[dict[str, Any]]:
    """The workspaces where the person installed Samspel (distributed mode): team, name, when."""
    rows = session.execute(
        select(INSTALLATIONS.c.team_id, INSTALLATIONS.c.team_name, INSTALLATIONS.c.installed_at)
        .where(INSTALLATIONS.c.user_id == user_id)
        .order_by(INSTALLATIONS.c.installed_at)
    ).all()
    return [{"team_id": r[0], "team_name": r[1], "installed_at": _utc(r[2])} for r in rows]


def _utc(value: Any) -> Any:
    # slack_sdk stores naive UTC datetimes (SQLite may hand back a string).
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _count(session: Session, model: Any, *where: Any) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def known(session: Session, user_id: str) -> bool:
    """Whether Samspel stores anything about the person at all (not counting a Home tab on its way to them)."""
    return bool(
        pairs_of(session, user_id)
        or _count(session, Meddelande, in_message(user_id))
        or _count(session, PairProposal, in_proposal(user_id))
        or _count(
            session,
            OutboxMessage,
            OutboxMessage.kind != "home",
            or_(OutboxMessage.user == user_id, OutboxMessage.text.contains(f"<@{user_id}>")),
        )
        or session.get(UserName, user_id) is not None
        or session.get(Person, user_id) is not None
        or _count(session, DayOff, DayOff.user == user_id)
        or _count(session, MemberCalendar, MemberCalendar.user == user_id)
        or loose_entries(session, user_id)
        or installations_of(session, user_id)
    )
