"""The unit of work: one transaction, the events it raised, and waking delivery after commit.

Services get the session from the unit of work and call `emit(session, event)` instead of
calling other features sideways. On commit the bus runs every handler for each event
inside the same transaction (a projection may emit more), commits, and then wakes the
outbox, so no caller has to remember to.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot import db
from bot.domain.events import Event

log = logging.getLogger(__name__)

Handler = Callable[[Event, "UnitOfWork"], None]
HandlerTable = Mapping[type[Event], Sequence[Handler]]
_KEY = "samspel_uow"
# Set in a session's `info` when a flush wrote or changed an outbox row (bot/bootstrap.py `_mark_outbox_writes`).
OUTBOX_WRITTEN = "outbox_written"


class UnitOfWork:
    """Owns the session of one request or tick and collects the events raised in it."""

    def __init__(self, session: Session, handlers: HandlerTable) -> None:
        self.session = session
        self.handlers = handlers
        self.events: list[Event] = []
        # Projections keep per-transaction state here (e.g. who already got a fresh Home tab).
        self.state: dict[str, Any] = {}

    def emit(self, event: Event) -> None:
        self.events.append(event)

    def run_handlers(self) -> None:
        while self.events:
            event = self.events.pop(0)
            for handler in self.handlers.get(type(event), ()):
                handler(event, self)


def emit(session: Session, event: Event) -> None:
    """Raise `event` in the unit of work that owns `session`."""
    uow = session.info.get(_KEY)
    if uow is None:
        raise RuntimeError("an event was raised outside a unit of work")
    uow.emit(event)


def dry_run(session: Session) -> UnitOfWork:
    """Own `session` with a unit of work that handles nothing: for a preview that is rolled back."""
    uow = UnitOfWork(session, {})
    session.info[_KEY] = uow
    return uow


def current(session: Session) -> UnitOfWork:
    uow = session.info.get(_KEY)
    if uow is None:
        raise RuntimeError("no unit of work owns this session")
    return uow


class UnitOfWorkFactory:
    """`with uow() as session:` opens one unit of work; commit on success, roll back on any error."""

    def __init__(self, sessions: sessionmaker[Session], handlers: HandlerTable, after_commit: Callable[[], None] | None = None) -> None:
        self.sessions = sessions
        self.handlers = handlers
        self.after_commit = after_commit

    @contextmanager
    def __call__(self) -> Iterator[Session]:
        # db.transaction, as the outbox store's writers: on SQLite the threads of this process queue on one
        # lock instead of in SQLite's busy handler, which sleeps up to 100 ms between tries (bot/db.py).
        with db.transaction(self.sessions) as session:
            uow = UnitOfWork(session, self.handlers)
            session.info[_KEY] = uow
            yield session
            uow.run_handlers()
            session.flush()
        if session.info.pop(OUTBOX_WRITTEN, False) and self.after_commit is not None:
            self.after_commit()
