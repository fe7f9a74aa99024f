"""/samspel: propose and confirm a pair, change its settings, leave it; channel membership events."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext
from sqlalchemy.orm import Session

from bot.adapters.slack_directory import SlackUnavailable
from bot.domain.consent import ChannelFacts
from bot.errors import UserError
from bot.i18n import N_, SOURCE_LANGUAGE, Translator, translator
from bot.presenters import consent as consent_words
from bot.presenters import ics as ics_words
from bot.presenters import ks_calendar as ks_words
from bot.presenters import moten as moten_words
from bot.presenters import pairs as pair_words
from bot.presenters import people as people_words
from bot.presenters.help import help_text
from bot.runtime import Deps
from bot.services import consent, ics, ks_calendar, moten, onboarding, pairs, people
from bot.services.pairs import Member, PairStatus
from bot.text import mentioned_users
from handlers import ids
from handlers.common import Answer, CommandInput, answer_command, deps_of, learn_languages, translator_of
from handlers.middleware import with_uow
from handlers.unit import RequestUnit

log = logging.getLogger(__name__)

Setting = Callable[[Session, Member, str, datetime, Translator], str]


def _worded(service: Callable[[Session, Member, str, datetime], Any], words: Callable[[Any, Translator], str]) -> Setting:
    """A setting's use case, with its result worded by the presenter."""
    return lambda session, member, rest, now, t: words(service(session, member, rest, now), t)


def _as_is(service: Callable[[Session, Member, str, datetime], str]) -> Setting:
    """A use case that still answers with its own text."""
    return lambda session, member, rest, now, t: service(session, member, rest, now)


SETTINGS: dict[str, Setting] = {
    "arbetstid": _worded(pairs.set_working_hours, pair_words.hours_answer),
    "agendatid": _worded(pairs.set_agenda_time, pair_words.agenda_time_answer),
    "utvecklingssamtal": _worded(pairs.set_talk_date, pair_words.talk_date_answer),
    "ledig": _worded(pairs.add_day_off, pair_words.days_off_answer),
    "ks": _worded(ks_calendar.set_meetings, ks_words.overview),
    "stopptid": _worded(ks_calendar.set_stopptid, ks_words.stopptid),
    "möten": _worded(lambda session, member, rest, now: moten.meetings(session, member, now), moten_words.meetings_text),
    "moten": _worded(lambda session, member, rest, now: moten.meetings(session, member, now), moten_words.meetings_text),
}
RADSMOTE = ("rådsmöte", "radsmote")
LEAVE = ("lämna", "lamna")
CALENDAR = ("kalender",)
RENEW = ("ny", "förnya", "fornya")
LANGUAGE = ("språk", "sprak")


def channel_lookup(deps: Deps) -> consent.Lookup:
    """Ask Slack about a channel; None when Samspel cannot see it (or, offline, has no directory)."""

    def lookup(channel: str) -> ChannelFacts | None:
        if deps.directory is None:
            return None
        try:
            return deps.directory.channel(channel)
        except SlackUnavailable:
            raise UserError(N_("Samspel kunde inte fråga Slack om kanalen just nu. Försök igen om en stund.")) from None

    return lookup


# --- /samspel ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """What every /samspel verb gets: the wiring, the request's unit of work, the typist's translator, the time."""

    deps: Deps
    uow: RequestUnit
    t: Translator
    now: datetime

    @property
    def session(self) -> Session:
        return self.uow.session


def _status(r: Request, cmd: CommandInput) -> Answer:
    found = consent.status_of(r.session, channel_id=cmd.channel_id, user_id=cmd.user_id, now=r.now)
    if isinstance(found, PairStatus):
        return Answer(pair_words.status_text(found, r.t))
    return Answer(consent_words.pending_status(found, r.deps.timezone, r.t))


def _propose(r: Request, cmd: CommandInput, rest: str) -> Answer:
    deps = r.deps
    proposal = consent.propose(
        r.session,
        team_id=cmd.team_id,
        channel_id=cmd.channel_id,
        actor=cmd.user_id,
        text=rest,
        now=r.now,
        timezone=deps.timezone,
        bot_user=deps.me(),
        lookup=channel_lookup(deps),
    )
    return Answer(consent_words.proposed_answer(proposal, deps.timezone, r.t))


def _leave(r: Request, cmd: CommandInput) -> Answer:
    member = consent.confirm_leave(r.session, channel_id=cmd.channel_id, user_id=cmd.user_id)
    return Answer(*consent_words.leave_prompt(member, r.t))


