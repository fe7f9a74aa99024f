"""Workspaces: erase those uninstalled past the grace period (daily, keyed), refresh idle rotating tokens."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.runtime import Deps
from bot.services import tenants
from jobs.job import Job


def erase_uninstalled(deps: Deps) -> list[str] | None:
    return tenants.erase_expired(deps.uow, deps.clock.now(), ZoneInfo(deps.timezone), deps.uninstall_grace_days)


def refresh_tokens(deps: Deps) -> int:
    """A token near expiry is refreshed before use anyway; this keeps idle workspaces' tokens fresh too."""
    return deps.clients.refresh_all() if deps.clients is not None else 0


JOBS = (Job("avinstallerade", 3600, erase_uninstalled), Job("tokens", 1800, refresh_tokens))
