"""The Monday agenda (måndagsagendan): what KSO and KD go through at their weekly meeting.

The sections follow Örebro's spelregler (seed 004) in order. An empty section still
shows the seed's question, so the meeting still asks it. Agenda points (`/agenda +`)
stay on the agenda week after week until someone closes them.

Building an agenda reads a fixed number of queries whatever the volume: one each
for uppdrag, open uncertainties, waiting cases and open points.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from bot import jobruns
from bot.adapters.holidays import swedish_calendar
from bot.clock import Clock
from bot.db import SessionScope, rowcount
from bot.domain import ks_calendar as ks_rules
from bot.domain.calendar import WorkingCalendar
from bot.domain.events import AgendaChanged
from bot.errors import UserError
from bot.i18n import _
from bot.models import AgendaPoint, Arende, JobRun, OutboxMessage, Pair, Uppdrag, UppdragFraga
from bot.outbox import enqueue, enqueue_update
from bot.presenters.blocks import MAX_SECTION_CHARS, Block, actions, button, section
from bot.services import audit, ks_calendar
from bot.services.pairs import NOT_MEMBER, Member, calendar_for, get_pair
from bot.services.unit_of_work import emit
from bot.text import check_length, day_off_reason, escape, fmt_date, fmt_when, one_line

log = logging.getLogger(__name__)

# The meeting lasts two hours (seed 004); a late start still makes sense within it.
MEETING_LENGTH = timedelta(hours=2)
# How far back to look for the previous meeting (weeks without a working day are skipped).
LOOKBACK_WEEKS = 8
# Slack allows at most 50 blocks per message; longer agendas continue in further posts.
MAX_BLOCKS = 50
# More parts than any real agenda has (1000 of everything is 84); bounds the lookup of the posted one.
MAX_AGENDA_PARTS = 200
USER_TEXT_SHORT = 120
# A point's own text is shown in full up to this length; the rest is in the preview and export.
POINT_TEXT_SHORT = 600


def _section_texts(key: str) -> tuple[str, str]:
    """(heading, seed question) of a section, in the bot's language: looked up when shown, not at import."""
    texts = {
        "status": (_("Status på de politiska besluten"),
                   _("Vilken är den aktuella statusen på de politiska besluten?")),
        "arenden": (_("Färdigberedda ärenden"),
                    _("Lämnar kommundirektören över färdigberedda ärenden, och är de tillräckligt beredda för att gå vidare till KS?")),
        "nya_uppdrag": (_("Nya uppdrag sedan förra mötet"),
                        _("Överlämnar KSO nya uppdrag till KD?")),
        "prioritering": (_("Prioriteringar att stämma av"),
                         _("Finns det prioriteringar som behöver genomföras och stämmas av?")),
        "osakerhet": (_("Osäkerhet i uppdrag"),
                      _("Finns det frågor där det råder osäkerhet i uppdraget?")),
        "info": (_("Information för att hålla ihop styrningen"),
                 _("Finns det något den andre bör informeras om för att hålla ihop styrningen?")),
        "incident": (_("Incidenter som behöver följas upp och klaras ut"),
                     _("Har det funnits incidenter som behöver följas upp och klaras ut?")),
        "olöst": (_("Olösta frågor"),
                  _("Finns det olösta frågor som behöver redas ut?")),
        "kommande": (_("Kommande frågor inom den närmaste tiden"),
                     _("Behöver hanteringen av kommande frågor inom den närmaste framtiden stämmas av?")),
    }
    return texts[key]


@dataclass(frozen=True)
class SectionSpec:
    """One section of Örebro's agenda (seed 004): its key, heading and the question it asks."""

    key: str

    @property
    def heading(self) -> str:
        return _section_texts(self.key)[0]

    @property
    def question(self) -> str:
        return _section_texts(self.key)[1]


SECTIONS: tuple[SectionSpec, ...] = tuple(SectionSpec(key) for key in (
    "status", "arenden", "nya_uppdrag", "prioritering", "osakerhet", "info", "incident", "olöst", "kommande",
))
SECTION_BY_KEY = {s.key: s for s in SECTIONS}

# Agenda point types (`/agenda + <typ>`); each one is also the key of its section.
POINT_TYPES: tuple[str, ...] = ("prioritering", "info", "incident", "olöst", "kommande")
TYPE_ALIASES: dict[str, str] = {
    "prioritering": "prioritering", "prioriteringar": "prioritering", "prio": "prioritering",
    "info": "info", "information": "info",
    "incident": "incident", "incidenter": "incident",
    "olöst": "olöst", "olost": "olöst", "olösta": "olöst", "olosta": "olöst",
    "kommande": "kommande",
}


def add_usage() -> str:
    """How to add a point; the type words stay Swedish (they are what the user types)."""
    # Literal < and > in our own mrkdwn must be entities, or Slack reads them as links.
    return _("Skriv `/agenda + &lt;typ&gt; &lt;text&gt;`, där typ är en av {types}.").format(
        types=", ".join(f"`{t}`" for t in POINT_TYPES))


# --- when: the meeting of a week --------------------------------------------


