"""The respekt rule in words: /meddela answers, held-message lists with Ångra / Akut, the modals, the DM.

Every function takes the translator `t`; none touches the database. The use cases that
produce the data are in `bot.services.respekt`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain.respekt import ARBETSTID, HELG, KVALL, MAX_REASON
from bot.i18n import Translator
from bot.models import Meddelande
from bot.presenters.blocks import actions, button, input_block, modal, option, section, text_input
from bot.services.respekt import Changed, Held, Sent
from bot.text import MAX_TEXT, escape, fmt_when, from_slack, one_line
from handlers import ids

LIST_LIMIT = 20


def akut_label(t: Translator) -> str:
    """The label of an akut message."""
    return t("🚨 AKUT")


def arrival_note(deliver_after: datetime, now: datetime, timezone: str, t: Translator) -> str:
    """' Det levereras måndag 30 nov kl. 08:00, enligt respektregeln.' when held, else ''.

    Every notice to the other person that waits for working time says so to the actor:
    an uppdrag, a closed uppdrag, a question, an answer and a decision on a case.
    """
    if deliver_after <= now:
        return ""
    return t(" Det levereras {when}, enligt respektregeln.").format(when=fmt_when(deliver_after, timezone, t))


def _heading(message: Meddelande, timezone: str, t: Translator) -> list[str]:
    written = fmt_when(message.written_at, timezone, t)
    if not message.akut:
        return [t("✉️ Meddelande från <@{sender}>, skrivet {written}").format(sender=message.sender, written=written)]
    lines = [
        t("{label} · meddelande från <@{sender}>, skrivet {written}").format(label=akut_label(t), sender=message.sender, written=written)
    ]
    reason = (message.akut_reason or "").strip()
    if reason and reason != message.text.strip():
        lines.append(t("*Skäl:* {reason}").format(reason=escape(reason)))
    return lines


def delivery_text(message: Meddelande, timezone: str, t: Translator) -> str:
    """What the recipient sees: who wrote it, when (local time), the label and the escaped text."""
    lines = _heading(message, timezone, t)
    if message.origin_user:
        lines.append(t("_Vidarebefordrat meddelande av <@{author}>_").format(author=message.origin_user))
    lines.extend("> " + line for line in escape(message.text).split("\n"))
    if message.held and not message.akut:
        lines.append(t("_Skrevs utanför din arbetstid och hölls enligt respektregeln._"))
    return "\n".join(lines)


# --- answers to the sender ------------------------------------------------------


def _buttons(meddelande_id: int, t: Translator) -> dict[str, Any]:
    value = str(meddelande_id)
    # No confirm dialog: the button opens `akut_reason_modal`, whose Skicka nu is the confirmation.
    return actions(
        button(t("🚨 Skicka nu som akut"), ids.MEDDELA_AKUT, value, "danger"),
        button(t("Ångra"), ids.MEDDELA_ANGRA, value),
        block_id=ids.MEDDELA_BUTTONS_BLOCK.format(id=value),
    )


def _preview(text: str, limit: int = 200) -> str:
    return escape(one_line(text, limit))


def held_notice(deliver_at: datetime, timezone: str, t: Translator) -> str:
    return t("Hålls enligt respektregeln till {when}").format(when=fmt_when(deliver_at, timezone, t))


def _akut_where(akut_when: str | None, t: Translator) -> str:
    where = {ARBETSTID: t("under arbetstid"), KVALL: t("utanför arbetstid"), HELG: t("en helg eller helgdag")}
    return where.get(akut_when or "", "")


def sent_answer(sent: Sent, timezone: str, t: Translator) -> tuple[str, list[dict[str, Any]] | None]:
    """The sender's private answer right after sending: (text, blocks)."""
    to = f"<@{sent.recipient}>"
    if sent.akut:
        text = t("{label}: skickat direkt till {to}. Det räknas som akut {where} i er statistik inför utvecklingssamtalet.").format(
            label=akut_label(t), to=to, where=_akut_where(sent.akut_when, t)
        )
        return text, None
    if not sent.held:
        return t("Skickat till {to}, som har arbetstid nu.").format(to=to), None
    notice = held_notice(sent.deliver_at, timezone, t)
    text = t("{notice}. {to} har inte arbetstid nu.").format(notice=notice, to=to)
    blocks = [section(f":hourglass_flowing_sand: {text}\n> {_preview(sent.text)}"), _buttons(sent.meddelande_id, t)]
    return notice, blocks


