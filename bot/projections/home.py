"""App Home: each pair member's overview, republished after every change it shows.

A projection: services raise what happened (CaseSubmitted, MessageHeld …); the handlers below
queue at most one fresh Home tab per member per unit of work, only for the members whose tab
shows the change, rendered when the deliverer sends it (`user_home_blocks`). This module
decides when to refresh and gathers what the tab shows; `bot.presenters.home` lays it out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from bot.db import rowcount
from bot.domain.events import (
    AgendaTimeChanged,
    CalendarChanged,
    CaseDecided,
    CaseSubmitted,
    Event,
    HeldMessagesMoved,
    HomeOpened,
    HomeStale,
    KsMeetingsChanged,
    LanguageChosen,
    MessageCancelled,
    MessageEscalated,
    MessageHeld,
    PairDissolved,
    PairRestored,
    QuestionAnswered,
    QuestionAsked,
    StopptidChanged,
    TalkDateChanged,
    TalkRecorded,
    UppdragClosed,
    UppdragGiven,
)
from bot.models import Meddelande, OutboxMessage, Pair, Person
from bot.outbox import enqueue
from bot.presenters.home import MAX_HELD_SHOWN, HomePart, home_view
from bot.services import arende as arende_service
from bot.services import onboarding, respekt
from bot.services import uppdrag as uppdrag_service
from bot.services.numbered import local_today
from bot.services.pairs import prefetch_calendars
from bot.services.people import translator_for
from bot.services.unit_of_work import UnitOfWork


def _part(session: Session, pair: Pair, user: str, now: datetime) -> HomePart:
    """What one member's part shows for `pair`: open uppdrag (overdue first), waiting cases, their held messages."""
    today = local_today(session, pair, now)
    open_rows = uppdrag_service.open_uppdrag(session, pair.id, today)
    held = respekt.held_messages(session, pair.id, user, limit=MAX_HELD_SHOWN)
    return HomePart(
        pair=pair,
        role=pair.role_of(user),
        today=today,
        uppdrag=open_rows,
        questions=uppdrag_service.open_questions(session, pair.id),
        overdue=sum(1 for u in open_rows if uppdrag_service.is_overdue(u, today)),
        cases=arende_service.waiting(session, pair.id),
        held_count=len(held) if len(held) < MAX_HELD_SHOWN else respekt.held_count(session, pair.id, user),
        held=held,
        settings=onboarding.settings_of(session, pair, user, now),
    )


def welcome_key(user: str) -> str:
    """The dedupe key of the Home tab that carries the person's first welcome (see `publish_welcome`)."""
    return f"valkommen:{user}"


def _welcomes_due(session: Session, users: Sequence[str]) -> set[str]:
    """Those of `users` whose Home tab being sent is the welcome's: its row is still pending (claimed, about to go)."""
    keys = {welcome_key(user): user for user in users}
    found = session.scalars(
        select(OutboxMessage.dedupe_key).where(
            OutboxMessage.dedupe_key.in_(list(keys)), OutboxMessage.kind == "home", OutboxMessage.status == "pending"
        )
    )
    return {keys[key] for key in found if key in keys}


_PREFETCHED = "samspel.home_prefetched"


@dataclass
class _Prefetched:
    """What `prefetch_homes` loaded for a batch of Home tabs (held here: the identity map holds rows weakly)."""

    pairs: dict[str, list[Pair]]
    welcome: set[str]
    people: list[Person]


def _pairs_of(session: Session, users: Sequence[str]) -> Sequence[Pair]:
    return session.scalars(
        select(Pair).where(or_(Pair.kso_user.in_(users), Pair.kd_user.in_(users)), Pair.status != "dissolved").order_by(Pair.id)
    ).all()


