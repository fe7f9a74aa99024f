"""The bus table sends an event to the App Home exactly when the Home tab shows its consequences.

What the tab shows (bot/presenters/home.py): per pair the member is in, the open uppdrag and their
questions, the cases waiting for the KSO (with KS date and stopptid), the member's own held messages,
and their settings (own hours and days off, agenda time, talk date); in the person's language.
A new event type must be sorted into one of the two lists below.
"""

from __future__ import annotations

import pytest

from bot.domain import events as ev
from bot.projections import home
from bot.projections.table import HANDLERS

SHOWN: set[type[ev.Event]] = {
    ev.HomeOpened,
    ev.HomeStale,  # a stale button pressed there, or erased data
    ev.LanguageChosen,
    ev.CaseSubmitted,
    ev.CaseDecided,
    ev.UppdragGiven,
    ev.UppdragClosed,
    ev.QuestionAsked,
    ev.QuestionAnswered,
    ev.CalendarChanged,  # the member's own hours and days off
    ev.HeldMessagesMoved,  # the senders' lists show when their messages go
    ev.AgendaTimeChanged,
    ev.TalkDateChanged,
    ev.TalkRecorded,  # the next talk's date
    ev.KsMeetingsChanged,  # the waiting cases' KS dates
    ev.StopptidChanged,  # and their stopptid
    ev.MessageHeld,
    ev.MessageCancelled,
    ev.MessageEscalated,  # leaves the held list
    ev.PairDissolved,  # the pair's part is gone
    ev.PairRestored,  # what the uninstall cancelled is gone
    ev.ProposalClosed,  # accepted: the new pair appears
}
NOT_SHOWN: set[type[ev.Event]] = {
    ev.AgendaChanged,  # the posted agenda; the Home tab has no agenda
    ev.AgendaPointClosed,
    ev.MediaPointAdded,
    ev.RadsmoteChanged,
    ev.SpelreglerSaved,
    ev.TalkReminderDue,
    ev.TalkMaterialDue,
    ev.TalkMoved,  # a channel post; the date itself changed with TalkDateChanged
    ev.MessageWritten,  # one that goes at once; a held one is MessageHeld
    ev.ProposalMade,
    ev.PairPaused,
    ev.PairResumed,
    ev.PersonWelcomed,  # its Home tab comes with HomeOpened
    ev.BotJoinedChannel,
}


def _event_types() -> set[type[ev.Event]]:
    """The domain's events (other tests define events of their own, for the bus: not these)."""
    found, todo = set(), list(ev.Event.__subclasses__())
    while todo:
        cls = todo.pop()
        if cls.__module__ == ev.__name__:
            found.add(cls)
        todo += cls.__subclasses__()
    return found


def test_every_event_type_is_sorted_as_shown_on_the_home_tab_or_not() -> None:
    assert SHOWN.isdisjoint(NOT_SHOWN)
    assert _event_types() == SHOWN | NOT_SHOWN


@pytest.mark.parametrize("event_type", sorted(_event_types(), key=lambda t: t.__name__), ids=lambda t: t.__name__)
def test_an_event_reaches_the_home_projection_iff_the_home_tab_shows_it(event_type: type[ev.Event]) -> None:
    to_home = [h for h in HANDLERS.get(event_type, ()) if h.__module__ == home.__name__]
    # One handler at most: the tab is queued once per event (and once per member per unit of work).
    assert len(to_home) == (1 if event_type in SHOWN else 0)
