"""Pairs: connecting a channel to one KSO and one KD, their settings, and membership checks."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot import audit
from bot.domain.events import CalendarChanged
from bot.errors import UserError
from bot.i18n import N_, _, language
from bot.models import DayOff, Meddelande, OutboxMessage, Pair
from bot.outbox import enqueue
from bot.services.unit_of_work import emit
from bot.text import fmt_date, fmt_iso
from bot.worktime import WorkingCalendar, format_hhmm, parse_hhmm

NOT_MEMBER = N_("Det här kan bara parets KSO och KD använda.")
NO_PAIR = N_("Den här kanalen är inte kopplad till något par. Koppla den med `/samspel koppla @kso @kd`.")
DAY_NAMES = {"mån": 1, "tis": 2, "ons": 3, "tor": 4, "fre": 5, "lör": 6, "sön": 7}
_CHANNEL_REF = re.compile(r"<#([CG][A-Z0-9]+)(?:\|[^>]*)?>")

PAIR_FIELDS = ("channel_id", "kso_user", "kd_user", "timezone", "work_start_min", "work_end_min", "work_days",
               "agenda_time_min", "radsmote_channel", "radsmote_time_min", "next_talk")


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
PAUSED = N_("Ert par är pausat eftersom någon av er eller Samspel har lämnat kanalen. Bjud in igen (`/invite`) så "
            "fortsätter allt, eller upplös paret med `/samspel lämna`.")


def live_pair_in(session: Session, channel_id: str | None) -> Pair | None:
    """The channel's pair, active or paused; a dissolved pair no longer owns its channel."""
    if not channel_id:
        return None
    return session.scalar(select(Pair).where(Pair.channel_id == channel_id, LIVE))


def find_pair(session: Session, *, channel_id: str | None, user_id: str) -> Pair | None:
    """The pair for a request: the channel's pair, else the single pair the user belongs to."""
    pair = live_pair_in(session, channel_id)
    if pair is not None:
        return pair
    pairs = session.scalars(select(Pair).where(or_(Pair.kso_user == user_id, Pair.kd_user == user_id), LIVE)).all()
    if len(pairs) == 1:
        return pairs[0]
    if len(pairs) > 1:
        raise UserError(_("Du finns i flera par: använd kommandot i parets egen kanal."))
    return None


def require_member(session: Session, *, channel_id: str | None, user_id: str, allow_paused: bool = False) -> Member:
    """The actor's membership, or a refusal that reveals nothing about the pair."""
    pair = find_pair(session, channel_id=channel_id, user_id=user_id)
    if pair is None:
        raise UserError(NOT_MEMBER if live_pair_in(session, channel_id) is not None else NO_PAIR)
    role = pair.role_of(user_id)
    if role is None:
        raise UserError(NOT_MEMBER)
    if pair.status == "paused" and not allow_paused:
        raise UserError(PAUSED)
    return Member(pair=pair, user=user_id, role=role)


def get_pair(session: Session, pair_id: int) -> Pair:
    pair = session.get(Pair, pair_id)
    if pair is None:
        raise UserError(_("Det finns inget par med id {pair_id}.").format(pair_id=pair_id))
    return pair


def calendar_for(session: Session, pair: Pair) -> WorkingCalendar:
    days = session.scalars(select(DayOff.day).where(DayOff.pair_id == pair.id)).all()
    return WorkingCalendar.for_pair(pair, days)


