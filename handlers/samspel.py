"""/samspel: propose and confirm a pair, change its settings, leave it; channel membership events."""

from __future__ import annotations

import logging
from collections.abc import Callable
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


def _status(deps: Deps, cmd: CommandInput, t: Translator) -> Answer:
    with deps.uow() as session:
        found = consent.status_of(session, channel_id=cmd.channel_id, user_id=cmd.user_id, now=deps.clock.now())
        if isinstance(found, PairStatus):
            return Answer(pair_words.status_text(found, t))
        return Answer(consent_words.pending_status(found, deps.timezone, t))


def _propose(deps: Deps, cmd: CommandInput, rest: str, t: Translator) -> Answer:
    with deps.uow() as session:
        proposal = consent.propose(
            session,
            team_id=cmd.team_id,
            channel_id=cmd.channel_id,
            actor=cmd.user_id,
            text=rest,
            now=deps.clock.now(),
            timezone=deps.timezone,
            bot_user=deps.me(),
            lookup=channel_lookup(deps),
        )
        return Answer(consent_words.proposed_answer(proposal, deps.timezone, t))


def _leave(deps: Deps, cmd: CommandInput, t: Translator) -> Answer:
    with deps.uow() as session:
        member = consent.confirm_leave(session, channel_id=cmd.channel_id, user_id=cmd.user_id)
        return Answer(*consent_words.leave_prompt(member, t))


def _calendar(deps: Deps, cmd: CommandInput, rest: str, t: Translator) -> Answer:
    """`/samspel kalender [ny]`: the private feed address (HTTP mode), or the file in one's DM (Socket Mode)."""
    renew = rest.strip().lower() in RENEW
    now = deps.clock.now()
    if not deps.socket_mode and not deps.public_url:
        return Answer(ics_words.public_url_missing(t))
    with deps.uow() as session:
        if not deps.socket_mode:
            assert deps.public_url is not None
            found = ics.subscription(session, cmd.user_id, now, renew=renew)
            return Answer(ics_words.subscription_text(deps.public_url, found, t))
        default = deps.languages.default if deps.languages is not None else SOURCE_LANGUAGE
        calendar = ics.require_pairs(session, cmd.user_id, now, default)
        if renew:
            ics.subscription(session, cmd.user_id, now, renew=True)
        ics.send_file(
            session,
            cmd.user_id,
            now,
            content=ics_words.person_ics(calendar, t),
            title=ics_words.file_title(t),
            comment=ics_words.file_comment(t),
        )
        return Answer(ics_words.file_sent(renew, t))


def _language(deps: Deps, cmd: CommandInput, rest: str, t: Translator) -> Answer:
    """`/samspel språk sv|en|auto`: the caller's own language, answered in the new one; `språk par …`: the pair's."""
    default = deps.languages.default if deps.languages is not None else SOURCE_LANGUAGE
    word, _, value = rest.partition(" ")
    if word.lower() == "par":
        with deps.uow() as session:
            member = pairs.require_member(session, channel_id=cmd.channel_id, user_id=cmd.user_id)
            chosen_for_pair = people.set_pair_language(session, member.pair, cmd.user_id, value, deps.clock.now(), default)
        return Answer(people_words.pair_language_answer(chosen_for_pair, t))
    with deps.uow() as session:
        chosen = people.set_language(session, cmd.user_id, rest, deps.clock.now(), default)
    if deps.languages is not None:
        deps.languages.forget(cmd.user_id)
    return Answer(people_words.language_answer(chosen, translator(chosen.language)))


def _setting(deps: Deps, cmd: CommandInput, verb: str, rest: str, t: Translator) -> Answer:
    now = deps.clock.now()
    with deps.uow() as session:
        member = pairs.require_member(session, channel_id=cmd.channel_id, user_id=cmd.user_id)
        if verb in RADSMOTE:
            lookup = channel_lookup(deps)

            def check(channel: str) -> None:
                consent.check_radsmote_channel(session, lookup(channel), member.pair)

            return Answer(pair_words.radsmote_answer(pairs.set_radsmote(session, member, rest, now, check=check), t))
        if verb in SETTINGS:
            return Answer(SETTINGS[verb](session, member, rest, now, t))
    return Answer(pair_words.unknown_verb(verb, t) + "\n" + help_text("/samspel", t))


