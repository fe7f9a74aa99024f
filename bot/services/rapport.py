"""The year in figures: the material for the utvecklingssamtal.

One function computes the figures (`year_figures`); the post to the pair
channel and `python -m bot rapport` both render that one result
(bot/presenters/rapport.py), so they always agree. The period is the last 12
months up to now, in the pair's time zone. Definitions (also printed in the report):

- uppdrag given: given in the period; done: marked done in the period; done
  late: of those, done on a local date after the deadline; open past deadline:
  open now with a deadline before today (however old).
- ärenden: handed over in the period; of those, decided (till KS / åter) and the
  median number of days from handover to decision (local dates).
- meddelanden: as `bot.services.respekt.akut_counts` counts them: written in the period
  and not cancelled; held by the respekt rule; akut by the moment they went
  akut (written, or escalated from held); akut on weekends/holidays and on
  weekday evenings, listed with who sent them and the stated reason.
- agenda points carried over 3 weeks or more: open (or closed) 21 days or
  more after they were added, if they were still open at some point in the period.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from bot.domain.agenda import INCIDENT
from bot.models import AgendaPoint, Arende, Pair, Uppdrag
from bot.services import respekt, retention
from bot.services.pairs import calendar_for, get_pair

CARRY_OVER_DAYS = 21

LocalDay = Callable[[datetime], date]


@dataclass(frozen=True)
class AkutReason:
    day: date
    when: str  # "helg" or "kväll"
    role: str  # who sent it: "KSO" or "KD"
    reason: str


@dataclass(frozen=True)
class CarriedPoint:
    created: date
    weeks: int
    text: str
    still_open: bool


@dataclass(frozen=True)
class Incident:
    """An incident point of the year and, once closed, who owns the follow-up and how it was cleared up."""

    created: date
    text: str
    closed: date | None
    owner: str | None  # 'kso', 'kd', 'bada'
    resolution: str | None


@dataclass(frozen=True)
class YearFigures:
    """The last 12 months for one pair; see the module docstring for definitions."""

    pair_id: int
    first_day: date
    last_day: date
    uppdrag_given: int
    uppdrag_done: int
    uppdrag_done_late: int
    uppdrag_open_overdue: int
    arenden_handed_over: int
    arenden_decided: int
    arenden_to_ks: int
    arenden_back: int
    arenden_waiting: int
    median_days_to_decision: float | None
    messages_sent: int
    messages_held: int
    messages_akut: int
    akut_weekend: int
    akut_evening: int
    akut_reasons: list[AkutReason] = field(default_factory=list)
    carried_points: list[CarriedPoint] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    # SAMSPEL_RETENTION_DAYS when the figures were made: the report says how long texts are kept.
    retention_days: int = 0


def one_year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


@dataclass(frozen=True)
class _Span:
    """The period in the pair's zone: first and last local day, its start, and now."""

    first_day: date
    today: date
    start: datetime
    now: datetime
    local_day: LocalDay


def _uppdrag(session: Session, pair: Pair, span: _Span) -> dict[str, Any]:
    given = session.scalar(_count(Uppdrag, Uppdrag.pair_id == pair.id, Uppdrag.given_at >= span.start, Uppdrag.given_at <= span.now))
    done_rows = session.scalars(
        select(Uppdrag).where(
            Uppdrag.pair_id == pair.id, Uppdrag.status == "done", Uppdrag.done_at >= span.start, Uppdrag.done_at <= span.now
        )
    ).all()
    done_late = sum(1 for u in done_rows if u.deadline is not None and u.done_at is not None and span.local_day(u.done_at) > u.deadline)
    open_overdue = session.scalar(
        _count(Uppdrag, Uppdrag.pair_id == pair.id, Uppdrag.status == "open", Uppdrag.deadline.is_not(None), Uppdrag.deadline < span.today)
    )
    return {
        "uppdrag_given": given or 0,
        "uppdrag_done": len(done_rows),
        "uppdrag_done_late": done_late,
        "uppdrag_open_overdue": open_overdue or 0,
    }


