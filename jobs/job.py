"""One scheduled tick: a stable id, how often it runs, and the function of Deps it calls."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.runtime import Deps


@dataclass(frozen=True)
class Job:
    id: str
    seconds: int
    run: Callable[[Deps], object]
    # Due times of this job's work are whole local minutes (the agenda at 08:00): fire at second 0 of each
    # minute instead of every `seconds` from start-up, so the work goes out on the minute, not up to a poll late.
    on_the_minute: bool = False