def run_samspel(deps: Deps, cmd: CommandInput, t: Translator) -> Answer:
    verb, rest = cmd.split()
    if verb in ("", "status"):
        return _status(deps, cmd, t)
    if verb == "koppla":
        return _propose(deps, cmd, rest, t)
    if verb in LEAVE:
        return _leave(deps, cmd, t)
    if verb in CALENDAR:
        return _calendar(deps, cmd, rest, t)
    if verb in LANGUAGE:
        return _language(deps, cmd, rest, t)
    return _setting(deps, cmd, verb, rest, t)


def samspel_command(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    deps, t = deps_of(context), translator_of(context)
    text = body.get("text") or ""
    if text.strip().lower().startswith("koppla"):
        # The invitee's consent question is the first thing Samspel writes them: in their language.
        learn_languages(context, mentioned_users(text))
    answer_command(ack, body, lambda cmd: run_samspel(deps, cmd, t), t, deps=deps)


# --- the buttons ---------------------------------------------------------------------------------

Click = Callable[[Deps, Session, int, str, datetime, Translator], str]


def answer_click(context: BoltContext, body: dict[str, Any], work: Click) -> None:
    """Run a button's service and answer the clicker privately; a refusal is answered the same way."""
    deps, t = deps_of(context), translator_of(context)
    user = body["user"]["id"]
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    now = deps.clock.now()
    try:
        target = int(body["actions"][0]["value"])
        with deps.uow() as session:
            text = work(deps, session, target, user, now, t)
            pairs.answer_actor(session, channel=channel, user=user, text=text, now=now)
    except (UserError, ValueError, KeyError) as err:
        text = err.render(t) if isinstance(err, UserError) else consent_words.not_a_proposal(t)
        with deps.uow() as session:
            pairs.answer_actor(session, channel=channel, user=user, text=text, now=now)


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


def accept_clicked(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    answer_click(context, body, _accept)


def decline_clicked(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    answer_click(context, body, _decline)


def leave_clicked(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    answer_click(context, body, _dissolve)


def leave_cancelled(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    answer_click(context, body, _keep)


# --- channel membership --------------------------------------------------------------------------


def member_left(event: dict[str, Any], context: BoltContext) -> None:
    deps = deps_of(context)
    with deps.uow() as session:
        consent.member_left(session, channel=event.get("channel", ""), user=event.get("user", ""), now=deps.clock.now(), bot_user=deps.me())


def bot_left(event: dict[str, Any], context: BoltContext) -> None:
    # Sent to the bot itself when it is removed from a private channel.
    deps = deps_of(context)
    with deps.uow() as session:
        consent.member_left(session, channel=event.get("channel", ""), user=deps.me() or "", now=deps.clock.now(), bot_user=deps.me())


def member_joined(event: dict[str, Any], context: BoltContext) -> None:
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
        with deps.uow() as session:
            lookup = channel_lookup(deps)
            consent.member_joined(session, channel=channel, now=now, lookup=lookup)
            if me:
                team = event.get("team") or context.team_id
                onboarding.bot_joined(session, channel=channel, now=now, lookup=lookup, team_id=team, inviter=inviter)
    except UserError:
        log.warning("could not check the channel after a join; a paused pair stays paused, no intro was posted")


def register(app: App) -> None:
    app.command("/samspel")(samspel_command)
    app.action(ids.PAIR_ACCEPT)(accept_clicked)
    app.action(ids.PAIR_DECLINE)(decline_clicked)
    app.action(ids.PAIR_LEAVE)(leave_clicked)
    app.action(ids.PAIR_LEAVE_CANCEL)(leave_cancelled)
    app.event("member_left_channel")(member_left)
    app.event("group_left")(bot_left)
    app.event("member_joined_channel")(member_joined)
