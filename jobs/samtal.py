"""Utvecklingssamtal reminders and the material post (see bot.services.samtal); idempotent ticks."""

from __future__ import annotations

from bot.runtime import Deps
from bot.services.samtal import tick_all
from jobs.job import Job


def remind(deps: Deps) -> int:
    return tick_all(deps.uow, deps.clock.now())


JOBS = (Job("samtal", 60, remind, on_the_minute=True),)
