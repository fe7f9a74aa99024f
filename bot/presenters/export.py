"""Export for the diarium, and a person's own extract: the records as titled tables, rendered as csv, xlsx or json.

One model, three renderings. `pair_section` turns a pair's records (bot/services/export.py) into
titled tables (uppdrag, questions, cases, agenda points, messages, spelregler, talks, the log);
`render_csv`, `render_xlsx` and `render_json` render those same tables, so the formats cannot disagree.

- People appear by name, with the Slack id in a column of its own, and with their role in the pair.
- Every time is local to the pair and labelled with the zone ("2026-11-23 10:00 CET"); JSON
  has ISO 8601 with the offset.
- The log is sentences (bot.presenters.audit_log), never the stored JSON.
- `csv` is one file that opens cleanly in Excel with Swedish characters: UTF-8 with a BOM,
  `;` as separator, CRLF line ends, one titled table after the other, and a cell that
  Excel would run as a formula starts with an apostrophe. `xlsx` has one sheet per table.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.spelregler import SECTIONS
from bot.errors import UserError
from bot.i18n import Translator
from bot.presenters import audit_log, retention
from bot.presenters.incidents import owner_label
from bot.presenters.spelregler import heading_label
from bot.services.export import (
    CANCELLED,
    DEFAULT_TZ,
    ERASED,
    UNKNOWN_FORMAT,
    MessageRow,
    PairRecords,
    Period,
    Person,
    PersonRecords,
)
from bot.text import language_name

# Excel runs a cell that starts with these as a formula: a leading apostrophe keeps it text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters an xlsx file cannot hold (openpyxl refuses them); Slack text never needs them.
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


# --- the model ---------------------------------------------------------------------


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


def _uppdrag_status(status: str, t: Translator) -> str:
    return {"open": t("öppet"), "done": t("klart")}.get(status, status)


def _arende_status(status: str, t: Translator) -> str:
    return {"vantar": t("väntar på KSO"), "till_ks": t("till KS"), "ater": t("åter för beredning")}.get(status, status)


def _point_outcome(status: str, t: Translator) -> str:
    return {"open": t("öppen: följer med till nästa agenda"), "closed": t("stängd")}.get(status, status)


def _handling(code: str, t: Translator) -> str:
    return {
        "direkt": t("direkt: mottagaren hade arbetstid"),
        "hållet": t("hållet till mottagarens arbetstid"),
        "akut": t("akut"),
        "hållet_akut": t("hållet, sedan skickat som akut"),
    }.get(code, code)


def _akut_when(code: str, t: Translator) -> str:
    return {"arbetstid": t("under arbetstid"), "kväll": t("vardagskväll"), "helg": t("helg/helgdag")}.get(code, code)


def _message_status(code: str, t: Translator) -> str:
    return {"pending": t("väntar på arbetstid"), "sent": t("levererat"), "cancelled": t("ångrat"), "failed": t("kunde inte levereras")}.get(
        code, code
    )


def _source(code: str, t: Translator) -> str:
    return {"command": "/meddela", "shortcut": t("Skicka med Samspel")}.get(code, code)


def _outbox_kind(code: str, t: Translator) -> str:
    return {
        "dm": t("direktmeddelande"),
        "ephemeral": t("privat svar i kanalen"),
        "post": t("inlägg i kanal"),
        "update": t("ändring av meddelande"),
        "home": t("hemvy"),
    }.get(code, code)


def _pair_status(code: str, t: Translator) -> str:
    return {"active": t("aktivt"), "paused": t("pausat"), "dissolved": t("upplöst")}.get(code, code)


def _proposal_status(code: str, t: Translator) -> str:
    return {"pending": t("väntar på svar"), "accepted": t("godkänt"), "declined": t("avböjt"), "expired": t("gick ut")}.get(code, code)


def _language(code: str, t: Translator) -> str:
    return t("som i Slack") if code == "auto" else language_name(code, t)


def _calendar_feed(exists: object, t: Translator) -> str:
    if not exists:
        return t("ingen")
    return t("finns: den som har adressen /kalender/….ics kan läsa kalendern; `/samspel kalender ny` ger en ny adress")


def _whose_day(code: str, t: Translator) -> str:
    return {"egen": t("din egen"), "båda": t("båda i paret")}.get(code, code)


def _person_label(person: Person) -> str:
    return f"{person.name} ({person.role})" if person.role else person.name


def _label_of(records: PairRecords | PersonRecords) -> Callable[[str | None], str]:
    def label(user_id: str | None) -> str:
        person = records.who(user_id)
        return _person_label(person) if person else "–"

    return label


def _bound(show: Callable[[str, Translator], str], t: Translator) -> Callable[[Any], str]:
    return lambda code: show(code, t)


def _references(r: PairRecords, t: Translator, entity: str, entity_id: int | None, after: dict[str, Any] | None) -> str:
    """The numbers people use ("uppdrag #3") for the log's database ids."""
    if entity == "uppdrag" and entity_id in r.uppdrag_nrs:
        return t("uppdrag #{nr}").format(nr=r.uppdrag_nrs[entity_id])
    if entity == "uppdrag_fraga" and after and after.get("uppdrag_id") in r.uppdrag_nrs:
        return t("fråga om uppdrag #{nr}").format(nr=r.uppdrag_nrs[after["uppdrag_id"]])
    if entity == "arende" and entity_id in r.arende_nrs:
        return t("ärende #{nr}").format(nr=r.arende_nrs[entity_id])
    return ""


