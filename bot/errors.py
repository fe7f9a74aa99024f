"""Errors that carry a message for the user."""

from __future__ import annotations

from typing import Any

from bot.i18n import SOURCE_LANGUAGE, Translator, translator


class UserError(Exception):
    """Bad input or a refused action, as a short sentence for the user.

    Raise it with the Swedish source text and its fields, `UserError(N_("Uppdrag {nr} finns inte."), nr=3)`;
    the edge renders it in the person's language with `err.render(t)`. `str(err)` is the Swedish source (for logs).
    A message already built with a translator passes through unchanged (it is not in the catalog).
    """

    def __init__(self, text: str = "", /, **fields: Any) -> None:
        super().__init__(text)
        self.text = text
        self.fields = fields

    def render(self, t: Translator) -> str:
        shown = t(self.text)
        return shown.format(**self.fields) if self.fields else shown

    def __str__(self) -> str:
        return self.render(translator(SOURCE_LANGUAGE))


class SlackUnreachable(Exception):
    """Start-up gave up waiting for Slack (5xx, 429 or no answer for SAMSPEL_STARTUP_WAIT seconds)."""
