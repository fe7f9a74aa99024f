"""Onboarding's buttons and forms: Koppla paret, the Nytt uppdrag shortcut, and the Home tab's settings.

Each form ends in the use case of the command it stands for (bot/services/onboarding.py), and a
refusal comes back on the field it is about (`response_action="errors"`), in the person's language.
The welcome and the channel intro come from the app_home_opened listener (handlers/home.py) and the
member_joined_channel listener (handlers/samspel.py): Bolt runs only the first listener of an event.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.errors import UserError
from bot.i18n import Translator
from bot.presenters import consent as consent_words
from bot.presenters import deadline as deadline_words
from bot.presenters import onboarding as words
from bot.presenters import pairs as pair_words
from bot.presenters import uppdrag as uppdrag_words
from bot.presenters.blocks import info_modal
from bot.services import onboarding
from bot.services import uppdrag as uppdrag_service
from bot.services.onboarding import FieldRefused
from bot.services.pairs import REFUSALS
from handlers import ids
from handlers.common import deps_of, translator_of
from handlers.middleware import with_uow
from handlers.samspel import channel_lookup
from handlers.unit import RequestUnit

Values = dict[str, dict[str, dict[str, Any]]]


def _picked(values: Values, block: str, key: str) -> Any:
    """What the person chose in one input of a submitted form (each input's action_id is its block_id)."""
    return (values.get(block) or {}).get(block, {}).get(key)


def _refused(ack: Ack, block: str, err: UserError, t: Translator) -> None:
    ack(response_action="errors", errors={block: err.render(t)})


# --- Koppla paret -----------------------------------------------------------------------------

KOPPLA_BLOCKS = {"kso": ids.KOPPLA_KSO, "kd": ids.KOPPLA_KD, "channel": ids.KOPPLA_CHANNEL}


def koppla_clicked(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    ack()
    channel = body["actions"][0].get("value") or None
    # views.open needs the trigger_id within 3 s: not a message, so not via the outbox.
    client.views_open(trigger_id=body["trigger_id"], view=words.koppla_modal(channel, translator_of(context)))


def koppla_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, uow: RequestUnit) -> None:
    deps, t = deps_of(context), translator_of(context)
    values: Values = view["state"]["values"]
    fixed = ids.koppla_channel_of(view.get("private_metadata"))
    channel = fixed or _picked(values, ids.KOPPLA_CHANNEL, "selected_conversation") or ""
    team = (body.get("team") or {}).get("id") or context.team_id or ""
    try:
        proposal = onboarding.propose_from_form(
            uow.session,
            team_id=team,
            channel_id=channel,
            actor=body["user"]["id"],
            kso=_picked(values, ids.KOPPLA_KSO, "selected_user") or "",
            kd=_picked(values, ids.KOPPLA_KD, "selected_user") or "",
            now=deps.clock.now(),
            timezone=deps.timezone,
            bot_user=deps.me(),
            lookup=channel_lookup(deps),
        )
        answer = consent_words.proposed_answer(proposal, deps.timezone, t)
    except FieldRefused as err:
        uow.rollback()
        block = KOPPLA_BLOCKS[err.field]
        # The channel came with the button: its refusal goes on the first field the form has.
        _refused(ack, ids.KOPPLA_KSO if block == ids.KOPPLA_CHANNEL and fixed else block, err, t)
        return
    except UserError as err:
        uow.rollback()
        _refused(ack, ids.KOPPLA_KSO, err, t)
        return
    ack(response_action="update", view=info_modal(answer, t))


# --- Nytt uppdrag ---------------------------------------------------------------------------


def _uppdrag_view(form: onboarding.UppdragForm, t: Translator) -> dict[str, Any]:
    if form.pairs:
        return words.nytt_uppdrag_modal(form.pairs, t)
    if form.in_a_pair:
        return info_modal(UserError(uppdrag_service.ONLY_KSO_GIVES).render(t), t)
    return info_modal(words.no_pair_text(t), t)


def nytt_uppdrag_opened(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, uow: RequestUnit) -> None:
    ack()
    view = _uppdrag_view(onboarding.uppdrag_form(uow.session, body["user"]["id"]), translator_of(context))
    uow.commit()
    client.views_open(trigger_id=body["trigger_id"], view=view)


def _deadline(values: Values) -> date | None:
    """The picked date; Slack sends YYYY-MM-DD (ValueError for anything else)."""
    picked = _picked(values, ids.NYTT_UPPDRAG_DEADLINE, "selected_date")
    return date.fromisoformat(picked) if picked else None


def nytt_uppdrag_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, uow: RequestUnit) -> None:
    deps, t = deps_of(context), translator_of(context)
    values: Values = view["state"]["values"]
    fixed = ids.nytt_uppdrag_channel_of(view.get("private_metadata"))
    channel = fixed or _picked(values, ids.NYTT_UPPDRAG_PAIR, "selected_conversation")
    try:
        gave = onboarding.give_from_form(
            uow.session,
            user=body["user"]["id"],
            channel_id=channel,
            text=_picked(values, ids.NYTT_UPPDRAG_TEXT, "value") or "",
            deadline=_deadline(values),
            now=deps.clock.now(),
        )
        answer = uppdrag_words.given(gave, t)
    except uppdrag_service.DeadlineRefused as err:
        uow.rollback()
        ack(response_action="errors", errors={ids.NYTT_UPPDRAG_DEADLINE: deadline_words.explain(err.error, t)})
        return
    except FieldRefused as err:
        uow.rollback()
        _refused(ack, ids.NYTT_UPPDRAG_PAIR if err.field == "pair" and not fixed else ids.NYTT_UPPDRAG_TEXT, err, t)
        return
    except ValueError:
        uow.rollback()
        ack(response_action="errors", errors={ids.NYTT_UPPDRAG_DEADLINE: words.unreadable_date(t)})
        return
    ack(response_action="update", view=info_modal(answer, t))


