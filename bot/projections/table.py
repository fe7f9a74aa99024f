"""The one handler table (the message bus): which projections react to which event."""

from __future__ import annotations

from bot.domain.events import (
    AgendaChanged,
    CalendarChanged,
    CaseDecided,
    CaseSubmitted,
    HomeOpened,
    HomeStale,
    PairChanged,
    QuestionAnswered,
    QuestionAsked,
    UppdragClosed,
    UppdragGiven,
)
from bot.projections import arende_notices, home, posted_agenda, reschedule, uppdrag_notices
from bot.services.unit_of_work import HandlerTable

HANDLERS: HandlerTable = {
    PairChanged: [home.refresh_pair],
    HomeOpened: [home.home_opened],
    HomeStale: [home.home_opened],
    # The case's own DM first, then the posted agenda, as before the split.
    CaseDecided: [arende_notices.decided, posted_agenda.show_decision],
    QuestionAnswered: [uppdrag_notices.answered, posted_agenda.show_answer],
    CaseSubmitted: [arende_notices.submitted],
    UppdragGiven: [uppdrag_notices.given],
    UppdragClosed: [uppdrag_notices.closed],
    QuestionAsked: [uppdrag_notices.asked],
    AgendaChanged: [posted_agenda.show_additions],
    # Moving held messages changes what the Home tab lists.
    CalendarChanged: [reschedule.move_held],
}
