"""The Monday meeting plan: which day a week's meeting is, when its agenda is posted, and the agenda's pure rules.

Pure: plain dates, times and ints in, plain values out. The working-day calendar is passed
in as any object with `WorkingCalendar`'s methods (`Calendar` below), so this module knows
nothing of the database, Slack or the language. The sections follow Örebro's spelregler
(seed 004) in order; their words are in `bot/presenters/agenda.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from bot.domain.calendar import HOLIDAY, OWN_DAY_OFF

# The meeting lasts two hours (seed 004); a late start still makes sense within it.
MEETING_LENGTH = timedelta(hours=2)
# How far back to look for the previous meeting (weeks without a working day are skipped).
LOOKBACK_WEEKS = 8
# Slack allows at most 50 blocks per message; longer agendas continue in further posts.
MAX_BLOCKS = 50
# A tick runs every minute; a post later than this after its time is marked late.
LATE_GRACE = timedelta(minutes=15)

# The nine sections of Örebro's agenda (seed 004), in order.
SECTION_KEYS: tuple[str, ...] = (
    "status",
    "arenden",
    "nya_uppdrag",
    "prioritering",
    "osakerhet",
    "info",
    "incident",
    "olöst",
    "kommande",
)
# Agenda point types (`/agenda + <typ>`) that are also the key of their section.
POINT_TYPES: tuple[str, ...] = ("prioritering", "info", "incident", "olöst", "kommande")
# A media question (seed 004, Kontakter: "Media; KSO har huvudansvaret") has no question of its own among the
# seed's nine: it is information the other must have "för att hålla ihop styrningen", so it goes first under
# `info`, marked as the KSO's, and the agenda keeps the seed's nine sections in their order.
MEDIA = "media"
INCIDENT = "incident"
ADDABLE_TYPES: tuple[str, ...] = (*POINT_TYPES, MEDIA)
POINT_SECTION: dict[str, str] = {**{typ: typ for typ in POINT_TYPES}, MEDIA: "info"}
# Who owns an incident's follow-up when it is closed ("klarades ut"): codes, worded by the presenter.
OWNERS: tuple[str, ...] = ("kso", "kd", "bada")
MAX_RESOLUTION = 500
TYPE_ALIASES: dict[str, str] = {
    "prioritering": "prioritering",
    "prioriteringar": "prioritering",
    "prio": "prioritering",
    "info": "info",
    "information": "info",
    "incident": "incident",
    "incidenter": "incident",
    "olöst": "olöst",
    "olost": "olöst",
    "olösta": "olöst",
    "olosta": "olöst",
    "kommande": "kommande",
    "media": MEDIA,
    "press": MEDIA,
    "medier": MEDIA,
}

# Why the meeting is not on Monday (codes; the presenter words them).
MOVED_HOLIDAY = HOLIDAY
MOVED_OWN_DAY_OFF = OWN_DAY_OFF


class Calendar(Protocol):
    """What the meeting plan needs of a working-day calendar (bot.domain.calendar.WorkingCalendar has it)."""

    @property
    def weekdays(self) -> frozenset[int]: ...

    def local(self, t: datetime) -> datetime: ...

    def day_off(self, day: date) -> str | None: ...

    def at_local(self, day: date, minutes: int) -> datetime: ...

    def day_start(self, day: date) -> datetime: ...

    def day_end(self, day: date) -> datetime: ...

    def working_days(self, first: date, last: date) -> list[date]: ...

    def previous_working_day(self, day: date, search_days: int = 14) -> date | None: ...

    def first_working_day_of_week(self, any_day: date) -> date | None: ...


# --- when: the meeting of a week --------------------------------------------


@dataclass(frozen=True)
class Meeting:
    """One week's meeting: its day, when its agenda is posted, when it starts, and when the previous one started."""

    day: date
    post_at: datetime
    since: datetime  # the previous meeting's start: "new since the last meeting"
    moved_reason: str | None  # why Monday is not the meeting day (MOVED_HOLIDAY, MOVED_OWN_DAY_OFF), if so
    # Until then the posted agenda is kept current. Posted on the meeting day, the meeting
    # starts with its agenda; posted the working day before, at the start of the day both work.
    starts_at: datetime | None = None

    @property
    def start(self) -> datetime:
        return self.starts_at or self.post_at

    @property
    def monday(self) -> date:
        return monday_of(self.day)

    @property
    def iso_label(self) -> str:
        year, week, _weekday = self.day.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def week(self) -> int:
        return self.day.isocalendar()[1]


