"""Pairs: connecting a channel to one KSO and one KD, their settings, and membership checks."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.adapters.holidays import swedish_calendar
from bot.domain.calendar import WorkingCalendar, format_hhmm, parse_hhmm
from bot.domain.events import CalendarChanged
from bot.domain.respekt import deliver_after
from bot.errors import UserError
from bot.i18n import N_, _, language
from bot.models import DayOff, Meddelande, MemberCalendar, OutboxMessage, Pair
from bot.outbox import enqueue
from bot.services import audit, tenant
from bot.services.unit_of_work import emit
from bot.text import day_off_reason, fmt_date, fmt_iso

log = logging.getLogger(__name__)

NOT_MEMBER = N_("Det här kan bara parets KSO och KD använda.")
NO_PAIR = N_("Den här kanalen är inte kopplad till något par. Koppla den med `/samspel koppla @kso @kd`.")
DAY_NAMES = {"mån": 1, "tis": 2, "ons": 3, "tor": 4, "fre": 5, "lör": 6, "sön": 7}
_CHANNEL_REF = re.compile(r"<#([CG][A-Z0-9]+)(?:\|[^>]*)?>")

PAIR_FIELDS = ("channel_id", "kso_user", "kd_user", "timezone", "work_start_min", "work_end_min", "work_days",
               "agenda_time_min", "agenda_days_before", "radsmote_channel", "radsmote_time_min", "next_talk")


@dataclass(frozen=True)
class Member:
    """The pair an actor belongs to, and the actor's role in it ('kso' or 'kd')."""

    pair: Pair
    user: str
    role: str

    @property
    def is_kso(self) -> bool:
        return self.role == "kso"

    @property
    def is_kd(self) -> bool:
        return self.role == "kd"


LIVE = Pair.status != "dissolved"
# status_reason of a pair paused because its workspace removed Samspel (bot.services.tenants).
UNINSTALLED = "uninstalled"
NOT_INSTALLED = N_("Samspel är inte installerat i den här arbetsytan längre. Installera appen igen så finns ert par kvar.")
PAUSED = N_("Ert par är pausat eftersom någon av er eller Samspel har lämnat kanalen. Bjud in igen (`/invite`) så "
            "fortsätter allt, eller upplös paret med `/samspel lämna`.")


def in_team(team_id: str | None = None) -> tuple[Any, ...]:
    """Pairs of the request's workspace (or of `team_id`): ids of channels and people are per workspace.

    Outside a request (jobs, the CLI) there is no team and nothing is narrowed.
    """
    team = team_id or tenant.team()
    return (Pair.team_id == team,) if team else ()


def live_pair_in(session: Session, channel_id: str | None, *, team_id: str | None = None) -> Pair | None:
    """The channel's pair, active or paused; a dissolved pair no longer owns its channel."""
    if not channel_id:
        return None
    return session.scalar(select(Pair).where(Pair.channel_id == channel_id, LIVE, *in_team(team_id)))


def find_pair(session: Session, *, channel_id: str | None, user_id: str, team_id: str | None = None) -> Pair | None:
    """The pair for a request: the channel's pair, else the single pair the user belongs to (in the same workspace)."""
    pair = live_pair_in(session, channel_id, team_id=team_id)
    if pair is not None:
        return pair
    pairs = session.scalars(select(Pair).where(or_(Pair.kso_user == user_id, Pair.kd_user == user_id), LIVE,
                                               *in_team(team_id))).all()
    if len(pairs) == 1:
        return pairs[0]
    if len(pairs) > 1:
        raise UserError(_("Du finns i flera par: använd kommandot i parets egen kanal."))
    return None


def require_member(session: Session, *, channel_id: str | None, user_id: str, allow_paused: bool = False,
                   team_id: str | None = None) -> Member:
    """The actor's membership, or a refusal that reveals nothing about the pair."""
    pair = find_pair(session, channel_id=channel_id, user_id=user_id, team_id=team_id)
    if pair is None:
        raise UserError(NOT_MEMBER if live_pair_in(session, channel_id, team_id=team_id) is not None else NO_PAIR)
    role = pair.role_of(user_id)
    if role is None:
        raise UserError(NOT_MEMBER)
    if pair.status == "paused" and pair.status_reason == UNINSTALLED:
        raise UserError(NOT_INSTALLED)
    if pair.status == "paused" and not allow_paused:
        raise UserError(PAUSED)
    return Member(pair=pair, user=user_id, role=role)


