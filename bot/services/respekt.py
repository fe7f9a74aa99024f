"""The respekt rule's use cases: messages between the pair's KSO and KD that wait for working time.

"Vi undviker att störa varandra utanför ordinarie arbetstid och endast vid riktigt
akuta frågor kontaktar vi varandra under helger." A meddelande (message) sent
through the bot is one `Meddelande` row and ONE outbox row (a DM to the other
member, queued by `bot.projections.respekt` in the same transaction). Outside the
recipient's working time the outbox row waits until `deliver_after`
(`bot.services.respekt_time.delivery_time`); an akut message goes at once and is labelled. Cancelling or
escalating changes that same outbox row, so a message is delivered at most once
whatever happens.

Every function returns data; the words are in `bot.presenters.respekt`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.orm import Session

from bot.db import rowcount
from bot.domain.events import HeldMessagesMoved, MessageCancelled, MessageEscalated, MessageHeld, MessageWritten
from bot.domain.respekt import AKUT_WHENS, HELG, KVALL, MAX_REASON, akut_when
from bot.errors import UserError
from bot.i18n import N_, Translator
from bot.models import Meddelande, OutboxMessage, Pair
from bot.services.pairs import Member, calendar_for, in_team, prefetch_calendars
from bot.services.respekt_time import delivery_time
from bot.services.unit_of_work import emit
from bot.text import MAX_TEXT, fmt_when, one_line

PAUSED_RECHECK = timedelta(minutes=10)

# The two changes a sender can make to a held message (they name the refusals).
CANCEL, ESCALATE = "ångra", "skicka som akut"

NOT_YOURS = N_("Hittar inget sådant meddelande från dig.")


class MessageError(UserError):
    """Bad message input; `field` says which part of the form was wrong ('text' or 'skal')."""

    def __init__(self, text: str, field: str = "text", /, **fields: Any) -> None:
        super().__init__(text, **fields)
        self.field = field


class TooLateError(UserError):
    """A refusal that names when the message was delivered, in the reader's language and the pair's zone."""

    def __init__(self, text: str, *, when: datetime, timezone: str) -> None:
        super().__init__(text)
        self.when, self.timezone = when, timezone

    def render(self, t: Translator) -> str:
        return t(self.text).format(when=fmt_when(self.when, self.timezone, t))


def _empty_refusal(*, akut: bool, source: str) -> str:
    if source == "shortcut":
        return N_("Meddelandet är tomt: skriv vad du vill skicka.")
    if akut:
        return N_("Meddelandet är tomt: skriv det efter ordet akut, t.ex. `/meddela akut Vattenläcka i stadshuset, ring mig`.")
    return N_("Meddelandet är tomt: skriv det efter kommandot, t.ex. `/meddela Kan vi ta budgeten på måndag?`")


def validate(text: str, *, akut: bool, reason: str | None, source: str = "command") -> tuple[str, str | None]:
    """The text and reason to store, or a MessageError naming the bad field."""
    if not text.strip():
        raise MessageError(_empty_refusal(akut=akut, source=source))
    if len(text) > MAX_TEXT:
        raise MessageError(
            N_(
                "Meddelandet är för långt ({length} tecken): högst {limit} tecken går att skicka. "
                "Dela upp det, eller lägg en länk till ett dokument."
            ),
            "text",
            length=len(text),
            limit=MAX_TEXT,
        )
    if not akut:
        return text, None
    return text, check_reason(reason)


def check_reason(reason: str | None) -> str:
    """An akut message's one-line reason (written, or given when a held message is escalated), or a MessageError."""
    reason = (reason or "").strip()
    if not reason:
        raise MessageError(N_("Ett akut meddelande behöver ett kort skäl: skriv varför det inte kan vänta."), "skal")
    if len(reason) > MAX_REASON:
        raise MessageError(N_("Skälet är för långt ({length} tecken): högst {limit} tecken."), "skal", length=len(reason), limit=MAX_REASON)
    return reason


