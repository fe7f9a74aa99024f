"""What listeners and jobs are handed by the composition root."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.clock import Clock
from bot.db import SessionFactory

if TYPE_CHECKING:
    from bot.outbox import OutboxDeliverer
    from bot.slack_directory import Directory


def _nothing() -> None:
    return None


@dataclass(frozen=True)
class Deps:
    """The wiring a listener or job needs: sessions, the clock, and a way to wake delivery."""

    sessions: SessionFactory
    clock: Clock
    timezone: str = "Europe/Stockholm"
    bot_user: str | None = None
    deliverer: OutboxDeliverer | None = None
    # Asks Slack about a channel (kind, members); the consent checks use it.
    directory: Directory | None = None
    # Called after a commit that wrote outbox rows, so delivery need not wait for the next tick.
    kick: Callable[[], None] = field(default=_nothing)