def get_pair(session: Session, pair_id: int) -> Pair:
    pair = session.get(Pair, pair_id)
    if pair is None:
        raise UserError(_("Det finns inget par med id {pair_id}.").format(pair_id=pair_id))
    return pair


# --- calendars: each person's own, and the pair's (when both work) --------------
#
# A message to one person (a DM) follows that person's calendar. A post in the pair's
# channel, and the Monday meeting itself, follow the pair calendar: the time when BOTH
# work (common weekdays, the overlap of the hours, either person's days off). Setting
# a calendar that leaves no working time within a year, alone or together, is refused.

# A day-off range is capped at a year: `ledig` is for leave, not for leaving the pair.
MAX_DAYS_OFF_RANGE = 366


def _member_row(session: Session, pair: Pair, user: str) -> MemberCalendar | None:
    return session.scalar(select(MemberCalendar).where(MemberCalendar.pair_id == pair.id, MemberCalendar.user == user))


def _days_off(session: Session, pair: Pair, user: str) -> list[date]:
    return list(session.scalars(select(DayOff.day).where(
        DayOff.pair_id == pair.id, or_(DayOff.user == user, DayOff.user.is_(None)))).all())


def _calendar(pair: Pair, hours: MemberCalendar | Pair, days_off: Iterable[date]) -> WorkingCalendar:
    return swedish_calendar(timezone=pair.timezone, start_min=hours.work_start_min, end_min=hours.work_end_min,
                           weekdays=frozenset(int(c) for c in hours.work_days), extra_days_off=frozenset(days_off))


def member_calendar(session: Session, pair: Pair, user: str) -> WorkingCalendar:
    """One member's own calendar: their hours (else the pair's defaults) and their days off."""
    return _calendar(pair, _member_row(session, pair, user) or pair, _days_off(session, pair, user))


def pair_calendar(session: Session, pair: Pair) -> WorkingCalendar:
    """When both work: the calendar of the Monday meeting and of every post in the pair's channel."""
    kso = member_calendar(session, pair, pair.kso_user)
    both = kso.both(member_calendar(session, pair, pair.kd_user))
    if both is None:
        # Setting a calendar refuses this; only two changes racing each other get here.
        log.warning("pair %s has no common working time; the KSO's calendar is used for the channel", pair.id)
        return kso
    return both


def calendar_for(session: Session, pair: Pair, user: str | None = None) -> WorkingCalendar:
    """The calendar a delivery follows: the recipient's for a member, else the pair's (both work)."""
    if user is not None and pair.role_of(user) is not None:
        return member_calendar(session, pair, user)
    return pair_calendar(session, pair)


def one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def create_pair(session: Session, *, team_id: str, channel_id: str, kso: str, kd: str, actor: str, now: datetime,
                timezone: str) -> Pair:
    """The pair itself, once both have agreed (see `bot.consent`)."""
    cal = swedish_calendar(timezone=timezone)
    local_today = now.astimezone(cal.tz).date()
    talk = one_year_after(local_today)
    while not cal.is_working_day(talk):  # the talk is held on a working day
        talk += timedelta(days=1)
    current = tenant.current()
    pair = Pair(
        team_id=team_id, enterprise_id=current.enterprise_id if current and current.team_id == team_id else None,
        channel_id=channel_id, kso_user=kso, kd_user=kd, timezone=timezone,
        work_start_min=8 * 60, work_end_min=17 * 60, work_days="12345", agenda_time_min=8 * 60,
        radsmote_time_min=13 * 60, next_talk=talk, created_by=actor, created_at=now, status="active",
    )
    session.add(pair)
    session.flush()
    audit.record(session, pair_id=pair.id, actor=actor, action="koppla", entity="pair", entity_id=pair.id,
                 at=now, after=audit.snapshot(pair, PAIR_FIELDS))
    return pair


