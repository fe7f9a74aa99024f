"""The Slack edge: Bolt listeners, one module per feature, each with an explicit `register(app)`.

Listeners are module-level functions. What they need from the composition root (`Deps`) and
the person's translator reach them through Bolt's `context` (see `handlers.common.deps_of`
and `translator_of`), put there by the middleware below.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext

from bot.i18n import translator
from bot.runtime import Deps
from handlers import agenda, arende, home, installations, meddela, samspel, spelregler, uppdrag

# First: every listener after it knows the request's workspace.
MODULES = (installations, samspel, meddela, uppdrag, arende, agenda, spelregler, home)


def register(app: App, deps: Deps) -> None:
    @app.middleware
    def provide_deps(context: BoltContext, next: Callable[[], Any]) -> Any:
        context["deps"] = deps
        context["t"] = translator()
        return next()

    for module in MODULES:
        # While the modules move to module-level listeners, some still take deps at registration.
        register_module: Any = module.register
        if len(inspect.signature(register_module).parameters) == 2:
            register_module(app, deps)
        else:
            register_module(app)
