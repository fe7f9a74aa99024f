"""The pair's KS calendar (`/samspel ks`) and stopptid (`/samspel stopptid`), and planning cases onto it.

The date rules are pure (bot.domain.ks_calendar); this module stores the meetings,
records every change in the audit trail, and re-plans the cases still waiting for
the KSO when the calendar or the stopptid changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.adapters.holidays import SWEDEN
from bot.domain import ks_calendar as rules
from bot.domain.calendar import HOLIDAY
from bot.domain.events import KsMeetingsChanged, StopptidChanged
from bot.errors import UserError
from bot.i18n import N_
from bot.models import Arende, KsMeeting, Pair
from bot.services import audit
from bot.services.pairs import Member, calendar_for
from bot.services.refusals import Refusal
from bot.services.unit_of_work import emit

# More dates than a board meets in two years; keeps one command's answer readable.
MAX_DATES = 40


def upcoming(session: Session, pair_id: int, today: date) -> list[date]:
    """The pair's KS meetings from `today` on, in order."""
    return list(
        session.scalars(select(KsMeeting.day).where(KsMeeting.pair_id == pair_id, KsMeeting.day >= today).order_by(KsMeeting.day)).all()
    )


def all_meetings(session: Session, pair_id: int) -> list[date]:
    return list(session.scalars(select(KsMeeting.day).where(KsMeeting.pair_id == pair_id).order_by(KsMeeting.day)).all())


def has_calendar(session: Session, pair_id: int) -> bool:
    return session.scalar(select(KsMeeting.id).where(KsMeeting.pair_id == pair_id).limit(1)) is not None


def plan_case(session: Session, pair: Pair, today: date) -> rules.Planned | None:
    """The KS meeting a case handed over `today` goes to; None without a (future) calendar."""
    cal = calendar_for(session, pair)
    return rules.plan(upcoming(session, pair.id, today), today, pair.stopptid_days, cal.is_working_day)


def stopptid_for(session: Session, pair: Pair, meeting: date) -> date:
    return rules.stopptid(meeting, pair.stopptid_days, calendar_for(session, pair).is_working_day)


def _local_today(session: Session, pair: Pair, now: datetime) -> date:
    return calendar_for(session, pair).local(now).date()


@dataclass(frozen=True)
class Meeting:
    day: date
    stopptid: date
    passed: bool  # the stopptid has passed


@dataclass(frozen=True)
class Overview:
    """The coming KS meetings with their stopptid (`saved`: just set by `/samspel ks …`)."""

    meetings: list[Meeting]
    stopptid_days: int
    saved: bool = False


@dataclass(frozen=True)
class Stopptid:
    """`/samspel stopptid`: the working days before KS (`changed`: just set), and where a new case goes."""

    days: int
    changed: bool
    next: rules.Planned | None = None


@dataclass(frozen=True)
class CalendarNote:
    """Said when a case is handed over with a calendar set: `day` is not one of its meetings (then `next`
    is the next meeting still open), or (`day` None) no coming meeting's stopptid is still open."""

    day: date | None
    next: rules.Planned | None = None


def overview(session: Session, pair: Pair, today: date, *, saved: bool = False) -> Overview:
    """`/samspel ks` without dates: the coming meetings, each with its stopptid."""
    meetings = []
    for day in upcoming(session, pair.id, today):
        last = stopptid_for(session, pair, day)
        meetings.append(Meeting(day, last, last < today))
    return Overview(meetings, pair.stopptid_days, saved)


def _meeting_days(session: Session, pair: Pair, words: list[str], today: date) -> set[date]:
    cal = calendar_for(session, pair)
    days: set[date] = set()
    for word in words:
        try:
            day = date.fromisoformat(word)
        except ValueError:
            raise UserError(
                N_("Förstår inte datumet {word!r}: skriv KS-mötena som `/samspel ks 2026-12-15 2027-01-19`."), word=word[:20]
            ) from None
        if rules.refusal_for_meeting_day(day, today, cal.is_working_day) == "past":
            raise UserError(N_("{day} har redan varit: ange kommande KS-möten. Inget ändrades."), day=day.isoformat())
        require_working_day(session, pair, day)
        days.add(day)
    return days


