"""The pair's KS calendar (`/samspel ks`) and stopptid (`/samspel stopptid`), and planning cases onto it.

The date rules are pure (bot.domain.ks_calendar); this module stores the meetings,
records every change in the audit trail, and re-plans the cases still waiting for
the KSO when the calendar or the stopptid changes.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.domain import ks_calendar as rules
from bot.domain.events import PairChanged
from bot.errors import UserError
from bot.i18n import _
from bot.models import Arende, KsMeeting, Pair
from bot.services import audit
from bot.services.pairs import Member, calendar_for
from bot.services.unit_of_work import emit
from bot.text import day_off_reason, fmt_date, fmt_day_month

# More dates than a board meets in two years; keeps one command's answer readable.
MAX_DATES = 40


def upcoming(session: Session, pair_id: int, today: date) -> list[date]:
    """The pair's KS meetings from `today` on, in order."""
    return list(session.scalars(
        select(KsMeeting.day).where(KsMeeting.pair_id == pair_id, KsMeeting.day >= today).order_by(KsMeeting.day)
    ).all())


def all_meetings(session: Session, pair_id: int) -> list[date]:
    return list(session.scalars(select(KsMeeting.day).where(KsMeeting.pair_id == pair_id).order_by(KsMeeting.day)).all())


def has_calendar(session: Session, pair_id: int) -> bool:
    return session.scalar(select(KsMeeting.id).where(KsMeeting.pair_id == pair_id).limit(1)) is not None


def label(meeting: date, last_day: date | None) -> str:
    """'KS 15 dec · stopptid 1 dec': the case's meeting and the last day to decide it."""
    text = _("KS {date}").format(date=fmt_day_month(meeting))
    if last_day is not None:
        text += " · " + _("stopptid {date}").format(date=fmt_day_month(last_day))
    return text


def plan_case(session: Session, pair: Pair, today: date) -> rules.Planned | None:
    """The KS meeting a case handed over `today` goes to; None without a (future) calendar."""
    cal = calendar_for(session, pair)
    return rules.plan(upcoming(session, pair.id, today), today, pair.stopptid_days, cal.is_working_day)


def stopptid_for(session: Session, pair: Pair, meeting: date) -> date:
    return rules.stopptid(meeting, pair.stopptid_days, calendar_for(session, pair).is_working_day)


def _local_today(session: Session, pair: Pair, now: datetime) -> date:
    return calendar_for(session, pair).local(now).date()


def describe(session: Session, pair: Pair, today: date) -> str:
    """`/samspel ks` without dates: the coming meetings, each with its stopptid."""
    days = upcoming(session, pair.id, today)
    if not days:
        return _("Ingen KS-kalender är inställd. Ange mötesdagarna med `/samspel ks ÅÅÅÅ-MM-DD ÅÅÅÅ-MM-DD …`.")
    lines = [_("*KS-möten* (stopptid {n} arbetsdagar före):").format(n=pair.stopptid_days)]
    for day in days:
        last = stopptid_for(session, pair, day)
        passed = _(" (stopptiden har passerat)") if last < today else ""
        lines.append(_("• {date} ({iso}) · stopptid {last}{passed}").format(
            date=fmt_date(day), iso=day.isoformat(), last=fmt_date(last), passed=passed))
    return "\n".join(lines)