def _change(session: Session, member: Member, now: datetime, action: str, **changes: object) -> None:
    pair = member.pair
    before = audit.snapshot(pair, tuple(changes))
    for key, value in changes.items():
        setattr(pair, key, value)
    audit.record(session, pair_id=pair.id, actor=member.user, action=action, entity="pair", entity_id=pair.id,
                 at=now, before=before, after=audit.snapshot(pair, tuple(changes)))


def parse_days(text: str) -> str:
    """'mån-fre', 'mån,tis,tor' → ISO weekday digits ('12345')."""
    days: set[int] = set()
    for part in text.lower().replace(" ", "").split(","):
        first, _sep, last = part.partition("-")
        try:
            a = DAY_NAMES[first[:3]]
            b = DAY_NAMES[last[:3]] if last else a
        except KeyError:
            raise UserError(_("Förstår inte dagarna {text}: skriv t.ex. `mån-fre` eller `mån,tis,ons`.").format(text=repr(text))) from None
        if b < a:
            raise UserError(_("Dagarna ska anges i ordning, t.ex. `mån-fre`."))
        days.update(range(a, b + 1))
    return "".join(str(d) for d in sorted(days))


def _check_calendar(session: Session, member: Member, own: WorkingCalendar, now: datetime) -> None:
    """Refuse a calendar with no working time within a year, alone or together with the other member."""
    if not own.has_working_time(now):
        raise UserError(_("Då skulle du inte ha någon arbetsdag alls det närmaste året, så inget meddelande skulle "
                          "nå dig. Behåll minst en arbetsdag, t.ex. `/samspel arbetstid 08:00-17:00 mån-fre`."))
    other = member.pair.other(member.user)
    both = own.both(member_calendar(session, member.pair, other))
    if both is None or not both.has_working_time(now):
        raise UserError(_("Då skulle du och <@{other}> inte ha någon gemensam arbetstid det närmaste året, och "
                          "måndagsmötet och agendan behöver en tid då ni båda arbetar. Se `/samspel status` för "
                          "er arbetstid, och välj tider och dagar som möts någon gång.").format(other=other))


def set_working_hours(session: Session, member: Member, text: str, now: datetime) -> str:
    """`arbetstid 08:00-17:00 [mån-fre]`: the caller's own working hours (and days)."""
    parts = text.split()
    if not parts:
        raise UserError(_("Skriv arbetstiden som `/samspel arbetstid 08:00-17:00` (och gärna dagar: `mån-fre`)."))
    start_text, sep, end_text = parts[0].partition("-")
    try:
        start, end = parse_hhmm(start_text), parse_hhmm(end_text)
    except ValueError:
        raise UserError(_("Förstår inte {text}: skriv t.ex. `08:00-17:00`.").format(text=repr(parts[0]))) from None
    if not sep or start >= end:
        raise UserError(_("Arbetstiden måste börja före den slutar, t.ex. `08:00-17:00`."))
    pair = member.pair
    row = _member_row(session, pair, member.user)
    days = parse_days(" ".join(parts[1:])) if len(parts) > 1 else (row or pair).work_days
    if not days:
        raise UserError(_("Ange minst en arbetsdag, t.ex. `mån-fre`."))
    changed = MemberCalendar(pair_id=pair.id, user=member.user, work_start_min=start, work_end_min=end,
                             work_days=days, changed_at=now)
    _check_calendar(session, member, _calendar(pair, changed, _days_off(session, pair, member.user)), now)
    fields = ("work_start_min", "work_end_min", "work_days")
    before = audit.snapshot(row or pair, fields)
    if row is None:
        session.add(changed)
        row = changed
    else:
        row.work_start_min, row.work_end_min, row.work_days, row.changed_at = start, end, days, now
    session.flush()
    audit.record(session, pair_id=pair.id, actor=member.user, action="arbetstid", entity="member_calendar",
                 entity_id=row.id, at=now, before={"user": member.user, **before},
                 after={"user": member.user, **audit.snapshot(row, fields)})
    emit(session, CalendarChanged(at=now, pair_id=pair.id, user=member.user))
    return _("Din arbetstid är nu {hours}. Meddelanden till dig följer den; måndagsmötet och kanalen följer tiden "
             "då ni båda arbetar.").format(hours=describe_hours(row, pair.timezone))


