"""What the KSO is told about a media point the KD added, at the time the respekt rule allows (set by the service).

Seed 004, Kontakter: "Media; KSO har huvudansvaret." A media question goes first to the KSO, so
it does not wait for the Monday agenda; outside the KSO's working time it is held like every
other notice (`/meddela akut` is the way to break through, with a reason that is counted).
"""

from __future__ import annotations

from bot.domain.events import Event, MediaPointAdded
from bot.models import AgendaPoint, Pair
from bot.presenters import agenda as words
from bot.projections.notices import notice
from bot.services.people import translator_for
from bot.services.unit_of_work import UnitOfWork


def media_added(event: Event, uow: UnitOfWork) -> None:
    assert isinstance(event, MediaPointAdded)
    session = uow.session
    point, pair = session.get(AgendaPoint, event.point_id), session.get(Pair, event.pair_id)
    if point is None or pair is None:
        return
    text = words.media_notice(point.text, pair.role_of(point.created_by), translator_for(session, pair.kso_user))
    notice(session, pair, pair.kso_user, at=event.at, deliver_after=event.deliver_after, text=text)
