"""/spelregler: show, update (modal) and version the pair's spelregler; record the utvecklingssamtal."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors import UserError
from bot.i18n import Translator
from bot.outbox import enqueue
from bot.presenters import spelregler as words
from bot.presenters.help import help_text
from bot.services import pairs, samtal, spelregler
from bot.services.pairs import Member
from bot.text import fmt_date_year
from handlers import ids
from handlers.common import Answer, CommandInput, answer_command, deps_of, translator_of
from handlers.middleware import with_member, with_uow
from handlers.unit import RequestUnit

log = logging.getLogger(__name__)


def _run(uow: RequestUnit, member: Member | None, t: Translator, now: datetime, cmd: CommandInput) -> Answer:
    """Every verb but `uppdatera` (which opens the form instead of answering)."""
    verb, rest = cmd.split()
    if verb == "version" and not rest.isdigit():
        return Answer(words.need_number(t))
    if member is None:  # not `_for_the_pair` (with_member resolved it otherwise)
        return Answer(words.unknown_verb(verb, t) + "\n" + help_text("/spelregler", t))
    pair, session = member.pair, uow.session
    if verb in ("genomfört", "genomfort"):
        result = samtal.record_talk(session, member, now)
        return Answer(*words.talk_recorded(fmt_date_year(result.next_talk, t), pair.id, t))
    if verb == "versioner":
        return Answer(words.versions_text(spelregler.versions(session, pair, now), pair.timezone, t))
    numbered = verb == "version"
    version = spelregler.show(session, pair, int(rest) if numbered else None, now)
    return Answer(*words.shown(version, pair.timezone, pair.id, t, numbered=numbered))


def _for_the_pair(cmd: CommandInput) -> bool:
    """The verbs about the pair's spelregler; an unknown one (or `version` without a number) is answered without asking which pair."""
    verb, rest = cmd.split()
    return verb in ("", "visa", "versioner", "genomfört", "genomfort", "uppdatera") or (verb == "version" and rest.isdigit())


def _open_modal(uow: RequestUnit, member: Member, t: Translator, client: WebClient, trigger_id: str | None, now: datetime) -> None:
    """Open the edit form; raises UserError for a failed views.open."""
    version = spelregler.current(uow.session, member.pair, now)
    form = ids.SpelreglerForm(member.pair.id, version.number, member.pair.channel_id)
    view = words.modal_view(version, form, t)
    # Committed first: the template's version 1, made on first use, is what the form's base_version names.
    uow.commit()
    if not trigger_id:
        raise UserError(words.modal_failed(t))
    try:
        client.views_open(trigger_id=trigger_id, view=view)
    except SlackApiError:
        log.warning("views.open failed for the spelregler form", exc_info=True)
        raise UserError(words.modal_failed(t)) from None


def spelregler_command(
    ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, uow: RequestUnit, member: Member | None
) -> None:
    t, now = translator_of(context), deps_of(context).clock.now()
    cmd = CommandInput.from_body(body)
    if cmd.split()[0] == "uppdatera" and member is not None:
        try:
            _open_modal(uow, member, t, client, cmd.trigger_id, now)
        except UserError as err:
            ack(response_type="ephemeral", text=err.render(t))
            return
        ack()
        return
    answer_command(ack, body, lambda c: _run(uow, member, t, now, c), t, uow, now=now)


def open_clicked(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, uow: RequestUnit) -> None:
    ack()
    t, now = translator_of(context), deps_of(context).clock.now()
    user = body.get("user", {}).get("id", "")
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    try:
        member = pairs.require_member(uow.session, channel_id=channel, user_id=user)
        _open_modal(uow, member, t, client, body.get("trigger_id"), now)
    except UserError as err:
        uow.rollback()
        if channel:
            enqueue(uow.session, kind="ephemeral", now=now, channel=channel, user=user, text=err.render(t))


def form_submitted(ack: Ack, body: dict[str, Any], context: BoltContext, uow: RequestUnit) -> None:
    t = translator_of(context)
    user = body.get("user", {}).get("id", "")
    view = body.get("view", {})
    try:
        form = ids.SpelreglerForm.decode(view.get("private_metadata"))
    except ValueError:
        ack(response_action="errors", errors={ids.spelregler_block(0): words.modal_failed(t)})
        return
    texts = words.texts_from_state(view.get("state", {}).get("values", {}))
    try:
        spelregler.save_form(
            uow.session, pair_id=form.pair_id, user=user, texts=texts, base_version=form.base_version, now=deps_of(context).clock.now()
        )
    except UserError as err:
        uow.rollback()
        # A too-long section is marked on its own field; everything else on the first.
        index = err.index if isinstance(err, spelregler.SectionTooLong) else 0
        ack(response_action="errors", errors={ids.spelregler_block(index): words.error_text(err, t)})
        return
    ack()


def register(app: App) -> None:
    app.command("/spelregler", middleware=[with_member(_for_the_pair)])(spelregler_command)
    app.action(ids.SPELREGLER_OPEN, middleware=[with_uow])(open_clicked)
    app.view(ids.SPELREGLER_MODAL, middleware=[with_uow])(form_submitted)
