"""The respekt rule's pure core: when a message may arrive, and what kind of akut it was.

"Vi undviker att störa varandra utanför ordinarie arbetstid och endast vid riktigt akuta
frågor kontaktar vi varandra under helger." Every message from the bot or through it, to a
member or to the pair's channel, gets its `deliver_after` from `deliver_after` here: now for
akut, else the recipient's next working start. Which calendar is the recipient's is decided in
one place, `bot.services.respekt_time.delivery_time`, which every sender asks.
"""

from __future__ import annotations

from datetime import datetime

from bot.domain.calendar import WorkingCalendar

# akut_when: when an akut message broke through, as the yearly talk counts it (stored codes).
ARBETSTID, KVALL, HELG = "arbetstid", "kväll", "helg"
AKUT_WHENS = (ARBETSTID, KVALL, HELG)

MAX_REASON = 500


def deliver_after(cal: WorkingCalendar, now: datetime, *, akut: bool = False) -> datetime:
    """When a message written at `now` may reach the person `cal` belongs to.

    Akut goes at once, weekends included; anything else waits for the next working start
    (`now` itself inside working time). A channel post passes the calendar of when both work.
    """
    return now if akut else cal.next_working_start(now)


def akut_when(cal: WorkingCalendar, t: datetime) -> str:
    """ARBETSTID inside working time, KVALL outside it on a working day, else HELG."""
    if cal.is_working_time(t):
        return ARBETSTID
    if cal.is_working_day(cal.local(t).date()):
        return KVALL
    return HELG