def _meta_table(r: PairRecords, t: Translator) -> Table:
    who, pair, period = r.who, r.pair, r.period
    meta = Table(
        "pair",
        t("Samspel: export för diariet"),
        [
            Col("id", t("Par")),
            Col("channel", t("Kanal")),
            Col("status", "Status", "code", _bound(_pair_status, t)),
            Col("kso", "KSO", "person"),
            Col("kd", "KD", "person"),
            Col("from", t("Från"), "date"),
            Col("to", t("Till"), "date"),
            Col("timezone", t("Tidszon")),
            Col("exported_at", t("Exporterad"), "time"),
            Col("retention", t("Gallring")),
        ],
    )
    meta.rows.append(
        [
            pair.id,
            pair.channel_id,
            pair.status,
            who(pair.kso_user),
            who(pair.kd_user),
            period.date_from or t("(början)"),
            period.date_to or t("(idag)"),
            pair.timezone,
            r.now,
            retention.note(r.retention_days, t),
        ]
    )
    return meta


def _uppdrag_tables(r: PairRecords, t: Translator) -> list[Table]:
    who = r.who
    nr_of = {u.id: u.nr for u in r.uppdrag}
    return [
        Table(
            "uppdrag",
            t("Uppdrag"),
            [
                Col("nr", t("Nr"), "nr"),
                Col("text", t("Uppdrag")),
                Col("given_by", t("Givet av"), "person"),
                Col("given_at", t("Givet"), "time"),
                Col("deadline", t("Slutdatum"), "date"),
                Col("status", "Status", "code", _bound(_uppdrag_status, t)),
                Col("done_by", t("Klart av"), "person"),
                Col("done_at", t("Klart"), "time"),
            ],
            [[u.nr, u.text, who(u.given_by), u.given_at, u.deadline, u.status, who(u.done_by), u.done_at] for u in r.uppdrag],
        ),
        Table(
            "fragor",
            t("Osäkerheter i uppdrag"),
            [
                Col("uppdrag", t("Uppdrag"), "nr"),
                Col("fraga", t("Fråga")),
                Col("asked_by", t("Ställd av"), "person"),
                Col("asked_at", t("Ställd"), "time"),
                Col("svar", t("Svar")),
                Col("answered_by", t("Besvarad av"), "person"),
                Col("answered_at", t("Besvarad"), "time"),
            ],
            [[nr_of[q.uppdrag_id], q.fraga, who(q.asked_by), q.asked_at, q.svar, who(q.answered_by), q.answered_at] for q in r.fragor],
        ),
    ]


