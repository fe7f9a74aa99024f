"""Pair proposals that got no answer within seven days are removed (see bot.services.consent)."""

from __future__ import annotations

from bot.runtime import Deps
from bot.services.consent import expire_due
from jobs.job import Job


def expire_tick(deps: Deps) -> int:
    with deps.uow() as session:
        return expire_due(session, deps.clock.now(), deps.timezone)


JOBS = (Job("proposals", 300, expire_tick),)