# `agendatid fredag 15:00`: the working day before the meeting (a Monday meeting's is normally Friday).
DAY_BEFORE_WORDS = ("fredag", "fre", "dagen före", "dagen innan", "föregående arbetsdag", "arbetsdagen före",
                    "friday", "day before")
MEETING_DAY_WORDS = ("måndag", "mån", "mötesdagen", "samma dag", "monday")


def parse_agenda_time(text: str) -> tuple[int, int]:
    """'08:00' → (0, 480); 'fredag 15:00' → (1, 900): (working days before the meeting, minutes)."""
    words, _sep, clock = text.strip().lower().rpartition(" ")
    words = " ".join(words.split())
    try:
        minutes = parse_hhmm(clock)
    except ValueError:
        raise UserError(_("Skriv tiden som `/samspel agendatid 08:00` (på mötesdagen) eller "
                          "`/samspel agendatid fredag 15:00` (arbetsdagen före mötet).")) from None
    if not words or words in MEETING_DAY_WORDS:
        return 0, minutes
    if words in DAY_BEFORE_WORDS:
        return 1, minutes
    raise UserError(_("Agendan kan komma på mötesdagen eller arbetsdagen före: skriv `/samspel agendatid 08:00` "
                      "eller `/samspel agendatid fredag 15:00`."))


def set_agenda_time(session: Session, member: Member, text: str, now: datetime) -> str:
    days_before, minutes = parse_agenda_time(text)
    both = pair_calendar(session, member.pair)
    start, end = format_hhmm(both.start_min), format_hhmm(both.end_min)
    if days_before and not both.start_min <= minutes < both.end_min:
        # Outside working time the respekt gate would hold it to the meeting morning, which defeats the point.
        raise UserError(_("Dagen före mötet kan agendan komma inom er gemensamma arbetstid, {start}–{end}: välj en "
                          "tid däremellan, t.ex. `/samspel agendatid fredag 15:00`.").format(start=start, end=end))
    _change(session, member, now, "agendatid", agenda_time_min=minutes, agenda_days_before=days_before)
    if days_before:
        return _("Agendan kommer kl. {time} arbetsdagen före mötet (fredag, när mötet är på måndag). Fram till mötet "
                 "hålls den aktuell med det som läggs till.").format(time=format_hhmm(minutes))
    if not both.start_min <= minutes < both.end_min:
        # The bot obeys the respekt rule too: the agenda waits for working time.
        return _("Agendatiden är {time}, men den ligger utanför er gemensamma arbetstid ({start}–{end}), så agendan "
                 "kommer först kl. {start}. Vill ni ha den tidigare: ändra er arbetstid med "
                 "`/samspel arbetstid {time}-{end}`.").format(time=format_hhmm(minutes), start=start, end=end)
    return _("Måndagsagendan kommer kl. {time} på veckans första arbetsdag.").format(time=format_hhmm(minutes))


def agenda_time_text(pair: Pair) -> str:
    """When the agenda comes, as `/samspel status` says it."""
    if pair.agenda_days_before:
        return _("kl. {time} arbetsdagen före mötet, och hålls aktuell fram till mötet").format(
            time=format_hhmm(pair.agenda_time_min))
    return _("kl. {time} på veckans första arbetsdag").format(time=format_hhmm(pair.agenda_time_min))


def set_radsmote(session: Session, member: Member, text: str, now: datetime,
                 check: Callable[[str], None] | None = None) -> str:
    """`rådsmöte #kanal [13:00]` or `rådsmöte av`; `check` asks Slack whether the channel may be used."""
    if text.strip().lower() in ("av", "ingen", "stäng"):
        _change(session, member, now, "rådsmöte", radsmote_channel=None)
        return _("Rådsmötesagendan är avstängd.")
    match = _CHANNEL_REF.search(text)
    if not match:
        raise UserError(_("Ange kanalen så här: `/samspel rådsmöte #kanal` (och gärna tid: `13:00`)."))
    rest = _CHANNEL_REF.sub("", text).strip()
    minutes = member.pair.radsmote_time_min
    if rest:
        try:
            minutes = parse_hhmm(rest)
        except ValueError:
            raise UserError(_("Förstår inte tiden {text}: skriv t.ex. `13:00`.").format(text=repr(rest))) from None
    if check is not None:
        check(match.group(1))
    _change(session, member, now, "rådsmöte", radsmote_channel=match.group(1), radsmote_time_min=minutes)
    return _("Rådsmötesagendan postas i <#{channel}> kl. {time} på mötesdagen.").format(
        channel=match.group(1), time=format_hhmm(minutes))


