"""The Monday agenda's use cases: add and close a point, preview, build the agenda's data, post it once a week.

The agenda is built as data (`Agenda`: nine sections of typed lines); `bot/presenters/agenda.py`
words it and `bot/projections/posted_agenda.py` posts it and keeps the posted message true.
Points (`/agenda +`) stay on the agenda week after week until someone closes them.

Building an agenda reads a fixed number of queries whatever the volume: one each for
uppdrag, open uncertainties, cases and open points, and one for the calendar.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from bot import jobruns
from bot.db import SessionScope, rowcount, stable_calendars
from bot.domain import agenda as plan
from bot.domain import ks_calendar as ks_rules
from bot.domain.agenda import ADDABLE_TYPES, INCIDENT, MAX_RESOLUTION, MEDIA, OWNERS, POINT_SECTION, POINT_TYPES, SECTION_KEYS, Due, Meeting
from bot.domain.calendar import WorkingCalendar
from bot.domain.events import AgendaChanged, AgendaPointClosed, MediaPointAdded
from bot.errors import UserError
from bot.i18n import N_
from bot.models import AgendaPoint, Arende, JobRun, Pair, Uppdrag, UppdragFraga
from bot.services import audit
from bot.services.pairs import Member, calendar_for, member_of_pair, prefetch_calendars
from bot.services.refusals import require_text
from bot.services.respekt_time import delivery_time
from bot.services.unit_of_work import emit
from bot.text import escape

log = logging.getLogger(__name__)

ADD_USAGE = N_("Skriv `/agenda + &lt;typ&gt; &lt;text&gt;`, där typ är en av {types}.")
UNKNOWN_TYPE = N_("Okänd typ `{typ}`. Skriv `/agenda + &lt;typ&gt; &lt;text&gt;`, där typ är en av {types}.")
NO_MEETING_SOON = N_("Det finns ingen arbetsdag de närmaste veckorna, så ingen agenda är planerad.")
POINT_GONE = N_("Punkten finns inte längre.")
NO_OWNER = N_("Välj vem som äger uppföljningen.")
NO_RESOLUTION = N_("Skriv kort hur incidenten klarades ut.")
RESOLUTION_TOO_LONG = N_("Anteckningen är för lång ({length} tecken): högst {limit} tecken.")


def usage_types() -> str:
    """The type words for the usage text; they stay Swedish (they are what the user types)."""
    return ", ".join(f"`{typ}`" for typ in ADDABLE_TYPES)


# --- the agenda as data -------------------------------------------------------------
# Roles are codes ('kso', 'kd', or None for someone outside the pair); days are the pair's local dates.


@dataclass(frozen=True)
class DoneUppdrag:
    """Status: an uppdrag finished since the last meeting."""

    nr: int
    text: str
    role: str | None
    day: date


@dataclass(frozen=True)
class DecidedCase:
    """Status: a case decided since the last meeting (to KS, or back for beredning)."""

    nr: int
    title: str
    to_ks: bool
    role: str | None
    day: date
    ks_meeting: date | None


@dataclass(frozen=True)
class UppdragLine:
    """An uppdrag: in the status (open, given before the last meeting) or new since it (`given` set)."""

    nr: int
    text: str
    done: bool
    deadline: date | None
    overdue_days: int  # 0 when not overdue at the meeting
    questions: int  # open questions on an open uppdrag
    given: date | None = None


@dataclass(frozen=True)
class WaitingCase:
    """A case waiting for the KSO's decision (it gets the two buttons)."""

    id: int
    nr: int
    title: str
    role: str | None
    submitted: date
    waited_days: int
    ks_meeting: date | None
    stopptid: date | None
    flag: ks_rules.Flag | None
    link: str | None


@dataclass(frozen=True)
class ReturnedHeading:
    """The sub-heading above the cases sent back for beredning."""


@dataclass(frozen=True)
class ReturnedCase:
    nr: int
    title: str
    day: date
    role: str | None
    comment: str | None


