"""The utvecklingssamtal's and the spelregler's messages: what bot/services/samtal.py and spelregler decided is due.

The services claim the job-run keys and emit the events; here they become outbox rows, in the
same transaction, worded by bot/presenters/samtal.py. Every one waits for working hours (the
respekt rule): a reminder DM in its recipient's own working time, a channel post in the pair's.
A DM is in its recipient's language, a channel post in the pair's (`bot.services.people`). The spelregler canvas is in the pair's language too.
"""

from __future__ import annotations

from bot.domain.events import Event, SpelreglerSaved, TalkMaterialDue, TalkMoved, TalkRecorded, TalkReminderDue
from bot.models import Pair
from bot.outbox import enqueue
from bot.presenters import samtal as words
from bot.presenters import spelregler as spelregler_words
from bot.projections.notices import pair_post
from bot.services import spelregler
from bot.services.pairs import calendar_for, get_pair
from bot.services.people import pair_translator, translator_for
from bot.services.rapport import year_figures
from bot.services.respekt_time import delivery_time
from bot.services.unit_of_work import UnitOfWork


def _talkers(pair: Pair) -> words.Talkers:
    return words.Talkers(kso=pair.kso_user, kd=pair.kd_user, channel=pair.channel_id)


def remind(event: Event, uow: UnitOfWork) -> None:
    """A reminder DM to each member, phrased for the day it will arrive."""
    assert isinstance(event, TalkReminderDue)
    session = uow.session
    pair = get_pair(session, event.pair_id)
    for user in (pair.kso_user, pair.kd_user):
        # Each reminder arrives in its recipient's own working time.
        deliver_after = delivery_time(session, pair, event.at, user)
        on = calendar_for(session, pair).local(deliver_after).date()
        enqueue(
            session,
            kind="dm",
            now=event.at,
            user=user,
            pair_id=pair.id,
            deliver_after=deliver_after,
            respekt=True,
            text=words.reminder_text(_talkers(pair), user, event.talk, on, translator_for(session, user)),
            dedupe_key=f"{event.key}:{user}",
        )


def post_material(event: Event, uow: UnitOfWork) -> None:
    """The year in figures and the current spelregler, two weeks before the talk."""
    assert isinstance(event, TalkMaterialDue)
    session = uow.session
    pair = get_pair(session, event.pair_id)
    t = pair_translator(session, pair)
    figures = year_figures(session, pair, event.at)
    version = spelregler.current(session, pair, event.at)
    # Where the channel canvas holds this version, the material links to it instead of repeating it.
    canvas = spelregler.canvas_for(session, pair, version)
    text, blocks = words.material_message(_talkers(pair), event.talk, figures, version, pair.timezone, t, canvas)
    pair_post(session, pair, at=event.at, text=text, blocks=blocks, dedupe_key=event.key)


def announce_move(event: Event, uow: UnitOfWork) -> None:
    assert isinstance(event, TalkMoved)
    pair = get_pair(uow.session, event.pair_id)
    text = words.moved_text(event.talk, event.old, pair_translator(uow.session, pair))
    pair_post(uow.session, pair, at=event.at, text=text, dedupe_key=event.key)


def announce_recorded(event: Event, uow: UnitOfWork) -> None:
    assert isinstance(event, TalkRecorded)
    pair = get_pair(uow.session, event.pair_id)
    pair_post(uow.session, pair, at=event.at, text=words.recorded_post(event.user, event.next_talk, pair_translator(uow.session, pair)))


def announce_spelregler(event: Event, uow: UnitOfWork) -> None:
    assert isinstance(event, SpelreglerSaved)
    pair = get_pair(uow.session, event.pair_id)
    text = spelregler_words.saved_post(event.user, event.version, pair_translator(uow.session, pair))
    pair_post(uow.session, pair, at=event.at, text=text)


def write_canvas(event: Event, uow: UnitOfWork) -> None:
    """The saved version on the pair channel's canvas (created or replaced), in the pair's language.

    Not held for working time: a canvas notifies nobody. On a plan without channel canvases the
    row ends quietly (ErrorKind.UNAVAILABLE) and `/spelregler` keeps showing the blocks.
    """
    assert isinstance(event, SpelreglerSaved)
    session = uow.session
    pair = get_pair(session, event.pair_id)
    version = spelregler.get_version(session, pair, event.version, event.at)
    t = pair_translator(session, pair)
    enqueue(
        session,
        kind="canvas",
        now=event.at,
        channel=pair.channel_id,
        pair_id=pair.id,
        text=spelregler_words.canvas_markdown(version, pair.timezone, t),
        dedupe_key=spelregler.canvas_key(pair.id, version.number),
    )
