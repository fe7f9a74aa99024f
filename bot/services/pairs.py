"""Pairs: connecting a channel to one KSO and one KD, their settings, and membership checks.

One function per use case; each returns a dataclass that `bot.presenters.pairs` words, and a
refusal is a `UserError` with the Swedish source text and its fields. Reading what people
type (arbetstid, ledig, agendatid …) is pure and lives in `bot.domain.pairs`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.adapters.holidays import swedish_calendar
from bot.db import STABLE_CALENDARS
from bot.domain import pairs as rules
from bot.domain.calendar import WorkingCalendar, format_hhmm
from bot.domain.events import AgendaTimeChanged, CalendarChanged, RadsmoteChanged, TalkDateChanged
from bot.domain.pairs import Invalid, TalkReminders, one_year_after
from bot.errors import UserError
from bot.i18n import N_
from bot.models import DayOff, Meddelande, MemberCalendar, OutboxMessage, Pair
from bot.outbox import enqueue
from bot.services import audit, tenant
from bot.services import people as people_service
from bot.services.unit_of_work import emit

log = logging.getLogger(__name__)

NOT_MEMBER = N_("Det här kan bara parets KSO och KD använda.")
NO_PAIR = N_("Den här kanalen är inte kopplad till något par. Koppla den med `/samspel koppla @kso @kd`.")

PAIR_FIELDS = (
    "channel_id",
    "kso_user",
    "kd_user",
    "timezone",
    "work_start_min",
    "work_end_min",
    "work_days",
    "agenda_time_min",
    "agenda_days_before",
    "radsmote_channel",
    "radsmote_time_min",
    "next_talk",
)


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
PAUSED = N_(
    "Ert par är pausat eftersom någon av er eller Samspel har lämnat kanalen. Bjud in igen (`/invite`) så "
    "fortsätter allt, eller upplös paret med `/samspel lämna`."
)


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
    if pair is None:
        pairs = session.scalars(select(Pair).where(or_(Pair.kso_user == user_id, Pair.kd_user == user_id), LIVE, *in_team(team_id))).all()
        if len(pairs) > 1:
            raise UserError(N_("Du finns i flera par: använd kommandot i parets egen kanal."))
        pair = pairs[0] if pairs else None
    if pair is not None:
        tenant.note_pair(pair.id)
    return pair


def require_member(
    session: Session, *, channel_id: str | None, user_id: str, allow_paused: bool = False, team_id: str | None = None
) -> Member:
    """The actor's membership, or a refusal that reveals nothing about the pair."""
    pair = find_pair(session, channel_id=channel_id, user_id=user_id, team_id=team_id)
    if pair is None:
        raise UserError(NOT_MEMBER if live_pair_in(session, channel_id, team_id=team_id) is not None else NO_PAIR)
    member = member_of_pair(pair, user_id)
    if pair.status == "paused" and not allow_paused:
        raise UserError(PAUSED)
    return member


DISSOLVED = N_("Paret är upplöst: inget ändras eller skickas längre för det. Ett nytt par kopplas med `/samspel koppla @kso @kd`.")


def member_of_pair(pair: Pair | None, user: str) -> Member:
    """The clicker's membership of the pair a button or form belongs to.

    An old message's buttons outlive the pair: once it is dissolved (or its workspace removed
    Samspel) they change nothing, as its commands do not.
    """
    role = pair.role_of(user) if pair is not None else None
    if pair is None or role is None:
        raise UserError(NOT_MEMBER)
    if pair.status == "dissolved":
        raise UserError(DISSOLVED)
    if pair.status == "paused" and pair.status_reason == UNINSTALLED:
        raise UserError(NOT_INSTALLED)
    return Member(pair=pair, user=user, role=role)


def get_pair(session: Session, pair_id: int) -> Pair:
    pair = session.get(Pair, pair_id)
    if pair is None:
        raise UserError(N_("Det finns inget par med id {pair_id}."), pair_id=pair_id)
    return pair


# --- calendars: each person's own, and the pair's (when both work) --------------
#
# A message to one person (a DM) follows that person's calendar. A post in the pair's
# channel, and the Monday meeting itself, follow the pair calendar: the time when BOTH
# work (common weekdays, the overlap of the hours, either person's days off). Setting
# a calendar that leaves no working time within a year, alone or together, is refused.


def _member_row(session: Session, pair: Pair, user: str) -> MemberCalendar | None:
    return session.scalar(select(MemberCalendar).where(MemberCalendar.pair_id == pair.id, MemberCalendar.user == user))


