"""The calendar file for Outlook and friends (iCalendar), from bot/services/ics.py's events.

Times are written in UTC, computed per event in the pair's time zone (so DST is right for
each meeting). Outlook ignores or misreads VTIMEZONE blocks made of RDATE lists, which is
what a generic generator produces; UTC needs none.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event

from bot.i18n import Translator
from bot.services.ics import CalendarData, Meeting, PersonCalendar, Subscription
from bot.text import day_off_words, fmt_date

MEETING_LENGTH = timedelta(hours=2)
RADSMOTE_LENGTH = timedelta(hours=1)
DOMAIN = "samspel"


def _moved_reason(meeting: Meeting, t: Translator) -> str:
    """Why the meeting is not on its Monday, in `t`'s language."""
    if meeting.moved_reason is None or meeting.moved_from is None:
        return ""
    return day_off_words(meeting.moved_reason, meeting.moved_from, t)


def _event(
    uid: str, sequence: int, stamp: datetime, summary: str, start: date | datetime, end: date | datetime, description: str, *, busy: bool
) -> Event:
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


def _meeting_events(data: CalendarData, meeting: Meeting, stamp: datetime, t: Translator) -> list[Event]:
    """The week's meeting and that afternoon's rådsmöte."""
    iso = meeting.day.isocalendar()
    week = f"{data.team_id}-{data.pair_id}-{iso.year}-W{iso.week:02d}"
    description = t(
        "Veckans möte enligt spelreglerna: status för politiska beslut och uppdrag, "
        "ärenden till KS, nya uppdrag, prioriteringar, osäkerheter, information, incidenter, "
        "olösta och kommande frågor. Agendan kommer i Slack."
    )
    if meeting.moved_from is not None:
        description = (
            t("Flyttat från måndag {day} ({reason}).").format(day=meeting.moved_from.isoformat(), reason=_moved_reason(meeting, t))
            + " "
            + description
        )
    start = meeting.start.astimezone(UTC)
    radsmote = meeting.radsmote_start.astimezone(UTC)
    return [
        _event(
            f"mote-{week}",
            data.sequences.meeting,
            stamp,
            t("Måndagsmöte KSO och KD"),
            start,
            start + MEETING_LENGTH,
            description,
            busy=True,
        ),
        _event(
            f"radsmote-{week}",
            data.sequences.radsmote,
            stamp,
            t("Rådsmöte: majoritetsledningen och KD"),
            radsmote,
            radsmote + RADSMOTE_LENGTH,
            t("Majoritetsledningen och KD går igenom ärendena till KS och aktuella frågor som berör hela kommunledningen."),
            busy=True,
        ),
    ]


def _header(timezone: str, t: Translator) -> Calendar:
    ical = Calendar()
    ical.add("prodid", "-//Samspel//Samspel KSO och KD//SV")
    ical.add("version", "2.0")
    ical.add("calscale", "GREGORIAN")
    ical.add("method", "PUBLISH")
    ical.add("x-wr-calname", t("Samspel: KSO och KD"))
    ical.add("x-wr-timezone", timezone)
    return ical


def build_calendar(data: CalendarData, t: Translator) -> Calendar:
    ical = _header(data.timezone, t)
    _add_events(ical, data, t)
    return ical


