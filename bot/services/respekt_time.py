"""When a message may reach its recipient: the one place that applies the respekt rule to a recipient.

The rule itself is pure (`bot.domain.respekt.deliver_after`: akut at once, else the next
working start). Here is whose calendar it reads: a member's own (their hours, their days
off), the pair's for its channel (when both work), and for someone in no pair yet (a
proposal's DMs) the default working time in the deployment's time zone. Every service and
projection that writes a message asks `delivery_time`; the outbox gate asks it again at
send time (`bot.services.respekt.gate`), so the two cannot disagree.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.adapters.holidays import swedish_calendar
from bot.domain.respekt import deliver_after
from bot.models import Pair
from bot.services.pairs import calendar_for


def delivery_time(
    session: Session, pair: Pair | None, now: datetime, user: str | None = None, *, akut: bool = False, timezone: str | None = None
) -> datetime:
    """When a message written at `now` may reach `user` of `pair` (None: the pair's channel).

    `pair=None` is a message outside any pair (a proposal's DMs), which needs `timezone`.
    """
    if pair is not None:
        cal = calendar_for(session, pair, user)
    elif timezone is not None:
        cal = swedish_calendar(timezone=timezone)
    else:
        raise TypeError("a message outside a pair needs the deployment's time zone")
    return deliver_after(cal, now, akut=akut)