@dataclass(frozen=True)
class Meeting:
    """One week's meeting: its day, when its agenda is posted, when it starts, and when the previous one started."""

    day: date
    post_at: datetime
    since: datetime  # the previous meeting's start: "new since the last meeting"
    moved_reason: str | None  # why Monday is not the meeting day (a holiday), if so
    # Until then the posted agenda is kept current. Posted on the meeting day, the meeting
    # starts with its agenda; posted the working day before, at the start of the day both work.
    starts_at: datetime | None = None

    @property
    def start(self) -> datetime:
        return self.starts_at or self.post_at

    @property
    def iso_label(self) -> str:
        year, week, _weekday = self.day.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def week(self) -> int:
        return self.day.isocalendar()[1]


def meeting_day(cal: WorkingCalendar, any_day: date) -> date | None:
    """The first working day of the week holding `any_day`, or None for a week off."""
    return cal.first_working_day_of_week(any_day)


def previous_meeting_day(cal: WorkingCalendar, day: date) -> date | None:
    for weeks in range(1, LOOKBACK_WEEKS + 1):
        found = cal.first_working_day_of_week(day - timedelta(weeks=weeks))
        if found is not None:
            return found
    return None


def _times(cal: WorkingCalendar, day: date, at_min: int, days_before: int) -> tuple[datetime, datetime]:
    """(when the agenda of the meeting on `day` is posted, when the meeting starts)."""
    post_day = cal.previous_working_day(day) if days_before else None
    if post_day is None:
        post_at = cal.at_local(day, at_min)
        return post_at, post_at
    return cal.at_local(post_day, at_min), cal.day_start(day)


def meeting_of_week(cal: WorkingCalendar, pair: Pair, any_day: date, minutes: int | None = None) -> Meeting | None:
    """The meeting in the week of `any_day`, posted at `minutes` on the day (default: the pair's agenda time and day).

    `cal` is the pair calendar (when both work), so the meeting is on the first day of the
    week that both work. With `agendatid fredag 15:00` the agenda comes at 15:00 on the
    working day both work before the meeting (a Monday meeting's Friday).
    """
    day = meeting_day(cal, any_day)
    if day is None:
        return None
    at_min = pair.agenda_time_min if minutes is None else minutes
    days_before = (pair.agenda_days_before or 0) if minutes is None else 0
    post_at, starts_at = _times(cal, day, at_min, days_before)
    prev = previous_meeting_day(cal, day)
    since = _times(cal, prev, at_min, days_before)[1] if prev is not None else starts_at - timedelta(weeks=1)
    monday = day - timedelta(days=day.isoweekday() - 1)
    moved = None
    if day != monday and monday.isoweekday() in cal.weekdays:
        moved = day_off_reason(cal, monday)
    return Meeting(day=day, post_at=post_at, since=since, moved_reason=moved, starts_at=starts_at)


def next_meeting(cal: WorkingCalendar, pair: Pair, now: datetime) -> Meeting:
    """The next agenda to be posted: this week's if not yet posted, else the following week's."""
    today = cal.local(now).date()
    for weeks in range(LOOKBACK_WEEKS + 1):
        meeting = meeting_of_week(cal, pair, today + timedelta(weeks=weeks))
        if meeting is not None and meeting.post_at > now:
            return meeting
    raise UserError(_("Det finns ingen arbetsdag de närmaste veckorna, så ingen agenda är planerad."))


# --- what: building the agenda ----------------------------------------------


@dataclass(frozen=True)
class Button:
    label: str
    action_id: str
    value: str
    style: str | None = None


@dataclass(frozen=True)
class Item:
    """One line on the agenda (mrkdwn, user text already escaped) and its buttons."""

    text: str
    buttons: tuple[Button, ...] = ()
    block_id: str | None = None
    # With two or more buttons they go in an actions block below the text, with this id.
    actions_block_id: str | None = None


