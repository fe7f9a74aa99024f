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

from bot.services import tenant, tenants
from handlers.common import deps_of
from handlers.middleware import with_uow
from handlers.unit import RequestUnit

log = logging.getLogger(__name__)


def with_tenant(context: BoltContext, body: dict[str, Any], next: Callable[[], None]) -> None:
    team_id = context.team_id or body.get("team_id") or (body.get("team") or {}).get("id")
    # Bolt's middleware `next` only marks the chain as continued; App.dispatch clears it after the listener.
    tenant.enter(
        tenant.Tenant(team_id=team_id, enterprise_id=context.enterprise_id, bot_user_id=context.bot_user_id or deps_of(context).bot_user)
    )
    next()


def removed(context: BoltContext, uow: RequestUnit, reason: str) -> None:
    """The workspace removed Samspel: forget its tokens, and stop everything still to be sent there."""
    deps = deps_of(context)
    if deps.installations is None:  # single workspace: there is nothing to uninstall but the whole deployment
        return
    team_id = context.team_id
    deps.installations.delete_all(enterprise_id=context.enterprise_id, team_id=team_id)
    if deps.clients is not None:
        deps.clients.forget(team_id, context.enterprise_id)
    if team_id:
        tenants.uninstalled(uow.session, team_id=team_id, now=deps.clock.now(), reason=reason)


def app_uninstalled(context: BoltContext, uow: RequestUnit) -> None:
    removed(context, uow, "app_uninstalled")


def tokens_revoked(event: dict[str, Any], context: BoltContext, uow: RequestUnit) -> None:
    # Samspel holds only bot tokens; user tokens (oauth) would be the installer's, which we never ask for.
    if (event.get("tokens") or {}).get("bot"):
        removed(context, uow, "tokens_revoked")


def register(app: App) -> None:
    app.use(with_tenant)
    app.event("app_uninstalled", middleware=[with_uow])(app_uninstalled)
    app.event("tokens_revoked", middleware=[with_uow])(tokens_revoked)
