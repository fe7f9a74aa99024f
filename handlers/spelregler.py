"""/spelregler: show, update (modal) and version the pair's spelregler; record the utvecklingssamtal."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.errors import UserError
from bot.i18n import Translator
from bot.outbox import enqueue
from bot.presenters import spelregler as words
from bot.presenters.help import help_text
from bot.runtime import Deps
from bot.services import pairs, samtal, spelregler
from bot.services.pairs import Member
from bot.text import fmt_date_year
from handlers import ids
from handlers.common import Answer, CommandInput, MemberWork, answer_command, as_member, deps_of, translator_of

log = logging.getLogger(__name__)


def _show(t: Translator, numbered: bool, rest: str = "") -> MemberWork:
    def work(session: Session, member: Member, cmd: CommandInput, now: datetime) -> Answer:
        version = spelregler.show(session, member.pair, int(rest) if numbered else None, now)
        text, blocks = words.shown(version, member.pair.timezone, member.pair.id, t, numbered=numbered)
        return Answer(text, blocks)

    return work


def _versions(t: Translator) -> MemberWork:
    def work(session: Session, member: Member, cmd: CommandInput, now: datetime) -> Answer:
        return Answer(words.versions_text(spelregler.versions(session, member.pair, now), member.pair.timezone, t))

    return work


def _record_talk(t: Translator) -> MemberWork:
    def work(session: Session, member: Member, cmd: CommandInput, now: datetime) -> Answer:
        result = samtal.record_talk(session, member, now)
        text, blocks = words.talk_recorded(fmt_date_year(result.next_talk, t), member.pair.id, t)
        return Answer(text, blocks)

    return work


def _run(deps: Deps, t: Translator, cmd: CommandInput) -> Answer:
    """Every verb but `uppdatera` (which opens the form instead of answering)."""
    verb, rest = cmd.split()
    if verb in ("", "visa"):
        return as_member(deps, _show(t, numbered=False))(cmd)
    if verb == "version":
        if not rest.isdigit():
            return Answer(words.need_number(t))
        return as_member(deps, _show(t, numbered=True, rest=rest))(cmd)
    if verb == "versioner":
        return as_member(deps, _versions(t))(cmd)
    if verb in ("genomfört", "genomfort"):
        return as_member(deps, _record_talk(t))(cmd)
    return Answer(words.unknown_verb(verb, t) + "\n" + help_text("/spelregler", t))


def _open_modal(deps: Deps, t: Translator, client: WebClient, trigger_id: str | None, channel_id: str | None, user_id: str) -> None:
    """Open the edit form; raises UserError for a non-member or a failed views.open."""
    now = deps.clock.now()
    with deps.uow() as session:
        member = pairs.require_member(session, channel_id=channel_id, user_id=user_id)
        version = spelregler.current(session, member.pair, now)
        form = ids.SpelreglerForm(member.pair.id, version.number, member.pair.channel_id)
        view = words.modal_view(version, form, t)
    if not trigger_id:
        raise UserError(words.modal_failed(t))
    try:
        client.views_open(trigger_id=trigger_id, view=view)
    except SlackApiError:
        log.warning("views.open failed for the spelregler form", exc_info=True)
        raise UserError(words.modal_failed(t)) from None


def spelregler_command(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    deps, t = deps_of(context), translator_of(context)
    cmd = CommandInput.from_body(body)
    if cmd.split()[0] == "uppdatera":
        try:
            _open_modal(deps, t, client, cmd.trigger_id, cmd.channel_id, cmd.user_id)
        except UserError as err:
            ack(response_type="ephemeral", text=err.render(t))
            return
        ack()
        return
    answer_command(ack, body, lambda c: _run(deps, t, c), t, deps=deps)


def open_clicked(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    ack()
    deps, t = deps_of(context), translator_of(context)
    user = body.get("user", {}).get("id", "")
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    try:
        _open_modal(deps, t, client, body.get("trigger_id"), channel, user)
    except UserError as err:
        if channel:
            with deps.uow() as session:
                enqueue(session, kind="ephemeral", now=deps.clock.now(), channel=channel, user=user, text=err.render(t))


def form_submitted(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    deps, t = deps_of(context), translator_of(context)
    user = body.get("user", {}).get("id", "")
    view = body.get("view", {})
    try:
        form = ids.SpelreglerForm.decode(view.get("private_metadata"))
    except ValueError:
        ack(response_action="errors", errors={ids.spelregler_block(0): words.modal_failed(t)})
        return
    texts = words.texts_from_state(view.get("state", {}).get("values", {}))
    try:
        with deps.uow() as session:
            spelregler.save_form(
                session, pair_id=form.pair_id, user=user, texts=texts, base_version=form.base_version, now=deps.clock.now()
            )
    except UserError as err:
        # A too-long section is marked on its own field; everything else on the first.
        index = err.index if isinstance(err, spelregler.SectionTooLong) else 0
        ack(response_action="errors", errors={ids.spelregler_block(index): words.error_text(err, t)})
        return
    ack()


def register(app: App) -> None:
    app.command("/spelregler")(spelregler_command)
    app.action(ids.SPELREGLER_OPEN)(open_clicked)
    app.view(ids.SPELREGLER_MODAL)(form_submitted)