def _days_off(session: Session, pair: Pair, user: str) -> list[date]:
    return list(session.scalars(select(DayOff.day).where(DayOff.pair_id == pair.id, or_(DayOff.user == user, DayOff.user.is_(None)))).all())


def _calendar(pair: Pair, hours: MemberCalendar | Pair, days_off: Iterable[date]) -> WorkingCalendar:
    return swedish_calendar(
        timezone=pair.timezone,
        start_min=hours.work_start_min,
        end_min=hours.work_end_min,
        weekdays=frozenset(int(c) for c in hours.work_days),
        extra_days_off=frozenset(days_off),
    )


def member_calendar(session: Session, pair: Pair, user: str) -> WorkingCalendar:
    """One member's own calendar: their hours (else the pair's defaults) and their days off."""
    return _calendar(pair, _member_row(session, pair, user) or pair, _days_off(session, pair, user))


def pair_calendar(session: Session, pair: Pair) -> WorkingCalendar:
    """When both work: the calendar of the Monday meeting and of every post in the pair's channel."""
    return _both(pair, member_calendar(session, pair, pair.kso_user), member_calendar(session, pair, pair.kd_user))


def _both(pair: Pair, kso: WorkingCalendar, kd: WorkingCalendar) -> WorkingCalendar:
    both = kso.both(kd)
    if both is None:
        # Setting a calendar refuses this; only two changes racing each other get here.
        log.warning("pair %s has no common working time; the KSO's calendar is used for the channel", pair.id)
        return kso
    return both


def calendar_for(session: Session, pair: Pair, user: str | None = None) -> WorkingCalendar:
    """The calendar a delivery follows: the recipient's for a member, else the pair's (both work)."""
    member = user if user is not None and pair.role_of(user) is not None else None
    memo: dict[tuple[int, str | None], WorkingCalendar] | None = session.info.get(STABLE_CALENDARS)
    if memo is not None and (pair.id, member) in memo:
        return memo[(pair.id, member)]
    cal = member_calendar(session, pair, member) if member is not None else pair_calendar(session, pair)
    if memo is not None:
        memo[(pair.id, member)] = cal
    return cal


def prefetch_calendars(session: Session, pairs: Iterable[Pair]) -> None:
    """Build these pairs' calendars (each member's and the pair's) in two queries, for `calendar_for` to find.

    Only in a session marked `bot.db.stable_calendars` (elsewhere a no-op): a batch of
    deliveries asks for many pairs' calendars, and one pair at a time costs two queries each.
    """
    memo: dict[tuple[int, str | None], WorkingCalendar] | None = session.info.get(STABLE_CALENDARS)
    todo = {p.id: p for p in pairs if memo is not None and (p.id, None) not in memo}
    if memo is None or not todo:
        return
    hours = {(r.pair_id, r.user): r for r in session.scalars(select(MemberCalendar).where(MemberCalendar.pair_id.in_(list(todo))))}
    days: dict[tuple[int, str | None], list[date]] = {}
    for pair_id, user, day in session.execute(select(DayOff.pair_id, DayOff.user, DayOff.day).where(DayOff.pair_id.in_(list(todo)))):
        days.setdefault((pair_id, user), []).append(day)
    for pair in todo.values():
        kso, kd = (
            memo.get((pair.id, user))
            or _calendar(pair, hours.get((pair.id, user)) or pair, days.get((pair.id, user), []) + days.get((pair.id, None), []))
            for user in (pair.kso_user, pair.kd_user)
        )
        memo.setdefault((pair.id, pair.kso_user), kso)
        memo.setdefault((pair.id, pair.kd_user), kd)
        memo[(pair.id, None)] = _both(pair, kso, kd)


def create_pair(session: Session, *, team_id: str, channel_id: str, kso: str, kd: str, actor: str, now: datetime, timezone: str) -> Pair:
    """The pair itself, once both have agreed (see `bot.services.consent`)."""
    cal = swedish_calendar(timezone=timezone)
    local_today = now.astimezone(cal.tz).date()
    talk = one_year_after(local_today)
    while not cal.is_working_day(talk):  # the talk is held on a working day
        talk += timedelta(days=1)
    current = tenant.current()
    pair = Pair(
        team_id=team_id,
        enterprise_id=current.enterprise_id if current and current.team_id == team_id else None,
        channel_id=channel_id,
        kso_user=kso,
        kd_user=kd,
        timezone=timezone,
        work_start_min=8 * 60,
        work_end_min=17 * 60,
        work_days="12345",
        agenda_time_min=8 * 60,
        radsmote_time_min=13 * 60,
        next_talk=talk,
        created_by=actor,
        created_at=now,
        status="active",
    )
    session.add(pair)
    session.flush()
    audit.record(
        session,
        pair_id=pair.id,
        actor=actor,
        action="koppla",
        entity="pair",
        entity_id=pair.id,
        at=now,
        after=audit.snapshot(pair, PAIR_FIELDS),
    )
    return pair


