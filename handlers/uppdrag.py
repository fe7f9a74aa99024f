"""/uppdrag: the KSO's assignments to the KD, and the answer modal for an oklart question."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.errors import UserError
from bot.i18n import Translator
from bot.presenters import deadline as deadline_words
from bot.presenters import uppdrag as present
from bot.services import pairs
from bot.services import uppdrag as service
from handlers import ids
from handlers.common import Answer, CommandInput, answer_command, deps_of, translator_of
from handlers.middleware import with_member, with_uow
from handlers.unit import RequestUnit


def _change(session: Session, member: pairs.Member, verb: str, rest: str, cmd: CommandInput, now: datetime, t: Translator) -> str:
    if verb == "klart":
        return present.closed(service.close(session, member, rest, now), t)
    if verb == "oklart":
        return present.asked(service.ask(session, member, rest, now), t)
    if verb == "svar":
        return present.answered(service.answer(session, member, rest, now), t)
    try:
        return present.given(service.give(session, member, cmd.text, now), t)
    except service.DeadlineRefused as err:
        return deadline_words.explain(err.error, t)


def uppdrag_command(ack: Ack, body: dict[str, Any], context: BoltContext, uow: RequestUnit, member: pairs.Member) -> None:
    t, now = translator_of(context), deps_of(context).clock.now()

    def run(cmd: CommandInput) -> Answer:
        verb, rest = cmd.split()
        if verb == "":
            return Answer(present.usage(t))
        if verb == "lista" and not rest:
            return Answer(present.list_text(service.list_open(uow.session, member, now), t))
        return Answer(_change(uow.session, member, verb, rest, cmd, now, t))

    answer_command(ack, body, run, t, uow, now=now)


def svara_clicked(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, uow: RequestUnit) -> None:
    ack()
    deps, t = deps_of(context), translator_of(context)
    user = body["user"]["id"]
    channel = (body.get("channel") or {}).get("id")
    try:
        found = service.open_for_answer(uow.session, int(body["actions"][0]["value"]), user)
        view = present.svar_modal(found.uppdrag, found.question, t)
    except (UserError, ValueError) as err:
        uow.rollback()
        text = err.render(t) if isinstance(err, UserError) else present.broken_button(t)
        pairs.answer_actor(uow.session, channel=channel, user=user, text=text, now=deps.clock.now())
        return
    uow.commit()
    # views.open needs the trigger_id within 3 s: not a message, so not via the outbox.
    client.views_open(trigger_id=body["trigger_id"], view=view)


def svar_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, uow: RequestUnit) -> None:
    deps, t = deps_of(context), translator_of(context)
    user = body["user"]["id"]
    svar = (view["state"]["values"].get(ids.UPPDRAG_SVAR_BLOCK, {}).get(ids.UPPDRAG_SVAR_INPUT, {}).get("value") or "").strip()
    try:
        fraga_id = ids.svar_fraga_of(view.get("private_metadata"))
        service.answer_from_form(uow.session, user, fraga_id, svar, deps.clock.now())
    except (UserError, ValueError) as err:
        uow.rollback()
        message = err.render(t) if isinstance(err, UserError) else present.broken_form(t)
        ack(response_action="errors", errors={ids.UPPDRAG_SVAR_BLOCK: message})
        return
    ack()


def register(app: App) -> None:
    app.command("/uppdrag", middleware=[with_member()])(uppdrag_command)
    app.action(ids.UPPDRAG_SVARA, middleware=[with_uow])(svara_clicked)
    app.view(ids.UPPDRAG_SVAR_MODAL, middleware=[with_uow])(svar_submitted)
