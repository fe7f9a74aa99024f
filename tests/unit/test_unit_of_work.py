"""The unit of work and its bus: handlers run inside the transaction of their cause, delivery is woken after it.

In memory (tests/support/fake_session.py): what matters here is the order of handling, committing and
waking, which the database does not change; tests/integration/test_unit_of_work.py runs real services.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.domain.events import Event
from bot.services.unit_of_work import HandlerTable, UnitOfWork, UnitOfWorkFactory, current, emit
from tests.support.fake_session import FakeDatabase, FakeSessions, Row

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Given(Event):
    text: str


@dataclass(frozen=True)
class Noticed(Event):
    text: str


def give(session: Any, text: str) -> None:
    """A service: stores its change and says what happened."""
    session.add(Row("uppdrag", text))
    emit(session, Given(at=NOW, text=text))


def tell_kd(event: Event, uow: UnitOfWork) -> None:
    """A projection: the notice to the other member, as an outbox row."""
    assert isinstance(event, Given | Noticed)
    uow.session.add(Row("outbox", f"DM: {event.text}"))


def fail(event: Event, uow: UnitOfWork) -> None:
    raise RuntimeError("the projection failed")


class Wakes:
    """The after-commit hook: how often delivery was woken, and what was stored each time."""

    def __init__(self, database: FakeDatabase) -> None:
        self.database = database
        self.seen: list[list[str]] = []

    def __call__(self) -> None:
        self.seen.append(self.database.table("outbox"))


def factory(handlers: HandlerTable) -> tuple[UnitOfWorkFactory, FakeDatabase, Wakes]:
    sessions = FakeSessions()
    wakes = Wakes(sessions.database)
    return UnitOfWorkFactory(sessions, handlers, after_commit=wakes), sessions.database, wakes  # type: ignore[arg-type]


def test_a_projection_writes_in_the_transaction_of_its_cause() -> None:
    seen: list[tuple[int, list[str]]] = []

    def look(event: Event, uow: UnitOfWork) -> None:
        # Still inside: nothing committed yet, and the cause is in the same session, not yet stored.
        seen.append((database.commits, [row.text for row in uow.session.pending]))
        tell_kd(event, uow)

    uow, database, _ = factory({Given: [look]})
    with uow() as session:
        give(session, "Ta fram underlag")

    assert seen == [(0, ["Ta fram underlag"])]
    assert database.rows == [Row("uppdrag", "Ta fram underlag"), Row("outbox", "DM: Ta fram underlag")]
    assert database.commits == 1


def test_a_failing_projection_rolls_back_its_cause() -> None:
    uow, database, wakes = factory({Given: [tell_kd, fail]})

    with pytest.raises(RuntimeError, match="the projection failed"), uow() as session:
        give(session, "Ta fram underlag")

    assert database.rows == []  # neither the uppdrag nor the KD's notice
    assert database.rollbacks == 1 and database.commits == 0
    assert wakes.seen == []


def test_delivery_is_woken_once_after_the_commit() -> None:
    uow, _, wakes = factory({Given: [tell_kd]})

    with uow() as session:
        give(session, "Ett")
        give(session, "Två")

    # Once for both rows, and only when both are stored.
    assert wakes.seen == [["DM: Ett", "DM: Två"]]


def test_delivery_is_not_woken_when_the_work_fails() -> None:
    uow, database, wakes = factory({Given: [tell_kd]})

    with pytest.raises(ValueError), uow() as session:
        give(session, "Ett")
        raise ValueError("the service refused after writing")

    assert wakes.seen == [] and database.rows == []


def test_delivery_is_not_woken_when_nothing_was_queued() -> None:
    uow, database, wakes = factory({})

    with uow() as session:
        give(session, "Ett")

    assert database.table("uppdrag") == ["Ett"]
    assert wakes.seen == []


def test_events_emitted_by_handlers_are_handled_too() -> None:
    def notice(event: Event, uow: UnitOfWork) -> None:
        assert isinstance(event, Given)
        uow.emit(Noticed(at=event.at, text=f"{event.text} (noterat)"))

    uow, database, wakes = factory({Given: [notice], Noticed: [tell_kd]})

    with uow() as session:
        give(session, "Ett")

    assert database.table("outbox") == ["DM: Ett (noterat)"]
    assert len(wakes.seen) == 1


def test_projections_share_the_unit_of_works_state() -> None:
    """What a projection remembers for the transaction (e.g. whose Home tab is already queued) lasts exactly that long."""

    def once(event: Event, uow: UnitOfWork) -> None:
        if not uow.state.setdefault("told", False):
            uow.state["told"] = True
            tell_kd(event, uow)

    uow, database, _ = factory({Given: [once]})
    with uow() as session:
        give(session, "Ett")
        give(session, "Två")
    with uow() as session:
        give(session, "Tre")

    assert database.table("outbox") == ["DM: Ett", "DM: Tre"]


def test_an_event_outside_a_unit_of_work_is_refused() -> None:
    session = FakeSessions()()
    with pytest.raises(RuntimeError):
        emit(session, Given(at=NOW, text="Ett"))  # type: ignore[arg-type]
    with pytest.raises(RuntimeError):
        current(session)  # type: ignore[arg-type]
