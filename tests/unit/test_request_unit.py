"""A Slack request's unit of work (handlers/unit.py): begun at first use, kept or undone when the listener is done."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.domain.events import Event, HomeOpened
from bot.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, emit
from handlers.unit import UOW, RequestUnit, finish
from tests.support.fake_session import FakeSessions, Row

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _fail(event: Event, uow: UnitOfWork) -> None:
    raise RuntimeError("a projection failed")


def _request(handlers: Any = None) -> tuple[dict[str, Any], FakeSessions, list[int]]:
    sessions = FakeSessions()
    wakes: list[int] = []
    factory = UnitOfWorkFactory(sessions, handlers or {}, after_commit=lambda: wakes.append(1))  # type: ignore[arg-type]
    return {UOW: RequestUnit(factory)}, sessions, wakes


def test_an_ack_first_listener_touches_no_database_before_it_asks() -> None:
    context, sessions, _ = _request()

    assert not context[UOW].open  # the middleware only made it
    assert finish(context, failed=False)
    assert (sessions.database.commits, sessions.database.rollbacks) == (0, 0)


def test_what_the_listener_wrote_is_kept_when_it_returned() -> None:
    context, sessions, wakes = _request()
    context[UOW].session.add(Row("outbox", "DM till KD"))

    assert finish(context, failed=False)
    assert sessions.database.table("outbox") == ["DM till KD"]
    assert wakes == [1]
    assert UOW not in context  # ended once; a second finish has nothing left to do
    assert finish(context, failed=True)


def test_nothing_is_kept_when_the_listener_raised() -> None:
    context, sessions, wakes = _request()
    context[UOW].session.add(Row("outbox", "DM till KD"))

    assert finish(context, failed=True)
    assert sessions.database.rows == [] and wakes == []


def test_a_refusal_undoes_the_work_and_keeps_the_answer() -> None:
    context, sessions, wakes = _request()
    unit = context[UOW]
    unit.session.add(Row("uppdrag", "Halvgjort"))
    unit.rollback()
    unit.session.add(Row("outbox", "Bara KSO avgör ärenden."))

    assert finish(context, failed=False)
    assert sessions.database.rows == [Row("outbox", "Bara KSO avgör ärenden.")]
    assert wakes == [1]


def test_commit_before_a_slack_call_ends_the_transaction_there() -> None:
    context, sessions, _ = _request()
    unit = context[UOW]
    unit.session.add(Row("spelregler", "version 1"))
    unit.commit()

    assert not unit.open and sessions.database.table("spelregler") == ["version 1"]
    assert finish(context, failed=False)
    assert sessions.database.commits == 1


def test_a_commit_that_fails_at_the_end_is_reported_and_stores_nothing() -> None:
    context, sessions, wakes = _request({HomeOpened: [_fail]})
    session = context[UOW].session
    session.add(Row("outbox", "Hemfliken"))
    emit(session, HomeOpened(at=NOW, user="U1"))  # type: ignore[arg-type]

    assert finish(context, failed=False) is False
    assert sessions.database.rows == [] and wakes == []
