"""The yearly utvecklingssamtal: reminders, the material, and recording that it was held.

Schedule for a talk on day D (local dates, each due at the start of the pair's
working day and delivered under the respekt rule, so one that falls on a
weekend or holiday arrives at the next working start):

- D − 28 and D − 7: a DM to the KSO and the KD ("4v", "1v");
- D − 14: the material (the year in figures and the current spelregler) in the pair channel;
- D: a DM on the day ("dag");
- D + 7, D + 14, …: a weekly DM while the talk is not recorded ("vecka1", "vecka2", …).

Each reminder is guarded by a job-run key `samtal:{pair}:{D}:{kind}`, claimed in
the same transaction as its outbox rows, so it is sent once, also across
restarts and several processes. Only the newest reminder that has fallen due
is sent: after downtime, or when the date is set at short notice, the pair gets
one up-to-date reminder, not a backlog.

When the date is moved (`/samspel utvecklingssamtal`), reminders still waiting
for working hours that name the old date are withdrawn and their keys released
(so moving back sends them after all); a stage that fell due for the new date
before the pair's last reminder is not repeated, and instead the channel is told
once that the talk has moved. Later stages follow the new date.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot import jobruns, rapport, spelregler
from bot.db import SessionScope
from bot.domain import respekt as respekt_rule
from bot.domain.calendar import WorkingCalendar
from bot.errors import UserError
from bot.i18n import _, language
from bot.models import JobRun, OutboxMessage, Pair, Utvecklingssamtal
from bot.outbox import enqueue
from bot.services import audit
from bot.services.pairs import Member, calendar_for, one_year_after
from bot.text import fmt_date

log = logging.getLogger(__name__)

BEFORE = (("4v", 28), ("1v", 7))
MATERIAL_DAYS = 14
MATERIAL = "underlag"
RECORD_AGAIN_AFTER = timedelta(days=30)


@dataclass(frozen=True)
class Reminder:
    """One DM reminder to both members: `kind` and the local day it falls due."""

    kind: str
    day: date


def reminders(talk: date, *, through: date) -> list[Reminder]:
    """Every DM reminder for a talk on `talk`, in order, up to and including `through`."""
    out = [Reminder(kind, talk - timedelta(days=days)) for kind, days in BEFORE]
    out.append(Reminder("dag", talk))
    week = 1
    while talk + timedelta(weeks=week) <= through:
        out.append(Reminder(f"vecka{week}", talk + timedelta(weeks=week)))
        week += 1
    return [r for r in out if r.day <= through]


def key(pair_id: int, talk: date, kind: str) -> str:
    return f"samtal:{pair_id}:{talk.isoformat()}:{kind}"


def material_day(talk: date) -> date:
    return talk - timedelta(days=MATERIAL_DAYS)


def due_at(cal: WorkingCalendar, day: date) -> datetime:
    """When a reminder for `day` falls due: the start of working hours that day (even a day off)."""
    return cal.at_local(day, cal.start_min)


def current_reminder(cal: WorkingCalendar, talk: date, now: datetime) -> Reminder | None:
    """The newest reminder that has fallen due at `now`, or None before the first."""
    today = cal.local(now).date()
    due = [r for r in reminders(talk, through=today) if due_at(cal, r.day) <= now]
    return due[-1] if due else None


def tick(session: Session, pair: Pair, now: datetime) -> int:
    """Queue whatever has fallen due for one pair; returns the number of outbox rows written."""
    talk = pair.next_talk
    if talk is None:
        return 0
    cal = calendar_for(session, pair)
    moved_from = _drop_stale_reminders(session, pair.id, talk, now)
    written = 0
    if now >= due_at(cal, material_day(talk)):
        written += _material(session, pair, cal, talk, now)
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
            written += _announce_move(session, pair, cal, talk, moved_from, now)
        return written
    if jobruns.claim(session, reminder_key, now=now, pair_id=pair.id):
        # An older reminder still waiting for working hours is superseded by this one.
        _cancel_pending(session, pair.id, talk, kinds=("dm",))
        for user in (pair.kso_user, pair.kd_user):
            # Each reminder arrives in its recipient's own working time.
            deliver_after = respekt_rule.deliver_after(calendar_for(session, pair, user), now)
            enqueue(session, kind="dm", now=now, user=user, pair_id=pair.id, deliver_after=deliver_after, respekt=True,
                    text=reminder_text(pair, user, talk, cal.local(deliver_after).date()),
                    dedupe_key=f"{reminder_key}:{user}")
            written += 1
    return written


def _reminded_since(session: Session, pair_id: int, since: datetime) -> bool:
    """Whether a reminder DM (for any date) was queued at or after `since` and not withdrawn."""
    return session.scalar(select(OutboxMessage.id).where(
        OutboxMessage.pair_id == pair_id, OutboxMessage.kind == "dm", OutboxMessage.status != "cancelled",
        OutboxMessage.dedupe_key.like(f"samtal:{pair_id}:%"), OutboxMessage.created_at >= since).limit(1)) is not None


def _announce_move(session: Session, pair: Pair, cal: WorkingCalendar, talk: date, old: date | None,
                   now: datetime) -> int:
    """One channel post that the talk has a new date, so the member who did not move it knows."""
    if not jobruns.claim(session, key(pair.id, talk, "flyttat"), now=now, pair_id=pair.id):
        return 0
    if old is not None:
        text = _(":calendar: Utvecklingssamtalet är flyttat från {old} till *{new}*. "
                 "Ni får nästa påminnelse enligt det nya datumet.").format(old=full_date(old), new=full_date(talk))
    else:
        text = _(":calendar: Utvecklingssamtalet är flyttat till *{new}*. "
                 "Ni får nästa påminnelse enligt det nya datumet.").format(new=full_date(talk))
    enqueue(session, kind="post", now=now, channel=pair.channel_id, pair_id=pair.id,
            deliver_after=respekt_rule.deliver_after(cal, now), respekt=True, dedupe_key=key(pair.id, talk, "flyttat"),
            text=text)
    return 1


def _material(session: Session, pair: Pair, cal: WorkingCalendar, talk: date, now: datetime) -> int:
    material_key = key(pair.id, talk, MATERIAL)
    if jobruns.done(session, material_key):
        return 0
    # A date moved by a few days must not repeat a fresh post of the same figures.
    recent = session.scalar(select(JobRun.id).where(
        JobRun.pair_id == pair.id, JobRun.key.like(f"samtal:{pair.id}:%:{MATERIAL}"),
        JobRun.note == "postat", JobRun.ran_at > now - timedelta(days=MATERIAL_DAYS)))
    if recent is not None:
        jobruns.claim(session, material_key, now=now, pair_id=pair.id, note="nyligen postat")
        return 0
    if not jobruns.claim(session, material_key, now=now, pair_id=pair.id, note="postat"):
        return 0
    text, blocks = material_message(session, pair, talk, now)
    enqueue(session, kind="post", now=now, channel=pair.channel_id, pair_id=pair.id, text=text, blocks=blocks,
            deliver_after=respekt_rule.deliver_after(cal, now), respekt=True, dedupe_key=material_key)
    return 1


def full_date(day: date) -> str:
    """'torsdag 7 jan 2027' (in the bot's language)."""
    return f"{fmt_date(day)} {day.year}"


def when_phrase(talk: date, on: date) -> str:
    days = (talk - on).days
    if days == 0:
        return _("är i dag")
    if days == 1:
        return _("är i morgon")
    if days > 0:
        if days % 7 == 0:
            weeks = days // 7
            return _("är om en vecka") if weeks == 1 else _("är om {weeks} veckor").format(weeks=_number(weeks))
        return _("är om {days} dagar").format(days=days)
    late = -days
    if late % 7 == 0:
        weeks = late // 7
        if weeks == 1:
            return _("skulle ha hållits för en vecka sedan")
        return _("skulle ha hållits för {weeks} veckor sedan").format(weeks=weeks)
    if late == 1 and language() == "en":
        return _("skulle ha hållits i går")
    return _("skulle ha hållits för {days} dagar sedan").format(days=late)


def _number(n: int) -> str:
    if language() == "en":
        return {2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}.get(n, str(n))
    return {2: "två", 3: "tre", 4: "fyra", 5: "fem", 6: "sex"}.get(n, str(n))


def reminder_text(pair: Pair, user: str, talk: date, on: date) -> str:
    """A reminder DM for `user`, phrased for the day it is delivered."""
    lines = [_(":calendar: *Utvecklingssamtalet {when}* ({day}).").format(when=when_phrase(talk, on),
                                                                           day=full_date(talk))]
    if user == pair.kso_user:
        lines.append(_("Du håller samtalet med <@{kd}>. Då utvärderar och uppdaterar ni också era spelregler.")
                     .format(kd=pair.kd_user))
    else:
        lines.append(_("<@{kso}> håller samtalet med dig. Då utvärderar och uppdaterar ni också era spelregler.")
                     .format(kso=pair.kso_user))
    material = material_day(talk)
    if on < material:
        lines.append(_("Underlaget med årets siffror kommer i <#{channel}> två veckor innan.")
                     .format(channel=pair.channel_id))
    else:
        lines.append(_("Underlaget med årets siffror finns i <#{channel}>.").format(channel=pair.channel_id))
    if on > talk:
        lines.append(_("Har ni redan hållit samtalet? Skriv `/spelregler genomfört`, så slutar påminnelserna. "
                       "Nytt datum: `/samspel utvecklingssamtal ÅÅÅÅ-MM-DD`."))
    else:
        lines.append(_("När samtalet är hållet: `/spelregler genomfört`. "
                       "Ändra datum: `/samspel utvecklingssamtal ÅÅÅÅ-MM-DD`."))
    return "\n".join(lines)


def material_message(session: Session, pair: Pair, talk: date, now: datetime) -> tuple[str, list[dict[str, Any]]]:
    """The post for the pair channel: the year in figures and the current spelregler."""
    figures = rapport.year_figures(session, pair, now)
    version = spelregler.current(session, pair, now)
    intro = _("Utvecklingssamtalet är {day}: <@{kso}> håller det med <@{kd}>. "
              "Här är underlaget: årets siffror och era gällande spelregler, som ni utvärderar och uppdaterar vid "
              "samtalet. Efteråt: `/spelregler genomfört`.").format(day=full_date(talk), kso=pair.kso_user,
                                                                    kd=pair.kd_user)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": _("Underlag för utvecklingssamtalet")}},
        {"type": "section", "text": {"type": "mrkdwn", "text": intro}},
    ]
    blocks += [{"type": "section", "text": {"type": "mrkdwn", "text": chunk}}
               for chunk in spelregler.split_text(rapport.slack_text(figures), 2900)]
    blocks.append({"type": "divider"})
    blocks += spelregler.blocks(version, pair.timezone, title=_("Gällande spelregler"))
    text = _("Underlag för utvecklingssamtalet {day}: årets siffror och era spelregler.").format(day=full_date(talk))
    return text, blocks[:50]


