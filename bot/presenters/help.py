"""The command reference: one source for `hjälp`, the README and the manifest.

`COMMANDS` is the table (its texts marked with `N_`); `help_text` words it with the translator `t`.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import N_, Translator
from bot.presenters.people import LANGUAGE_CHOICES
from bot.text import escape


@dataclass(frozen=True)
class Usage:
    syntax: str
    example: str
    what: str


@dataclass(frozen=True)
class Command:
    name: str
    description: str
    hint: str
    usages: tuple[Usage, ...]


_CHOICES = f"{LANGUAGE_CHOICES}|auto"

COMMANDS: tuple[Command, ...] = (
    Command(
        "/samspel",
        N_("Koppla paret och ställ in arbetstid, agenda och utvecklingssamtal"),
        (
            "koppla @kso @kd | status | arbetstid HH:MM-HH:MM [dagar] | ledig ÅÅÅÅ-MM-DD[..ÅÅÅÅ-MM-DD] | "
            "agendatid [fredag] HH:MM | rådsmöte #kanal [HH:MM] | utvecklingssamtal ÅÅÅÅ-MM-DD | ks [ÅÅÅÅ-MM-DD …] | "
            f"stopptid <arbetsdagar> | möten | kalender [ny] | språk [par] {_CHOICES} | lämna | hjälp"
        ),
        (
            Usage(
                "koppla @kso @kd",
                "/samspel koppla @anna @bo",
                N_(
                    "föreslår den här privata kanalen som parets kanal (först KSO, sedan KD); paret finns när den andra "
                    "har godkänt i ett direktmeddelande från Samspel"
                ),
            ),
            Usage("status", "/samspel status", N_("visar paret, bådas arbetstid och lediga dagar och hur många meddelanden som hålls")),
            Usage("arbetstid HH:MM-HH:MM [dagar]", "/samspel arbetstid 08:00-17:00 mån-fre", N_("din egen arbetstid: när du får störas")),
            Usage(
                "ledig ÅÅÅÅ-MM-DD[..ÅÅÅÅ-MM-DD] [anteckning]",
                N_("/samspel ledig 2027-07-05..2027-07-30 semester"),
                N_("dina egna lediga dagar utöver helgdagarna"),
            ),
            Usage(
                "agendatid [fredag] HH:MM",
                "/samspel agendatid fredag 15:00",
                N_("när agendan postas: på mötesdagen, eller arbetsdagen före"),
            ),
            Usage("rådsmöte #kanal [HH:MM]", "/samspel rådsmöte #majoritetsledningen 13:00", N_("var rådsmötets ärendelista postas")),
            Usage("utvecklingssamtal ÅÅÅÅ-MM-DD", "/samspel utvecklingssamtal 2027-03-15", N_("datum för nästa utvecklingssamtal")),
            Usage(
                "ks [ÅÅÅÅ-MM-DD …]",
                "/samspel ks 2026-12-15 2027-01-19",
                N_("sätter KS-mötena (arbetsdagar); utan datum visas de med stopptid"),
            ),
            Usage(
                "stopptid <arbetsdagar>",
                "/samspel stopptid 10",
                N_("hur många arbetsdagar före KS ett ärende ska vara avgjort (standard 10)"),
            ),
            Usage("möten", "/samspel möten", N_("parets återkommande möten och kontakter, och vem som ansvarar för vart och ett")),
            Usage(
                "kalender [ny]",
                "/samspel kalender",
                N_(
                    "din privata kalenderlänk för Outlook med mötena, rådsmötet, KS och utvecklingssamtalet "
                    "(i Socket Mode: en kalenderfil i ditt DM); `ny` ger en ny länk och den gamla slutar fungera"
                ),
            ),
            Usage(f"språk {_CHOICES}", "/samspel språk en", N_("ditt eget språk: sv, en, eller auto för språket i din Slack")),
            Usage(
                f"språk par {_CHOICES}",
                "/samspel språk par en",
                N_("parets språk, i kanalen och agendan som ni båda ser: sv, en, eller auto för KSO:ns språk"),
            ),
            Usage("lämna", "/samspel lämna", N_("upplöser paret efter en bekräftelse; det som sparats finns kvar för export")),
        ),
    ),
    Command(
        "/uppdrag",
        N_("KSO:s uppdrag till KD"),
        "<text> [senast fredag|18 december|vecka 51|om två veckor] | lista | klart <nr> | oklart <nr> <fråga> | svar <nr> <text>",
        (
            Usage(
                "<text> [senast ÅÅÅÅ-MM-DD|idag|imorgon|fredag|nästa vecka|18 december|18/12|vecka 51|om två veckor|i slutet av månaden]",
                N_("/uppdrag Ta fram underlag om skolskjutsar senast fredag"),
                N_(
                    "KSO ger KD ett uppdrag (senast tar också t.ex. nästa fredag, den 18 dec, 18/12 2027, v. 51, "
                    "om 3 dagar, om 5 arbetsdagar och månadsskiftet; en vecka betyder dess sista arbetsdag)"
                ),
            ),
            Usage("lista", "/uppdrag lista", N_("öppna uppdrag, försenade först")),
            Usage("klart <nr>", "/uppdrag klart 3", N_("markera ett uppdrag som klart")),
            Usage("oklart <nr> <fråga>", N_("/uppdrag oklart 3 Gäller det även gymnasiet?"), N_("KD tar upp en osäkerhet i uppdraget")),
            Usage("svar <nr> <text>", N_("/uppdrag svar 3 Ja, även gymnasiet"), N_("KSO svarar på osäkerheten")),
        ),
    ),
    Command(
        "/arende",
        N_("Färdigberedda ärenden som KSO avgör"),
        "<titel> | lista | åter <nr>",
        (
            Usage(
                "<titel> [dnr/länk] [ks ÅÅÅÅ-MM-DD]",
                N_("/arende Detaljplan Norra hamnen KS 2026/123 ks 2026-12-08"),
                N_("KD lämnar över ett färdigberett ärende"),
            ),
            Usage("lista", "/arende lista", N_("ärenden som väntar, gått till KS eller återgått")),
            Usage(
                "åter <nr> [text]",
                N_("/arende åter 3 Kompletterat med konsekvensanalys"),
                N_("KD lämnar över ett återsänt ärende igen, med samma nummer och dess historik"),
            ),
        ),
    ),
    Command(
        "/meddela",
        N_("Skicka ett meddelande som respekterar arbetstiden"),
        "<text> | akut <text> | lista",
        (
            Usage("<text>", N_("/meddela Kan vi ta budgeten på måndag?"), N_("levereras inom mottagarens arbetstid")),
            Usage("akut <text>", N_("/meddela akut Brand på Rudbecksskolan, ring mig"), N_("levereras direkt, även helg")),
            Usage("lista", "/meddela lista", N_("dina meddelanden som hålls, med Ångra och Skicka nu som akut")),
        ),
    ),
    Command(
        "/agenda",
        N_("Måndagsagendan"),
        "[+ prioritering|info|incident|olöst|kommande|media <text>]",
        (
            Usage("(inget)", "/agenda", N_("förhandsvisar nästa agenda")),
            Usage(
                "+ <prioritering|info|incident|olöst|kommande> <text>",
                N_("/agenda + incident Läckan i simhallen"),
                N_("lägger till en punkt"),
            ),
            Usage(
                "+ media <text>",
                N_("/agenda + media SVT vill intervjua om budgeten"),
                N_("en mediefråga: först på agendan under information, och KSO får den genast inom sin arbetstid"),
            ),
        ),
    ),
    Command(
        "/spelregler",
        N_("Era spelregler och utvecklingssamtalet"),
        "[uppdatera | genomfört | versioner | version <nr>]",
        (
            Usage("(inget)", "/spelregler", N_("visar gällande spelregler")),
            Usage("uppdatera", "/spelregler uppdatera", N_("öppnar ett formulär och sparar en ny version")),
            Usage("genomfört", "/spelregler genomfört", N_("utvecklingssamtalet är hållet")),
            Usage("versioner", "/spelregler versioner", N_("tidigare versioner med författare")),
            Usage("version <nr>", "/spelregler version 1", N_("visar en äldre version")),
        ),
    ),
)

HELP_WORDS = frozenset({"hjälp", "hjalp", "help", "?"})


def help_text(command: str | None, t: Translator) -> str:
    """Every command (or one), each with an example."""
    chosen = [c for c in COMMANDS if command is None or c.name == command]
    lines: list[str] = []
    for cmd in chosen:
        lines.append(f"*{cmd.name}*: {t(cmd.description)}")
        for usage in cmd.usages:
            # Slack reads a bare <…> as markup, so the placeholders are entity-escaped.
            lines.append(
                t("• `{command} {syntax}`: {what}. Exempel: `{example}`").format(
                    command=cmd.name, syntax=escape(usage.syntax), what=t(usage.what), example=escape(t(usage.example))
                )
            )
    if command is not None:
        lines.append(t("Alla kommandon: `/samspel hjälp`"))
    else:
        lines.append(t("Meddelandegenvägen *Skicka med Samspel* (⋮ på ett meddelande) skickar det vidare enligt respektregeln."))
        lines.append(
            t(
                "Genvägen *Nytt uppdrag* (⚡ i meddelandefältet) öppnar ett formulär där KSO ger KD ett uppdrag "
                "med slutdatum. Knappen *Koppla paret* (i kanalen när Samspel bjuds in, och på fliken *Hem*) "
                "gör samma sak som `/samspel koppla`, och fliken *Hem* har knappar för arbetstid, lediga "
                "dagar, agendatid och utvecklingssamtal."
            )
        )
    return "\n".join(lines)
