"""What happened, as plain values. Services emit these; projections (bot/projections) react to them.

Events are handled inside the transaction that caused them (bot/services/unit_of_work.py),
so an outgoing message exists exactly when its cause was committed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Event:
    """Base class: every event names when it happened."""

    at: datetime


@dataclass(frozen=True)
class PairChanged(Event):
    """Something the pair's members see on their Home tab changed (uppdrag, ärenden, held messages …)."""

    pair_id: int


@dataclass(frozen=True)
class HomeOpened(Event):
    """A person opened Samspel's Home tab."""

    user: str


@dataclass(frozen=True)
class HomeStale(Event):
    """A person's Home tab shows something that is gone (erased data): publish a fresh one."""

    user: str


@dataclass(frozen=True)
class CaseDecided(Event):
    """The KSO decided an ärende; `clicked` is the (channel, ts) of the message the button was on, if any."""

    pair_id: int
    arende_id: int
    clicked: tuple[str, str] | None = None


@dataclass(frozen=True)
class QuestionAnswered(Event):
    """The KSO answered an `oklart` question on an uppdrag."""

    pair_id: int
    fraga_id: int


@dataclass(frozen=True)
class CalendarChanged(Event):
    """Working hours or days off changed: held messages follow the new calendar.

    `user`: whose calendar changed (their held messages move); None for the pair as a whole.
    """

    pair_id: int
    user: str | None = None


@dataclass(frozen=True)
class AgendaChanged(Event):
    """Something the Monday agenda lists was added or changed (a point, an uppdrag, a case, a question).

    Until the meeting starts, the posted agenda is rendered again (bot/projections/posted_agenda.py).
    """

    pair_id: int


@dataclass(frozen=True)
class MessageWritten(Event):
    """A member sent a message through the bot (/meddela): its DM to the other member is to be queued."""

    pair_id: int
    meddelande_id: int


@dataclass(frozen=True)
class MessageEscalated(Event):
    """A held message goes now as akut: its queued DM is to be labelled akut."""

    pair_id: int
    meddelande_id: int
