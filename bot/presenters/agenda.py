"""The Monday agenda in words: Block Kit for the posted agenda, mrkdwn for the `/agenda` preview, plain text for the CLI.

Every function takes the translator `t`. The data comes from `bot.services.agenda`. This
module owns the posted agenda's block ids (named in `handlers/ids.py`): it writes them
(`render_messages`) and is the one that reads them back (the patches at the end, which
`bot/projections/posted_agenda.py` applies to the posted message). An empty section still
shows the seed's question (seed 004), so the meeting still asks it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from bot.domain import agenda as plan
from bot.domain import ks_calendar as ks_rules
from bot.domain.agenda import MAX_RESOLUTION, MEDIA, OWNERS, POINT_TYPES, Due, Meeting
from bot.i18n import Translator
from bot.models import Arende
from bot.presenters.arende import arende_blocks
from bot.presenters.blocks import (
    DIVIDER,
    MAX_SECTION_CHARS,
    Block,
    actions,
    button,
    context,
    input_block,
    modal,
    option,
    section,
    text_input,
)
from bot.presenters.blocks import header as header_block
from bot.presenters.incidents import owner_label
from bot.presenters.ks_calendar import label as ks_label
from bot.services.agenda import (
    Agenda,
    DecidedCase,
    DoneUppdrag,
    Line,
    MissedWeek,
    OpenQuestion,
    Point,
    PointAdded,
    PointClosed,
    Preview,
    ReturnedCase,
    ReturnedHeading,
    UppdragLine,
    WaitingCase,
)
from bot.text import escape, fill, fmt_date, fmt_when, one_line, swedish_holiday
from handlers import ids

USER_TEXT_SHORT = 120
# A point's own text is shown in full up to this length; the rest is in the preview and export.
POINT_TEXT_SHORT = 600


def section_heading(key: str, t: Translator) -> str:
    """A section's heading, in `t`'s language."""
    headings = {
        "status": t("Status på de politiska besluten"),
        "arenden": t("Färdigberedda ärenden"),
        "nya_uppdrag": t("Nya uppdrag sedan förra mötet"),
        "prioritering": t("Prioriteringar att stämma av"),
        "osakerhet": t("Osäkerhet i uppdrag"),
        "info": t("Information för att hålla ihop styrningen"),
        "incident": t("Incidenter som behöver följas upp och klaras ut"),
        "olöst": t("Olösta frågor"),
        "kommande": t("Kommande frågor inom den närmaste tiden"),
    }
    return headings[key]


def section_question(key: str, t: Translator) -> str:
    """The seed's question of a section (seed 004), shown when the section is empty."""
    questions = {
        "status": t("Vilken är den aktuella statusen på de politiska besluten?"),
        "arenden": t("Lämnar kommundirektören över färdigberedda ärenden, och är de tillräckligt beredda för att gå vidare till KS?"),
        "nya_uppdrag": t("Överlämnar KSO nya uppdrag till KD?"),
        "prioritering": t("Finns det prioriteringar som behöver genomföras och stämmas av?"),
        "osakerhet": t("Finns det frågor där det råder osäkerhet i uppdraget?"),
        "info": t("Finns det något den andre bör informeras om för att hålla ihop styrningen?"),
        "incident": t("Har det funnits incidenter som behöver följas upp och klaras ut?"),
        "olöst": t("Finns det olösta frågor som behöver redas ut?"),
        "kommande": t("Behöver hanteringen av kommande frågor inom den närmaste framtiden stämmas av?"),
    }
    return questions[key]


@dataclass(frozen=True)
class Style:
    """How the agenda marks things up: Slack mrkdwn for Slack, plain text for the terminal (CLI preview)."""

    slack: bool

    def bold(self, text: str) -> str:
        return f"*{text}*" if self.slack else text

    def italic(self, text: str) -> str:
        return f"_{text}_" if self.slack else text

    def user(self, text: str) -> str:
        """User text: never a ping; in Slack as entities, in a terminal as the user's own characters."""
        safe = escape(text)
        return safe if self.slack else safe.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")

    @property
    def warning(self) -> str:
        return ":warning:" if self.slack else "(!)"

    @property
    def done(self) -> str:
        return ":white_check_mark:" if self.slack else "✓"

    @property
    def returned(self) -> str:
        return ":leftwards_arrow_with_hook:" if self.slack else "↩"


