"""The respekt rule: messages between the pair's KSO and KD that wait for working time.

"Vi undviker att störa varandra utanför ordinarie arbetstid och endast vid riktigt
akuta frågor kontaktar vi varandra under helger." A meddelande (message) sent
through the bot is one `Meddelande` row and ONE outbox row (a DM to the other
member), written in one transaction. Outside the recipient's working time the
outbox row waits until `next_working_start`; an akut message goes at once and is
labelled. Cancelling or escalating changes that same outbox row, so a message is
delivered at most once whatever happens.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from bot.db import rowcount
from bot.domain.events import PairChanged
from bot.errors import UserError
from bot.i18n import _
from bot.models import Meddelande, OutboxMessage, Pair
from bot.outbox import enqueue
from bot.presenters.blocks import actions, button, section
from bot.services.pairs import Member, calendar_for
from bot.services.unit_of_work import emit
from bot.text import MAX_TEXT, escape, fmt_when, from_slack, one_line
from bot.worktime import WorkingCalendar

# akut_when: when an akut message broke through, as the yearly talk counts it.
ARBETSTID, KVALL, HELG = "arbetstid", "kväll", "helg"
AKUT_WHENS = (ARBETSTID, KVALL, HELG)
MAX_REASON = 500
LIST_LIMIT = 20

ANGRA_ACTION = "meddela_angra"
AKUT_ACTION = "meddela_akut"

# The two changes a sender can make to a held message (they name the refusals).
CANCEL, ESCALATE = "ångra", "skicka som akut"


class MessageError(UserError):
    """Bad message input; `field` says which part of the form was wrong ('text' or 'skal')."""

    def __init__(self, message: str, field: str = "text") -> None:
        super().__init__(message)
        self.field = field


def akut_when(cal: WorkingCalendar, t: datetime) -> str:
    """'arbetstid' inside working time, 'kväll' outside it on a working day, else 'helg'."""
    if cal.is_working_time(t):
        return ARBETSTID
    if cal.is_working_day(cal.local(t).date()):
        return KVALL
    return HELG


def _empty_refusal(*, akut: bool, source: str) -> str:
    if source == "shortcut":
        return _("Meddelandet är tomt: skriv vad du vill skicka.")
    if akut:
        return _("Meddelandet är tomt: skriv det efter ordet akut, t.ex. `/meddela akut Vattenläcka i stadshuset, ring mig`.")
    return _("Meddelandet är tomt: skriv det efter kommandot, t.ex. `/meddela Kan vi ta budgeten på måndag?`")


def validate(text: str, *, akut: bool, reason: str | None, source: str = "command") -> tuple[str, str | None]:
    """The text and reason to store, or a MessageError naming the bad field."""
    if not text.strip():
        raise MessageError(_empty_refusal(akut=akut, source=source))
    if len(text) > MAX_TEXT:
        raise MessageError(_("Meddelandet är för långt ({length} tecken): högst {limit} tecken går att skicka. "
                             "Dela upp det, eller lägg en länk till ett dokument.").format(length=len(text), limit=MAX_TEXT))
    if not akut:
        return text, None
    reason = (reason or "").strip()
    if not reason:
        raise MessageError(_("Ett akut meddelande behöver ett kort skäl: skriv varför det inte kan vänta."), "skal")
    if len(reason) > MAX_REASON:
        raise MessageError(_("Skälet är för långt ({length} tecken): högst {limit} tecken.").format(
            length=len(reason), limit=MAX_REASON), "skal")
    return text, reason


def send(
    session: Session,
    member: Member,
    *,
    text: str,
    now: datetime,
    akut: bool = False,
    reason: str | None = None,
    source: str = "command",
    origin_user: str | None = None,
) -> Meddelande:
    """Send `text` to the other member of the pair: now inside their working time, else held."""
    text, reason = validate(text, akut=akut, reason=reason, source=source)
    pair = member.pair
    recipient = pair.other(member.user)
    cal = calendar_for(session, pair, recipient)
    deliver_at = now if akut else cal.next_working_start(now)
    message = Meddelande(
        pair_id=pair.id, sender=member.user, recipient=recipient, text=text, source=source,
        origin_user=origin_user if origin_user and origin_user != member.user else None,
        written_at=now, deliver_at=deliver_at, held=deliver_at > now, akut=akut,
        akut_reason=reason, akut_when=akut_when(cal, now) if akut else None,
    )
    session.add(message)
    session.flush()
    row = enqueue(
        session, kind="dm", now=now, user=message.recipient, pair_id=pair.id, text=delivery_text(message, pair.timezone),
        deliver_after=deliver_at, dedupe_key=f"meddelande:{message.id}", respekt=not akut,
    )
    message.outbox_id = row.id
    emit(session, PairChanged(at=now, pair_id=pair.id))
    return message


def akut_label() -> str:
    """The label of an akut message, in the bot's language."""
    return _("🚨 AKUT")


