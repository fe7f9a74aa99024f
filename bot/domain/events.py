"""What happened, as plain values. Services emit these; projections (bot/projections) react to them.

Events are handled inside the transaction that caused them (bot/services/unit_of_work.py),
so an outgoing message exists exactly when its cause was committed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Event:
    """Base class: every event names when it happened."""

    at: datetime


@dataclass(frozen=True)
class HomeOpened(Event):
    """A person opened Samspel's Home tab."""

    user: str


@dataclass(frozen=True)
class HomeStale(Event):
    """A person's Home tab shows what is no longer so: a button they pressed there is stale, or their data was erased."""

    user: str
    # The pair the stale button was on: its tab waits while that pair's DMs go out (bot/outbox/sql.py).
    pair_id: int | None = None


@dataclass(frozen=True)
class LanguageChosen(Event):
    """A person chose their language (or to follow Slack's again)."""

    user: str


@dataclass(frozen=True)
class CaseDecided(Event):
    """The KSO decided an ärende; `clicked` is the (channel, ts) of the message the button was on, if any."""

    pair_id: int
    arende_id: int
    clicked: tuple[str, str] | None = None
    # When the KD's notice may arrive (respekt), and a Till KS that came after the stopptid.
    deliver_after: datetime | None = None
    late: StopptidMissed | None = None


@dataclass(frozen=True)
class QuestionAnswered(Event):
    """The KSO answered an `oklart` question on an uppdrag."""

    pair_id: int
    fraga_id: int
    # When the asker's notice may arrive (respekt); None sends none.
    deliver_after: datetime | None = None


@dataclass(frozen=True)
class CalendarChanged(Event):
    """Working hours or days off changed: held messages follow the new calendar.

    `user`: whose calendar changed (their held messages move); None for the pair as a whole.
    """

    pair_id: int
    user: str | None = None


@dataclass(frozen=True)
class HeldMessagesMoved(Event):
    """After a calendar change, what waited for `recipient` (None: for both) got a new delivery time."""

    pair_id: int
    recipient: str | None = None


# --- the pair's settings (bot/services/pairs.py, ks_calendar.py) ---


@dataclass(frozen=True)
class AgendaTimeChanged(Event):
    """`/samspel agendatid`: the Monday agenda comes at a new time."""

    pair_id: int


@dataclass(frozen=True)
class RadsmoteChanged(Event):
    """`/samspel rådsmöte`: the rådsmöte agenda's channel or time changed, or it was turned off."""

    pair_id: int


@dataclass(frozen=True)
class TalkDateChanged(Event):
    """`/samspel utvecklingssamtal`: the KSO set the talk's date."""

    pair_id: int


@dataclass(frozen=True)
class KsMeetingsChanged(Event):
    """`/samspel ks`: the coming KS meetings were replaced; the waiting cases are planned anew."""

    pair_id: int


@dataclass(frozen=True)
class StopptidChanged(Event):
    """`/samspel stopptid`: a new stopptid; the waiting cases get fresh stopptid dates."""

    pair_id: int


@dataclass(frozen=True)
class PairRestored(Event):
    """The workspace installed Samspel again within the grace period: the pair paused by the uninstall goes on."""

    pair_id: int


@dataclass(frozen=True)
class AgendaChanged(Event):
    """Something the Monday agenda lists was added or changed (a point, an uppdrag, a case, a question).

    Until the meeting starts, the posted agenda is rendered again (bot/projections/posted_agenda.py).
    """

    pair_id: int


@dataclass(frozen=True)
class AgendaPointClosed(Event):
    """An agenda point was closed with its Stäng button: the posted agenda ticks it off.

    `role`: who closed it ('kso'/'kd'); `clicked`: the (channel, ts) of the message the button was on, if any.
    """

    pair_id: int
    point_id: int
    role: str | None = None
    clicked: tuple[str, str] | None = None
    # An incident is closed with who owns the follow-up ('kso'/'kd'/'bada') and how it was cleared up.
    owner: str | None = None
    resolution: str | None = None