_SettingEvent = type[AgendaTimeChanged | RadsmoteChanged | TalkDateChanged]


def _change(session: Session, member: Member, now: datetime, action: str, changed: _SettingEvent, **changes: object) -> None:
    """Change the pair's settings, audited, and raise `changed`, the event that says which."""
    pair = member.pair
    before = audit.snapshot(pair, tuple(changes))
    for key, value in changes.items():
        setattr(pair, key, value)
    audit.record(
        session,
        pair_id=pair.id,
        actor=member.user,
        action=action,
        entity="pair",
        entity_id=pair.id,
        at=now,
        before=before,
        after=audit.snapshot(pair, tuple(changes)),
    )
    emit(session, changed(at=now, pair_id=pair.id))


# --- reading the settings: the domain's codes as refusals ---------------------------------

REFUSALS = {
    "days_unreadable": N_("Förstår inte dagarna {text}: skriv t.ex. `mån-fre` eller `mån,tis,ons`."),
    "days_out_of_order": N_("Dagarna ska anges i ordning, t.ex. `mån-fre`."),
    "hours_missing": N_("Skriv arbetstiden som `/samspel arbetstid 08:00-17:00` (och gärna dagar: `mån-fre`)."),
    "hours_unreadable": N_("Förstår inte {text}: skriv t.ex. `08:00-17:00`."),
    "hours_backwards": N_("Arbetstiden måste börja före den slutar, t.ex. `08:00-17:00`."),
    "no_days": N_("Ange minst en arbetsdag, t.ex. `mån-fre`."),
    "agenda_time_unreadable": N_(
        "Skriv tiden som `/samspel agendatid 08:00` (på mötesdagen) eller `/samspel agendatid fredag 15:00` (arbetsdagen före mötet)."
    ),
    "agenda_day_unknown": N_(
        "Agendan kan komma på mötesdagen eller arbetsdagen före: skriv `/samspel agendatid 08:00` eller `/samspel agendatid fredag 15:00`."
    ),
    "radsmote_no_channel": N_("Ange kanalen så här: `/samspel rådsmöte #kanal` (och gärna tid: `13:00`)."),
    "radsmote_time_unreadable": N_("Förstår inte tiden {text}: skriv t.ex. `13:00`."),
    "talk_date_unreadable": N_("Skriv datumet som `/samspel utvecklingssamtal ÅÅÅÅ-MM-DD`."),
    "talk_date_past": N_("{day} har redan varit: välj ett kommande datum."),
    "days_off_unreadable": N_(
        "Skriv den lediga dagen som `/samspel ledig ÅÅÅÅ-MM-DD`, eller flera i följd som `/samspel ledig 2027-07-05..2027-07-30 semester`."
    ),
    "days_off_backwards": N_("Den sista dagen kommer före den första: skriv t.ex. `2027-07-05..2027-07-30`."),
    "days_off_too_many": N_("Högst {limit} dagar åt gången: dela upp ledigheten."),
    "days_off_past": N_("{day} har redan varit: ange kommande lediga dagar."),
}

T = TypeVar("T")


def _read(parse: Callable[..., T], *args: Any) -> T:
    """A domain reading, with its `Invalid` turned into the refusal the person sees."""
    try:
        return parse(*args)
    except Invalid as err:
        raise UserError(REFUSALS[err.kind], **err.fields) from None


def parse_days(text: str) -> str:
    """'mån-fre', 'mån,tis,tor' → ISO weekday digits ('12345'), or the refusal."""
    return _read(rules.parse_days, text)


def _check_calendar(session: Session, member: Member, own: WorkingCalendar, now: datetime) -> None:
    """Refuse a calendar with no working time within a year, alone or together with the other member."""
    if not own.has_working_time(now):
        raise UserError(
            N_(
                "Då skulle du inte ha någon arbetsdag alls det närmaste året, så inget meddelande skulle "
                "nå dig. Behåll minst en arbetsdag, t.ex. `/samspel arbetstid 08:00-17:00 mån-fre`."
            )
        )
    other = member.pair.other(member.user)
    both = own.both(member_calendar(session, member.pair, other))
    if both is None or not both.has_working_time(now):
        raise UserError(
            N_(
                "Då skulle du och <@{other}> inte ha någon gemensam arbetstid det närmaste året, och "
                "måndagsmötet och agendan behöver en tid då ni båda arbetar. Se `/samspel status` för "
                "er arbetstid, och välj tider och dagar som möts någon gång."
            ),
            other=other,
        )