def delivery_text(message: Meddelande, timezone: str) -> str:
    """What the recipient sees: who wrote it, when (local time), the label and the escaped text."""
    written = fmt_when(message.written_at, timezone)
    if message.akut:
        lines = [_("{label} · meddelande från <@{sender}>, skrivet {written}").format(
            label=akut_label(), sender=message.sender, written=written)]
        reason = (message.akut_reason or "").strip()
        if reason and reason != message.text.strip():
            lines.append(_("*Skäl:* {reason}").format(reason=escape(reason)))
    else:
        lines = [_("✉️ Meddelande från <@{sender}>, skrivet {written}").format(sender=message.sender, written=written)]
    if message.origin_user:
        lines.append(_("_Vidarebefordrat meddelande av <@{author}>_").format(author=message.origin_user))
    lines.extend("> " + line for line in escape(message.text).split("\n"))
    if message.held and not message.akut:
        lines.append(_("_Skrevs utanför din arbetstid och hölls enligt respektregeln._"))
    return "\n".join(lines)


# --- the sender manages held messages ---------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """The sender's private answer after a change, and the message it concerned."""

    text: str
    message: Meddelande
    blocks: list[dict[str, Any]] | None = None


def _not_yours() -> str:
    return _("Hittar inget sådant meddelande från dig.")


def _own_message(session: Session, user: str, meddelande_id: int | None) -> tuple[Meddelande, OutboxMessage, Pair]:
    message = session.get(Meddelande, meddelande_id) if meddelande_id is not None else None
    # A foreign or unknown id gets the same answer: nothing about others' messages leaks.
    if message is None or message.sender != user or message.outbox_id is None:
        raise UserError(_not_yours())
    pair = session.get(Pair, message.pair_id)
    if pair is None or pair.role_of(user) is None:
        raise UserError(_not_yours())
    row = session.get(OutboxMessage, message.outbox_id)
    if row is None:
        raise UserError(_not_yours())
    return message, row, pair


def _delivering_now(verb: str) -> str:
    if verb == CANCEL:
        return _("Meddelandet levereras just nu, så det går inte att ångra.")
    return _("Meddelandet levereras just nu, så det går inte att skicka som akut.")


def _refuse_unless_pending(message: Meddelande, row: OutboxMessage, pair: Pair, now: datetime, verb: str) -> None:
    """`verb` is CANCEL or ESCALATE: what the sender tried, named in the refusal."""
    if message.cancelled_at is not None or row.status == "cancelled":
        raise UserError(_("Meddelandet är redan ångrat och skickas inte."))
    if row.status == "sent":
        when = fmt_when(row.sent_at or row.deliver_after, pair.timezone)
        if verb == CANCEL:
            raise UserError(_("Meddelandet levererades redan {when}, så det går tyvärr inte att ångra längre.").format(when=when))
        raise UserError(_("Meddelandet levererades redan {when}, så det går tyvärr inte att skicka som akut längre.").format(
            when=when))
    if row.status == "failed":
        raise UserError(_("Meddelandet kunde inte levereras. Se `/samspel status`."))
    if row.lease_until is not None and row.lease_until >= now:
        raise UserError(_delivering_now(verb))


