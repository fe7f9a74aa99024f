"""/agenda (preview, add a point) and the agenda's close button `agenda_stang`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.errors import UserError
from bot.outbox import enqueue
from bot.presenters import agenda as words
from bot.presenters.help import help_text
from bot.services import agenda
from bot.services.pairs import Member
from handlers import ids
from handlers.common import Answer, CommandInput, answer_command, deps_of, translator_of
from handlers.middleware import with_member, with_uow
from handlers.unit import RequestUnit

PREVIEW_WORDS = frozenset({"", "visa", "förhandsvisa", "nästa"})


def _for_the_pair(cmd: CommandInput) -> bool:
    """A point or a preview is the pair's; an unknown verb is answered without asking which pair."""
    return cmd.text.startswith("+") or cmd.text.lower() in PREVIEW_WORDS


def agenda_command(ack: Ack, body: dict[str, Any], context: BoltContext, uow: RequestUnit, member: Member | None) -> None:
    t, now = translator_of(context), deps_of(context).clock.now()

    def run(cmd: CommandInput) -> Answer:
        if member is None:  # not `_for_the_pair` (with_member resolved it otherwise)
            word = cmd.text.split(" ")[0][:40]
            return Answer(t("Förstår inte `/agenda {word}`.").format(word=word) + "\n" + help_text("/agenda", t))
        if cmd.text.startswith("+"):
            return Answer(words.point_added(agenda.add_point(uow.session, member, cmd.text, now), t))
        return Answer(words.preview_text(agenda.preview(uow.session, member.pair, now), t))

    answer_command(ack, body, run, t, uow, now=deps_of(context).clock.now())


def _point_id(body: dict[str, Any]) -> int:
    value = ((body.get("actions") or [{}])[0]).get("value", "")
    try:
        return int(value)
    except ValueError:
        return -1


def _answer(uow: RequestUnit, channel: str | None, user: str, text: str, now: datetime) -> None:
    if channel:
        enqueue(uow.session, kind="ephemeral", now=now, channel=channel, user=user, text=text)


def close_point(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, uow: RequestUnit) -> None:
    """The Stäng button on a posted agenda: the answer goes privately to whoever clicked.

    An open incident is not closed by the click: a form asks who owns the follow-up and how it
    was cleared up ("klarades ut"), and submitting it closes the point (`incident_submitted`).
    """
    ack()
    t, now = translator_of(context), deps_of(context).clock.now()
    user = (body.get("user") or {}).get("id", "")
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
    message_ts = container.get("message_ts")
    try:
        found = agenda.point_to_close(uow.session, point_id=_point_id(body), user=user)
        if not found.asks_resolution:
            clicked = (channel, message_ts) if channel and message_ts else None
            closed = agenda.close_point(uow.session, point_id=found.id, user=user, now=now, clicked=clicked)
            _answer(uow, channel, user, words.point_closed(closed, t), now)
            return
    except UserError as err:
        uow.rollback()
        _answer(uow, channel, user, err.render(t), now)
        return
    uow.commit()
    # views.open needs the trigger_id within 3 s: not a message, so not via the outbox.
    view = words.incident_modal(found.text, ids.incident_metadata(found.id, channel, message_ts), t)
    client.views_open(trigger_id=body["trigger_id"], view=view)


def _resolution_of(view: dict[str, Any]) -> tuple[str | None, str | None]:
    values = view["state"]["values"]
    chosen = (values.get(ids.AGENDA_OWNER, {}).get(ids.AGENDA_OWNER, {}).get("selected_option") or {}).get("value")
    note = values.get(ids.AGENDA_RESOLUTION, {}).get(ids.AGENDA_RESOLUTION, {}).get("value")
    return chosen, note


def incident_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, uow: RequestUnit) -> None:
    """The incident form: close the point with its owner and note; a missing field is refused on that field."""
    t, now = translator_of(context), deps_of(context).clock.now()
    user = (body.get("user") or {}).get("id", "")
    try:
        point_id, channel, ts = ids.incident_metadata_of(view.get("private_metadata"))
        resolution = agenda.check_resolution(*_resolution_of(view))
        clicked = (channel, ts) if channel and ts else None
        closed = agenda.close_point(uow.session, point_id=point_id, user=user, now=now, clicked=clicked, resolution=resolution)
        _answer(uow, channel, user, words.point_closed(closed, t), now)
    except agenda.ResolutionError as err:
        block = ids.AGENDA_OWNER if err.field == "owner" else ids.AGENDA_RESOLUTION
        uow.rollback()
        ack(response_action="errors", errors={block: err.render(t)})
        return
    except UserError as err:
        uow.rollback()
        ack(response_action="errors", errors={ids.AGENDA_RESOLUTION: err.render(t)})
        return
    except (ValueError, KeyError, TypeError):
        uow.rollback()
        ack(response_action="errors", errors={ids.AGENDA_RESOLUTION: UserError(agenda.POINT_GONE).render(t)})
        return
    ack()


def register(app: App) -> None:
    app.command("/agenda", middleware=[with_member(_for_the_pair)])(agenda_command)
    app.action(ids.AGENDA_STANG, middleware=[with_uow])(close_point)
    app.view(ids.AGENDA_INCIDENT_MODAL, middleware=[with_uow])(incident_submitted)