@dataclass(frozen=True)
class Recorded:
    talk: Utvecklingssamtal
    planned: date | None
    next_talk: date


def record_talk(session: Session, member: Member, now: datetime) -> Recorded:
    """`/spelregler genomfört`: store the talk and move the next one a year on.

    Held on time or early: one year after the planned date (keeps the rhythm).
    Held late: one year after the day it was held, so the talks stay a year apart.
    """
    if not member.is_kso:
        raise UserError(_("Bara KSO registrerar utvecklingssamtalet som genomfört: KSO håller samtalet med KD."))
    pair = member.pair
    cal = calendar_for(session, pair)
    today = cal.local(now).date()
    last = session.scalars(select(Utvecklingssamtal).where(Utvecklingssamtal.pair_id == pair.id)
                           .order_by(Utvecklingssamtal.held_at.desc()).limit(1)).first()
    if last is not None and now - last.held_at < RECORD_AGAIN_AFTER:
        raise UserError(_("Utvecklingssamtalet registrerades redan {held} av <@{user}>. Nästa är {next}.").format(
            held=cal.local(last.held_at).date().isoformat(), user=last.recorded_by,
            next=pair.next_talk.isoformat() if pair.next_talk else "–"))
    planned = pair.next_talk
    base = max(planned, today) if planned is not None else today
    next_talk = one_year_after(base)
    # A year on may be a weekend or holiday: hold it on the next working day instead.
    for _attempt in range(14):
        if cal.is_working_day(next_talk):
            break
        next_talk += timedelta(days=1)
    row = Utvecklingssamtal(pair_id=pair.id, planned_date=planned, held_at=now, recorded_by=member.user)
    session.add(row)
    session.flush()
    before = audit.snapshot(pair, ("next_talk",))
    pair.next_talk = next_talk
    audit.record(session, pair_id=pair.id, actor=member.user, action="utvecklingssamtal_genomfört",
                 entity="utvecklingssamtal", entity_id=row.id, at=now, before=before,
                 after={"next_talk": next_talk.isoformat(), "planned_date": planned.isoformat() if planned else None})
    if planned is not None:
        # Reminders and a material post still waiting for working hours are moot once the talk is held.
        _cancel_pending(session, pair.id, planned, kinds=("dm", "post"))
    enqueue(session, kind="post", now=now, channel=pair.channel_id, pair_id=pair.id,
            deliver_after=respekt_rule.deliver_after(cal, now), respekt=True,
            text=_(":white_check_mark: <@{user}> har registrerat att utvecklingssamtalet är genomfört. "
                   "Nästa utvecklingssamtal: {next}. "
                   "Spara de uppdaterade spelreglerna med `/spelregler uppdatera`.").format(
                user=member.user, next=full_date(next_talk)))
    return Recorded(talk=row, planned=planned, next_talk=next_talk)