# --- the settings: one use case each -------------------------------------------------------


@dataclass(frozen=True)
class HoursSet:
    """The caller's own working hours, as now stored."""

    start_min: int
    end_min: int
    work_days: str
    timezone: str


def set_working_hours(session: Session, member: Member, text: str, now: datetime) -> HoursSet:
    """`arbetstid 08:00-17:00 [mån-fre]`: the caller's own working hours (and days)."""
    hours = _read(rules.parse_hours, text)
    pair = member.pair
    row = _member_row(session, pair, member.user)
    days = hours.days or (row or pair).work_days
    changed = MemberCalendar(
        pair_id=pair.id, user=member.user, work_start_min=hours.start, work_end_min=hours.end, work_days=days, changed_at=now
    )
    _check_calendar(session, member, _calendar(pair, changed, _days_off(session, pair, member.user)), now)
    fields = ("work_start_min", "work_end_min", "work_days")
    before = audit.snapshot(row or pair, fields)
    if row is None:
        session.add(changed)
        row = changed
    else:
        row.work_start_min, row.work_end_min, row.work_days, row.changed_at = hours.start, hours.end, days, now
    session.flush()
    audit.record(
        session,
        pair_id=pair.id,
        actor=member.user,
        action="arbetstid",
        entity="member_calendar",
        entity_id=row.id,
        at=now,
        before={"user": member.user, **before},
        after={"user": member.user, **audit.snapshot(row, fields)},
    )
    emit(session, CalendarChanged(at=now, pair_id=pair.id, user=member.user))
    return HoursSet(row.work_start_min, row.work_end_min, row.work_days, pair.timezone)


@dataclass(frozen=True)
class AgendaTimeSet:
    """When the agenda now comes, and the pair's common working hours it is weighed against."""

    minutes: int
    days_before: int
    both_start_min: int
    both_end_min: int

    @property
    def within_working_time(self) -> bool:
        return self.both_start_min <= self.minutes < self.both_end_min


def set_agenda_time(session: Session, member: Member, text: str, now: datetime) -> AgendaTimeSet:
    """`agendatid [fredag] 08:00`: on the meeting day, or the working day before it."""
    days_before, minutes = _read(rules.parse_agenda_time, text)
    both = pair_calendar(session, member.pair)
    result = AgendaTimeSet(minutes, days_before, both.start_min, both.end_min)
    if days_before and not result.within_working_time:
        # Outside working time the respekt gate would hold it to the meeting morning, which defeats the point.
        raise UserError(
            N_(
                "Dagen före mötet kan agendan komma inom er gemensamma arbetstid, {start}–{end}: välj en "
                "tid däremellan, t.ex. `/samspel agendatid fredag 15:00`."
            ),
            start=format_hhmm(both.start_min),
            end=format_hhmm(both.end_min),
        )
    _change(session, member, now, "agendatid", AgendaTimeChanged, agenda_time_min=minutes, agenda_days_before=days_before)
    return result


@dataclass(frozen=True)
class RadsmoteSet:
    """Where and when the rådsmöte agenda is posted; channel None when it was turned off."""

    channel: str | None
    minutes: int


def set_radsmote(session: Session, member: Member, text: str, now: datetime, check: Callable[[str], None] | None = None) -> RadsmoteSet:
    """`rådsmöte #kanal [13:00]` or `rådsmöte av`; `check` asks Slack whether the channel may be used."""
    wanted = _read(rules.parse_radsmote, text)
    if wanted.channel is None:
        _change(session, member, now, "rådsmöte", RadsmoteChanged, radsmote_channel=None)
        return RadsmoteSet(None, member.pair.radsmote_time_min)
    minutes = member.pair.radsmote_time_min if wanted.minutes is None else wanted.minutes
    if check is not None:
        check(wanted.channel)
    _change(session, member, now, "rådsmöte", RadsmoteChanged, radsmote_channel=wanted.channel, radsmote_time_min=minutes)
    return RadsmoteSet(wanted.channel, minutes)


@dataclass(frozen=True)
class TalkDateSet:
    """The talk's new date, the reminders still to come, and why the day is a day off (if it is)."""

    day: date
    today: date
    reminders: TalkReminders
    day_off: str | None  # a bot.domain.calendar code, if the day is no working day