def _add_events(ical: Calendar, data: CalendarData, t: Translator) -> None:
    """The pair's meetings, rådsmöten, KS meetings and talk; every UID names the pair, so pairs never collide."""
    stamp = data.now.astimezone(UTC)
    for meeting in data.meetings:
        for event in _meeting_events(data, meeting, stamp, t):
            ical.add_component(event)
    for ks in data.ks:
        ical.add_component(
            _event(
                f"ks-{data.team_id}-{data.pair_id}-{ks.day.isoformat()}",
                data.sequences.ks,
                stamp,
                t("Kommunstyrelsen (KS)"),
                ks.day,
                ks.day + timedelta(days=1),
                t("Sammanträde i kommunstyrelsen. Stopptid för ärenden: {date} ({iso}).").format(
                    date=fmt_date(ks.stopptid, t), iso=ks.stopptid.isoformat()
                ),
                busy=False,
            )
        )
    if data.talk is not None:
        # One UID per talk cycle: moving the date updates the event instead of adding a second one.
        ical.add_component(
            _event(
                f"utvecklingssamtal-{data.team_id}-{data.pair_id}-{data.talk.cycle}",
                data.sequences.talk,
                stamp,
                t("Utvecklingssamtal KSO och KD"),
                data.talk.day,
                data.talk.day + timedelta(days=1),
                t(
                    "Det årliga utvecklingssamtalet som KSO håller med KD. Då utvärderas och "
                    "uppdateras även spelreglerna. Efteråt: /spelregler genomfört i Slack."
                ),
                busy=False,
            )
        )


def _checked(ical: Calendar) -> str:
    raw = ical.to_ical()
    Calendar.from_ical(raw)  # a file we cannot read back is a bug, not something to hand to Outlook
    return raw.decode("utf-8")


def ics_text(data: CalendarData, t: Translator) -> str:
    """The iCalendar file as text (validated by parsing it back)."""
    return _checked(build_calendar(data, t))


def person_ics(calendar: PersonCalendar, t: Translator) -> str:
    """One person's calendar: the events of every active pair they are in, in one file."""
    ical = _header(calendar.pairs[0].timezone if calendar.pairs else "Europe/Stockholm", t)
    for data in calendar.pairs:
        _add_events(ical, data, t)
    return _checked(ical)


# --- /samspel kalender ---------------------------------------------------------------------------


def feed_url(base: str, token: str) -> str:
    """The private subscription address: SAMSPEL_PUBLIC_URL + /kalender/<token>.ics."""
    return f"{base.rstrip('/')}/kalender/{token}.ics"


def subscription_text(base: str, found: Subscription, t: Translator) -> str:
    """The ephemeral answer with the person's private calendar address."""
    lines = []
    if found.renewed:
        lines.append(
            t("Du har fått en ny kalenderlänk. Den gamla slutar fungera nu, så en kalender som prenumererar på den behöver den nya länken.")
        )
    lines.append(
        t("Din privata kalenderlänk (måndagsmötena, rådsmötet, KS-mötena och utvecklingssamtalet för alla dina par): {url}").format(
            url=feed_url(base, found.token)
        )
    )
    lines.append(t("I Outlook: *Lägg till kalender → Från internet*, klistra in länken och spara. Kalendern uppdateras av sig själv."))
    lines.append(t("Länken är personlig: dela den inte. Har någon annan fått den: `/samspel kalender ny`."))
    return "\n".join(lines)


def public_url_missing(t: Translator) -> str:
    return t(
        "Kalenderlänken kräver att Samspels administratör sätter SAMSPEL_PUBLIC_URL (tjänstens "
        "publika https-adress). Fråga hen, och försök sedan igen."
    )


def file_title(t: Translator) -> str:
    return t("Samspel: dina möten")


def file_comment(t: Translator) -> str:
    """The DM line that comes with the calendar file."""
    return t(
        "Här är din kalender från Samspel: måndagsmötena, rådsmötet, KS-mötena och utvecklingssamtalet. "
        "Öppna filen för att lägga in dem i Outlook. Hämta en ny fil med `/samspel kalender` när något "
        "ändras."
    )


def file_sent(renewed: bool, t: Translator) -> str:
    """The ephemeral answer in Socket Mode, where there is no public address to subscribe to."""
    text = t(
        "Kalenderfilen kommer strax i ditt direktmeddelande från Samspel. Samspel har ingen publik adress "
        "här, så en prenumerationslänk finns inte: hämta en ny fil när något ändras."
    )
    if renewed:
        text += " " + t("Din gamla kalenderlänk fungerar inte längre.")
    return text