@dataclass(frozen=True)
class Draft:
    """What the sender wants to send: from `/meddela [akut] <text>` or the shortcut's modal."""

    text: str
    akut: bool = False
    reason: str | None = None
    source: str = "command"  # or "shortcut"
    origin_user: str | None = None  # the author of a forwarded message (the shortcut)


@dataclass(frozen=True)
class Sent:
    """A message just sent: whether it went at once or is held, and until when."""

    meddelande_id: int
    recipient: str
    text: str
    akut: bool
    akut_when: str | None
    held: bool
    deliver_at: datetime


def send(session: Session, member: Member, draft: Draft, now: datetime) -> Sent:
    """Send the draft to the other member of the pair: now inside their working time, else held."""
    text, reason = validate(draft.text, akut=draft.akut, reason=draft.reason, source=draft.source)
    pair = member.pair
    recipient = pair.other(member.user)
    when = delivery_time(session, pair, now, recipient, akut=draft.akut)
    origin = draft.origin_user if draft.origin_user and draft.origin_user != member.user else None
    message = Meddelande(
        pair_id=pair.id,
        sender=member.user,
        recipient=recipient,
        text=text,
        source=draft.source,
        origin_user=origin,
        written_at=now,
        deliver_at=when,
        held=when > now,
        akut=draft.akut,
        akut_reason=reason,
        akut_when=akut_when(calendar_for(session, pair, recipient), now) if draft.akut else None,
    )
    session.add(message)
    session.flush()
    # First the DM (bot.projections.respekt), then, if it waits, that it is held (the sender's Home tab lists it).
    emit(session, MessageWritten(at=now, pair_id=pair.id, meddelande_id=message.id))
    if message.held:
        emit(session, MessageHeld(at=now, pair_id=pair.id, meddelande_id=message.id, sender=member.user))
    return Sent(
        meddelande_id=message.id,
        recipient=recipient,
        text=text,
        akut=message.akut,
        akut_when=message.akut_when,
        held=message.held,
        deliver_at=when,
    )


# --- the sender manages held messages ---------------------------------------------


@dataclass(frozen=True)
class Changed:
    """A held message the sender cancelled or escalated."""

    meddelande_id: int
    pair_id: int
    recipient: str


def _own_message(session: Session, user: str, meddelande_id: int | None) -> tuple[Meddelande, OutboxMessage, Pair]:
    message = session.get(Meddelande, meddelande_id) if meddelande_id is not None else None
    # A foreign or unknown id gets the same answer: nothing about others' messages leaks.
    if message is None or message.sender != user or message.outbox_id is None:
        raise UserError(NOT_YOURS)
    pair = session.get(Pair, message.pair_id)
    if pair is None or pair.role_of(user) is None:
        raise UserError(NOT_YOURS)
    row = session.get(OutboxMessage, message.outbox_id)
    if row is None:
        raise UserError(NOT_YOURS)
    return message, row, pair


def _delivering_now(verb: str) -> UserError:
    if verb == CANCEL:
        return UserError(N_("Meddelandet levereras just nu, så det går inte att ångra."))
    return UserError(N_("Meddelandet levereras just nu, så det går inte att skicka som akut."))


def _refuse_unless_pending(message: Meddelande, row: OutboxMessage, pair: Pair, now: datetime, verb: str) -> None:
    """`verb` is CANCEL or ESCALATE: what the sender tried, named in the refusal."""
    if message.cancelled_at is not None or row.status == "cancelled":
        raise UserError(N_("Meddelandet är redan ångrat och skickas inte."))
    if row.status == "sent":
        when = row.sent_at or row.deliver_after
        if verb == CANCEL:
            raise TooLateError(
                N_("Meddelandet levererades redan {when}, så det går tyvärr inte att ångra längre."), when=when, timezone=pair.timezone
            )
        raise TooLateError(
            N_("Meddelandet levererades redan {when}, så det går tyvärr inte att skicka som akut längre."),
            when=when,
            timezone=pair.timezone,
        )
    if row.status == "failed":
        raise UserError(N_("Meddelandet kunde inte levereras. Se `/samspel status`."))
    if row.lease_until is not None and row.lease_until >= now:
        raise _delivering_now(verb)


