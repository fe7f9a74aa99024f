"""What the calendar file holds: the Monday meetings, the rådsmöte, KS and the next utvecklingssamtal.

The rådsmöte is the same day's afternoon meeting with the majority leadership (seed 004),
at the pair's rådsmöte time for an hour; the KS meetings (`/samspel ks`) are all-day
events, each with its stopptid.

Each week's meeting is its own event on the week's first working day (so a holiday Monday
moves it to Tuesday, and a week with no working day has none), at the pair's agenda time for
two hours. Every event has a stable UID (per week, and per talk cycle for the
utvecklingssamtal) and a SEQUENCE that grows with each change of the settings behind it, so
importing a newer file updates the events instead of duplicating them. The file itself is
written by bot/presenters/ics.py.

A person's own calendar (`person_calendar`) holds the events of every active pair they are in,
found by their secret calendar token (bot/services/people.py): the feed `GET /kalender/<token>.ics`
in HTTP mode, or a file in their DM in Socket Mode (`send_file`, an outbox row of kind "file").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.domain.calendar import WorkingCalendar
from bot.errors import UserError
from bot.i18n import N_
from bot.models import AuditEntry, Pair, Utvecklingssamtal
from bot.outbox import enqueue
from bot.services import ks_calendar, people
from bot.services.pairs import calendar_for, get_pair, in_team, one_year_after

# Settings whose change moves the meetings or the talk (audit actions in bot.services.pairs).
MEETING_CHANGES = ("agendatid", "arbetstid", "ledig_dag")
RADSMOTE_CHANGES = ("rådsmöte", "arbetstid", "ledig_dag")
KS_CHANGES = ("ks_kalender", "stopptid", "arbetstid", "ledig_dag")
TALK_CHANGES = ("utvecklingssamtal_datum",)
# Why a Monday meeting moved: a public holiday (named by the presenter), the weekend, or one's own day off.


@dataclass(frozen=True)
class Meeting:
    """One week's meeting and that day's rådsmöte; `moved_from` is the Monday when it is not on one."""

    day: date
    start: datetime
    radsmote_start: datetime
    moved_from: date | None = None
    moved_reason: str | None = None  # a bot.domain.calendar code (HOLIDAY, OWN_DAY_OFF, WEEKEND) or None


@dataclass(frozen=True)
class KsMeeting:
    day: date
    stopptid: date


@dataclass(frozen=True)
class Talk:
    day: date
    cycle: int  # the how-manieth talk of the pair: one UID per cycle


@dataclass(frozen=True)
class Sequences:
    meeting: int
    radsmote: int
    ks: int
    talk: int


@dataclass(frozen=True)
class CalendarData:
    team_id: str
    pair_id: int
    timezone: str
    now: datetime
    sequences: Sequences
    meetings: list[Meeting] = field(default_factory=list)
    ks: list[KsMeeting] = field(default_factory=list)
    talk: Talk | None = None


def _sequence(session: Session, pair_id: int, actions: Iterable[str]) -> int:
    """How often the settings behind an event changed: a newer file has a higher SEQUENCE."""
    return (
        session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.pair_id == pair_id, AuditEntry.action.in_(tuple(actions)))) or 0
    )


def meeting_days(cal: WorkingCalendar, first: date, until: date) -> list[date]:
    """The first working day of every week that has one, from `first` up to (not including) `until`."""
    days: list[date] = []
    monday = first - timedelta(days=first.weekday())
    while monday < until:
        day = cal.first_working_day_of_week(monday)
        if day is not None and first <= day < until:
            days.append(day)
        monday += timedelta(weeks=1)
    return days


def _moved_reason(cal: WorkingCalendar, day: date) -> str | None:
    """Why the meeting is not on `day` (a Monday), as a bot.domain.calendar code."""
    return cal.day_off(day)


def _meeting(cal: WorkingCalendar, pair: Pair, day: date) -> Meeting:
    # With the agenda the working day before, the meeting starts when both start work.
    start = cal.day_start(day) if pair.agenda_days_before else cal.at_local(day, pair.agenda_time_min)
    monday = day - timedelta(days=day.weekday())
    moved = day != monday
    return Meeting(
        day=day,
        start=start,
        radsmote_start=cal.at_local(day, pair.radsmote_time_min),
        moved_from=monday if moved else None,
        moved_reason=_moved_reason(cal, monday) if moved else None,
    )


def calendar_data(session: Session, pair: Pair, now: datetime) -> CalendarData:
    """The pair's events for the coming year, as seen at `now`."""
    cal = calendar_for(session, pair)
    today = cal.local(now).date()
    sequences = Sequences(
        meeting=_sequence(session, pair.id, MEETING_CHANGES),
        radsmote=_sequence(session, pair.id, RADSMOTE_CHANGES),
        ks=_sequence(session, pair.id, KS_CHANGES),
        talk=_sequence(session, pair.id, TALK_CHANGES),
    )
    talk = None
    if pair.next_talk is not None:
        held = session.scalar(select(func.count(Utvecklingssamtal.id)).where(Utvecklingssamtal.pair_id == pair.id)) or 0
        talk = Talk(day=pair.next_talk, cycle=held + 1)
    return CalendarData(
        team_id=pair.team_id,
        pair_id=pair.id,
        timezone=pair.timezone,
        now=now,
        sequences=sequences,
        meetings=[_meeting(cal, pair, day) for day in meeting_days(cal, today, one_year_after(today))],
        ks=[KsMeeting(day, ks_calendar.stopptid_for(session, pair, day)) for day in ks_calendar.upcoming(session, pair.id, today)],
        talk=talk,
    )