def _change_pending(session: Session, message: Meddelande, row: OutboxMessage, pair: Pair, now: datetime,
                    verb: str, **values: object) -> None:
    """Change the outbox row only if it is still pending and unclaimed, checked in the UPDATE itself.

    A delivery process may claim the row between our read and our write; the conditional
    UPDATE then changes nothing and the sender is told why, instead of "Ångrat" for a
    message that is being posted at that moment.
    """
    changed = rowcount(session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row.id, OutboxMessage.status == "pending",
               or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until < now))
        .values(**values)
        .execution_options(synchronize_session=False)
    ))
    session.refresh(row)
    if changed != 1:
        _refuse_unless_pending(message, row, pair, now, verb)
        raise UserError(_delivering_now(verb))


def cancel(session: Session, *, user: str, meddelande_id: int | None, now: datetime) -> Outcome:
    """Ångra: stop a held message before it is delivered. Only its sender may."""
    message, row, pair = _own_message(session, user, meddelande_id)
    _refuse_unless_pending(message, row, pair, now, CANCEL)
    # Never delivered, so never needed: the text goes at once (gallring), the metadata stays for the figures.
    _change_pending(session, message, row, pair, now, CANCEL, status="cancelled", text="", blocks=None)
    message.cancelled_at = now
    message.text = ""
    emit(session, PairChanged(at=now, pair_id=pair.id))
    return Outcome(_("Ångrat. Meddelandet till <@{to}> skickas inte.").format(to=message.recipient), message)


def escalate(session: Session, *, user: str, meddelande_id: int | None, now: datetime) -> Outcome:
    """Skicka nu som akut: the same outbox row goes at once, labelled, so it is delivered once."""
    message, row, pair = _own_message(session, user, meddelande_id)
    _refuse_unless_pending(message, row, pair, now, ESCALATE)
    if message.akut:
        raise UserError(_("Meddelandet skickas redan som akut."))
    if not message.held:
        raise UserError(_("Meddelandet hålls inte: det levereras redan så snart det går."))
    if row.deliver_after <= now:
        # An old button pressed once working time has begun: no need to break the rule, nothing to count.
        raise UserError(_("<@{to}> har arbetstid nu, så meddelandet levereras ändå direkt, utan akutmärkning.").format(
            to=message.recipient))
    cal = calendar_for(session, pair, message.recipient)
    message.akut = True
    # The text the sender wrote is the reason, as for `/meddela akut <text>`.
    message.akut_reason = message.akut_reason or message.text[:MAX_REASON]
    message.akut_when = akut_when(cal, now)
    message.escalated_at = now
    message.deliver_at = now
    _change_pending(session, message, row, pair, now, ESCALATE, deliver_after=now, respekt=False, next_attempt_at=None,
                    text=delivery_text(message, pair.timezone), blocks=None)
    emit(session, PairChanged(at=now, pair_id=pair.id))
    return Outcome(_("{label}: meddelandet skickas nu till <@{to}>.").format(label=akut_label(), to=message.recipient),
                   message)


def reschedule_held(session: Session, pair: Pair, now: datetime, user: str | None = None) -> int:
    """After someone's working hours or days off changed: move what waits for them to their new next working start.

    A message held to Monday 08:00 must not arrive on a Monday that has just become a day
    off, nor wait until 08:00 for someone who now starts at 07:00. `user` is whose calendar
    changed (None: both). Their held messages and Samspel's own held DMs to them move, and
    so do held posts in the pair's channel, which follow the time when both work.
    Returns how many moved.
    """
    users = [u for u in (pair.kso_user, pair.kd_user) if user is None or u == user]
    waiting = (OutboxMessage.pair_id == pair.id, OutboxMessage.status == "pending", OutboxMessage.deliver_after > now,
               OutboxMessage.respekt.is_(True),
               or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until < now))
    moved = 0
    for person in users:
        # Never earlier than written; `now` is later than that, so the next start from now.
        when = calendar_for(session, pair, person).next_working_start(now)
        for row in session.scalars(select(OutboxMessage).where(
                *waiting, OutboxMessage.kind == "dm", OutboxMessage.user == person).order_by(OutboxMessage.id)):
            if when != row.deliver_after:
                row.deliver_after = when
                moved += 1
        # The Meddelande keeps its own copy of the time, which the sender's lists show.
        for message, row in session.execute(
            select(Meddelande, OutboxMessage).join(OutboxMessage, OutboxMessage.id == Meddelande.outbox_id)
            .where(Meddelande.pair_id == pair.id, Meddelande.recipient == person, Meddelande.cancelled_at.is_(None),
                   Meddelande.akut.is_(False), OutboxMessage.status == "pending")
        ).all():
            message.deliver_at = row.deliver_after
    both = calendar_for(session, pair).next_working_start(now)
    for row in session.scalars(select(OutboxMessage).where(*waiting, OutboxMessage.kind == "post")):
        if both != row.deliver_after:
            row.deliver_after = both
            moved += 1
    if moved:
        emit(session, PairChanged(at=now, pair_id=pair.id))
    return moved


