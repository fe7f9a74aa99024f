"""Gallring (retention): what people wrote to each other is kept only as long as the kommun decided.

`SAMSPEL_RETENTION_DAYS` (default 90) is how many days the text of a message sent through
Samspel is kept after it was delivered or cancelled, or was due when it could not be
delivered (its outbox row `failed`); then a daily job blanks the text, and the text and
blocks of its outbox row, and writes one audit line per pair with the counts. The bot's own
direct messages and private answers (notices that copy a record, "Ångrat.") go the same
number of days after they were sent, and so does anything Slack refused; channel posts that
reached Slack stay, since the posted agenda is patched from them. `0` keeps texts until
erased (a dokumenthanteringsplan may say so).

What stays is the metadata: who wrote to whom, when, held or akut and when it arrived. The
yearly figures (`bot.services.respekt.akut_counts`, `bot.services.rapport`) count from that metadata only, so
they do not change. The one text they show, the stated reason of an akut message, is kept
as the talk material shows it (one line, 200 characters) for as long as the figures cover
it (`REASON_DAYS`), then blanked too.

App Home snapshots (outbox rows of kind `home`) are only needed until Slack has them: rows
that are sent or superseded are deleted by a frequent tick, without an audit line (they
hold nothing that is not elsewhere).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import (
    CursorResult,
    Result,
    and_,
    delete,
    func,
    null,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from bot import jobruns
from bot.db import SessionScope
from bot.models import JobRun, Meddelande, OutboxMessage
from bot.services import audit
from bot.text import one_line

log = logging.getLogger(__name__)

DEFAULT_DAYS = 90
# The yearly figures cover twelve months; a month more keeps a late talk's material whole.
REASON_DAYS = 400
REASON_CHARS = 200
SYSTEM_ACTOR = "samspel"
_state = {"days": DEFAULT_DAYS}


def rowcount(result: Result[Any]) -> int:
    """Rows an UPDATE or DELETE changed (typed: a plain Result does not declare rowcount)."""
    return cast(CursorResult[Any], result).rowcount or 0


def configure(days: int) -> None:
    """Set once per process from the settings, so the report can say what applies (bot/presenters/retention.py)."""
    if days < 0:
        raise ValueError(days)
    _state["days"] = days


def configured_days() -> int:
    return _state["days"]


def blank(message: Meddelande, row: OutboxMessage | None) -> None:
    """Remove what was written, keep the metadata the figures count (sender, times, held, akut)."""
    if message.akut:
        # The talk material lists this reason as one line of 200 characters; keep exactly that.
        message.akut_reason = one_line(message.akut_reason or message.text, REASON_CHARS)
    message.text = ""
    if row is not None:
        row.text, row.blocks = "", None


@dataclass
class Swept:
    """What one run removed: per pair (messages, outbox rows), and reasons blanked."""

    days: int
    # pair id → [messages, their outbox rows, other notices and answers]
    per_pair: dict[int, list[int]] = field(default_factory=dict)
    unpaired: int = 0  # notices to people outside any pair (refusals)
    reasons: int = 0

    @property
    def messages(self) -> int:
        return sum(counts[0] for counts in self.per_pair.values())

    @property
    def rows(self) -> int:
        return sum(counts[1] for counts in self.per_pair.values())

    @property
    def notices(self) -> int:
        return sum(counts[2] for counts in self.per_pair.values()) + self.unpaired


# long: one UPDATE per kind of text that goes, each with why it may go now.
def sweep(session: Session, now: datetime, days: int) -> Swept:
    """Blank every message text that is due, with its outbox row; one audit line per pair. Idempotent."""
    swept = Swept(days=days)
    if days <= 0:
        return swept
    cutoff = now - timedelta(days=days)
    due = session.execute(
        select(Meddelande, OutboxMessage)
        .outerjoin(OutboxMessage, OutboxMessage.id == Meddelande.outbox_id)
        .where(
            # Blank rows are not counted again: a second run the same day (or the next) finds nothing.
            or_(Meddelande.text != "", OutboxMessage.text != ""),
            or_(
                Meddelande.cancelled_at <= cutoff,
                and_(OutboxMessage.status == "sent", OutboxMessage.sent_at <= cutoff),
                # Never delivered: it was due then, and has failed since (no time of failure is stored).
                and_(OutboxMessage.status == "failed", OutboxMessage.deliver_after <= cutoff),
            ),
        )
        .order_by(Meddelande.id)
    ).all()
    for message, row in due:
        counts = swept.per_pair.setdefault(message.pair_id, [0, 0, 0])
        counts[0] += 1
        counts[1] += int(row is not None)
        blank(message, row)
    session.flush()
    # The bot's own notices, private answers and calendar files to one person (copies of records,
    # or "Ångrat."): not needed once sent, cancelled or failed. Channel posts and their updates that
    # reached Slack stay: the posted agenda is patched from them, and they are the pair's own channel.
    # One that failed never reached Slack, so nothing is patched from it. (Home tabs: drop_home_snapshots.)
    others = (
        or_(
            and_(OutboxMessage.kind.in_(("dm", "ephemeral", "file")), OutboxMessage.status.in_(("sent", "cancelled", "failed"))),
            and_(OutboxMessage.kind != "home", OutboxMessage.status == "failed"),
        ),
        OutboxMessage.text != "",
        func.coalesce(OutboxMessage.sent_at, OutboxMessage.created_at) <= cutoff,
        OutboxMessage.id.not_in(select(Meddelande.outbox_id).where(Meddelande.outbox_id.is_not(None))),
    )
    for pair_id, n in session.execute(select(OutboxMessage.pair_id, func.count()).where(*others).group_by(OutboxMessage.pair_id)).all():
        if pair_id is not None:
            swept.per_pair.setdefault(pair_id, [0, 0, 0])[2] += n
        else:
            swept.unpaired += n
    session.execute(update(OutboxMessage).where(*others).values(text="", blocks=null()).execution_options(synchronize_session=False))
    reason_cutoff = now - timedelta(days=max(REASON_DAYS, days))
    swept.reasons = rowcount(
        session.execute(
            update(Meddelande)
            .where(
                Meddelande.akut_reason.is_not(None),
                Meddelande.akut_reason != "",
                Meddelande.text == "",
                Meddelande.written_at <= reason_cutoff,
            )
            .values(akut_reason="")
            .execution_options(synchronize_session=False)
        )
    )
    for pair_id, (messages, rows, notices) in sorted(swept.per_pair.items()):
        audit.record(
            session,
            pair_id=pair_id,
            actor=SYSTEM_ACTOR,
            action="gallring",
            entity="meddelanden",
            entity_id=None,
            at=now,
            after={"meddelanden": messages, "utskick": rows, "andra_utskick": notices, "dagar": days},
        )
    return swept


def drop_home_snapshots(session: Session, now: datetime) -> int:
    """Delete App Home snapshots Slack already has or that a newer one replaced; a failed one keeps only its status."""
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.kind == "home", OutboxMessage.status == "failed", OutboxMessage.blocks.is_not(None))
        # SQL NULL (not JSON null), so the condition above finds each row once.
        .values(blocks=null())
        .execution_options(synchronize_session=False)
    )
    return rowcount(
        session.execute(
            delete(OutboxMessage)
            .where(
                OutboxMessage.kind == "home",
                OutboxMessage.status.in_(("sent", "cancelled")),
                # A row a deliverer holds is left until it lets go.
                or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until < now),
            )
            .execution_options(synchronize_session=False)
        )
    )


def run_key(now: datetime, tz: ZoneInfo) -> str:
    return f"gallring:{now.astimezone(tz).date().isoformat()}"


def run_daily(uow: SessionScope, now: datetime, tz: ZoneInfo, days: int | None = None) -> Swept | None:
    """Once per local day (a `job_runs` key): the sweep. None when today's run was already done."""
    days = configured_days() if days is None else days
    key = run_key(now, tz)
    with uow() as session:
        if not jobruns.claim(session, key, now=now, note="pågår"):
            return None
        swept = sweep(session, now, days)
        summary = (
            f"{swept.messages} meddelanden, {swept.rows} utskick, {swept.notices} andra utskick, {swept.reasons} skäl ({days} dagar)"
            if days
            else "gallring avstängd (0 dagar)"
        )
        session.execute(update(JobRun).where(JobRun.key == key).values(note=summary[:200]).execution_options(synchronize_session=False))
    if swept.messages or swept.notices or swept.reasons:
        log.info(
            "gallring: %s message texts, %s of their outbox rows, %s other notices and %s akut reasons blanked (%s days)",
            swept.messages,
            swept.rows,
            swept.notices,
            swept.reasons,
            days,
        )
    return swept


def drop_homes(uow: SessionScope, now: datetime) -> int:
    with uow() as session:
        return drop_home_snapshots(session, now)
