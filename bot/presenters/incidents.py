"""A closed incident in words: who owns the follow-up and how it was cleared up ("klarades ut").

Shared by the agenda, the diarium export and the talk material. It imports nothing of the
Slack edge, so every presenter may use it.
"""

from __future__ import annotations

from bot.i18n import Translator
from bot.text import escape, one_line


def owner_label(owner: str | None, t: Translator) -> str:
    """Who owns an incident's follow-up: 'KSO', 'KD' or 'KSO och KD'."""
    return {"kso": "KSO", "kd": "KD", "bada": t("KSO och KD")}.get(owner or "", owner or "")


def resolution_note(owner: str | None, resolution: str | None, t: Translator) -> str:
    """'uppföljning: KD · klarades ut: …' for a closed incident ('' for other points)."""
    if not resolution:
        return ""
    return t("uppföljning: {owner} · klarades ut: {note}").format(owner=owner_label(owner, t), note=escape(one_line(resolution, 300)))
