"""The one handler table (the message bus): which projections react to which event."""

from __future__ import annotations

from bot.domain.events import (
    AgendaChanged,
    CalendarChanged,
    CaseDecided,
    HomeOpened,
    HomeStale,
    PairChanged,
    PairDissolved,
    PairPaused,
    PairResumed,
    ProposalClosed,
    ProposalMade,
    QuestionAnswered,
)
from bot.projections import consent, home, posted_agenda, reschedule
from bot.services.unit_of_work import HandlerTable

HANDLERS: HandlerTable = {
    PairChanged: [home.refresh_pair],
    HomeOpened: [home.home_opened],
    HomeStale: [home.home_opened],
    CaseDecided: [posted_agenda.show_decision],
    QuestionAnswered: [posted_agenda.show_answer],
    AgendaChanged: [posted_agenda.show_additions],
    # Moving held messages changes what the Home tab lists.
    CalendarChanged: [reschedule.move_held],
    ProposalMade: [consent.ask_invitee],
    ProposalClosed: [consent.tell_outcome],
    PairPaused: [consent.tell_paused],
    PairResumed: [consent.tell_resumed],
    PairDissolved: [consent.tell_dissolved],
}
