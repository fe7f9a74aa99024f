"""The usage hint Slack shows in the message field names every word a command takes."""

from __future__ import annotations

import re

from bot.presenters.help import COMMANDS


def _words(syntax: str) -> list[str]:
    # The command words of a usage: its leading plain words, and the choices of a `+ <a|b>` point type.
    first = syntax.split()[0]
    if first == "+":
        return re.findall(r"[a-zåäö]+", syntax.split()[1])
    return [first] if re.fullmatch(r"[a-zåäö]+", first) else []


def test_every_command_word_is_in_its_usage_hint() -> None:
    missing = [(cmd.name, word) for cmd in COMMANDS for usage in cmd.usages for word in _words(usage.syntax) if word not in cmd.hint]
    assert missing == []
    assert {word for cmd in COMMANDS for usage in cmd.usages for word in _words(usage.syntax)} >= {
        "arbetstid",
        "ledig",
        "agendatid",
        "rådsmöte",
        "utvecklingssamtal",
        "oklart",
        "svar",
        "media",
        "åter",
    }