def require_working_day(session: Session, pair: Pair, day: date) -> None:
    """KS meets on a working day: a Saturday or a holiday named as a KS meeting is refused, nothing stored."""
    code = calendar_for(session, pair).day_off(day)
    if code is not None:
        # The reason as a code (and the holiday's own name): the refusal words it in the reader's language.
        holiday = SWEDEN.name(day) if code == HOLIDAY else None
        raise Refusal(
            N_("{day} är ingen arbetsdag ({reason}): KS sammanträder på en arbetsdag. Inget ändrades."),
            day=day.isoformat(),
            days_off={"reason": (code, holiday)},
        )


def set_meetings(session: Session, member: Member, text: str, now: datetime) -> Overview:
    """`/samspel ks ÅÅÅÅ-MM-DD …` sets the coming KS meetings; with no date it lists them."""
    pair = member.pair
    today = _local_today(session, pair, now)
    words = text.replace(",", " ").split()
    if not words:
        return overview(session, pair, today)
    if len(words) > MAX_DATES:
        raise UserError(N_("Högst {n} datum åt gången."), n=MAX_DATES)
    days = _meeting_days(session, pair, words, today)
    before = [d.isoformat() for d in upcoming(session, pair.id, today)]
    # The coming meetings are replaced; past ones stay, since decided cases refer to them.
    session.execute(
        delete(KsMeeting).where(KsMeeting.pair_id == pair.id, KsMeeting.day >= today).execution_options(synchronize_session=False)
    )
    for day in sorted(days):
        session.add(KsMeeting(pair_id=pair.id, day=day, created_by=member.user, created_at=now))
    session.flush()
    audit.record(
        session,
        pair_id=pair.id,
        actor=member.user,
        action="ks_kalender",
        entity="pair",
        entity_id=pair.id,
        at=now,
        before={"ks_meetings": before},
        after={"ks_meetings": [d.isoformat() for d in sorted(days)]},
    )
    replan_waiting(session, pair, today)
    emit(session, KsMeetingsChanged(at=now, pair_id=pair.id))
    return overview(session, pair, today, saved=True)


def set_stopptid(session: Session, member: Member, text: str, now: datetime) -> Stopptid:
    """`/samspel stopptid <arbetsdagar>`: how many working days before KS a case must be decided."""
    pair = member.pair
    word = text.strip()
    if not word:
        return Stopptid(pair.stopptid_days, changed=False)
    if not word.isdigit() or not 0 <= int(word) <= rules.MAX_STOPPTID_DAYS:
        raise UserError(N_("Skriv stopptiden som ett antal arbetsdagar, 0–{max}: `/samspel stopptid 10`."), max=rules.MAX_STOPPTID_DAYS)
    before = {"stopptid_days": pair.stopptid_days}
    pair.stopptid_days = int(word)
    audit.record(
        session,
        pair_id=pair.id,
        actor=member.user,
        action="stopptid",
        entity="pair",
        entity_id=pair.id,
        at=now,
        before=before,
        after={"stopptid_days": pair.stopptid_days},
    )
    today = _local_today(session, pair, now)
    replan_waiting(session, pair, today)
    emit(session, StopptidChanged(at=now, pair_id=pair.id))
    return Stopptid(pair.stopptid_days, changed=True, next=plan_case(session, pair, today))


def replan_waiting(session: Session, pair: Pair, today: date) -> None:
    """The waiting cases follow a changed calendar or stopptid: each keeps its meeting, with a fresh stopptid.

    A case without a meeting gets the next one whose stopptid has not passed.
    """
    rows = session.scalars(select(Arende).where(Arende.pair_id == pair.id, Arende.status == "vantar")).all()
    nxt = plan_case(session, pair, today)
    for a in rows:
        if a.ks_meeting is None and nxt is not None:
            a.ks_meeting, a.stopptid = nxt.meeting, nxt.stopptid
        elif a.ks_meeting is not None:
            a.stopptid = stopptid_for(session, pair, a.ks_meeting)


def calendar_note(session: Session, pair: Pair, meeting: date | None, today: date) -> CalendarNote | None:
    """With a calendar set: a note when a case's `ks` date is not one of its meetings, or (no `ks` date) when
    no coming meeting can still be reached; None otherwise."""
    if not has_calendar(session, pair.id):
        return None
    if meeting is None:
        return CalendarNote(None) if plan_case(session, pair, today) is None else None
    if meeting in set(all_meetings(session, pair.id)):
        return None
    return CalendarNote(meeting, plan_case(session, pair, today))


def reached_after_stopptid(session: Session, pair: Pair, today: date) -> rules.Planned | None:
    """For a Till KS after the stopptid: the meeting the case reaches instead (None when the calendar has none)."""
    return plan_case(session, pair, today)