def _calendar(r: Request, cmd: CommandInput, rest: str) -> Answer:
    """`/samspel kalender [ny]`: the private feed address (HTTP mode), or the file in one's DM (Socket Mode)."""
    deps, t, now = r.deps, r.t, r.now
    renew = rest.strip().lower() in RENEW
    if not deps.socket_mode and not deps.public_url:
        return Answer(ics_words.public_url_missing(t))
    if not deps.socket_mode:
        assert deps.public_url is not None
        found = ics.subscription(r.session, cmd.user_id, now, renew=renew)
        return Answer(ics_words.subscription_text(deps.public_url, found, t))
    default = deps.languages.default if deps.languages is not None else SOURCE_LANGUAGE
    calendar = ics.require_pairs(r.session, cmd.user_id, now, default)
    if renew:
        ics.subscription(r.session, cmd.user_id, now, renew=True)
    ics.send_file(
        r.session,
        cmd.user_id,
        now,
        content=ics_words.person_ics(calendar, t),
        title=ics_words.file_title(t),
        comment=ics_words.file_comment(t),
    )
    return Answer(ics_words.file_sent(renew, t))


def _language(r: Request, cmd: CommandInput, rest: str) -> Answer:
    """`/samspel språk sv|en|auto`: the caller's own language, answered in the new one; `språk par …`: the pair's."""
    deps = r.deps
    default = deps.languages.default if deps.languages is not None else SOURCE_LANGUAGE
    word, _, value = rest.partition(" ")
    if word.lower() == "par":
        member = pairs.require_member(r.session, channel_id=cmd.channel_id, user_id=cmd.user_id)
        chosen_for_pair = people.set_pair_language(r.session, member.pair, cmd.user_id, value, r.now, default)
        return Answer(people_words.pair_language_answer(chosen_for_pair, r.t))
    chosen = people.set_language(r.session, cmd.user_id, rest, r.now, default)
    # Committed before the cache forgets, so the next request reads the new language, not the old one again.
    r.uow.commit()
    if deps.languages is not None:
        deps.languages.forget(cmd.user_id)
    return Answer(people_words.language_answer(chosen, translator(chosen.language)))


def _setting(r: Request, cmd: CommandInput, verb: str, rest: str) -> Answer:
    session = r.session
    member = pairs.require_member(session, channel_id=cmd.channel_id, user_id=cmd.user_id)
    if verb in RADSMOTE:
        lookup = channel_lookup(r.deps)

        def check(channel: str) -> None:
            consent.check_radsmote_channel(session, lookup(channel), member.pair)

        return Answer(pair_words.radsmote_answer(pairs.set_radsmote(session, member, rest, r.now, check=check), r.t))
    if verb in SETTINGS:
        return Answer(SETTINGS[verb](session, member, rest, r.now, r.t))
    return Answer(pair_words.unknown_verb(verb, r.t) + "\n" + help_text("/samspel", r.t))


def run_samspel(r: Request, cmd: CommandInput) -> Answer:
    verb, rest = cmd.split()
    if verb in ("", "status"):
        return _status(r, cmd)
    if verb == "koppla":
        return _propose(r, cmd, rest)
    if verb in LEAVE:
        return _leave(r, cmd)
    if verb in CALENDAR:
        return _calendar(r, cmd, rest)
    if verb in LANGUAGE:
        return _language(r, cmd, rest)
    return _setting(r, cmd, verb, rest)


def samspel_command(ack: Ack, body: dict[str, Any], context: BoltContext, uow: RequestUnit) -> None:
    deps, t = deps_of(context), translator_of(context)
    text = body.get("text") or ""
    if text.strip().lower().startswith("koppla"):
        # The invitee's consent question is the first thing Samspel writes them: in their language.
        learn_languages(context, mentioned_users(text))
    request = Request(deps, uow, t, deps.clock.now())
    answer_command(ack, body, lambda cmd: run_samspel(request, cmd), t, uow, now=request.now)


# --- the buttons ---------------------------------------------------------------------------------

Click = Callable[[Deps, Session, int, str, datetime, Translator], str]


def answer_click(context: BoltContext, body: dict[str, Any], uow: RequestUnit, work: Click) -> None:
    """Run a button's service and answer the clicker privately; a refusal is answered the same way."""
    deps, t = deps_of(context), translator_of(context)
    user = body["user"]["id"]
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    now = deps.clock.now()
    try:
        target = int(body["actions"][0]["value"])
        text = work(deps, uow.session, target, user, now, t)
    except (UserError, ValueError, KeyError) as err:
        uow.rollback()
        text = err.render(t) if isinstance(err, UserError) else consent_words.not_a_proposal(t)
    pairs.answer_actor(uow.session, channel=channel, user=user, text=text, now=now)


