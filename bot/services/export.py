"""Export for the diarium, and a person's own extract (registerutdrag, GDPR art. 15): collecting the records.

`collect_pair` gathers a pair's records for a period (uppdrag, questions, cases, agenda points,
messages, spelregler, talks, the log), `collect_person` everything stored about one person:
each pair they are in, and what is theirs alone (their settings in `people`, never the calendar
token itself, only that one exists and since when; their days off and working hours; their
proposals; the bot's messages to them; log lines outside any pair that name them; the
workspaces where they installed Samspel). Whom it knows is bot.services.subject's answer,
the same the erasure asks;
bot/presenters/export.py turns them into titled tables and renders csv, xlsx and json from
those same tables, so the formats cannot disagree.

- People appear by name (Slack's `users.info`, cached; see bot.services.names), with the Slack
  id beside it, and with their role in the pair.
- The period (`date_from`/`date_to`, inclusive local dates) selects rows created or changed
  in it, and the log entries made in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from bot.domain.spelregler import TEMPLATE_AUTHOR, Version
from bot.errors import UserError
from bot.i18n import N_
from bot.models import (
    AgendaPoint,
    Arende,
    AuditEntry,
    DayOff,
    Meddelande,
    MemberCalendar,
    OutboxMessage,
    Pair,
    PairProposal,
    SpelreglerVersion,
    Uppdrag,
    UppdragFraga,
    UserName,
    Utvecklingssamtal,
)
from bot.models import Person as PersonRow
from bot.services import retention, subject
from bot.services.names import Names, is_erased
from bot.services.pairs import get_pair
from bot.services.spelregler import as_version

FORMATS = ("csv", "json", "xlsx")
UNKNOWN_FORMAT = N_("Okänt format {fmt!r}: välj csv, json eller xlsx.")
# A person's extract with no pair to take the zone from (SAMSPEL_TIMEZONE is handed in by the CLI).
DEFAULT_TZ = ZoneInfo("Europe/Stockholm")
# Why a message's text is gone (the presenter says it in words).
CANCELLED, ERASED, SWEPT = "ångrat", "raderat", "gallrat"


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    role: str | None  # "KSO", "KD" or None


class Period:
    """Inclusive local dates as a half-open UTC interval; open ends allowed."""

    def __init__(self, tz: ZoneInfo, date_from: date | None, date_to: date | None) -> None:
        if date_from and date_to and date_from > date_to:
            raise UserError(
                N_("--from {date_from} ligger efter --to {date_to}."), date_from=date_from.isoformat(), date_to=date_to.isoformat()
            )
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


class People:
    """Person values for one pair: name from the cache or Slack, role in the pair."""

    def __init__(self, pair: Pair | None, names: Names) -> None:
        self.pair, self.names = pair, names

    def __call__(self, user_id: str | None) -> Person | None:
        if not user_id:
            return None
        if user_id == retention.SYSTEM_ACTOR or user_id == TEMPLATE_AUTHOR:
            return Person(user_id, "Samspel", None)
        role = self.pair.role_of(user_id) if self.pair else None
        if role is None and self.pair is not None and is_erased(user_id):
            role = user_id.rsplit("-", 1)[-1] if user_id.endswith(("-kso", "-kd")) else None
        return Person(user_id, self.names.name(user_id), role.upper() if role else None)


@dataclass(frozen=True)
class MessageRow:
    """One message through Samspel as the export shows it; `text` is None when `gone` says why it is not stored."""

    sender: Person | None
    recipient: Person | None
    written_at: datetime
    delivered_at: datetime | None
    handling: str  # direkt | hållet | akut | hållet_akut
    akut_when: str | None
    reason: str | None
    status: str | None
    cancelled_at: datetime | None
    source: str | None
    forwarded_from: Person | None
    text: str | None
    gone: str | None = None  # CANCELLED, ERASED or SWEPT


@dataclass
class PairRecords:
    """A pair's records for a period, with everyone they mention resolved to a Person."""

    pair: Pair
    period: Period
    tz: ZoneInfo
    now: datetime
    who: People
    uppdrag: list[Uppdrag]
    fragor: list[UppdragFraga]
    arenden: list[Arende]
    points: list[AgendaPoint]
    messages: list[MessageRow]
    versions: list[Version]
    talks: list[Utvecklingssamtal]
    entries: list[AuditEntry]
    uppdrag_nrs: dict[int, int]  # every uppdrag's id → nr (the log refers to older ones too)
    arende_nrs: dict[int, int]
    point_texts: dict[int, str]
    retention_days: int = field(default_factory=retention.configured_days)


@dataclass(frozen=True)
class Settings:
    """The person's `people` row as the extract shows it: never the calendar token, only whether there is one."""

    language: str | None
    slack_locale: str | None
    welcomed_at: datetime | None
    calendar_feed: bool
    calendar_feed_at: datetime | None
    created_at: datetime