@dataclass(frozen=True)
class Section:
    spec: SectionSpec
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Agenda:
    pair_id: int
    channel_id: str
    meeting: Meeting
    timezone: str
    sections: tuple[Section, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Style:
    """How the agenda marks things up: Slack mrkdwn for Slack, plain text for the terminal (CLI preview)."""

    slack: bool

    def bold(self, text: str) -> str:
        return f"*{text}*" if self.slack else text

    def italic(self, text: str) -> str:
        return f"_{text}_" if self.slack else text

    def user(self, text: str) -> str:
        """User text: never a ping; in Slack as entities, in a terminal as the user's own characters."""
        safe = escape(text)
        return safe if self.slack else safe.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")

    @property
    def warning(self) -> str:
        return ":warning:" if self.slack else "(!)"

    @property
    def done(self) -> str:
        return ":white_check_mark:" if self.slack else "✓"

    @property
    def returned(self) -> str:
        return ":leftwards_arrow_with_hook:" if self.slack else "↩"


MRKDWN = Style(slack=True)
PLAIN = Style(slack=False)


def shorten(text: str, limit: int = USER_TEXT_SHORT) -> str:
    return one_line(text, limit)


def _days(n: int) -> str:
    return (_("{n} dag") if n == 1 else _("{n} dagar")).format(n=n)


def _weeks(n: int) -> str:
    return (_("{n} vecka") if n == 1 else _("{n} veckor")).format(n=n)


def role_label(pair: Pair, user: str | None) -> str:
    role = pair.role_of(user or "")
    return role.upper() if role else _("någon utanför paret")


def _questions(n: int) -> str:
    return (_("{n} öppen fråga") if n == 1 else _("{n} öppna frågor")).format(n=n)


def _from(pair: Pair, user: str | None, day: date) -> str:
    """'från KD, tisdag 24 nov': who raised an item and when."""
    return _("från {role}, {date}").format(role=role_label(pair, user), date=fmt_date(day))


def _stopptid_flag(last_day: date, day: date, is_working_day: Callable[[date], bool], st: Style) -> list[str]:
    """A warning when the meeting day is within three working days of the case's stopptid, or past it."""
    found = ks_rules.flag(last_day, day, is_working_day)
    if found is None:
        return []
    if found.passed:
        return [f"{st.warning} " + st.bold(_("stopptiden har passerat"))]
    if found.working_days_left == 0:
        return [f"{st.warning} " + st.bold(_("stopptid idag"))]
    words = _("{n} arbetsdag kvar till stopptiden") if found.working_days_left == 1 else _("{n} arbetsdagar kvar till stopptiden")
    return [f"{st.warning} " + st.bold(words.format(n=found.working_days_left))]


def continued_title(title_text: str, part: int) -> str:
    """The title of a long post's further messages: 'Agenda …, forts. (2)'."""
    return _("{title}, forts. ({part})").format(title=title_text, part=part)


def build(session: Session, pair: Pair, meeting: Meeting, st: Style = MRKDWN) -> Agenda:
    """The agenda for `meeting`, from what the database holds now. Five queries, whatever the volume (the calendar is one)."""
    tz = swedish_calendar(timezone=pair.timezone).tz
    is_working_day = calendar_for(session, pair).is_working_day

    def local_day(t: datetime) -> date:
        return t.astimezone(tz).date()

    uppdrag = session.scalars(
        select(Uppdrag)
        .where(Uppdrag.pair_id == pair.id, or_(Uppdrag.status == "open", Uppdrag.given_at >= meeting.since,
                                                Uppdrag.done_at >= meeting.since))
        .order_by(Uppdrag.nr)
    ).all()
    fragor = session.execute(
        select(UppdragFraga, Uppdrag.nr, Uppdrag.text)
        .join(Uppdrag, Uppdrag.id == UppdragFraga.uppdrag_id)
        .where(Uppdrag.pair_id == pair.id, UppdragFraga.answered_at.is_(None), Uppdrag.status == "open")
        .order_by(UppdragFraga.asked_at, UppdragFraga.id)
    ).all()
    # Waiting cases, cases sent back (until the KD hands them over again), and those decided since the last meeting.
    all_cases = session.scalars(
        select(Arende).where(Arende.pair_id == pair.id,
                             or_(Arende.status.in_(("vantar", "ater")), Arende.decided_at >= meeting.since))
        .order_by(Arende.submitted_at, Arende.nr)
    ).all()
    arenden = [a for a in all_cases if a.status == "vantar"]
    points = session.scalars(
        select(AgendaPoint).where(AgendaPoint.pair_id == pair.id, AgendaPoint.closed_at.is_(None))
        .order_by(AgendaPoint.created_at, AgendaPoint.id)
    ).all()

    open_questions: dict[int, int] = {}
    for fraga, _nr, _text in fragor:
        open_questions[fraga.uppdrag_id] = open_questions.get(fraga.uppdrag_id, 0) + 1

    items: dict[str, list[Item]] = {spec.key: [] for spec in SECTIONS}

    # 1. Status (seed 004: "den aktuella statusen"): first what was finished or decided since the last
    # meeting, with who and when, then the open uppdrag handed over before it, overdue first.
    for u in sorted((u for u in uppdrag if u.status == "done" and u.done_at is not None and u.done_at >= meeting.since),
                    key=lambda u: (u.done_at or meeting.since, u.nr)):
        assert u.done_at is not None
        items["status"].append(Item(
            f"• {st.done} {st.bold(f'#{u.nr}')} {st.user(shorten(u.text))} · "
            + _("klart, markerat av {role} {date}").format(role=role_label(pair, u.done_by),
                                                            date=fmt_date(local_day(u.done_at)))))
    for a in sorted((a for a in all_cases if a.decided_at is not None and a.decided_at >= meeting.since
                     and a.status != "vantar"), key=lambda a: (a.decided_at or meeting.since, a.nr)):
        assert a.decided_at is not None
        icon = st.done if a.status == "till_ks" else st.returned
        decided = (_("till KS, beslutat av {role} {date}") if a.status == "till_ks"
                   else _("åter för beredning, beslutat av {role} {date}"))
        line = f"• {icon} " + st.bold(_("Ärende #{nr}").format(nr=a.nr)) + f" {st.user(shorten(a.titel))} · " + \
            decided.format(role=role_label(pair, a.decided_by), date=fmt_date(local_day(a.decided_at)))
        if a.status == "till_ks" and a.ks_meeting:
            line += " · " + ks_calendar.label(a.ks_meeting, None)
        items["status"].append(Item(line))
    older = [u for u in uppdrag if u.status == "open" and u.given_at < meeting.since]

    def status_order(u: Uppdrag) -> tuple[int, date, int]:
        overdue = u.deadline is not None and u.deadline < meeting.day
        return (0 if overdue else 1, u.deadline or date.max, u.nr)

    for u in sorted(older, key=status_order):
        items["status"].append(Item(_uppdrag_line(u, meeting.day, open_questions.get(u.id, 0), st)))

    # 3. New uppdrag since the last meeting, whatever their status now.
    for u in uppdrag:
        if u.given_at >= meeting.since:
            line = _uppdrag_line(u, meeting.day, open_questions.get(u.id, 0), st)
            items["nya_uppdrag"].append(Item(f"{line} · " + _("givet {date}").format(date=fmt_date(local_day(u.given_at)))))

    # 2. Cases waiting for the KSO's decision, each with its two buttons.
    for a in arenden:
        waited = (meeting.day - local_day(a.submitted_at)).days
        parts = [f"• {st.bold(f'#{a.nr}')} {st.user(shorten(a.titel))}",
                 _("lämnat av {role} {date}").format(role=role_label(pair, a.submitted_by),
                                                     date=fmt_date(local_day(a.submitted_at)))]
        if waited > 0:
            parts.append(_("har väntat {days}").format(days=_days(waited)))
        if a.ks_meeting:
            parts.append(ks_calendar.label(a.ks_meeting, a.stopptid))
        if a.stopptid is not None:
            parts.extend(_stopptid_flag(a.stopptid, meeting.day, is_working_day, st))
        if a.link:
            parts.append(st.user(shorten(a.link, 300)))
        items["arenden"].append(Item(
            " · ".join(parts),
            buttons=(Button(_("Till KS"), "arende_till_ks", str(a.id), "primary"),
                     Button(_("Åter för beredning"), "arende_ater", str(a.id))),
            # The ids `bot.arende.replace_case` looks for: a decision replaces the case on the agenda.
            block_id=f"arende_info:{a.id}",
            actions_block_id=f"arende:{a.id}",
        ))

    # 2b. Cases sent back for beredning stay under their own heading until the KD hands them over again.
    returned = [a for a in all_cases if a.status == "ater"]
    if returned:
        items["arenden"].append(Item(st.bold(_("Åter för beredning")) + " " + st.italic(
            _("(tills KD lämnar över dem igen med `/arende åter` och numret)"))))
    for a in returned:
        assert a.decided_at is not None
        parts = [f"• {st.bold(f'#{a.nr}')} {st.user(shorten(a.titel))}",
                 _("åter sedan {date}, av {role}").format(date=fmt_date(local_day(a.decided_at)),
                                                          role=role_label(pair, a.decided_by))]
        if a.comment:
            parts.append(_("behöver: {comment}").format(comment=st.italic(st.user(shorten(a.comment)))))
        items["arenden"].append(Item(" · ".join(parts)))

    # 5. Open uncertainties ('oklart') on open uppdrag.
    for fraga, nr, text in fragor:
        items["osakerhet"].append(Item(
            f"• {st.bold(f'#{nr}')} {st.user(shorten(text, 80))}: {st.italic(st.user(shorten(fraga.fraga)))} · "
            + _from(pair, fraga.asked_by, local_day(fraga.asked_at)),
            buttons=(Button(_("Svara"), "uppdrag_svara", str(fraga.id)),),
            block_id=f"fraga_{fraga.id}",
        ))

    # 4, 6-9. Agenda points; those already on an earlier agenda are marked as carried over.
    for p in points:
        if p.typ not in items:
            continue
        text = f"• {st.user(shorten(p.text, POINT_TEXT_SHORT))} · " + _from(pair, p.created_by, local_day(p.created_at))
        if p.created_at < meeting.since:
            age = max(1, (meeting.day - local_day(p.created_at)).days // 7)
            text += " · " + st.italic(_("överförd, sedan {weeks}").format(weeks=_weeks(age)))
        items[p.typ].append(Item(text, buttons=(Button(_("Stäng"), "agenda_stang", str(p.id)),),
                                 block_id=f"agenda_punkt_{p.id}"))

    sections = tuple(Section(spec, tuple(items[spec.key])) for spec in SECTIONS)
    return Agenda(pair_id=pair.id, channel_id=pair.channel_id, meeting=meeting, timezone=pair.timezone,
                  sections=sections)


def _uppdrag_line(u: Uppdrag, meeting: date, questions: int, st: Style) -> str:
    parts = [f"• {st.bold(f'#{u.nr}')} {st.user(shorten(u.text))}"]
    if u.status != "open":
        parts.append(_("klart"))
    elif u.deadline is None:
        parts.append(_("inget slutdatum"))
    elif u.deadline < meeting:
        parts.append(_("{warning} {overdue} {days}, senast {date}").format(
            warning=st.warning, overdue=st.bold(_("försenat")), days=_days((meeting - u.deadline).days),
            date=fmt_date(u.deadline)))
    else:
        parts.append(_("senast {date}").format(date=fmt_date(u.deadline)))
    if questions and u.status == "open":
        parts.append(_questions(questions))
    return " · ".join(parts)


# --- how: text and Block Kit ------------------------------------------------


def title(agenda: Agenda) -> str:
    m = agenda.meeting
    return _("Agenda för KSO och KD {date} (vecka {week})").format(date=fmt_date(m.day), week=m.week)


def moved_note(meeting: Meeting) -> str | None:
    if meeting.moved_reason is None:
        return None
    # A holiday's name is already in the bot's language; the pair's own day off is our word.
    reason = _("egen ledig dag") if meeting.moved_reason == "egen ledig dag" else meeting.moved_reason
    return _("Mötet flyttas från måndag till {date}: måndagen är ledig ({reason}).").format(
        date=fmt_date(meeting.day), reason=reason)


def footer(st: Style) -> str:
    """How to add a point, under the agenda: a command in Slack, a hint for Slack in the terminal."""
    types = "|".join(POINT_TYPES)
    if st.slack:
        return _("Lägg till en punkt med `/agenda + &lt;typ&gt; &lt;text&gt;` ({types}). "
                 "Punkter som inte stängs följer med till nästa veckas agenda.").format(types=types)
    return _("Lägg till en punkt i Slack med /agenda + <typ> <text> ({types}). "
             "Punkter som inte stängs följer med till nästa veckas agenda.").format(types=types)


def render_text(agenda: Agenda, st: Style = MRKDWN) -> str:
    """The agenda as text without buttons: mrkdwn for the `/agenda` preview, plain for the terminal."""
    head = title(agenda)
    lines = [st.bold(head)] if st.slack else [head, "=" * len(head)]
    note = moved_note(agenda.meeting)
    if note:
        lines.append(st.italic(note))
    for n, part in enumerate(agenda.sections, start=1):
        lines.append("")
        lines.append(st.bold(f"{n}. {part.spec.heading}"))
        indent = "" if st.slack else "  "
        if part.items:
            lines.extend(indent + item.text for item in part.items)
        elif st.slack:
            lines.append(st.italic(part.spec.question))
        else:
            lines.append(indent + _("Inget ännu. Fråga: {question}").format(question=part.spec.question))
    lines.append("")
    lines.append(footer(st))
    return "\n".join(lines)


def pack_lines(lines: Sequence[str], limit: int = MAX_SECTION_CHARS) -> list[str]:
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


def section_units(heading: str, items: Iterable[Item], empty: str) -> list[list[Block]]:
    """Blocks for one section, grouped so that an item and its buttons stay in one message."""
    units: list[list[Block]] = []
    pending = [heading]
    any_item = False

    def flush() -> None:
        for text in pack_lines(pending):
            units.append([section(text)])
        pending.clear()

    for item in items:
        any_item = True
        if not item.buttons:
            pending.append(item.text)
            continue
        flush()
        if len(item.buttons) == 1:
            units.append([section(item.text, block_id=item.block_id, accessory=button(item.buttons[0].label, item.buttons[0].action_id, item.buttons[0].value, item.buttons[0].style))])
        else:
            units.append([
                section(item.text, block_id=item.block_id),
                actions(*(button(b.label, b.action_id, b.value, b.style) for b in item.buttons),
                        block_id=item.actions_block_id),
            ])
    if not any_item:
        pending.append(f"_{empty}_")
    flush()
    return units


def chunk_messages(header: list[Block], units: list[list[Block]], continued: Callable[[int], Block]) -> list[list[Block]]:
    """Split into messages of at most MAX_BLOCKS blocks without splitting a unit."""
    messages: list[list[Block]] = [list(header)]
    for unit in units:
        if len(messages[-1]) + len(unit) > MAX_BLOCKS:
            messages.append([continued(len(messages) + 1)])
        messages[-1].extend(unit)
    return messages


LATE_BLOCK_ID = "agenda_late"


def render_messages(agenda: Agenda, late: str | None = None) -> list[list[Block]]:
    """The agenda as one or more Block Kit messages, with the buttons; `late` marks an agenda posted late."""
    header: list[Block] = [{"type": "header", "text": {"type": "plain_text", "text": title(agenda)[:150], "emoji": True}}]
    if late:
        header.append({"type": "context", "block_id": LATE_BLOCK_ID, "elements": [{"type": "mrkdwn", "text": late}]})
    note = moved_note(agenda.meeting)
    if note:
        header.append({"type": "context", "elements": [{"type": "mrkdwn", "text": note}]})
    units: list[list[Block]] = []
    for n, part in enumerate(agenda.sections, start=1):
        units.append([{"type": "divider"}])
        units.extend(section_units(f"*{n}. {part.spec.heading}*", part.items, part.spec.question))
    units.append([{"type": "context", "elements": [{"type": "mrkdwn", "text": footer(MRKDWN)}]}])

    def continued(part: int) -> Block:
        return {"type": "context", "elements": [{"type": "mrkdwn", "text": continued_title(f"*{title(agenda)}*", part)}]}

    return chunk_messages(header, units, continued)


# --- preview ------------------------------------------------------------------


def preview_mrkdwn(session: Session, pair: Pair, now: datetime, day: date | None = None,
                   st: Style = MRKDWN) -> str:
    """The next agenda (or the one for the week of `day`), built from today's data; Slack mrkdwn by default."""
    cal = calendar_for(session, pair)
    meeting = meeting_of_week(cal, pair, day) if day is not None else next_meeting(cal, pair, now)
    if meeting is None:
        assert day is not None
        return _("Veckan med {date} (vecka {week}) har ingen arbetsdag och får ingen agenda.").format(
            date=day.isoformat(), week=day.isocalendar()[1])
    agenda = build(session, pair, meeting, st)
    when = fmt_when(meeting.post_at, pair.timezone)
    if meeting.post_at > now:
        intro = _("Förhandsvisning utan att posta, med dagens uppgifter. Agendan postas {when} i parets kanal.")
    else:
        intro = _("Förhandsvisning utan att posta, med dagens uppgifter. Agendan postades {when} i parets kanal.")
    intro = st.italic(intro.format(when=when))
    return intro + "\n\n" + render_text(agenda, st)


def preview_text(session: Session, pair_id: int, day: date | None, clock: Clock) -> str:
    """`python -m bot agenda --pair ID [--date D]`: the agenda as plain terminal text, without posting."""
    pair = get_pair(session, pair_id)
    return preview_mrkdwn(session, pair, clock.now(), day, PLAIN)


# --- agenda points ------------------------------------------------------------


def parse_point(text: str) -> tuple[str, str]:
    """'+ incident Läckan i simhallen' → ('incident', 'Läckan i simhallen')."""
    body = text.strip().removeprefix("+").strip()
    typ_word, _sep, rest = body.partition(" ")
    if not typ_word:
        raise UserError(add_usage())
    typ = TYPE_ALIASES.get(typ_word.lower())
    if typ is None:
        raise UserError(_("Okänd typ `{typ}`.").format(typ=escape(typ_word)) + " " + add_usage())
    problem = check_length(rest, "Punkten")
    if problem:
        raise UserError(problem)
    return typ, rest.strip()


def add_point(session: Session, member: Member, text: str, now: datetime) -> str:
    """`/agenda + <typ> <text>`: store a point; it stays on the agenda until closed."""
    typ, body = parse_point(text)
    pair = member.pair
    point = AgendaPoint(pair_id=pair.id, typ=typ, text=body, created_by=member.user, created_at=now)
    session.add(point)
    session.flush()
    audit.record(session, pair_id=pair.id, actor=member.user, action="agenda_punkt", entity="agenda_point",
                 entity_id=point.id, at=now, after=audit.snapshot(point, ("typ", "text")))
    emit(session, AgendaChanged(at=now, pair_id=pair.id))
    meeting = next_meeting(calendar_for(session, pair), pair, now)
    return _("Punkten är tillagd under *{heading}* och kommer med på agendan {date}: {text}").format(
        heading=SECTION_BY_KEY[typ].heading, date=fmt_date(meeting.day), text=escape(body))


def close_point(session: Session, *, point_id: int, user: str, now: datetime,
                channel: str | None, message_ts: str | None) -> tuple[Pair, str]:
    """The close button (`agenda_stang`): only the pair's members; the posted agenda shows it closed."""
    point = session.get(AgendaPoint, point_id)
    if point is None:
        raise UserError(_("Punkten finns inte längre."))
    pair = session.get(Pair, point.pair_id)
    if pair is None or pair.role_of(user) is None:
        raise UserError(NOT_MEMBER)
    before = audit.snapshot(point, ("closed_by", "closed_at"))
    # Conditional update: of two simultaneous clicks exactly one closes the point.
    won = rowcount(session.execute(
        update(AgendaPoint).where(AgendaPoint.id == point.id, AgendaPoint.closed_at.is_(None))
        .values(closed_by=user, closed_at=now).execution_options(synchronize_session=False)
    ))
    session.refresh(point)
    if not won:
        assert point.closed_at is not None
        closed_day = point.closed_at.astimezone(swedish_calendar(timezone=pair.timezone).tz).date()
        return pair, _("Punkten var redan stängd av {role} {date}.").format(
            role=role_label(pair, point.closed_by), date=fmt_date(closed_day))
    audit.record(session, pair_id=pair.id, actor=user, action="agenda_stang", entity="agenda_point",
                 entity_id=point.id, at=now, before=before, after=audit.snapshot(point, ("closed_by", "closed_at")))
    note = _("stängd av {role}").format(role=role_label(pair, point.closed_by))
    update_posted(session, pair.id, now, lambda blocks: mark_done(blocks, f"agenda_punkt_{point.id}", note),
                  clicked=(channel, message_ts) if channel and message_ts else None)
    return pair, _("Punkten är stängd och följer inte med till nästa agenda: {text}").format(
        text=escape(shorten(point.text)))


# --- keeping the posted agenda up to date -----------------------------------------


def mark_done(blocks: list[Block], block_id: str, note: str) -> list[Block] | None:
    """`blocks` with that item ticked off and its button gone; None when it is not there."""
    out: list[Block] = []
    found = False
    for block in blocks:
        if block.get("block_id") == block_id and block.get("type") == "section":
            found = True
            old = block.get("text", {}).get("text", "")
            block = section(old.replace("• ", ":white_check_mark: ", 1) + f" · _{note}_", block_id=block_id)
        out.append(block)
    return out if found else None


def _latest_blocks(session: Session, message: OutboxMessage) -> list[Block]:
    """The message as Slack shows it (or will): its latest chat.update, else the original."""
    latest = session.scalar(
        select(OutboxMessage).where(OutboxMessage.ref_id == message.id, OutboxMessage.kind == "update",
                                    OutboxMessage.status.in_(("pending", "sent")))
        .order_by(OutboxMessage.id.desc()).limit(1)
    )
    return list((latest or message).blocks or [])


def _latest_agenda(session: Session, pair_id: int) -> list[OutboxMessage]:
    """The messages of the pair's most recent agenda (one per part), sent or still queued."""
    prefix = f"agenda:{pair_id}:"
    rows = session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "post", OutboxMessage.pair_id == pair_id,
                                    OutboxMessage.dedupe_key.startswith(prefix, autoescape=True),
                                    OutboxMessage.status.in_(("pending", "sent")))
        .order_by(OutboxMessage.id.desc()).limit(MAX_AGENDA_PARTS)
    ).all()
    if not rows:
        return []
    week = (rows[0].dedupe_key or "").rsplit(":", 1)[0]
    return [r for r in rows if (r.dedupe_key or "").rsplit(":", 1)[0] == week]


