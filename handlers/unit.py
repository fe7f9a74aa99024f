"""One unit of work per Slack request: opened for a listener by its middleware, ended when Bolt is done with it.

The listener middleware in `handlers/middleware.py` puts a `RequestUnit` into the listener's context as `uow`.
Bolt for Python cannot wrap a listener in middleware: `next()` only marks the chain as continued, and the
listener runs after every middleware has returned (slack_bolt `App.dispatch`). So the unit ends in `finish`,
which `bot.bootstrap.SamspelApp.dispatch` calls once the listener is done, before the answer goes to Slack:
committed if the listener returned, rolled back if it raised (Bolt's 500). Every build runs listeners in the
request's thread (process_before_response), so a unit is begun, used and ended in one thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, MutableMapping
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

# The context keys (and so the listener argument names) of the request's unit of work and pair member.
UOW = "uow"
MEMBER = "member"


class _Undone(Exception):
    """Thrown into a unit of work's transaction to roll it back."""


class RequestUnit:
    """The request's unit of work, begun at the first use of `session`: an ack-first listener acks before any SQL.

    `commit` ends the transaction early: before an answer that says the change is saved, and before a call to
    Slack (views.open), which would otherwise keep the transaction (on SQLite the process's writer lock) open
    for a round trip. `rollback` undoes a refused change. What the request writes after either goes in a new one.
    """

    def __init__(self, begin: Callable[[], AbstractContextManager[Session]]) -> None:
        self._begin = begin
        self._scope: AbstractContextManager[Session] | None = None
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            scope = self._begin()
            self._session = scope.__enter__()
            self._scope = scope
        return self._session

    @property
    def open(self) -> bool:
        return self._scope is not None

    def commit(self) -> None:
        """Run the event handlers, commit, and wake delivery (what `with deps.uow()` does at the end of its block)."""
        scope, self._scope, self._session = self._scope, None, None
        if scope is not None:
            scope.__exit__(None, None, None)

    def rollback(self) -> None:
        scope, self._scope, self._session = self._scope, None, None
        if scope is not None:
            # As an exception leaving the `with` block would: the transaction rolls back, no handler runs.
            undone = _Undone()
            scope.__exit__(_Undone, undone, None)


def finish(context: MutableMapping[str, Any], *, failed: bool) -> bool:
    """End the request's unit of work, if it has one: commit, or roll back when the listener failed.

    False when the commit failed: nothing was stored, and the caller answers Slack with an error.
    """
    unit = context.pop(UOW, None)
    if not isinstance(unit, RequestUnit):
        return True
    try:
        if failed:
            unit.rollback()
        else:
            unit.commit()
    except Exception:
        log.exception("the request's unit of work failed at its end; nothing of it was stored")
        return False
    return True