def set_talk_date(session: Session, member: Member, text: str, now: datetime) -> str:
    # Seed 004: the talk "genomförs av kommunstyrelsens ordförande med kommundirektören".
    if not member.is_kso:
        raise UserError(_("Bara KSO bestämmer datum för utvecklingssamtalet, som KSO håller med KD."))
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(_("Skriv datumet som `/samspel utvecklingssamtal ÅÅÅÅ-MM-DD`.")) from None
    today = now.astimezone(swedish_calendar(timezone=member.pair.timezone).tz).date()
    if day < today:
        raise UserError(_("{day} har redan varit: välj ett kommande datum.").format(day=day.isoformat()))
    _change(session, member, now, "utvecklingssamtal_datum", next_talk=day)
    return talk_date_answer(calendar_for(session, member.pair), day, today)


TALK_STAGES = ((N_("fyra veckor innan"), 28), (N_("en vecka innan"), 7), (N_("på dagen"), 0))


def talk_date_answer(cal: WorkingCalendar, day: date, today: date) -> str:
    """What `/samspel utvecklingssamtal` answers: the day, the reminders still to come, and a day off."""
    lines = [_("Nästa utvecklingssamtal är {iso} ({day} {year}).").format(iso=day.isoformat(), day=fmt_date(day), year=day.year)]
    coming = [_(label) for label, days in TALK_STAGES if day - timedelta(days=days) > today]
    passed = len(coming) < len(TALK_STAGES)
    if coming:
        stages = coming[0] if len(coming) == 1 else _("{first} och {last}").format(first=", ".join(coming[:-1]), last=coming[-1])
        lines.append((_("Ni får en påminnelse snart och sedan {stages}.") if passed else _("Ni får påminnelser {stages}.")).format(stages=stages))
    else:
        lines.append(_("Ni får en påminnelse snart."))
    reason = day_off_reason(cal, day)
    if reason:
        lines.append(_(":warning: Det är en ledig dag ({reason}): påminnelsen på dagen kommer först nästa arbetsdag. "
                       "Välj en arbetsdag med `/samspel utvecklingssamtal ÅÅÅÅ-MM-DD`.").format(reason=reason))
    return " ".join(lines)


def parse_days_off(text: str, today: date) -> tuple[date, date, str]:
    """'2027-07-05..2027-07-30 semester' → (first, last, note); a single day is a range of one."""
    span, _sep, note = text.strip().partition(" ")
    first_text, dots, last_text = span.partition("..")
    usage = _("Skriv den lediga dagen som `/samspel ledig ÅÅÅÅ-MM-DD`, eller flera i följd som "
              "`/samspel ledig 2027-07-05..2027-07-30 semester`.")
    try:
        first = date.fromisoformat(first_text)
        last = date.fromisoformat(last_text) if dots else first
    except ValueError:
        raise UserError(usage) from None
    if last < first:
        raise UserError(_("Den sista dagen kommer före den första: skriv t.ex. `2027-07-05..2027-07-30`."))
    if (last - first).days + 1 > MAX_DAYS_OFF_RANGE:
        raise UserError(_("Högst {limit} dagar åt gången: dela upp ledigheten.").format(limit=MAX_DAYS_OFF_RANGE))
    if last < today:
        raise UserError(_("{day} har redan varit: ange kommande lediga dagar.").format(day=last.isoformat()))
    return max(first, today), last, note.strip()[:200]


