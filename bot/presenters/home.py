"""App Home as Block Kit: one part per pair the person belongs to, or how to get started.

Each part shows the open uppdrag (overdue ones first and highlighted), the cases waiting for
the KSO (with the decision buttons for the KSO), and the member's own held messages (with
Ångra / Skicka nu som akut). The data comes from `bot.projections.home`; every function takes `t`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.i18n import Translator
from bot.models import Arende, Pair, Uppdrag, UppdragFraga
from bot.presenters import onboarding
from bot.presenters.arende import arende_blocks
from bot.presenters.blocks import DIVIDER, Block, actions, context, header, section
from bot.presenters.respekt import held_blocks
from bot.presenters.uppdrag import describe
from bot.services.onboarding import Settings
from bot.services.respekt import Held
from bot.text import fmt_when

MAX_BLOCKS = 100  # Slack's limit for a Home view
# Per pair: header, context, and per part a divider, a header and one "none"/"… och N till" line, plus the overdue note.
_FIXED_BLOCKS = 12


@dataclass(frozen=True)
class HomePart:
    """What one member's part of the Home tab shows for one pair."""

    pair: Pair
    role: str | None
    today: date
    uppdrag: list[Uppdrag]
    questions: dict[int, UppdragFraga]
    overdue: int
    cases: list[Arende]
    held_count: int
    # The held-message list as /meddela lista renders it (text and buttons per message).
    held: list[Held]
    # The member's settings of the pair, each with a button that opens its form.
    settings: Settings | None = None


@dataclass(frozen=True)
class _Limits:
    """How many items of each kind one pair's part shows."""

    uppdrag: int  # one block each
    arenden: int  # two blocks each (details, buttons or decision)
    held: int  # two blocks each (text, buttons)


# At most this many held messages show on a Home tab; the rest are counted ("… och N till").
MAX_HELD_SHOWN = 12


def _limits(budget: int) -> _Limits:
    """Item counts whose blocks fit in `budget`: 2/5 of the room for uppdrag, 3/10 each for cases and messages."""
    room = max(budget - _FIXED_BLOCKS, 5)
    share = max(1, room * 3 // 10 // 2)
    return _Limits(uppdrag=max(1, min(25, room * 2 // 5)), arenden=min(12, share), held=min(MAX_HELD_SHOWN, share))


def _more(count: int, command: str, t: Translator) -> str:
    """The line that ends a cut list and names the command that shows all of it."""
    return t("_… och {count} till: se `{command}`._").format(count=count, command=command)


def _uppdrag_part(part: HomePart, limit: int, t: Translator) -> list[Block]:
    rows, tz = part.uppdrag, part.pair.timezone
    blocks = [DIVIDER, header(t("Öppna uppdrag ({count})").format(count=len(rows)))]
    if part.overdue:
        blocks.append(
            section(t.ngettext(":warning: *{n} försenat*: det står först.", ":warning: *{n} försenade*: de står först.", part.overdue))
        )
    if not rows:
        blocks.append(section(t("_Inga öppna uppdrag._")))
    for u in rows[:limit]:
        blocks.append(section(describe(u, part.today, tz, part.questions.get(u.id), t, limit=200)))
    if len(rows) > limit:
        blocks.append(section(_more(len(rows) - limit, "/uppdrag lista", t)))
    return blocks


def _cases_part(part: HomePart, limit: int, t: Translator) -> list[Block]:
    cases = part.cases
    blocks = [DIVIDER, header(t("Ärenden som väntar på KSO ({count})").format(count=len(cases)))]
    if not cases:
        blocks.append(section(t("_Inga ärenden väntar._")))
    for a in cases[:limit]:
        blocks += arende_blocks(a, part.pair.timezone, t, buttons=part.role == "kso")
    if len(cases) > limit:
        blocks.append(section(_more(len(cases) - limit, "/arende lista", t)))
    return blocks


def _held_part(blocks: list[Block], total: int, limit: int, t: Translator) -> list[Block]:
    """The held-message list cut to `limit` messages, each kept whole (its text and its buttons).

    The list's own title and "… och N till" line give way to the Home tab's header and its own line.
    """
    items = [[blocks[i - 1], b] for i, b in enumerate(blocks) if b.get("type") == "actions" and i > 0]
    if not items:
        return blocks[:1]  # "Du har inga meddelanden …"
    shown = [block for item in items[:limit] for block in item]
    if total > limit:
        shown.append(section(_more(total - limit, "/meddela lista", t)))
    return shown


def pair_part(part: HomePart, now: datetime, t: Translator, budget: int = MAX_BLOCKS) -> list[Block]:
    """The Home tab for one member of `part.pair`, in at most `budget` blocks (longer lists end with '… och N till')."""
    pair, limits = part.pair, _limits(budget)
    blocks: list[Block] = [
        header("Samspel"),
        context(
            t("Du är {role} i <#{channel}>. Uppdaterad {when}.").format(
                role="KSO" if part.role == "kso" else "KD", channel=pair.channel_id, when=fmt_when(now, pair.timezone, t)
            )
        ),
    ]
    blocks += _uppdrag_part(part, limits.uppdrag, t)
    blocks += _cases_part(part, limits.arenden, t)
    blocks += [DIVIDER, header(t("Dina meddelanden som hålls ({count})").format(count=part.held_count))]
    blocks += _held_part(held_blocks(part.held, part.pair.timezone, t), part.held_count, limits.held, t)
    return blocks[:budget]


def welcome(t: Translator) -> list[Block]:
    """The Home tab of someone in no pair: what Samspel is, and how to start."""
    return [
        header("Samspel"),
        section(
            t(
                "Samspel hjälper KSO och KD att leva efter sina spelregler: måndagsagenda, uppdrag, ärenden och "
                "respekt för varandras fritid.\nKoppla er privata kanal med `/samspel koppla @kso @kd`."
            )
        ),
        actions(onboarding.koppla_button(None, t)),
    ]


def _with_settings(part: HomePart, now: datetime, t: Translator, budget: int) -> list[Block]:
    """One pair's part and, when there is room for both, its settings section under the pair's heading.

    Above the lists, which may be long and end with their "… och N till" line.
    """
    if part.settings is None or budget < onboarding.SETTINGS_BLOCKS + _FIXED_BLOCKS:
        return pair_part(part, now, t, budget)
    blocks = pair_part(part, now, t, budget - onboarding.SETTINGS_BLOCKS)
    return blocks[:2] + onboarding.settings_section(part.settings, t) + blocks[2:]


def home_view(parts: list[HomePart], now: datetime, t: Translator, *, greet: bool = False) -> list[dict[str, Any]]:
    """The whole Home tab: the first one with the welcome on top, the rest of the room shared evenly between pairs."""
    roles = [onboarding.Role(channel=p.pair.channel_id, role=p.role or "") for p in parts]
    top = onboarding.welcome_home(roles, t) if greet else []
    if not parts:
        start = welcome(t)
        return start[:1] + top + start[1:]
    budget = (MAX_BLOCKS - len(top)) // len(parts)
    blocks: list[Block] = list(top)
    for part in parts:
        blocks += _with_settings(part, now, t, budget)
    return blocks[:MAX_BLOCKS]
