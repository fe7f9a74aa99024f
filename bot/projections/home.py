"""App Home: each pair member's overview, republished after every change that concerns them.

A projection: services raise `PairChanged`; `refresh_pair` queues at most one fresh Home
tab per member per unit of work, rendered when the transaction's work is done.

It shows the open uppdrag (overdue ones first and highlighted), the cases waiting for
the KSO (with the decision buttons for the KSO), and the member's own held messages
(with Ångra / Skicka nu som akut).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from bot.db import rowcount
from bot.domain.events import Event, HomeOpened, HomeStale, PairChanged
from bot.i18n import _, translator
from bot.models import Meddelande, OutboxMessage, Pair
from bot.outbox import enqueue
from bot.presenters import arende as arende_present
from bot.presenters import respekt as respekt_presenter
from bot.presenters import uppdrag as uppdrag_present
from bot.presenters.blocks import DIVIDER, context, header, section
from bot.services import arende as arende_service
from bot.services import respekt
from bot.services import uppdrag as uppdrag_service
from bot.services.numbered import local_today
from bot.services.unit_of_work import UnitOfWork
from bot.text import fmt_when

MAX_BLOCKS = 100  # Slack's limit for a Home view
# Per pair: header, context, and per part a divider, a header and one "none"/"… och N till" line, plus the overdue note.
_FIXED_BLOCKS = 12


@dataclass(frozen=True)
class _Limits:
    """How many items of each kind one pair's part shows."""

    uppdrag: int  # one block each
    arenden: int  # two blocks each (details, buttons or decision)
    held: int  # two blocks each (text, buttons)


