"""`/samspel möten`: the pair's recurring meetings and contacts, and who is responsible for each.

Follows the seed's *Kontakter* and meeting structure (seed 004) and the workshop's
heading "Möten och kontakter – lista dessa" (seed 000). Worded by `bot/presenters/moten.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from bot.services import ks_calendar
from bot.services.pairs import Member, calendar_for


@dataclass(frozen=True)
class Meetings:
    """What the overview names: the agenda and rådsmöte times, the next KS meeting and its stopptid, the talk."""

    agenda_time_min: int
    radsmote_channel: str | None
    radsmote_time_min: int
    next_ks: date | None
    next_ks_stopptid: date | None
    next_talk: date | None


def meetings(session: Session, member: Member, now: datetime) -> Meetings:
    pair = member.pair
    today = calendar_for(session, pair).local(now).date()
    ks_days = ks_calendar.upcoming(session, pair.id, today)
    next_ks = ks_days[0] if ks_days else None
    last = ks_calendar.stopptid_for(session, pair, next_ks) if next_ks is not None else None
    return Meetings(
        agenda_time_min=pair.agenda_time_min,
        radsmote_channel=pair.radsmote_channel,
        radsmote_time_min=pair.radsmote_time_min,
        next_ks=next_ks,
        next_ks_stopptid=last,
        next_talk=pair.next_talk,
    )
