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
    ProposalClosed,
    QuestionAnswered,
    QuestionAsked,
    StopptidChanged,
    TalkDateChanged,
    TalkRecorded,
    UppdragClosed,
    UppdragGiven,
)
from bot.models import Meddelande, OutboxMessage, Pair, PairProposal, Person
from bot.outbox import enqueue
from bot.presenters.home import MAX_HELD_SHOWN, HomePart, home_view
from bot.services import arende as arende_service
from bot.services import onboarding, respekt, tenant
from bot.services import uppdrag as uppdrag_service
from bot.services.numbered import local_today
from bot.services.pairs import in_team, prefetch_calendars
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


def welcome_key(user: str, team_id: str | None = None) -> str:
    """The dedupe key of the Home tab that carries the person's first welcome (see `publish_welcome`)."""
    return f"valkommen:{team_id}:{user}" if team_id else f"valkommen:{user}"


# A Home tab is one person's in one workspace: a user id may be in several workspaces (Enterprise Grid),
# each with its own pairs, its own token and its own outbox row.
TabKey = tuple[str | None, str]


def _welcomes_due(session: Session, tabs: Sequence[TabKey]) -> set[TabKey]:
    """Those of `tabs` whose Home tab being sent is the welcome's: its row is still pending (claimed, about to go)."""
    keys = {welcome_key(user, team): (team, user) for team, user in tabs}
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

    pairs: dict[TabKey, list[Pair]]
    welcome: set[TabKey]
    people: list[Person]


def _pairs_of(session: Session, users: Sequence[str], team_id: str | None) -> Sequence[Pair]:
    """The live pairs of `users` in workspace `team_id` (None: in any, for a deployment of one workspace)."""
    return session.scalars(
        select(Pair)
        .where(or_(Pair.kso_user.in_(users), Pair.kd_user.in_(users)), Pair.status != "dissolved", *in_team(team_id))
        .order_by(Pair.id)
    ).all()


def prefetch_homes(session: Session, tabs: Sequence[TabKey], now: datetime) -> None:
    """Outbox hook: for a batch of Home tabs ((team, user) each), their pairs, calendars, people and welcome marks
    in a few queries (one for the pairs of each workspace).

    In the deliverer's rendering session (a stable_calendars one); `user_home_blocks` then finds them.
    """
    tabs = list(dict.fromkeys(tabs))
    if not tabs:
        return
    by_tab: dict[TabKey, list[Pair]] = {tab: [] for tab in tabs}
    teams: dict[str | None, list[str]] = {}
    for team, user in tabs:
        teams.setdefault(team, []).append(user)
    for team, users in teams.items():
        pairs = _pairs_of(session, users, team)
        prefetch_calendars(session, pairs)
        for pair in pairs:
            for member in dict.fromkeys((pair.kso_user, pair.kd_user)):
                if (team, member) in by_tab:
                    by_tab[(team, member)].append(pair)
    users = list(dict.fromkeys(user for _, user in tabs))
    people = session.scalars(select(Person).where(Person.user_id.in_(users))).all()  # translator_for's session.get
    session.info[_PREFETCHED] = _Prefetched(pairs=by_tab, welcome=_welcomes_due(session, tabs), people=list(people))


def user_home_blocks(session: Session, user: str, now: datetime, team_id: str | None = None) -> list[dict[str, Any]]:
    """The whole Home tab for a user in workspace `team_id`, in their language: one part per pair they belong to
    there, or how to get started.

    Rendered when the deliverer sends it, so a language chosen since it was queued applies.
    """
    known: _Prefetched | None = session.info.get(_PREFETCHED)
    tab = (team_id, user)
    if known is not None and tab in known.pairs:
        pairs: Sequence[Pair] = known.pairs[tab]
        greet = tab in known.welcome
    else:
        pairs, greet = _pairs_of(session, [user], team_id), tab in _welcomes_due(session, [tab])
    return home_view([_part(session, pair, user, now) for pair in pairs], now, translator_for(session, user), greet=greet)


@dataclass(frozen=True)
class Tab:
    """A Home tab to queue: whose, in which workspace (None: the request's, else any), since when, and for which pair."""

    user: str
    at: datetime
    pair_id: int | None = None
    team_id: str | None = None


