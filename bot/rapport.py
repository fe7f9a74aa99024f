"""The year in figures: the material for the utvecklingssamtal.

One function computes the figures (`year_figures`); the post to the pair
channel and `python -m bot rapport` both render that one result, so they
always agree. The period is the last 12 months up to now, in the pair's time
zone. Definitions (also printed in the report):

- uppdrag given: given in the period; done: marked done in the period; done
  late: of those, done on a local date after the deadline; open past deadline:
  open now with a deadline before today (however old).
- ärenden: handed over in the period; of those, decided (till KS / åter) and the
  median number of days from handover to decision (local dates).
- meddelanden: as `bot.services.respekt.akut_counts` counts them: written in the period
  and not cancelled; held by the respekt rule; akut by the moment they went
  akut (written, or escalated from held); akut on weekends/holidays and on
  weekday evenings, listed with who sent them and the stated reason.
- agenda points carried over three weeks or more: open (or closed) 21 days or
  more after they were added, if they were still open at some point in the period.
"""

from __future__ import annotations

import csv
import io
import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from bot.clock import Clock
from bot.domain.respekt import HELG, KVALL
from bot.errors import UserError
from bot.i18n import _, language
from bot.models import AgendaPoint, Arende, Pair, Uppdrag
from bot.services import respekt, retention
from bot.services.pairs import calendar_for, get_pair
from bot.text import csv_cell, escape

CARRY_OVER_DAYS = 21
LIST_LIMIT = 15
POINT_CHARS = 200


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


def one_year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def year_figures(session: Session, pair: Pair, now: datetime) -> YearFigures:
    cal = calendar_for(session, pair)
    today = cal.local(now).date()
    first_day = one_year_before(today) + timedelta(days=1)
    start = cal.at_local(first_day, 0)

    def local_day(t: datetime) -> date:
        return cal.local(t).date()

    given = session.scalar(_count(Uppdrag, Uppdrag.pair_id == pair.id, Uppdrag.given_at >= start, Uppdrag.given_at <= now))
    done_rows = session.scalars(select(Uppdrag).where(
        Uppdrag.pair_id == pair.id, Uppdrag.status == "done", Uppdrag.done_at >= start, Uppdrag.done_at <= now)).all()
    done_late = sum(1 for u in done_rows if u.deadline is not None and u.done_at is not None and local_day(u.done_at) > u.deadline)
    open_overdue = session.scalar(_count(Uppdrag, Uppdrag.pair_id == pair.id, Uppdrag.status == "open",
                                         Uppdrag.deadline.is_not(None), Uppdrag.deadline < today))

    cases = session.scalars(select(Arende).where(
        Arende.pair_id == pair.id, Arende.submitted_at >= start, Arende.submitted_at <= now)).all()
    decided = [a for a in cases if a.status in ("till_ks", "ater") and a.decided_at is not None]
    days = [(local_day(a.decided_at) - local_day(a.submitted_at)).days for a in decided if a.decided_at is not None]

    # The respekt feature owns what counts as sent, held and akut; the report only picks the akut
    # messages that broke through outside working hours and lists their reasons.
    stats = respekt.akut_counts(session, pair.id, start, now)
    outside = sorted((r for r in stats.reasons if r.when in (HELG, KVALL)), key=lambda r: r.at)

    points = session.scalars(select(AgendaPoint).where(
        AgendaPoint.pair_id == pair.id, AgendaPoint.created_at <= now,
        or_(AgendaPoint.closed_at.is_(None), AgendaPoint.closed_at >= start)).order_by(AgendaPoint.created_at)).all()
    carried = []
    for point in points:
        # Whole local days, as the agenda counts "överförd, sedan N veckor".
        created = local_day(point.created_at)
        age = (local_day(point.closed_at if point.closed_at is not None else now) - created).days
        if age >= CARRY_OVER_DAYS:
            carried.append(CarriedPoint(created=created, weeks=age // 7, text=point.text,
                                        still_open=point.closed_at is None))

    return YearFigures(
        pair_id=pair.id, first_day=first_day, last_day=today,
        uppdrag_given=given or 0, uppdrag_done=len(done_rows), uppdrag_done_late=done_late,
        uppdrag_open_overdue=open_overdue or 0,
        arenden_handed_over=len(cases), arenden_decided=len(decided),
        arenden_to_ks=sum(1 for a in decided if a.status == "till_ks"),
        arenden_back=sum(1 for a in decided if a.status == "ater"),
        arenden_waiting=sum(1 for a in cases if a.status == "vantar"),
        median_days_to_decision=float(statistics.median(days)) if days else None,
        messages_sent=stats.sent, messages_held=stats.held, messages_akut=stats.akut,
        akut_weekend=stats.weekend, akut_evening=stats.by_when.get(KVALL, 0),
        akut_reasons=[AkutReason(day=local_day(r.at), when=r.when, role=(pair.role_of(r.sender) or "").upper(),
                                 reason=r.reason.strip()) for r in outside],
        carried_points=carried,
    )


