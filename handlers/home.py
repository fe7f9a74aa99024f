"""App Home: publish the member's overview when they open the Home tab (the first time, with the welcome)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext

from bot.services import onboarding
from handlers.common import deps_of
from handlers.middleware import with_uow
from handlers.unit import RequestUnit


def home_opened(event: dict[str, Any], context: BoltContext, uow: RequestUnit) -> None:
    if event.get("tab", "home") != "home" or not event.get("user"):
        return
    onboarding.open_home(uow.session, event["user"], deps_of(context).clock.now())


def register(app: App) -> None:
    app.event("app_home_opened", middleware=[with_uow])(home_opened)
