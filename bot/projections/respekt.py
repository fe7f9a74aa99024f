"""The DM behind a /meddela message: queued when it is written, relabelled when it goes akut.

Runs in the transaction that wrote the `Meddelande`, so the message and its one outbox row
exist together or not at all. `deliver_after` comes with the row the service decided on
(`bot.services.respekt_time.delivery_time`); the deliverer's gate checks it again at send time.
"""

from __future__ import annotations

from bot import outbox
from bot.domain.events import Event, MessageEscalated, MessageWritten
from bot.models import Meddelande, OutboxMessage, Pair
from bot.presenters.respekt import delivery_text
from bot.services.people import translator_for
from bot.services.unit_of_work import UnitOfWork


def _message(event: MessageWritten | MessageEscalated, uow: UnitOfWork) -> tuple[Meddelande, Pair] | None:
    message = uow.session.get(Meddelande, event.meddelande_id)
    pair = uow.session.get(Pair, event.pair_id)
    return (message, pair) if message is not None and pair is not None else None


def queue_message(event: Event, uow: UnitOfWork) -> None:
    assert isinstance(event, MessageWritten)
    found = _message(event, uow)
    if found is None:
        return
    message, pair = found
    # In the recipient's language, which they need not share with the writer.
    row = outbox.enqueue(
        uow.session,
        kind="dm",
        now=event.at,
        user=message.recipient,
        pair_id=pair.id,
        text=delivery_text(message, pair.timezone, translator_for(uow.session, message.recipient)),
        deliver_after=message.deliver_at,
        dedupe_key=f"meddelande:{message.id}",
        respekt=not message.akut,
    )
    message.outbox_id = row.id


def label_akut(event: Event, uow: UnitOfWork) -> None:
    assert isinstance(event, MessageEscalated)
    found = _message(event, uow)
    if found is None or found[0].outbox_id is None:
        return
    message, pair = found
    row = uow.session.get(OutboxMessage, message.outbox_id)
    # The service changed the row only while it was pending and unclaimed; this transaction still holds it.
    if row is not None and row.status == "pending":
        row.text = delivery_text(message, pair.timezone, translator_for(uow.session, message.recipient))