def update_posted(session: Session, pair_id: int, now: datetime,
                  change: Callable[[list[Block]], list[Block] | None],
                  clicked: tuple[str, str] | None = None) -> int:
    """Apply `change` to the latest agenda (and to the clicked message, an older agenda say); chat.update what changed."""
    messages = _latest_agenda(session, pair_id)
    if clicked is not None:
        channel, ts = clicked
        other = session.scalar(select(OutboxMessage).where(
            OutboxMessage.kind == "post", OutboxMessage.pair_id == pair_id,
            OutboxMessage.sent_channel == channel, OutboxMessage.sent_ts == ts))
        if other is not None and all(m.id != other.id for m in messages):
            messages.append(other)
    changed = 0
    for message in messages:
        blocks = _latest_blocks(session, message)
        new = change(blocks)
        if new is not None and new != blocks:
            enqueue_update(session, message, now=now, text=message.text, blocks=new)
            changed += 1
    return changed


# --- keeping a posted agenda current until the meeting ---------------------------


def _iso_monday(label: str) -> date | None:
    """'2026-W49' → the Monday of that week."""
    year, _sep, week = label.partition("-W")
    try:
        return date.fromisocalendar(int(year), int(week), 1)
    except ValueError:
        return None


def refresh_posted(session: Session, pair: Pair, now: datetime) -> int:
    """Render the posted agenda again from today's data, while its meeting has not started.

    Each part is changed with chat.update (or rewritten in place while still queued); an
    agenda that grew gets a further part, one that shrank keeps its last parts with a short
    note. A late agenda keeps its "Försenad" line. Returns how many messages changed.
    """
    parts = sorted(_latest_agenda(session, pair.id), key=lambda r: int((r.dedupe_key or "0").rsplit(":", 1)[1]))
    if not parts:
        return 0
    prefix = (parts[0].dedupe_key or "").rsplit(":", 1)[0]
    monday = _iso_monday(prefix.rsplit(":", 1)[1])
    cal = calendar_for(session, pair)
    meeting = meeting_of_week(cal, pair, monday) if monday is not None else None
    if meeting is None or now >= meeting.start:
        return 0
    late = next((b["elements"][0]["text"] for b in _latest_blocks(session, parts[0])
                 if b.get("block_id") == LATE_BLOCK_ID), None)
    agenda = build(session, pair, meeting)
    fresh = render_messages(agenda, late)
    fallback = title(agenda)
    changed = 0
    for number, blocks in enumerate(fresh, start=1):
        text = fallback if number == 1 else continued_title(fallback, number)
        if number <= len(parts):
            if _latest_blocks(session, parts[number - 1]) != blocks:
                enqueue_update(session, parts[number - 1], now=now, text=text, blocks=blocks)
                changed += 1
        else:
            enqueue(session, kind="post", now=now, channel=pair.channel_id, pair_id=pair.id, blocks=blocks, text=text,
                    dedupe_key=f"{prefix}:{number}", respekt=True)
            changed += 1
    for extra in parts[len(fresh):]:
        gone: list[Block] = [{"type": "context", "elements": [{"type": "mrkdwn", "text": _("_Agendan är kortare nu: "
                                                                                       "allt står ovan._")}]}]
        if _latest_blocks(session, extra) != gone:
            enqueue_update(session, extra, now=now, text=_("Agendan är kortare nu: allt står ovan."), blocks=gone)
            changed += 1
    return changed


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


