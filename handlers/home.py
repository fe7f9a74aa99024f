"""App Home: publish the member's overview when they open the Home tab."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot.domain.events import HomeOpened
from bot.runtime import Deps
from bot.services.unit_of_work import emit


def register(app: App, deps: Deps) -> None:
    @app.event("app_home_opened")
    def home_opened(event: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home" or not event.get("user"):
            return
        with deps.uow() as session:
            emit(session, HomeOpened(at=deps.clock.now(), user=event["user"]))
