"""Errors that carry a message for the user."""

from bot.i18n import _


class UserError(Exception):
    """Bad input or a refused action; `str(err)` is a short sentence for the user.

    A message given as a marked constant (e.g. `pairs.NOT_MEMBER`) is translated when it is
    shown; one already built with `_()` passes through unchanged.
    """

    def __str__(self) -> str:
        return _(str(self.args[0])) if self.args else ""


class SlackUnreachable(Exception):
    """Start-up gave up waiting for Slack (5xx, 429 or no answer for SAMSPEL_STARTUP_WAIT seconds)."""
