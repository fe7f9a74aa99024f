"""The workspace of each request, and a workspace that removes Samspel (distributed mode).

`with_tenant` runs before every listener and records which workspace the request came
from (team, enterprise, and Samspel's own user there, from the installation), so lookups
by channel or user stay inside that workspace and new outbox rows carry its team.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext

from bot.runtime import Deps
from bot.services import tenant, tenants

log = logging.getLogger(__name__)


def with_tenant(deps: Deps) -> Callable[..., None]:
    def middleware(context: BoltContext, body: dict[str, Any], next: Callable[[], None]) -> None:
        team_id = context.team_id or body.get("team_id") or (body.get("team") or {}).get("id")
        # Bolt's middleware `next` only marks the chain as continued; App.dispatch clears it after the listener.
        tenant.enter(tenant.Tenant(team_id=team_id, enterprise_id=context.enterprise_id,
                                   bot_user_id=context.bot_user_id or deps.bot_user))
        next()

    return middleware


def register(app: App, deps: Deps) -> None:
    app.use(with_tenant(deps))
    store = deps.installations
    if store is None:  # single workspace: there is nothing to uninstall but the whole deployment
        return

    def removed(context: BoltContext, reason: str) -> None:
        team_id = context.team_id
        store.delete_all(enterprise_id=context.enterprise_id, team_id=team_id)
        if deps.clients is not None:
            deps.clients.forget(team_id, context.enterprise_id)
        if team_id:
            with deps.uow() as session:
                tenants.uninstalled(session, team_id=team_id, now=deps.clock.now(), reason=reason)

    @app.event("app_uninstalled")
    def app_uninstalled(context: BoltContext) -> None:
        removed(context, "app_uninstalled")

    @app.event("tokens_revoked")
    def tokens_revoked(event: dict[str, Any], context: BoltContext) -> None:
        # Samspel holds only bot tokens; user tokens (oauth) would be the installer's, which we never ask for.
        if (event.get("tokens") or {}).get("bot"):
            removed(context, "tokens_revoked")
