"""Export for the diarium (public-records registration): uppdrag, ärenden with decisions, and the audit log.

`csv` is one file that opens cleanly in Excel with Swedish characters: UTF-8 with a BOM,
`;` as separator, CRLF line ends, one titled table per kind. `json` is one document.
The period (`date_from`/`date_to`, inclusive local dates) selects rows created or
changed in it, and the log entries made in it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from bot.errors import UserError
from bot.i18n import _
from bot.models import Arende, AuditEntry, Pair, Uppdrag, UppdragFraga
from bot.pairs import get_pair

FORMATS = ("csv", "json")
# Excel runs a cell that starts with these as a formula: a leading apostrophe keeps it text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _uppdrag_status(status: str) -> str:
    return {"open": _("öppet"), "done": _("klart")}.get(status, status)


def _arende_status(status: str) -> str:
    return {"vantar": _("väntar på KSO"), "till_ks": _("till KS"), "ater": _("åter för beredning")}.get(status, status)


class _Period:
    """Inclusive local dates as a half-open UTC interval; open ends allowed."""

    def __init__(self, tz: ZoneInfo, date_from: date | None, date_to: date | None) -> None:
        if date_from and date_to and date_from > date_to:
            raise UserError(_("--from {date_from} ligger efter --to {date_to}.").format(
                date_from=date_from.isoformat(), date_to=date_to.isoformat()))
        self.date_from, self.date_to = date_from, date_to
        self.start = datetime.combine(date_from, time(0), tz) if date_from else None
        self.end = datetime.combine(date_to + timedelta(days=1), time(0), tz) if date_to else None

    def holds(self, column: InstrumentedAttribute[Any]) -> ColumnElement[bool]:
        conds = [column.is_not(None)]
        if self.start is not None:
            conds.append(column >= self.start)
        if self.end is not None:
            conds.append(column < self.end)
        return and_(*conds)


def export(session: Session, pair_id: int, fmt: str, date_from: date | None = None, date_to: date | None = None) -> str:
    """The pair's records for the diarium, as `csv` or `json` text."""
    if fmt not in FORMATS:
        raise UserError(_("Okänt format {fmt!r}: välj csv eller json.").format(fmt=fmt))
    pair = get_pair(session, pair_id)
    tz = ZoneInfo(pair.timezone)
    period = _Period(tz, date_from, date_to)
    data = _collect(session, pair, period)
    if fmt == "json":
        return _json(pair, period, tz, data)
    return _csv(pair, period, tz, data)


class _Data:
    def __init__(self, uppdrag: Sequence[Uppdrag], fragor: Sequence[UppdragFraga], arenden: Sequence[Arende],
                 audit: Sequence[AuditEntry]) -> None:
        self.uppdrag, self.fragor, self.arenden, self.audit = uppdrag, fragor, arenden, audit


def _collect(session: Session, pair: Pair, period: _Period) -> _Data:
    asked = select(UppdragFraga.uppdrag_id).where(or_(period.holds(UppdragFraga.asked_at), period.holds(UppdragFraga.answered_at)))
    uppdrag = session.scalars(
        select(Uppdrag).where(Uppdrag.pair_id == pair.id,
                              or_(period.holds(Uppdrag.given_at), period.holds(Uppdrag.done_at), Uppdrag.id.in_(asked)))
        .order_by(Uppdrag.nr)
    ).all()
    ids = [u.id for u in uppdrag]
    fragor = session.scalars(
        select(UppdragFraga).where(UppdragFraga.uppdrag_id.in_(ids)).order_by(UppdragFraga.id)
    ).all() if ids else []
    arenden = session.scalars(
        select(Arende).where(Arende.pair_id == pair.id,
                             or_(period.holds(Arende.submitted_at), period.holds(Arende.decided_at)))
        .order_by(Arende.nr)
    ).all()
    audit = session.scalars(
        select(AuditEntry).where(AuditEntry.pair_id == pair.id, period.holds(AuditEntry.at)).order_by(AuditEntry.at, AuditEntry.id)
    ).all()
    return _Data(uppdrag, fragor, arenden, audit)


def _who(pair: Pair, user: str | None) -> str:
    if not user:
        return ""
    role = pair.role_of(user)
    return f"{user} ({role.upper()})" if role else user


def _when(t: datetime | None, tz: ZoneInfo) -> str:
    return t.astimezone(tz).strftime("%Y-%m-%d %H:%M") if t else ""


def _iso(t: datetime | None, tz: ZoneInfo) -> str | None:
    return t.astimezone(tz).isoformat() if t else None


