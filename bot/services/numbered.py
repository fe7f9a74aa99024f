"""What uppdrag and ärenden share: per-pair numbers (#1, #2 …), the pair's local day, and the notice's respekt time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.errors import UserError
from bot.i18n import N_
from bot.models import Arende, Pair, Uppdrag
from bot.services.respekt_time import delivery_time

Numbered = TypeVar("Numbered", Uppdrag, Arende)


def local_today(session: Session, pair: Pair, now: datetime) -> date:
    """The pair's local date (its time zone is enough: building the calendar cost four queries)."""
    return now.astimezone(ZoneInfo(pair.timezone)).date()


def insert_numbered(session: Session, model: type[Numbered], pair_id: int, build: Callable[[int], Numbered]) -> Numbered:
    """Insert a row with the pair's next number (#1, #2 …), safe when two requests race.

    The unique (pair_id, nr) constraint decides: a loser rolls back its savepoint and
    takes the next number, so numbers never repeat and the caller's transaction lives on.
    """
    for _attempt in range(20):
        nr = (session.scalar(select(func.max(model.nr)).where(model.pair_id == pair_id)) or 0) + 1
        row = build(nr)
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
        except IntegrityError:
            continue
        return row
    raise UserError(N_("Det var många samtidiga ändringar just nu: försök igen om en stund."))


@dataclass(frozen=True)
class Notice:
    """When the other member's notice arrives (respekt) and when the actor acted, for the actor's answer."""

    deliver_after: datetime
    now: datetime
    timezone: str

    @property
    def held(self) -> bool:
        return self.deliver_after > self.now


def notice_for(session: Session, pair: Pair, now: datetime, user: str) -> Notice:
    """The notice to `user` about what the actor just did, held until `user` works."""
    return Notice(delivery_time(session, pair, now, user), now, pair.timezone)