def _change_pending(
    session: Session, message: Meddelande, row: OutboxMessage, pair: Pair, now: datetime, verb: str, **values: object
) -> None:
    """Change the outbox row only if it is still pending and unclaimed, checked in the UPDATE itself.

    A delivery process may claim the row between our read and our write; the conditional
    UPDATE then changes nothing and the sender is told why, instead of "Ångrat" for a
    message that is being posted at that moment.
    """
    changed = rowcount(
        session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == row.id,
                OutboxMessage.status == "pending",
                or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until < now),
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    )
    session.refresh(row)
    if changed != 1:
        _refuse_unless_pending(message, row, pair, now, verb)
        raise _delivering_now(verb)


def cancel(session: Session, *, user: str, meddelande_id: int | None, now: datetime) -> Changed:
    """Ångra: stop a held message before it is delivered. Only its sender may."""
    message, row, pair = _own_message(session, user, meddelande_id)
    _refuse_unless_pending(message, row, pair, now, CANCEL)
    # Never delivered, so never needed: the text goes at once (gallring), the metadata stays for the figures.
    _change_pending(session, message, row, pair, now, CANCEL, status="cancelled", text="", blocks=None)
    message.cancelled_at = now
    message.text = ""
    emit(session, MessageCancelled(at=now, pair_id=pair.id, meddelande_id=message.id, sender=message.sender))
    return Changed(meddelande_id=message.id, pair_id=pair.id, recipient=message.recipient)


def _refuse_escalation(message: Meddelande, row: OutboxMessage, now: datetime) -> None:
    if message.akut:
        raise UserError(N_("Meddelandet skickas redan som akut."))
    if not message.held:
        raise UserError(N_("Meddelandet hålls inte: det levereras redan så snart det går."))
    if row.deliver_after <= now:
        # An old button pressed once working time has begun: no need to break the rule, nothing to count.
        raise UserError(N_("<@{to}> har arbetstid nu, så meddelandet levereras ändå direkt, utan akutmärkning."), to=message.recipient)


def may_escalate(session: Session, *, user: str, meddelande_id: int | None, now: datetime) -> Changed:
    """Before the reason is asked for: the refusals `escalate` would give, so the sender is not asked in vain."""
    message, row, pair = _own_message(session, user, meddelande_id)
    _refuse_unless_pending(message, row, pair, now, ESCALATE)
    _refuse_escalation(message, row, now)
    return Changed(meddelande_id=message.id, pair_id=pair.id, recipient=message.recipient)


def escalate(session: Session, *, user: str, meddelande_id: int | None, now: datetime, reason: str | None) -> Changed:
    """Skicka nu som akut, with a one-line reason: the same outbox row goes at once, labelled, so it is delivered once.

    The reason is stored and shown as for `/meddela akut`, and counts in the akut figures.
    """
    stated = check_reason(reason)
    message, row, pair = _own_message(session, user, meddelande_id)
    _refuse_unless_pending(message, row, pair, now, ESCALATE)
    _refuse_escalation(message, row, now)
    cal = calendar_for(session, pair, message.recipient)
    message.akut = True
    message.akut_reason = stated
    message.akut_when = akut_when(cal, now)
    message.escalated_at = now
    message.deliver_at = delivery_time(session, pair, now, message.recipient, akut=True)
    # The akut label goes into the row's text in bot.projections.respekt, in this transaction.
    _change_pending(
        session, message, row, pair, now, ESCALATE, deliver_after=message.deliver_at, respekt=False, next_attempt_at=None, blocks=None
    )
    emit(session, MessageEscalated(at=now, pair_id=pair.id, meddelande_id=message.id, sender=message.sender))
    return Changed(meddelande_id=message.id, pair_id=pair.id, recipient=message.recipient)


# --- held messages follow the calendar -------------------------------------------


def _waiting(pair: Pair, now: datetime) -> tuple[Any, ...]:
    """Rows held by the respekt rule that have not been claimed: those a calendar change may move."""
    return (
        OutboxMessage.pair_id == pair.id,
        OutboxMessage.status == "pending",
        OutboxMessage.deliver_after > now,
        OutboxMessage.respekt.is_(True),
        or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until < now),
    )


