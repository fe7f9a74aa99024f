"""The one handler table (the message bus): which projections react to which event."""

from __future__ import annotations

from bot.domain.events import (
    AgendaChanged,
    CalendarChanged,
    CaseDecided,
    HomeOpened,
    HomeStale,
    MessageEscalated,
    MessageWritten,
    PairChanged,
    QuestionAnswered,
)
from bot.projections import home, posted_agenda, reschedule, respekt
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
    # The DM of a /meddela message, before the Home tab lists it.
    MessageWritten: [respekt.queue_message],
    MessageEscalated: [respekt.label_akut],
}