# long: a table's column list, one column per line.
def _case_tables(r: PairRecords, t: Translator) -> list[Table]:
    who = r.who
    return [
        Table(
            "arenden",
            t("Ärenden"),
            [
                Col("nr", t("Nr"), "nr"),
                Col("titel", t("Titel")),
                Col("link", t("Dnr/länk")),
                Col("ks_meeting", t("KS-möte"), "date"),
                Col("submitted_by", t("Lämnat av"), "person"),
                Col("submitted_at", t("Lämnat"), "time"),
                Col("status", t("Beslut"), "code", _bound(_arende_status, t)),
                Col("decided_by", t("Beslutat av"), "person"),
                Col("decided_at", t("Beslutat"), "time"),
                Col("comment", t("Kommentar")),
            ],
            [
                [
                    a.nr,
                    a.titel,
                    a.link,
                    a.ks_meeting,
                    who(a.submitted_by),
                    a.submitted_at,
                    a.status,
                    who(a.decided_by),
                    a.decided_at,
                    a.comment,
                ]
                for a in r.arenden
            ],
        ),
        Table(
            "agendapunkter",
            t("Agendapunkter"),
            [
                Col("typ", t("Typ")),
                Col("text", t("Punkt")),
                Col("created_by", t("Lagd av"), "person"),
                Col("created_at", t("Lagd"), "time"),
                Col("outcome", t("Utfall"), "code", _bound(_point_outcome, t)),
                Col("closed_by", t("Stängd av"), "person"),
                Col("closed_at", t("Stängd"), "time"),
                # A closed incident: who owns the follow-up and how it was cleared up ("klarades ut").
                Col("owner", t("Uppföljning")),
                Col("resolution", t("Klarades ut")),
            ],
            [
                [
                    p.typ,
                    p.text,
                    who(p.created_by),
                    p.created_at,
                    "closed" if p.closed_at else "open",
                    who(p.closed_by),
                    p.closed_at,
                    owner_label(p.owner, t) if p.owner else None,
                    p.resolution,
                ]
                for p in r.points
            ],
        ),
    ]


def _gone(code: str | None, t: Translator) -> Removed:
    if code == CANCELLED:
        return Removed(t("(texten togs bort när meddelandet ångrades)"))
    if code == ERASED:
        return Removed(t("(texten raderades på begäran)"))
    return Removed(t("(texten är gallrad)"))


def _message_cells(m: MessageRow, t: Translator) -> list[Any]:
    text: str | Removed = m.text if m.text is not None else _gone(m.gone, t)
    return [
        m.sender,
        m.recipient,
        m.written_at,
        m.delivered_at,
        m.handling,
        m.akut_when,
        m.reason,
        m.status,
        m.cancelled_at,
        m.source,
        m.forwarded_from,
        text,
    ]


def _message_table(r: PairRecords, t: Translator) -> Table:
    return Table(
        "meddelanden",
        t("Meddelanden"),
        [
            Col("sender", t("Från"), "person"),
            Col("recipient", t("Till"), "person"),
            Col("written_at", t("Skrivet"), "time"),
            Col("delivered_at", t("Levererat"), "time"),
            Col("handling", t("Hantering"), "code", _bound(_handling, t)),
            Col("akut_when", t("Akut när"), "code", _bound(_akut_when, t)),
            Col("reason", t("Skäl")),
            Col("status", "Status", "code", _bound(_message_status, t)),
            Col("cancelled_at", t("Ångrat"), "time"),
            Col("source", t("Källa"), "code", _bound(_source, t)),
            Col("forwarded_from", t("Vidarebefordrat från"), "person"),
            Col("text", t("Text")),
        ],
        [_message_cells(m, t) for m in r.messages],
    )


def _record_tables(r: PairRecords, t: Translator) -> list[Table]:
    who = r.who
    ctx = audit_log.LogContext(
        tz=r.tz, person=_label_of(r), uppdrag_nr=r.uppdrag_nrs, point_text=r.point_texts, section_label=lambda h: heading_label(h, t)
    )
    return [
        Table(
            "spelregler",
            t("Spelregler"),
            [
                Col("version", t("Version")),
                Col("section", t("Avsnitt")),
                Col("text", t("Text")),
                Col("author", t("Sparad av"), "person"),
                Col("created_at", t("Sparad"), "time"),
            ],
            [[v.number, heading_label(h, t), v.text(h), who(v.author), v.created_at] for v in r.versions for h in SECTIONS],
        ),
        Table(
            "utvecklingssamtal",
            t("Utvecklingssamtal"),
            [
                Col("planned_date", t("Planerat"), "date"),
                Col("held_at", t("Hölls"), "time"),
                Col("recorded_by", t("Registrerat av"), "person"),
            ],
            [[talk.planned_date, talk.held_at, who(talk.recorded_by)] for talk in r.talks],
        ),
        Table(
            "audit",
            t("Logg"),
            [
                Col("at", t("Tid"), "time"),
                Col("actor", t("Vem"), "person"),
                Col("action", "action", "code", in_tables=False),
                Col("description", t("Händelse")),
                Col("ref", t("Gäller")),
            ],
            [
                [
                    e.at,
                    who(e.actor),
                    e.action,
                    audit_log.describe(e.action, e.entity_id, e.before, e.after, ctx, t),
                    _references(r, t, e.entity, e.entity_id, e.after),
                ]
                for e in r.entries
            ],
        ),
    ]


