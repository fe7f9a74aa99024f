"""Onboarding in words and Block Kit: the welcome (Home tab and DM), the channel intro, and the forms.

The forms stand for commands (Koppla paret for `/samspel koppla`, Nytt uppdrag for `/uppdrag … senast`,
the Home tab's settings for `/samspel arbetstid|ledig|agendatid|utvecklingssamtal`); their answers are
the commands' own (bot/presenters/pairs.py, uppdrag.py). Every function takes the translator `t`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.domain.calendar import format_hhmm
from bot.domain.pairs import DAY_NAMES, NOTE_CHARS
from bot.i18n import Translator
from bot.models import Pair
from bot.presenters.blocks import DIVIDER, Block, actions, button, input_block, modal, option, section, text_input
from bot.presenters.pairs import agenda_time_text, describe_days, describe_hours
from bot.services.onboarding import Settings
from bot.text import MAX_TEXT, fmt_date_year, weekday_name
from handlers import ids

View = dict[str, Any]
# Per pair: a divider, a heading and four settings lines.
SETTINGS_BLOCKS = 6


@dataclass(frozen=True)
class Role:
    """One pair the person is in: its channel and their role there ('kso' or 'kd')."""

    channel: str
    role: str


def _role_name(role: str) -> str:
    return "KSO" if role == "kso" else "KD"


def koppla_button(channel: str | None, t: Translator) -> Block:
    """Koppla paret: opens the form (value: the channel it was in, "" where the form asks for one)."""
    return button(t("Koppla paret"), ids.KOPPLA_OPEN, channel or "", "primary")


def _roles_text(roles: list[Role], t: Translator) -> str:
    parts = [t("{role} i <#{channel}>").format(role=_role_name(r.role), channel=r.channel) for r in roles]
    return parts[0] if len(parts) == 1 else t("{first} och {last}").format(first=", ".join(parts[:-1]), last=parts[-1])


def welcome_home(roles: list[Role], t: Translator) -> list[Block]:
    """The welcome on the first Home tab: for someone in no pair what Samspel does and how to start, for a member a line.

    Sections only: the Home tab's headers and its one context line are each pair's (see bot/presenters/home.py).
    """
    if roles:
        # Each pair's own part below says which pair and which role.
        return [
            section(
                t(
                    ":wave: *Välkommen till Samspel!* Här ser du för varje par era öppna uppdrag, ärenden som "
                    "väntar och dina meddelanden som hålls, och under *Inställningar* ställer du in din "
                    "arbetstid, lediga dagar, agendatid och utvecklingssamtalet. Alla kommandon: "
                    "`/samspel hjälp`."
                )
            )
        ]
    return [
        section(
            t(
                ":wave: *Välkommen till Samspel!* Samspel hjälper kommunstyrelsens ordförande (KSO) och "
                "kommundirektören (KD) att styra och leda tillsammans, efter de spelregler ni kommer överens om."
            )
        ),
        section(
            t(
                "*KSO* ger uppdrag till KD och avgör om ärenden är tillräckligt beredda för KS.\n"
                "*KD* lämnar över färdigberedda ärenden och tar upp det som är oklart i ett uppdrag.\n"
                "*Ni båda* får måndagsagendan och påminnelser om utvecklingssamtalet, och era meddelanden till "
                "varandra väntar till mottagarens arbetstid om de inte är akuta."
            )
        ),
        section(
            t(
                "*Kom igång:* skapa en privat kanal för er två och bjud in Samspel (`/invite @Samspel`). Skriv "
                "sedan `/samspel koppla @kso @kd` där, eller tryck på knappen."
            )
        ),
    ]


def welcome_dm(roles: list[Role], t: Translator) -> tuple[str, list[Block]]:
    """The one welcome DM: how to couple the pair, or (for a member) where things are."""
    if roles:
        text = t(
            "Välkommen till Samspel! Du är {roles}. Under fliken *Hem* här ser du vad som väntar och ställer in "
            "din arbetstid och lediga dagar. Alla kommandon: `/samspel hjälp`."
        ).format(roles=_roles_text(roles, t))
        if any(r.role == "kso" for r in roles):
            text += "\n" + t("Ett nytt uppdrag till KD ger du med `/uppdrag` eller genvägen *Nytt uppdrag* (⚡ i meddelandefältet).")
        return text, [section(text)]
    text = t(
        "Välkommen till Samspel! Samspel hjälper KSO och KD att styra och leda tillsammans: måndagsagendan, "
        "uppdrag, ärenden för beslut och respekt för varandras fritid.\nKoppla ert par i er privata kanal med "
        "`/samspel koppla @kso @kd`, eller med knappen."
    )
    return text, [section(text), actions(koppla_button(None, t))]


def channel_intro(channel: str, public: bool, t: Translator) -> tuple[str, list[Block]]:
    """Samspel's one message in a channel it was invited to: how to couple the pair, with the button."""
    text = t(
        "Hej! Jag är Samspel. Jag hjälper KSO och KD att styra och leda tillsammans: måndagsagendan, uppdrag, "
        "ärenden för beslut och respekt för varandras fritid.\nKoppla paret här med `/samspel koppla @kso @kd` "
        "(först KSO, sedan KD) eller med knappen. Den andra av er godkänner i ett direktmeddelande från Samspel."
    )
    if public:
        text += "\n" + t(
            ":lock: Det här är en öppen kanal, och parets kanal måste vara privat så att bara ni två och "
            "Samspel läser er agenda. Skapa en privat kanal för er två och bjud in Samspel dit."
        )
    return text, [section(text), actions(koppla_button(channel, t))]