Planner = Callable[[Pair, WorkingCalendar, datetime], "Due | Sequence[Due] | None"]
Producer = Callable[[Session, Pair, Due, datetime], int]

# A tick runs every minute; a post later than this after its time is marked late.
LATE_GRACE = timedelta(minutes=15)


def _agenda_due(pair: Pair, cal: WorkingCalendar, meeting: Meeting) -> Due:
    """The agenda may come late while its meeting week lasts: until the end of that week's last working period."""
    monday = meeting.day - timedelta(days=meeting.day.isoweekday() - 1)
    last_day = cal.working_days(meeting.day, monday + timedelta(days=6))[-1]
    deadline = max(cal.day_end(last_day), meeting.post_at + MEETING_LENGTH)
    return Due(f"agenda:{pair.id}:{meeting.iso_label}", meeting, meeting.post_at, deadline,
               late_after=meeting.post_at + LATE_GRACE)


def plan_agenda(pair: Pair, cal: WorkingCalendar, now: datetime) -> list[Due]:
    """Last week's meeting (to tell about it if it was missed), this week's and, posted the day before, next week's."""
    today = cal.local(now).date()
    dues = []
    for weeks in (-1, 0, 1):
        meeting = meeting_of_week(cal, pair, today + timedelta(weeks=weeks))
        if meeting is not None:
            dues.append(_agenda_due(pair, cal, meeting))
    return dues


