"""/samspel: connect a pair and change its settings."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot import pairs
from bot.db import transaction
from bot.help import help_text
from bot.i18n import _
from bot.runtime import Deps
from handlers.common import Answer, CommandInput, answer_command

SETTERS = {
    "arbetstid": pairs.set_working_hours,
    "agendatid": pairs.set_agenda_time,
    "rådsmöte": pairs.set_radsmote,
    "radsmote": pairs.set_radsmote,
    "utvecklingssamtal": pairs.set_talk_date,
    "ledig": pairs.add_day_off,
}


def register(app: App, deps: Deps) -> None:
    def run(cmd: CommandInput) -> Answer:
        verb, rest = cmd.split()
        now = deps.clock.now()
        if verb in ("", "status"):
            with transaction(deps.sessions) as session:
                member = pairs.require_member(session, channel_id=cmd.channel_id, user_id=cmd.user_id)
                return Answer(pairs.status_text(pairs.status(session, member.pair, now)))
        if verb == "koppla":
            with transaction(deps.sessions) as session:
                pair = pairs.connect(session, team_id=cmd.team_id, channel_id=cmd.channel_id, actor=cmd.user_id,
                                     text=rest, now=now, timezone=deps.timezone, bot_user=deps.bot_user)
                text = _("Klart! <#{channel}> är nu parets kanal, med <@{kso}> som KSO och <@{kd}> som KD. Bjud in "
                         "Samspel till kanalen (`/invite @Samspel`) om den inte redan är med. Se `/samspel hjälp` för allt "
                         "du kan göra.").format(channel=pair.channel_id, kso=pair.kso_user, kd=pair.kd_user)
            return Answer(text)
        setter = SETTERS.get(verb)
        if setter is None:
            return Answer(_("Okänt kommando `{verb}`.").format(verb=verb) + "\n" + help_text("/samspel"))
        with transaction(deps.sessions) as session:
            member = pairs.require_member(session, channel_id=cmd.channel_id, user_id=cmd.user_id)
            return Answer(setter(session, member, rest, now))

    @app.command("/samspel")
    def samspel(ack: Ack, body: dict[str, Any]) -> None:
        answer_command(ack, body, run)