def cancelled_answer(changed: Changed, t: Translator) -> str:
    return t("Ångrat. Meddelandet till <@{to}> skickas inte.").format(to=changed.recipient)


def escalated_answer(changed: Changed, t: Translator) -> str:
    return t("{label}: meddelandet skickas nu till <@{to}>.").format(label=akut_label(t), to=changed.recipient)


def held_blocks(items: list[Held], timezone: str, t: Translator, *, heading: bool = False) -> list[dict[str, Any]]:
    """The user's held messages, each with delivery time and both buttons (for /meddela lista and Home).

    `heading` adds a title line; the Home tab has its own header.
    """
    if not items:
        return [section(t("Du har inga meddelanden som hålls enligt respektregeln just nu."))]
    blocks: list[dict[str, Any]] = []
    if heading:
        blocks.append(section(t("*Dina meddelanden som hålls enligt respektregeln ({count})*").format(count=len(items))))
    for item in items[:LIST_LIMIT]:
        blocks.append(
            section(
                t("Till <@{to}> · levereras *{deliver}* · skrivet {written}\n> {preview}").format(
                    to=item.recipient,
                    deliver=fmt_when(item.deliver_after, timezone, t),
                    written=fmt_when(item.written_at, timezone, t),
                    preview=_preview(item.text),
                )
            )
        )
        blocks.append(_buttons(item.meddelande_id, t))
    if len(items) > LIST_LIMIT:
        blocks.append(section(t("… och {count} till.").format(count=len(items) - LIST_LIMIT)))
    return blocks


def list_answer(items: list[Held], timezone: str, t: Translator) -> tuple[str, list[dict[str, Any]]]:
    """`/meddela lista`: how many are held, and the list with its buttons."""
    if items:
        count = t.ngettext("{n} meddelande", "{n} meddelanden", len(items))
        text = t("Du har {messages} som hålls.").format(messages=count)
    else:
        text = t("Du har inga meddelanden som hålls just nu.")
    return text, held_blocks(items, timezone, t, heading=True)


# --- the modal of the "Skicka med Samspel" shortcut --------------------------------


def _akut_input(t: Translator) -> dict[str, Any]:
    akut = option(t("🚨 Akut: skicka direkt, även kväll och helg"), ids.MEDDELA_AKUT_VALUE)
    return input_block(
        ids.MEDDELA_AKUT_BLOCK, t("Akut"), {"type": "checkboxes", "action_id": ids.MEDDELA_AKUT_BLOCK, "options": [akut]}, optional=True
    )


def compose_modal(recipient: str, text: str, metadata: str, t: Translator) -> dict[str, Any]:
    """The shortcut's modal: the message text (editable), an akut checkbox and a reason."""
    initial = from_slack(text)
    note = ""
    if len(initial) > MAX_TEXT:
        initial = initial[:MAX_TEXT]
        note = "\n" + t("_Meddelandet var längre än {limit} tecken och har kortats._").format(limit=MAX_TEXT)
    return modal(
        t("Skicka med Samspel"),
        [
            section(
                t("Till <@{to}>. Utanför mottagarens arbetstid hålls meddelandet till arbetstidens början.").format(to=recipient) + note
            ),
            input_block(
                ids.MEDDELA_TEXT,
                t("Meddelande"),
                text_input(ids.MEDDELA_TEXT, max_length=3000, multiline=True, initial=initial if initial.strip() else None),
            ),
            _akut_input(t),
            input_block(
                ids.MEDDELA_REASON, t("Skäl (krävs för akut)"), text_input(ids.MEDDELA_REASON, max_length=MAX_REASON), optional=True
            ),
        ],
        close=t("Avbryt"),
        submit=t("Skicka"),
        callback_id=ids.MEDDELA_MODAL,
        metadata=metadata,
    )


def akut_reason_modal(changed: Changed, metadata: str, t: Translator) -> dict[str, Any]:
    """Skicka nu som akut on a held message: a required one-line reason, stored and shown as for `/meddela akut`."""
    return modal(
        t("Skicka som akut?"),
        [
            section(
                t("Meddelandet till <@{to}> levereras direkt, märkt AKUT, och räknas i er akutstatistik.").format(to=changed.recipient)
            ),
            input_block(
                ids.MEDDELA_AKUT_REASON, t("Skäl: varför kan det inte vänta?"), text_input(ids.MEDDELA_AKUT_REASON, max_length=MAX_REASON)
            ),
        ],
        close=t("Vänta"),
        submit=t("Skicka nu"),
        callback_id=ids.MEDDELA_AKUT_MODAL,
        metadata=metadata,
    )
