"""The one handler table (the message bus): which projections react to which event."""

from __future__ import annotations

from bot.domain.events import (
    AgendaChanged,
    AgendaPointClosed,
    BotJoinedChannel,
    CalendarChanged,
    CaseDecided,
    CaseSubmitted,
    HomeOpened,
    HomeStale,
    MediaPointAdded,
    MessageEscalated,
    MessageWritten,
    PairChanged,
    PairDissolved,
    PairPaused,
    PairResumed,
    PersonWelcomed,
    ProposalClosed,
    ProposalMade,
    QuestionAnswered,
    QuestionAsked,
    SpelreglerSaved,
    TalkMaterialDue,
    TalkMoved,
    TalkRecorded,
    TalkReminderDue,
    UppdragClosed,
    UppdragGiven,
)
from bot.projections import (
    agenda_notices,
    arende_notices,
    consent,
    home,
    onboarding,
    posted_agenda,
    reschedule,
    respekt,
    samtal,
    uppdrag_notices,
)
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
    AgendaPointClosed: [posted_agenda.show_closed],
    MediaPointAdded: [agenda_notices.media_added],
    # Moving held messages changes what the Home tab lists.
    CalendarChanged: [reschedule.move_held],
    # The utvecklingssamtal and the spelregler: the messages their services decided are due.
    TalkReminderDue: [samtal.remind],
    TalkMaterialDue: [samtal.post_material],
    TalkMoved: [samtal.announce_move],
    TalkRecorded: [samtal.announce_recorded],
    # The channel hears of a new version, and the channel canvas gets it.
    SpelreglerSaved: [samtal.announce_spelregler, samtal.write_canvas],
    # The DM of a /meddela message, before the Home tab lists it.
    MessageWritten: [respekt.queue_message],
    MessageEscalated: [respekt.label_akut],
    ProposalMade: [consent.ask_invitee],
    ProposalClosed: [consent.tell_outcome],
    PairPaused: [consent.tell_paused],
    PairResumed: [consent.tell_resumed],
    PairDissolved: [consent.tell_dissolved],
    # Onboarding: the welcome DM and the first Home tab's welcome; Samspel's word in a channel it joined.
    PersonWelcomed: [onboarding.welcome],
    BotJoinedChannel: [onboarding.introduce],
}
