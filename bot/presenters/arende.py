"""Ärenden in words: the case's blocks with the decision buttons, the list, the answers, the notices and the Åter modal."""

from __future__ import annotations

from typing import Any

from bot.domain import arende as rules
from bot.domain.events import StopptidMissed
from bot.i18n import Translator
from bot.models import Arende
from bot.presenters.blocks import actions, button, context, input_block, modal, section, text_input
from bot.presenters.ks_calendar import calendar_note, label
from bot.presenters.uppdrag import arrival_note, sentence, short
from bot.services.arende import STATUS_LABELS, CaseList, Decided, Submitted
from bot.text import escape, fill, fmt_when, safe_url
from handlers import ids

PER_GROUP = 15


def status_label(status: str, t: Translator) -> str:
    """A case's status as a heading ("Till KS")."""
    return t(STATUS_LABELS[status]) if status in STATUS_LABELS else status


def decision_words(decision: str, t: Translator) -> str:
    """A decision mid-sentence ("till KS"): KS stays in capitals."""
    words = {rules.TILL_KS: t("till KS"), rules.ATER: t("åter för beredning")}
    return words.get(decision, decision)


def ks_label(a: Arende, t: Translator) -> str:
    """'KS 15 dec · stopptid 1 dec', or '' for a case without a KS meeting."""
    return label(a.ks_meeting, a.stopptid, t) if a.ks_meeting else ""


def link_text(link: str) -> str:
    """The case's link with its address visible, or its diarienummer; escaped like all user text."""
    url = safe_url(link)
    return f"<{escape(url)}>" if url else escape(link)


def _details(a: Arende, tz: str, t: Translator, note: str, previous_comment: str | None) -> str:
    details = [t("från <@{user}> {when}").format(user=a.submitted_by, when=fmt_when(a.submitted_at, tz, t))]
    if a.link:
        details.insert(0, link_text(a.link))
    if a.ks_meeting:
        details.append(ks_label(a, t))
    text = t("*Ärende #{nr}: {title}*").format(nr=a.nr, title=escape(short(a.titel, 2500))) + "\n" + " · ".join(details)
    if previous_comment:
        text += "\n" + t("Återsänt för beredning: {comment}").format(comment=escape(short(previous_comment, 500)))
    if note:
        text += "\n" + t("KD:s anteckning: {note}").format(note=escape(short(note, 500)))
    return text


def _buttons(a: Arende, t: Translator) -> dict[str, Any]:
    return actions(
        button(t("Till KS"), ids.ARENDE_TILL_KS, str(a.id), "primary"),
        button(t("Åter för beredning"), ids.ARENDE_ATER, str(a.id)),
        block_id=ids.arende_block(a.id),
    )


def arende_blocks(
    a: Arende, tz: str, t: Translator, *, buttons: bool = True, note: str = "", previous_comment: str | None = None
) -> list[dict[str, Any]]:
    """A case as Block Kit: its details, then the decision buttons while it waits, else the decision.

    The Home tab uses this too, and the posted agenda to show a decision
    (`bot.presenters.agenda.with_decision`, which finds the case by the same block ids).
    """
    text = _details(a, tz, t, note, previous_comment)
    blocks: list[dict[str, Any]] = [
        section(short(text, 3000), block_id=ids.arende_info_block(a.id)),
    ]
    if a.status == rules.VANTAR:
        if buttons:
            blocks.append(_buttons(a, t))
        return blocks
    blocks.append(context(short(decision_text(a, tz, t), 2000), block_id=ids.arende_block(a.id)))
    return blocks


def decision_text(a: Arende, tz: str, t: Translator, *, comment_limit: int = 1500) -> str:
    if a.status == rules.VANTAR or a.decided_at is None:
        return t("Väntar på KSO:s beslut.")
    icon = ":white_check_mark:" if a.status == rules.TILL_KS else ":leftwards_arrow_with_hook:"
    text = f"{icon} " + t("*{label}*, beslutat av <@{user}> {when}").format(
        label=status_label(a.status, t), user=a.decided_by, when=fmt_when(a.decided_at, tz, t)
    )
    if a.comment:
        text += t("\nKommentar: {comment}").format(comment=escape(short(a.comment, comment_limit)))
    return text


# --- answers to the actor, and the notices -----------------------------------


def _planned(a: Arende, t: Translator) -> str:
    return " " + fill(t("Planerat till {label}."), label=ks_label(a, t)) if a.ks_meeting else ""


def submitted(result: Submitted, t: Translator) -> str:
    a = result.arende
    if result.again:
        head = t("Ärende #{nr} är överlämnat igen till <@{kso}> (gång {rounds}).").format(nr=a.nr, kso=result.kso, rounds=a.rounds)
    else:
        head = t("Ärende #{nr} är överlämnat till <@{kso}>: {title}").format(
            nr=a.nr, kso=result.kso, title=sentence(escape(short(a.titel)))
        )
    return head + _planned(a, t) + calendar_note(result.calendar_note, t) + arrival_note(result.notice, t)


