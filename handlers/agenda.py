"""/agenda (preview, add a point) and the agenda's close button `agenda_stang`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.errors import UserError
from bot.i18n import Translator
from bot.outbox import enqueue
from bot.presenters import agenda as words
from bot.presenters.help import help_text
from bot.runtime import Deps
from bot.services import agenda
from bot.services.pairs import Member
from handlers import ids
from handlers.common import (
    Answer,
    CommandInput,
    MemberWork,
    answer_command,
    as_member,
    deps_of,
    translator_of,
)

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

    answer_command(ack, body, run, t, deps=deps)


def _point_id(body: dict[str, Any]) -> int:
    value = ((body.get("actions") or [{}])[0]).get("value", "")
    try:
        return int(value)
    except ValueError:
        return -1


def _answer(deps: Deps, channel: str | None, user: str, text: str, now: datetime) -> None:
    if channel:
        with deps.uow() as session:
            enqueue(session, kind="ephemeral", now=now, channel=channel, user=user, text=text)


def close_point(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    """The Stäng button on a posted agenda: the answer goes privately to whoever clicked.

    An open incident is not closed by the click: a form asks who owns the follow-up and how it
    was cleared up ("klarades ut"), and submitting it closes the point (`incident_submitted`).
    """
    ack()
    deps, t = deps_of(context), translator_of(context)
    user = (body.get("user") or {}).get("id", "")
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
    message_ts = container.get("message_ts")
    now = deps.clock.now()
    try:
        with deps.uow() as session:
            found = agenda.point_to_close(session, point_id=_point_id(body), user=user)
            if not found.asks_resolution:
                closed = agenda.close_point(
                    session, point_id=found.id, user=user, now=now, clicked=(channel, message_ts) if channel and message_ts else None
                )
                if channel:
                    enqueue(session, kind="ephemeral", now=now, channel=channel, user=user, text=words.point_closed(closed, t))
                return
    except UserError as err:
        _answer(deps, channel, user, err.render(t), now)
        return
    # views.open needs the trigger_id within 3 s: not a message, so not via the outbox.
    view = words.incident_modal(found.text, ids.incident_metadata(found.id, channel, message_ts), t)
    client.views_open(trigger_id=body["trigger_id"], view=view)


def _resolution_of(view: dict[str, Any]) -> tuple[str | None, str | None]:
    values = view["state"]["values"]
    chosen = (values.get(ids.AGENDA_OWNER, {}).get(ids.AGENDA_OWNER, {}).get("selected_option") or {}).get("value")
    note = values.get(ids.AGENDA_RESOLUTION, {}).get(ids.AGENDA_RESOLUTION, {}).get("value")
    return chosen, note


def incident_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    """The incident form: close the point with its owner and note; a missing field is refused on that field."""
    deps, t = deps_of(context), translator_of(context)
    user = (body.get("user") or {}).get("id", "")
    now = deps.clock.now()
    try:
        point_id, channel, ts = ids.incident_metadata_of(view.get("private_metadata"))
        resolution = agenda.check_resolution(*_resolution_of(view))
        with deps.uow() as session:
            closed = agenda.close_point(
                session, point_id=point_id, user=user, now=now, clicked=(channel, ts) if channel and ts else None, resolution=resolution
            )
            if channel:
                enqueue(session, kind="ephemeral", now=now, channel=channel, user=user, text=words.point_closed(closed, t))
    except agenda.ResolutionError as err:
        block = ids.AGENDA_OWNER if err.field == "owner" else ids.AGENDA_RESOLUTION
        ack(response_action="errors", errors={block: err.render(t)})
        return
    except UserError as err:
        ack(response_action="errors", errors={ids.AGENDA_RESOLUTION: err.render(t)})
        return
    except (ValueError, KeyError, TypeError):
        ack(response_action="errors", errors={ids.AGENDA_RESOLUTION: UserError(agenda.POINT_GONE).render(t)})
        return
    ack()


def register(app: App) -> None:
    app.command("/agenda")(agenda_command)
    app.action(ids.AGENDA_STANG)(close_point)
    app.view(ids.AGENDA_INCIDENT_MODAL)(incident_submitted)
