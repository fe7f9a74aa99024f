"""Export for the diarium, and a person's own extract (registerutdrag, GDPR art. 15).

One model, three renderings. `pair_tables` collects a pair's records as titled tables
(uppdrag, questions, cases, agenda points, messages, spelregler, talks, the log); `csv`,
`xlsx` and `json` render those same tables, so the formats cannot disagree.

- People appear by name (Slack's `users.info`, cached; see bot.services.names), with the
  Slack id in a column of its own, and with their role in the pair.
- Every time is local to the pair and labelled with the zone ("2026-11-23 10:00 CET"); JSON
  has ISO 8601 with the offset.
- The log is sentences (bot.presenters.audit_log), never the stored JSON.
- `csv` is one file that opens cleanly in Excel with Swedish characters: UTF-8 with a BOM,
  `;` as separator, CRLF line ends, one titled table after the other, and a cell that
  Excel would run as a formula starts with an apostrophe. `xlsx` has one sheet per table.

The period (`date_from`/`date_to`, inclusive local dates) selects rows created or changed
in it, and the log entries made in it.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from bot import spelregler
from bot.errors import UserError
from bot.i18n import _, translator
from bot.models import (
    AgendaPoint,
    Arende,
    AuditEntry,
    Meddelande,
    OutboxMessage,
    Pair,
    PairProposal,
    SpelreglerVersion,
    Uppdrag,
    UppdragFraga,
    UserName,
    Utvecklingssamtal,
)
from bot.presenters import audit_log
from bot.presenters.names import erased_person
from bot.services import retention
from bot.services.names import Names, is_erased
from bot.services.pairs import get_pair

FORMATS = ("csv", "json", "xlsx")
# Excel runs a cell that starts with these as a formula: a leading apostrophe keeps it text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters an xlsx file cannot hold (openpyxl refuses them); Slack text never needs them.
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# A person's extract with no pair to take the zone from (SAMSPEL_TIMEZONE is handed in by the CLI).
DEFAULT_TZ = ZoneInfo("Europe/Stockholm")


# --- the model ---------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    role: str | None  # "KSO", "KD" or None


@dataclass(frozen=True)
class Removed:
    """A text that is no longer stored; `why` says so in the tables, JSON has null."""

    why: str


@dataclass(frozen=True)
class Col:
    key: str  # the JSON key
    label: str  # the header people read
    kind: str = "text"  # text | nr | time | date | person | code
    show: Callable[[Any], str] | None = None  # for `code`: the stored value as words
    in_tables: bool = True  # False: JSON only (an internal code that the tables say in words)


@dataclass
class Table:
    key: str
    title: str
    cols: list[Col]
    rows: list[list[Any]] = field(default_factory=list)


@dataclass
class Section:
    """The tables of one pair (a pair export has one section; a person's extract one per pair, and their own)."""

    key: str
    title_prefix: str
    tables: list[Table]
    meta: dict[str, Any] = field(default_factory=dict)


def _uppdrag_status(status: str) -> str:
    return {"open": _("öppet"), "done": _("klart")}.get(status, status)


def _arende_status(status: str) -> str:
    return {"vantar": _("väntar på KSO"), "till_ks": _("till KS"), "ater": _("åter för beredning")}.get(status, status)


def _point_outcome(status: str) -> str:
    return {"open": _("öppen: följer med till nästa agenda"), "closed": _("stängd")}.get(status, status)


def _handling(code: str) -> str:
    return {"direkt": _("direkt: mottagaren hade arbetstid"), "hållet": _("hållet till mottagarens arbetstid"), "akut": _("akut"),
            "hållet_akut": _("hållet, sedan skickat som akut")}.get(code, code)


def _akut_when(code: str) -> str:
    return {"arbetstid": _("under arbetstid"), "kväll": _("vardagskväll"), "helg": _("helg/helgdag")}.get(code, code)


def _message_status(code: str) -> str:
    return {"pending": _("väntar på arbetstid"), "sent": _("levererat"), "cancelled": _("ångrat"),
            "failed": _("kunde inte levereras")}.get(code, code)


def _source(code: str) -> str:
    return {"command": "/meddela", "shortcut": _("Skicka med Samspel")}.get(code, code)


def _outbox_kind(code: str) -> str:
    return {"dm": _("direktmeddelande"), "ephemeral": _("privat svar i kanalen"), "post": _("inlägg i kanal"),
            "update": _("ändring av meddelande"), "home": _("hemvy")}.get(code, code)


def _pair_status(code: str) -> str:
    return {"active": _("aktivt"), "paused": _("pausat"), "dissolved": _("upplöst")}.get(code, code)


def _proposal_status(code: str) -> str:
    return {"pending": _("väntar på svar"), "accepted": _("godkänt"), "declined": _("avböjt"),
            "expired": _("gick ut")}.get(code, code)


# --- the period ---------------------------------------------------------------------


class Period:
    """Inclusive local dates as a half-open UTC interval; open ends allowed."""

    def __init__(self, tz: ZoneInfo, date_from: date | None, date_to: date | None) -> None:
        if date_from and date_to and date_from > date_to:
            raise UserError(_("--from {date_from} ligger efter --to {date_to}.").format(
                date_from=date_from.isoformat(), date_to=date_to.isoformat()))
        self.date_from, self.date_to = date_from, date_to
        self.start = datetime.combine(date_from, time(0), tz) if date_from else None
        self.end = datetime.combine(date_to + timedelta(days=1), time(0), tz) if date_to else None

    def holds(self, column: InstrumentedAttribute[Any]) -> ColumnElement[bool]:
        conds: list[ColumnElement[bool]] = [column.is_not(None)]
        if self.start is not None:
            conds.append(column >= self.start)
        if self.end is not None:
            conds.append(column < self.end)
        return and_(*conds)


# --- collecting a pair's records ------------------------------------------------------


class _People:
    """Person values for one pair: name from the cache or Slack, role in the pair."""

    def __init__(self, pair: Pair | None, names: Names) -> None:
        self.pair, self.names = pair, names

    def __call__(self, user_id: str | None) -> Person | None:
        if not user_id:
            return None
        if user_id == retention.SYSTEM_ACTOR or user_id == spelregler.TEMPLATE_AUTHOR:
            return Person(user_id, "Samspel", None)
        role = self.pair.role_of(user_id) if self.pair else None
        if role is None and self.pair is not None and is_erased(user_id):
            role = user_id.rsplit("-", 1)[-1] if user_id.endswith(("-kso", "-kd")) else None
        return Person(user_id, self.names.name(user_id), role.upper() if role else None)

    def label(self, user_id: str | None) -> str:
        person = self(user_id)
        return _person_label(person) if person else "–"


def _person_label(person: Person) -> str:
    return f"{person.name} ({person.role})" if person.role else person.name


def pair_section(session: Session, pair: Pair, period: Period, names: Names, now: datetime, *,
                 title_prefix: str = "") -> Section:
    """Every table of one pair for the period."""
    tz = ZoneInfo(pair.timezone)
    uppdrag = session.scalars(
        select(Uppdrag).where(Uppdrag.pair_id == pair.id, or_(
            period.holds(Uppdrag.given_at), period.holds(Uppdrag.done_at),
            Uppdrag.id.in_(select(UppdragFraga.uppdrag_id).where(
                or_(period.holds(UppdragFraga.asked_at), period.holds(UppdragFraga.answered_at))))))
        .order_by(Uppdrag.nr)).all()
    all_nrs = dict(session.execute(select(Uppdrag.id, Uppdrag.nr).where(Uppdrag.pair_id == pair.id)).tuples().all())
    fragor = session.scalars(
        select(UppdragFraga).where(UppdragFraga.uppdrag_id.in_([u.id for u in uppdrag])).order_by(UppdragFraga.id)
    ).all() if uppdrag else []
    arenden = session.scalars(
        select(Arende).where(Arende.pair_id == pair.id,
                             or_(period.holds(Arende.submitted_at), period.holds(Arende.decided_at)))
        .order_by(Arende.nr)).all()
    arende_nrs = dict(session.execute(select(Arende.id, Arende.nr).where(Arende.pair_id == pair.id)).tuples().all())
    points = session.scalars(
        select(AgendaPoint).where(AgendaPoint.pair_id == pair.id,
                                  or_(period.holds(AgendaPoint.created_at), period.holds(AgendaPoint.closed_at)))
        .order_by(AgendaPoint.created_at, AgendaPoint.id)).all()
    point_texts = dict(session.execute(
        select(AgendaPoint.id, AgendaPoint.text).where(AgendaPoint.pair_id == pair.id)).tuples().all())
    messages = session.execute(
        select(Meddelande, OutboxMessage)
        .outerjoin(OutboxMessage, OutboxMessage.id == Meddelande.outbox_id)
        .where(Meddelande.pair_id == pair.id,
               or_(period.holds(Meddelande.written_at), period.holds(OutboxMessage.sent_at)))
        .order_by(Meddelande.written_at, Meddelande.id)).all()
    versions = session.scalars(
        select(SpelreglerVersion).where(SpelreglerVersion.pair_id == pair.id, period.holds(SpelreglerVersion.created_at))
        .order_by(SpelreglerVersion.version)).all()
    talks = session.scalars(
        select(Utvecklingssamtal).where(Utvecklingssamtal.pair_id == pair.id, period.holds(Utvecklingssamtal.held_at))
        .order_by(Utvecklingssamtal.held_at)).all()
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.pair_id == pair.id, period.holds(AuditEntry.at))
        .order_by(AuditEntry.at, AuditEntry.id)).all()

    # One round of name look-ups for everyone the tables mention.
    names.load([pair.kso_user, pair.kd_user]
               + [x for u in uppdrag for x in (u.given_by, u.done_by)]
               + [x for q in fragor for x in (q.asked_by, q.answered_by)]
               + [x for a in arenden for x in (a.submitted_by, a.decided_by)]
               + [x for p in points for x in (p.created_by, p.closed_by)]
               + [x for m, _row in messages for x in (m.sender, m.recipient, m.origin_user)]
               + [v.author for v in versions] + [t.recorded_by for t in talks] + [e.actor for e in entries])
    who = _People(pair, names)
    refs = _References(all_nrs, arende_nrs)
    ctx = audit_log.LogContext(tz=tz, person=who.label, uppdrag_nr=all_nrs, point_text=point_texts,
                               section_label=spelregler.heading_label)
    nr_of = {u.id: u.nr for u in uppdrag}

    meta = Table("pair", _("Samspel: export för diariet"), [
        Col("id", _("Par")), Col("channel", _("Kanal")), Col("status", "Status", "code", _pair_status),
        Col("kso", "KSO", "person"), Col("kd", "KD", "person"), Col("from", _("Från"), "date"),
        Col("to", _("Till"), "date"), Col("timezone", _("Tidszon")), Col("exported_at", _("Exporterad"), "time"),
        Col("retention", _("Gallring"))])
    meta.rows.append([pair.id, pair.channel_id, pair.status, who(pair.kso_user), who(pair.kd_user),
                      period.date_from or _("(början)"), period.date_to or _("(idag)"), pair.timezone, now,
                      retention.note()])
    tables = [meta]
    tables.append(Table("uppdrag", _("Uppdrag"), [
        Col("nr", _("Nr"), "nr"), Col("text", _("Uppdrag")), Col("given_by", _("Givet av"), "person"),
        Col("given_at", _("Givet"), "time"), Col("deadline", _("Slutdatum"), "date"),
        Col("status", "Status", "code", _uppdrag_status), Col("done_by", _("Klart av"), "person"),
        Col("done_at", _("Klart"), "time")],
        [[u.nr, u.text, who(u.given_by), u.given_at, u.deadline, u.status, who(u.done_by), u.done_at] for u in uppdrag]))
    tables.append(Table("fragor", _("Osäkerheter i uppdrag"), [
        Col("uppdrag", _("Uppdrag"), "nr"), Col("fraga", _("Fråga")), Col("asked_by", _("Ställd av"), "person"),
        Col("asked_at", _("Ställd"), "time"), Col("svar", _("Svar")), Col("answered_by", _("Besvarad av"), "person"),
        Col("answered_at", _("Besvarad"), "time")],
        [[nr_of[q.uppdrag_id], q.fraga, who(q.asked_by), q.asked_at, q.svar, who(q.answered_by), q.answered_at]
         for q in fragor]))
    tables.append(Table("arenden", _("Ärenden"), [
        Col("nr", _("Nr"), "nr"), Col("titel", _("Titel")), Col("link", _("Dnr/länk")), Col("ks_meeting", _("KS-möte"), "date"),
        Col("submitted_by", _("Lämnat av"), "person"), Col("submitted_at", _("Lämnat"), "time"),
        Col("status", _("Beslut"), "code", _arende_status), Col("decided_by", _("Beslutat av"), "person"),
        Col("decided_at", _("Beslutat"), "time"), Col("comment", _("Kommentar"))],
        [[a.nr, a.titel, a.link, a.ks_meeting, who(a.submitted_by), a.submitted_at, a.status, who(a.decided_by),
          a.decided_at, a.comment] for a in arenden]))
    tables.append(Table("agendapunkter", _("Agendapunkter"), [
        Col("typ", _("Typ")), Col("text", _("Punkt")), Col("created_by", _("Lagd av"), "person"),
        Col("created_at", _("Lagd"), "time"), Col("outcome", _("Utfall"), "code", _point_outcome),
        Col("closed_by", _("Stängd av"), "person"), Col("closed_at", _("Stängd"), "time")],
        [[p.typ, p.text, who(p.created_by), p.created_at, "closed" if p.closed_at else "open", who(p.closed_by),
          p.closed_at] for p in points]))
    tables.append(Table("meddelanden", _("Meddelanden"), [
        Col("sender", _("Från"), "person"), Col("recipient", _("Till"), "person"), Col("written_at", _("Skrivet"), "time"),
        Col("delivered_at", _("Levererat"), "time"), Col("handling", _("Hantering"), "code", _handling),
        Col("akut_when", _("Akut när"), "code", _akut_when), Col("reason", _("Skäl")),
        Col("status", "Status", "code", _message_status), Col("cancelled_at", _("Ångrat"), "time"),
        Col("source", _("Källa"), "code", _source), Col("forwarded_from", _("Vidarebefordrat från"), "person"),
        Col("text", _("Text"))],
        [_message_row(m, row, who) for m, row in messages]))
    tables.append(Table("spelregler", _("Spelregler"), [
        Col("version", _("Version")), Col("section", _("Avsnitt")), Col("text", _("Text")),
        Col("author", _("Sparad av"), "person"), Col("created_at", _("Sparad"), "time")],
        [[v.version, spelregler.heading_label(h), spelregler.section_text(v, h), who(v.author), v.created_at]
         for v in versions for h in spelregler.SECTIONS]))
    tables.append(Table("utvecklingssamtal", _("Utvecklingssamtal"), [
        Col("planned_date", _("Planerat"), "date"), Col("held_at", _("Hölls"), "time"),
        Col("recorded_by", _("Registrerat av"), "person")],
        [[t.planned_date, t.held_at, who(t.recorded_by)] for t in talks]))
    tables.append(Table("audit", _("Logg"), [
        Col("at", _("Tid"), "time"), Col("actor", _("Vem"), "person"),
        Col("action", "action", "code", in_tables=False), Col("description", _("Händelse")), Col("ref", _("Gäller"))],
        [[e.at, who(e.actor), e.action, audit_log.describe(e.action, e.entity_id, e.before, e.after, ctx),
          refs(e.entity, e.entity_id, e.after)] for e in entries]))
    return Section(key=f"par_{pair.id}", title_prefix=title_prefix, tables=tables,
                   meta={"pair": pair, "period": period, "tz": tz, "now": now})