@dataclass
class PersonRecords:
    """Everything stored about one person: their own rows, and each pair they are in."""

    user_id: str
    name: str
    name_fetched_at: datetime | None
    pair_ids: list[int]
    proposals: list[PairProposal]
    sent_to: list[OutboxMessage]
    tz: ZoneInfo
    now: datetime
    who: People
    pairs: list[PairRecords]
    settings: Settings | None = None
    days_off: list[DayOff] = field(default_factory=list)
    calendars: list[MemberCalendar] = field(default_factory=list)
    log: list[AuditEntry] = field(default_factory=list)
    installations: list[dict[str, Any]] = field(default_factory=list)
    retention_days: int = field(default_factory=retention.configured_days)


def _message_row(m: Meddelande, row: OutboxMessage | None, who: People) -> MessageRow:
    # Without its outbox row (erased with a person) the delivery is no longer known.
    status = "cancelled" if m.cancelled_at is not None else (row.status if row is not None else None)
    if m.akut:
        handling = "hållet_akut" if m.escalated_at is not None else "akut"
    else:
        handling = "hållet" if m.held else "direkt"
    gone = None
    if not m.text:
        if m.cancelled_at is not None:
            gone = CANCELLED
        elif is_erased(m.sender) or is_erased(m.recipient):
            gone = ERASED
        else:
            gone = SWEPT
    delivered = row.sent_at if row is not None and row.status == "sent" else None
    return MessageRow(
        who(m.sender),
        who(m.recipient),
        m.written_at,
        delivered,
        handling,
        m.akut_when,
        m.akut_reason or None,
        status,
        m.cancelled_at,
        m.source,
        who(m.origin_user),
        m.text if gone is None else None,
        gone,
    )


def _work_rows(session: Session, pair: Pair, period: Period) -> dict[str, Any]:
    """Uppdrag (with their questions), cases and agenda points touched in the period."""
    uppdrag = session.scalars(
        select(Uppdrag)
        .where(
            Uppdrag.pair_id == pair.id,
            or_(
                period.holds(Uppdrag.given_at),
                period.holds(Uppdrag.done_at),
                Uppdrag.id.in_(
                    select(UppdragFraga.uppdrag_id).where(or_(period.holds(UppdragFraga.asked_at), period.holds(UppdragFraga.answered_at)))
                ),
            ),
        )
        .order_by(Uppdrag.nr)
    ).all()
    fragor = (
        session.scalars(select(UppdragFraga).where(UppdragFraga.uppdrag_id.in_([u.id for u in uppdrag])).order_by(UppdragFraga.id)).all()
        if uppdrag
        else []
    )
    arenden = session.scalars(
        select(Arende)
        .where(Arende.pair_id == pair.id, or_(period.holds(Arende.submitted_at), period.holds(Arende.decided_at)))
        .order_by(Arende.nr)
    ).all()
    points = session.scalars(
        select(AgendaPoint)
        .where(AgendaPoint.pair_id == pair.id, or_(period.holds(AgendaPoint.created_at), period.holds(AgendaPoint.closed_at)))
        .order_by(AgendaPoint.created_at, AgendaPoint.id)
    ).all()
    return {"uppdrag": list(uppdrag), "fragor": list(fragor), "arenden": list(arenden), "points": list(points)}


def _record_rows(session: Session, pair: Pair, period: Period) -> dict[str, Any]:
    """Messages, spelregler versions, talks and log entries of the period."""
    messages = session.execute(
        select(Meddelande, OutboxMessage)
        .outerjoin(OutboxMessage, OutboxMessage.id == Meddelande.outbox_id)
        .where(Meddelande.pair_id == pair.id, or_(period.holds(Meddelande.written_at), period.holds(OutboxMessage.sent_at)))
        .order_by(Meddelande.written_at, Meddelande.id)
    ).all()
    versions = session.scalars(
        select(SpelreglerVersion)
        .where(SpelreglerVersion.pair_id == pair.id, period.holds(SpelreglerVersion.created_at))
        .order_by(SpelreglerVersion.version)
    ).all()
    talks = session.scalars(
        select(Utvecklingssamtal)
        .where(Utvecklingssamtal.pair_id == pair.id, period.holds(Utvecklingssamtal.held_at))
        .order_by(Utvecklingssamtal.held_at)
    ).all()
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.pair_id == pair.id, period.holds(AuditEntry.at)).order_by(AuditEntry.at, AuditEntry.id)
    ).all()
    return {"messages": list(messages), "versions": list(versions), "talks": list(talks), "entries": list(entries)}


def _mentioned(pair: Pair, work: dict[str, Any], records: dict[str, Any]) -> list[str | None]:
    """Everyone the tables mention, for one round of name look-ups."""
    return (
        [pair.kso_user, pair.kd_user]
        + [x for u in work["uppdrag"] for x in (u.given_by, u.done_by)]
        + [x for q in work["fragor"] for x in (q.asked_by, q.answered_by)]
        + [x for a in work["arenden"] for x in (a.submitted_by, a.decided_by)]
        + [x for p in work["points"] for x in (p.created_by, p.closed_by)]
        + [x for m, _row in records["messages"] for x in (m.sender, m.recipient, m.origin_user)]
        + [v.author for v in records["versions"]]
        + [t.recorded_by for t in records["talks"]]
        + [e.actor for e in records["entries"]]
    )


