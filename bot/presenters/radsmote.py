"""The rådsmöte post in words: its title, the cases going to KS and the upcoming matters (seed 004)."""

from __future__ import annotations

from bot.domain import agenda as plan
from bot.domain.calendar import format_hhmm
from bot.i18n import Translator
from bot.presenters.agenda import POINT_TEXT_SHORT, Item, continued_title, section_units, shorten
from bot.presenters.blocks import Block, context
from bot.presenters.blocks import header as header_block
from bot.services.radsmote import Radsmote
from bot.text import escape, fmt_date


def no_cases(t: Translator) -> str:
    return t("Inga ärenden har gått till KS sedan förra rådsmötet.")


def no_kommande(t: Translator) -> str:
    return t("Inga kommande frågor är anmälda.")


def cases_heading(t: Translator) -> str:
    return t("Ärenden till KS")


def kommande_heading(t: Translator) -> str:
    return t("Kommande frågor")


def title(data: Radsmote, t: Translator) -> str:
    return t("Rådsmöte {date} kl. {time}").format(date=fmt_date(data.day, t), time=format_hhmm(data.time_min))


def items(data: Radsmote, t: Translator) -> tuple[list[Item], list[Item]]:
    """(the cases, the upcoming matters) as agenda lines."""
    case_items = []
    for a in data.cases:
        parts = [f"• *#{a.nr}* {escape(shorten(a.title, POINT_TEXT_SHORT))}"]
        if a.ks_meeting:
            parts.append(t("KS-möte {date}").format(date=a.ks_meeting.isoformat()))
        if a.link:
            parts.append(escape(shorten(a.link, 300)))
        case_items.append(Item(" · ".join(parts)))
    return case_items, [Item(f"• {escape(shorten(text, POINT_TEXT_SHORT))}") for text in data.kommande]


def render_text(data: Radsmote, t: Translator) -> str:
    cases, kommande = items(data, t)
    lines = [f"*{title(data, t)}*", "", f"*{cases_heading(t)}*"]
    lines += [i.text for i in cases] or [f"_{no_cases(t)}_"]
    lines += ["", f"*{kommande_heading(t)}*"]
    lines += [i.text for i in kommande] or [f"_{no_kommande(t)}_"]
    return "\n".join(lines)


def render_messages(data: Radsmote, t: Translator) -> list[list[Block]]:
    head = title(data, t)
    cases, kommande = items(data, t)
    header: list[Block] = [header_block(head)]
    units = section_units(f"*{cases_heading(t)}*", cases, no_cases(t))
    units += section_units(f"*{kommande_heading(t)}*", kommande, no_kommande(t))

    def continued(part: int) -> Block:
        return context(continued_title(f"*{head}*", part, t))

    return plan.chunk_messages(header, units, continued)
