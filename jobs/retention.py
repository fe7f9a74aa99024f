"""Gallring: message texts past SAMSPEL_RETENTION_DAYS, once a day; App Home snapshots once sent (bot.services.retention).

The daily sweep is keyed per local day in `job_runs`, so the hourly tick, a restart or a
second process runs it once a day. Deleting sent Home snapshots needs no key: a second
run finds nothing to delete.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.runtime import Deps
from bot.services import retention
from jobs.job import Job


def daily(deps: Deps) -> retention.Swept | None:
    return retention.run_daily(deps.uow, deps.clock.now(), ZoneInfo(deps.timezone))


def homes(deps: Deps) -> int:
    return retention.drop_homes(deps.uow, deps.clock.now())


JOBS = (Job("gallring", 3600, daily), Job("hemvyer", 600, homes))
