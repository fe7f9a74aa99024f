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
