"""The posted agenda: posting the week's agenda (and the rådsmöte post), and keeping the posted agenda true.

This module owns which messages are the posted agenda: the outbox rows of one week's agenda
carry the dedupe key `agenda:<pair>:<week>:<part>` (`_latest_agenda` finds them by it). What
changes inside a message is the presenter's (`bot.presenters.agenda`: `with_decision`,
`with_answer`, `with_point_closed`, `late_line`), the one module that writes the agenda's block
ids and reads them back; this module applies those patches and chat.updates what changed.

A decided case, an answered question or a closed point shows on it, and until the meeting
starts, what is added (points, uppdrag, cases, questions) appears on it. The channel's
texts are in the pair's language (`people.pair_translator`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.agenda import Due
from bot.domain.events import AgendaChanged, AgendaPointClosed, CaseDecided, Event, QuestionAnswered
from bot.i18n import Translator
from bot.models import Arende, OutboxMessage, Pair, UppdragFraga
from bot.outbox import enqueue_update
from bot.presenters import agenda as words
from bot.presenters import radsmote as radsmote_words
from bot.presenters.blocks import Block, section
from bot.presenters.incidents import resolution_note
from bot.projections.notices import pair_post
from bot.services import agenda, radsmote
from bot.services.pairs import live_pair_in
from bot.services.people import pair_translator
from bot.services.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

# More parts than any real agenda has (1000 of everything is 84); bounds the lookup of the posted one.
MAX_AGENDA_PARTS = 200


def _part_key(week_key: str, part: int | str) -> str:
    return f"{week_key}:{part}"


def _week_key(message: OutboxMessage) -> str:
    """'agenda:3:2026-W49:2' → 'agenda:3:2026-W49'."""
    return (message.dedupe_key or "").rsplit(":", 1)[0]


def _part_number(message: OutboxMessage) -> int:
    return int((message.dedupe_key or "0").rsplit(":", 1)[1])


# --- posting the week's agenda -----------------------------------------------------------


def _enqueue_parts(
    session: Session, pair: Pair, channel: str, week_key: str, messages: list[list[Block]], texts: Callable[[int], str], now: datetime
) -> None:
    for part, blocks in enumerate(messages, start=1):
        # The pair chose this time themselves (`/samspel agendatid`); it waits until both work.
        pair_post(session, pair, at=now, text=texts(part), blocks=blocks, dedupe_key=_part_key(week_key, part), channel=channel)


def produce_agenda(session: Session, pair: Pair, due: Due, now: datetime) -> int:
    """Queue the week's agenda in the pair's channel (one message per part); returns how many."""
    t = pair_translator(session, pair)
    data = agenda.build_agenda(session, pair, due.meeting)
    late = due.is_late(now)
    messages = words.render_messages(data, t, words.late_note(due, pair.timezone, t) if late else None)
    fallback = words.title(data, t)
    _enqueue_parts(
        session,
        pair,
        pair.channel_id,
        due.key,
        messages,
        lambda part: fallback if part == 1 else words.continued_title(fallback, part, t),
        now,
    )
    log.info("agenda %s queued for pair %s (%s messages%s)", due.key, pair.id, len(messages), ", late" if late else "")
    return len(messages)


def produce_missed(session: Session, pair: Pair, due: Due, now: datetime) -> int:
    """The meeting week ended with no agenda (Samspel was down): tell the channel, once, what it would have held."""
    text = words.missed_text(agenda.missed_week(session, pair, due), pair_translator(session, pair))
    pair_post(session, pair, at=now, text=text, blocks=[section(text)], dedupe_key=_part_key(due.key, "missad"))
    return 1


def produce_radsmote(session: Session, pair: Pair, due: Due, now: datetime) -> int:
    """Queue the rådsmöte post in its channel; returns how many messages."""
    channel = pair.radsmote_channel
    if not channel:
        return 0
    owner = live_pair_in(session, channel, team_id=pair.team_id)
    if owner is not None and owner.id != pair.id:
        # Checked when it was set; this holds even if the channel has since become another pair's.
        log.warning("rådsmöte %s for pair %s not posted: its channel is pair %s's", due.key, pair.id, owner.id)
        return 0
    t = pair_translator(session, pair)
    data = radsmote.build(session, pair, due)
    messages = radsmote_words.render_messages(data, t)
    fallback = radsmote_words.render_text(data, t)[:3000]
    head = radsmote_words.title(data, t)
    _enqueue_parts(
        session, pair, channel, due.key, messages, lambda part: fallback if part == 1 else words.continued_title(head, part, t), now
    )
    log.info("rådsmöte %s queued for pair %s: %s cases, %s kommande", due.key, pair.id, len(data.cases), len(data.kommande))
    return len(messages)


# --- finding and changing the posted agenda ------------------------------------------------


def latest_blocks(session: Session, message: OutboxMessage) -> list[Block]:
    """The message as Slack shows it (or will): its latest chat.update, else the original."""
    latest = session.scalar(
        select(OutboxMessage)
        .where(OutboxMessage.ref_id == message.id, OutboxMessage.kind == "update", OutboxMessage.status.in_(("pending", "sent")))
        .order_by(OutboxMessage.id.desc())
        .limit(1)
    )
    return list((latest or message).blocks or [])


def _latest_agenda(session: Session, pair_id: int) -> list[OutboxMessage]:
    """The messages of the pair's most recent agenda (one per part), sent or still queued."""
    prefix = f"agenda:{pair_id}:"
    rows = session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.kind == "post",
            OutboxMessage.pair_id == pair_id,
            OutboxMessage.dedupe_key.startswith(prefix, autoescape=True),
            OutboxMessage.status.in_(("pending", "sent")),
        )
        .order_by(OutboxMessage.id.desc())
        .limit(MAX_AGENDA_PARTS)
    ).all()
    if not rows:
        return []
    week = _week_key(rows[0])
    return [r for r in rows if _week_key(r) == week]


