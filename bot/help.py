"""The command reference: one source for `hjälp`, the README and the manifest."""

from __future__ import annotations

from dataclasses import dataclass

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


COMMANDS: tuple[Command, ...] = (
    Command("/samspel", "Koppla paret och ställ in arbetstid, agenda och utvecklingssamtal", "koppla @kso @kd | status | hjälp", (
        Usage("koppla @kso @kd", "/samspel koppla @anna @bo", "gör den här kanalen till parets kanal (först KSO, sedan KD)"),
        Usage("status", "/samspel status", "visar paret, arbetstiden och hur många meddelanden som hålls"),
        Usage("arbetstid HH:MM-HH:MM [dagar]", "/samspel arbetstid 08:00-17:00 mån-fre", "när ni får störas"),
        Usage("ledig ÅÅÅÅ-MM-DD [anteckning]", "/samspel ledig 2027-05-07 klämdag", "en egen ledig dag utöver helgdagarna"),
        Usage("agendatid HH:MM", "/samspel agendatid 07:45", "när måndagsagendan postas"),
        Usage("rådsmöte #kanal [HH:MM]", "/samspel rådsmöte #majoritetsledningen 13:00", "var rådsmötets ärendelista postas"),
        Usage("utvecklingssamtal ÅÅÅÅ-MM-DD", "/samspel utvecklingssamtal 2027-03-15", "datum för nästa utvecklingssamtal"),
    )),
    Command("/uppdrag", "KSO:s uppdrag till KD", "<text> [senast ÅÅÅÅ-MM-DD] | lista | klart <nr>", (
        Usage("<text> [senast ÅÅÅÅ-MM-DD|idag|imorgon|fredag|nästa vecka]", "/uppdrag Ta fram underlag om skolskjutsar senast fredag", "KSO ger KD ett uppdrag (senast tar också övermorgon, en veckodag och nästa <veckodag>)"),
        Usage("lista", "/uppdrag lista", "öppna uppdrag, försenade först"),
        Usage("klart <nr>", "/uppdrag klart 3", "markera ett uppdrag som klart"),
        Usage("oklart <nr> <fråga>", "/uppdrag oklart 3 Gäller det även gymnasiet?", "KD tar upp en osäkerhet i uppdraget"),
        Usage("svar <nr> <text>", "/uppdrag svar 3 Ja, även gymnasiet", "KSO svarar på osäkerheten"),
    )),
    Command("/arende", "Färdigberedda ärenden som KSO avgör", "<titel> | lista", (
        Usage("<titel> [dnr/länk] [ks ÅÅÅÅ-MM-DD]", "/arende Detaljplan Norra hamnen KS 2026/123 ks 2026-12-08", "KD lämnar över ett färdigberett ärende"),
        Usage("lista", "/arende lista", "ärenden som väntar, gått till KS eller återgått"),
    )),
    Command("/meddela", "Skicka ett meddelande som respekterar arbetstiden", "<text> | akut <text> | lista", (
        Usage("<text>", "/meddela Kan vi ta budgeten på måndag?", "levereras inom mottagarens arbetstid"),
        Usage("akut <text>", "/meddela akut Brand på Rudbecksskolan, ring mig", "levereras direkt, även helg"),
        Usage("lista", "/meddela lista", "dina meddelanden som hålls, med Ångra och Skicka nu som akut"),
    )),
    Command("/agenda", "Måndagsagendan", "[+ typ text]", (
        Usage("(inget)", "/agenda", "förhandsvisar nästa agenda"),
        Usage("+ <prioritering|info|incident|olöst|kommande> <text>", "/agenda + incident Läckan i simhallen", "lägger till en punkt"),
    )),
    Command("/spelregler", "Era spelregler och utvecklingssamtalet", "[uppdatera | genomfört | versioner | version <nr>]", (
        Usage("(inget)", "/spelregler", "visar gällande spelregler"),
        Usage("uppdatera", "/spelregler uppdatera", "öppnar ett formulär och sparar en ny version"),
        Usage("genomfört", "/spelregler genomfört", "utvecklingssamtalet är hållet"),
        Usage("versioner", "/spelregler versioner", "tidigare versioner med författare"),
        Usage("version <nr>", "/spelregler version 1", "visar en äldre version"),
    )),
)

HELP_WORDS = frozenset({"hjälp", "hjalp", "help", "?"})


def help_text(command: str | None = None) -> str:
    """Every command (or one), each with an example."""
    chosen = [c for c in COMMANDS if command is None or c.name == command]
    lines: list[str] = []
    for cmd in chosen:
        lines.append(f"*{cmd.name}*: {cmd.description}")
        for usage in cmd.usages:
            # Slack reads a bare <…> as markup, so the placeholders are entity-escaped.
            lines.append(f"• `{cmd.name} {escape(usage.syntax)}`: {usage.what}. Exempel: `{escape(usage.example)}`")
    if command is not None:
        lines.append("Alla kommandon: `/samspel hjälp`")
    else:
        lines.append("Meddelandegenvägen *Skicka med Samspel* (⋮ på ett meddelande) skickar det vidare enligt respekt-regeln.")
    return "\n".join(lines)
