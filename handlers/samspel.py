"""/samspel: propose and confirm a pair, change its settings, leave it; channel membership events."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App

from bot import consent
from bot.errors import UserError
from bot.help import help_text
from bot.i18n import _, translator
from bot.presenters import ks_calendar as ks_words
from bot.runtime import Deps
from bot.services import ks_calendar, pairs
from bot.slack_directory import ChannelFacts, SlackUnavailable
from bot.text import fmt_when
from handlers.agenda import meetings_answer
from handlers.common import Answer, CommandInput, answer_command

log = logging.getLogger(__name__)

SETTERS = {
    "arbetstid": pairs.set_working_hours,
    "agendatid": pairs.set_agenda_time,
    "utvecklingssamtal": pairs.set_talk_date,
    "ledig": pairs.add_day_off,
    "möten": meetings_answer,
    "moten": meetings_answer,
    "ks": lambda session, member, rest, now: ks_words.overview(
        ks_calendar.set_meetings(session, member, rest, now), translator()),
    "stopptid": lambda session, member, rest, now: ks_words.stopptid(
        ks_calendar.set_stopptid(session, member, rest, now), translator()),
}
RADSMOTE = ("rådsmöte", "radsmote")
LEAVE = ("lämna", "lamna")


def register(app: App, deps: Deps) -> None:
    def lookup(channel: str) -> ChannelFacts | None:
        if deps.directory is None:
            return None
        try:
            return deps.directory.channel(channel)
        except SlackUnavailable:
            raise UserError(_("Samspel kunde inte fråga Slack om kanalen just nu. Försök igen om en stund.")) from None

    def status(cmd: CommandInput) -> Answer:
        now = deps.clock.now()
        with deps.uow() as session:
            try:
                member = pairs.require_member(session, channel_id=cmd.channel_id, user_id=cmd.user_id,
                                              allow_paused=True)
            except UserError:
                proposal = consent.pending_in(session, cmd.channel_id)
                if proposal is None or cmd.user_id not in (proposal.kso_user, proposal.kd_user):
                    raise
                return Answer(_("Ett förslag att koppla <#{channel}> väntar på svar från <@{invitee}> (gäller till "
                                "{until}).").format(channel=proposal.channel_id, invitee=proposal.invitee,
                                                    until=fmt_when(proposal.expires_at, deps.timezone)))
            return Answer(pairs.status_text(pairs.status(session, member.pair, now)))

    def run(cmd: CommandInput) -> Answer:
        verb, rest = cmd.split()
        now = deps.clock.now()
        if verb in ("", "status"):
            return status(cmd)
        if verb == "koppla":
            with deps.uow() as session:
                proposal = consent.propose(session, team_id=cmd.team_id, channel_id=cmd.channel_id, actor=cmd.user_id,
                                           text=rest, now=now, timezone=deps.timezone, bot_user=deps.me(),
                                           lookup=lookup)
                text = consent.proposed_answer(proposal, deps.timezone)
            return Answer(text)
        if verb in LEAVE:
            with deps.uow() as session:
                member = pairs.require_member(session, channel_id=cmd.channel_id, user_id=cmd.user_id,
                                              allow_paused=True)
                text, blocks = consent.leave_prompt(member)
            return Answer(text, blocks)
        with deps.uow() as session:
            member = pairs.require_member(session, channel_id=cmd.channel_id, user_id=cmd.user_id)
            if verb in RADSMOTE:
                def check(channel: str) -> None:
                    consent.check_radsmote_channel(session, lookup(channel), member.pair)

                text = pairs.set_radsmote(session, member, rest, now, check=check)
            elif verb in SETTERS:
                text = SETTERS[verb](session, member, rest, now)
            else:
                return Answer(_("Okänt kommando `{verb}`.").format(verb=verb) + "\n" + help_text("/samspel"))
        return Answer(text)

    @app.command("/samspel")
    def samspel(ack: Ack, body: dict[str, Any]) -> None:
        answer_command(ack, body, run)

    def answer_click(body: dict[str, Any], work: Any) -> None:
        """Run a button's service and answer the clicker privately; a refusal is answered the same way."""
        user = body["user"]["id"]
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
        now = deps.clock.now()
        try:
            target = int(body["actions"][0]["value"])
            with deps.uow() as session:
                text = work(session, target, user, now)
                pairs.answer_actor(session, channel=channel, user=user, text=text, now=now)
        except (UserError, ValueError, KeyError) as err:
            text = str(err) if isinstance(err, UserError) else _("Knappen hör inte till något förslag.")
            with deps.uow() as session:
                pairs.answer_actor(session, channel=channel, user=user, text=text, now=now)

    @app.action(consent.ACCEPT_ACTION)
    def accept(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        answer_click(body, lambda session, pid, user, now: consent.accept(
            session, proposal_id=pid, actor=user, now=now, timezone=deps.timezone, lookup=lookup))

    @app.action(consent.DECLINE_ACTION)
    def decline(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        answer_click(body, lambda session, pid, user, now: consent.decline(
            session, proposal_id=pid, actor=user, now=now, timezone=deps.timezone))

    @app.action(consent.LEAVE_ACTION)
    def leave(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        answer_click(body, lambda session, pid, user, now: consent.dissolved_answer(
            consent.dissolve(session, pair_id=pid, actor=user, now=now)))

    @app.action(consent.LEAVE_CANCEL_ACTION)
    def leave_cancelled(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        answer_click(body, lambda session, pid, user, now: _("Paret finns kvar som förut."))

    @app.event("member_left_channel")
    def member_left(event: dict[str, Any]) -> None:
        with deps.uow() as session:
            consent.member_left(session, channel=event.get("channel", ""), user=event.get("user", ""),
                                now=deps.clock.now(), bot_user=deps.me())

    @app.event("group_left")
    def bot_left(event: dict[str, Any]) -> None:
        # Sent to the bot itself when it is removed from a private channel.
        with deps.uow() as session:
            consent.member_left(session, channel=event.get("channel", ""), user=deps.me() or "",
                                now=deps.clock.now(), bot_user=deps.me())

    @app.event("member_joined_channel")
    def member_joined(event: dict[str, Any]) -> None:
        try:
            with deps.uow() as session:
                consent.member_joined(session, channel=event.get("channel", ""), now=deps.clock.now(), lookup=lookup)
        except UserError:
            log.warning("could not check channel membership after a join; the pair stays paused")
