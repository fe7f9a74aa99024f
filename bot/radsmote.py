"""The rådsmöte post: the afternoon meeting of the majority leadership with the KD (seed 004).

It goes to the channel set with `/samspel rådsmöte #kanal` and lists only what that
wider group should see: the cases the KSO sent to KS since the last rådsmöte and the
open agenda points of type `kommande`. Nothing private from the pair's channel.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.agenda import (
    MEETING_LENGTH,
    POINT_TEXT_SHORT,
    Block,
    Due,
    Item,
    chunk_messages,
    continued_title,
    meeting_of_week,
    post_due,
    section_units,
    shorten,
)
from bot.db import SessionScope
from bot.domain.calendar import WorkingCalendar, format_hhmm
from bot.i18n import _
from bot.models import AgendaPoint, Arende, Pair
from bot.outbox import enqueue
from bot.text import escape, fmt_date

log = logging.getLogger(__name__)



def no_cases() -> str:
    return _("Inga ärenden har gått till KS sedan förra rådsmötet.")


def no_kommande() -> str:
    return _("Inga kommande frågor är anmälda.")


def cases_heading() -> str:
    return _("Ärenden till KS")


def kommande_heading() -> str:
    return _("Kommande frågor")


def plan_radsmote(pair: Pair, cal: WorkingCalendar, now: datetime) -> Due | None:
    if not pair.radsmote_channel:
        return None
    meeting = meeting_of_week(cal, pair, cal.local(now).date(), minutes=pair.radsmote_time_min)
    if meeting is None:
        return None
    deadline = max(cal.day_end(meeting.day), meeting.post_at + MEETING_LENGTH)
    return Due(f"radsmote:{pair.id}:{meeting.iso_label}", meeting, meeting.post_at, deadline)


def title(pair: Pair, due: Due) -> str:
    return _("Rådsmöte {date} kl. {time}").format(date=fmt_date(due.meeting.day), time=format_hhmm(pair.radsmote_time_min))


def build_items(session: Session, pair: Pair, due: Due) -> tuple[list[Item], list[Item]]:
    """(cases sent to KS since the previous rådsmöte, open `kommande` points). Two queries."""
    cases = session.scalars(
        select(Arende).where(
            Arende.pair_id == pair.id, Arende.status == "till_ks",
            Arende.decided_at >= due.meeting.since, Arende.decided_at < due.at,
        ).order_by(Arende.ks_meeting, Arende.nr)
    ).all()
    points = session.scalars(
        select(AgendaPoint).where(AgendaPoint.pair_id == pair.id, AgendaPoint.typ == "kommande",
                                  AgendaPoint.closed_at.is_(None))
        .order_by(AgendaPoint.created_at, AgendaPoint.id)
    ).all()
    case_items = []
    for a in cases:
        parts = [f"• *#{a.nr}* {escape(shorten(a.titel, POINT_TEXT_SHORT))}"]
        if a.ks_meeting:
            parts.append(_("KS-möte {date}").format(date=a.ks_meeting.isoformat()))
        if a.link:
            parts.append(escape(shorten(a.link, 300)))
        case_items.append(Item(" · ".join(parts)))
    return case_items, [Item(f"• {escape(shorten(p.text, POINT_TEXT_SHORT))}") for p in points]


def render_text(pair: Pair, due: Due, cases: list[Item], kommande: list[Item]) -> str:
    lines = [f"*{title(pair, due)}*", "", f"*{cases_heading()}*"]
    lines += [i.text for i in cases] or [f"_{no_cases()}_"]
    lines += ["", f"*{kommande_heading()}*"]
    lines += [i.text for i in kommande] or [f"_{no_kommande()}_"]
    return "\n".join(lines)


def render_messages(pair: Pair, due: Due, cases: list[Item], kommande: list[Item]) -> list[list[Block]]:
    head = title(pair, due)
    header: list[Block] = [{"type": "header", "text": {"type": "plain_text", "text": head, "emoji": True}}]
    units = section_units(f"*{cases_heading()}*", cases, no_cases())
    units += section_units(f"*{kommande_heading()}*", kommande, no_kommande())

    def continued(part: int) -> Block:
        return {"type": "context", "elements": [{"type": "mrkdwn", "text": continued_title(f"*{head}*", part)}]}

    return chunk_messages(header, units, continued)


def produce_radsmote(session: Session, pair: Pair, due: Due, now: datetime) -> int:
    channel = pair.radsmote_channel
    if not channel:
        return 0
    cases, kommande = build_items(session, pair, due)
    messages = render_messages(pair, due, cases, kommande)
    fallback = render_text(pair, due, cases, kommande)[:3000]
    for part, blocks in enumerate(messages, start=1):
        enqueue(session, kind="post", now=now, channel=channel, pair_id=pair.id, blocks=blocks,
                text=fallback if part == 1 else continued_title(title(pair, due), part),
                dedupe_key=f"{due.key}:{part}", respekt=True)
    log.info("rådsmöte %s queued for pair %s: %s cases, %s kommande", due.key, pair.id, len(cases), len(kommande))
    return len(messages)


def post_due_radsmoten(uow: SessionScope, now: datetime) -> list[str]:
    return post_due(uow, now, "rådsmöte", plan_radsmote, produce_radsmote)