def prefetch_homes(session: Session, users: Sequence[str], now: datetime) -> None:
    """Outbox hook: for a batch of Home tabs, their pairs, calendars, people and welcome marks in a few queries.

    In the deliverer's rendering session (a stable_calendars one); `user_home_blocks` then finds them.
    """
    users = list(dict.fromkeys(users))
    if not users:
        return
    pairs = _pairs_of(session, users)
    prefetch_calendars(session, pairs)
    by_user: dict[str, list[Pair]] = {user: [] for user in users}
    for pair in pairs:
        for member in dict.fromkeys((pair.kso_user, pair.kd_user)):
            if member in by_user:
                by_user[member].append(pair)
    people = session.scalars(select(Person).where(Person.user_id.in_(users))).all()  # translator_for's session.get
    session.info[_PREFETCHED] = _Prefetched(pairs=by_user, welcome=_welcomes_due(session, users), people=list(people))


def user_home_blocks(session: Session, user: str, now: datetime) -> list[dict[str, Any]]:
    """The whole Home tab for a user, in their language: one part per pair they belong to, or how to get started.

    Rendered when the deliverer sends it, so a language chosen since it was queued applies.
    """
    known: _Prefetched | None = session.info.get(_PREFETCHED)
    if known is not None and user in known.pairs:
        pairs: Sequence[Pair] = known.pairs[user]
        greet = user in known.welcome
    else:
        pairs, greet = _pairs_of(session, [user]), user in _welcomes_due(session, [user])
    return home_view([_part(session, pair, user, now) for pair in pairs], now, translator_for(session, user), greet=greet)


def publish(session: Session, user: str, now: datetime, pair_id: int | None = None) -> None:
    """Queue a fresh Home tab for one user; the deliverer renders it (`user_home_blocks`) when it sends it.

    Rendering reads every open uppdrag, case and held message, so doing it in the request
    made every command pay for two Home tabs before its ack. Now a change only marks the
    user's queued Home tab stale, and a burst of changes costs one rendering.
    The conditional UPDATE takes only a row the deliverer has not claimed, and holds it
    until this transaction commits, so the rendering always sees this change.
    """
    publish_many(session, [(user, now, pair_id)])


def publish_many(session: Session, tabs: Sequence[tuple[str, datetime, int | None]]) -> None:
    """`publish` for many users at once ((user, now, pair_id) each): one UPDATE for all, then a row for each one not queued."""
    users = list(dict.fromkeys(user for user, _, _ in tabs))
    if not users:
        return
    stale = set(
        session.scalars(
            update(OutboxMessage)
            .where(
                OutboxMessage.kind == "home",
                OutboxMessage.user.in_(users),
                OutboxMessage.status == "pending",
                OutboxMessage.lease_owner.is_(None),
            )
            .values(blocks=None)
            .returning(OutboxMessage.user)
            .execution_options(synchronize_session=False)
        )
    )
    for user, now, pair_id in tabs:
        if user not in stale:
            stale.add(user)
            enqueue(session, kind="home", now=now, user=user, pair_id=pair_id, text="", blocks=None)


def publish_welcome(uow: UnitOfWork, user: str, now: datetime) -> None:
    """Queue the person's first Home tab with the welcome on it (`welcome_key` marks the row).

    A Home tab already queued and not yet claimed becomes the welcome's; a later change only
    re-renders it (`publish` keeps the key), so the welcome shows on exactly the first Home tab sent.
    """
    uow.state.setdefault("home_published", set()).add(user)
    marked = uow.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.kind == "home", OutboxMessage.user == user, OutboxMessage.status == "pending", OutboxMessage.lease_owner.is_(None)
        )
        .values(blocks=None, dedupe_key=welcome_key(user))
        .execution_options(synchronize_session=False)
    )
    if not rowcount(marked):
        enqueue(uow.session, kind="home", now=now, user=user, text="", blocks=None, dedupe_key=welcome_key(user))


# --- event handlers ------------------------------------------------------------------
# bot/projections/table.py subscribes these to exactly the events whose consequences the tab shows.