def late_note(due: Due, timezone: str) -> str:
    return _("Försenad: agendan skulle ha kommit {when}, men Samspel var inte igång då.").format(
        when=fmt_when(due.at, timezone))


def produce_agenda(session: Session, pair: Pair, due: Due, now: datetime) -> int:
    agenda = build(session, pair, due.meeting)
    late = due.late_after is not None and now >= due.late_after
    messages = render_messages(agenda, late_note(due, pair.timezone) if late else None)
    fallback = title(agenda)
    for part, blocks in enumerate(messages, start=1):
        # The pair chose this time themselves (`/samspel agendatid`); the gate holds it to when both work.
        enqueue(session, kind="post", now=now, channel=pair.channel_id, pair_id=pair.id, blocks=blocks,
                text=fallback if part == 1 else continued_title(fallback, part), dedupe_key=f"{due.key}:{part}", respekt=True)
    log.info("agenda %s queued for pair %s (%s messages%s)", due.key, pair.id, len(messages), ", late" if late else "")
    return len(messages)


def produce_missed(session: Session, pair: Pair, due: Due, now: datetime) -> int:
    """The meeting week ended with no agenda (Samspel was down): tell the channel, once, what it would have held."""
    agenda = build(session, pair, due.meeting)
    counts = {part.spec.key: len(part.items) for part in agenda.sections}
    uppdrag = counts["status"] + counts["nya_uppdrag"]
    points = sum(counts[key] for key in POINT_TYPES)
    text = _(":warning: Agendan för mötet {date} (vecka {week}) postades aldrig: Samspel var inte igång från {when} "
             "till veckans slut. Det som skulle ha stått på den följer med till nästa agenda: {cases} ärenden att "
             "avgöra, {uppdrag} uppdrag, {questions} frågor om uppdrag och {points} agendapunkter. Se den nu med "
             "`/agenda`.").format(date=fmt_date(due.meeting.day), week=due.meeting.week, when=fmt_when(due.at, pair.timezone),
                                  cases=counts["arenden"], uppdrag=uppdrag, questions=counts["osakerhet"], points=points)
    enqueue(session, kind="post", now=now, channel=pair.channel_id, pair_id=pair.id, text=text,
            blocks=[section(text)], dedupe_key=f"{due.key}:missad", respekt=True)
    return 1