@dataclass(frozen=True)
class OpenQuestion:
    """An open `oklart` question on an open uppdrag (it gets the Svara button)."""

    id: int
    nr: int
    uppdrag_text: str
    question: str
    role: str | None
    day: date


@dataclass(frozen=True)
class Point:
    """An open agenda point (it gets the Stäng button); `carried_weeks` when it was on an earlier agenda."""

    id: int
    typ: str
    text: str
    role: str | None
    day: date
    carried_weeks: int | None


Line = DoneUppdrag | DecidedCase | UppdragLine | WaitingCase | ReturnedHeading | ReturnedCase | OpenQuestion | Point


@dataclass(frozen=True)
class Section:
    key: str
    items: tuple[Line, ...]


@dataclass(frozen=True)
class Agenda:
    pair_id: int
    channel_id: str
    meeting: Meeting
    timezone: str
    sections: tuple[Section, ...] = ()

    def count(self, key: str) -> int:
        return next(len(s.items) for s in self.sections if s.key == key)


@dataclass(frozen=True)
class _Rows:
    """What the database holds for one agenda: four queries, whatever the volume."""

    uppdrag: Sequence[Uppdrag]
    fragor: Sequence[tuple[UppdragFraga, int, str]]
    cases: Sequence[Arende]
    points: Sequence[AgendaPoint]


# --- when -------------------------------------------------------------------------


def meeting_of_week(cal: WorkingCalendar, pair: Pair, any_day: date) -> Meeting | None:
    """The pair's meeting in the week of `any_day`, at its agenda time and day."""
    return plan.meeting_of_week(cal, any_day, pair.agenda_time_min, pair.agenda_days_before or 0)


def next_meeting(cal: WorkingCalendar, pair: Pair, now: datetime) -> Meeting:
    """The next agenda to be posted: this week's if not yet posted, else the following week's."""
    meeting = plan.next_meeting(cal, now, pair.agenda_time_min, pair.agenda_days_before or 0)
    if meeting is None:
        raise UserError(NO_MEETING_SOON)
    return meeting


def plan_agenda(pair: Pair, cal: WorkingCalendar, now: datetime) -> list[Due]:
    return plan.plan_agenda(pair.id, cal, now, pair.agenda_time_min, pair.agenda_days_before or 0)


# --- what: building the agenda ----------------------------------------------------


def _rows(session: Session, pair: Pair, meeting: Meeting) -> _Rows:
    uppdrag = session.scalars(
        select(Uppdrag)
        .where(
            Uppdrag.pair_id == pair.id, or_(Uppdrag.status == "open", Uppdrag.given_at >= meeting.since, Uppdrag.done_at >= meeting.since)
        )
        .order_by(Uppdrag.nr)
    ).all()
    fragor = session.execute(
        select(UppdragFraga, Uppdrag.nr, Uppdrag.text)
        .join(Uppdrag, Uppdrag.id == UppdragFraga.uppdrag_id)
        .where(Uppdrag.pair_id == pair.id, UppdragFraga.answered_at.is_(None), Uppdrag.status == "open")
        .order_by(UppdragFraga.asked_at, UppdragFraga.id)
    ).all()
    # Waiting cases, cases sent back (until the KD hands them over again), and those decided since the last meeting.
    cases = session.scalars(
        select(Arende)
        .where(Arende.pair_id == pair.id, or_(Arende.status.in_(("vantar", "ater")), Arende.decided_at >= meeting.since))
        .order_by(Arende.submitted_at, Arende.nr)
    ).all()
    points = session.scalars(
        select(AgendaPoint)
        .where(AgendaPoint.pair_id == pair.id, AgendaPoint.closed_at.is_(None))
        .order_by(AgendaPoint.created_at, AgendaPoint.id)
    ).all()
    return _Rows(uppdrag, [(f, nr, text) for f, nr, text in fragor], cases, points)


