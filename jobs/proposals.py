"""Pair proposals that got no answer within seven days are removed (see bot.consent)."""

from __future__ import annotations

from bot.consent import expire_due
from bot.runtime import Deps
from jobs.job import Job


def expire_tick(deps: Deps) -> int:
    with deps.uow() as session:
        return expire_due(session, deps.clock.now(), deps.timezone)


JOBS = (Job("proposals", 300, expire_tick),)
