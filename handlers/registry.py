"""Every listener module, registered on the Bolt app in order, behind the middleware that hands them their deps.

Listeners are module-level functions. What they need from the composition root (`Deps`) and
the person's translator reach them through Bolt's `context` (see `handlers.common.deps_of`
and `translator_of`), put there by the middleware below; the request's unit of work and pair
member come from each listener's own middleware (`handlers/middleware.py`), and the composition
root ends that unit with `end_request` once Bolt has run the listener.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext

from bot.i18n import SOURCE_LANGUAGE, translator
from bot.runtime import Deps
from handlers import agenda, arende, home, installations, meddela, onboarding, samspel, spelregler, uppdrag
from handlers.common import slack_locale
from handlers.unit import finish as end_request

__all__ = ["MODULES", "end_request", "register"]

# First: every listener after it knows the request's workspace.
MODULES = (installations, samspel, meddela, uppdrag, arende, agenda, spelregler, home, onboarding)


def register(app: App, deps: Deps) -> None:
    @app.middleware
    def provide_deps(context: BoltContext, next: Callable[[], Any]) -> Any:
        context["deps"] = deps
        user = context.user_id
        if deps.languages is not None:
            # The person's language; with no person (an event about a channel), the deployment's default.
            context["t"] = deps.languages.translator(user, locale=slack_locale(context.client))
        else:
            context["t"] = translator(SOURCE_LANGUAGE)
        return next()

    for module in MODULES:
        module.register(app)