# --- modals ----------------------------------------------------------------------------------


def _form(callback_id: str, metadata: str, title: str, submit: str, blocks: list[Block], t: Translator) -> View:
    return modal(title, blocks, close=t("Avbryt"), submit=submit, callback_id=callback_id, metadata=metadata)


def _private_channels(action_id: str, initial: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "conversations_select",
        "action_id": action_id,
        "filter": {"include": ["private"], "exclude_bot_users": True},
    }
    if initial:
        element["initial_conversation"] = initial
    return element


def koppla_modal(channel: str | None, t: Translator) -> View:
    """Koppla paret: the KSO and the KD (and the channel, when the button was not in one)."""
    if channel:
        intro = t(
            "Föreslå <#{channel}> som ert pars kanal. Den andra av er får ett direktmeddelande från Samspel "
            "och godkänner; först då finns paret."
        ).format(channel=channel)
    else:
        intro = t(
            "Välj er privata kanal, där ni båda och Samspel är med. Den andra av er får ett direktmeddelande "
            "från Samspel och godkänner; först då finns paret."
        )
    blocks = [section(intro)]
    if not channel:
        blocks.append(input_block(ids.KOPPLA_CHANNEL, t("Parets kanal"), _private_channels(ids.KOPPLA_CHANNEL)))
    blocks += [
        input_block(ids.KOPPLA_KSO, t("KSO (kommunstyrelsens ordförande)"), {"type": "users_select", "action_id": ids.KOPPLA_KSO}),
        input_block(ids.KOPPLA_KD, t("KD (kommundirektör)"), {"type": "users_select", "action_id": ids.KOPPLA_KD}),
    ]
    return _form(ids.KOPPLA_MODAL, ids.koppla_metadata(channel), t("Koppla paret"), t("Föreslå"), blocks, t)


def no_pair_text(t: Translator) -> str:
    """Someone in no pair opened a form that needs one."""
    return t(
        "Du är inte med i något par ännu. Skapa en privat kanal för er två, bjud in Samspel (`/invite @Samspel`) "
        "och skriv `/samspel koppla @kso @kd` där."
    )


def nytt_uppdrag_modal(pairs: list[Pair], t: Translator) -> View:
    """Nytt uppdrag: the text and the deadline, and which pair when the person is the KSO of more than one."""
    blocks: list[Block] = []
    if len(pairs) == 1:
        blocks.append(
            section(
                t("Till KD <@{kd}> i <#{channel}>. KD får beskedet inom sin arbetstid.").format(
                    kd=pairs[0].kd_user, channel=pairs[0].channel_id
                )
            )
        )
    else:
        blocks.append(
            input_block(
                ids.NYTT_UPPDRAG_PAIR,
                t("Par"),
                _private_channels(ids.NYTT_UPPDRAG_PAIR, pairs[0].channel_id),
                hint=t("Parets kanal: uppdraget går till KD i det paret."),
            )
        )
    blocks += [
        input_block(
            ids.NYTT_UPPDRAG_TEXT,
            t("Uppdrag"),
            text_input(ids.NYTT_UPPDRAG_TEXT, max_length=MAX_TEXT, multiline=True),
        ),
        input_block(ids.NYTT_UPPDRAG_DEADLINE, t("Senast"), {"type": "datepicker", "action_id": ids.NYTT_UPPDRAG_DEADLINE}, optional=True),
    ]
    metadata = ids.nytt_uppdrag_metadata(pairs[0].channel_id if len(pairs) == 1 else None)
    return _form(ids.NYTT_UPPDRAG_MODAL, metadata, t("Nytt uppdrag"), t("Ge uppdraget"), blocks, t)


# --- the Home tab's settings -----------------------------------------------------------------


def _setting_line(text: str, setting: str, pair_id: int, label: str) -> Block:
    return section(text, accessory=button(label, ids.SETTING_OPEN.format(setting=setting), ids.setting_value(setting, pair_id)))


