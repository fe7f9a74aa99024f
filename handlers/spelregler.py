"""/spelregler: show, update (modal) and version the pair's spelregler; record the utvecklingssamtal."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import samtal, spelregler
from bot.domain.events import PairChanged
from bot.errors import UserError
from bot.i18n import _, translator
from bot.outbox import enqueue
from bot.presenters.help import help_text
from bot.runtime import Deps
from bot.services import pairs
from bot.services.unit_of_work import emit
from handlers.common import Answer, CommandInput, answer_command, button, section

log = logging.getLogger(__name__)


def modal_failed() -> str:
    return _("Formuläret gick inte att öppna just nu. Försök igen om en stund.")


def register(app: App, deps: Deps) -> None:
    def show(cmd: CommandInput, number: int | None = None) -> Answer:
        now = deps.clock.now()
        with deps.uow() as session:
            member = pairs.require_member(session, channel_id=cmd.channel_id, user_id=cmd.user_id)
            if number is None:
                version = spelregler.current(session, member.pair, now)
                title = _("Våra spelregler")
            else:
                version = spelregler.get_version(session, member.pair, number, now)
                title = _("Spelregler, version {version}").format(version=version.version)
            blocks = spelregler.blocks(version, member.pair.timezone, title=title)
            blocks.append({"type": "actions", "elements": [
                button(_("Uppdatera"), spelregler.OPEN_ACTION, str(member.pair.id))]})
            return Answer(f"{title}: {spelregler.byline(version, member.pair.timezone)}", blocks)

    def run(cmd: CommandInput) -> Answer:
        verb, rest = cmd.split()
        now = deps.clock.now()
        if verb in ("", "visa"):
            return show(cmd)
        if verb == "version":
            if not rest.isdigit():
                return Answer(_("Ange versionens nummer: `/spelregler version 2`. Se `/spelregler versioner`."))
            return show(cmd, int(rest))
        if verb == "versioner":
            with deps.uow() as session:
                member = pairs.require_member(session, channel_id=cmd.channel_id, user_id=cmd.user_id)
                rows = spelregler.versions(session, member.pair, now)
                return Answer(spelregler.versions_text(rows, member.pair.timezone))
        if verb in ("genomfört", "genomfort"):
            with deps.uow() as session:
                member = pairs.require_member(session, channel_id=cmd.channel_id, user_id=cmd.user_id)
                result = samtal.record_talk(session, member, now)
                emit(session, PairChanged(at=now, pair_id=member.pair.id))
                pair_id = member.pair.id
            text = _("Utvecklingssamtalet är registrerat som genomfört. Nästa utvecklingssamtal: {next} (ändra med "
                     "`/samspel utvecklingssamtal ÅÅÅÅ-MM-DD`).\n"
                     "Nu är det dags att spara de spelregler ni kom fram till.").format(
                next=samtal.full_date(result.next_talk))
            return Answer(text, [section(text), {"type": "actions", "elements": [
                button(_("Uppdatera spelreglerna"), spelregler.OPEN_ACTION, str(pair_id), style="primary")]}])
        return Answer(_("Okänt kommando `{verb}`.").format(verb=verb) + "\n" + help_text("/spelregler", translator()))

    def open_modal(client: WebClient, trigger_id: str | None, channel_id: str | None, user_id: str) -> None:
        """Open the edit form; raises UserError for a non-member or a failed views.open."""
        now = deps.clock.now()
        with deps.uow() as session:
            member = pairs.require_member(session, channel_id=channel_id, user_id=user_id)
            version = spelregler.current(session, member.pair, now)
            meta = json.dumps({"pair_id": member.pair.id, "base_version": version.version,
                               "channel": member.pair.channel_id})
            view = spelregler.modal_view(version, meta)
        if not trigger_id:
            raise UserError(modal_failed())
        try:
            client.views_open(trigger_id=trigger_id, view=view)
        except SlackApiError:
            log.warning("views.open failed for the spelregler form", exc_info=True)
            raise UserError(modal_failed()) from None

    @app.command("/spelregler")
    def command(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        cmd = CommandInput.from_body(body)
        if cmd.split()[0] == "uppdatera":
            try:
                open_modal(client, cmd.trigger_id, cmd.channel_id, cmd.user_id)
            except UserError as err:
                ack(response_type="ephemeral", text=str(err))
                return
            ack()
            return
        answer_command(ack, body, run)

    @app.action(spelregler.OPEN_ACTION)
    def open_from_button(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user = body.get("user", {}).get("id", "")
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
        try:
            open_modal(client, body.get("trigger_id"), channel, user)
        except UserError as err:
            if channel:
                now = deps.clock.now()
                with deps.uow() as session:
                    enqueue(session, kind="ephemeral", now=now, channel=channel, user=user, text=str(err))

    @app.view(spelregler.MODAL_CALLBACK)
    def submit(ack: Ack, body: dict[str, Any]) -> None:
        user = body.get("user", {}).get("id", "")
        view = body.get("view", {})
        try:
            meta = json.loads(view.get("private_metadata") or "{}")
            pair_id, base = int(meta["pair_id"]), int(meta["base_version"])
        except (ValueError, KeyError, TypeError):
            ack(response_action="errors", errors={spelregler.block_id(0): modal_failed()})
            return
        texts = spelregler.texts_from_state(view.get("state", {}).get("values", {}))
        now = deps.clock.now()
        try:
            with deps.uow() as session:
                pair = pairs.get_pair(session, pair_id)
                if pair.role_of(user) is None:
                    raise UserError(pairs.NOT_MEMBER)
                row = spelregler.save_version(session, pair, author=user, texts=texts, base_version=base, now=now)
                cal = pairs.calendar_for(session, pair)
                enqueue(session, kind="post", now=now, channel=pair.channel_id, pair_id=pair.id,
                        deliver_after=cal.next_working_start(now), respekt=True,
                        text=_(":memo: <@{user}> sparade version {version} av era spelregler. "
                               "Visa dem med `/spelregler`, tidigare versioner med `/spelregler versioner`.")
                        .format(user=user, version=row.version))
                emit(session, PairChanged(at=now, pair_id=pair.id))
        except UserError as err:
            # A too-long section is marked on its own field; everything else on the first.
            index = err.index if isinstance(err, spelregler.SectionTooLong) else 0
            ack(response_action="errors", errors={spelregler.block_id(index): str(err)})
            return
        ack()