class _Builder:
    """The section builders of one agenda: the pair, its meeting and its time zone."""

    def __init__(self, pair: Pair, meeting: Meeting, rows: _Rows, is_working_day: Callable[[date], bool]) -> None:
        self.pair, self.meeting, self.rows = pair, meeting, rows
        self.tz = ZoneInfo(pair.timezone)
        self.is_working_day = is_working_day
        self.questions: dict[int, int] = {}
        for fraga, _nr, _text in rows.fragor:
            self.questions[fraga.uppdrag_id] = self.questions.get(fraga.uppdrag_id, 0) + 1

    def day(self, t: datetime) -> date:
        return t.astimezone(self.tz).date()

    def role(self, user: str | None) -> str | None:
        return self.pair.role_of(user or "")

    def uppdrag_line(self, u: Uppdrag, given: date | None = None) -> UppdragLine:
        meeting = self.meeting.day
        overdue = (meeting - u.deadline).days if u.status == "open" and u.deadline is not None and u.deadline < meeting else 0
        return UppdragLine(
            nr=u.nr,
            text=u.text,
            done=u.status != "open",
            deadline=u.deadline,
            overdue_days=overdue,
            questions=self.questions.get(u.id, 0) if u.status == "open" else 0,
            given=given,
        )

    def status(self) -> list[Line]:
        """Status (seed 004: "den aktuella statusen"): first what was finished or decided since the last
        meeting, with who and when, then the open uppdrag handed over before it, overdue first."""
        since = self.meeting.since
        lines: list[Line] = []
        for u in sorted(
            (u for u in self.rows.uppdrag if u.status == "done" and u.done_at is not None and u.done_at >= since),
            key=lambda u: (u.done_at or since, u.nr),
        ):
            assert u.done_at is not None
            lines.append(DoneUppdrag(u.nr, u.text, self.role(u.done_by), self.day(u.done_at)))
        for a in sorted(
            (a for a in self.rows.cases if a.decided_at is not None and a.decided_at >= since and a.status != "vantar"),
            key=lambda a: (a.decided_at or since, a.nr),
        ):
            assert a.decided_at is not None
            lines.append(
                DecidedCase(
                    a.nr,
                    a.titel,
                    a.status == "till_ks",
                    self.role(a.decided_by),
                    self.day(a.decided_at),
                    a.ks_meeting if a.status == "till_ks" else None,
                )
            )
        older = [u for u in self.rows.uppdrag if u.status == "open" and u.given_at < since]
        lines += [self.uppdrag_line(u) for u in sorted(older, key=lambda u: plan.status_order(u.deadline, u.nr, self.meeting.day))]
        return lines

    def new_uppdrag(self) -> list[Line]:
        """New uppdrag since the last meeting, whatever their status now."""
        return [self.uppdrag_line(u, given=self.day(u.given_at)) for u in self.rows.uppdrag if u.given_at >= self.meeting.since]

    def cases(self) -> list[Line]:
        """Cases waiting for the KSO's decision; then those sent back, until the KD hands them over again."""
        lines: list[Line] = []
        for a in self.rows.cases:
            if a.status != "vantar":
                continue
            submitted = self.day(a.submitted_at)
            flag = ks_rules.flag(a.stopptid, self.meeting.day, self.is_working_day) if a.stopptid is not None else None
            lines.append(
                WaitingCase(
                    a.id,
                    a.nr,
                    a.titel,
                    self.role(a.submitted_by),
                    submitted,
                    (self.meeting.day - submitted).days,
                    a.ks_meeting,
                    a.stopptid,
                    flag,
                    a.link,
                )
            )
        returned = [a for a in self.rows.cases if a.status == "ater"]
        if returned:
            lines.append(ReturnedHeading())
        for a in returned:
            assert a.decided_at is not None
            lines.append(ReturnedCase(a.nr, a.titel, self.day(a.decided_at), self.role(a.decided_by), a.comment))
        return lines

    def questions_open(self) -> list[Line]:
        """Open uncertainties ('oklart') on open uppdrag."""
        return [OpenQuestion(f.id, nr, text, f.fraga, self.role(f.asked_by), self.day(f.asked_at)) for f, nr, text in self.rows.fragor]

    def points(self) -> dict[str, list[Line]]:
        """Agenda points by type; those already on an earlier agenda are marked as carried over."""
        out: dict[str, list[Line]] = {typ: [] for typ in POINT_TYPES}
        # Media points first within their section: they are the KSO's and rarely wait.
        for p in sorted(self.rows.points, key=lambda p: p.typ != MEDIA):
            key = POINT_SECTION.get(p.typ)
            if key is None:
                continue
            day = self.day(p.created_at)
            carried = plan.weeks_carried(day, self.meeting.day) if p.created_at < self.meeting.since else None
            out[key].append(Point(p.id, p.typ, p.text, self.role(p.created_by), day, carried))
        return out


