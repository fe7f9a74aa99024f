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


# --- pairs and consent ------------------------------------------------------------------------


@dataclass(frozen=True)
class ProposalMade(Event):
    """`/samspel koppla`: the invitee is to be asked (in `timezone`'s working time)."""

    proposal_id: int
    timezone: str


@dataclass(frozen=True)
class ProposalClosed(Event):
    """A proposal ended: outcome is accepted, declined, expired or withdrawn (replaced by a new one)."""

    proposal_id: int
    outcome: str
    timezone: str


@dataclass(frozen=True)
class PairPaused(Event):
    """`user` (a member, or Samspel itself when `by_bot`) left the pair channel, so the pair pauses."""

    pair_id: int
    user: str
    by_bot: bool = False


@dataclass(frozen=True)
class PairResumed(Event):
    """Everyone is back in the pair channel."""

    pair_id: int


@dataclass(frozen=True)
class PairDissolved(Event):
    """`/samspel lämna`, confirmed by `actor`."""

    pair_id: int
    actor: str
