"""Outbox delivery (see bot.outbox): the deliverer's own thread wakes at each due time; this poll is the safety net.

When the deliverer runs its thread (a served bot), the tick only wakes it. Without the
thread (tests, a composition root that did not start it) the tick delivers itself.
"""

from __future__ import annotations

from bot.runtime import Deps
from jobs.job import Job


def deliver(deps: Deps) -> int:
    deliverer = deps.deliverer
    if deliverer is None:
        return 0
    if deliverer.running:
        deliverer.kick()
        return 0
    return deliverer.deliver_due()


JOBS = (Job("outbox", 5, deliver),)