def set_meetings(session: Session, member: Member, text: str, now: datetime) -> str:
    """`/samspel ks ÅÅÅÅ-MM-DD …` sets the coming KS meetings; with no date it lists them."""
    pair = member.pair
    today = _local_today(session, pair, now)
    words = text.replace(",", " ").split()
    if not words:
        return describe(session, pair, today)
    if len(words) > MAX_DATES:
        raise UserError(_("Högst {n} datum åt gången.").format(n=MAX_DATES))
    cal = calendar_for(session, pair)
    days: set[date] = set()
    for word in words:
        try:
            day = date.fromisoformat(word)
        except ValueError:
            raise UserError(_("Förstår inte datumet {word!r}: skriv KS-mötena som `/samspel ks 2026-12-15 2027-01-19`.")
                            .format(word=word[:20])) from None
        problem = rules.refusal_for_meeting_day(day, today, cal.is_working_day)
        if problem == "past":
            raise UserError(_("{day} har redan varit: ange kommande KS-möten. Inget ändrades.").format(day=day.isoformat()))
        if problem == "not_working_day":
            reason = day_off_reason(cal, day) or ""
            raise UserError(_("{day} är ingen arbetsdag ({reason}): KS sammanträder på en arbetsdag. Inget ändrades.")
                            .format(day=day.isoformat(), reason=_(reason)))
        days.add(day)
    before = [d.isoformat() for d in upcoming(session, pair.id, today)]
    # The coming meetings are replaced; past ones stay, since decided cases refer to them.
    session.execute(delete(KsMeeting).where(KsMeeting.pair_id == pair.id, KsMeeting.day >= today)
                    .execution_options(synchronize_session=False))
    for day in sorted(days):
        session.add(KsMeeting(pair_id=pair.id, day=day, created_by=member.user, created_at=now))
    session.flush()
    audit.record(session, pair_id=pair.id, actor=member.user, action="ks_kalender", entity="pair", entity_id=pair.id,
                 at=now, before={"ks_meetings": before}, after={"ks_meetings": [d.isoformat() for d in sorted(days)]})
    replan_waiting(session, pair, today)
    emit(session, PairChanged(at=now, pair_id=pair.id))
    return _("KS-kalendern är sparad.") + "\n" + describe(session, pair, today)


def set_stopptid(session: Session, member: Member, text: str, now: datetime) -> str:
    """`/samspel stopptid <arbetsdagar>`: how many working days before KS a case must be decided."""
    pair = member.pair
    word = text.strip()
    if not word:
        return _("Stopptiden är {n} arbetsdagar före KS-mötet. Ändra med `/samspel stopptid 10`.").format(
            n=pair.stopptid_days)
    if not word.isdigit() or not 0 <= int(word) <= rules.MAX_STOPPTID_DAYS:
        raise UserError(_("Skriv stopptiden som ett antal arbetsdagar, 0–{max}: `/samspel stopptid 10`.").format(
            max=rules.MAX_STOPPTID_DAYS))
    before = {"stopptid_days": pair.stopptid_days}
    pair.stopptid_days = int(word)
    audit.record(session, pair_id=pair.id, actor=member.user, action="stopptid", entity="pair", entity_id=pair.id,
                 at=now, before=before, after={"stopptid_days": pair.stopptid_days})
    today = _local_today(session, pair, now)
    replan_waiting(session, pair, today)
    emit(session, PairChanged(at=now, pair_id=pair.id))
    answer = _("Ett ärende ska nu vara avgjort senast {n} arbetsdagar före KS-mötet.").format(n=pair.stopptid_days)
    nxt = plan_case(session, pair, today)
    if nxt is not None:
        answer += " " + _("Ett nytt ärende går till {label}.").format(label=label(nxt.meeting, nxt.stopptid))
    return answer


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


def calendar_note(session: Session, pair: Pair, meeting: date, today: date) -> str:
    """With a calendar set: a note when a case's `ks` date is not one of its meetings; '' otherwise."""
    if not has_calendar(session, pair.id) or meeting in set(all_meetings(session, pair.id)):
        return ""
    nxt = plan_case(session, pair, today)
    note = _(" Obs: {day} är inget KS-möte i er kalender (`/samspel ks`).").format(day=meeting.isoformat())
    if nxt is not None:
        note += " " + _("Nästa möte där stopptiden inte har passerat är {label}.").format(label=label(nxt.meeting, nxt.stopptid))
    return note


def reached_after_stopptid(session: Session, pair: Pair, today: date) -> rules.Planned | None:
    """For a Till KS after the stopptid: the meeting the case reaches instead (None when the calendar has none)."""
    return plan_case(session, pair, today)