def _arenden(session: Session, pair: Pair, span: _Span) -> dict[str, Any]:
    cases = session.scalars(
        select(Arende).where(Arende.pair_id == pair.id, Arende.submitted_at >= span.start, Arende.submitted_at <= span.now)
    ).all()
    decided = [a for a in cases if a.status in ("till_ks", "ater") and a.decided_at is not None]
    days = [(span.local_day(a.decided_at) - span.local_day(a.submitted_at)).days for a in decided if a.decided_at is not None]
    return {
        "arenden_handed_over": len(cases),
        "arenden_decided": len(decided),
        "arenden_to_ks": sum(1 for a in decided if a.status == "till_ks"),
        "arenden_back": sum(1 for a in decided if a.status == "ater"),
        "arenden_waiting": sum(1 for a in cases if a.status == "vantar"),
        "median_days_to_decision": float(statistics.median(days)) if days else None,
    }


def _meddelanden(session: Session, pair: Pair, span: _Span) -> dict[str, Any]:
    # The respekt feature owns what counts as sent, held and akut; the report only picks the akut
    # messages that broke through outside working hours and lists their reasons.
    stats = respekt.akut_counts(session, pair.id, span.start, span.now)
    outside = sorted((r for r in stats.reasons if r.when in (respekt.HELG, respekt.KVALL)), key=lambda r: r.at)
    return {
        "messages_sent": stats.sent,
        "messages_held": stats.held,
        "messages_akut": stats.akut,
        "akut_weekend": stats.weekend,
        "akut_evening": stats.by_when.get(respekt.KVALL, 0),
        "akut_reasons": [
            AkutReason(day=span.local_day(r.at), when=r.when, role=(pair.role_of(r.sender) or "").upper(), reason=r.reason.strip())
            for r in outside
        ],
    }


def _carried(points: Sequence[AgendaPoint], span: _Span) -> list[CarriedPoint]:
    carried = []
    for point in points:
        # Whole local days, as the agenda counts "överförd, sedan N veckor".
        created = span.local_day(point.created_at)
        age = (span.local_day(point.closed_at if point.closed_at is not None else span.now) - created).days
        if age >= CARRY_OVER_DAYS:
            carried.append(CarriedPoint(created=created, weeks=age // 7, text=point.text, still_open=point.closed_at is None))
    return carried


def _incidents(points: Sequence[AgendaPoint], span: _Span) -> list[Incident]:
    """The incidents open at some point in the period, in the order they were raised."""
    return [
        Incident(
            created=span.local_day(p.created_at),
            text=p.text,
            closed=span.local_day(p.closed_at) if p.closed_at is not None else None,
            owner=p.owner,
            resolution=p.resolution,
        )
        for p in points
        if p.typ == INCIDENT
    ]


def year_figures(session: Session, pair: Pair, now: datetime) -> YearFigures:
    """The last 12 months for `pair`, up to `now` (see the module docstring for the definitions)."""
    cal = calendar_for(session, pair)
    today = cal.local(now).date()
    first_day = one_year_before(today) + timedelta(days=1)
    span = _Span(first_day=first_day, today=today, start=cal.at_local(first_day, 0), now=now, local_day=lambda t: cal.local(t).date())
    points = session.scalars(
        select(AgendaPoint)
        .where(
            AgendaPoint.pair_id == pair.id,
            AgendaPoint.created_at <= now,
            or_(AgendaPoint.closed_at.is_(None), AgendaPoint.closed_at >= span.start),
        )
        .order_by(AgendaPoint.created_at)
    ).all()
    return YearFigures(
        pair_id=pair.id,
        first_day=first_day,
        last_day=today,
        **_uppdrag(session, pair, span),
        **_arenden(session, pair, span),
        **_meddelanden(session, pair, span),
        carried_points=_carried(points, span),
        incidents=_incidents(points, span),
        retention_days=retention.configured_days(),
    )


def pair_figures(session: Session, pair_id: int, now: datetime) -> YearFigures:
    """`python -m bot rapport --pair ID`: the figures of one pair (a UserError for an unknown id)."""
    return year_figures(session, get_pair(session, pair_id), now)


def _count(model: type[Uppdrag], *where: Any) -> Select[Any]:
    return select(func.count(model.id)).where(*where)