def add_day_off(session: Session, member: Member, text: str, now: datetime) -> str:
    """`ledig ÅÅÅÅ-MM-DD[..ÅÅÅÅ-MM-DD] [anteckning]`: the caller's own days off (a klämdag, a holiday)."""
    pair = member.pair
    own = member_calendar(session, pair, member.user)
    first, last, note = parse_days_off(text, own.local(now).date())
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    have = set(_days_off(session, pair, member.user))
    new = [d for d in days if d not in have]
    if new:
        candidate = swedish_calendar(timezone=own.timezone, start_min=own.start_min, end_min=own.end_min,
                                    weekdays=own.weekdays, extra_days_off=own.extra_days_off | frozenset(new))
        _check_calendar(session, member, candidate, now)
        session.add_all(DayOff(pair_id=pair.id, user=member.user, day=d, note=note) for d in new)
        audit.record(session, pair_id=pair.id, actor=member.user, action="ledig_dag", entity="pair",
                     entity_id=pair.id, at=now, after={"user": member.user, "day": new[0].isoformat(),
                                                       "last": new[-1].isoformat(), "days": len(new), "note": note})
        emit(session, CalendarChanged(at=now, pair_id=pair.id, user=member.user))
    if first == last:
        return _("{day} räknas nu som ledig dag för dig. Meddelanden till dig väntar till nästa arbetsdag.").format(
            day=first.isoformat())
    return _("{first}–{last} ({count} dagar) räknas nu som lediga dagar för dig. Meddelanden till dig väntar "
             "till nästa arbetsdag.").format(first=first.isoformat(), last=last.isoformat(), count=len(days))


def describe_hours(hours: Pair | MemberCalendar | WorkingCalendar, timezone: str | None = None) -> str:
    """'mån–fre 08:00–17:00 (Europe/Stockholm)' for a pair, one member's hours or a calendar."""
    names = {v: k for k, v in DAY_NAMES.items()}
    if language() == "en":
        names = dict(enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), start=1))
    if isinstance(hours, WorkingCalendar):
        digits, start, end, tz = sorted(hours.weekdays), hours.start_min, hours.end_min, hours.timezone
    else:
        digits, start, end = [int(c) for c in hours.work_days], hours.work_start_min, hours.work_end_min
        tz = timezone or str(getattr(hours, "timezone", None) or "Europe/Stockholm")
    contiguous = digits == list(range(digits[0], digits[-1] + 1)) if digits else False
    days = f"{names[digits[0]]}–{names[digits[-1]]}" if contiguous and len(digits) > 1 else ", ".join(names[d] for d in digits)
    return f"{days} {format_hhmm(start)}–{format_hhmm(end)} ({tz})"


def day_ranges(days: Sequence[date]) -> str:
    """'2027-07-05–2027-07-30, 2027-08-14': consecutive days shown as one range."""
    parts: list[str] = []
    ordered = sorted(set(days))
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] - ordered[j] == timedelta(days=1):
            j += 1
        parts.append(ordered[i].isoformat() if i == j else f"{ordered[i].isoformat()}–{ordered[j].isoformat()}")
        i = j + 1
    return ", ".join(parts)


@dataclass(frozen=True)
class PersonCalendar:
    """One member's calendar as `/samspel status` shows it."""

    role: str
    user: str
    hours: str
    days_off: list[date]


@dataclass(frozen=True)
class PairStatus:
    pair: Pair
    held: int
    failed: int
    last_failure: str | None
    days_off: list[date]
    people: list[PersonCalendar]
    both: str | None


def status(session: Session, pair: Pair, now: datetime) -> PairStatus:
    held = session.scalar(
        select(func.count(Meddelande.id))
        .join(OutboxMessage, OutboxMessage.id == Meddelande.outbox_id)
        .where(Meddelande.pair_id == pair.id, OutboxMessage.status == "pending", OutboxMessage.deliver_after > now)
    ) or 0
    failed_rows = session.scalars(
        select(OutboxMessage).where(OutboxMessage.pair_id == pair.id, OutboxMessage.status == "failed")
        .order_by(OutboxMessage.id.desc())
    ).all()
    today = now.astimezone(swedish_calendar(timezone=pair.timezone).tz).date()
    days_off = session.scalars(
        select(DayOff.day).where(DayOff.pair_id == pair.id, DayOff.day >= today).order_by(DayOff.day)
    ).all()
    people, cals = [], []
    for role, user in (("KSO", pair.kso_user), ("KD", pair.kd_user)):
        cal = member_calendar(session, pair, user)
        cals.append(cal)
        people.append(PersonCalendar(role=role, user=user, hours=describe_hours(cal),
                                     days_off=sorted(d for d in cal.extra_days_off if d >= today)))
    both = cals[0].both(cals[1])
    return PairStatus(pair=pair, held=held, failed=len(failed_rows),
                      last_failure=failed_rows[0].last_error if failed_rows else None, days_off=sorted(set(days_off)),
                      people=people, both=describe_hours(both) if both else None)


