"""The yearly utvecklingssamtal: the reminder tick, and recording that the talk was held.

The schedule is in bot/domain/samtal.py. Each reminder is guarded by a job-run key
`samtal:{pair}:{D}:{kind}`, claimed in the same transaction as its outbox rows (the events
below are turned into outbox rows by bot/projections/samtal.py before the commit), so it is
sent once, also across restarts and several processes.

When the date is moved (`/samspel utvecklingssamtal`), reminders still waiting for working
hours that name the old date are withdrawn and their keys released (so moving back sends
them after all); a stage that fell due for the new date before the pair's last reminder is
not repeated, and instead the channel is told once that the talk has moved. Later stages
follow the new date.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot import jobruns
from bot.db import SessionScope
from bot.domain import samtal as schedule
from bot.domain.calendar import WorkingCalendar
from bot.domain.events import TalkMaterialDue, TalkMoved, TalkRecorded, TalkReminderDue
from bot.domain.samtal import MATERIAL, MATERIAL_DAYS, MOVED, RECORD_AGAIN_AFTER, Reminder, key
from bot.errors import UserError
from bot.i18n import N_
from bot.models import JobRun, OutboxMessage, Pair, Utvecklingssamtal
from bot.services import audit
from bot.services.pairs import Member, calendar_for
from bot.services.unit_of_work import emit

log = logging.getLogger(__name__)

# Outbox rows a reminder writes: one DM to each member.
_REMINDER_ROWS = 2


@dataclass(frozen=True)
class Recorded:
    """A talk recorded as held: the date it was planned for and the next one."""

    planned: date | None
    next_talk: date
    held_at: datetime


def due_at(cal: WorkingCalendar, day: date) -> datetime:
    """When a reminder for `day` falls due: the start of working hours that day (even a day off)."""
    return cal.at_local(day, cal.start_min)


def current_reminder(cal: WorkingCalendar, talk: date, now: datetime) -> Reminder | None:
    """The newest reminder that has fallen due at `now`, or None before the first."""
    return schedule.current_reminder(talk, cal.local(now).date(), now, lambda day: due_at(cal, day))


def tick(session: Session, pair: Pair, now: datetime) -> int:
    """Queue whatever has fallen due for one pair; returns the number of outbox rows written."""
    talk = pair.next_talk
    if talk is None:
        return 0
    cal = calendar_for(session, pair)
    moved_from = _drop_stale_reminders(session, pair.id, talk, now)
    written = 0
    if now >= due_at(cal, schedule.material_day(talk)):
        written += _material(session, pair, talk, now)
    reminder = current_reminder(cal, talk, now)
    if reminder is None:
        return written
    reminder_key = key(pair.id, talk, reminder.kind)
    if jobruns.done(session, reminder_key):
        return written
    if _reminded_since(session, pair.id, due_at(cal, reminder.day)):
        # The date was moved after the pair had this stage's reminder for the old date: no repeat.
        # The next stage still comes on time for the new date; the channel hears of the move once.
        if jobruns.claim(session, reminder_key, now=now, pair_id=pair.id, note="redan påminda"):
            written += _announce_move(session, pair, talk, moved_from, now)
        return written
    if jobruns.claim(session, reminder_key, now=now, pair_id=pair.id):
        # An older reminder still waiting for working hours is superseded by this one.
        _cancel_pending(session, pair.id, talk, kinds=("dm",))
        emit(session, TalkReminderDue(at=now, pair_id=pair.id, talk=talk, key=reminder_key))
        written += _REMINDER_ROWS
    return written


def _reminded_since(session: Session, pair_id: int, since: datetime) -> bool:
    """Whether a reminder DM (for any date) was queued at or after `since` and not withdrawn."""
    return (
        session.scalar(
            select(OutboxMessage.id)
            .where(
                OutboxMessage.pair_id == pair_id,
                OutboxMessage.kind == "dm",
                OutboxMessage.status != "cancelled",
                OutboxMessage.dedupe_key.like(f"samtal:{pair_id}:%"),
                OutboxMessage.created_at >= since,
            )
            .limit(1)
        )
        is not None
    )


def _announce_move(session: Session, pair: Pair, talk: date, old: date | None, now: datetime) -> int:
    """One channel post that the talk has a new date, so the member who did not move it knows."""
    moved_key = key(pair.id, talk, MOVED)
    if not jobruns.claim(session, moved_key, now=now, pair_id=pair.id):
        return 0
    emit(session, TalkMoved(at=now, pair_id=pair.id, talk=talk, old=old, key=moved_key))
    return 1


def _material(session: Session, pair: Pair, talk: date, now: datetime) -> int:
    material_key = key(pair.id, talk, MATERIAL)
    if jobruns.done(session, material_key):
        return 0
    # A date moved by a few days must not repeat a fresh post of the same figures.
    recent = session.scalar(
        select(JobRun.id).where(
            JobRun.pair_id == pair.id,
            JobRun.key.like(f"samtal:{pair.id}:%:{MATERIAL}"),
            JobRun.note == "postat",
            JobRun.ran_at > now - timedelta(days=MATERIAL_DAYS),
        )
    )
    if recent is not None:
        jobruns.claim(session, material_key, now=now, pair_id=pair.id, note="nyligen postat")
        return 0
    if not jobruns.claim(session, material_key, now=now, pair_id=pair.id, note="postat"):
        return 0
    emit(session, TalkMaterialDue(at=now, pair_id=pair.id, talk=talk, key=material_key))
    return 1


def _refuse_repeat(session: Session, member: Member, cal: WorkingCalendar, now: datetime) -> None:
    """A second `genomfört` within a month is a mistake, not a second talk."""
    pair = member.pair
    last = session.scalars(
        select(Utvecklingssamtal).where(Utvecklingssamtal.pair_id == pair.id).order_by(Utvecklingssamtal.held_at.desc()).limit(1)
    ).first()
    if last is not None and now - last.held_at < RECORD_AGAIN_AFTER:
        raise UserError(
            N_("Utvecklingssamtalet registrerades redan {held} av <@{user}>. Nästa är {next}."),
            held=cal.local(last.held_at).date().isoformat(),
            user=last.recorded_by,
            next=pair.next_talk.isoformat() if pair.next_talk else "–",
        )


def record_talk(session: Session, member: Member, now: datetime) -> Recorded:
    """`/spelregler genomfört`: store the talk and move the next one a year on (see `schedule.next_talk`)."""
    if not member.is_kso:
        raise UserError(N_("Bara KSO registrerar utvecklingssamtalet som genomfört: KSO håller samtalet med KD."))
    pair = member.pair
    cal = calendar_for(session, pair)
    _refuse_repeat(session, member, cal, now)
    planned = pair.next_talk
    next_talk = schedule.next_talk(planned, cal.local(now).date(), cal.is_working_day)
    row = Utvecklingssamtal(pair_id=pair.id, planned_date=planned, held_at=now, recorded_by=member.user)
    session.add(row)
    session.flush()
    before = audit.snapshot(pair, ("next_talk",))
    pair.next_talk = next_talk
    audit.record(
        session,
        pair_id=pair.id,
        actor=member.user,
        action="utvecklingssamtal_genomfört",
        entity="utvecklingssamtal",
        entity_id=row.id,
        at=now,
        before=before,
        after={"next_talk": next_talk.isoformat(), "planned_date": planned.isoformat() if planned else None},
    )
    if planned is not None:
        # Reminders and a material post still waiting for working hours are moot once the talk is held.
        _cancel_pending(session, pair.id, planned, kinds=("dm", "post"))
    emit(session, TalkRecorded(at=now, pair_id=pair.id, user=member.user, next_talk=next_talk))
    return Recorded(planned=planned, next_talk=next_talk, held_at=now)


def _cancel_pending(session: Session, pair_id: int, talk: date, *, kinds: tuple[str, ...]) -> None:
    """Withdraw this talk's messages of `kinds` that still wait for working hours."""
    rows = session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.pair_id == pair_id,
            OutboxMessage.kind.in_(kinds),
            OutboxMessage.status == "pending",
            OutboxMessage.dedupe_key.like(f"samtal:{pair_id}:{talk.isoformat()}:%"),
        )
    ).all()
    for row in rows:
        row.status = "cancelled"