def monday_of(day: date) -> date:
    return day - timedelta(days=day.isoweekday() - 1)


def iso_monday(label: str) -> date | None:
    """'2026-W49' → the Monday of that week."""
    year, _sep, week = label.partition("-W")
    try:
        return date.fromisocalendar(int(year), int(week), 1)
    except ValueError:
        return None


def meeting_day(cal: Calendar, any_day: date) -> date | None:
    """The first working day of the week holding `any_day`, or None for a week off."""
    return cal.first_working_day_of_week(any_day)


def previous_meeting_day(cal: Calendar, day: date) -> date | None:
    for weeks in range(1, LOOKBACK_WEEKS + 1):
        found = cal.first_working_day_of_week(day - timedelta(weeks=weeks))
        if found is not None:
            return found
    return None


def _times(cal: Calendar, day: date, at_min: int, days_before: int) -> tuple[datetime, datetime]:
    """(when the agenda of the meeting on `day` is posted, when the meeting starts)."""
    post_day = cal.previous_working_day(day) if days_before else None
    if post_day is None:
        post_at = cal.at_local(day, at_min)
        return post_at, post_at
    return cal.at_local(post_day, at_min), cal.day_start(day)


def _moved_reason(cal: Calendar, day: date) -> str | None:
    monday = monday_of(day)
    if day == monday or monday.isoweekday() not in cal.weekdays:
        return None
    reason = cal.day_off(monday)
    if reason is None:
        return None
    return MOVED_OWN_DAY_OFF if reason == OWN_DAY_OFF else MOVED_HOLIDAY


def meeting_of_week(cal: Calendar, any_day: date, at_min: int, days_before: int = 0) -> Meeting | None:
    """The meeting in the week of `any_day`, its agenda posted at `at_min` on the day (or the working day before).

    `cal` is the pair calendar (when both work), so the meeting is on the first day of the
    week that both work. With `agendatid fredag 15:00` (`days_before`) the agenda comes at
    15:00 on the working day both work before the meeting (a Monday meeting's Friday).
    """
    day = meeting_day(cal, any_day)
    if day is None:
        return None
    post_at, starts_at = _times(cal, day, at_min, days_before)
    prev = previous_meeting_day(cal, day)
    since = _times(cal, prev, at_min, days_before)[1] if prev is not None else starts_at - timedelta(weeks=1)
    return Meeting(day=day, post_at=post_at, since=since, moved_reason=_moved_reason(cal, day), starts_at=starts_at)


def next_meeting(cal: Calendar, now: datetime, at_min: int, days_before: int = 0) -> Meeting | None:
    """The next agenda to be posted: this week's if not yet posted, else the following week's; None for none soon."""
    today = cal.local(now).date()
    for weeks in range(LOOKBACK_WEEKS + 1):
        meeting = meeting_of_week(cal, today + timedelta(weeks=weeks), at_min, days_before)
        if meeting is not None and meeting.post_at > now:
            return meeting
    return None


# --- posting once per week ------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """One scheduled weekly post for a pair: its idempotency key, time and last useful moment.

    After `late_after` it is posted marked as late; at `deadline` it is too late to post.
    """

    key: str
    meeting: Meeting
    at: datetime
    deadline: datetime
    late_after: datetime | None = None

    def is_late(self, now: datetime) -> bool:
        return self.late_after is not None and now >= self.late_after


def agenda_key(pair_id: int, meeting: Meeting) -> str:
    """The week's key: in `job_runs` (posted once) and, with the part number, the outbox rows' dedupe key."""
    return f"agenda:{pair_id}:{meeting.iso_label}"


def agenda_due(pair_id: int, cal: Calendar, meeting: Meeting) -> Due:
    """The agenda may come late while its meeting week lasts: until the end of that week's last working period."""
    last_day = cal.working_days(meeting.day, meeting.monday + timedelta(days=6))[-1]
    deadline = max(cal.day_end(last_day), meeting.post_at + MEETING_LENGTH)
    return Due(agenda_key(pair_id, meeting), meeting, meeting.post_at, deadline, late_after=meeting.post_at + LATE_GRACE)