def post_due(uow: SessionScope, now: datetime, what: str, plan: Planner, produce: Producer,
             missed: Producer | None = None) -> list[str]:
    """Post every pair's weekly message that has fallen due; returns the keys posted now.

    The claim in `job_runs` and the outbox rows are one transaction, so a second tick,
    a second process or a restart finds the key and does nothing. `missed`, if given,
    tells the pair about a post whose time ran out while the bot was down.
    """
    with uow() as session:
        pair_ids = list(session.scalars(select(Pair.id).where(Pair.status == "active").order_by(Pair.id)))
    posted: list[str] = []
    for pair_id in pair_ids:
        try:
            posted += _post_one(uow, pair_id, now, what, plan, produce, missed)
        except Exception:
            # One pair's failure must not stop the others; the next tick retries it.
            log.exception("%s for pair %s failed", what, pair_id)
            continue
    return posted


def _served_before(session: Session, pair_id: int, key: str) -> bool:
    """Whether the pair had an earlier weekly post of this kind: a missed week is a gap, not a pair's first week."""
    prefix = key.rsplit(":", 1)[0] + ":"
    return session.scalar(select(JobRun.id).where(
        JobRun.pair_id == pair_id, JobRun.key.startswith(prefix, autoescape=True), JobRun.key < key).limit(1)) is not None


