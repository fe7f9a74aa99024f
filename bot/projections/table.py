"""The one handler table (the message bus): which projections react to which event."""

from __future__ import annotations

from bot.domain.events import (
    AgendaChanged,
    AgendaPointClosed,
    CalendarChanged,
    CaseDecided,
    HomeOpened,
    HomeStale,
    PairChanged,
    QuestionAnswered,
    SpelreglerSaved,
    TalkMaterialDue,
    TalkMoved,
    TalkRecorded,
    TalkReminderDue,
)
from bot.projections import home, posted_agenda, reschedule, samtal
from bot.services.unit_of_work import HandlerTable

HANDLERS: HandlerTable = {
    PairChanged: [home.refresh_pair],
    HomeOpened: [home.home_opened],
    HomeStale: [home.home_opened],
    CaseDecided: [posted_agenda.show_decision],
    QuestionAnswered: [posted_agenda.show_answer],
    AgendaChanged: [posted_agenda.show_additions],
    AgendaPointClosed: [posted_agenda.show_closed],
    # Moving held messages changes what the Home tab lists.
    CalendarChanged: [reschedule.move_held],
    # The utvecklingssamtal and the spelregler: the messages their services decided are due.
    TalkReminderDue: [samtal.remind],
    TalkMaterialDue: [samtal.post_material],
    TalkMoved: [samtal.announce_move],
    TalkRecorded: [samtal.announce_recorded],
    SpelreglerSaved: [samtal.announce_spelregler],
}
