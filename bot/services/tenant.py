"""Which workspace the current request belongs to: set by a Bolt middleware, read by lookups and the outbox.

A contextvar, not a parameter threaded through every service: a request runs its
listener in its own thread (process_before_response), and a job, which serves every
workspace, has none set, so lookups there are not narrowed and rows take the team of
their pair.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Tenant:
    team_id: str | None
    enterprise_id: str | None = None
    # Samspel's own user in that workspace (from the installation, via Bolt's context.bot_user_id).
    bot_user_id: str | None = None
    # The pair the request turned out to be about (`note_pair`), for its log lines.
    pair_id: int | None = None


_current: ContextVar[Tenant | None] = ContextVar("samspel_tenant", default=None)


def current() -> Tenant | None:
    return _current.get()


def team() -> str | None:
    """The request's team id, or None outside a request (a job, the CLI)."""
    tenant = _current.get()
    return tenant.team_id if tenant else None


def note_pair(pair_id: int) -> None:
    """The request is about this pair: its later log lines say so (SAMSPEL_LOG_FORMAT=json). Outside a request, nothing."""
    tenant = _current.get()
    if tenant is not None and tenant.pair_id != pair_id:
        _current.set(replace(tenant, pair_id=pair_id))


def enter(tenant: Tenant | None) -> None:
    """Set for the rest of this request (Bolt's middleware cannot wrap the listener); `leave` ends it."""
    _current.set(tenant)


def leave() -> None:
    _current.set(None)


@contextmanager
def acting_for(tenant: Tenant | None) -> Iterator[None]:
    token = _current.set(tenant)
    try:
        yield
    finally:
        _current.reset(token)