def plan_agenda(pair_id: int, cal: Calendar, now: datetime, at_min: int, days_before: int = 0) -> list[Due]:
    """Last week's meeting (to tell about it if it was missed), this week's and, posted the day before, next week's."""
    today = cal.local(now).date()
    dues = []
    for weeks in (-1, 0, 1):
        meeting = meeting_of_week(cal, today + timedelta(weeks=weeks), at_min, days_before)
        if meeting is not None:
            dues.append(agenda_due(pair_id, cal, meeting))
    return dues


def plan_radsmote(pair_id: int, cal: Calendar, now: datetime, at_min: int) -> Due | None:
    """The rådsmöte on the afternoon of this week's meeting day: posted that day at `at_min`, never late."""
    meeting = meeting_of_week(cal, cal.local(now).date(), at_min)
    if meeting is None:
        return None
    deadline = max(cal.day_end(meeting.day), meeting.post_at + MEETING_LENGTH)
    return Due(f"radsmote:{pair_id}:{meeting.iso_label}", meeting, meeting.post_at, deadline)


def dues_to_post(dues: Sequence[Due], now: datetime, created_at: datetime, done: Callable[[str], bool]) -> list[Due]:
    """The dues whose time has come and that are not yet done; a pair connected after the posting time missed nothing."""
    return [d for d in dues if now >= d.at and created_at <= d.at and not done(d.key)]


def key_prefix(key: str) -> str:
    """'agenda:3:2026-W49' → 'agenda:3:' (every week's key of that pair and kind)."""
    return key.rsplit(":", 1)[0] + ":"


# --- the agenda's pure rules -------------------------------------------------------


def point_type(word: str) -> str | None:
    """The point type a word typed after `/agenda +` names (`prio` → `prioritering`), or None."""
    return TYPE_ALIASES.get(word.lower())


def media_goes_to_kso(role: str | None) -> bool:
    """A media point goes first to the KSO, who has the main responsibility: told at once when the KD adds one."""
    return role == "kd"


def split_point(text: str) -> tuple[str, str]:
    """'+ incident Läckan i simhallen' → ('incident', 'Läckan i simhallen'); the type word as typed."""
    body = text.strip().removeprefix("+").strip()
    typ_word, _sep, rest = body.partition(" ")
    return typ_word, rest


def is_overdue(deadline: date | None, meeting: date) -> bool:
    return deadline is not None and deadline < meeting


def status_order(deadline: date | None, nr: int, meeting: date) -> tuple[int, date, int]:
    """The status section's order of open uppdrag: overdue first, then by deadline, then by number."""
    return (0 if is_overdue(deadline, meeting) else 1, deadline or date.max, nr)


def weeks_carried(created: date, meeting: date) -> int:
    """How many weeks a point has been carried over (at least one)."""
    return max(1, (meeting - created).days // 7)


def pack_lines(lines: Sequence[str], limit: int) -> list[str]:
    """Join lines into texts of at most `limit` characters (a section block's limit)."""
    texts: list[str] = []
    current = ""
    for line in lines:
        line = line if len(line) <= limit else line[: limit - 1] + "…"
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            texts.append(current)
            current = line
        else:
            current = candidate
    if current:
        texts.append(current)
    return texts


Block = dict[str, Any]


def chunk_messages(
    header: list[Block], units: list[list[Block]], continued: Callable[[int], Block], max_blocks: int = MAX_BLOCKS
) -> list[list[Block]]:
    """Split into messages of at most `max_blocks` blocks without splitting a unit."""
    messages: list[list[Block]] = [list(header)]
    for unit in units:
        if len(messages[-1]) + len(unit) > max_blocks:
            messages.append([continued(len(messages) + 1)])
        messages[-1].extend(unit)
    return messages
