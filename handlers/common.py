"""Helpers shared by the thin Bolt listeners."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors import UserError
from bot.i18n import Translator
from bot.outbox import enqueue, fit
from bot.presenters.blocks import button, section  # noqa: F401 - re-exported for listeners
from bot.presenters.help import HELP_WORDS, help_text
from bot.runtime import Deps
from bot.text import from_slack
from handlers.unit import RequestUnit

log = logging.getLogger(__name__)


def deps_of(context: BoltContext) -> Deps:
    """The composition root's wiring, put into every request's context by `handlers.registry.register`."""
    deps: Deps = context["deps"]
    return deps


def translator_of(context: BoltContext) -> Translator:
    """The translator for the person who acted: their language, else the deployment's default.

    `handlers.register`'s middleware puts it into every request's context.
    """
    t: Translator = context["t"]
    return t


# The lookup runs before a command's ack (Slack's limit: 3 s), so it may not take long.
LOCALE_TIMEOUT_S = 2


def slack_locale(client: WebClient | None) -> Callable[[str], str | None] | None:
    """Asks Slack for a person's locale (`users.info` with include_locale): "" when Slack has none for them,
    None when Slack could not be asked (then it is asked again later)."""
    if client is None:
        return None

    def lookup(user_id: str) -> str | None:
        quick = WebClient(token=client.token, base_url=client.base_url, timeout=LOCALE_TIMEOUT_S)
        try:
            found = quick.users_info(user=user_id, include_locale=True).get("user") or {}
        except (SlackApiError, OSError) as err:
            log.warning("users.info for the locale failed (%s); the default language is used", type(err).__name__)
            return None
        locale = found.get("locale")
        return locale if isinstance(locale, str) else ""

    return lookup


def learn_languages(context: BoltContext, users: Iterable[str]) -> None:
    """Ask Slack (once per person) for the language of people Samspel is about to write to first.

    The middleware learns the language of whoever acts; someone who never has (an invitee)
    would otherwise get their first DM in the deployment's default.
    """
    languages = deps_of(context).languages
    if languages is None:
        return
    lookup = slack_locale(context.client)
    for user in users:
        languages.language(user, locale=lookup)


def _storable(text: str) -> str:
    """Text as PostgreSQL can store it: no NUL characters (pasted from some programs), no lone UTF-16 halves.

    Both are invisible in Slack, so dropping them keeps what the person meant; stored, they
    made the whole command fail with a generic error.
    """
    return text.replace("\x00", "").encode("utf-8", errors="replace").decode("utf-8")


@dataclass(frozen=True)
class CommandInput:
    """The parts of a slash-command request that the services need."""

    team_id: str
    channel_id: str
    user_id: str
    command: str
    text: str
    trigger_id: str | None

    @classmethod
    def from_body(cls, body: dict[str, Any]) -> CommandInput:
        return cls(
            team_id=body.get("team_id", ""),
            channel_id=body.get("channel_id", ""),
            user_id=body.get("user_id", ""),
            command=body.get("command", ""),
            text=from_slack(_storable(body.get("text") or "").strip()),
            trigger_id=body.get("trigger_id"),
        )

    def split(self) -> tuple[str, str]:
        """('verb', 'rest') with the verb lower-cased; ('', '') for no text."""
        verb, _, rest = self.text.partition(" ")
        return verb.lower(), rest.strip()

    @property
    def wants_help(self) -> bool:
        return self.split()[0] in HELP_WORDS


@dataclass(frozen=True)
class Answer:
    """An ephemeral answer to the person who acted."""

    text: str
    blocks: list[dict[str, Any]] | None = None


def fitted(answer: Answer) -> list[Answer]:
    """The answer as consecutive messages that each fit Slack's limits, in order and whole (one if it fits)."""
    if fit.fits_message(answer.blocks, answer.text):
        return [answer]
    if not answer.blocks:
        return [Answer(part) for part in fit.split_text(answer.text)]
    # The blocks are what Slack shows; the text is only their fallback, so each part carries it (cut to fit).
    text = fit.split_text(answer.text)[0] if len(answer.text) > fit.MAX_TEXT_CHARS else answer.text
    return [Answer(text, part) for part in fit.split_blocks(answer.blocks)]


def _answer_more(uow: RequestUnit, now: datetime, body: dict[str, Any], cmd: CommandInput, parts: list[Answer]) -> None:
    """The rest of an answer too long for one message: ephemerals to the same person, queued after the ack
    (in the request's next unit of work, kept when the listener returns)."""
    try:
        for part in parts:
            enqueue(
                uow.session,
                kind="ephemeral",
                now=now,
                channel=cmd.channel_id,
                user=cmd.user_id,
                text=part.text,
                blocks=part.blocks,
                team_id=cmd.team_id or None,
                enterprise_id=body.get("enterprise_id") or None,
            )
    except Exception:
        uow.rollback()
        # The ack (the first part) is out; the person sees that much, and the log says why the rest is missing.
        log.exception("%s: the rest of a long answer could not be queued", cmd.command)


def answer_command(
    ack: Ack, body: dict[str, Any], run: Callable[[CommandInput], Answer], t: Translator, uow: RequestUnit, *, now: datetime
) -> None:
    """Parse, run the service, and answer privately; UserError becomes its message in `t`'s language.

    The answer is the command's HTTP response (ack), which Slack shows only to the
    person who typed it; everything that reaches someone else goes via the outbox.
    The request's unit of work commits before the answer, so the answer never says
    that something was saved which then failed to commit.
    An answer over Slack's limits for one message is acked with its first part, and the
    other parts follow at once as ephemerals (same lane, so in order) through the outbox.
    """
    cmd = CommandInput.from_body(body)
    if cmd.wants_help:
        ack(response_type="ephemeral", text=help_text(None if cmd.command == "/samspel" else cmd.command, t))
        return
    try:
        answer = run(cmd)
        uow.commit()
    except UserError as err:
        uow.rollback()
        answer = Answer(err.render(t))
    except Exception:
        uow.rollback()
        # The transaction rolled back, so nothing was half-stored; say so instead of Slack's generic error.
        log.exception("%s failed", cmd.command)
        answer = Answer(t("Något gick fel hos Samspel, så inget sparades. Försök igen om en stund."))
    first, *rest = fitted(answer)
    # Acked first, queued after: in Slack the first part is shown before the others are even sent.
    ack(response_type="ephemeral", text=first.text, blocks=first.blocks)
    if rest:
        _answer_more(uow, now, body, cmd, rest)