MRKDWN = Style(slack=True)
PLAIN = Style(slack=False)


@dataclass(frozen=True)
class Button:
    label: str
    action_id: str
    value: str
    style: str | None = None


@dataclass(frozen=True)
class Item:
    """One line on the agenda (mrkdwn, user text already escaped) and its buttons."""

    text: str
    buttons: tuple[Button, ...] = ()
    block_id: str | None = None
    # With two or more buttons they go in an actions block below the text, with this id.
    actions_block_id: str | None = None


def shorten(text: str, limit: int = USER_TEXT_SHORT) -> str:
    return one_line(text, limit)


def role_label(role: str | None, t: Translator) -> str:
    """'KSO', 'KD', or who else: for a role code from the services."""
    return role.upper() if role else t("någon utanför paret")


def _days(n: int, t: Translator) -> str:
    return t.ngettext("{n} dag", "{n} dagar", n)


def _weeks(n: int, t: Translator) -> str:
    return t.ngettext("{n} vecka", "{n} veckor", n)


def _questions(n: int, t: Translator) -> str:
    return t.ngettext("{n} öppen fråga", "{n} öppna frågor", n)


def _from(role: str | None, day: date, t: Translator) -> str:
    """'från KD, tisdag 24 nov': who raised an item and when."""
    return t("från {role}, {date}").format(role=role_label(role, t), date=fmt_date(day, t))


def stopptid_flag(found: ks_rules.Flag | None, st: Style, t: Translator) -> list[str]:
    """A warning when the meeting day is within three working days of the case's stopptid, or past it."""
    if found is None:
        return []
    if found.passed:
        words = t("stopptiden har passerat")
    elif found.working_days_left == 0:
        words = t("stopptid idag")
    else:
        words = t.ngettext("{n} arbetsdag kvar till stopptiden", "{n} arbetsdagar kvar till stopptiden", found.working_days_left)
    return [f"{st.warning} " + st.bold(words)]


# --- the lines of the sections ------------------------------------------------------------


def _uppdrag(u: UppdragLine, st: Style, t: Translator) -> Item:
    parts = [f"• {st.bold(f'#{u.nr}')} {st.user(shorten(u.text))}"]
    if u.done:
        parts.append(t("klart"))
    elif u.deadline is None:
        parts.append(t("inget slutdatum"))
    elif u.overdue_days:
        parts.append(
            t("{warning} {overdue} {days}, senast {date}").format(
                warning=st.warning, overdue=st.bold(t("försenat")), days=_days(u.overdue_days, t), date=fmt_date(u.deadline, t)
            )
        )
    else:
        parts.append(t("senast {date}").format(date=fmt_date(u.deadline, t)))
    if u.questions:
        parts.append(_questions(u.questions, t))
    line = " · ".join(parts)
    if u.given is not None:
        line += " · " + t("givet {date}").format(date=fmt_date(u.given, t))
    return Item(line)


def _done(u: DoneUppdrag, st: Style, t: Translator) -> Item:
    return Item(
        f"• {st.done} {st.bold(f'#{u.nr}')} {st.user(shorten(u.text))} · "
        + t("klart, markerat av {role} {date}").format(role=role_label(u.role, t), date=fmt_date(u.day, t))
    )


def _decided(a: DecidedCase, st: Style, t: Translator) -> Item:
    icon = st.done if a.to_ks else st.returned
    decided = t("till KS, beslutat av {role} {date}") if a.to_ks else t("åter för beredning, beslutat av {role} {date}")
    line = (
        f"• {icon} "
        + st.bold(t("Ärende #{nr}").format(nr=a.nr))
        + f" {st.user(shorten(a.title))} · "
        + decided.format(role=role_label(a.role, t), date=fmt_date(a.day, t))
    )
    if a.ks_meeting:
        line += " · " + ks_label(a.ks_meeting, None, t)
    return Item(line)


