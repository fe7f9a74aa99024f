"""Held messages follow a changed calendar (the respekt rule)."""

from __future__ import annotations

from bot.domain.events import CalendarChanged, Event
from bot.models import Pair
from bot.services.respekt import reschedule_held
from bot.services.unit_of_work import UnitOfWork


def move_held(event: Event, uow: UnitOfWork) -> None:
    assert isinstance(event, CalendarChanged)
    pair = uow.session.get(Pair, event.pair_id)
    if pair is not None:
        reschedule_held(uow.session, pair, event.at, event.user)