def build_agenda(session: Session, pair: Pair, meeting: Meeting) -> Agenda:
    """The agenda for `meeting`, from what the database holds now. Five queries, whatever the volume."""
    is_working_day = calendar_for(session, pair).is_working_day
    builder = _Builder(pair, meeting, _rows(session, pair, meeting), is_working_day)
    lines: dict[str, list[Line]] = {
        "status": builder.status(),
        "arenden": builder.cases(),
        "nya_uppdrag": builder.new_uppdrag(),
        "osakerhet": builder.questions_open(),
        **builder.points(),
    }
    sections = tuple(Section(key, tuple(lines[key])) for key in SECTION_KEYS)
    return Agenda(pair_id=pair.id, channel_id=pair.channel_id, meeting=meeting, timezone=pair.timezone, sections=sections)


# --- preview ------------------------------------------------------------------------


@dataclass(frozen=True)
class Preview:
    """The next agenda (or the one for the week of `day`), or `agenda` None for a week without a working day."""

    now: datetime
    day: date | None
    agenda: Agenda | None


def preview(session: Session, pair: Pair, now: datetime, day: date | None = None) -> Preview:
    """The next agenda (or the one for the week of `day`), built from today's data, without posting."""
    cal = calendar_for(session, pair)
    meeting = meeting_of_week(cal, pair, day) if day is not None else next_meeting(cal, pair, now)
    if meeting is None:
        return Preview(now, day, None)
    return Preview(now, day, build_agenda(session, pair, meeting))


# --- agenda points --------------------------------------------------------------------


@dataclass(frozen=True)
class PointAdded:
    """`kso_told_at`: for a media point added by the KD, when the KSO gets the notice (now, or held)."""

    typ: str
    text: str
    meeting_day: date
    kso_told_at: datetime | None = None
    now: datetime | None = None
    timezone: str = "Europe/Stockholm"

    @property
    def section(self) -> str:
        return POINT_SECTION[self.typ]


def parse_point(text: str) -> tuple[str, str]:
    """'+ incident Läckan i simhallen' → ('incident', 'Läckan i simhallen'), or a refusal."""
    typ_word, rest = plan.split_point(text)
    if not typ_word:
        raise UserError(ADD_USAGE, types=usage_types())
    typ = plan.point_type(typ_word)
    if typ is None:
        raise UserError(UNKNOWN_TYPE, typ=escape(typ_word), types=usage_types())
    require_text(rest, "Punkten")
    return typ, rest.strip()