def _day(d: date | None) -> str:
    return d.isoformat() if d else ""


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv(pair: Pair, period: _Period, tz: ZoneInfo, data: _Data) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")

    def table(title: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
        writer.writerow([title])
        writer.writerow(header)
        writer.writerows([_cell(v) for v in row] for row in rows)
        writer.writerow([])

    nr_of = {u.id: u.nr for u in data.uppdrag}
    # Times in the tables are the pair's local time (named here), as people read them.
    table(_("Samspel: export för diariet"), [_("Par"), _("Kanal"), "KSO", "KD", _("Från"), _("Till"), _("Tidszon")], [[
        pair.id, pair.channel_id, pair.kso_user, pair.kd_user,
        _day(period.date_from) or _("(början)"), _day(period.date_to) or _("(idag)"), pair.timezone,
    ]])
    table(_("Uppdrag"), [_("Nr"), _("Uppdrag"), _("Givet av"), _("Givet"), "Deadline", "Status",
                         _("Klart av"), _("Klart")], (
        [f"#{u.nr}", u.text, _who(pair, u.given_by), _when(u.given_at, tz), _day(u.deadline),
         _uppdrag_status(u.status), _who(pair, u.done_by), _when(u.done_at, tz)] for u in data.uppdrag))
    table(_("Osäkerheter i uppdrag"), [_("Uppdrag"), _("Fråga"), _("Ställd av"), _("Ställd"), _("Svar"),
                                       _("Besvarad av"), _("Besvarad")], (
        [f"#{nr_of[q.uppdrag_id]}", q.fraga, _who(pair, q.asked_by), _when(q.asked_at, tz), q.svar or "",
         _who(pair, q.answered_by), _when(q.answered_at, tz)] for q in data.fragor))
    table(_("Ärenden"), [_("Nr"), _("Titel"), _("Dnr/länk"), _("KS-möte"), _("Lämnat av"), _("Lämnat"), _("Beslut"),
                         _("Beslutat av"), _("Beslutat"), _("Kommentar")], (
        [f"#{a.nr}", a.titel, a.link or "", _day(a.ks_meeting), _who(pair, a.submitted_by), _when(a.submitted_at, tz),
         _arende_status(a.status), _who(pair, a.decided_by), _when(a.decided_at, tz), a.comment or ""]
        for a in data.arenden))
    refs = _references(data)
    table(_("Logg"), [_("Tid"), _("Aktör"), _("Händelse"), _("Post"), _("Post-id"), _("Före"), _("Efter"), _("Gäller")], (
        [_when(e.at, tz), _who(pair, e.actor), e.action, e.entity, e.entity_id if e.entity_id is not None else "",
         _dump(e.before), _dump(e.after), refs.get((e.entity, e.entity_id), "")] for e in data.audit))
    return "\ufeff" + out.getvalue()


def _references(data: _Data) -> dict[tuple[str, int | None], str]:
    """The numbers people use ("uppdrag #3") for the log's database ids."""
    nr_of = {u.id: u.nr for u in data.uppdrag}
    refs: dict[tuple[str, int | None], str] = {
        ("uppdrag", u.id): _("uppdrag #{nr}").format(nr=u.nr) for u in data.uppdrag}
    refs.update({("uppdrag_fraga", q.id): _("fråga om uppdrag #{nr}").format(nr=nr_of[q.uppdrag_id]) for q in data.fragor})
    refs.update({("arende", a.id): _("ärende #{nr}").format(nr=a.nr) for a in data.arenden})
    return refs


def _dump(value: dict[str, Any] | None) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""


def _json(pair: Pair, period: _Period, tz: ZoneInfo, data: _Data) -> str:
    questions: dict[int, list[dict[str, Any]]] = {}
    for q in data.fragor:
        questions.setdefault(q.uppdrag_id, []).append({
            "fraga": q.fraga, "asked_by": q.asked_by, "asked_at": _iso(q.asked_at, tz),
            "svar": q.svar, "answered_by": q.answered_by, "answered_at": _iso(q.answered_at, tz),
        })
    refs = _references(data)
    doc = {
        "pair": {"id": pair.id, "channel": pair.channel_id, "kso": pair.kso_user, "kd": pair.kd_user,
                 "timezone": pair.timezone},
        "period": {"from": period.date_from.isoformat() if period.date_from else None,
                   "to": period.date_to.isoformat() if period.date_to else None},
        "uppdrag": [{
            "nr": u.nr, "text": u.text, "given_by": u.given_by, "given_at": _iso(u.given_at, tz),
            "deadline": u.deadline.isoformat() if u.deadline else None, "status": u.status,
            "done_by": u.done_by, "done_at": _iso(u.done_at, tz), "fragor": questions.get(u.id, []),
        } for u in data.uppdrag],
        "arenden": [{
            "nr": a.nr, "titel": a.titel, "link": a.link, "ks_meeting": a.ks_meeting.isoformat() if a.ks_meeting else None,
            "submitted_by": a.submitted_by, "submitted_at": _iso(a.submitted_at, tz), "status": a.status,
            "decision": None if a.status == "vantar" else {
                "status": a.status, "decided_by": a.decided_by, "decided_at": _iso(a.decided_at, tz), "comment": a.comment},
        } for a in data.arenden],
        "audit": [{
            "at": _iso(e.at, tz), "actor": e.actor, "role": pair.role_of(e.actor), "action": e.action,
            "entity": e.entity, "entity_id": e.entity_id, "ref": refs.get((e.entity, e.entity_id)),
            "before": e.before, "after": e.after,
        } for e in data.audit],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2)