def _message_row(m: Meddelande, row: OutboxMessage | None, who: _People) -> list[Any]:
    # Without its outbox row (erased with a person) the delivery is no longer known.
    status = "cancelled" if m.cancelled_at is not None else (row.status if row is not None else None)
    if m.akut:
        handling = "hållet_akut" if m.escalated_at is not None else "akut"
    else:
        handling = "hållet" if m.held else "direkt"
    text: str | Removed = m.text
    if not m.text:
        if m.cancelled_at is not None:
            text = Removed(_("(texten togs bort när meddelandet ångrades)"))
        elif is_erased(m.sender) or is_erased(m.recipient):
            text = Removed(_("(texten raderades på begäran)"))
        else:
            text = Removed(_("(texten är gallrad)"))
    delivered = row.sent_at if row is not None and row.status == "sent" else None
    return [who(m.sender), who(m.recipient), m.written_at, delivered, handling, m.akut_when, m.akut_reason or None,
            status, m.cancelled_at, m.source, who(m.origin_user), text]


class _References:
    """The numbers people use ("uppdrag #3") for the log's database ids."""

    def __init__(self, uppdrag: dict[int, int], arenden: dict[int, int]) -> None:
        self.uppdrag, self.arenden = uppdrag, arenden

    def __call__(self, entity: str, entity_id: int | None, after: dict[str, Any] | None) -> str:
        if entity == "uppdrag" and entity_id in self.uppdrag:
            return _("uppdrag #{nr}").format(nr=self.uppdrag[entity_id])
        if entity == "uppdrag_fraga" and after and after.get("uppdrag_id") in self.uppdrag:
            return _("fråga om uppdrag #{nr}").format(nr=self.uppdrag[after["uppdrag_id"]])
        if entity == "arende" and entity_id in self.arenden:
            return _("ärende #{nr}").format(nr=self.arenden[entity_id])
        return ""