def add_point(session: Session, member: Member, text: str, now: datetime) -> PointAdded:
    """`/agenda + <typ> <text>`: store a point; it stays on the agenda until closed."""
    typ, body = parse_point(text)
    pair = member.pair
    point = AgendaPoint(pair_id=pair.id, typ=typ, text=body, created_by=member.user, created_at=now)
    session.add(point)
    session.flush()
    audit.record(
        session,
        pair_id=pair.id,
        actor=member.user,
        action="agenda_punkt",
        entity="agenda_point",
        entity_id=point.id,
        at=now,
        after=audit.snapshot(point, ("typ", "text")),
    )
    emit(session, AgendaChanged(at=now, pair_id=pair.id))
    told = _tell_kso_of_media(session, pair, point, member.role, now) if typ == MEDIA else None
    meeting = next_meeting(calendar_for(session, pair), pair, now)
    return PointAdded(typ=typ, text=body, meeting_day=meeting.day, kso_told_at=told, now=now, timezone=pair.timezone)


def _tell_kso_of_media(session: Session, pair: Pair, point: AgendaPoint, role: str | None, now: datetime) -> datetime | None:
    """The KD's media point goes to the KSO at once, within the KSO's working time (respekt holds it otherwise).

    A media question cannot wait for the Monday meeting, but it is not akut by itself: one
    that cannot wait for working time goes with `/meddela akut`, which asks for a reason and
    is counted. The KSO's own media point needs no notice.
    """
    if not plan.media_goes_to_kso(role):
        return None
    when = delivery_time(session, pair, now, pair.kso_user)
    emit(session, MediaPointAdded(at=now, pair_id=pair.id, point_id=point.id, deliver_after=when))
    return when


@dataclass(frozen=True)
class PointClosed:
    """The close button's outcome: closed now by `role`, or already closed earlier (`already`) on `day`.

    An incident carries who owns its follow-up and how it was cleared up ("klarades ut").
    """

    pair_id: int
    text: str
    role: str | None
    already: bool
    day: date | None = None
    owner: str | None = None
    resolution: str | None = None


@dataclass(frozen=True)
class PointToClose:
    """What the Stäng button found: an open incident asks for an owner and a note before it closes."""

    id: int
    typ: str
    text: str
    asks_resolution: bool


@dataclass(frozen=True)
class Resolution:
    """How an incident was closed: `owner` one of OWNERS, `note` the short "klarades ut" text."""

    owner: str
    note: str


class ResolutionError(UserError):
    """A bad incident close form; `field` names the part that was wrong ('owner' or 'note')."""

    def __init__(self, text: str, field: str, /, **fields: object) -> None:
        super().__init__(text, **fields)
        self.field = field


def check_resolution(owner: str | None, note: str | None) -> Resolution:
    """The owner and the note of a closed incident, or a ResolutionError naming the field."""
    if owner not in OWNERS:
        raise ResolutionError(NO_OWNER, "owner")
    text = (note or "").strip()
    if not text:
        raise ResolutionError(NO_RESOLUTION, "note")
    if len(text) > MAX_RESOLUTION:
        raise ResolutionError(RESOLUTION_TOO_LONG, "note", length=len(text), limit=MAX_RESOLUTION)
    return Resolution(owner=owner, note=text)


def _point_of(session: Session, point_id: int, user: str) -> tuple[AgendaPoint, Pair]:
    point = session.get(AgendaPoint, point_id)
    if point is None:
        raise UserError(POINT_GONE)
    return point, member_of_pair(session.get(Pair, point.pair_id), user).pair


def point_to_close(session: Session, *, point_id: int, user: str) -> PointToClose:
    """Before closing: only the pair's members; an open incident is closed through the resolution form."""
    point, _pair = _point_of(session, point_id, user)
    return PointToClose(point.id, point.typ, point.text, point.typ == INCIDENT and point.closed_at is None)


_CLOSE_FIELDS = ("closed_by", "closed_at", "owner", "resolution")