def submitted_notice(a: Arende, t: Translator, *, again: bool = False) -> str:
    """The text of the KSO's DM with the case (its blocks are `arende_blocks`)."""
    if again:
        return t("Ärende #{nr} lämnas över igen efter beredning: {title}").format(nr=a.nr, title=escape(short(a.titel)))
    return t("Ärende #{nr} för beslut: {title}").format(nr=a.nr, title=escape(short(a.titel)))


def late_note(late: StopptidMissed | None, t: Translator) -> str:
    """A Till KS after the case's stopptid: which meeting it missed, and which it reaches."""
    if late is None:
        return ""
    missed = label(late.meeting, late.stopptid, t)
    if late.reached_meeting is None:
        return " " + t(
            "Stopptiden för {missed} har passerat, och KS-kalendern har inget senare möte: lägg till det med `/samspel ks`."
        ).format(missed=missed)
    return " " + fill(
        t("Stopptiden för {missed} har passerat, så ärendet når {reached}."),
        missed=missed,
        reached=label(late.reached_meeting, late.reached_stopptid, t),
    )


def already_decided(a: Arende, tz: str, t: Translator) -> str:
    when = fmt_when(a.decided_at, tz, t) if a.decided_at else ""
    return t("Ärende #{nr} är redan avgjort ({label}, av <@{user}> {when}). Inget ändrades.").format(
        nr=a.nr, label=status_label(a.status, t), user=a.decided_by, when=when
    )


def decided(result: Decided, t: Translator) -> str:
    a = result.arende
    if result.notice is None:
        return already_decided(a, result.timezone, t)
    return (
        t("Ärende #{nr} är avgjort: {label}. <@{user}> får veta det.").format(
            nr=a.nr, label=decision_words(a.status, t), user=a.submitted_by
        )
        + late_note(result.late, t)
        + arrival_note(result.notice, t)
    )


def decided_notice(a: Arende, late: StopptidMissed | None, t: Translator) -> str:
    """The KD's DM about the KSO's decision."""
    note = t("\nKommentar: {comment}").format(comment=escape(a.comment)) if a.comment else ""
    return t("<@{actor}> har avgjort ärende #{nr} ({title}): *{label}*.{note}").format(
        actor=a.decided_by, nr=a.nr, title=escape(short(a.titel)), label=decision_words(a.status, t), note=note
    ) + late_note(late, t)


def decided_copy(a: Arende, t: Translator) -> str:
    """The text of the KSO's DM with the case, once decided."""
    return t("Ärende #{nr}: {label}").format(nr=a.nr, label=status_label(a.status, t))


def _list_line(a: Arende, tz: str, t: Translator) -> str:
    parts = [f"• *#{a.nr}* {escape(short(a.titel))}"]
    if a.link:
        parts.append(link_text(a.link))
    if a.ks_meeting:
        parts.append(ks_label(a, t))
    if a.status == rules.VANTAR:
        parts.append(t("inlämnat {when}").format(when=fmt_when(a.submitted_at, tz, t)))
    elif a.decided_at is not None:
        parts.append(t("beslutat {when}").format(when=fmt_when(a.decided_at, tz, t)))
        if a.comment:
            parts.append(t("kommentar: {comment}").format(comment=escape(short(a.comment, 200))))
    return " · ".join(parts)


def list_text(result: CaseList, t: Translator, *, per_group: int = PER_GROUP) -> str:
    """`/arende lista`: waiting, sent to KS, and returned for beredning."""
    if result.empty:
        return t("Inga ärenden ännu. KD lämnar över ett med `/arende <titel> [dnr] [ks ÅÅÅÅ-MM-DD]`.")
    lines: list[str] = []
    for status, group in result.groups.items():
        lines.append(f"*{status_label(status, t)} ({len(group)})*")
        if not group:
            lines.append(t("_inga_"))
        lines += [_list_line(a, result.timezone, t) for a in group[:per_group]]
        if len(group) > per_group:
            lines.append(t("_… och {count} äldre (hela listan finns i exporten)._").format(count=len(group) - per_group))
    return "\n".join(lines)


def ater_modal(a: Arende, t: Translator, *, channel: str | None, message_ts: str | None) -> dict[str, Any]:
    """The comment modal for Åter för beredning."""
    return modal(
        t("Åter för beredning"),
        [
            section(t("*Ärende #{nr}:* {title}").format(nr=a.nr, title=escape(short(a.titel, 2500)))),
            input_block(
                ids.ARENDE_COMMENT_BLOCK,
                t("Vad behöver beredas mer?"),
                text_input(ids.ARENDE_COMMENT_INPUT, max_length=3000, multiline=True),
            ),
        ],
        close=t("Avbryt"),
        submit=t("Skicka tillbaka"),
        callback_id=ids.ARENDE_ATER_MODAL,
        metadata=ids.ater_metadata(a.id, channel, message_ts),
    )


def usage(t: Translator) -> str:
    """`/arende` with nothing after it."""
    return t("Skriv ärendets titel efter kommandot: `/arende Detaljplan Norra hamnen KS 2026/123 ks 2026-12-08`. Se `/arende hjälp`.")


def not_a_case(t: Translator) -> str:
    return t("Knappen hör inte till något ärende.")


def form_not_a_case(t: Translator) -> str:
    return t("Formuläret hör inte till något ärende.")


def comment_needed(t: Translator) -> str:
    return t("Skriv vad som behöver beredas mer.")