def _waiting(a: WaitingCase, st: Style, t: Translator) -> Item:
    parts = [
        f"• {st.bold(f'#{a.nr}')} {st.user(shorten(a.title))}",
        t("lämnat av {role} {date}").format(role=role_label(a.role, t), date=fmt_date(a.submitted, t)),
    ]
    if a.waited_days > 0:
        parts.append(t("har väntat {days}").format(days=_days(a.waited_days, t)))
    if a.ks_meeting:
        parts.append(ks_label(a.ks_meeting, a.stopptid, t))
    parts.extend(stopptid_flag(a.flag, st, t))
    if a.link:
        parts.append(st.user(shorten(a.link, 300)))
    return Item(
        " · ".join(parts),
        buttons=(
            Button(t("Till KS"), ids.ARENDE_TILL_KS, str(a.id), "primary"),
            Button(t("Åter för beredning"), ids.ARENDE_ATER, str(a.id)),
        ),
        # The case's own ids: `with_decision` finds them, and replaces them with the case's decided blocks.
        block_id=ids.arende_info_block(a.id),
        actions_block_id=ids.arende_block(a.id),
    )


def _returned_heading(st: Style, t: Translator) -> Item:
    return Item(st.bold(t("Åter för beredning")) + " " + st.italic(t("(tills KD lämnar över dem igen med `/arende åter` och numret)")))


def _returned(a: ReturnedCase, st: Style, t: Translator) -> Item:
    parts = [
        f"• {st.bold(f'#{a.nr}')} {st.user(shorten(a.title))}",
        t("åter sedan {date}, av {role}").format(date=fmt_date(a.day, t), role=role_label(a.role, t)),
    ]
    if a.comment:
        parts.append(t("behöver: {comment}").format(comment=st.italic(st.user(shorten(a.comment)))))
    return Item(" · ".join(parts))


def _question(q: OpenQuestion, st: Style, t: Translator) -> Item:
    return Item(
        f"• {st.bold(f'#{q.nr}')} {st.user(shorten(q.uppdrag_text, 80))}: {st.italic(st.user(shorten(q.question)))} · "
        + _from(q.role, q.day, t),
        buttons=(Button(t("Svara"), ids.UPPDRAG_SVARA, str(q.id)),),
        block_id=ids.agenda_question_block(q.id),
    )


def _point(p: Point, st: Style, t: Translator) -> Item:
    # A media point is the KSO's (seed 004: "Media; KSO har huvudansvaret"), and says so first.
    mark = st.bold(t("Media, KSO:s ansvar:")) + " " if p.typ == MEDIA else ""
    text = f"• {mark}{st.user(shorten(p.text, POINT_TEXT_SHORT))} · " + _from(p.role, p.day, t)
    if p.carried_weeks is not None:
        text += " · " + st.italic(t("överförd, sedan {weeks}").format(weeks=_weeks(p.carried_weeks, t)))
    return Item(text, buttons=(Button(t("Stäng"), ids.AGENDA_STANG, str(p.id)),), block_id=ids.agenda_point_block(p.id))


def item(line: Line, st: Style, t: Translator) -> Item:
    """One line of the agenda's data as text (and buttons)."""
    if isinstance(line, UppdragLine):
        return _uppdrag(line, st, t)
    if isinstance(line, DoneUppdrag):
        return _done(line, st, t)
    if isinstance(line, DecidedCase):
        return _decided(line, st, t)
    if isinstance(line, WaitingCase):
        return _waiting(line, st, t)
    if isinstance(line, ReturnedHeading):
        return _returned_heading(st, t)
    if isinstance(line, ReturnedCase):
        return _returned(line, st, t)
    if isinstance(line, OpenQuestion):
        return _question(line, st, t)
    return _point(line, st, t)


# --- title, notes, footer -------------------------------------------------------------------


def title(agenda: Agenda, t: Translator) -> str:
    m = agenda.meeting
    return t("Agenda för KSO och KD {date} (vecka {week})").format(date=fmt_date(m.day, t), week=m.week)