def status_text(st: PairStatus) -> str:
    p = st.pair
    radsmote = (_("<#{channel}> kl. {time}").format(channel=p.radsmote_channel, time=format_hhmm(p.radsmote_time_min))
                if p.radsmote_channel else _("inte inställt"))
    lines = [
        _("*Samspel i <#{channel}>*").format(channel=p.channel_id),
        *([_(":pause_button: Paret är pausat: inget postas eller skickas förrän ni båda och Samspel är med i kanalen "
             "igen. Upplös paret med `/samspel lämna`.")] if p.status == "paused" else []),
        f"• KSO: <@{p.kso_user}>  •  KD: <@{p.kd_user}>",
        *[line for person in st.people for line in (
            _("• Arbetstid {role} <@{user}>: {hours}").format(role=person.role, user=person.user, hours=person.hours),
            *([_("  Lediga dagar: {days}").format(days=day_ranges(person.days_off))] if person.days_off else []),
        )],
        _("• Gemensam arbetstid (måndagsmötet och kanalen): {hours}").format(
            hours=st.both or _("ingen: ändra er arbetstid med `/samspel arbetstid`")),
        _("• Måndagsagenda: {when}").format(when=agenda_time_text(p)),
        _("• Rådsmöte: {radsmote}").format(radsmote=radsmote),
        _("• Nästa utvecklingssamtal: {day}").format(day=fmt_iso(p.next_talk)),
        _("• Meddelanden som hålls enligt respektregeln: {held}").format(held=st.held),
    ]
    if st.failed:
        lines.append(_("• :warning: {failed} meddelanden kunde inte levereras (senast: {error}). "
                       "Kontrollera att Samspel är inbjuden i kanalen.").format(failed=st.failed, error=st.last_failure))
    return "\n".join(lines)


def answer_actor(session: Session, *, channel: str | None, user: str, text: str, now: datetime,
                 pair_id: int | None = None) -> None:
    """The private answer to whoever pressed a button or sent a form (the actor: no respekt wait).

    An ephemeral where the bot is known to be: a pair channel, or a conversation it has
    posted in (its DM with the user). Anywhere else (a DM between colleagues, the Home tab)
    Slack would refuse an ephemeral from the bot, so a DM.
    """
    if channel and _bot_is_in(session, channel):
        enqueue(session, kind="ephemeral", now=now, channel=channel, user=user, pair_id=pair_id, text=text)
    else:
        enqueue(session, kind="dm", now=now, user=user, pair_id=pair_id, text=text)


def _bot_is_in(session: Session, channel: str) -> bool:
    if live_pair_in(session, channel) is not None:
        return True
    return session.scalar(select(OutboxMessage.id).where(OutboxMessage.sent_channel == channel).limit(1)) is not None


def tell_about_failure(session: Session, row: OutboxMessage, now: datetime) -> None:
    """Outbox hook: a channel post that could not be delivered is reported to the pair.

    Usually Samspel is not a member of the channel (a new rådsmöte channel, say); the
    note says how to fix it. Failed DMs are only logged and shown in `/samspel status`,
    since telling about them by DM could fail the same way.
    """
    if row.kind != "post" or row.pair_id is None:
        return
    pair = session.get(Pair, row.pair_id)
    if pair is None:
        return
    text = _(":warning: Samspel kunde inte posta i <#{channel}> ({error}). Bjud in Samspel där med `/invite @Samspel`, "
             "eller ändra kanalen med `/samspel rådsmöte #kanal`.").format(channel=row.channel, error=row.last_error)
    for user in (pair.kso_user, pair.kd_user):
        enqueue(session, kind="dm", now=now, user=user, pair_id=pair.id, text=text,
                deliver_after=deliver_after(calendar_for(session, pair, user), now), respekt=True)