def collect_pair(session: Session, pair: Pair, period: Period, names: Names, now: datetime) -> PairRecords:
    """Every record of one pair for the period."""
    work, records = _work_rows(session, pair, period), _record_rows(session, pair, period)
    names.load(_mentioned(pair, work, records))
    who = People(pair, names)
    return PairRecords(
        pair=pair,
        period=period,
        tz=ZoneInfo(pair.timezone),
        now=now,
        who=who,
        **work,
        messages=[_message_row(m, row, who) for m, row in records["messages"]],
        versions=[as_version(v) for v in records["versions"]],
        talks=records["talks"],
        entries=records["entries"],
        uppdrag_nrs=dict(session.execute(select(Uppdrag.id, Uppdrag.nr).where(Uppdrag.pair_id == pair.id)).all()),
        arende_nrs=dict(session.execute(select(Arende.id, Arende.nr).where(Arende.pair_id == pair.id)).all()),
        point_texts=dict(session.execute(select(AgendaPoint.id, AgendaPoint.text).where(AgendaPoint.pair_id == pair.id)).all()),
    )


def _settings(row: PersonRow | None) -> Settings | None:
    if row is None:
        return None
    return Settings(row.language, row.slack_locale, row.welcomed_at, row.calendar_token is not None, row.calendar_token_at, row.created_at)


def _own_rows(session: Session, user_id: str, pair_ids: list[int], period: Period) -> dict[str, Any]:
    """What is theirs alone: settings, days off and working hours (as they are now), log lines outside any pair."""
    days_off = session.scalars(
        select(DayOff)
        # A row with no user (written before migration 0010) is a day off for both members.
        .where(or_(DayOff.user == user_id, and_(DayOff.user.is_(None), DayOff.pair_id.in_(pair_ids))))
        .order_by(DayOff.day, DayOff.pair_id)
    ).all()
    calendars = session.scalars(select(MemberCalendar).where(MemberCalendar.user == user_id).order_by(MemberCalendar.pair_id)).all()
    return {
        "settings": _settings(session.get(PersonRow, user_id)),
        "days_off": list(days_off),
        "calendars": list(calendars),
        "log": subject.loose_entries(session, user_id, period.holds(AuditEntry.at)),
        "installations": subject.installations_of(session, user_id),
    }


def collect_person(session: Session, user_id: str, period: Period, names: Names, now: datetime, tz: ZoneInfo = DEFAULT_TZ) -> PersonRecords:
    """Everything stored about one person: each pair they are in, and what is theirs alone."""
    # The same question the erasure asks: whom the extract knows nothing about, erase refuses too.
    if not subject.known(session, user_id):
        raise UserError(subject.NOTHING_STORED, user=user_id)
    pairs = subject.pairs_of(session, user_id)
    proposals = session.scalars(select(PairProposal).where(subject.in_proposal(user_id)).order_by(PairProposal.id)).all()
    sent_to = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.user == user_id, OutboxMessage.kind != "home", period.holds(OutboxMessage.created_at))
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    ).all()
    cached = session.get(UserName, user_id)
    own = _own_rows(session, user_id, [p.id for p in pairs], period)
    in_pairs = [collect_pair(session, pair, period, names, now) for pair in pairs]
    names.load([user_id] + [x for p in proposals for x in (p.kso_user, p.kd_user, p.proposed_by)] + [e.actor for e in own["log"]])
    return PersonRecords(
        user_id=user_id,
        name=names.name(user_id),
        name_fetched_at=cached.fetched_at if cached else None,
        pair_ids=[p.id for p in pairs],
        proposals=list(proposals),
        sent_to=list(sent_to),
        tz=ZoneInfo(pairs[0].timezone) if pairs else tz,
        now=now,
        who=People(None, names),
        pairs=in_pairs,
        **own,
    )


def check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise UserError(UNKNOWN_FORMAT, fmt=fmt)


def pair_records(
    session: Session,
    pair_id: int,
    fmt: str,
    date_from: date | None = None,
    date_to: date | None = None,
    *,
    names: Names,
    now: datetime,
) -> PairRecords:
    """The pair's records for the diarium (`fmt` checked first, so a typo costs no look-ups)."""
    check_format(fmt)
    pair = get_pair(session, pair_id)
    period = Period(ZoneInfo(pair.timezone), date_from, date_to)
    return collect_pair(session, pair, period, names, now)


def person_records(
    session: Session,
    user_id: str,
    fmt: str,
    date_from: date | None = None,
    date_to: date | None = None,
    *,
    names: Names,
    now: datetime,
    tz: ZoneInfo = DEFAULT_TZ,
) -> PersonRecords:
    """A person's own extract (registerutdrag): everything stored about them, in every pair."""
    check_format(fmt)
    period = Period(tz, date_from, date_to)
    return collect_person(session, user_id, period, names, now, tz)
