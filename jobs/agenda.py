"""The weekly posts: the Monday agenda and the rådsmöte list, each once per pair and week.

The ticks run every minute; the idempotency key in `job_runs` (not the scheduler)
makes a second tick, a second process or a restart post nothing more.
"""

from __future__ import annotations

from bot.agenda import post_due_agendas
from bot.radsmote import post_due_radsmoten
from bot.runtime import Deps
from jobs.job import Job


def agenda_tick(deps: Deps) -> list[str]:
    return post_due_agendas(deps.uow, deps.clock.now())


def radsmote_tick(deps: Deps) -> list[str]:
    return post_due_radsmoten(deps.uow, deps.clock.now())


JOBS = (Job("agenda", 60, agenda_tick), Job("radsmote", 60, radsmote_tick))
