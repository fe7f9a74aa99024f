"""Services through the real unit of work and handler table, on SQLite and (with TEST_DATABASE_URL) PostgreSQL."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select

from bot import db
from bot.bootstrap import unit_of_work
from bot.clock import FakeClock
from bot.domain.events import Event, UppdragGiven
from bot.models import Meddelande, OutboxMessage, Person, Uppdrag
from bot.projections.table import HANDLERS
from bot.services import respekt, uppdrag
from bot.services.pairs import require_member
from bot.services.people import LanguageBook
from bot.services.unit_of_work import UnitOfWork, UnitOfWorkFactory
from tests.support.world import CHANNEL, KD, KSO, local, stored_pair

MONDAY = local("2026-11-23 10:00")
EVENING = local("2026-11-23 19:00")


class Wakes:
    def __init__(self) -> None:
        self.n = 0

    def __call__(self) -> None:
        self.n += 1


def _pair(sessions: db.SessionFactory) -> None:
    with db.transaction(sessions) as session:
        stored_pair(session, created="2026-11-02 09:00", next_talk=date(2027, 11, 24))


def _give(factory: UnitOfWorkFactory, text: str, now=MONDAY) -> None:  # type: ignore[no-untyped-def]
    with factory() as session:
        member = require_member(session, channel_id=CHANNEL, user_id=KSO)
        uppdrag.give(session, member, text, now)


def _counts(sessions: db.SessionFactory) -> tuple[int, list[tuple[str, str | None]]]:
    with db.reading(sessions) as session:
        given = session.scalar(select(func.count()).select_from(Uppdrag)) or 0
        rows = session.execute(select(OutboxMessage.kind, OutboxMessage.user).order_by(OutboxMessage.id)).all()
        return given, [(kind, user) for kind, user in rows]


def test_an_uppdrag_and_the_kds_notice_commit_together(any_engine: Engine) -> None:
    sessions = db.make_session_factory(any_engine)
    _pair(sessions)
    wakes = Wakes()

    _give(unit_of_work(sessions, after_commit=wakes), "Ta fram underlag om budgeten senast fredag")

    given, rows = _counts(sessions)
    assert given == 1
    assert ("dm", KD) in rows  # the KD is told, in the same commit
    assert wakes.n == 1


def test_a_held_notice_waits_for_the_kds_working_time(any_engine: Engine) -> None:
    sessions = db.make_session_factory(any_engine)
    _pair(sessions)

    _give(unit_of_work(sessions), "Ta fram underlag senast fredag", now=EVENING)

    with db.reading(sessions) as session:
        dm = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "dm", OutboxMessage.user == KD)).one()
    assert dm.deliver_after == local("2026-11-24 08:00")


def test_a_failing_projection_leaves_neither_the_uppdrag_nor_any_message(any_engine: Engine) -> None:
    sessions = db.make_session_factory(any_engine)
    _pair(sessions)

    def broken(event: Event, uow: UnitOfWork) -> None:
        raise RuntimeError("a projection failed")

    # The real projections first (they write the KD's notice), then one that fails.
    handlers = {**HANDLERS, UppdragGiven: [*HANDLERS[UppdragGiven], broken]}
    wakes = Wakes()
    with pytest.raises(RuntimeError):
        _give(UnitOfWorkFactory(sessions, handlers, after_commit=wakes), "Ta fram underlag")

    assert _counts(sessions) == (0, [])
    assert wakes.n == 0


def test_a_held_message_and_its_dm_are_stored_and_cancelled_together(any_engine: Engine) -> None:
    sessions = db.make_session_factory(any_engine)
    _pair(sessions)
    factory = unit_of_work(sessions)

    with factory() as session:
        member = require_member(session, channel_id=CHANNEL, user_id=KSO)
        sent = respekt.send(session, member, respekt.Draft(text="Kan vi ta budgeten på måndag?"), EVENING)
    assert sent.held
    with factory() as session:
        respekt.cancel(session, user=KSO, meddelande_id=sent.meddelande_id, now=EVENING)

    with db.reading(sessions) as session:
        message = session.get(Meddelande, sent.meddelande_id)
        rows = session.execute(select(OutboxMessage.kind, OutboxMessage.user, OutboxMessage.status).order_by(OutboxMessage.id)).all()
    assert message is not None and message.cancelled_at is not None and message.text == ""
    # The held DM to the KD never goes; the KSO's Home tab, which listed it, is queued to show that.
    assert ("dm", KD, "cancelled") in [tuple(r) for r in rows]
    assert ("home", KSO, "pending") in [tuple(r) for r in rows]


def _free_for_another_thread(lock: Any) -> bool:
    """Whether another thread of this process could begin writing now."""
    free: list[bool] = []

    def try_lock() -> None:
        free.append(lock.acquire(blocking=False))
        if free[-1]:
            lock.release()

    other = threading.Thread(target=try_lock)
    other.start()
    other.join()
    return free[0]


def test_a_unit_of_work_queues_with_the_other_writers_of_its_process(engine: Engine) -> None:
    """On SQLite the writers of one process take turns on a lock (bot/db.py), units of work as the outbox store's."""
    sessions = db.make_session_factory(engine)
    lock = db._writer_lock(sessions)

    with unit_of_work(sessions)():
        assert not _free_for_another_thread(lock)
    assert _free_for_another_thread(lock)


def test_a_first_contact_is_written_in_a_unit_of_work_and_slack_asked_outside_it(engine: Engine) -> None:
    """The language lookup before a request's ack: the new person's row queues with the other writers,
    and no writer waits while Slack is asked for the person's locale."""
    sessions = db.make_session_factory(engine)
    lock = db._writer_lock(sessions)
    book = LanguageBook(sessions, unit_of_work(sessions), FakeClock(MONDAY))
    flushes: list[bool] = []
    asked: list[bool] = []

    @event.listens_for(sessions, "before_flush")
    def _flushing(*_args: object) -> None:
        flushes.append(_free_for_another_thread(lock))

    def locale(_user: str) -> str:
        asked.append(_free_for_another_thread(lock))
        return "en-GB"

    assert book.language(KD, locale=locale) == "en"
    assert asked == [True]
    assert flushes and not any(flushes)
    with db.reading(sessions) as session:
        assert session.get(Person, KD) is not None