def pair_calendar(session: Session, pair_id: int, now: datetime) -> CalendarData:
    """`python -m bot ics --pair ID` (a UserError for an unknown id)."""
    return calendar_data(session, get_pair(session, pair_id), now)


# --- a person's own calendar: every active pair they are in ----------------------------------

NO_ACTIVE_PAIR = N_(
    "Du är inte med i något aktivt par ännu, så kalendern har inget att visa. Koppla ett par med `/samspel koppla @kso @kd`."
)
FILE_NAME = "samspel.ics"


@dataclass(frozen=True)
class PersonCalendar:
    """The events of each of the person's active pairs, to be written in the person's language."""

    user_id: str
    language: str
    pairs: list[CalendarData]


@dataclass(frozen=True)
class Subscription:
    """The person's calendar token; `renewed`: a new one replaced the old (whose URL no longer works)."""

    token: str
    renewed: bool
    pairs: int


def active_pairs_of(session: Session, user_id: str) -> list[Pair]:
    """The active pairs `user_id` is in, oldest first (a paused or dissolved pair has no meetings to show).

    In a request, only the request's workspace's; the calendar feed (no request workspace) has every pair of the person.
    """
    return list(
        session.scalars(
            select(Pair)
            .where(or_(Pair.kso_user == user_id, Pair.kd_user == user_id), Pair.status == "active", *in_team())
            .order_by(Pair.id)
        )
    )


def person_calendar(session: Session, user_id: str, now: datetime, default_language: str) -> PersonCalendar:
    """The person's calendar now: each active pair's events (UIDs stay per pair, so none collide)."""
    return PersonCalendar(
        user_id=user_id,
        language=people.language_of(session, user_id, default_language),
        pairs=[calendar_data(session, pair, now) for pair in active_pairs_of(session, user_id)],
    )


def feed(session: Session, token: str, now: datetime, default_language: str) -> PersonCalendar | None:
    """`GET /kalender/<token>.ics`: the token's person's calendar, or None for a token nobody has (any more)."""
    person = people.by_calendar_token(session, token)
    if person is None:
        return None
    return person_calendar(session, person.user_id, now, default_language)


def subscription(session: Session, user_id: str, now: datetime, *, renew: bool = False) -> Subscription:
    """`/samspel kalender [ny]`: the person's calendar token, made on first use or renewed on request."""
    count = len(active_pairs_of(session, user_id))
    if not count:
        raise UserError(NO_ACTIVE_PAIR)
    return Subscription(token=people.calendar_token(session, user_id, now, renew=renew), renewed=renew, pairs=count)


def require_pairs(session: Session, user_id: str, now: datetime, default_language: str) -> PersonCalendar:
    """The person's calendar for a file in their DM; refused when there is nothing to show."""
    found = person_calendar(session, user_id, now, default_language)
    if not found.pairs:
        raise UserError(NO_ACTIVE_PAIR)
    return found


def send_file(session: Session, user_id: str, now: datetime, *, content: str, title: str, comment: str) -> None:
    """Socket Mode: the calendar file goes to the person's DM through the outbox (kind "file").

    The file is small, so its text is the row's text; the upload's name, title and comment are
    the row's one "block" (bot/outbox/slack_sender.py reads them back).
    """
    enqueue(
        session,
        kind="file",
        now=now,
        user=user_id,
        text=content,
        blocks=[{"type": "file", "filename": FILE_NAME, "title": title, "initial_comment": comment}],
    )