def pair_section(r: PairRecords, t: Translator, *, title_prefix: str = "") -> Section:
    """Every table of one pair for the period."""
    tables = [_meta_table(r, t), *_uppdrag_tables(r, t), *_case_tables(r, t), _message_table(r, t), *_record_tables(r, t)]
    return Section(
        key=f"par_{r.pair.id}",
        title_prefix=title_prefix,
        tables=tables,
        meta={"pair": r.pair, "period": r.period, "tz": r.tz, "now": r.now, "retention_days": r.retention_days},
    )


# long: a table's column list, one column per line.
def _own_tables(r: PersonRecords, t: Translator) -> list[Table]:
    who = r.who
    return [
        Table(
            "person",
            t("Registerutdrag"),
            [
                Col("id", t("Slack-id")),
                Col("name", t("Namn")),
                Col("name_fetched_at", t("Namnet hämtat från Slack"), "time"),
                Col("pairs", t("Par")),
                Col("language", t("Språk"), "code", _bound(_language, t)),
                Col("slack_locale", t("Språk i Slack")),
                Col("welcomed_at", t("Välkomnad i hemvyn"), "time"),
                # Never the token itself: the address is a secret that opens the feed.
                Col("calendar_feed", t("Kalenderlänk"), "code", _bound(_calendar_feed, t)),
                Col("calendar_feed_at", t("Kalenderlänken skapad"), "time"),
                Col("settings_since", t("Inställningar sparade sedan"), "time"),
                Col("exported_at", t("Exporterad"), "time"),
                Col("timezone", t("Tidszon")),
                Col("retention", t("Gallring")),
            ],
            [
                [
                    r.user_id,
                    r.name,
                    r.name_fetched_at,
                    ", ".join(str(p) for p in r.pair_ids) or "–",
                    (r.settings.language or "auto") if r.settings else None,
                    r.settings.slack_locale if r.settings else None,
                    r.settings.welcomed_at if r.settings else None,
                    r.settings.calendar_feed if r.settings else False,
                    r.settings.calendar_feed_at if r.settings else None,
                    r.settings.created_at if r.settings else None,
                    r.now,
                    str(r.tz),
                    retention.note(r.retention_days, t),
                ]
            ],
        ),
        Table(
            "forslag",
            t("Kopplingsförslag"),
            [
                Col("channel", t("Kanal")),
                Col("kso", "KSO", "person"),
                Col("kd", "KD", "person"),
                Col("proposed_by", t("Föreslaget av"), "person"),
                Col("created_at", t("Föreslaget"), "time"),
                Col("status", "Status", "code", _bound(_proposal_status, t)),
                Col("decided_at", t("Avgjort"), "time"),
            ],
            [
                [p.channel_id, who(p.kso_user), who(p.kd_user), who(p.proposed_by), p.created_at, p.status, p.decided_at]
                for p in r.proposals
            ],
        ),
        Table(
            "utskick",
            t("Utskick från Samspel till dig"),
            [
                Col("pair", t("Par")),
                Col("kind", t("Typ"), "code", _bound(_outbox_kind, t)),
                Col("created_at", t("Skapat"), "time"),
                Col("status", "Status", "code", _bound(_message_status, t)),
                Col("sent_at", t("Levererat"), "time"),
                Col("text", t("Text")),
            ],
            [
                [row.pair_id, row.kind, row.created_at, row.status, row.sent_at, row.text or Removed(t("(texten är gallrad)"))]
                for row in r.sent_to
            ],
        ),
        *_settings_tables(r, t),
    ]