# --- a person's own extract -----------------------------------------------------------


def person_sections(session: Session, user_id: str, period: Period, names: Names, now: datetime,
                    tz: ZoneInfo = DEFAULT_TZ) -> list[Section]:
    """Everything stored about one person: each pair they are in, and what is theirs alone."""
    pairs = session.scalars(select(Pair).where(or_(Pair.kso_user == user_id, Pair.kd_user == user_id))
                            .order_by(Pair.id)).all()
    proposals = session.scalars(select(PairProposal).where(or_(
        PairProposal.kso_user == user_id, PairProposal.kd_user == user_id, PairProposal.proposed_by == user_id))
        .order_by(PairProposal.id)).all()
    sent_to = session.scalars(select(OutboxMessage).where(
        OutboxMessage.user == user_id, OutboxMessage.kind != "home", period.holds(OutboxMessage.created_at))
        .order_by(OutboxMessage.created_at, OutboxMessage.id)).all()
    cached = session.get(UserName, user_id)
    if not pairs and not proposals and not sent_to and cached is None:
        raise UserError(_("Samspel har inga uppgifter om {user}.").format(user=user_id))
    sections = [pair_section(session, pair, period, names, now, title_prefix=_("Par {pair}: ").format(pair=pair.id))
                for pair in pairs]
    tz = ZoneInfo(pairs[0].timezone) if pairs else tz
    names.load([user_id] + [x for p in proposals for x in (p.kso_user, p.kd_user, p.proposed_by)])
    who = _People(None, names)
    own = [
        Table("person", _("Registerutdrag"), [
            Col("id", _("Slack-id")), Col("name", _("Namn")), Col("name_fetched_at", _("Namnet hämtat från Slack"), "time"),
            Col("pairs", _("Par")), Col("exported_at", _("Exporterad"), "time"), Col("timezone", _("Tidszon")),
            Col("retention", _("Gallring"))],
            [[user_id, names.name(user_id), cached.fetched_at if cached else None,
              ", ".join(str(p.id) for p in pairs) or "–", now, str(tz), retention.note()]]),
        Table("forslag", _("Kopplingsförslag"), [
            Col("channel", _("Kanal")), Col("kso", "KSO", "person"), Col("kd", "KD", "person"),
            Col("proposed_by", _("Föreslaget av"), "person"), Col("created_at", _("Föreslaget"), "time"),
            Col("status", "Status", "code", _proposal_status), Col("decided_at", _("Avgjort"), "time")],
            [[p.channel_id, who(p.kso_user), who(p.kd_user), who(p.proposed_by), p.created_at, p.status, p.decided_at]
             for p in proposals]),
        Table("utskick", _("Utskick från Samspel till dig"), [
            Col("pair", _("Par")), Col("kind", _("Typ"), "code", _outbox_kind), Col("created_at", _("Skapat"), "time"),
            Col("status", "Status", "code", _message_status), Col("sent_at", _("Levererat"), "time"),
            Col("text", _("Text"))],
            [[r.pair_id, r.kind, r.created_at, r.status, r.sent_at, r.text or Removed(_("(texten är gallrad)"))]
             for r in sent_to]),
    ]
    return [Section(key="person", title_prefix="", tables=own, meta={"tz": tz, "now": now}), *sections]


