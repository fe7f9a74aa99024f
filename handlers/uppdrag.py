"""/uppdrag: the KSO's assignments to the KD, and the answer modal for an oklart question."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot import uppdrag
from bot.errors import UserError
from bot.i18n import _
from bot.runtime import Deps
from bot.services import pairs
from handlers.common import Answer, CommandInput, answer_command, as_member

SVAR_CALLBACK, SVAR_BLOCK, SVAR_INPUT = uppdrag.SVAR_CALLBACK, uppdrag.SVAR_BLOCK, uppdrag.SVAR_INPUT


def register(app: App, deps: Deps) -> None:
    def work(session: Session, member: pairs.Member, cmd: CommandInput, now: datetime) -> Answer:
        verb, rest = cmd.split()
        if verb == "":
            return Answer(_("Skriv uppdraget efter kommandot: `/uppdrag Ta fram underlag om skolskjutsar senast fredag`. "
                            "Se `/uppdrag hjälp`."))
        if verb == "lista" and not rest:
            return Answer(uppdrag.list_text(session, member, now))
        changes = {"klart": uppdrag.close, "oklart": uppdrag.ask, "svar": uppdrag.answer}
        change = changes.get(verb)
        return Answer(change(session, member, rest, now) if change else uppdrag.give(session, member, cmd.text, now))

    run = as_member(deps, work)

    @app.command("/uppdrag")
    def uppdrag_command(ack: Ack, body: dict[str, Any]) -> None:
        answer_command(ack, body, run)

    @app.action(uppdrag.SVARA_ACTION)
    def svara_clicked(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user = body["user"]["id"]
        channel = (body.get("channel") or {}).get("id")
        try:
            fraga_id = int(body["actions"][0]["value"])
            with deps.uow() as session:
                view = uppdrag.answer_form(session, fraga_id, user)
        except (UserError, ValueError) as err:
            _tell(deps, channel, user, str(err) if isinstance(err, UserError) else _("Knappen är trasig: använd `/uppdrag svar <nr> <text>`."))
            return
        # views.open needs the trigger_id within 3 s: not a message, so not via the outbox.
        client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.view(SVAR_CALLBACK)
    def svar_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user = body["user"]["id"]
        svar = (view["state"]["values"].get(SVAR_BLOCK, {}).get(SVAR_INPUT, {}).get("value") or "").strip()
        now = deps.clock.now()
        try:
            fraga_id = int(view.get("private_metadata") or "0")
            with deps.uow() as session:
                _question, u = uppdrag.find_question(session, fraga_id)
                member = uppdrag.member_of(session, u.pair_id, user)
                uppdrag.answer_question(session, member, fraga_id, svar, now)
        except (UserError, ValueError) as err:
            message = str(err) if isinstance(err, UserError) else _("Formuläret är trasigt: använd `/uppdrag svar <nr> <text>`.")
            ack(response_action="errors", errors={SVAR_BLOCK: message})
            return
        ack()


def _tell(deps: Deps, channel: str | None, user: str, text: str) -> None:
    with deps.uow() as session:
        pairs.answer_actor(session, channel=channel, user=user, text=text, now=deps.clock.now())
