"""The one handler table (the message bus): which projections react to which event."""

from __future__ import annotations

from bot.domain.events import (
    AgendaChanged,
    AgendaPointClosed,
    AgendaTimeChanged,
    BotJoinedChannel,
    CalendarChanged,
    CaseDecided,
    CaseSubmitted,
    HeldMessagesMoved,
    HomeOpened,
    HomeStale,
    KsMeetingsChanged,
    LanguageChosen,
    MediaPointAdded,
    MessageCancelled,
    MessageEscalated,
    MessageHeld,
    MessageWritten,
    PairDissolved,
    PairPaused,
    PairRestored,
    PairResumed,
    PersonWelcomed,
    ProposalClosed,
    ProposalMade,
    QuestionAnswered,
    QuestionAsked,
    SpelreglerSaved,
    StopptidChanged,
    TalkDateChanged,
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

# The Home tab (bot/projections/home.py) follows exactly the events whose consequences it shows
# (bot/presenters/home.py): uppdrag, waiting cases, the member's held messages, their settings, the
# pairs they are in. It is queued at most once per member per unit of work; an event it does not
# show (an agenda point, the spelregler, a message that goes at once) publishes no tab.
HANDLERS: HandlerTable = {
    HomeOpened: [home.refresh_person],
    HomeStale: [home.refresh_person],
    LanguageChosen: [home.refresh_person],
    # The case's own DM first, then the posted agenda, as before the split; then the Home tabs.
    CaseDecided: [arende_notices.decided, posted_agenda.show_decision, home.refresh_pair],
    QuestionAnswered: [uppdrag_notices.answered, posted_agenda.show_answer, home.refresh_pair],
    CaseSubmitted: [arende_notices.submitted, home.refresh_pair],
    UppdragGiven: [uppdrag_notices.given, home.refresh_pair],
    UppdragClosed: [uppdrag_notices.closed, home.refresh_pair],
    QuestionAsked: [uppdrag_notices.asked, home.refresh_pair],
    AgendaChanged: [posted_agenda.show_additions],
    AgendaPointClosed: [posted_agenda.show_closed],
    MediaPointAdded: [agenda_notices.media_added],
    # The member's own settings show their calendar; their held messages follow it (HeldMessagesMoved).
    CalendarChanged: [reschedule.move_held, home.refresh_calendar],
    HeldMessagesMoved: [home.refresh_moved],
    # The pair's settings and KS calendar: the settings section, the waiting cases' KS dates and stopptid.
    AgendaTimeChanged: [home.refresh_pair],
    TalkDateChanged: [home.refresh_pair],
    KsMeetingsChanged: [home.refresh_pair],
    StopptidChanged: [home.refresh_pair],
    # The utvecklingssamtal and the spelregler: the messages their services decided are due.
    TalkReminderDue: [samtal.remind],
    TalkMaterialDue: [samtal.post_material],
    TalkMoved: [samtal.announce_move],
    TalkRecorded: [samtal.announce_recorded, home.refresh_pair],
    # The channel hears of a new version, and the channel canvas gets it.
    SpelreglerSaved: [samtal.announce_spelregler, samtal.write_canvas],
    # The DM of a /meddela message, before the sender's Home tab lists it (MessageHeld).
    MessageWritten: [respekt.queue_message],
    MessageHeld: [home.refresh_sender],
    MessageCancelled: [home.refresh_sender],
    MessageEscalated: [respekt.label_akut, home.refresh_sender],
    ProposalMade: [consent.ask_invitee],
    ProposalClosed: [consent.tell_outcome, home.refresh_accepted],
    PairPaused: [consent.tell_paused],
    PairResumed: [consent.tell_resumed],
    # The pair's part leaves both tabs, with the held messages the dissolution cancelled.
    PairDissolved: [consent.tell_dissolved, home.refresh_pair],
    # Reinstalled: the tabs show what the uninstall cancelled (held messages), in a workspace that can be reached again.
    PairRestored: [home.refresh_pair],
    # Onboarding: the welcome DM and the first Home tab's welcome; Samspel's word in a channel it joined.
    PersonWelcomed: [onboarding.welcome],
    BotJoinedChannel: [onboarding.introduce],
}