def _move(rows: Any, when: datetime) -> int:
    moved = 0
    for row in rows:
        if when != row.deliver_after:
            row.deliver_after = when
            moved += 1
    return moved


def _move_for(session: Session, pair: Pair, person: str, now: datetime) -> int:
    """Move what waits for `person` to their next working start; the Meddelande rows follow."""
    # Never earlier than written; `now` is later than that, so the next start from now.
    when = delivery_time(session, pair, now, person)
    moved = _move(
        session.scalars(
            select(OutboxMessage)
            .where(*_waiting(pair, now), OutboxMessage.kind == "dm", OutboxMessage.user == person)
            .order_by(OutboxMessage.id)
        ),
        when,
    )
    # The Meddelande keeps its own copy of the time, which the sender's lists show.
    for message, row in session.execute(
        select(Meddelande, OutboxMessage)
        .join(OutboxMessage, OutboxMessage.id == Meddelande.outbox_id)
        .where(
            Meddelande.pair_id == pair.id,
            Meddelande.recipient == person,
            Meddelande.cancelled_at.is_(None),
            Meddelande.akut.is_(False),
            OutboxMessage.status == "pending",
        )
    ).all():
        message.deliver_at = row.deliver_after
    return moved


def reschedule_held(session: Session, pair: Pair, now: datetime, user: str | None = None) -> int:
    """After someone's working hours or days off changed: move what waits for them to their new next working start.

    A message held to Monday 08:00 must not arrive on a Monday that has just become a day
    off, nor wait until 08:00 for someone who now starts at 07:00. `user` is whose calendar
    changed (None: both). Their held messages and Samspel's own held DMs to them move, and
    so do held posts in the pair's channel, which follow the time when both work.
    Returns how many moved.
    """
    moved = sum(_move_for(session, pair, person, now) for person in (pair.kso_user, pair.kd_user) if user is None or person == user)
    both = delivery_time(session, pair, now)
    moved += _move(session.scalars(select(OutboxMessage).where(*_waiting(pair, now), OutboxMessage.kind == "post")), both)
    if moved:
        emit(session, HeldMessagesMoved(at=now, pair_id=pair.id, recipient=user))
    return moved


# --- the gate at send time -------------------------------------------------------


def gate(session: Session, row: OutboxMessage, now: datetime) -> datetime | None:
    """Outbox gate: None to send now, else when to look again (the message waits).

    A paused pair's messages wait until the pair is active again; the respekt rule holds the
    rest until the recipient's next working start: a DM's own person's calendar, and for a
    post in a channel the time when both work.
    """
    pair = session.get(Pair, row.pair_id) if row.pair_id else None
    if pair is None:
        return None
    if pair.status != "active" and row.kind != "home":
        return now + PAUSED_RECHECK
    if not row.respekt:
        return None
    later = delivery_time(session, pair, now, row.user if row.kind in ("dm", "ephemeral") else None)
    if later <= now:
        return None
    message = session.scalar(select(Meddelande).where(Meddelande.outbox_id == row.id))
    if message is not None:
        message.deliver_at = later
    return later


_PREFETCHED = "samspel.prefetched_pairs"


def prefetch(session: Session, rows: Sequence[OutboxMessage]) -> None:
    """Outbox hook: the pairs and calendars that `gate` asks for, for a whole batch of rows in three queries."""
    ids = {row.pair_id for row in rows if row.pair_id}
    if ids:
        pairs = session.scalars(select(Pair).where(Pair.id.in_(ids))).all()
        # Held for the session's life: its identity map holds rows weakly, and `gate`'s session.get is to find them there.
        session.info.setdefault(_PREFETCHED, []).extend(pairs)
        prefetch_calendars(session, [p for p in pairs if p.status == "active"])


# --- what the sender sees -------------------------------------------------------


@dataclass(frozen=True)
class Held:
    """One of the sender's messages that waits for the recipient's working time."""

    meddelande_id: int
    recipient: str
    text: str
    written_at: datetime
    deliver_after: datetime