def _count(model: type[Uppdrag], *where: Any) -> Select[Any]:
    return select(func.count(model.id)).where(*where)


# --- rendering ---------------------------------------------------------------

def definitions() -> tuple[str, ...]:
    """How each figure is counted (printed under the report)."""
    return (
        _("Perioden är de senaste tolv månaderna till och med i dag, i parets tidszon."),
        _("Klara efter slutdatum: klarmarkerade ett senare datum än slutdatumet."),
        _("Öppna efter slutdatum: öppna i dag med slutdatum före i dag, oavsett när de gavs."),
        _("Median dagar till beslut: kalenderdagar från överlämning till beslut, för ärenden överlämnade under "
          "perioden."),
        _("Skickade: meddelanden via Samspel som inte ångrades. Akuta räknas den dag de blev akuta "
          "(skickade som akut, eller hållna och sedan skickade som akut)."),
        _("Helg/helgdag: lördag, söndag, helgdag samt midsommar-, jul- och nyårsafton. "
          "Vardagskväll: en arbetsdag utanför arbetstiden."),
        _("Agendapunkter: punkter som var öppna under perioden och låg kvar minst 21 dagar innan de stängdes "
          "(eller ännu är öppna)."),
        retention.note(),
    )


def when_label(when: str) -> str:
    """'helg'/'kväll' (as stored) for people."""
    if when == "helg":
        return _("helg/helgdag")
    if when == "kväll":
        return _("vardagskväll")
    return when


def _num(value: float | None) -> str:
    if value is None:
        return "–"
    if language() == "en":
        return f"{value:.1f}".removesuffix(".0")
    return f"{value:.1f}".replace(".", ",").removesuffix(",0")


def _with_share(count: int, total: int) -> str:
    """'3 (25 %)': a count with its share of the messages sent, in whole per cent (Swedish style: a space before %)."""
    if not total:
        return str(count)
    share = round(100 * count / total)
    return f"{count} ({share}%)" if language() == "en" else f"{count} ({share} %)"


def _rows(f: YearFigures) -> list[tuple[str, str, str]]:
    """(area, measure, value): the one list every format is made from."""
    uppdrag, arenden, meddelanden = _("Uppdrag"), _("Ärenden"), _("Meddelanden")
    return [
        (uppdrag, _("Givna"), str(f.uppdrag_given)),
        (uppdrag, _("Klara"), str(f.uppdrag_done)),
        (uppdrag, _("Klara efter slutdatum"), str(f.uppdrag_done_late)),
        (uppdrag, _("Öppna efter slutdatum (i dag)"), str(f.uppdrag_open_overdue)),
        (arenden, _("Överlämnade"), str(f.arenden_handed_over)),
        (arenden, _("Till KS"), str(f.arenden_to_ks)),
        (arenden, _("Åter för beredning"), str(f.arenden_back)),
        (arenden, _("Väntar på beslut"), str(f.arenden_waiting)),
        (arenden, _("Median dagar till beslut"), _num(f.median_days_to_decision)),
        (meddelanden, _("Skickade via Samspel"), str(f.messages_sent)),
        (meddelanden, _("Hållna enligt respektregeln"), str(f.messages_held)),
        (meddelanden, _("Akuta"), _with_share(f.messages_akut, f.messages_sent)),
        (meddelanden, _("Akuta på helg/helgdag"), _with_share(f.akut_weekend, f.messages_sent)),
        (meddelanden, _("Akuta på vardagskväll"), _with_share(f.akut_evening, f.messages_sent)),
        (_("Agenda"), _("Punkter som legat kvar tre veckor eller mer"), str(len(f.carried_points))),
    ]