def continued_title(title_text: str, part: int, t: Translator) -> str:
    """The title of a long post's further messages: 'Agenda …, forts. (2)'."""
    return t("{title}, forts. ({part})").format(title=title_text, part=part)


def moved_note(meeting: Meeting, t: Translator) -> str | None:
    if meeting.moved_reason is None:
        return None
    # A holiday's name in the reader's language; the pair's own day off is our word.
    holiday = swedish_holiday(meeting.monday, t) if meeting.moved_reason == plan.MOVED_HOLIDAY else None
    reason = holiday or t("egen ledig dag")
    return t("Mötet flyttas från måndag till {date}: måndagen är ledig ({reason}).").format(date=fmt_date(meeting.day, t), reason=reason)


def footer(st: Style, t: Translator) -> str:
    """How to add a point, under the agenda: a command in Slack, a hint for Slack in the terminal."""
    types = "|".join(POINT_TYPES)
    if st.slack:
        return t(
            "Lägg till en punkt med `/agenda + &lt;typ&gt; &lt;text&gt;` ({types}). "
            "Punkter som inte stängs följer med till nästa veckas agenda."
        ).format(types=types)
    return t(
        "Lägg till en punkt i Slack med /agenda + <typ> <text> ({types}). Punkter som inte stängs följer med till nästa veckas agenda."
    ).format(types=types)


def late_note(due: Due, timezone: str, t: Translator) -> str:
    return t("Försenad: agendan skulle ha kommit {when}, men Samspel var inte igång då.").format(when=fmt_when(due.at, timezone, t))


# --- text and Block Kit ----------------------------------------------------------------------


def render_text(agenda: Agenda, t: Translator, st: Style = MRKDWN) -> str:
    """The agenda as text without buttons: mrkdwn for the `/agenda` preview, plain for the terminal."""
    head = title(agenda, t)
    lines = [st.bold(head)] if st.slack else [head, "=" * len(head)]
    note = moved_note(agenda.meeting, t)
    if note:
        lines.append(st.italic(note))
    indent = "" if st.slack else "  "
    for n, part in enumerate(agenda.sections, start=1):
        lines.append("")
        lines.append(st.bold(f"{n}. {section_heading(part.key, t)}"))
        if part.items:
            lines.extend(indent + item(line, st, t).text for line in part.items)
        elif st.slack:
            lines.append(st.italic(section_question(part.key, t)))
        else:
            lines.append(indent + t("Inget ännu. Fråga: {question}").format(question=section_question(part.key, t)))
    lines.append("")
    lines.append(footer(st, t))
    return "\n".join(lines)


def _item_blocks(entry: Item) -> list[Block]:
    """An item with buttons: one button as the section's accessory, two or more in an actions block below."""
    if len(entry.buttons) == 1:
        b = entry.buttons[0]
        return [section(entry.text, block_id=entry.block_id, accessory=button(b.label, b.action_id, b.value, b.style))]
    return [
        section(entry.text, block_id=entry.block_id),
        actions(*(button(b.label, b.action_id, b.value, b.style) for b in entry.buttons), block_id=entry.actions_block_id),
    ]


def section_units(heading: str, items: Iterable[Item], empty: str) -> list[list[Block]]:
    """Blocks for one section, grouped so that an item and its buttons stay in one message."""
    units: list[list[Block]] = []
    pending = [heading]
    any_item = False

    def flush() -> None:
        units.extend([section(text)] for text in plan.pack_lines(pending, MAX_SECTION_CHARS))
        pending.clear()

    for entry in items:
        any_item = True
        if not entry.buttons:
            pending.append(entry.text)
            continue
        flush()
        units.append(_item_blocks(entry))
    if not any_item:
        pending.append(f"_{empty}_")
    flush()
    return units


