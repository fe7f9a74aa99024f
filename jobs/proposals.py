"""Pair proposals that got no answer within seven days are removed (see bot.consent)."""

from __future__ import annotations

from bot.consent import expire_due
from bot.db import transaction
from bot.runtime import Deps
from jobs import Job


def expire_tick(deps: Deps) -> int:
    with transaction(deps.sessions) as session:
        expired = expire_due(session, deps.clock.now(), deps.timezone)
    if expired:
        deps.kick()
    return expired


JOBS = (Job("proposals", 300, expire_tick),)