def _held_where(pair_id: int, sender: str) -> tuple[ColumnElement[bool], ...]:
    return (
        Meddelande.pair_id == pair_id,
        Meddelande.sender == sender,
        Meddelande.cancelled_at.is_(None),
        OutboxMessage.status == "pending",
        Meddelande.held.is_(True),
        Meddelande.akut.is_(False),
    )


def held_messages(session: Session, pair_id: int, sender: str, limit: int | None = None) -> list[Held]:
    """The sender's messages still waiting for the recipient's working time, in delivery order (the first `limit`)."""
    rows = session.execute(
        select(Meddelande, OutboxMessage)
        .join(OutboxMessage, OutboxMessage.id == Meddelande.outbox_id)
        .where(*_held_where(pair_id, sender))
        .order_by(OutboxMessage.deliver_after, Meddelande.id)
        .limit(limit)
    ).all()
    return [
        Held(meddelande_id=m.id, recipient=m.recipient, text=m.text, written_at=m.written_at, deliver_after=o.deliver_after)
        for m, o in rows
    ]


def held_count(session: Session, pair_id: int, sender: str) -> int:
    """How many of the sender's messages wait, counted by the database (a Home tab shows only the first few)."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(Meddelande)
            .join(OutboxMessage, OutboxMessage.id == Meddelande.outbox_id)
            .where(*_held_where(pair_id, sender))
        )
        or 0
    )


def pairs_of(session: Session, user: str) -> list[Pair]:
    """The user's live pairs in the request's workspace (in any outside a request)."""
    return list(
        session.scalars(select(Pair).where(or_(Pair.kso_user == user, Pair.kd_user == user), Pair.status != "dissolved", *in_team())).all()
    )


# --- figures for the yearly utvecklingssamtal --------------------------------------


@dataclass(frozen=True)
class AkutReason:
    at: datetime
    when: str
    sender: str
    reason: str  # raw user text, shortened: escape it before posting


@dataclass(frozen=True)
class AkutStats:
    """Messages through the bot in a period: how many waited, and how often akut broke the rule.

    `sent` counts messages written in the period and not cancelled; `held` those that
    waited for working time (escalated ones included); akut figures count by the moment
    the message went akut (written or escalated) and split by `akut_when`.
    """

    sent: int = 0
    held: int = 0
    cancelled: int = 0
    akut: int = 0
    escalated: int = 0
    by_when: dict[str, int] = field(default_factory=lambda: dict.fromkeys(AKUT_WHENS, 0))
    reasons: list[AkutReason] = field(default_factory=list)

    @property
    def weekend(self) -> int:
        """Akut messages on a weekend or holiday: the times the weekend rule was broken."""
        return self.by_when.get(HELG, 0)

    @property
    def outside_hours(self) -> int:
        return self.by_when.get(KVALL, 0) + self.by_when.get(HELG, 0)


def akut_counts(session: Session, pair_id: int, since: datetime, until: datetime) -> AkutStats:
    """Figures for [since, until) for the yearly report."""
    rows = session.scalars(
        select(Meddelande).where(Meddelande.pair_id == pair_id, Meddelande.written_at < until).order_by(Meddelande.id)
    ).all()
    sent = held = cancelled = akut = escalated = 0
    by_when: Counter[str] = Counter(dict.fromkeys(AKUT_WHENS, 0))
    reasons: list[AkutReason] = []
    for m in rows:
        if since <= m.written_at:
            if m.cancelled_at is not None:
                cancelled += 1
            else:
                sent += 1
                held += int(m.held)
        akut_at = m.escalated_at or m.written_at
        if m.akut and since <= akut_at < until:
            akut += 1
            escalated += int(m.escalated_at is not None)
            when = m.akut_when or HELG
            by_when[when] += 1
            reasons.append(AkutReason(at=akut_at, when=when, sender=m.sender, reason=one_line(m.akut_reason or m.text, 200)))
    return AkutStats(sent=sent, held=held, cancelled=cancelled, akut=akut, escalated=escalated, by_when=dict(by_when), reasons=reasons)
