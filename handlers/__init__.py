"""The Slack edge: Bolt listeners, one module per feature, each with an explicit `register(app)`.

Listeners are module-level functions. What they need from the composition root (`Deps`) and
the person's translator reach them through Bolt's `context` (see `handlers.common.deps_of`
and `translator_of`), put there by the middleware below.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.i18n import translator
from bot.runtime import Deps
from handlers import agenda, arende, home, installations, meddela, onboarding, samspel, spelregler, uppdrag

log = logging.getLogger(__name__)

# First: every listener after it knows the request's workspace.
MODULES = (installations, samspel, meddela, uppdrag, arende, agenda, spelregler, home, onboarding)


def register(app: App, deps: Deps) -> None:
    @app.middleware
    def provide_deps(context: BoltContext, next: Callable[[], Any]) -> Any:
        context["deps"] = deps
        user = context.user_id
        if deps.languages is not None and user:
            context["t"] = deps.languages.translator(user, locale=_slack_locale(context.client))
        else:
            context["t"] = translator()
        return next()

    for module in MODULES:
        module.register(app)


def _slack_locale(client: WebClient | None) -> Callable[[str], str | None] | None:
    """Asks Slack once per person for their locale (`users.info` with include_locale); None if Slack won't say."""
    if client is None:
        return None

    def lookup(user_id: str) -> str | None:
        try:
            found = client.users_info(user=user_id, include_locale=True).get("user") or {}
        except (SlackApiError, OSError) as err:
            log.warning("users.info for the locale failed (%s); the default language is used", type(err).__name__)
            return None
        locale = found.get("locale")
        return locale if isinstance(locale, str) else None

    return lookup
