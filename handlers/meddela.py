"""/meddela, the "Skicka med Samspel" shortcut and the held-message buttons (respekt rule)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot import respekt
from bot.domain.events import PairChanged
from bot.errors import UserError
from bot.manifest import SHORTCUT_CALLBACK
from bot.runtime import Deps
from bot.services import pairs
from bot.services.unit_of_work import emit
from handlers.common import Answer, CommandInput, answer_command, as_member

Service = Callable[..., respekt.Outcome]


def _message_id(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


def register(app: App, deps: Deps) -> None:
    def work(session: Session, member: pairs.Member, cmd: CommandInput, now: datetime) -> Answer:
        verb, rest = cmd.split()
        if verb == "lista" and not rest:
            text, blocks = respekt.list_answer(session, member)
            return Answer(text, blocks)
        akut = verb == "akut"
        body = rest if akut else cmd.text  # already decoded from Slack's entities
        # For `/meddela akut <text>` the text itself is the reason.
        message = respekt.send(session, member, text=body, now=now, akut=akut, reason=body if akut else None)
        sent_text, sent_blocks = respekt.sent_answer(message, member.pair.timezone)
        return Answer(sent_text, sent_blocks)

    run = as_member(deps, work)

    @app.command("/meddela")
    def meddela(ack: Ack, body: dict[str, Any]) -> None:
        answer_command(ack, body, run)

    @app.shortcut(SHORTCUT_CALLBACK)
    def shortcut(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user = body["user"]["id"]
        channel = (body.get("channel") or {}).get("id")
        message = body.get("message") or {}
        try:
            with deps.uow() as session:
                member = pairs.require_member(session, channel_id=channel, user_id=user)
                metadata = json.dumps({"channel": channel, "origin_user": message.get("user")})
                view = respekt.compose_modal(member, message.get("text") or "", metadata)
        except UserError as err:
            view = respekt.info_modal(str(err))
        client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.view(respekt.MODAL_CALLBACK)
    def submit(ack: Ack, body: dict[str, Any]) -> None:
        user = body["user"]["id"]
        view = body["view"]
        values = view["state"]["values"]
        meta = json.loads(view.get("private_metadata") or "{}")
        text = (values.get(respekt.TEXT_BLOCK, {}).get(respekt.TEXT_BLOCK, {}).get("value")) or ""
        chosen = values.get(respekt.AKUT_BLOCK, {}).get(respekt.AKUT_BLOCK, {}).get("selected_options") or []
        reason = values.get(respekt.REASON_BLOCK, {}).get(respekt.REASON_BLOCK, {}).get("value")
        akut = any(option.get("value") == "akut" for option in chosen)
        now = deps.clock.now()
        try:
            with deps.uow() as session:
                member = pairs.require_member(session, channel_id=meta.get("channel"), user_id=user)
                message = respekt.send(session, member, text=text, now=now, akut=akut, reason=reason,
                                       source="shortcut", origin_user=meta.get("origin_user"))
                answer, blocks = respekt.sent_answer(message, member.pair.timezone)
        except respekt.MessageError as err:
            ack(response_action="errors", errors={err.field: str(err)})
            return
        except UserError as err:
            ack(response_action="errors", errors={respekt.TEXT_BLOCK: str(err)})
            return
        ack(response_action="update", view=respekt.info_modal(answer, blocks))

    def act(body: dict[str, Any], client: WebClient, service: Service) -> None:
        user = body["user"]["id"]
        action = body["actions"][0]
        container = body.get("container") or {}
        view = body.get("view") or {}
        in_modal = container.get("type") == "view" and view.get("type") == "modal"
        in_home = container.get("type") == "view" and view.get("type") == "home"
        channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
        now = deps.clock.now()

        def answer_in_channel(session: Session, pair_id: int | None, text: str) -> None:
            if channel and not (in_modal or in_home):
                pairs.answer_actor(session, channel=channel, user=user, text=text, now=now, pair_id=pair_id)

        try:
            with deps.uow() as session:
                outcome = service(session, user=user, meddelande_id=_message_id(action.get("value")), now=now)
                text = outcome.text
                answer_in_channel(session, outcome.message.pair_id, text)
        except UserError as err:
            text = str(err)
            with deps.uow() as session:
                answer_in_channel(session, None, text)
                if in_home:
                    # The Home tab showed a stale button: show the current state instead.
                    for pair in respekt.pairs_of(session, user):
                        emit(session, PairChanged(at=now, pair_id=pair.id))
        if in_modal:
            client.views_update(view_id=view["id"], view=respekt.info_modal(text))

    @app.action(respekt.ANGRA_ACTION)
    def angra(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        act(body, client, respekt.cancel)

    @app.action(respekt.AKUT_ACTION)
    def skicka_akut(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        act(body, client, respekt.escalate)
