"""Calendar file for Outlook and friends: the Monday meetings, the rådsmöte, KS and the next utvecklingssamtal.

The rådsmöte is the same day's afternoon meeting with the majority leadership (seed 004),
at the pair's rådsmöte time for an hour; the KS meetings (`/samspel ks`) are all-day
events, each with its stopptid in the description.

Each week's meeting is its own event on the week's first working day (so a
holiday Monday moves it to Tuesday, and a week with no working day has none),
at the pair's agenda time for two hours. Every event has a stable UID (per week,
and per talk cycle for the utvecklingssamtal) and a SEQUENCE that grows with each
change of the settings behind it, so importing a newer file updates the events
instead of duplicating them.

Times are written in UTC, computed per event in the pair's time zone (so DST is
right for each meeting). Outlook ignores or misreads VTIMEZONE blocks made of
RDATE lists, which is what a generic generator produces; UTC needs none.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.clock import Clock
from bot.domain.calendar import WorkingCalendar
from bot.i18n import _
from bot.models import AuditEntry, Pair, Utvecklingssamtal
from bot.services import ks_calendar
from bot.services.pairs import calendar_for, get_pair, one_year_after
from bot.text import day_off_reason, fmt_date

MEETING_LENGTH = timedelta(hours=2)
DOMAIN = "samspel"
# Settings whose change moves the meetings or the talk (audit actions in bot.services.pairs).
MEETING_CHANGES = ("agendatid", "arbetstid", "ledig_dag")
RADSMOTE_CHANGES = ("rådsmöte", "arbetstid", "ledig_dag")
KS_CHANGES = ("ks_kalender", "stopptid", "arbetstid", "ledig_dag")
RADSMOTE_LENGTH = timedelta(hours=1)
TALK_CHANGES = ("utvecklingssamtal_datum",)


def _sequence(session: Session, pair_id: int, actions: Iterable[str]) -> int:
    """How often the settings behind an event changed: a newer file has a higher SEQUENCE."""
    return session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.pair_id == pair_id, AuditEntry.action.in_(tuple(actions)))) or 0


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


def _moved_reason(cal: WorkingCalendar, day: date) -> str:
    """Why the meeting is not on `day` (a Monday), in the bot's language."""
    reason = day_off_reason(cal, day)
    if reason == "egen ledig dag":
        return _("egen ledig dag")
    if reason == "helg":
        return _("helg")
    return reason or _("ledig dag")


def _event(uid: str, sequence: int, stamp: datetime, summary: str, start: date | datetime, end: date | datetime,
           description: str, *, busy: bool) -> Event:
    """One Samspel event; a stable UID and a rising SEQUENCE let Outlook update it instead of adding another."""
    event = Event()
    event.add("uid", f"{uid}@{DOMAIN}")
    event.add("sequence", sequence)
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("description", description)
    event.add("categories", ["Samspel"])
    event.add("transp", "OPAQUE" if busy else "TRANSPARENT")
    return event


def _radsmote_event(cal: WorkingCalendar, pair: Pair, day: date, stamp: datetime, sequence: int) -> Event:
    start = cal.at_local(day, pair.radsmote_time_min).astimezone(UTC)
    iso = day.isocalendar()
    return _event(f"radsmote-{pair.team_id}-{pair.id}-{iso.year}-W{iso.week:02d}", sequence, stamp,
                  _("Rådsmöte: majoritetsledningen och KD"), start, start + RADSMOTE_LENGTH,
                  _("Majoritetsledningen och KD går igenom ärendena till KS och aktuella frågor som berör "
                    "hela kommunledningen."), busy=True)


def build_calendar(session: Session, pair: Pair, now: datetime) -> Calendar:
    cal = calendar_for(session, pair)
    today = cal.local(now).date()
    ical = Calendar()
    ical.add("prodid", "-//Samspel//Samspel KSO och KD//SV")
    ical.add("version", "2.0")
    ical.add("calscale", "GREGORIAN")
    ical.add("method", "PUBLISH")
    ical.add("x-wr-calname", _("Samspel: KSO och KD"))
    ical.add("x-wr-timezone", pair.timezone)
    stamp = now.astimezone(UTC)
    meeting_sequence = _sequence(session, pair.id, MEETING_CHANGES)
    radsmote_sequence = _sequence(session, pair.id, RADSMOTE_CHANGES)
    for day in meeting_days(cal, today, one_year_after(today)):
        # With the agenda the working day before, the meeting starts when both start work.
        start = (cal.day_start(day) if pair.agenda_days_before else cal.at_local(day, pair.agenda_time_min)).astimezone(UTC)
        iso = day.isocalendar()
        description = _("Veckans möte enligt spelreglerna: status för politiska beslut och uppdrag, "
                        "ärenden till KS, nya uppdrag, prioriteringar, osäkerheter, information, incidenter, "
                        "olösta och kommande frågor. Agendan kommer i Slack.")
        monday = day - timedelta(days=day.weekday())
        if day != monday:
            description = _("Flyttat från måndag {day} ({reason}).").format(
                day=monday.isoformat(), reason=_moved_reason(cal, monday)) + " " + description
        ical.add_component(_event(f"mote-{pair.team_id}-{pair.id}-{iso.year}-W{iso.week:02d}", meeting_sequence, stamp,
                                  _("Måndagsmöte KSO och KD"), start, start + MEETING_LENGTH, description, busy=True))
        ical.add_component(_radsmote_event(cal, pair, day, stamp, radsmote_sequence))
    ks_sequence = _sequence(session, pair.id, KS_CHANGES)
    for day in ks_calendar.upcoming(session, pair.id, today):
        last = ks_calendar.stopptid_for(session, pair, day)
        ical.add_component(_event(
            f"ks-{pair.team_id}-{pair.id}-{day.isoformat()}", ks_sequence, stamp, _("Kommunstyrelsen (KS)"), day,
            day + timedelta(days=1), _("Sammanträde i kommunstyrelsen. Stopptid för ärenden: {date} ({iso}).").format(
                date=fmt_date(last), iso=last.isoformat()), busy=False))
    if pair.next_talk is not None:
        held = session.scalar(select(func.count(Utvecklingssamtal.id)).where(Utvecklingssamtal.pair_id == pair.id)) or 0
        # One UID per talk cycle: moving the date updates the event instead of adding a second one.
        ical.add_component(_event(
            f"utvecklingssamtal-{pair.team_id}-{pair.id}-{held + 1}", _sequence(session, pair.id, TALK_CHANGES), stamp,
            _("Utvecklingssamtal KSO och KD"), pair.next_talk, pair.next_talk + timedelta(days=1),
            _("Det årliga utvecklingssamtalet som KSO håller med KD. Då utvärderas och "
              "uppdateras även spelreglerna. Efteråt: /spelregler genomfört i Slack."), busy=False))
    return ical


def ics_text(session: Session, pair_id: int, clock: Clock) -> str:
    """`python -m bot ics --pair ID`: the iCalendar file as text (validated by parsing it back)."""
    pair = get_pair(session, pair_id)
    data = build_calendar(session, pair, clock.now()).to_ical()
    Calendar.from_ical(data)  # a file we cannot read back is a bug, not something to hand to Outlook
    return data.decode("utf-8")