# long: a table's column list, one column per line.
def _settings_tables(r: PersonRecords, t: Translator) -> list[Table]:
    """Their days off and working hours in each pair, log lines outside any pair, the workspaces they installed Samspel in."""
    ctx = audit_log.LogContext(tz=r.tz, person=_label_of(r))
    return [
        Table(
            "lediga_dagar",
            t("Lediga dagar"),
            [
                Col("pair", t("Par")),
                Col("day", t("Dag"), "date"),
                Col("note", t("Anteckning")),
                Col("whose", t("Gäller"), "code", _bound(_whose_day, t)),
            ],
            [[d.pair_id, d.day, d.note or None, "egen" if d.user else "båda"] for d in r.days_off],
        ),
        Table(
            "arbetstider",
            t("Egen arbetstid"),
            [
                Col("pair", t("Par")),
                Col("days", t("Arbetsdagar")),
                Col("hours", t("Arbetstid")),
                Col("changed_at", t("Ändrad"), "time"),
            ],
            [
                [
                    c.pair_id,
                    audit_log.days_text(c.work_days, t),
                    f"{audit_log.hhmm(c.work_start_min)}–{audit_log.hhmm(c.work_end_min)}",
                    c.changed_at,
                ]
                for c in r.calendars
            ],
        ),
        Table(
            "audit",
            t("Logg utanför par"),
            [
                Col("at", t("Tid"), "time"),
                Col("actor", t("Vem"), "person"),
                Col("action", "action", "code", in_tables=False),
                Col("description", t("Händelse")),
            ],
            [[e.at, r.who(e.actor), e.action, audit_log.describe(e.action, e.entity_id, e.before, e.after, ctx, t)] for e in r.log],
        ),
        Table(
            "installationer",
            t("Installationer av Samspel"),
            [
                Col("team_id", t("Arbetsyta")),
                Col("team_name", t("Arbetsytans namn")),
                Col("installed_at", t("Installerad"), "time"),
            ],
            [[i["team_id"], i["team_name"], i["installed_at"]] for i in r.installations],
        ),
    ]


def person_sections(r: PersonRecords, t: Translator) -> list[Section]:
    """A person's extract: their own tables first, then one section per pair they are in."""
    own = Section(
        key="person", title_prefix="", tables=_own_tables(r, t), meta={"tz": r.tz, "now": r.now, "retention_days": r.retention_days}
    )
    return [own, *(pair_section(p, t, title_prefix=t("Par {pair}: ").format(pair=p.pair.id)) for p in r.pairs)]


# --- rendering ---------------------------------------------------------------------


def local_time(moment: datetime, tz: ZoneInfo) -> str:
    return audit_log.local_time(moment, tz)


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


def _headers(cols: Sequence[Col], t: Translator) -> list[str]:
    out: list[str] = []
    for col in cols:
        if not col.in_tables:
            continue
        out.append(col.label)
        if col.kind == "person":
            out.append(t("{column} (id)").format(column=col.label))
    return out


def _section_tz(section: Section) -> ZoneInfo:
    tz = section.meta.get("tz")
    return tz if isinstance(tz, ZoneInfo) else DEFAULT_TZ


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def render_csv(sections: Iterable[Section], t: Translator) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    for section in sections:
        tz = _section_tz(section)
        for table in section.tables:
            writer.writerow([section.title_prefix + table.title])
            writer.writerow(_headers(table.cols, t))
            for row in table.rows:
                writer.writerow([_cell(c) for col, i in _shown(table) for c in _text(col, row[i], tz)])
            writer.writerow([])
    return "\ufeff" + out.getvalue()


def render_xlsx(sections: Iterable[Section], t: Translator) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.worksheets[0])  # the empty default sheet
    used: set[str] = set()
    for section in sections:
        tz = _section_tz(section)
        for table in section.tables:
            sheet = book.create_sheet(_sheet_name(section.title_prefix + table.title, used))
            sheet.append(_headers(table.cols, t))
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            sheet.freeze_panes = "A2"
            widths = [len(h) for h in _headers(table.cols, t)]
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
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
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
    doc["retention_days"] = section.meta.get("retention_days", 0)
    return doc


def render_json(sections: Sequence[Section]) -> str:
    if len(sections) == 1:
        return json.dumps(_json_section(sections[0]), ensure_ascii=False, indent=2)
    own, *pairs = sections
    doc = _json_section(own)
    doc["pairs"] = [_json_section(s) for s in pairs]
    return json.dumps(doc, ensure_ascii=False, indent=2)


def render(sections: Sequence[Section], fmt: str, t: Translator) -> str | bytes:
    if fmt == "csv":
        return render_csv(sections, t)
    if fmt == "json":
        return render_json(sections)
    if fmt == "xlsx":
        return render_xlsx(sections, t)
    raise UserError(UNKNOWN_FORMAT, fmt=fmt)
