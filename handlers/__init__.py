"""Thin Bolt listeners. Each module exposes `register(app, deps)`; this is the explicit list."""

from __future__ import annotations

from slack_bolt import App

from bot.runtime import Deps
from handlers import agenda, arende, home, installations, meddela, samspel, spelregler, uppdrag


def register(app: App, deps: Deps) -> None:
    # First: every listener after it knows the request's workspace.
    for module in (installations, samspel, meddela, uppdrag, arende, agenda, spelregler, home):
        module.register(app, deps)