def set_talk_date(session: Session, member: Member, text: str, now: datetime) -> TalkDateSet:
    """`utvecklingssamtal ÅÅÅÅ-MM-DD`: only the KSO, who holds the talk with the KD."""
    if not rules.may_set_talk_date(member.role):
        raise UserError(N_("Bara KSO bestämmer datum för utvecklingssamtalet, som KSO håller med KD."))
    today = now.astimezone(swedish_calendar(timezone=member.pair.timezone).tz).date()
    day = _read(rules.parse_talk_date, text, today)
    _change(session, member, now, "utvecklingssamtal_datum", TalkDateChanged, next_talk=day)
    return TalkDateSet(day, today, rules.talk_reminders(day, today), calendar_for(session, member.pair).day_off(day))


@dataclass(frozen=True)
class DaysOffAdded:
    first: date
    last: date
    count: int


def add_day_off(session: Session, member: Member, text: str, now: datetime) -> DaysOffAdded:
    """`ledig ÅÅÅÅ-MM-DD[..ÅÅÅÅ-MM-DD] [anteckning]`: the caller's own days off (a klämdag, a holiday)."""
    pair = member.pair
    own = member_calendar(session, pair, member.user)
    wanted = _read(rules.parse_days_off, text, own.local(now).date())
    days = wanted.days
    have = set(_days_off(session, pair, member.user))
    new = [d for d in days if d not in have]
    if new:
        candidate = swedish_calendar(
            timezone=own.timezone,
            start_min=own.start_min,
            end_min=own.end_min,
            weekdays=own.weekdays,
            extra_days_off=own.extra_days_off | frozenset(new),
        )
        _check_calendar(session, member, candidate, now)
        session.add_all(DayOff(pair_id=pair.id, user=member.user, day=d, note=wanted.note) for d in new)
        audit.record(
            session,
            pair_id=pair.id,
            actor=member.user,
            action="ledig_dag",
            entity="pair",
            entity_id=pair.id,
            at=now,
            after={"user": member.user, "day": new[0].isoformat(), "last": new[-1].isoformat(), "days": len(new), "note": wanted.note},
        )
        emit(session, CalendarChanged(at=now, pair_id=pair.id, user=member.user))
    return DaysOffAdded(wanted.first, wanted.last, len(days))


# --- status ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonCalendar:
    """One member's calendar as `/samspel status` shows it: role is 'KSO' or 'KD'."""

    role: str
    user: str
    calendar: WorkingCalendar
    days_off: list[date]


@dataclass(frozen=True)
class PairStatus:
    pair: Pair
    held: int
    failed: int
    last_failure: str | None
    days_off: list[date]
    people: list[PersonCalendar]
    both: WorkingCalendar | None
    # What both see is in this language: the pair's own (`/samspel språk par`), else the KSO's.
    language: str = "sv"
    language_chosen: bool = False


def status(session: Session, pair: Pair, now: datetime) -> PairStatus:
    held = (
        session.scalar(
            select(func.count(Meddelande.id))
            .join(OutboxMessage, OutboxMessage.id == Meddelande.outbox_id)
            .where(Meddelande.pair_id == pair.id, OutboxMessage.status == "pending", OutboxMessage.deliver_after > now)
        )
        or 0
    )
    failed_rows = session.scalars(
        select(OutboxMessage).where(OutboxMessage.pair_id == pair.id, OutboxMessage.status == "failed").order_by(OutboxMessage.id.desc())
    ).all()
    today = now.astimezone(swedish_calendar(timezone=pair.timezone).tz).date()
    days_off = session.scalars(select(DayOff.day).where(DayOff.pair_id == pair.id, DayOff.day >= today).order_by(DayOff.day)).all()
    people = []
    for role, user in (("KSO", pair.kso_user), ("KD", pair.kd_user)):
        cal = member_calendar(session, pair, user)
        people.append(PersonCalendar(role=role, user=user, calendar=cal, days_off=sorted(d for d in cal.extra_days_off if d >= today)))
    return PairStatus(
        pair=pair,
        held=held,
        failed=len(failed_rows),
        last_failure=failed_rows[0].last_error if failed_rows else None,
        days_off=sorted(set(days_off)),
        people=people,
        both=people[0].calendar.both(people[1].calendar),
        language=people_service.pair_language(session, pair, people_service.default_language(session)),
        language_chosen=pair.language is not None,
    )


# --- answering whoever acted ----------------------------------------------------------------


def answer_actor(session: Session, *, channel: str | None, user: str, text: str, now: datetime, pair_id: int | None = None) -> None:
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
    team = tenant.team()
    in_workspace = (OutboxMessage.team_id == team,) if team else ()
    return session.scalar(select(OutboxMessage.id).where(OutboxMessage.sent_channel == channel, *in_workspace).limit(1)) is not None