def held_messages(session: Session, pair_id: int, sender: str) -> list[tuple[Meddelande, OutboxMessage]]:
    """The sender's messages still waiting for the recipient's working time, in delivery order."""
    rows = session.execute(
        select(Meddelande, OutboxMessage)
        .join(OutboxMessage, OutboxMessage.id == Meddelande.outbox_id)
        .where(
            Meddelande.pair_id == pair_id, Meddelande.sender == sender, Meddelande.cancelled_at.is_(None),
            OutboxMessage.status == "pending", Meddelande.held.is_(True), Meddelande.akut.is_(False),
        )
        .order_by(OutboxMessage.deliver_after, Meddelande.id)
    ).all()
    return [(m, o) for m, o in rows]


# --- Block Kit --------------------------------------------------------------------


def _buttons(message_id: int) -> dict[str, Any]:
    value = str(message_id)
    confirm = {
        "title": {"type": "plain_text", "text": _("Skicka som akut?")},
        "text": {"type": "plain_text", "text": _("Meddelandet levereras direkt, märkt AKUT, och räknas i er akutstatistik.")},
        "confirm": {"type": "plain_text", "text": _("Skicka nu")},
        "deny": {"type": "plain_text", "text": _("Vänta")},
    }
    return actions(
        button(_("🚨 Skicka nu som akut"), AKUT_ACTION, value, "danger", confirm=confirm),
        button(_("Ångra"), ANGRA_ACTION, value),
        block_id=f"meddela_{value}",
    )


def _preview(text: str, limit: int = 200) -> str:
    return escape(one_line(text, limit))


def held_notice(message: Meddelande, timezone: str) -> str:
    return _("Hålls enligt respektregeln till {when}").format(when=fmt_when(message.deliver_at, timezone))


def sent_answer(message: Meddelande, timezone: str) -> tuple[str, list[dict[str, Any]] | None]:
    """The sender's private answer right after sending: (text, blocks)."""
    to = f"<@{message.recipient}>"
    if message.akut:
        where = {ARBETSTID: _("under arbetstid"), KVALL: _("utanför arbetstid"), HELG: _("en helg eller helgdag")}
        text = _("{label}: skickat direkt till {to}. Det räknas som akut {where} i er statistik "
                 "inför utvecklingssamtalet.").format(label=akut_label(), to=to, where=where.get(message.akut_when or "", ""))
        return text, None
    if not message.held:
        return _("Skickat till {to}, som har arbetstid nu.").format(to=to), None
    text = _("{notice}. {to} har inte arbetstid nu.").format(notice=held_notice(message, timezone), to=to)
    blocks = [section(f":hourglass_flowing_sand: {text}\n> {_preview(message.text)}"), _buttons(message.id)]
    return held_notice(message, timezone), blocks


def count_phrase(count: int) -> str:
    return _("1 meddelande") if count == 1 else _("{count} meddelanden").format(count=count)


def held_blocks(session: Session, pair: Pair, user: str, *, heading: bool = False) -> list[dict[str, Any]]:
    """The user's held messages, each with delivery time and both buttons (for /meddela lista and Home).

    `heading` adds a title line; the Home tab has its own header.
    """
    items = held_messages(session, pair.id, user)
    if not items:
        return [section(_("Du har inga meddelanden som hålls enligt respektregeln just nu."))]
    blocks: list[dict[str, Any]] = []
    if heading:
        blocks.append(section(_("*Dina meddelanden som hålls enligt respektregeln ({count})*").format(count=len(items))))
    for message, row in items[:LIST_LIMIT]:
        blocks.append(section(_("Till <@{to}> · levereras *{deliver}* · skrivet {written}\n> {preview}").format(
            to=message.recipient, deliver=fmt_when(row.deliver_after, pair.timezone),
            written=fmt_when(message.written_at, pair.timezone), preview=_preview(message.text))))
        blocks.append(_buttons(message.id))
    if len(items) > LIST_LIMIT:
        blocks.append(section(_("… och {count} till.").format(count=len(items) - LIST_LIMIT)))
    return blocks


