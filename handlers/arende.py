"""/arende: the KD hands over cases; the KSO decides with Till KS / Åter för beredning."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot import arende
from bot.errors import UserError
from bot.i18n import _
from bot.runtime import Deps
from bot.services import pairs
from handlers.common import Answer, CommandInput, answer_command, as_member


def _clicked(body: dict[str, Any]) -> tuple[str | None, str | None]:
    """(channel, message ts) of the clicked message; (None, None) from the Home tab."""
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
    return channel, container.get("message_ts")


def register(app: App, deps: Deps) -> None:
    def work(session: Session, member: pairs.Member, cmd: CommandInput, now: datetime) -> Answer:
        verb, rest = cmd.split()
        if verb == "":
            return Answer(_("Skriv ärendets titel efter kommandot: `/arende Detaljplan Norra hamnen KS 2026/123 ks 2026-12-08`. "
                            "Se `/arende hjälp`."))
        if verb == "lista" and not rest:
            return Answer(arende.list_text(session, member, now))
        # `/arende åter 3 …` resubmits case #3; a title that merely starts with "Åter" is a new case.
        if verb in ("åter", "ater") and (not rest or rest.split()[0].lstrip("#").isdigit()):
            return Answer(arende.resubmit(session, member, rest, now))
        return Answer(arende.submit(session, member, cmd.text, now))

    run = as_member(deps, work)

    @app.command("/arende")
    def arende_command(ack: Ack, body: dict[str, Any]) -> None:
        answer_command(ack, body, run)

    def tell(channel: str | None, user: str, text: str) -> None:
        with deps.uow() as session:
            pairs.answer_actor(session, channel=channel, user=user, text=text, now=deps.clock.now())

    @app.action(arende.TILL_KS_ACTION)
    def till_ks(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        user = body["user"]["id"]
        channel, ts = _clicked(body)
        now = deps.clock.now()
        try:
            arende_id = int(body["actions"][0]["value"])
            with deps.uow() as session:
                text = arende.decide(session, arende_id=arende_id, actor=user, decision="till_ks", now=now,
                                     clicked=(channel, ts) if channel and ts else None)
                pairs.answer_actor(session, channel=channel, user=user, text=text, now=now)
        except UserError as err:
            tell(channel, user, str(err))
        except ValueError:
            tell(channel, user, _("Knappen hör inte till något ärende."))

    @app.action(arende.ATER_ACTION)
    def ater(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user = body["user"]["id"]
        channel, ts = _clicked(body)
        try:
            arende_id = int(body["actions"][0]["value"])
            with deps.uow() as session:
                view = arende.ater_modal(arende.check_can_return(session, arende_id, user), channel=channel, message_ts=ts)
        except UserError as err:
            tell(channel, user, str(err))
            return
        except ValueError:
            tell(channel, user, _("Knappen hör inte till något ärende."))
            return
        # views.open needs the trigger_id within 3 s: not a message, so not via the outbox.
        client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.view(arende.ATER_CALLBACK)
    def ater_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user = body["user"]["id"]
        value = view["state"]["values"].get(arende.COMMENT_BLOCK, {}).get(arende.COMMENT_ACTION, {}).get("value") or ""
        now = deps.clock.now()
        try:
            meta = json.loads(view.get("private_metadata") or "{}")
            channel, ts = meta.get("channel"), meta.get("ts")
            if not value.strip():
                raise UserError(_("Skriv vad som behöver beredas mer."))
            with deps.uow() as session:
                text = arende.decide(session, arende_id=int(meta["arende"]), actor=user, decision="ater", now=now,
                                     comment=value, clicked=(channel, ts) if channel and ts else None)
                pairs.answer_actor(session, channel=channel, user=user, text=text, now=now)
        except UserError as err:
            ack(response_action="errors", errors={arende.COMMENT_BLOCK: str(err)})
            return
        except (ValueError, KeyError, TypeError):
            ack(response_action="errors", errors={arende.COMMENT_BLOCK: _("Formuläret hör inte till något ärende.")})
            return
        ack()