def _accept(deps: Deps, session: Session, proposal_id: int, user: str, now: datetime, t: Translator) -> str:
    proposal = consent.accept(session, proposal_id=proposal_id, actor=user, now=now, timezone=deps.timezone, lookup=channel_lookup(deps))
    return consent_words.accepted_answer(proposal, t)


def _decline(deps: Deps, session: Session, proposal_id: int, user: str, now: datetime, t: Translator) -> str:
    proposal = consent.decline(session, proposal_id=proposal_id, actor=user, now=now, timezone=deps.timezone)
    return consent_words.declined_answer(proposal, t)


def _dissolve(deps: Deps, session: Session, pair_id: int, user: str, now: datetime, t: Translator) -> str:
    return consent_words.dissolved_answer(consent.dissolve(session, pair_id=pair_id, actor=user, now=now), t)


def _keep(deps: Deps, session: Session, pair_id: int, user: str, now: datetime, t: Translator) -> str:
    return consent_words.leave_cancelled(t)


def accept_clicked(ack: Ack, body: dict[str, Any], context: BoltContext, uow: RequestUnit) -> None:
    ack()
    answer_click(context, body, uow, _accept)


def decline_clicked(ack: Ack, body: dict[str, Any], context: BoltContext, uow: RequestUnit) -> None:
    ack()
    answer_click(context, body, uow, _decline)


def leave_clicked(ack: Ack, body: dict[str, Any], context: BoltContext, uow: RequestUnit) -> None:
    ack()
    answer_click(context, body, uow, _dissolve)


def leave_cancelled(ack: Ack, body: dict[str, Any], context: BoltContext, uow: RequestUnit) -> None:
    ack()
    answer_click(context, body, uow, _keep)


# --- channel membership --------------------------------------------------------------------------


def member_left(event: dict[str, Any], context: BoltContext, uow: RequestUnit) -> None:
    deps = deps_of(context)
    consent.member_left(uow.session, channel=event.get("channel", ""), user=event.get("user", ""), now=deps.clock.now(), bot_user=deps.me())


def bot_left(event: dict[str, Any], context: BoltContext, uow: RequestUnit) -> None:
    # Sent to the bot itself when it is removed from a private channel.
    deps = deps_of(context)
    consent.member_left(uow.session, channel=event.get("channel", ""), user=deps.me() or "", now=deps.clock.now(), bot_user=deps.me())


def member_joined(event: dict[str, Any], context: BoltContext, uow: RequestUnit) -> None:
    """Someone joined a channel: a paused pair may resume; Samspel itself says once how to couple a pair there.

    The one listener for member_joined_channel (Bolt runs only the first that matches).
    """
    deps = deps_of(context)
    channel, now = event.get("channel", ""), deps.clock.now()
    me = event.get("user") and event.get("user") == deps.me()
    inviter = str(event.get("inviter") or "") if me else ""
    if inviter:
        # The intro is in the inviter's language, and they may never have used Samspel: ask Slack for it first.
        learn_languages(context, [inviter])
    try:
        lookup = channel_lookup(deps)
        consent.member_joined(uow.session, channel=channel, now=now, lookup=lookup)
        if me:
            team = event.get("team") or context.team_id
            onboarding.bot_joined(uow.session, channel=channel, now=now, lookup=lookup, team_id=team, inviter=inviter)
    except UserError:
        uow.rollback()
        log.warning("could not check the channel after a join; a paused pair stays paused, no intro was posted")


def register(app: App) -> None:
    app.command("/samspel", middleware=[with_uow])(samspel_command)
    app.action(ids.PAIR_ACCEPT, middleware=[with_uow])(accept_clicked)
    app.action(ids.PAIR_DECLINE, middleware=[with_uow])(decline_clicked)
    app.action(ids.PAIR_LEAVE, middleware=[with_uow])(leave_clicked)
    app.action(ids.PAIR_LEAVE_CANCEL, middleware=[with_uow])(leave_cancelled)
    app.event("member_left_channel", middleware=[with_uow])(member_left)
    app.event("group_left", middleware=[with_uow])(bot_left)
    app.event("member_joined_channel", middleware=[with_uow])(member_joined)
