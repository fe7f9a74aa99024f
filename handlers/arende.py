"""Listeners for this feature (not built yet)."""

from slack_bolt import App

from bot.runtime import Deps


def register(app: App, deps: Deps) -> None:
    return None