def settings_section(s: Settings, t: Translator) -> list[Block]:
    """The member's settings of one pair, each with its value and a button to change it (SETTINGS_BLOCKS blocks)."""
    pair, change = s.pair, t("Ändra")
    days_off = describe_days(s.days_off) if s.days_off else t("inga utöver helgdagarna")
    talk = t("*Utvecklingssamtalet:* {day}").format(day=fmt_date_year(pair.next_talk, t) if pair.next_talk else "–")
    blocks = [
        DIVIDER,
        # A section, not a header: the Home tab's headers are each pair's lists.
        section(t("*Inställningar*")),
        _setting_line(t("*Din arbetstid:* {hours}").format(hours=describe_hours(s.hours, t)), "hours", pair.id, change),
        _setting_line(t("*Dina lediga dagar:* {days}").format(days=days_off), "days_off", pair.id, t("Lägg till")),
        _setting_line(t("*Måndagsagendan:* {when}").format(when=agenda_time_text(pair, t)), "agenda_time", pair.id, change),
    ]
    if s.role == "kso":
        blocks.append(_setting_line(talk, "talk_date", pair.id, change))
    else:
        blocks.append(section(talk + "\n" + t("_KSO bestämmer datumet._")))
    return blocks


def _time(block_id: str, label: str, minutes: int) -> Block:
    return input_block(block_id, label, {"type": "timepicker", "action_id": block_id, "initial_time": format_hhmm(minutes)})


def _date(block_id: str, label: str, initial: date | None, *, optional: bool = False) -> Block:
    element: dict[str, Any] = {"type": "datepicker", "action_id": block_id}
    if initial:
        element["initial_date"] = initial.isoformat()
    return input_block(block_id, label, element, optional=optional)


def _day_option(digit: int, t: Translator) -> dict[str, Any]:
    code = {v: k for k, v in DAY_NAMES.items()}[digit]
    return option(weekday_name(digit - 1, t, "abbreviated"), code)


def _hours_blocks(s: Settings, t: Translator) -> list[Block]:
    days = {"type": "checkboxes", "action_id": ids.SETTING_DAYS, "options": [_day_option(d, t) for d in range(1, 8)]}
    chosen = [_day_option(d, t) for d in sorted(s.hours.weekdays)]
    if chosen:
        days["initial_options"] = chosen
    return [
        section(t("Din egen arbetstid i <#{channel}>: meddelanden till dig väntar utanför den.").format(channel=s.pair.channel_id)),
        _time(ids.SETTING_START, t("Börjar"), s.hours.start_min),
        _time(ids.SETTING_END, t("Slutar"), s.hours.end_min),
        input_block(ids.SETTING_DAYS, t("Arbetsdagar"), days),
    ]


def _days_off_blocks(s: Settings, t: Translator) -> list[Block]:
    return [
        section(t("En ledig dag, eller flera i följd, utöver helgdagarna. Meddelanden till dig väntar till nästa arbetsdag.")),
        _date(ids.SETTING_FIRST, t("Första dagen"), None),
        _date(ids.SETTING_LAST, t("Sista dagen"), None, optional=True),
        input_block(
            ids.SETTING_NOTE,
            t("Anteckning"),
            text_input(ids.SETTING_NOTE, max_length=NOTE_CHARS),
            optional=True,
        ),
    ]


def _agenda_blocks(s: Settings, t: Translator) -> list[Block]:
    options = [
        option(t("På mötesdagen"), "mötesdagen"),
        option(t("Arbetsdagen före mötet"), "arbetsdagen före"),
    ]
    when = {
        "type": "radio_buttons",
        "action_id": ids.SETTING_WHEN,
        "options": options,
        "initial_option": options[1 if s.pair.agenda_days_before else 0],
    }
    return [
        section(t("När måndagsagendan postas i <#{channel}>.").format(channel=s.pair.channel_id)),
        input_block(ids.SETTING_WHEN, t("Dag"), when),
        _time(ids.SETTING_TIME, t("Klockan"), s.pair.agenda_time_min),
    ]


def _talk_blocks(s: Settings, t: Translator) -> list[Block]:
    return [
        section(t("Det årliga utvecklingssamtalet, som KSO håller med KD. Ni får påminnelser före.")),
        _date(ids.SETTING_DATE, t("Datum"), s.pair.next_talk),
    ]


_SETTING_BLOCKS = {"hours": _hours_blocks, "days_off": _days_off_blocks, "agenda_time": _agenda_blocks, "talk_date": _talk_blocks}


def setting_modal(setting: str, s: Settings, t: Translator) -> View:
    """The form of one setting, filled in with its current value."""
    title = {"hours": t("Arbetstid"), "days_off": t("Lediga dagar"), "agenda_time": t("Agendatid"), "talk_date": t("Utvecklingssamtal")}[
        setting
    ]
    return _form(ids.SETTING_MODAL, ids.setting_value(setting, s.pair.id), title, t("Spara"), _SETTING_BLOCKS[setting](s, t), t)


def unreadable_date(t: Translator) -> str:
    return t("Välj ett datum i kalendern.")


def broken_button(t: Translator) -> str:
    """A settings button or form whose value is not ours (an old or tampered view)."""
    return t("Knappen fungerar inte längre. Öppna fliken *Hem* i Samspel igen.")
