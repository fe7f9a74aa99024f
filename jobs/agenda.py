"""The weekly posts: the Monday agenda and the rådsmöte list, each once per pair and week.

The ticks run every minute; the idempotency key in `job_runs` (not the scheduler)
makes a second tick, a second process or a restart post nothing more.
"""

from __future__ import annotations

from datetime import datetime

from bot.db import SessionScope
from bot.projections import posted_agenda
from bot.runtime import Deps
from bot.services.agenda import plan_agenda, post_due
from bot.services.radsmote import plan_radsmote
from jobs.job import Job


def post_due_agendas(uow: SessionScope, now: datetime) -> list[str]:
    return post_due(uow, now, "agenda", plan_agenda, posted_agenda.produce_agenda, posted_agenda.produce_missed)


def post_due_radsmoten(uow: SessionScope, now: datetime) -> list[str]:
    return post_due(uow, now, "rådsmöte", plan_radsmote, posted_agenda.produce_radsmote)


def agenda_tick(deps: Deps) -> list[str]:
    return post_due_agendas(deps.uow, deps.clock.now())


def radsmote_tick(deps: Deps) -> list[str]:
    return post_due_radsmoten(deps.uow, deps.clock.now())


JOBS = (Job("agenda", 60, agenda_tick, on_the_minute=True), Job("radsmote", 60, radsmote_tick, on_the_minute=True))