def render_messages(agenda: Agenda, t: Translator, late: str | None = None) -> list[list[Block]]:
    """The agenda as one or more Block Kit messages, with the buttons; `late` marks an agenda posted late."""
    head = title(agenda, t)
    header: list[Block] = [header_block(head)]
    if late:
        header.append(context(late, block_id=ids.AGENDA_LATE_BLOCK))
    note = moved_note(agenda.meeting, t)
    if note:
        header.append(context(note))
    units: list[list[Block]] = []
    for n, part in enumerate(agenda.sections, start=1):
        units.append([DIVIDER])
        units.extend(
            section_units(
                f"*{n}. {section_heading(part.key, t)}*", (item(line, MRKDWN, t) for line in part.items), section_question(part.key, t)
            )
        )
    units.append([context(footer(MRKDWN, t))])
    return plan.chunk_messages(header, units, lambda part: context(continued_title(f"*{head}*", part, t)))


def shorter_now(t: Translator) -> tuple[str, list[Block]]:
    """(text, blocks) of a part the agenda no longer needs, now that it is shorter."""
    return t("Agendan är kortare nu: allt står ovan."), [context(t("_Agendan är kortare nu: allt står ovan._"))]


def missed_text(missed: MissedWeek, t: Translator) -> str:
    """The meeting week ended with no agenda (Samspel was down): what it would have held."""
    meeting = missed.due.meeting
    cases = t.ngettext("{n} ärende att avgöra", "{n} ärenden att avgöra", missed.cases)
    uppdrag = t.ngettext("{n} uppdrag", "{n} uppdrag", missed.uppdrag)
    questions = t.ngettext("{n} fråga om uppdrag", "{n} frågor om uppdrag", missed.questions)
    points = t.ngettext("{n} agendapunkt", "{n} agendapunkter", missed.points)
    return t(
        ":warning: Agendan för mötet {date} (vecka {week}) postades aldrig: Samspel var inte igång från {when} "
        "till veckans slut. Det som skulle ha stått på den följer med till nästa agenda: {cases}, {uppdrag}, "
        "{questions} och {points}. Se den nu med `/agenda`."
    ).format(
        date=fmt_date(meeting.day, t),
        week=meeting.week,
        when=fmt_when(missed.due.at, missed.timezone, t),
        cases=cases,
        uppdrag=uppdrag,
        questions=questions,
        points=points,
    )


# --- answers to the person who acted -----------------------------------------------------------


def preview_text(result: Preview, t: Translator, st: Style = MRKDWN) -> str:
    """The `/agenda` preview (mrkdwn) or the CLI's (plain): an intro line, then the agenda."""
    agenda = result.agenda
    if agenda is None:
        assert result.day is not None
        return t("Veckan med {date} (vecka {week}) har ingen arbetsdag och får ingen agenda.").format(
            date=result.day.isoformat(), week=result.day.isocalendar()[1]
        )
    meeting = agenda.meeting
    when = fmt_when(meeting.post_at, agenda.timezone, t)
    if meeting.post_at > result.now:
        intro = t("Förhandsvisning utan att posta, med dagens uppgifter. Agendan postas {when} i parets kanal.")
    else:
        intro = t("Förhandsvisning utan att posta, med dagens uppgifter. Agendan postades {when} i parets kanal.")
    return st.italic(intro.format(when=when)) + "\n\n" + render_text(agenda, t, st)


def point_added(result: PointAdded, t: Translator) -> str:
    text = t("Punkten är tillagd under *{heading}* och kommer med på agendan {date}: {text}").format(
        heading=section_heading(result.section, t), date=fmt_date(result.meeting_day, t), text=escape(result.text)
    )
    told = result.kso_told_at
    if told is None or result.now is None:
        return text
    if told <= result.now:
        return text + "\n" + t("KSO, som har huvudansvaret för media, får den direkt.")
    return (
        text
        + "\n"
        + t(
            "KSO, som har huvudansvaret för media, får den {when}, enligt respektregeln. Kan det inte "
            "vänta, skriv `/meddela akut &lt;text&gt;`."
        ).format(when=fmt_when(told, result.timezone, t))
    )


def media_notice(text: str, role: str | None, t: Translator) -> str:
    """The KSO's DM when the KD adds a media point."""
    return t(
        ":loudspeaker: *Mediefråga* från {role}, på agendan under *{heading}*: {text}\n"
        "_Du har huvudansvaret för media (spelreglerna, Kontakter)._"
    ).format(role=role_label(role, t), heading=section_heading("info", t), text=escape(shorten(text, POINT_TEXT_SHORT)))