def _period(f: YearFigures) -> str:
    return f"{f.first_day.isoformat()} – {f.last_day.isoformat()}"


def _reason_line(r: AkutReason, safe: bool) -> str:
    reason = r.reason or _("(inget skäl angivet)")  # only rows written before the reason was required
    return _("{day} ({when}, från {role}): {reason}").format(
        day=r.day.isoformat(), when=when_label(r.when), role=r.role, reason=escape(reason) if safe else reason)


def _point_line(p: CarriedPoint, safe: bool) -> str:
    state = _("fortfarande öppen") if p.still_open else _("stängd")
    # In Slack a long point is cut (the CLI keeps the whole text).
    text = escape(p.text if len(p.text) <= POINT_CHARS else p.text[:POINT_CHARS - 1].rstrip() + "…") if safe else p.text
    return _("{text} (lagd {created}, {weeks} veckor, {state})").format(
        text=text, created=p.created.isoformat(), weeks=p.weeks, state=state)


def _lists(f: YearFigures, safe: bool) -> list[tuple[str, list[str]]]:
    out = []
    if f.akut_reasons:
        out.append((_("Skäl till akuta meddelanden utanför arbetstid"),
                    [_reason_line(r, safe) for r in f.akut_reasons]))
    if f.carried_points:
        out.append((_("Agendapunkter som legat kvar tre veckor eller mer"),
                    [_point_line(p, safe) for p in f.carried_points]))
    return out


def markdown(f: YearFigures) -> str:
    lines = ["# " + _("Året i siffror ({period})").format(period=_period(f)), ""]
    area = None
    for a, measure, value in _rows(f):
        if a != area:
            if area is not None:
                lines.append("")
            lines.append(f"## {a}")
            area = a
        lines.append(f"- {measure}: {value}")
    for title, items in _lists(f, safe=False):
        lines += ["", f"### {title}"] + [f"- {item}" for item in items]
    lines += ["", "## " + _("Så räknas siffrorna")] + [f"- {line}" for line in definitions()]
    return "\n".join(lines) + "\n"


def csv_text(f: YearFigures) -> str:
    """The figures as CSV; every cell formula-safe, since akut reasons and agenda points are people's own text."""
    rows: list[list[str]] = [[_("område"), _("mått"), _("värde")],
                             [_("Period"), _("Från"), f.first_day.isoformat()],
                             [_("Period"), _("Till"), f.last_day.isoformat()]]
    rows += [list(row) for row in _rows(f)]
    for r in f.akut_reasons:
        rows.append([_("Akut skäl"), _("{day} {when} från {role}").format(
            day=r.day.isoformat(), when=when_label(r.when), role=r.role), r.reason])
    for p in f.carried_points:
        rows.append([_("Agendapunkt kvar"), _("{created} ({weeks} veckor)").format(
            created=p.created.isoformat(), weeks=p.weeks), p.text])
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([csv_cell(cell) for cell in row] for row in rows)
    return buf.getvalue()


def slack_text(f: YearFigures) -> str:
    """The figures as Slack mrkdwn, user text escaped."""
    lines = [_("*Året i siffror* ({period})").format(period=_period(f))]
    area = None
    for a, measure, value in _rows(f):
        if a != area:
            lines.append(f"\n*{a}*")
            area = a
        lines.append(f"• {measure}: {value}")
    for title, items in _lists(f, safe=True):
        shown = items[:LIST_LIMIT]
        lines.append(f"\n*{title}*")
        lines += [f"• {item}" for item in shown]
        if len(items) > len(shown):
            lines.append(_("• … och {more} till (se `python -m bot rapport`)").format(more=len(items) - len(shown)))
    lines.append(f"\n_{retention.note()}_")
    return "\n".join(lines)


def rapport_text(session: Session, pair_id: int, fmt: str, clock: Clock) -> str:
    """`python -m bot rapport`: Markdown (default) or CSV."""
    pair = get_pair(session, pair_id)
    figures = year_figures(session, pair, clock.now())
    if fmt == "markdown":
        return markdown(figures)
    if fmt == "csv":
        return csv_text(figures)
    raise UserError(_("Okänt format {fmt!r}: välj markdown eller csv.").format(fmt=fmt))
