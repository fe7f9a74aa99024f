"""What listeners and jobs are handed by the composition root."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from bot.clock import Clock
from bot.db import SessionFactory
from bot.services import tenant

if TYPE_CHECKING:
    from bot.adapters.installations import ClientRegistry, InstallationStore
    from bot.adapters.slack_directory import Directory
    from bot.outbox import OutboxDeliverer
    from bot.services.people import LanguageBook
    from bot.services.unit_of_work import UnitOfWorkFactory


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
    # One unit of work per request or tick (commits, runs projections, wakes delivery).
    uow_factory: UnitOfWorkFactory | None = None
    # team id → WebClient (one client in single-workspace mode); the installation store in distributed mode.
    clients: ClientRegistry | None = None
    installations: InstallationStore | None = None
    # Days an uninstalled workspace's pairs are kept (SAMSPEL_UNINSTALL_GRACE_DAYS).
    uninstall_grace_days: int = 30
    # Who reads which language (their choice, else Slack's locale, else SAMSPEL_LANGUAGE).
    languages: LanguageBook | None = None
    # The service's public https address (SAMSPEL_PUBLIC_URL): the base of each person's calendar feed.
    public_url: str | None = None
    # Socket Mode: no HTTP server, so `/samspel kalender` sends the calendar as a file instead of a link.
    socket_mode: bool = False

    def me(self) -> str | None:
        """Samspel's own user id in the request's workspace (from its installation), else the one from auth.test."""
        current = tenant.current()
        return (current.bot_user_id if current else None) or self.bot_user

    def uow(self) -> AbstractContextManager[Session]:
        """`with deps.uow() as session:`: one transaction whose events are handled before it commits."""
        if self.uow_factory is None:
            raise RuntimeError("Deps was built without a unit of work")
        return self.uow_factory()

    # Called after a commit that wrote outbox rows, so delivery need not wait for the next tick.
    kick: Callable[[], None] = field(default=_nothing)
