"""A workspace that removes Samspel, or installs it again, and erasing a workspace's data.

On `app_uninstalled` (or `tokens_revoked` of the bot token) nothing more may reach that
workspace: its pending outbox rows are cancelled with the reason, and its pairs are paused
with status_reason 'uninstalled'. The pairs and their records stay for
SAMSPEL_UNINSTALL_GRACE_DAYS, so a reinstall within that time brings them back as they
were; after it the daily job erases them (`erase_pair`, the same as the CLI's).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from bot import jobruns
from bot.db import SessionScope, rowcount
from bot.domain.events import PairRestored
from bot.models import OutboxMessage, Pair
from bot.services import audit
from bot.services.erase import Erasure, erase_pair
from bot.services.pairs import UNINSTALLED
from bot.services.unit_of_work import emit

log = logging.getLogger(__name__)

SYSTEM = "samspel"


@dataclass
class Uninstalled:
    cancelled: int = 0
    pairs: list[int] = field(default_factory=list)


def _team_pairs(session: Session, team_id: str, *live: bool) -> list[Pair]:
    where = [Pair.team_id == team_id]
    if live:
        where.append(Pair.status != "dissolved")
    return list(session.scalars(select(Pair).where(*where).order_by(Pair.id)).all())


def uninstalled(session: Session, *, team_id: str, now: datetime, reason: str) -> Uninstalled:
    """The workspace removed Samspel: cancel what was still to be sent there, pause its pairs."""
    result = Uninstalled()
    pair_ids = select(Pair.id).where(Pair.team_id == team_id).scalar_subquery()
    outcome = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status == "pending",
            or_(OutboxMessage.team_id == team_id, (OutboxMessage.team_id.is_(None)) & OutboxMessage.pair_id.in_(pair_ids)),
        )
        .values(status="cancelled", last_error=f"avinstallerad: {reason}"[:200])
        .execution_options(synchronize_session=False)
    )
    result.cancelled = rowcount(outcome)
    for pair in _team_pairs(session, team_id, True):
        before = {"status": pair.status, "status_reason": pair.status_reason}
        pair.status, pair.status_reason, pair.status_changed_at = "paused", UNINSTALLED, now
        audit.record(
            session,
            pair_id=pair.id,
            actor=SYSTEM,
            action="avinstallerad",
            entity="pair",
            entity_id=pair.id,
            at=now,
            before=before,
            after={"status": "paused", "status_reason": UNINSTALLED, "orsak": reason},
        )
        result.pairs.append(pair.id)
    log.info(
        "team %s removed Samspel (%s): %s pending messages cancelled, %s pairs paused", team_id, reason, result.cancelled, len(result.pairs)
    )
    return result


def reinstalled(session: Session, *, team_id: str, now: datetime) -> list[int]:
    """The workspace installed Samspel again within the grace period: its pairs go on where they were."""
    restored = []
    for pair in _team_pairs(session, team_id, True):
        if pair.status == "paused" and pair.status_reason == UNINSTALLED:
            pair.status, pair.status_reason, pair.status_changed_at = "active", None, now
            audit.record(
                session,
                pair_id=pair.id,
                actor=SYSTEM,
                action="återinstallerad",
                entity="pair",
                entity_id=pair.id,
                at=now,
                after={"status": "active"},
            )
            emit(session, PairRestored(at=now, pair_id=pair.id))
            restored.append(pair.id)
    if restored:
        log.info("team %s installed Samspel again: pairs %s restored", team_id, restored)
    return restored


def erase_team(session: Session, team_id: str, *, actor: str, now: datetime) -> list[Erasure]:
    """Every pair of the workspace, erased as `erase_pair` does (the caller commits)."""
    return [erase_pair(session, pair.id, actor=actor, now=now) for pair in _team_pairs(session, team_id)]


def erase_expired(uow: SessionScope, now: datetime, tz: ZoneInfo, grace_days: int) -> list[int] | None:
    """Once a local day (a `job_runs` key): erase the pairs of workspaces uninstalled more than `grace_days` ago.

    None when today's run was already done. A pair whose workspace came back is active again and
    not touched.
    """
    key = f"avinstallerade:{now.astimezone(tz).date().isoformat()}"
    cutoff = now - timedelta(days=grace_days)
    with uow() as session:
        if not jobruns.claim(session, key, now=now, note="pågår"):
            return None
        due = session.scalars(
            select(Pair.id)
            .where(Pair.status == "paused", Pair.status_reason == UNINSTALLED, Pair.status_changed_at <= cutoff)
            .order_by(Pair.id)
        ).all()
        for pair_id in due:
            erase_pair(session, pair_id, actor=SYSTEM, now=now)
    if due:
        log.info("erased %s pairs of workspaces uninstalled more than %s days ago", len(due), grace_days)
    return list(due)
