"""/arende: the KD hands over cases; the KSO decides with Till KS / Åter för beredning."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.domain import arende as rules
from bot.errors import UserError
from bot.presenters import arende as present
from bot.services import arende as service
from bot.services import pairs
from handlers import ids
from handlers.common import Answer, CommandInput, answer_command, deps_of, translator_of
from handlers.middleware import with_member, with_uow
from handlers.unit import RequestUnit


def _clicked(body: dict[str, Any]) -> tuple[str | None, str | None]:
    """(channel, message ts) of the clicked message; (None, None) from the Home tab."""
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
    return channel, container.get("message_ts")


def _tell(uow: RequestUnit, now: datetime, channel: str | None, user: str, text: str) -> None:
    """A refusal, privately to the clicker: what the click began is undone first."""
    uow.rollback()
    pairs.answer_actor(uow.session, channel=channel, user=user, text=text, now=now)


def arende_command(ack: Ack, body: dict[str, Any], context: BoltContext, uow: RequestUnit, member: pairs.Member) -> None:
    t, now = translator_of(context), deps_of(context).clock.now()

    def run(cmd: CommandInput) -> Answer:
        verb, rest = cmd.split()
        if verb == "":
            return Answer(present.usage(t))
        if verb == "lista" and not rest:
            return Answer(present.list_text(service.list_cases(uow.session, member, now), t))
        if rules.is_resubmission(verb, rest):
            return Answer(present.submitted(service.resubmit(uow.session, member, rest, now), t))
        return Answer(present.submitted(service.submit(uow.session, member, cmd.text, now), t))

    answer_command(ack, body, run, t, uow, now=now)


def till_ks(ack: Ack, body: dict[str, Any], context: BoltContext, uow: RequestUnit) -> None:
    ack()
    t, now = translator_of(context), deps_of(context).clock.now()
    user = body["user"]["id"]
    channel, ts = _clicked(body)
    try:
        decision = service.Decision(int(body["actions"][0]["value"]), rules.TILL_KS, clicked=(channel, ts) if channel and ts else None)
        text = present.decided(service.decide(uow.session, user, decision, now), t)
        pairs.answer_actor(uow.session, channel=channel, user=user, text=text, now=now)
    except UserError as err:
        _tell(uow, now, channel, user, err.render(t))
    except ValueError:
        _tell(uow, now, channel, user, present.not_a_case(t))


def ater_clicked(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, uow: RequestUnit) -> None:
    ack()
    t, now = translator_of(context), deps_of(context).clock.now()
    user = body["user"]["id"]
    channel, ts = _clicked(body)
    try:
        arende_id = int(body["actions"][0]["value"])
        view = present.ater_modal(service.check_can_return(uow.session, arende_id, user), t, channel=channel, message_ts=ts)
    except UserError as err:
        _tell(uow, now, channel, user, err.render(t))
        return
    except ValueError:
        _tell(uow, now, channel, user, present.not_a_case(t))
        return
    uow.commit()
    # views.open needs the trigger_id within 3 s: not a message, so not via the outbox.
    client.views_open(trigger_id=body["trigger_id"], view=view)


def ater_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, uow: RequestUnit) -> None:
    t, now = translator_of(context), deps_of(context).clock.now()
    user = body["user"]["id"]
    value = view["state"]["values"].get(ids.ARENDE_COMMENT_BLOCK, {}).get(ids.ARENDE_COMMENT_INPUT, {}).get("value") or ""
    try:
        if not value.strip():
            raise UserError(present.comment_needed(t))
        arende_id, channel, ts = ids.read_ater_metadata(view.get("private_metadata"))
        decision = service.Decision(arende_id, rules.ATER, comment=value, clicked=(channel, ts) if channel and ts else None)
        text = present.decided(service.decide(uow.session, user, decision, now), t)
        pairs.answer_actor(uow.session, channel=channel, user=user, text=text, now=now)
    except UserError as err:
        uow.rollback()
        ack(response_action="errors", errors={ids.ARENDE_COMMENT_BLOCK: err.render(t)})
        return
    except (ValueError, KeyError, TypeError):
        uow.rollback()
        ack(response_action="errors", errors={ids.ARENDE_COMMENT_BLOCK: present.form_not_a_case(t)})
        return
    ack()


def register(app: App) -> None:
    app.command("/arende", middleware=[with_member()])(arende_command)
    app.action(ids.ARENDE_TILL_KS, middleware=[with_uow])(till_ks)
    app.action(ids.ARENDE_ATER, middleware=[with_uow])(ater_clicked)
    app.view(ids.ARENDE_ATER_MODAL, middleware=[with_uow])(ater_submitted)