def _cancel_pending(session: Session, pair_id: int, talk: date, *, kinds: tuple[str, ...]) -> None:
    """Withdraw this talk's messages of `kinds` that still wait for working hours."""
    rows = session.scalars(select(OutboxMessage).where(
        OutboxMessage.pair_id == pair_id, OutboxMessage.kind.in_(kinds), OutboxMessage.status == "pending",
        OutboxMessage.dedupe_key.like(f"samtal:{pair_id}:{talk.isoformat()}:%"))).all()
    for row in rows:
        row.status = "cancelled"


def _drop_stale_reminders(session: Session, pair_id: int, talk: date, now: datetime) -> date | None:
    """Withdraw reminders and material posts still waiting for working hours that name a changed date.

    Their job-run keys are released, so if the date is moved back, that message is sent after all,
    and the material for the new date is not mistaken for one already posted.
    Returns the latest other date the pair was reminded of, if any (the date the talk moved from).
    """
    prefix = f"samtal:{pair_id}:"
    rows = session.scalars(select(OutboxMessage).where(
        OutboxMessage.pair_id == pair_id, OutboxMessage.kind.in_(("dm", "post")),
        OutboxMessage.dedupe_key.like(f"{prefix}%"),
        OutboxMessage.dedupe_key.not_like(f"{prefix}{talk.isoformat()}:%"))
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())).all()
    released: set[str] = set()
    for row in rows:
        # One being sent right now (leased) goes out; it is counted as sent below.
        if row.status == "pending" and row.dedupe_key is not None and (row.lease_until is None or row.lease_until < now):
            row.status = "cancelled"
            released.add(":".join(row.dedupe_key.split(":")[:4]))  # samtal:{pair}:{date}:{kind}
            # The dedupe key stays unique, and free for a fresh reminder if the date comes back.
            row.dedupe_key = f"{row.dedupe_key}:ersatt:{row.id}"
    if released:
        session.execute(delete(JobRun).where(JobRun.key.in_(released)))
    sent = [r for r in rows if r.kind == "dm" and r.status != "cancelled" and r.dedupe_key is not None]
    return date.fromisoformat(sent[0].dedupe_key.split(":")[2]) if sent else None  # type: ignore[union-attr]


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
