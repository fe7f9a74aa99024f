"""Onboarding: the first welcome, Samspel's word when it is invited to a channel, and the forms behind its buttons.

The forms (Koppla paret, the Nytt uppdrag shortcut, the Home tab's settings) end in the very use
cases of the commands they stand for (`/samspel koppla`, `/uppdrag … senast`, `/samspel arbetstid` …),
so the same rules and refusals hold. A form shows a refusal under the field it is about, so the
refusals here say which field: a `FieldRefused` names it as a role of the form ("kso", "kd",
"channel", "text", "deadline", "pair"), not as a Slack block id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot import jobruns
from bot.domain import consent as consent_rules
from bot.domain.calendar import WorkingCalendar
from bot.domain.consent import ChannelFacts
from bot.domain.events import BotJoinedChannel, HomeOpened, PersonWelcomed
from bot.errors import UserError
from bot.i18n import N_, Translator
from bot.models import Pair, PairProposal
from bot.services import consent, people, tenant
from bot.services import pairs as pair_service
from bot.services import uppdrag as uppdrag_service
from bot.services.pairs import LIVE, Member, calendar_for, live_pair_in, member_calendar, require_member
from bot.services.unit_of_work import emit

NO_PAIR_CHOSEN = N_("Välj en av era parkanaler.")


class FieldRefused(UserError):
    """A refusal of a form, with the field it belongs to; it reads as the refusal it wraps."""

    def __init__(self, field: str, error: UserError) -> None:
        super().__init__(error.text, **error.fields)
        self.field = field
        self.error = error

    def render(self, t: Translator) -> str:
        return self.error.render(t)


# --- the first Home tab, and Samspel's arrival in a channel -------------------------------


def open_home(session: Session, user: str, now: datetime) -> bool:
    """The person opened the Home tab; True the first time ever (then the welcome goes out too)."""
    first = people.welcome_once(session, user, now)
    if first:
        # Before HomeOpened: the welcome's Home tab is the one this open publishes.
        emit(session, PersonWelcomed(at=now, user=user))
    emit(session, HomeOpened(at=now, user=user))
    return first


def intro_key(team_id: str | None, channel: str) -> str:
    return f"kanalintro:{team_id or '-'}:{channel}"


def bot_joined(
    session: Session, *, channel: str, now: datetime, lookup: consent.Lookup, team_id: str | None = None, inviter: str | None = None
) -> bool:
    """Samspel was invited to `channel`: True when it will say there how to couple the pair (once per channel).

    Not in a pair's own channel (Samspel coming back resumes the pair instead) and not in a DM.
    `inviter` (who invited it, if Slack says) is the one reader the message has so far: it is in their language.
    """
    if not channel or live_pair_in(session, channel) is not None:
        return False
    facts = lookup(channel)
    if facts is not None and facts.kind in ("im", "mpim"):
        return False
    team = team_id or tenant.team()
    if not jobruns.claim(session, intro_key(team, channel), now=now, note="kanalintro"):
        return False
    public = facts is not None and facts.kind == "public"
    emit(session, BotJoinedChannel(at=now, channel=channel, public=public, team_id=team, inviter=inviter or None))
    return True


# --- Koppla paret ---------------------------------------------------------------------------


def _remembered(lookup: consent.Lookup) -> consent.Lookup:
    """The lookup asked once per channel: the form's checks and the proposal's read the same answer."""
    seen: dict[str, ChannelFacts | None] = {}

    def once(channel: str) -> ChannelFacts | None:
        if channel not in seen:
            seen[channel] = lookup(channel)
        return seen[channel]

    return once


def _proposal_field(problem: str, kso: str, bot_user: str | None) -> str:
    """Which of the two people a proposal refusal is about."""
    if problem == "bot_named":
        return "kso" if kso == bot_user else "kd"
    return "kd" if problem == "same_person" else "kso"


def _channel_field(facts: ChannelFacts | None, people_: tuple[str, str]) -> str:
    """A refusal about the channel belongs to it, unless it is that one of the two is not in it."""
    if consent_rules.pair_channel_problem(facts, people_) == "people_missing" and facts is not None:
        return "kso" if people_[0] not in facts.members else "kd"
    return "channel"


def propose_from_form(
    session: Session,
    *,
    team_id: str,
    channel_id: str,
    actor: str,
    kso: str,
    kd: str,
    now: datetime,
    timezone: str,
    bot_user: str | None,
    lookup: consent.Lookup,
) -> PairProposal:
    """The Koppla paret form: the same proposal (and consent) as `/samspel koppla @kso @kd`."""
    problem = consent_rules.proposal_problem([kso, kd], actor, bot_user)
    if problem is not None:
        raise FieldRefused(_proposal_field(problem, kso, bot_user), UserError(consent.PROPOSAL_REFUSALS[problem]))
    once = _remembered(lookup)
    try:
        return consent.propose(
            session,
            team_id=team_id,
            channel_id=channel_id,
            actor=actor,
            text=f"<@{kso}> <@{kd}>",
            now=now,
            timezone=timezone,
            bot_user=bot_user,
            lookup=once,
        )
    except FieldRefused:
        raise
    except UserError as err:
        raise FieldRefused(_channel_field(once(channel_id), (kso, kd)), err) from None


# --- Nytt uppdrag -----------------------------------------------------------------------------


@dataclass(frozen=True)
class UppdragForm:
    """Where the person may give an uppdrag: the pairs they are the KSO of, and whether they are in any pair at all."""

    pairs: list[Pair]
    in_a_pair: bool


def uppdrag_form(session: Session, user: str) -> UppdragForm:
    rows = session.scalars(
        select(Pair).where(or_(Pair.kso_user == user, Pair.kd_user == user), LIVE, *pair_service.in_team()).order_by(Pair.id)
    ).all()
    return UppdragForm(pairs=[p for p in rows if p.kso_user == user], in_a_pair=bool(rows))


def give_from_form(
    session: Session, *, user: str, channel_id: str | None, text: str, deadline: date | None, now: datetime
) -> uppdrag_service.Gave:
    """The Nytt uppdrag form: the same uppdrag (and notice to the KD) as `/uppdrag <text> senast <date>`."""
    pair = live_pair_in(session, channel_id)
    if pair is None:
        raise FieldRefused("pair", UserError(NO_PAIR_CHOSEN))
    try:
        member = require_member(session, channel_id=pair.channel_id, user_id=user)
    except UserError as err:
        raise FieldRefused("pair", err) from None
    try:
        return uppdrag_service.give(session, member, text, now, picked=True, deadline=deadline)
    except uppdrag_service.DeadlineRefused:
        raise
    except UserError as err:
        raise FieldRefused("text", err) from None


# --- the Home tab's settings --------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """One member's settings of one pair, as the Home tab shows them: their own time, and the pair's dates."""

    pair: Pair
    role: str
    hours: WorkingCalendar
    days_off: list[date]


def settings_of(session: Session, pair: Pair, user: str, now: datetime) -> Settings:
    # A member's own calendar (memoized in a stable_calendars session, as the Home tab's rendering is).
    hours = calendar_for(session, pair, user) if pair.role_of(user) else member_calendar(session, pair, user)
    today = hours.local(now).date()
    return Settings(pair=pair, role=pair.role_of(user) or "", hours=hours, days_off=sorted(d for d in hours.extra_days_off if d >= today))


def member_settings(session: Session, *, user: str, pair_id: int, now: datetime) -> Settings:
    """A settings button was pressed: the member's settings of that pair (the no-data refusal for anyone else)."""
    pair = pair_service.get_pair(session, pair_id)
    require_member(session, channel_id=pair.channel_id, user_id=user, allow_paused=True)
    return settings_of(session, pair, user, now)


SettingUseCase = Callable[[Session, Member, str, datetime], Any]
SETTING_USE_CASES: dict[str, SettingUseCase] = {
    "hours": pair_service.set_working_hours,
    "days_off": pair_service.add_day_off,
    "agenda_time": pair_service.set_agenda_time,
    "talk_date": pair_service.set_talk_date,
}


def change_setting(session: Session, *, user: str, pair_id: int, setting: str, text: str, now: datetime) -> Any:
    """A settings form: the use case of `/samspel <setting> <text>`, as the pair member who sent it."""
    pair = pair_service.get_pair(session, pair_id)
    member = require_member(session, channel_id=pair.channel_id, user_id=user)
    # Each use case raises what changed; the Home tabs that show it follow (bot/projections/table.py).
    return SETTING_USE_CASES[setting](session, member, text, now)
