"""The rådsmöte post: the afternoon meeting of the majority leadership with the KD (seed 004).

It goes to the channel set with `/samspel rådsmöte #kanal` and lists only what that
wider group should see: the cases the KSO sent to KS since the last rådsmöte and the
open agenda points of type `kommande`. Nothing private from the pair's channel.
Worded by `bot/presenters/radsmote.py`, posted by `bot/projections/posted_agenda.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain import agenda as plan
from bot.domain.agenda import Due
from bot.domain.calendar import WorkingCalendar
from bot.models import AgendaPoint, Arende, Pair


def plan_radsmote(pair: Pair, cal: WorkingCalendar, now: datetime) -> Due | None:
    """This week's rådsmöte post, on the meeting day at the pair's rådsmöte time; None without a channel."""
    if not pair.radsmote_channel:
        return None
    return plan.plan_radsmote(pair.id, cal, now, pair.radsmote_time_min)


@dataclass(frozen=True)
class CaseToKs:
    nr: int
    title: str
    ks_meeting: date | None
    link: str | None


@dataclass(frozen=True)
class Radsmote:
    """What one rådsmöte post lists: cases sent to KS since the previous rådsmöte, open `kommande` points."""

    channel: str
    day: date
    time_min: int
    cases: tuple[CaseToKs, ...]
    kommande: tuple[str, ...]


def build(session: Session, pair: Pair, due: Due) -> Radsmote:
    """The rådsmöte's lists. Two queries."""
    cases = session.scalars(
        select(Arende)
        .where(
            Arende.pair_id == pair.id,
            Arende.status == "till_ks",
            Arende.decided_at >= due.meeting.since,
            Arende.decided_at < due.at,
        )
        .order_by(Arende.ks_meeting, Arende.nr)
    ).all()
    points = session.scalars(
        select(AgendaPoint)
        .where(AgendaPoint.pair_id == pair.id, AgendaPoint.typ == "kommande", AgendaPoint.closed_at.is_(None))
        .order_by(AgendaPoint.created_at, AgendaPoint.id)
    ).all()
    return Radsmote(
        channel=pair.radsmote_channel or "",
        day=due.meeting.day,
        time_min=pair.radsmote_time_min,
        cases=tuple(CaseToKs(a.nr, a.titel, a.ks_meeting, a.link) for a in cases),
        kommande=tuple(p.text for p in points),
    )
