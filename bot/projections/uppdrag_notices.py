"""What the other member is told about an uppdrag, at the time the respekt rule allows (set by the service).

The KD hears of a new uppdrag, the other member of one marked done, the KSO of a question
(with the Svara button, whose message the answer later updates) and the KD of the answer.
"""

from __future__ import annotations

from bot import outbox
from bot.domain.events import Event, QuestionAnswered, QuestionAsked, UppdragClosed, UppdragGiven
from bot.models import OutboxMessage, Pair, Uppdrag, UppdragFraga
from bot.presenters import uppdrag as present
from bot.projections.notices import notice
from bot.services.people import translator_for
from bot.services.unit_of_work import UnitOfWork


def given(event: Event, uow: UnitOfWork) -> None:
    assert isinstance(event, UppdragGiven)
    session = uow.session
    u, pair = session.get(Uppdrag, event.uppdrag_id), session.get(Pair, event.pair_id)
    if u is None or pair is None:
        return
    notice(
        session,
        pair,
        pair.kd_user,
        at=event.at,
        deliver_after=event.deliver_after,
        text=present.given_notice(u, translator_for(session, pair.kd_user)),
    )


def closed(event: Event, uow: UnitOfWork) -> None:
    assert isinstance(event, UppdragClosed)
    session = uow.session
    u, pair = session.get(Uppdrag, event.uppdrag_id), session.get(Pair, event.pair_id)
    if u is None or pair is None or u.done_by is None:
        return
    other = pair.other(u.done_by)
    notice(
        session, pair, other, at=event.at, deliver_after=event.deliver_after, text=present.closed_notice(u, translator_for(session, other))
    )


def asked(event: Event, uow: UnitOfWork) -> None:
    """The KSO's copy of the question; it is remembered, so that the answer can take its button away."""
    assert isinstance(event, QuestionAsked)
    session = uow.session
    q, pair = session.get(UppdragFraga, event.fraga_id), session.get(Pair, event.pair_id)
    u = session.get(Uppdrag, q.uppdrag_id) if q else None
    if q is None or u is None or pair is None:
        return
    t = translator_for(session, pair.kso_user)
    msg = notice(
        session,
        pair,
        pair.kso_user,
        at=event.at,
        deliver_after=event.deliver_after,
        text=present.question_notice(u, q, t),
        blocks=present.question_blocks(u, q, t),
    )
    q.outbox_id = msg.id


def answered(event: Event, uow: UnitOfWork) -> None:
    """The KSO's copy of the question loses its Svara button, and the asker gets the answer."""
    assert isinstance(event, QuestionAnswered)
    session = uow.session
    q, pair = session.get(UppdragFraga, event.fraga_id), session.get(Pair, event.pair_id)
    u = session.get(Uppdrag, q.uppdrag_id) if q else None
    if q is None or u is None or pair is None or event.deliver_after is None:
        return
    original = session.get(OutboxMessage, q.outbox_id) if q.outbox_id is not None else None
    if original is not None and original.status in ("pending", "sent"):
        # The KSO's own copy, in the language of whoever it was sent to.
        t = translator_for(session, original.user or pair.kso_user)
        outbox.enqueue_update(session, original, now=event.at, text=present.answered_copy(u, t), blocks=present.question_blocks(u, q, t))
    notice(
        session,
        pair,
        q.asked_by,
        at=event.at,
        deliver_after=event.deliver_after,
        text=present.answer_notice(u, q, translator_for(session, q.asked_by)),
    )
