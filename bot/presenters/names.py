"""How people are named where their Slack id is not enough (exports, the audit log)."""

from __future__ import annotations

from bot.i18n import Translator


def erased_person(t: Translator) -> str:
    """In place of the name of someone whose data was erased (bot.services.erase)."""
    return t("(raderad person)")
