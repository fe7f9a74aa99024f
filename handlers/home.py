"""App Home: publish the member's overview when they open the Home tab (the first time, with the welcome)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext

from bot.services import onboarding
from handlers.common import deps_of


def home_opened(event: dict[str, Any], context: BoltContext) -> None:
    if event.get("tab", "home") != "home" or not event.get("user"):
        return
    deps = deps_of(context)
    with deps.uow() as session:
        onboarding.open_home(session, event["user"], deps.clock.now())


def register(app: App) -> None:
    app.event("app_home_opened")(home_opened)