def publish(session: Session, user: str, now: datetime, pair_id: int | None = None, team_id: str | None = None) -> None:
    """Queue a fresh Home tab for one user; the deliverer renders it (`user_home_blocks`) when it sends it.

    Rendering reads every open uppdrag, case and held message, so doing it in the request
    made every command pay for two Home tabs before its ack. Now a change only marks the
    user's queued Home tab stale, and a burst of changes costs one rendering.
    The conditional UPDATE takes only a row the deliverer has not claimed, and holds it
    until this transaction commits, so the rendering always sees this change.
    """
    publish_many(session, [Tab(user, now, pair_id, team_id)])


def _team_of_tab(session: Session, tab: Tab) -> str | None:
    if tab.team_id:
        return tab.team_id
    pair = session.get(Pair, tab.pair_id) if tab.pair_id is not None else None
    return pair.team_id if pair is not None else tenant.team()


def _pending_home(team_id: str | None, users: Sequence[str]) -> tuple[Any, ...]:
    """A queued Home tab of `users` in workspace `team_id` that the deliverer has not claimed."""
    team = (OutboxMessage.team_id == team_id,) if team_id else ()
    return (
        OutboxMessage.kind == "home",
        OutboxMessage.user.in_(users),
        *team,
        OutboxMessage.status == "pending",
        OutboxMessage.lease_owner.is_(None),
    )


def publish_many(session: Session, tabs: Sequence[Tab]) -> None:
    """`publish` for many tabs at once: one UPDATE per workspace for all, then a row for each one not queued."""
    by_team: dict[str | None, list[Tab]] = {}
    for tab in tabs:
        by_team.setdefault(_team_of_tab(session, tab), []).append(tab)
    for team, team_tabs in by_team.items():
        users = list(dict.fromkeys(tab.user for tab in team_tabs))
        stale = set(
            session.scalars(
                update(OutboxMessage)
                .where(*_pending_home(team, users))
                .values(blocks=None)
                .returning(OutboxMessage.user)
                .execution_options(synchronize_session=False)
            )
        )
        for tab in team_tabs:
            if tab.user not in stale:
                stale.add(tab.user)
                enqueue(session, kind="home", now=tab.at, user=tab.user, pair_id=tab.pair_id, text="", blocks=None, team_id=team)


def publish_welcome(uow: UnitOfWork, user: str, now: datetime) -> None:
    """Queue the person's first Home tab with the welcome on it (`welcome_key` marks the row).

    A Home tab already queued and not yet claimed becomes the welcome's; a later change only
    re-renders it (`publish` keeps the key), so the welcome shows on exactly the first Home tab sent.
    """
    team = tenant.team()
    uow.state.setdefault("home_published", set()).add((team, user))
    marked = uow.session.execute(
        update(OutboxMessage)
        .where(*_pending_home(team, [user]))
        .values(blocks=None, dedupe_key=welcome_key(user, team))
        .execution_options(synchronize_session=False)
    )
    if not rowcount(marked):
        enqueue(uow.session, kind="home", now=now, user=user, text="", blocks=None, dedupe_key=welcome_key(user, team), team_id=team)


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


def _publish_once(uow: UnitOfWork, users: Sequence[str], now: datetime, pair_id: int | None, team_id: str | None = None) -> None:
    """Queue the Home tabs of `users` not yet queued in this unit of work, with one UPDATE for all; in workspace
    `team_id`, else the pair's, else the request's."""
    team = _team_of_tab(uow.session, Tab("", now, pair_id, team_id))
    done: set[TabKey] = uow.state.setdefault("home_published", set())
    fresh = [user for user in dict.fromkeys(users) if (team, user) not in done]
    done.update((team, user) for user in fresh)
    publish_many(uow.session, [Tab(user, now, pair_id, team) for user in fresh])


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


def refresh_accepted(event: Event, uow: UnitOfWork) -> None:
    """A proposal accepted: the new pair appears on both members' tabs (until now they said how to couple one)."""
    assert isinstance(event, ProposalClosed)
    proposal = uow.session.get(PairProposal, event.proposal_id)
    if event.outcome == "accepted" and proposal is not None and proposal.pair_id is not None:
        _publish_once(uow, (proposal.kso_user, proposal.kd_user), event.at, proposal.pair_id)


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
    tabs: dict[tuple[str, int | None, str | None], datetime] = {}
    for outbox_id, sender in senders:
        row = dms.get(outbox_id) if outbox_id is not None else None
        if row is not None and row.sent_at is not None:
            tabs.setdefault((sender, row.pair_id, row.team_id), row.sent_at)
    publish_many(session, [Tab(user, when, pair_id, team) for (user, pair_id, team), when in tabs.items()])