def update_posted(
    session: Session,
    pair_id: int,
    now: datetime,
    change: Callable[[list[Block]], list[Block] | None],
    clicked: tuple[str, str] | None = None,
) -> int:
    """Apply `change` to the latest agenda (and to the clicked message, an older agenda say); chat.update what changed."""
    messages = _latest_agenda(session, pair_id)
    if clicked is not None:
        channel, ts = clicked
        other = session.scalar(
            select(OutboxMessage).where(
                OutboxMessage.kind == "post",
                OutboxMessage.pair_id == pair_id,
                OutboxMessage.sent_channel == channel,
                OutboxMessage.sent_ts == ts,
            )
        )
        if other is not None and all(m.id != other.id for m in messages):
            messages.append(other)
    changed = 0
    for message in messages:
        blocks = latest_blocks(session, message)
        new = change(blocks)
        if new is not None and new != blocks:
            enqueue_update(session, message, now=now, text=message.text, blocks=new)
            changed += 1
    return changed


# --- keeping a posted agenda current until the meeting ---------------------------------------


def _shrink(session: Session, extra: list[OutboxMessage], now: datetime, t: Translator) -> int:
    """Parts the agenda no longer needs keep a short note."""
    text, gone = words.shorter_now(t)
    changed = 0
    for message in extra:
        if latest_blocks(session, message) != gone:
            enqueue_update(session, message, now=now, text=text, blocks=gone)
            changed += 1
    return changed


def refresh_posted(session: Session, pair: Pair, now: datetime) -> int:
    """Render the posted agenda again from today's data, while its meeting has not started.

    Each part is changed with chat.update (or rewritten in place while still queued); an
    agenda that grew gets a further part, one that shrank keeps its last parts with a short
    note. A late agenda keeps its "Försenad" line. Returns how many messages changed.
    """
    parts = sorted(_latest_agenda(session, pair.id), key=_part_number)
    if not parts:
        return 0
    week_key = _week_key(parts[0])
    meeting = agenda.meeting_to_refresh(session, pair, week_key.rsplit(":", 1)[1], now)
    if meeting is None:
        return 0
    t = pair_translator(session, pair)
    data = agenda.build_agenda(session, pair, meeting)
    # A late agenda keeps its "Försenad" line.
    fresh = words.render_messages(data, t, words.late_line(latest_blocks(session, parts[0])))
    fallback = words.title(data, t)
    changed = 0
    for number, blocks in enumerate(fresh, start=1):
        text = fallback if number == 1 else words.continued_title(fallback, number, t)
        if number > len(parts):
            pair_post(session, pair, at=now, text=text, blocks=blocks, dedupe_key=_part_key(week_key, number))
            changed += 1
        elif latest_blocks(session, parts[number - 1]) != blocks:
            enqueue_update(session, parts[number - 1], now=now, text=text, blocks=blocks)
            changed += 1
    return changed + _shrink(session, parts[len(fresh) :], now, t)


# --- the event handlers ----------------------------------------------------------------------


def show_decision(event: Event, uow: UnitOfWork) -> None:
    """A case was decided (on the agenda or in the KSO's DM): the posted agenda shows the decision."""
    assert isinstance(event, CaseDecided)
    session = uow.session
    case, pair = session.get(Arende, event.arende_id), session.get(Pair, event.pair_id)
    if case is None or pair is None:
        return
    t = pair_translator(session, pair)
    update_posted(session, pair.id, event.at, lambda blocks: words.with_decision(blocks, case, pair.timezone, t), clicked=event.clicked)


def show_answer(event: Event, uow: UnitOfWork) -> None:
    """An `oklart` question was answered: its Svara button on the posted agenda goes."""
    assert isinstance(event, QuestionAnswered)
    session = uow.session
    fraga, pair = session.get(UppdragFraga, event.fraga_id), session.get(Pair, event.pair_id)
    if fraga is None or pair is None:
        return
    t = pair_translator(session, pair)
    note = words.answered_note(pair.role_of(fraga.answered_by or ""), fraga.svar or "", t)
    update_posted(session, pair.id, event.at, lambda blocks: words.with_answer(blocks, fraga.id, note))


def show_closed(event: Event, uow: UnitOfWork) -> None:
    """A point was closed with its Stäng button: it is ticked off on the latest agenda and on the clicked message."""
    assert isinstance(event, AgendaPointClosed)
    pair = uow.session.get(Pair, event.pair_id)
    if pair is None:
        return
    t = pair_translator(uow.session, pair)
    note = words.closed_note(event.role, t)
    # A closed incident: who owns the follow-up and how it was cleared up, after the note.
    extra = resolution_note(event.owner, event.resolution, t)
    point_id = event.point_id
    update_posted(
        uow.session, event.pair_id, event.at, lambda blocks: words.with_point_closed(blocks, point_id, note, extra), clicked=event.clicked
    )


def show_additions(event: Event, uow: UnitOfWork) -> None:
    """Something the agenda lists was added: before the meeting starts, the posted agenda is rendered again."""
    assert isinstance(event, AgendaChanged)
    pair = uow.session.get(Pair, event.pair_id)
    if pair is not None and pair.status == "active":
        refresh_posted(uow.session, pair, event.at)
