"""Outbox delivery: sends every due message, with retries (see bot.outbox)."""

from __future__ import annotations

from bot.runtime import Deps
from jobs.job import Job


def deliver(deps: Deps) -> int:
    return deps.deliverer.deliver_due() if deps.deliverer else 0


JOBS = (Job("outbox", 5, deliver),)