def list_answer(session: Session, member: Member) -> tuple[str, list[dict[str, Any]]]:
    count = len(held_messages(session, member.pair.id, member.user))
    text = (_("Du har {messages} som hålls.").format(messages=count_phrase(count)) if count
            else _("Du har inga meddelanden som hålls just nu."))
    return text, held_blocks(session, member.pair, member.user, heading=True)


def pairs_of(session: Session, user: str) -> list[Pair]:
    return list(session.scalars(select(Pair).where(or_(Pair.kso_user == user, Pair.kd_user == user), Pair.status != "dissolved")).all())


# --- the modal of the "Skicka med Samspel" shortcut --------------------------------

MODAL_CALLBACK = "meddela_skicka"
TEXT_BLOCK, AKUT_BLOCK, REASON_BLOCK = "text", "akut", "skal"


def compose_modal(member: Member, text: str, metadata: str) -> dict[str, Any]:
    """The shortcut's modal: the message text (editable), an akut checkbox and a reason."""
    initial = from_slack(text)
    note = ""
    if len(initial) > MAX_TEXT:
        initial = initial[:MAX_TEXT]
        note = "\n" + _("_Meddelandet var längre än {limit} tecken och har kortats._").format(limit=MAX_TEXT)
    text_input: dict[str, Any] = {"type": "plain_text_input", "action_id": TEXT_BLOCK, "multiline": True, "max_length": 3000}
    if initial.strip():
        text_input["initial_value"] = initial
    recipient = member.pair.other(member.user)
    return {
        "type": "modal", "callback_id": MODAL_CALLBACK, "private_metadata": metadata,
        "title": {"type": "plain_text", "text": _("Skicka med Samspel")},
        "submit": {"type": "plain_text", "text": _("Skicka")},
        "close": {"type": "plain_text", "text": _("Avbryt")},
        "blocks": [
            section(_("Till <@{to}>. Utanför mottagarens arbetstid hålls meddelandet till arbetstidens början.").format(
                to=recipient) + note),
            {"type": "input", "block_id": TEXT_BLOCK, "label": {"type": "plain_text", "text": _("Meddelande")},
             "element": text_input},
            {"type": "input", "block_id": AKUT_BLOCK, "optional": True, "label": {"type": "plain_text", "text": _("Akut")},
             "element": {"type": "checkboxes", "action_id": AKUT_BLOCK, "options": [{
                 "text": {"type": "plain_text", "text": _("🚨 Akut: skicka direkt, även kväll och helg"), "emoji": True},
                 "value": "akut"}]}},
            {"type": "input", "block_id": REASON_BLOCK, "optional": True,
             "label": {"type": "plain_text", "text": _("Skäl (krävs för akut)")},
             "element": {"type": "plain_text_input", "action_id": REASON_BLOCK, "max_length": MAX_REASON}},
        ],
    }


def info_modal(text: str, blocks: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A modal that only tells something (a refusal, or the result with its buttons)."""
    return {
        "type": "modal", "title": {"type": "plain_text", "text": "Samspel"},
        "close": {"type": "plain_text", "text": _("Stäng")},
        "blocks": blocks or [section(text)],
    }


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
    return AkutStats(sent=sent, held=held, cancelled=cancelled, akut=akut, escalated=escalated,
                     by_when=dict(by_when), reasons=reasons)


PAUSED_RECHECK = timedelta(minutes=10)


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
    cal = calendar_for(session, pair, row.user if row.kind in ("dm", "ephemeral") else None)
    if cal.is_working_time(now):
        return None
    later = cal.next_working_start(now)
    message = session.scalar(select(Meddelande).where(Meddelande.outbox_id == row.id))
    if message is not None:
        message.deliver_at = later
    return later