def _limits(budget: int) -> _Limits:
    """Item counts whose blocks fit in `budget`: 2/5 of the room for uppdrag, 3/10 each for cases and messages."""
    room = max(budget - _FIXED_BLOCKS, 5)
    share = max(1, room * 3 // 10 // 2)
    return _Limits(uppdrag=max(1, min(25, room * 2 // 5)), arenden=min(12, share), held=min(12, share))


def home_blocks(session: Session, pair: Pair, user: str, now: datetime, budget: int = MAX_BLOCKS) -> list[dict[str, Any]]:
    """The Home tab for one member of `pair`, in at most `budget` blocks (longer lists end with '… och N till')."""
    # Imported here: the services import this module to refresh the Home tab.

    tz = pair.timezone
    role = pair.role_of(user)
    limits = _limits(budget)
    today = local_today(session, pair, now)
    blocks: list[dict[str, Any]] = [
        header("Samspel"),
        context(_("Du är {role} i <#{channel}>. Uppdaterad {when}.").format(
            role="KSO" if role == "kso" else "KD", channel=pair.channel_id, when=fmt_when(now, tz))),
    ]

    open_rows = uppdrag_service.open_uppdrag(session, pair.id, today)
    questions = uppdrag_service.open_questions(session, pair.id)
    overdue = sum(1 for u in open_rows if uppdrag_service.is_overdue(u, today))
    blocks += [DIVIDER, header(_("Öppna uppdrag ({count})").format(count=len(open_rows)))]
    if overdue == 1:
        blocks.append(section(_(":warning: *{count} försenat*: det står först.").format(count=overdue)))
    elif overdue:
        blocks.append(section(_(":warning: *{count} försenade*: de står först.").format(count=overdue)))
    if not open_rows:
        blocks.append(section(_("_Inga öppna uppdrag._")))
    for u in open_rows[:limits.uppdrag]:
        blocks.append(section(uppdrag_present.describe(u, today, tz, questions.get(u.id), translator(), limit=200)))
    if len(open_rows) > limits.uppdrag:
        blocks.append(section(_more(len(open_rows) - limits.uppdrag, "/uppdrag lista")))

    cases = arende_service.waiting(session, pair.id)
    blocks += [DIVIDER, header(_("Ärenden som väntar på KSO ({count})").format(count=len(cases)))]
    if not cases:
        blocks.append(section(_("_Inga ärenden väntar._")))
    for a in cases[:limits.arenden]:
        blocks += arende_present.arende_blocks(a, tz, translator(), buttons=role == "kso")
    if len(cases) > limits.arenden:
        blocks.append(section(_more(len(cases) - limits.arenden, "/arende lista")))

    held = respekt.held_messages(session, pair.id, user)
    blocks += [DIVIDER, header(_("Dina meddelanden som hålls ({count})").format(count=len(held)))]
    blocks += _held_part(respekt_presenter.held_blocks(held, pair.timezone, translator()), len(held), limits.held)
    return blocks[:budget]


def _more(count: int, command: str) -> str:
    """The line that ends a cut list and names the command that shows all of it."""
    return _("_… och {count} till: se `{command}`._").format(count=count, command=command)


def _held_part(blocks: list[dict[str, Any]], total: int, limit: int) -> list[dict[str, Any]]:
    """The held-message list cut to `limit` messages, each kept whole (its text and its buttons).

    The list's own title and "… och N till" line give way to the Home tab's header and its own line.
    """
    items = [[blocks[i - 1], b] for i, b in enumerate(blocks) if b.get("type") == "actions" and i > 0]
    if not items:
        return blocks[:1]  # "Du har inga meddelanden …"
    shown = [block for item in items[:limit] for block in item]
    if total > limit:
        shown.append(section(_more(total - limit, "/meddela lista")))
    return shown


def user_home_blocks(session: Session, user: str, now: datetime) -> list[dict[str, Any]]:
    """The whole Home tab for a user: one part per pair they belong to, or how to get started."""
    pairs = session.scalars(
        select(Pair).where(or_(Pair.kso_user == user, Pair.kd_user == user), Pair.status != "dissolved").order_by(Pair.id)
    ).all()
    if not pairs:
        return [
            header("Samspel"),
            section(_("Samspel hjälper KSO och KD att leva efter sina spelregler: måndagsagenda, uppdrag, ärenden och "
                      "respekt för varandras fritid.\nKoppla er privata kanal med `/samspel koppla @kso @kd`.")),
        ]
    blocks: list[dict[str, Any]] = []
    budget = MAX_BLOCKS // len(pairs)
    for pair in pairs:
        blocks += home_blocks(session, pair, user, now, budget)
    return blocks[:MAX_BLOCKS]


def publish(session: Session, user: str, now: datetime, pair_id: int | None = None) -> None:
    """Queue a fresh Home tab for one user; the deliverer renders it (`user_home_blocks`) when it sends it.

    Rendering reads every open uppdrag, case and held message, so doing it in the request
    made every command pay for two Home tabs before its ack. Now a change only marks the
    user's queued Home tab stale, and a burst of changes costs one rendering.
    The conditional UPDATE takes only a row the deliverer has not claimed, and holds it
    until this transaction commits, so the rendering always sees this change.
    """
    stale = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.kind == "home", OutboxMessage.user == user, OutboxMessage.status == "pending",
               OutboxMessage.lease_owner.is_(None))
        .values(blocks=None)
        .execution_options(synchronize_session=False)
    )
    if rowcount(stale):
        return
    enqueue(session, kind="home", now=now, user=user, pair_id=pair_id, text="", blocks=None)


def refresh(session: Session, pair: Pair, now: datetime) -> None:
    """Queue a fresh Home tab for both members; an older queued one is superseded."""
    for user in (pair.kso_user, pair.kd_user):
        publish(session, user, now, pair.id)


# --- event handlers ------------------------------------------------------------------


def _publish_once(uow: UnitOfWork, user: str, now: datetime, pair_id: int | None) -> None:
    done: set[str] = uow.state.setdefault("home_published", set())
    if user not in done:
        done.add(user)
        publish(uow.session, user, now, pair_id)


def refresh_pair(event: Event, uow: UnitOfWork) -> None:
    assert isinstance(event, PairChanged)
    pair = uow.session.get(Pair, event.pair_id)
    if pair is None or pair.status == "dissolved":
        return
    for user in (pair.kso_user, pair.kd_user):
        _publish_once(uow, user, event.at, pair.id)


def home_opened(event: Event, uow: UnitOfWork) -> None:
    assert isinstance(event, HomeOpened | HomeStale)
    _publish_once(uow, event.user, event.at, None)


def after_delivery(session: Session, row: OutboxMessage) -> None:
    """Outbox hook: once a held message went out, the Home tabs no longer list it."""
    if row.kind != "dm" or row.pair_id is None or row.sent_at is None:
        return
    message = session.scalar(select(Meddelande).where(Meddelande.outbox_id == row.id))
    pair = session.get(Pair, row.pair_id)
    if message is not None and message.held and pair is not None:
        refresh(session, pair, row.sent_at)