def _post_one(uow: SessionScope, pair_id: int, now: datetime, what: str,
              plan: Planner, produce: Producer, missed: Producer | None = None) -> list[str]:
    with uow() as session:
        pair = session.get(Pair, pair_id)
        if pair is None:
            return []
        cal = calendar_for(session, pair)
        planned = plan(pair, cal, now)
        dues = [planned] if isinstance(planned, Due) else list(planned or ())
        this_week = cal.local(now).date().isocalendar()[:2]
        # A pair connected after the posting time did not miss anything that week.
        dues = [d for d in dues if now >= d.at and pair.created_at <= d.at and not jobruns.done(session, d.key)]
        gaps = {d.key for d in dues if missed is not None and now >= d.deadline and _served_before(session, pair_id, d.key)}
    posted: list[str] = []
    for due in dues:
        if now >= due.deadline:
            if due.key in gaps:
                with uow() as session:
                    fresh = session.get(Pair, pair_id)
                    if fresh is not None and missed is not None and jobruns.claim(
                            session, due.key, now=now, pair_id=pair_id, note="missad: boten var nere"):
                        missed(session, fresh, due, now)
                        log.warning("%s %s for pair %s missed: the bot was down from %s to the end of the week; "
                                    "the channel is told", what, due.key, pair_id, due.at.isoformat())
            elif due.meeting.day.isocalendar()[:2] == this_week:
                with uow() as session:
                    if jobruns.claim(session, due.key, now=now, pair_id=pair_id, note="överhoppad: boten var nere"):
                        log.warning("%s %s for pair %s skipped: the bot was down at %s and the meeting is over",
                                    what, due.key, pair_id, due.at.isoformat())
            continue
        late = due.late_after is not None and now >= due.late_after
        with uow() as session:
            # The claim is the transaction's first statement, so SQLite takes its write lock here.
            if not jobruns.claim(session, due.key, now=now, pair_id=pair_id, note="postad försenad" if late else "postad"):
                continue
            fresh = session.get(Pair, pair_id)
            assert fresh is not None
            produce(session, fresh, due, now)
        posted.append(due.key)
    return posted


def post_due_agendas(uow: SessionScope, now: datetime) -> list[str]:
    return post_due(uow, now, "agenda", plan_agenda, produce_agenda, produce_missed)
