"""Forgets replay keys once no signature that could repeat them is fresh any more (see bot.adapters.request_keys)."""

from __future__ import annotations

from bot.adapters import request_keys
from bot.runtime import Deps
from jobs.job import Job


def prune(deps: Deps) -> int:
    with deps.uow() as session:
        return request_keys.prune(session, deps.clock.now())


JOBS = (Job("request_keys", 300, prune),)