# Both members' tabs show it: the open uppdrag and their questions, the waiting cases (with their KS
# date and stopptid), the pair's settings (agenda time, talk date), or the pair itself.
PairWide = (
    CaseSubmitted
    | CaseDecided
    | UppdragGiven
    | UppdragClosed
    | QuestionAsked
    | QuestionAnswered
    | KsMeetingsChanged
    | StopptidChanged
    | AgendaTimeChanged
    | TalkDateChanged
    | TalkRecorded
    | PairRestored
    | PairDissolved
)
# Only the sender's tab lists their held messages; the recipient's never shows them.
SendersOwn = MessageHeld | MessageCancelled | MessageEscalated
# A tab worded or opened anew for one person, outside any pair.
PersonsOwn = HomeOpened | HomeStale | LanguageChosen


def _publish_once(uow: UnitOfWork, users: Sequence[str], now: datetime, pair_id: int | None) -> None:
    """Queue the Home tabs of `users` not yet queued in this unit of work, with one UPDATE for all."""
    done: set[str] = uow.state.setdefault("home_published", set())
    fresh = [user for user in dict.fromkeys(users) if user not in done]
    done.update(fresh)
    publish_many(uow.session, [(user, now, pair_id) for user in fresh])


def _members(uow: UnitOfWork, pair_id: int) -> tuple[str, str] | None:
    pair = uow.session.get(Pair, pair_id)
    return None if pair is None else (pair.kso_user, pair.kd_user)


def refresh_pair(event: Event, uow: UnitOfWork) -> None:
    """Both members' tabs; a dissolved pair's too, whose part is gone from them."""
    assert isinstance(event, PairWide)
    members = _members(uow, event.pair_id)
    if members is not None:
        _publish_once(uow, members, event.at, event.pair_id)


def refresh_sender(event: Event, uow: UnitOfWork) -> None:
    """A held message was added, cancelled or sent as akut: its sender's list changed."""
    assert isinstance(event, SendersOwn)
    _publish_once(uow, (event.sender,), event.at, event.pair_id)


def refresh_calendar(event: Event, uow: UnitOfWork) -> None:
    """A member's own working hours or days off: their settings section shows them."""
    assert isinstance(event, CalendarChanged)
    members = _members(uow, event.pair_id)
    if members is not None:
        _publish_once(uow, members if event.user is None else (event.user,), event.at, event.pair_id)


def refresh_moved(event: Event, uow: UnitOfWork) -> None:
    """Held messages to `recipient` got a new time: their senders' lists show it (a member writes to the other)."""
    assert isinstance(event, HeldMessagesMoved)
    members = _members(uow, event.pair_id)
    if members is not None:
        senders = [user for user in members if user != event.recipient] or members  # one person in both roles
        _publish_once(uow, senders, event.at, event.pair_id)


def refresh_person(event: Event, uow: UnitOfWork) -> None:
    assert isinstance(event, PersonsOwn)
    _publish_once(uow, (event.user,), event.at, event.pair_id if isinstance(event, HomeStale) else None)


def after_delivery(session: Session, rows: Sequence[OutboxMessage]) -> None:
    """Outbox hook, once per batch of sends: once a held message went out, its sender's Home tab no longer lists it.

    Only the sender's: the recipient's Home tab never showed it. Once per sender and pair in a batch:
    the tab is rendered when it goes, so one queued refresh shows them all.
    """
    dms = {row.id: row for row in rows if row.kind == "dm" and row.pair_id is not None and row.sent_at is not None}
    if not dms:
        return
    senders = session.execute(
        select(Meddelande.outbox_id, Meddelande.sender).where(Meddelande.outbox_id.in_(list(dms)), Meddelande.held.is_(True))
    )
    tabs: dict[tuple[str, int | None], datetime] = {}
    for outbox_id, sender in senders:
        row = dms.get(outbox_id) if outbox_id is not None else None
        if row is not None and row.sent_at is not None:
            tabs.setdefault((sender, row.pair_id), row.sent_at)
    publish_many(session, [(user, when, pair_id) for (user, pair_id), when in tabs.items()])
