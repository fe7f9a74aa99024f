"""Scheduled work. APScheduler runs it; our own tables make each run idempotent.

Each module exposes `JOBS` (see `jobs.job.Job`); `all_jobs` is the explicit list.
The functions are ticks that find what has fallen due and do it once, so a tick
that fires twice, late, or in two processes at once changes nothing.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.adapters import metrics
from bot.runtime import Deps
from jobs import agenda, outbox, proposals, request_keys, retention, samtal, tenants
from jobs.job import Job

__all__ = ["Job", "all_jobs", "make_scheduler", "wake"]

log = logging.getLogger(__name__)


def all_jobs() -> list[Job]:
    return [*outbox.JOBS, *agenda.JOBS, *samtal.JOBS, *proposals.JOBS, *retention.JOBS, *request_keys.JOBS, *tenants.JOBS]


class Heartbeats:
    """When each job last finished without an error, and whether it is running now (for /healthz)."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        # Elapsed process time, not the (injectable, possibly fake) wall clock the jobs work with.
        self.monotonic = monotonic
        self._lock = threading.Lock()
        self._done: dict[str, float] = {}
        self._running: dict[str, float] = {}

    def start(self, job_id: str) -> None:
        with self._lock:
            self._running[job_id] = self.monotonic()

    def finish(self, job_id: str, *, ok: bool) -> None:
        with self._lock:
            self._running.pop(job_id, None)
            if ok:
                self._done[job_id] = self.monotonic()

    def since_success(self, job_id: str) -> float | None:
        """Seconds since the job last succeeded; None if it has not yet."""
        with self._lock:
            done = self._done.get(job_id)
        return None if done is None else self.monotonic() - done

    def running_for(self, job_id: str) -> float | None:
        with self._lock:
            started = self._running.get(job_id)
        return None if started is None else self.monotonic() - started


def _guarded(job: Job, deps: Deps, heartbeats: Heartbeats | None = None) -> Callable[[], None]:
    failures = 0

    def run() -> None:
        nonlocal failures
        if heartbeats:
            heartbeats.start(job.id)
        try:
            job.run(deps)
        except Exception as err:
            metrics.record_job(job.id, ok=False)
            if heartbeats:
                heartbeats.finish(job.id, ok=False)
            # Keep the scheduler alive; the next tick retries from the database state.
            failures += 1
            if failures == 1:
                log.exception("job %s failed", job.id)
            elif failures & (failures - 1) == 0:  # 2, 4, 8 …: an outage is not a log flood
                log.warning("job %s still failing (%s times in a row): %s", job.id, failures, err)
            return
        metrics.record_job(job.id, ok=True)
        if heartbeats:
            heartbeats.finish(job.id, ok=True)
        if failures:
            log.info("job %s works again after %s failures", job.id, failures)
            failures = 0

    return run


def make_scheduler(
    deps: Deps, jobs: list[Job] | None = None, *, catch_up: bool = True, heartbeats: Heartbeats | None = None
) -> BackgroundScheduler:
    """A scheduler with every job; `catch_up` runs each once at start for work that fell due while down."""
    scheduler = BackgroundScheduler(timezone=UTC, job_defaults={"coalesce": True, "max_instances": 1})
    for job in jobs if jobs is not None else all_jobs():
        # An explicit next_run_time of None would add the job paused, so only pass it to run now.
        first = {"next_run_time": datetime.now(UTC)} if catch_up else {}
        trigger = CronTrigger(second=0, timezone=UTC) if job.on_the_minute else IntervalTrigger(seconds=job.seconds)
        scheduler.add_job(
            _guarded(job, deps, heartbeats),
            trigger,
            id=job.id,
            name=job.id,
            misfire_grace_time=max(job.seconds * 2, 30),
            replace_existing=True,
            **first,
        )
    return scheduler


def wake(scheduler: BaseScheduler, job_id: str) -> None:
    """Run a job as soon as possible (e.g. outbox delivery after a commit)."""
    job = scheduler.get_job(job_id)
    if job is not None:
        job.modify(next_run_time=datetime.now(UTC))