def point_closed(result: PointClosed, t: Translator) -> str:
    if result.already:
        assert result.day is not None
        return fill(t("Punkten var redan stängd av {role} {date}."), role=role_label(result.role, t), date=fmt_date(result.day, t))
    # The closer has just written the owner and the note of an incident: the posted agenda shows them to both.
    return t("Punkten är stängd och följer inte med till nästa agenda: {text}").format(text=escape(shorten(result.text)))


def closed_note(role: str | None, t: Translator) -> str:
    """What a closed point says on the posted agenda (a closed incident adds its `resolution_note` after it)."""
    return t("stängd av {role}").format(role=role_label(role, t))


def incident_modal(point_text: str, metadata: str, t: Translator) -> dict[str, object]:
    """Stäng on an incident: who owns the follow-up (KSO / KD / both) and a short note of how it was cleared up."""
    options = [option(owner_label(code, t), code) for code in OWNERS]
    return modal(
        t("Stäng incidenten"),
        [
            section(t("Har det funnits incidenter som behöver följas upp och klaras ut?") + "\n> " + escape(shorten(point_text, 500))),
            input_block(
                ids.AGENDA_OWNER,
                t("Vem äger uppföljningen?"),
                {"type": "radio_buttons", "action_id": ids.AGENDA_OWNER, "options": options},
            ),
            input_block(
                ids.AGENDA_RESOLUTION,
                t("Hur klarades det ut?"),
                text_input(ids.AGENDA_RESOLUTION, max_length=MAX_RESOLUTION, multiline=True),
            ),
        ],
        close=t("Avbryt"),
        submit=t("Stäng"),
        callback_id=ids.AGENDA_INCIDENT_MODAL,
        metadata=metadata,
    )


# --- patching the posted agenda: the block ids render_messages wrote, read back ---------------


def late_line(blocks: list[Block]) -> str | None:
    """The "Försenad" line of a late agenda, kept when it is rendered again."""
    return next((b["elements"][0]["text"] for b in blocks if b.get("block_id") == ids.AGENDA_LATE_BLOCK), None)


def _tick_off(blocks: list[Block], block_id: str, note: str, extra: str = "") -> list[Block] | None:
    """`blocks` with that item ticked off and its button gone; None when it is not there."""
    out: list[Block] = []
    found = False
    for block in blocks:
        if block.get("block_id") == block_id and block.get("type") == "section":
            found = True
            old = block.get("text", {}).get("text", "")
            tail = f" · {extra}" if extra else ""
            block = section(old.replace("• ", ":white_check_mark: ", 1) + f" · _{note}_{tail}", block_id=block_id)
        out.append(block)
    return out if found else None


def answered_note(role: str | None, answer: str, t: Translator) -> str:
    return t("besvarad av {role}: {text}").format(role=role_label(role, t), text=escape(shorten(answer, 500)))


def with_answer(blocks: list[Block], fraga_id: int, note: str) -> list[Block] | None:
    """An answered question ticked off with `answered_note` (its Svara button gone); None when it is not there."""
    return _tick_off(blocks, ids.agenda_question_block(fraga_id), note)


def with_point_closed(blocks: list[Block], point_id: int, note: str, extra: str = "") -> list[Block] | None:
    """A closed point ticked off with `closed_note` (and an incident's `extra`); None when it is not there."""
    return _tick_off(blocks, ids.agenda_point_block(point_id), note, extra)


def with_decision(blocks: list[Block], a: Arende, tz: str, t: Translator) -> list[Block] | None:
    """`blocks` with the case's section and buttons replaced by its decided blocks; None when it is not there."""
    own = {ids.arende_info_block(a.id), ids.arende_block(a.id)}
    at = next((i for i, b in enumerate(blocks) if b.get("block_id") in own), None)
    if at is None:
        return None
    kept = [b for b in blocks if b.get("block_id") not in own]
    before = sum(1 for b in blocks[:at] if b.get("block_id") not in own)
    return kept[:before] + arende_blocks(a, tz, t) + kept[before:]
