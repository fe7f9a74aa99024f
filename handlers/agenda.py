"""/agenda (preview, add a point) and the agenda's close button `agenda_stang`."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot import agenda
from bot.domain.events import PairChanged
from bot.errors import UserError
from bot.i18n import _, translator
from bot.outbox import enqueue
from bot.presenters.help import help_text
from bot.runtime import Deps
from bot.services import pairs
from bot.services.unit_of_work import emit
from handlers.common import Answer, CommandInput, answer_command

PREVIEW_WORDS = frozenset({"", "visa", "förhandsvisa", "nästa"})


def register(app: App, deps: Deps) -> None:
    def run(cmd: CommandInput) -> Answer:
        now = deps.clock.now()
        if cmd.text.startswith("+"):
            with deps.uow() as session:
                member = pairs.require_member(session, channel_id=cmd.channel_id, user_id=cmd.user_id)
                text = agenda.add_point(session, member, cmd.text, now)
                emit(session, PairChanged(at=now, pair_id=member.pair.id))
            return Answer(text)
        if cmd.text.lower() in PREVIEW_WORDS:
            with deps.uow() as session:
                member = pairs.require_member(session, channel_id=cmd.channel_id, user_id=cmd.user_id)
                return Answer(agenda.preview_mrkdwn(session, member.pair, now))
        word = cmd.text.split(" ")[0][:40]
        return Answer(_("Förstår inte `/agenda {word}`.").format(word=word) + "\n" + help_text("/agenda", translator()))

    @app.command("/agenda")
    def agenda_command(ack: Ack, body: dict[str, Any]) -> None:
        answer_command(ack, body, run)

    @app.action("agenda_stang")
    def close_point(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        user = (body.get("user") or {}).get("id", "")
        container = body.get("container") or {}
        channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
        value = ((body.get("actions") or [{}])[0]).get("value", "")
        now = deps.clock.now()
        try:
            point_id = int(value)
        except ValueError:
            point_id = -1
        try:
            with deps.uow() as session:
                pair, text = agenda.close_point(session, point_id=point_id, user=user, now=now, channel=channel,
                                                message_ts=container.get("message_ts"))
                emit(session, PairChanged(at=now, pair_id=pair.id))
                if channel:
                    enqueue(session, kind="ephemeral", now=now, channel=channel, user=user, text=text)
        except UserError as err:
            if channel:
                with deps.uow() as session:
                    enqueue(session, kind="ephemeral", now=now, channel=channel, user=user, text=str(err))
