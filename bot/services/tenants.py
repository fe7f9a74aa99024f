"""A workspace that removes Samspel, or installs it again, and erasing a workspace's data.

On `app_uninstalled` (or `tokens_revoked` of the bot token) nothing more may reach that
workspace: its pending outbox rows are cancelled with the reason, its pairs are paused
with status_reason 'uninstalled', and a `removed_workspaces` row says when. The pairs and
their records stay for SAMSPEL_UNINSTALL_GRACE_DAYS, so a reinstall within that time brings
them back as they were; after it the daily job erases everything of the workspace
(`erase_team`, the same as `python -m bot erase --team`): its pairs, dissolved ones too, the
proposals that never became a pair, the outbox rows and log lines outside any pair, its
installation, and the names and settings of its people who are in no other workspace's
pair. Erasing queues nothing to a removed workspace (no fresh Home tab).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, or_, select, union, update
from sqlalchemy.orm import Session

from bot import jobruns
from bot.db import SessionScope, rowcount
from bot.domain.events import PairRestored
from bot.models import AuditEntry, OutboxMessage, Pair, PairProposal, Person, RemovedWorkspace, UserName
from bot.services import audit, subject
from bot.services.erase import Erasure, erase_pair, forget_outbox
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
    # When the grace period starts, also for a workspace with no live pair (bot.services.erase checks it too).
    # Slack sends both app_uninstalled and tokens_revoked: the first one starts it.
    if session.get(RemovedWorkspace, team_id) is None:
        session.add(RemovedWorkspace(team_id=team_id, removed_at=now, reason=reason[:64]))
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
    session.execute(delete(RemovedWorkspace).where(RemovedWorkspace.team_id == team_id).execution_options(synchronize_session=False))
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


def _people_of(session: Session, team_id: str, pairs: list[Pair]) -> set[str]:
    """Everyone the workspace's rows name: members, proposers and invitees, recipients, actors."""
    people = {u for p in pairs for u in (p.kso_user, p.kd_user, p.created_by)}
    for p in session.scalars(select(PairProposal).where(PairProposal.team_id == team_id)):
        people |= {p.kso_user, p.kd_user, p.proposed_by}
    people |= set(session.scalars(select(OutboxMessage.user).where(OutboxMessage.team_id == team_id, OutboxMessage.user.is_not(None))))
    pair_ids = [p.id for p in pairs]
    if pair_ids:
        people |= set(session.scalars(select(AuditEntry.actor).where(AuditEntry.pair_id.in_(pair_ids))))
    return {u for u in people if u and u != SYSTEM}


def _loose_lines(session: Session, team_id: str, proposals: list[int], channels: set[str]) -> list[int]:
    """The workspace's log lines outside any pair (proposals, declines), except the erasure lines themselves."""
    found = []
    for e in session.scalars(select(AuditEntry).where(AuditEntry.pair_id.is_(None), AuditEntry.action.not_in(subject.ERASURE_ACTIONS))):
        after = e.after or {}
        if (
            (e.entity == "pair_proposal" and e.entity_id in proposals)
            or after.get("team_id") == team_id
            or after.get("channel_id") in channels
        ):
            found.append(e.id)
    return found


def erase_team(session: Session, team_id: str, *, actor: str, now: datetime) -> Erasure:
    """Everything of the workspace (the caller commits): each pair as `erase_pair` does, then what lies outside them.

    Its installation goes too: in distributed mode Samspel stops working there until it is installed
    again. One `radera_arbetsyta` line outside any pair keeps the workspace's id, the pairs' ids and the counts.
    """
    result = Erasure(target="team", subject=team_id)
    pairs = _team_pairs(session, team_id)
    people = _people_of(session, team_id, pairs)
    channels = {p.channel_id for p in pairs}
    # Fresh Home tabs only where Samspel stays installed: not after an uninstall, and not where the
    # installation is deleted below (distributed mode); in single-workspace mode the one workspace keeps it.
    installed = session.scalar(select(subject.INSTALLATIONS.c.id).where(subject.INSTALLATIONS.c.team_id == team_id).limit(1))
    republish = installed is None and session.get(RemovedWorkspace, team_id) is None
    for pair in pairs:
        part = erase_pair(session, pair.id, actor=actor, now=now, republish=republish)
        result.pairs.extend(part.pairs)
        for table, n in part.deleted.items():
            result.count(table, n)
    proposals = list(session.scalars(select(PairProposal).where(PairProposal.team_id == team_id)))
    channels |= {p.channel_id for p in proposals}
    lines = _loose_lines(session, team_id, [p.id for p in proposals], channels)
    _delete(session, result, "logg", AuditEntry, AuditEntry.id.in_(lines))
    forget_outbox(session, result, OutboxMessage.team_id == team_id)
    _delete(session, result, "forslag", PairProposal, PairProposal.team_id == team_id)
    session.flush()
    for user in sorted(people):
        # Someone still in another workspace's pair or proposal keeps their name and settings.
        if session.scalar(select(Pair.id).where(or_(Pair.kso_user == user, Pair.kd_user == user)).limit(1)) is None and (
            session.scalar(select(PairProposal.id).where(subject.in_proposal(user)).limit(1)) is None
        ):
            _delete(session, result, "namn", UserName, UserName.user_id == user)
            _delete(session, result, "person", Person, Person.user_id == user)
    _delete(session, result, "installationer", subject.INSTALLATIONS, subject.INSTALLATIONS.c.team_id == team_id)
    _delete(session, result, "installationer", subject.BOTS, subject.BOTS.c.team_id == team_id)
    session.execute(delete(RemovedWorkspace).where(RemovedWorkspace.team_id == team_id).execution_options(synchronize_session=False))
    audit.record(
        session,
        pair_id=None,
        actor=actor[:32],
        action="radera_arbetsyta",
        entity="team",
        entity_id=None,
        at=now,
        after={"arbetsyta": team_id, "par": list(result.pairs), "antal": dict(result.deleted)},
    )
    return result


def _delete(session: Session, result: Erasure, table: str, target: Any, *where: Any) -> None:
    n = rowcount(session.execute(delete(target).where(*where).execution_options(synchronize_session=False)))
    result.count(table, n)


def due_teams(session: Session, cutoff: datetime) -> list[str]:
    """Workspaces removed at or before `cutoff` (and, from before migration 0014, those whose pairs say so)."""
    removed = select(RemovedWorkspace.team_id).where(RemovedWorkspace.removed_at <= cutoff)
    paused = select(Pair.team_id).where(Pair.status == "paused", Pair.status_reason == UNINSTALLED, Pair.status_changed_at <= cutoff)
    return sorted(set(session.scalars(union(removed, paused))))


def erase_expired(uow: SessionScope, now: datetime, tz: ZoneInfo, grace_days: int) -> list[str] | None:
    """Once a local day (a `job_runs` key): erase the workspaces that removed Samspel more than `grace_days` ago.

    Returns their team ids; None when today's run was already done. A workspace that came
    back is no longer removed and is not touched.
    """
    key = f"avinstallerade:{now.astimezone(tz).date().isoformat()}"
    cutoff = now - timedelta(days=grace_days)
    with uow() as session:
        if not jobruns.claim(session, key, now=now, note="pågår"):
            return None
        due = due_teams(session, cutoff)
        erased = [erase_team(session, team_id, actor=SYSTEM, now=now) for team_id in due]
    if due:
        log.info(
            "erased %s workspaces (%s pairs) that removed Samspel more than %s days ago",
            len(due),
            sum(len(e.pairs) for e in erased),
            grace_days,
        )
    return due