# --- the Home tab's settings ---------------------------------------------------------------------


def setting_clicked(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, uow: RequestUnit) -> None:
    ack()
    deps, t = deps_of(context), translator_of(context)
    try:
        setting, pair_id = ids.read_setting_value(body["actions"][0].get("value"))
        settings = onboarding.member_settings(uow.session, user=body["user"]["id"], pair_id=pair_id, now=deps.clock.now())
        view = words.setting_modal(setting, settings, t)
    except UserError as err:
        view = info_modal(err.render(t), t)
    except ValueError:
        view = info_modal(words.broken_button(t), t)
    uow.commit()
    client.views_open(trigger_id=body["trigger_id"], view=view)


def _hours_text(values: Values) -> str:
    days = ",".join(o["value"] for o in _picked(values, ids.SETTING_DAYS, "selected_options") or [])
    start, end = _picked(values, ids.SETTING_START, "selected_time"), _picked(values, ids.SETTING_END, "selected_time")
    return f"{start}-{end} {days}".strip()


def _days_off_text(values: Values) -> str:
    first, last = _picked(values, ids.SETTING_FIRST, "selected_date"), _picked(values, ids.SETTING_LAST, "selected_date")
    note = (_picked(values, ids.SETTING_NOTE, "value") or "").strip()
    return f"{first}..{last} {note}".strip() if last else f"{first} {note}".strip()


def _agenda_text(values: Values) -> str:
    when = (_picked(values, ids.SETTING_WHEN, "selected_option") or {}).get("value") or ""
    return f"{when} {_picked(values, ids.SETTING_TIME, 'selected_time')}".strip()


def _talk_text(values: Values) -> str:
    return str(_picked(values, ids.SETTING_DATE, "selected_date") or "")


# The command text each form stands for (`/samspel <setting> <text>`), its answer, and the field a refusal is on.
SETTING_TEXT: dict[str, Callable[[Values], str]] = {
    "hours": _hours_text,
    "days_off": _days_off_text,
    "agenda_time": _agenda_text,
    "talk_date": _talk_text,
}
SETTING_ANSWER: dict[str, Callable[[Any, Translator], str]] = {
    "hours": pair_words.hours_answer,
    "days_off": pair_words.days_off_answer,
    "agenda_time": pair_words.agenda_time_answer,
    "talk_date": pair_words.talk_date_answer,
}
SETTING_FIELD = {"hours": ids.SETTING_START, "days_off": ids.SETTING_FIRST, "agenda_time": ids.SETTING_TIME, "talk_date": ids.SETTING_DATE}
REFUSAL_FIELD = {
    REFUSALS[code]: block
    for code, block in (
        ("no_days", ids.SETTING_DAYS),
        ("days_unreadable", ids.SETTING_DAYS),
        ("days_out_of_order", ids.SETTING_DAYS),
        ("hours_backwards", ids.SETTING_END),
        ("days_off_backwards", ids.SETTING_LAST),
    )
}


def setting_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, uow: RequestUnit) -> None:
    deps, t = deps_of(context), translator_of(context)
    try:
        setting, pair_id = ids.read_setting_value(view.get("private_metadata"))
    except ValueError:
        ack(response_action="update", view=info_modal(words.broken_button(t), t))
        return
    try:
        result = onboarding.change_setting(
            uow.session,
            user=body["user"]["id"],
            pair_id=pair_id,
            setting=setting,
            text=SETTING_TEXT[setting](view["state"]["values"]),
            now=deps.clock.now(),
        )
        answer = SETTING_ANSWER[setting](result, t)
    except UserError as err:
        uow.rollback()
        _refused(ack, REFUSAL_FIELD.get(err.text, SETTING_FIELD[setting]), err, t)
        return
    ack(response_action="update", view=info_modal(answer, t))


def register(app: App) -> None:
    app.action(ids.KOPPLA_OPEN)(koppla_clicked)
    app.view(ids.KOPPLA_MODAL, middleware=[with_uow])(koppla_submitted)
    app.shortcut(ids.NYTT_UPPDRAG_SHORTCUT, middleware=[with_uow])(nytt_uppdrag_opened)
    app.view(ids.NYTT_UPPDRAG_MODAL, middleware=[with_uow])(nytt_uppdrag_submitted)
    for setting in ids.SETTINGS:
        app.action(ids.SETTING_OPEN.format(setting=setting), middleware=[with_uow])(setting_clicked)
    app.view(ids.SETTING_MODAL, middleware=[with_uow])(setting_submitted)
