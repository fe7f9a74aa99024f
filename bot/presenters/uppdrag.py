"""Uppdrag in words: the list, each uppdrag's line, the answers to the actor, the notices, the question and its modal."""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain import uppdrag as rules
from bot.i18n import Translator
from bot.models import Uppdrag, UppdragFraga
from bot.presenters.blocks import actions, button, context, input_block, modal, section, text_input
from bot.services.numbered import Notice
from bot.services.uppdrag import Answered, Asked, Closed, Gave, OpenList
from bot.text import day_off_words, escape, fmt_date, fmt_when, shorten
from handlers import ids

LIST_ITEM_CHARS = 300


def short(text: str, limit: int = LIST_ITEM_CHARS) -> str:
    return shorten(text, limit)


def sentence(text: str) -> str:
    """`text` ending in one full stop ("Utred simhallen." stays as it is)."""
    return text if text.rstrip().endswith((".", "!", "?", "…")) else text + "."


def arrival_note(notice: Notice, t: Translator) -> str:
    """' Det levereras måndag 30 nov kl. 08:00, enligt respektregeln.' when held, else ''.

    Every notice to the other person that waits for working time says so to the actor:
    an uppdrag, a closed uppdrag, a question, an answer and a decision on a case.
    """
    if not notice.held:
        return ""
    return t(" Det levereras {when}, enligt respektregeln.").format(when=fmt_when(notice.deliver_after, notice.timezone, t))


def _due(u: Uppdrag, today: date, t: Translator) -> str:
    if u.deadline is None:
        return t("inget slutdatum")
    if rules.is_overdue(u.status, u.deadline, today):
        # Worded before the call: Babel's extractor reads a `t` among ngettext's arguments as a new t() call.
        due = fmt_date(u.deadline, t)
        return t.ngettext(
            "*senast {date}: försenat {n} dag*", "*senast {date}: försenat {n} dagar*", rules.days_late(u.deadline, today), date=due
        )
    return t("senast {date}").format(date=fmt_date(u.deadline, t))


def describe(u: Uppdrag, today: date, tz: str, question: UppdragFraga | None, t: Translator, *, limit: int = LIST_ITEM_CHARS) -> str:
    """One uppdrag as a mrkdwn line (user text escaped)."""
    given = fmt_date(u.given_at.astimezone(ZoneInfo(tz)).date(), t)
    mark = ":warning:" if rules.is_overdue(u.status, u.deadline, today) else "•"
    line = (
        f"{mark} *#{u.nr}* {escape(short(u.text, limit))}  _(" + t("givet {given}, {due}").format(given=given, due=_due(u, today, t)) + ")_"
    )
    if question is not None:
        line += "\n      :grey_question: " + t("Oklart: {question}").format(question=escape(short(question.fraga, limit)))
    return line


def list_text(result: OpenList, t: Translator) -> str:
    """`/uppdrag lista`: the open uppdrag, overdue first and marked."""
    if not result.rows:
        return t("Inga öppna uppdrag just nu. KSO ger ett nytt med `/uppdrag <text> [senast fredag]`.")
    head = t("*Öppna uppdrag ({count})*").format(count=len(result.rows))
    if result.overdue:
        head += t.ngettext(": {n} försenat", ": {n} försenade", result.overdue)
    lines = (describe(u, result.today, result.timezone, result.questions.get(u.id), t) for u in result.rows)
    return "\n".join([head, *lines])


def _due_line(u: Uppdrag, t: Translator) -> str:
    if u.deadline is None:
        return ""
    return t("\nSenast {date} ({iso}).").format(date=fmt_date(u.deadline, t), iso=u.deadline.isoformat())


def given(result: Gave, t: Translator) -> str:
    """The KSO's answer to `/uppdrag <text>`."""
    u = result.uppdrag
    answer = t("Uppdrag #{nr} är registrerat: {text}{due}\n<@{kd}> får beskedet.").format(
        nr=u.nr, text=escape(u.text), due=_due_line(u, t), kd=result.kd
    ) + arrival_note(result.notice, t)
    if result.day_off and u.deadline is not None:
        answer += t(
            "\n:warning: {date} är en ledig dag ({reason}). Vill du ändra det, markera #{nr} klart och ge uppdraget på nytt."
        ).format(date=fmt_date(u.deadline, t), reason=day_off_words(result.day_off, u.deadline, t), nr=u.nr)
    return answer