# long: the checks of a click (whose point, closed already, the incident form) in their order.
def close_point(
    session: Session,
    *,
    point_id: int,
    user: str,
    now: datetime,
    clicked: tuple[str, str] | None = None,
    resolution: Resolution | None = None,
) -> PointClosed:
    """The close button (`agenda_stang`): only the pair's members; the posted agenda shows it closed.

    An open incident needs its `resolution` (the form of handlers/agenda.py asks for it).
    """
    point, pair = _point_of(session, point_id, user)
    if point.typ == INCIDENT and point.closed_at is None and resolution is None:
        raise ResolutionError(NO_RESOLUTION, "note")
    before = audit.snapshot(point, _CLOSE_FIELDS)
    values: dict[str, object] = {"closed_by": user, "closed_at": now}
    if resolution is not None and point.typ == INCIDENT:
        values.update(owner=resolution.owner, resolution=resolution.note)
    # Conditional update: of two simultaneous clicks exactly one closes the point.
    won = rowcount(
        session.execute(
            update(AgendaPoint)
            .where(AgendaPoint.id == point.id, AgendaPoint.closed_at.is_(None))
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    )
    session.refresh(point)
    role = pair.role_of(point.closed_by or "")
    if not won:
        assert point.closed_at is not None
        return PointClosed(pair.id, point.text, role, already=True, day=point.closed_at.astimezone(ZoneInfo(pair.timezone)).date())
    audit.record(
        session,
        pair_id=pair.id,
        actor=user,
        action="agenda_stang",
        entity="agenda_point",
        entity_id=point.id,
        at=now,
        before=before,
        after=audit.snapshot(point, _CLOSE_FIELDS),
    )
    emit(
        session,
        AgendaPointClosed(
            at=now, pair_id=pair.id, point_id=point.id, role=role, clicked=clicked, owner=point.owner, resolution=point.resolution
        ),
    )
    return PointClosed(pair.id, point.text, role, already=False, owner=point.owner, resolution=point.resolution)


# --- the missed week and the posted agenda's meeting ---------------------------------


@dataclass(frozen=True)
class MissedWeek:
    """A meeting week that ended with no agenda (Samspel was down): what it would have held."""

    due: Due
    timezone: str
    cases: int
    uppdrag: int
    questions: int
    points: int


def missed_week(session: Session, pair: Pair, due: Due) -> MissedWeek:
    agenda = build_agenda(session, pair, due.meeting)
    return MissedWeek(
        due=due,
        timezone=pair.timezone,
        cases=agenda.count("arenden"),
        uppdrag=agenda.count("status") + agenda.count("nya_uppdrag"),
        questions=agenda.count("osakerhet"),
        points=sum(agenda.count(key) for key in POINT_TYPES),
    )


def meeting_to_refresh(session: Session, pair: Pair, week_label: str, now: datetime) -> Meeting | None:
    """The meeting of the week `week_label` ('2026-W49') while it has not started; None once it has."""
    monday = plan.iso_monday(week_label)
    meeting = meeting_of_week(calendar_for(session, pair), pair, monday) if monday is not None else None
    if meeting is None or now >= meeting.start:
        return None
    return meeting


# --- posting once per week ------------------------------------------------------------


Planner = Callable[[Pair, WorkingCalendar, datetime], "Due | Sequence[Due] | None"]
Producer = Callable[[Session, Pair, Due, datetime], int]


def post_due(
    uow: SessionScope, now: datetime, what: str, plan_for: Planner, produce: Producer, missed: Producer | None = None
) -> list[str]:
    """Post every pair's weekly message that has fallen due; returns the keys posted now.

    The claim in `job_runs` and the outbox rows are one transaction, so a second tick,
    a second process or a restart finds the key and does nothing. `missed`, if given,
    tells the pair about a post whose time ran out while the bot was down.
    """
    posted: list[str] = []
    for pair_id, due_now in _all_due_now(uow, now, plan_for, missed).items():
        try:
            posted += _post_one(uow, pair_id, now, what, produce, due_now, missed)
        except Exception:
            # One pair's failure must not stop the others; the next tick retries it.
            log.exception("%s for pair %s failed", what, pair_id)
            continue
    return posted


DueNow = tuple[list[Due], set[str], tuple[int, int]]


def _served_before(session: Session, pair_id: int, key: str) -> bool:
    """Whether the pair had an earlier weekly post of this kind: a missed week is a gap, not a pair's first week."""
    return (
        session.scalar(
            select(JobRun.id)
            .where(JobRun.pair_id == pair_id, JobRun.key.startswith(plan.key_prefix(key), autoescape=True), JobRun.key < key)
            .limit(1)
        )
        is not None
    )


def _all_due_now(uow: SessionScope, now: datetime, plan_for: Planner, missed: Producer | None) -> dict[int, DueNow]:
    """Per active pair with something due: (its dues not yet done, the keys of those that are gaps, this week), in one read.

    The ticks run every minute for every pair: their calendars come in two queries and
    the done keys in one, not a few queries per pair.
    """
    with uow() as session:
        stable_calendars(session)
        pairs = session.scalars(select(Pair).where(Pair.status == "active").order_by(Pair.id)).all()
        prefetch_calendars(session, pairs)
        planned: list[tuple[Pair, list[Due], tuple[int, int]]] = []
        for pair in pairs:
            try:
                cal = calendar_for(session, pair)
                dues = plan_for(pair, cal, now)
                week = cal.local(now).date().isocalendar()[:2]
            except Exception:
                log.exception("planning for pair %s failed", pair.id)
                continue
            planned.append((pair, [dues] if isinstance(dues, Due) else list(dues or ()), (week[0], week[1])))
        keys = [d.key for _, dues, _ in planned for d in dues]
        done = set(session.scalars(select(JobRun.key).where(JobRun.key.in_(keys)))) if keys else set()
        found: dict[int, DueNow] = {}
        for pair, dues, week in planned:
            todo = plan.dues_to_post(dues, now, pair.created_at, done.__contains__)
            if todo:
                gaps = {d.key for d in todo if missed is not None and now >= d.deadline and _served_before(session, pair.id, d.key)}
                found[pair.id] = (todo, gaps, week)
    return found


def _too_late(
    uow: SessionScope, pair_id: int, due: Due, now: datetime, what: str, gap: bool, this_week: tuple[int, int], missed: Producer | None
) -> None:
    """A due whose time ran out: tell about a missed week once, or mark this week's as skipped."""
    if gap:
        with uow() as session:
            fresh = session.get(Pair, pair_id)
            if (
                fresh is not None
                and missed is not None
                and jobruns.claim(session, due.key, now=now, pair_id=pair_id, note="missad: boten var nere")
            ):
                missed(session, fresh, due, now)
                log.warning(
                    "%s %s for pair %s missed: the bot was down from %s to the end of the week; the channel is told",
                    what,
                    due.key,
                    pair_id,
                    due.at.isoformat(),
                )
    elif tuple(due.meeting.day.isocalendar()[:2]) == this_week:
        with uow() as session:
            if jobruns.claim(session, due.key, now=now, pair_id=pair_id, note="överhoppad: boten var nere"):
                log.warning(
                    "%s %s for pair %s skipped: the bot was down at %s and the meeting is over", what, due.key, pair_id, due.at.isoformat()
                )


def _post_one(
    uow: SessionScope, pair_id: int, now: datetime, what: str, produce: Producer, due_now: DueNow, missed: Producer | None = None
) -> list[str]:
    dues, gaps, this_week = due_now
    posted: list[str] = []
    for due in dues:
        if now >= due.deadline:
            _too_late(uow, pair_id, due, now, what, due.key in gaps, this_week, missed)
            continue
        with uow() as session:
            # The claim is the transaction's first statement, so SQLite takes its write lock here.
            if not jobruns.claim(session, due.key, now=now, pair_id=pair_id, note="postad försenad" if due.is_late(now) else "postad"):
                continue
            fresh = session.get(Pair, pair_id)
            assert fresh is not None
            produce(session, fresh, due, now)
        posted.append(due.key)
    return posted
