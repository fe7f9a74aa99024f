"""/agenda (preview, add a point) and the agenda's close button `agenda_stang`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext
from sqlalchemy.orm import Session

from bot.errors import UserError
from bot.i18n import Translator
from bot.outbox import enqueue
from bot.presenters import agenda as words
from bot.presenters.help import help_text
from bot.services import agenda
from bot.services.pairs import Member
from handlers import ids
from handlers.common import Answer, CommandInput, MemberWork, answer_command, as_member, deps_of, translator_of

PREVIEW_WORDS = frozenset({"", "visa", "förhandsvisa", "nästa"})


def _agenda_work(t: Translator) -> MemberWork:
    def work(session: Session, member: Member, cmd: CommandInput, now: datetime) -> Answer:
        if cmd.text.startswith("+"):
            return Answer(words.point_added(agenda.add_point(session, member, cmd.text, now), t))
        return Answer(words.preview_text(agenda.preview(session, member.pair, now), t))

    return work


def agenda_command(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    deps, t = deps_of(context), translator_of(context)

    def run(cmd: CommandInput) -> Answer:
        if cmd.text.startswith("+") or cmd.text.lower() in PREVIEW_WORDS:
            return as_member(deps, _agenda_work(t))(cmd)
        word = cmd.text.split(" ")[0][:40]
        return Answer(t("Förstår inte `/agenda {word}`.").format(word=word) + "\n" + help_text("/agenda", t))

    answer_command(ack, body, run, t)


def _point_id(body: dict[str, Any]) -> int:
    value = ((body.get("actions") or [{}])[0]).get("value", "")
    try:
        return int(value)
    except ValueError:
        return -1


def close_point(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """The Stäng button on a posted agenda: the answer goes privately to whoever clicked."""
    ack()
    deps, t = deps_of(context), translator_of(context)
    user = (body.get("user") or {}).get("id", "")
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
    message_ts = container.get("message_ts")
    now = deps.clock.now()
    try:
        with deps.uow() as session:
            closed = agenda.close_point(session, point_id=_point_id(body), user=user, now=now,
                                        clicked=(channel, message_ts) if channel and message_ts else None)
            if channel:
                enqueue(session, kind="ephemeral", now=now, channel=channel, user=user,
                        text=words.point_closed(closed, t))
    except UserError as err:
        if channel:
            with deps.uow() as session:
                enqueue(session, kind="ephemeral", now=now, channel=channel, user=user, text=err.render(t))


def register(app: App) -> None:
    app.command("/agenda")(agenda_command)
    app.action(ids.AGENDA_STANG)(close_point)
