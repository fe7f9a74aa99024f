"""What the other member is told about a case, at the time the respekt rule allows (set by the service).

The KSO gets each handed-over case with the decision buttons (that message is remembered);
once decided, that message shows the decision instead, and the KD is told.
"""

from __future__ import annotations

from bot import outbox
from bot.domain.events import CaseDecided, CaseSubmitted, Event
from bot.models import Arende, OutboxMessage, Pair
from bot.presenters import arende as present
from bot.projections.notices import notice
from bot.services.people import translator_for
from bot.services.unit_of_work import UnitOfWork


def submitted(event: Event, uow: UnitOfWork) -> None:
    assert isinstance(event, CaseSubmitted)
    session = uow.session
    a, pair = session.get(Arende, event.arende_id), session.get(Pair, event.pair_id)
    if a is None or pair is None:
        return
    t = translator_for(session, pair.kso_user)
    blocks = present.arende_blocks(a, pair.timezone, t, note=event.note, previous_comment=event.previous_comment)
    msg = notice(
        session,
        pair,
        pair.kso_user,
        at=event.at,
        deliver_after=event.deliver_after,
        text=present.submitted_notice(a, t, again=event.again),
        blocks=blocks,
    )
    a.outbox_id = msg.id


def decided(event: Event, uow: UnitOfWork) -> None:
    """The case's own DM to the KSO shows the decision; the KD is told (the posted agenda: posted_agenda.py)."""
    assert isinstance(event, CaseDecided)
    session = uow.session
    a, pair = session.get(Arende, event.arende_id), session.get(Pair, event.pair_id)
    if a is None or pair is None or event.deliver_after is None:
        return
    original = session.get(OutboxMessage, a.outbox_id) if a.outbox_id else None
    if original is not None and original.status in ("pending", "sent"):
        # The KSO's own copy, in the language of whoever it was sent to.
        t = translator_for(session, original.user or pair.kso_user)
        outbox.enqueue_update(
            session, original, now=event.at, text=present.decided_copy(a, t), blocks=present.arende_blocks(a, pair.timezone, t)
        )
    notice(
        session,
        pair,
        a.submitted_by,
        at=event.at,
        deliver_after=event.deliver_after,
        text=present.decided_notice(a, event.late, translator_for(session, a.submitted_by)),
    )
