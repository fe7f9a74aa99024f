"""The messages consent means: the question to the invitee, its outcome, and the notes when a pair pauses,
resumes or is dissolved. Event handlers (in the table of bot/projections/table.py) writing outbox rows.

Nothing about a proposal reaches anyone but the invitee (the question) and the proposer (the outcome).
A proposal belongs to no pair yet, so its messages follow the deployment's working time.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.domain.events import Event, PairDissolved, PairPaused, PairResumed, ProposalClosed, ProposalMade
from bot.models import OutboxMessage, Pair, PairProposal
from bot.outbox import enqueue, enqueue_update
from bot.presenters import consent as words
from bot.presenters.blocks import section
from bot.projections.notices import member_dm, pair_post
from bot.services.people import pair_translator, translator_for
from bot.services.respekt_time import delivery_time
from bot.services.unit_of_work import UnitOfWork


def _tell(session: Session, user: str, text: str, now: datetime, timezone: str) -> None:
    enqueue(session, kind="dm", now=now, user=user, text=text, deliver_after=delivery_time(session, None, now, timezone=timezone))


def ask_invitee(event: Event, uow: UnitOfWork) -> None:
    assert isinstance(event, ProposalMade)
    session = uow.session
    p = session.get(PairProposal, event.proposal_id)
    if p is None:
        return
    t = translator_for(session, p.invitee)
    dm = enqueue(
        session,
        kind="dm",
        now=event.at,
        user=p.invitee,
        text=words.question(p, t),
        blocks=words.question_blocks(p, t),
        deliver_after=delivery_time(session, None, event.at, timezone=event.timezone),
    )
    # Kept so the buttons can be replaced by the outcome.
    p.outbox_id = dm.id


def tell_outcome(event: Event, uow: UnitOfWork) -> None:
    assert isinstance(event, ProposalClosed)
    session, now = uow.session, event.at
    p = session.get(PairProposal, event.proposal_id)
    if p is None:
        return
    ref = session.get(OutboxMessage, p.outbox_id) if p.outbox_id else None
    if ref is not None:
        # The invitee's question becomes its outcome, in the invitee's language.
        text = words.outcome(p, event.outcome, translator_for(session, p.invitee))
        enqueue_update(session, ref, now=now, text=text, blocks=[section(text)])
    t = translator_for(session, p.proposed_by)
    if event.outcome == "declined":
        _tell(session, p.proposed_by, words.declined_dm(p, t), now, event.timezone)
    elif event.outcome == "expired":
        _tell(session, p.proposed_by, words.expired_dm(p, t), now, event.timezone)
    elif event.outcome == "accepted":
        _welcome(session, p, now)


def _welcome(session: Session, p: PairProposal, now: datetime) -> None:
    """The pair exists: the proposer hears it in their working time, the channel when both work."""
    pair = session.get(Pair, p.pair_id) if p.pair_id else None
    if pair is None:
        return
    member_dm(session, pair, p.proposed_by, at=now, text=words.accepted_dm(p, translator_for(session, p.proposed_by)))
    pair_post(session, pair, at=now, text=words.accepted_post(p, pair_translator(session, pair)))


def tell_paused(event: Event, uow: UnitOfWork) -> None:
    assert isinstance(event, PairPaused)
    session = uow.session
    pair = session.get(Pair, event.pair_id)
    if pair is None:
        return
    who = "Samspel" if event.by_bot else f"<@{event.user}>"
    for member in (pair.kso_user, pair.kd_user):
        if member != event.user:
            text = words.paused_dm(who, pair.channel_id, translator_for(session, member))
            # Not tied to the pair: the deliverer holds a paused pair's messages.
            member_dm(session, pair, member, at=event.at, text=text, tied=False)


def tell_resumed(event: Event, uow: UnitOfWork) -> None:
    assert isinstance(event, PairResumed)
    session = uow.session
    pair = session.get(Pair, event.pair_id)
    if pair is None:
        return
    pair_post(session, pair, at=event.at, text=words.resumed_post(pair_translator(session, pair)))


def tell_dissolved(event: Event, uow: UnitOfWork) -> None:
    assert isinstance(event, PairDissolved)
    session = uow.session
    pair = session.get(Pair, event.pair_id)
    if pair is None:
        return
    other = pair.other(event.actor)
    # Not tied to the pair, whose pending messages were just cancelled.
    member_dm(
        session, pair, other, at=event.at, text=words.dissolved_dm(event.actor, pair.channel_id, translator_for(session, other)), tied=False
    )
