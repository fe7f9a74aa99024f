"""/meddela, the "Skicka med Samspel" shortcut and the held-message buttons (respekt rule)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.domain.events import HomeStale
from bot.errors import UserError
from bot.i18n import Translator
from bot.presenters import respekt as present
from bot.presenters.blocks import info_modal
from bot.services import pairs
from bot.services import respekt as service
from bot.services.unit_of_work import emit
from handlers import ids
from handlers.common import Answer, CommandInput, answer_command, deps_of, translator_of
from handlers.middleware import with_member, with_uow
from handlers.unit import RequestUnit

Change = Callable[..., service.Changed]


def meddela_command(ack: Ack, body: dict[str, Any], context: BoltContext, uow: RequestUnit, member: pairs.Member) -> None:
    t, now = translator_of(context), deps_of(context).clock.now()

    def run(cmd: CommandInput) -> Answer:
        verb, rest = cmd.split()
        if verb == "lista" and not rest:
            held = service.held_messages(uow.session, member.pair.id, member.user)
            return Answer(*present.list_answer(held, member.pair.timezone, t))
        akut = verb == "akut"
        text = rest if akut else cmd.text  # already decoded from Slack's entities
        # For `/meddela akut <text>` the text itself is the reason.
        draft = service.Draft(text=text, akut=akut, reason=text if akut else None)
        sent = service.send(uow.session, member, draft, now)
        return Answer(*present.sent_answer(sent, member.pair.timezone, t))

    answer_command(ack, body, run, t, uow, now=deps_of(context).clock.now())


def shortcut_opened(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, uow: RequestUnit) -> None:
    ack()
    t = translator_of(context)
    channel = (body.get("channel") or {}).get("id")
    message = body.get("message") or {}
    try:
        member = pairs.require_member(uow.session, channel_id=channel, user_id=body["user"]["id"])
        metadata = ids.meddela_metadata(channel, message.get("user"))
        view = present.compose_modal(member.pair.other(member.user), message.get("text") or "", metadata, t)
    except UserError as err:
        view = info_modal(err.render(t), t)
    uow.commit()
    client.views_open(trigger_id=body["trigger_id"], view=view)


def _draft_of(view: dict[str, Any], origin_user: str | None) -> service.Draft:
    values = view["state"]["values"]
    text = values.get(ids.MEDDELA_TEXT, {}).get(ids.MEDDELA_TEXT, {}).get("value") or ""
    chosen = values.get(ids.MEDDELA_AKUT_BLOCK, {}).get(ids.MEDDELA_AKUT_BLOCK, {}).get("selected_options") or []
    reason = values.get(ids.MEDDELA_REASON, {}).get(ids.MEDDELA_REASON, {}).get("value")
    akut = any(option.get("value") == ids.MEDDELA_AKUT_VALUE for option in chosen)
    return service.Draft(text=text, akut=akut, reason=reason, source="shortcut", origin_user=origin_user)


def modal_submitted(ack: Ack, body: dict[str, Any], context: BoltContext, uow: RequestUnit) -> None:
    t = translator_of(context)
    view = body["view"]
    channel, origin_user = ids.meddela_metadata_of(view.get("private_metadata"))
    try:
        member = pairs.require_member(uow.session, channel_id=channel, user_id=body["user"]["id"])
        sent = service.send(uow.session, member, _draft_of(view, origin_user), deps_of(context).clock.now())
        answer, blocks = present.sent_answer(sent, member.pair.timezone, t)
    except service.MessageError as err:
        uow.rollback()
        ack(response_action="errors", errors={err.field: err.render(t)})
        return
    except UserError as err:
        uow.rollback()
        ack(response_action="errors", errors={ids.MEDDELA_TEXT: err.render(t)})
        return
    ack(response_action="update", view=info_modal(answer, t, blocks))


@dataclass(frozen=True)
class _Where:
    """Where a held-message button was pressed: in a channel, a DM, a modal or the Home tab."""

    user: str
    channel: str | None
    in_modal: bool
    in_home: bool
    view_id: str | None
    meddelande_id: int | None


def _where(body: dict[str, Any]) -> _Where:
    container = body.get("container") or {}
    view = body.get("view") or {}
    in_modal = container.get("type") == "view" and view.get("type") == "modal"
    in_home = container.get("type") == "view" and view.get("type") == "home"
    channel = None if in_modal or in_home else container.get("channel_id") or (body.get("channel") or {}).get("id")
    return _Where(
        user=body["user"]["id"],
        channel=channel,
        in_modal=in_modal,
        in_home=in_home,
        view_id=view.get("id"),
        meddelande_id=ids.meddelande_id(body["actions"][0].get("value")),
    )


def _refused(uow: RequestUnit, where: _Where, text: str, now: datetime) -> None:
    """A refusal: privately in the channel; on the Home tab, which showed a stale button, the current state instead."""
    uow.rollback()
    if where.channel:
        pairs.answer_actor(uow.session, channel=where.channel, user=where.user, text=text, now=now)
    if where.in_home:
        for pair in service.pairs_of(uow.session, where.user):
            emit(uow.session, HomeStale(at=now, user=where.user, pair_id=pair.id))


def _change(
    body: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    uow: RequestUnit,
    change: Change,
    answer: Callable[[service.Changed, Translator], str],
) -> None:
    """Ångra on a held message: in a channel, a DM, a modal or the Home tab."""
    t, now = translator_of(context), deps_of(context).clock.now()
    where = _where(body)
    try:
        changed = change(uow.session, user=where.user, meddelande_id=where.meddelande_id, now=now)
        text = answer(changed, t)
        if where.channel:
            pairs.answer_actor(uow.session, channel=where.channel, user=where.user, text=text, now=now, pair_id=changed.pair_id)
    except UserError as err:
        text = err.render(t)
        _refused(uow, where, text, now)
    if where.in_modal:
        uow.commit()
        client.views_update(view_id=where.view_id, view=info_modal(text, t))


def angra_clicked(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, uow: RequestUnit) -> None:
    ack()
    _change(body, client, context, uow, service.cancel, present.cancelled_answer)


def akut_clicked(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, uow: RequestUnit) -> None:
    """Skicka nu som akut: first the refusals, then a modal asking for the one-line reason (`akut_reason_submitted`)."""
    ack()
    t, now = translator_of(context), deps_of(context).clock.now()
    where = _where(body)
    try:
        changed = service.may_escalate(uow.session, user=where.user, meddelande_id=where.meddelande_id, now=now)
    except UserError as err:
        _refused(uow, where, err.render(t), now)
        if where.in_modal:
            uow.commit()
            client.views_update(view_id=where.view_id, view=info_modal(err.render(t), t))
        return
    uow.commit()
    metadata = ids.akut_reason_metadata(changed.meddelande_id, where.channel, where.view_id if where.in_modal else None)
    view = present.akut_reason_modal(changed, metadata, t)
    # views.open/push need the trigger_id within 3 s: not a message, so not via the outbox.
    if where.in_modal:
        client.views_push(trigger_id=body["trigger_id"], view=view)
    else:
        client.views_open(trigger_id=body["trigger_id"], view=view)


def akut_reason_submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext, uow: RequestUnit
) -> None:
    """The reason modal: escalate with the reason; an empty or too long reason is refused on the field."""
    t, now = translator_of(context), deps_of(context).clock.now()
    user = body["user"]["id"]
    meddelande_id, channel, parent = ids.akut_reason_metadata_of(view.get("private_metadata"))
    values = view["state"]["values"]
    reason = values.get(ids.MEDDELA_AKUT_REASON, {}).get(ids.MEDDELA_AKUT_REASON, {}).get("value")
    try:
        changed = service.escalate(uow.session, user=user, meddelande_id=meddelande_id, now=now, reason=reason)
        text = present.escalated_answer(changed, t)
        if channel:
            pairs.answer_actor(uow.session, channel=channel, user=user, text=text, now=now, pair_id=changed.pair_id)
    except service.MessageError as err:
        uow.rollback()
        ack(response_action="errors", errors={ids.MEDDELA_AKUT_REASON: err.render(t)})
        return
    except UserError as err:
        uow.rollback()
        # Delivered, cancelled or claimed while the modal was open: say so where the sender is looking.
        ack(response_action="update", view=info_modal(err.render(t), t))
        return
    if channel:
        ack()  # the answer is in the channel, next to the button
    elif parent:
        # Pushed on the shortcut's modal: close the reason form, and the modal below shows the answer.
        ack()
        uow.commit()
        client.views_update(view_id=parent, view=info_modal(text, t))
    else:
        ack(response_action="update", view=info_modal(text, t))


def register(app: App) -> None:
    app.command("/meddela", middleware=[with_member()])(meddela_command)
    app.shortcut(ids.MEDDELA_SHORTCUT, middleware=[with_uow])(shortcut_opened)
    app.view(ids.MEDDELA_MODAL, middleware=[with_uow])(modal_submitted)
    app.action(ids.MEDDELA_ANGRA, middleware=[with_uow])(angra_clicked)
    app.action(ids.MEDDELA_AKUT, middleware=[with_uow])(akut_clicked)
    app.view(ids.MEDDELA_AKUT_MODAL, middleware=[with_uow])(akut_reason_submitted)