# --- rendering ---------------------------------------------------------------------


def local_time(t: datetime, tz: ZoneInfo) -> str:
    return audit_log.local_time(t, tz)


def _text(col: Col, value: Any, tz: ZoneInfo) -> list[str]:
    """One value as the cells people read (a person is two cells: name and id)."""
    if col.kind == "person":
        return [_person_label(value), value.id] if isinstance(value, Person) else ["", ""]
    if value is None:
        return [""]
    if isinstance(value, Removed):
        return [value.why]
    if isinstance(value, datetime):
        return [local_time(value, tz)]
    if isinstance(value, date):
        return [value.isoformat()]
    if col.kind == "nr":
        return [f"#{value}"]
    if col.kind == "code" and col.show is not None:
        return [col.show(value)]
    return [str(value)]


def _shown(table: Table) -> list[tuple[Col, int]]:
    """The columns the tables show, with their place in a row."""
    return [(col, i) for i, col in enumerate(table.cols) if col.in_tables]


def _headers(cols: Sequence[Col]) -> list[str]:
    out: list[str] = []
    for col in cols:
        if not col.in_tables:
            continue
        out.append(col.label)
        if col.kind == "person":
            out.append(_("{column} (id)").format(column=col.label))
    return out


def _section_tz(section: Section) -> ZoneInfo:
    tz = section.meta.get("tz")
    return tz if isinstance(tz, ZoneInfo) else DEFAULT_TZ


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def render_csv(sections: Iterable[Section]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    for section in sections:
        tz = _section_tz(section)
        for table in section.tables:
            writer.writerow([section.title_prefix + table.title])
            writer.writerow(_headers(table.cols))
            for row in table.rows:
                writer.writerow([_cell(c) for col, i in _shown(table) for c in _text(col, row[i], tz)])
            writer.writerow([])
    return "\ufeff" + out.getvalue()


def render_xlsx(sections: Iterable[Section]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for section in sections:
        tz = _section_tz(section)
        for table in section.tables:
            sheet = book.create_sheet(_sheet_name(section.title_prefix + table.title, used))
            sheet.append(_headers(table.cols))
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            sheet.freeze_panes = "A2"
            widths = [len(h) for h in _headers(table.cols)]
            for r, row in enumerate(table.rows, start=2):
                c = 1
                for col, i in _shown(table):
                    for text, native in _xlsx_values(col, row[i], tz):
                        cell = sheet.cell(row=r, column=c)
                        if native is None and not text:
                            pass  # an empty cell
                        elif isinstance(native, datetime):
                            cell.value = native.astimezone(tz).replace(tzinfo=None)
                            # The zone is part of what the cell shows: CET and CEST are an hour apart.
                            cell.number_format = f'yyyy-mm-dd hh:mm "{native.astimezone(tz).tzname()}"'
                        elif isinstance(native, date):
                            cell.value = native
                            cell.number_format = "yyyy-mm-dd"
                        elif isinstance(native, int) and not isinstance(native, bool):
                            cell.value = native
                        else:
                            cell.value = _XLSX_ILLEGAL.sub("", text)
                            # A text is a text, even one that starts with "=" (never a formula).
                            cell.data_type = "s"
                        widths[c - 1] = max(widths[c - 1], min(len(text), 60))
                        c += 1
            for i, width in enumerate(widths, start=1):
                sheet.column_dimensions[get_column_letter(i)].width = max(8, width + 2)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_values(col: Col, value: Any, tz: ZoneInfo) -> list[tuple[str, Any]]:
    texts = _text(col, value, tz)
    if col.kind == "person" or isinstance(value, Removed) or value is None:
        return [(t, None) for t in texts]
    if isinstance(value, datetime | date) or (isinstance(value, int) and not isinstance(value, bool) and col.kind == "text"):
        return [(texts[0], value)]
    return [(texts[0], None)]


def _sheet_name(title: str, used: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the book."""
    base = " ".join(_SHEET_FORBIDDEN.sub(" ", title).split())[:31].strip() or "Blad"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def _json_value(col: Col, value: Any, tz: ZoneInfo) -> Any:
    if isinstance(value, Person):
        return {"id": value.id, "name": value.name, "role": value.role}
    if isinstance(value, Removed):
        return None
    if isinstance(value, datetime):
        return value.astimezone(tz).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _json_section(section: Section) -> dict[str, Any]:
    tz = _section_tz(section)
    doc: dict[str, Any] = {}
    for table in section.tables:
        rows = [{col.key: _json_value(col, v, tz) for col, v in zip(table.cols, row, strict=True)} for row in table.rows]
        # A one-row header table (the pair, the person) is an object, the others lists.
        doc[table.key] = rows[0] if table.key in ("pair", "person") else rows
    period = section.meta.get("period")
    if isinstance(period, Period):
        doc["pair"]["from"] = period.date_from.isoformat() if period.date_from else None
        doc["pair"]["to"] = period.date_to.isoformat() if period.date_to else None
        doc["period"] = {"from": doc["pair"]["from"], "to": doc["pair"]["to"]}
    doc["retention_days"] = retention.configured_days()
    return doc


def render_json(sections: Sequence[Section]) -> str:
    if len(sections) == 1:
        return json.dumps(_json_section(sections[0]), ensure_ascii=False, indent=2)
    own, *pairs = sections
    doc = _json_section(own)
    doc["pairs"] = [_json_section(s) for s in pairs]
    return json.dumps(doc, ensure_ascii=False, indent=2)


def render(sections: Sequence[Section], fmt: str) -> str | bytes:
    if fmt == "csv":
        return render_csv(sections)
    if fmt == "json":
        return render_json(sections)
    if fmt == "xlsx":
        return render_xlsx(sections)
    raise UserError(_("Okänt format {fmt!r}: välj csv, json eller xlsx.").format(fmt=fmt))


# --- entry points ------------------------------------------------------------------


def export_pair(session: Session, pair_id: int, fmt: str, date_from: date | None = None, date_to: date | None = None,
                *, names: Names | None = None, now: datetime | None = None) -> str | bytes:
    """The pair's records for the diarium: text for csv/json, bytes for xlsx."""
    if fmt not in FORMATS:
        raise UserError(_("Okänt format {fmt!r}: välj csv, json eller xlsx.").format(fmt=fmt))
    pair = get_pair(session, pair_id)
    now = now or datetime.now().astimezone()
    period = Period(ZoneInfo(pair.timezone), date_from, date_to)
    section = pair_section(session, pair, period, names or Names(session, now, erased_name=erased_person(translator())), now)
    return render([section], fmt)


def export_person(session: Session, user_id: str, fmt: str, date_from: date | None = None,
                  date_to: date | None = None, *, names: Names | None = None, now: datetime | None = None,
                  tz: ZoneInfo = DEFAULT_TZ) -> str | bytes:
    """A person's own extract (registerutdrag): everything stored about them, in every pair."""
    if fmt not in FORMATS:
        raise UserError(_("Okänt format {fmt!r}: välj csv, json eller xlsx.").format(fmt=fmt))
    now = now or datetime.now().astimezone()
    period = Period(tz, date_from, date_to)
    return render(person_sections(session, user_id, period, names or Names(session, now, erased_name=erased_person(translator())), now, tz), fmt)


def export(session: Session, pair_id: int, fmt: str, date_from: date | None = None, date_to: date | None = None,
           *, names: Names | None = None, now: datetime | None = None) -> str:
    """`export_pair` for the text formats (csv, json); kept for callers that want a str."""
    if fmt == "xlsx":
        raise UserError(_("xlsx är en binär fil: skriv den till en fil med --out, t.ex. --out export.xlsx."))
    result = export_pair(session, pair_id, fmt, date_from, date_to, names=names, now=now)
    assert isinstance(result, str)
    return result