def _drop_stale_reminders(session: Session, pair_id: int, talk: date, now: datetime) -> date | None:
    """Withdraw reminders and material posts still waiting for working hours that name a changed date.

    Their job-run keys are released, so if the date is moved back, that message is sent after all,
    and the material for the new date is not mistaken for one already posted.
    Returns the latest other date the pair was reminded of, if any (the date the talk moved from).
    """
    prefix = f"samtal:{pair_id}:"
    rows = session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.pair_id == pair_id,
            OutboxMessage.kind.in_(("dm", "post")),
            OutboxMessage.dedupe_key.like(f"{prefix}%"),
            OutboxMessage.dedupe_key.not_like(f"{prefix}{talk.isoformat()}:%"),
        )
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    ).all()
    released: set[str] = set()
    for row in rows:
        # One being sent right now (leased) goes out; it is counted as sent below.
        if row.status == "pending" and row.dedupe_key is not None and (row.lease_until is None or row.lease_until < now):
            row.status = "cancelled"
            released.add(schedule.key_stem(row.dedupe_key))
            # The dedupe key stays unique, and free for a fresh reminder if the date comes back.
            row.dedupe_key = f"{row.dedupe_key}:ersatt:{row.id}"
    if released:
        session.execute(delete(JobRun).where(JobRun.key.in_(released)))
    sent = [r.dedupe_key for r in rows if r.kind == "dm" and r.status != "cancelled" and r.dedupe_key is not None]
    return schedule.key_date(sent[0]) if sent else None


def tick_all(uow: SessionScope, now: datetime) -> int:
    """One tick over every pair, each in its own transaction so one failure does not block the rest."""
    with uow() as session:
        pair_ids = list(session.scalars(select(Pair.id).where(Pair.next_talk.is_not(None), Pair.status == "active").order_by(Pair.id)))
    written = 0
    for pair_id in pair_ids:
        try:
            with uow() as session:
                pair = session.get(Pair, pair_id)
                if pair is not None:
                    written += tick(session, pair, now)
        except Exception:
            log.exception("utvecklingssamtal tick failed for pair %s", pair_id)
    return written