def given_notice(u: Uppdrag, t: Translator) -> str:
    """The KD's DM about a new uppdrag."""
    return t(
        "Nytt uppdrag #{nr} från <@{user}>: {text}{due}\n"
        "Markera klart med `/uppdrag klart {nr}`, eller ta upp en osäkerhet med `/uppdrag oklart {nr} <fråga>`."
    ).format(nr=u.nr, user=u.given_by, text=escape(u.text), due=_due_line(u, t))


def closed(result: Closed, t: Translator) -> str:
    u = result.uppdrag
    if result.notice is None:
        return t("Uppdrag #{nr} är redan klarmarkerat (av <@{user}>).").format(nr=u.nr, user=u.done_by)
    return t("Uppdrag #{nr} är klart: {text} <@{other}> får veta det.").format(
        nr=u.nr, text=sentence(escape(short(u.text))), other=result.other
    ) + arrival_note(result.notice, t)


def closed_notice(u: Uppdrag, t: Translator) -> str:
    return t("<@{user}> markerade uppdrag #{nr} som klart: {text}").format(user=u.done_by, nr=u.nr, text=escape(short(u.text)))


def asked(result: Asked, t: Translator) -> str:
    return t("Frågan om uppdrag #{nr} är skickad till <@{kso}> och står på nästa agenda tills den är besvarad.").format(
        nr=result.uppdrag.nr, kso=result.kso
    ) + arrival_note(result.notice, t)


def question_notice(u: Uppdrag, q: UppdragFraga, t: Translator) -> str:
    return t("<@{user}> har en fråga om uppdrag #{nr}").format(user=q.asked_by, nr=u.nr)


def question_blocks(u: Uppdrag, q: UppdragFraga, t: Translator) -> list[dict[str, Any]]:
    """The KSO's copy of an oklart question; the answer button goes once answered."""
    head = section(
        short(
            t("*Oklart i uppdrag #{nr}:* {text}\n<@{user}> frågar: {question}").format(
                nr=u.nr, text=escape(short(u.text)), user=q.asked_by, question=escape(q.fraga)
            ),
            3000,
        )
    )
    if q.answered_at is None:
        return [
            head,
            actions(button(t("Svara"), ids.UPPDRAG_SVARA, str(q.id), "primary"), block_id=ids.fraga_block(q.id)),
        ]
    return [
        head,
        context(
            short(
                ":white_check_mark: "
                + t("Besvarad av <@{user}>: {answer}").format(user=q.answered_by, answer=escape(short(q.svar or "", 1500))),
                2000,
            )
        ),
    ]


def answered(result: Answered, t: Translator) -> str:
    return t("Svaret på frågan om uppdrag #{nr} är skickat till <@{user}>.").format(nr=result.uppdrag.nr, user=result.asker) + arrival_note(
        result.notice, t
    )


def answered_copy(u: Uppdrag, t: Translator) -> str:
    """The text of the KSO's copy of the question, once answered."""
    return t("Frågan om uppdrag #{nr} är besvarad").format(nr=u.nr)


def answer_notice(u: Uppdrag, q: UppdragFraga, t: Translator) -> str:
    return t("<@{user}> svarade på din fråga om uppdrag #{nr}.\n>{question}\n{answer}").format(
        user=q.answered_by, nr=u.nr, question=escape(short(q.fraga)), answer=escape(q.svar or "")
    )


def svar_modal(u: Uppdrag, q: UppdragFraga, t: Translator) -> dict[str, Any]:
    """The KSO's answer form for an oklart question."""
    return modal(
        t("Svar på uppdrag #{nr}").format(nr=u.nr),
        [
            section(
                short(
                    t("*Uppdrag #{nr}:* {text}\n*Fråga:* {question}").format(
                        nr=u.nr, text=escape(short(u.text, 1000)), question=escape(q.fraga)
                    ),
                    3000,
                )
            ),
            input_block(ids.UPPDRAG_SVAR_BLOCK, t("Ditt svar"), text_input(ids.UPPDRAG_SVAR_INPUT, max_length=3000, multiline=True)),
        ],
        close=t("Avbryt"),
        submit=t("Skicka svar"),
        callback_id=ids.UPPDRAG_SVAR_MODAL,
        metadata=ids.svar_metadata(q.id),
    )


def usage(t: Translator) -> str:
    """`/uppdrag` with nothing after it."""
    return t("Skriv uppdraget efter kommandot: `/uppdrag Ta fram underlag om skolskjutsar senast fredag`. Se `/uppdrag hjälp`.")


def broken_button(t: Translator) -> str:
    return t("Knappen är trasig: använd `/uppdrag svar <nr> <text>`.")


def broken_form(t: Translator) -> str:
    return t("Formuläret är trasigt: använd `/uppdrag svar <nr> <text>`.")