@dataclass(frozen=True)
class MediaPointAdded(Event):
    """The KD added a media point: the KSO, who has the main responsibility for media, is told (respekt applies)."""

    pair_id: int
    point_id: int
    deliver_after: datetime


# --- spelregler and the utvecklingssamtal (bot/services/samtal.py, bot/projections/samtal.py) ---


@dataclass(frozen=True)
class SpelreglerSaved(Event):
    """A member saved a new version of the pair's spelregler: the channel hears of it."""

    pair_id: int
    user: str
    version: int


@dataclass(frozen=True)
class TalkReminderDue(Event):
    """A reminder DM of the talk on `talk` fell due; `key` is its claimed job-run key."""

    pair_id: int
    talk: date
    key: str


@dataclass(frozen=True)
class TalkMaterialDue(Event):
    """The material for the talk (the year in figures, the spelregler) is due in the pair channel."""

    pair_id: int
    talk: date
    key: str


@dataclass(frozen=True)
class TalkMoved(Event):
    """The talk has a new date after the pair was reminded of `old` (None: not known)."""

    pair_id: int
    talk: date
    old: date | None
    key: str


@dataclass(frozen=True)
class TalkRecorded(Event):
    """The KSO recorded that the talk was held; the next one is on `next_talk`."""

    pair_id: int
    user: str
    next_talk: date


# --- uppdrag and ärenden: what the other member is told (bot/projections/uppdrag_notices.py, arende_notices.py) ---


@dataclass(frozen=True)
class StopptidMissed:
    """A Till KS after the case's stopptid: the meeting it missed, and the one it reaches (None: the calendar has none)."""

    meeting: date
    stopptid: date
    reached_meeting: date | None = None
    reached_stopptid: date | None = None


@dataclass(frozen=True)
class UppdragGiven(Event):
    """The KSO gave an uppdrag; the KD is told at `deliver_after` (respekt)."""

    pair_id: int
    uppdrag_id: int
    deliver_after: datetime


@dataclass(frozen=True)
class UppdragClosed(Event):
    """An uppdrag was marked done; the other member is told at `deliver_after` (respekt)."""

    pair_id: int
    uppdrag_id: int
    deliver_after: datetime


@dataclass(frozen=True)
class QuestionAsked(Event):
    """The KD raised an uncertainty in an uppdrag; the KSO gets it with an answer button at `deliver_after`."""

    pair_id: int
    fraga_id: int
    deliver_after: datetime


@dataclass(frozen=True)
class CaseSubmitted(Event):
    """The KD handed over a case (`again`: a case sent back, handed over anew); the KSO gets it with the buttons."""

    pair_id: int
    arende_id: int
    deliver_after: datetime
    again: bool = False
    note: str = ""
    previous_comment: str | None = None


@dataclass(frozen=True)
class MessageWritten(Event):
    """A member sent a message through the bot (/meddela): its DM to the other member is to be queued."""

    pair_id: int
    meddelande_id: int


@dataclass(frozen=True)
class MessageHeld(Event):
    """The message `sender` just wrote waits for the recipient's working time (after its MessageWritten)."""

    pair_id: int
    meddelande_id: int
    sender: str


@dataclass(frozen=True)
class MessageCancelled(Event):
    """Ångra: `sender` stopped a held message before it was delivered."""

    pair_id: int
    meddelande_id: int
    sender: str


@dataclass(frozen=True)
class MessageEscalated(Event):
    """A held message of `sender` goes now as akut: its queued DM is to be labelled akut."""

    pair_id: int
    meddelande_id: int
    sender: str


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


# --- onboarding ------------------------------------------------------------------


@dataclass(frozen=True)
class PersonWelcomed(Event):
    """`user` opened Samspel's Home tab for the first time: one welcome DM, and a welcome on that Home tab."""

    user: str


@dataclass(frozen=True)
class BotJoinedChannel(Event):
    """Samspel was invited to `channel` (not yet a pair's): one message there on how to couple the pair.

    `public`: an open channel, which cannot be a pair channel (the message says so).
    `inviter`: who invited Samspel (Slack's `inviter`, when it says); the message is in their language.
    """

    channel: str
    public: bool
    team_id: str | None = None
    inviter: str | None = None
