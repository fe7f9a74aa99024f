"""App Home: publish the member's overview when they open the Home tab."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext

from bot.domain.events import HomeOpened
from bot.services.unit_of_work import emit
from handlers.common import deps_of


def home_opened(event: dict[str, Any], context: BoltContext) -> None:
    if event.get("tab", "home") != "home" or not event.get("user"):
        return
    deps = deps_of(context)
    with deps.uow() as session:
        emit(session, HomeOpened(at=deps.clock.now(), user=event["user"]))


def register(app: App) -> None:
    app.event("app_home_opened")(home_opened)