def one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def create_pair(session: Session, *, team_id: str, channel_id: str, kso: str, kd: str, actor: str, now: datetime,
                timezone: str) -> Pair:
    """The pair itself, once both have agreed (see `bot.consent`)."""
    cal = WorkingCalendar(timezone=timezone)
    local_today = now.astimezone(cal.tz).date()
    talk = one_year_after(local_today)
    while not cal.is_working_day(talk):  # the talk is held on a working day
        talk += timedelta(days=1)
    pair = Pair(
        team_id=team_id, channel_id=channel_id, kso_user=kso, kd_user=kd, timezone=timezone,
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


def set_working_hours(session: Session, member: Member, text: str, now: datetime) -> str:
    """`arbetstid 08:00-17:00 [mån-fre]`."""
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
    days = parse_days(" ".join(parts[1:])) if len(parts) > 1 else member.pair.work_days
    _change(session, member, now, "arbetstid", work_start_min=start, work_end_min=end, work_days=days)
    emit(session, CalendarChanged(at=now, pair_id=member.pair.id))
    return _("Arbetstiden är nu {hours}.").format(hours=describe_hours(member.pair))


def set_agenda_time(session: Session, member: Member, text: str, now: datetime) -> str:
    try:
        minutes = parse_hhmm(text)
    except ValueError:
        raise UserError(_("Skriv tiden som `/samspel agendatid 08:00`.")) from None
    _change(session, member, now, "agendatid", agenda_time_min=minutes)
    pair = member.pair
    if not pair.work_start_min <= minutes < pair.work_end_min:
        # The bot obeys the respekt rule too: the agenda waits for working time.
        return _("Agendatiden är {time}, men den ligger utanför er arbetstid ({start}–{end}), så agendan kommer först "
                 "kl. {start}. Vill ni ha den tidigare: ändra arbetstiden med `/samspel arbetstid {time}-{end}`.").format(
            time=format_hhmm(minutes), start=format_hhmm(pair.work_start_min), end=format_hhmm(pair.work_end_min))
    return _("Måndagsagendan kommer kl. {time} på veckans första arbetsdag.").format(time=format_hhmm(minutes))


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
    today = now.astimezone(WorkingCalendar(timezone=member.pair.timezone).tz).date()
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
    reason = cal.day_off_reason(day)
    if reason:
        lines.append(_(":warning: Det är en ledig dag ({reason}): påminnelsen på dagen kommer först nästa arbetsdag. "
                       "Välj en arbetsdag med `/samspel utvecklingssamtal ÅÅÅÅ-MM-DD`.").format(reason=reason))
    return " ".join(lines)


def add_day_off(session: Session, member: Member, text: str, now: datetime) -> str:
    """`ledig ÅÅÅÅ-MM-DD [anteckning]`: a pair's own day off (e.g. a klämdag)."""
    first, _sep, note = text.strip().partition(" ")
    try:
        day = date.fromisoformat(first)
    except ValueError:
        raise UserError(_("Skriv den lediga dagen som `/samspel ledig ÅÅÅÅ-MM-DD`.")) from None
    pair = member.pair
    if session.scalar(select(DayOff.id).where(DayOff.pair_id == pair.id, DayOff.day == day)) is None:
        session.add(DayOff(pair_id=pair.id, day=day, note=note[:200]))
        audit.record(session, pair_id=pair.id, actor=member.user, action="ledig_dag", entity="pair",
                     entity_id=pair.id, at=now, after={"day": day.isoformat(), "note": note[:200]})
        emit(session, CalendarChanged(at=now, pair_id=pair.id))
    return _("{day} räknas nu som ledig dag för er båda.").format(day=day.isoformat())


def describe_hours(pair: Pair) -> str:
    names = {v: k for k, v in DAY_NAMES.items()}
    if language() == "en":
        names = dict(enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), start=1))
    digits = [int(c) for c in pair.work_days]
    contiguous = digits == list(range(digits[0], digits[-1] + 1)) if digits else False
    days = f"{names[digits[0]]}–{names[digits[-1]]}" if contiguous and len(digits) > 1 else ", ".join(names[d] for d in digits)
    return f"{days} {format_hhmm(pair.work_start_min)}–{format_hhmm(pair.work_end_min)} ({pair.timezone})"


@dataclass(frozen=True)
class PairStatus:
    pair: Pair
    held: int
    failed: int
    last_failure: str | None
    days_off: list[date]


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
    today = now.astimezone(WorkingCalendar(timezone=pair.timezone).tz).date()
    days_off = session.scalars(
        select(DayOff.day).where(DayOff.pair_id == pair.id, DayOff.day >= today).order_by(DayOff.day)
    ).all()
    return PairStatus(pair=pair, held=held, failed=len(failed_rows),
                      last_failure=failed_rows[0].last_error if failed_rows else None, days_off=list(days_off))


def status_text(st: PairStatus) -> str:
    p = st.pair
    radsmote = (_("<#{channel}> kl. {time}").format(channel=p.radsmote_channel, time=format_hhmm(p.radsmote_time_min))
                if p.radsmote_channel else _("inte inställt"))
    lines = [
        _("*Samspel i <#{channel}>*").format(channel=p.channel_id),
        *([_(":pause_button: Paret är pausat: inget postas eller skickas förrän ni båda och Samspel är med i kanalen "
             "igen. Upplös paret med `/samspel lämna`.")] if p.status == "paused" else []),
        f"• KSO: <@{p.kso_user}>  •  KD: <@{p.kd_user}>",
        _("• Arbetstid: {hours}").format(hours=describe_hours(p)),
        _("• Måndagsagenda: kl. {time} på veckans första arbetsdag").format(time=format_hhmm(p.agenda_time_min)),
        _("• Rådsmöte: {radsmote}").format(radsmote=radsmote),
        _("• Nästa utvecklingssamtal: {day}").format(day=fmt_iso(p.next_talk)),
        _("• Meddelanden som hålls enligt respektregeln: {held}").format(held=st.held),
    ]
    if st.days_off:
        lines.append(_("• Egna lediga dagar: {days}").format(days=", ".join(d.isoformat() for d in st.days_off)))
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
                deliver_after=calendar_for(session, pair).next_working_start(now), respekt=True)
