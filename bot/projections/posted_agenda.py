"""Keeps the posted Monday agenda true: a decided case or an answered question shows on it,
and until the meeting starts, what is added (points, uppdrag, cases, questions) appears on it.

The agenda's block ids are written by `bot.agenda` (rendering) and read here and by
`bot.presenters.arende.replace_case`; see `bot.agenda.update_posted` for how the message is found.
"""

from __future__ import annotations

from bot.agenda import mark_done, refresh_posted, role_label, update_posted
from bot.domain.events import AgendaChanged, CaseDecided, Event, QuestionAnswered
from bot.i18n import _, translator
from bot.models import Arende, Pair, UppdragFraga
from bot.presenters.arende import replace_case
from bot.services.unit_of_work import UnitOfWork
from bot.text import escape, shorten


def show_decision(event: Event, uow: UnitOfWork) -> None:
    """A case was decided (on the agenda or in the KSO's DM): the posted agenda shows the decision."""
    assert isinstance(event, CaseDecided)
    session = uow.session
    case, pair = session.get(Arende, event.arende_id), session.get(Pair, event.pair_id)
    if case is None or pair is None:
        return
    update_posted(session, pair.id, event.at, lambda blocks: replace_case(blocks, case, pair.timezone, translator()),
                  clicked=event.clicked)


def show_answer(event: Event, uow: UnitOfWork) -> None:
    """An `oklart` question was answered: its Svara button on the posted agenda goes."""
    assert isinstance(event, QuestionAnswered)
    session = uow.session
    fraga, pair = session.get(UppdragFraga, event.fraga_id), session.get(Pair, event.pair_id)
    if fraga is None or pair is None:
        return
    note = _("besvarad av {role}: {text}").format(role=role_label(pair, fraga.answered_by),
                                                  text=escape(shorten(fraga.svar or "", 500)))
    update_posted(session, pair.id, event.at, lambda blocks: mark_done(blocks, f"fraga_{fraga.id}", note))


def show_additions(event: Event, uow: UnitOfWork) -> None:
    """Something the agenda lists was added: before the meeting starts, the posted agenda is rendered again."""
    assert isinstance(event, AgendaChanged)
    pair = uow.session.get(Pair, event.pair_id)
    if pair is not None and pair.status == "active":
        refresh_posted(uow.session, pair, event.at)
