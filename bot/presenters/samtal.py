"""The utvecklingssamtal in words: reminders phrased for the day they arrive, the material post, the notices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.domain import samtal as schedule
from bot.domain.spelregler import Version
from bot.i18n import N_, Translator
from bot.presenters import rapport as rapport_text
from bot.presenters import spelregler as spelregler_text
from bot.presenters.blocks import DIVIDER, Block, header, section
from bot.presenters.incidents import owner_label
from bot.services.rapport import Incident, YearFigures
from bot.services.spelregler import CanvasRef
from bot.text import escape, fmt_date_year, one_line

# The workshop's prompts for the talk (seed 000), as written there; each is translated where it is shown.
WORKSHOP_QUESTIONS: tuple[str, ...] = (
    N_("Vilka mål/löften är viktigast att fokusera på?"),
    N_("Hur arbetsfördelning ska vara mellan oss?"),
    N_("Hur vi ska samarbeta?"),
    N_("Hur ska vi styra och leda tillsammans?"),
)
SUCCESS_FACTORS: tuple[str, ...] = (
    N_("Politisk styrning genom visioner, mål och uppföljning"),
    N_("Struktur i styrningen och uppdragen"),
    N_("Dialog"),
    N_("Förtroende och tillit"),
    N_("En kultur för medskapande och förnyelse"),
)
INCIDENT_LIMIT = 15


@dataclass(frozen=True)
class Talkers:
    """Who the talk is between, and where the pair's channel is."""

    kso: str
    kd: str
    channel: str


def _number(n: int, t: Translator) -> str:
    """Numbers up to twelve as words ('fyra veckor'), as Swedish prose writes them; larger ones as digits."""
    words = {
        2: t("två"),
        3: t("tre"),
        4: t("fyra"),
        5: t("fem"),
        6: t("sex"),
        7: t("sju"),
        8: t("åtta"),
        9: t("nio"),
        10: t("tio"),
        11: t("elva"),
        12: t("tolv"),
    }
    return words.get(n, str(n))


def when_phrase(talk: date, on: date, t: Translator) -> str:
    """'är om fyra veckor', 'är i morgon', 'skulle ha hållits för en vecka sedan' … as seen on `on`."""
    days = schedule.days_until(talk, on)
    if days == 0:
        return t("är i dag")
    if days == 1:
        return t("är i morgon")
    if days > 0:
        if days % 7 == 0:
            weeks = days // 7
            # Worded before the call: Babel's extractor reads a `t` among ngettext's arguments as a new t() call.
            number = _number(weeks, t)
            return t.ngettext("är om en vecka", "är om {weeks} veckor", weeks, weeks=number)
        number = _number(days, t)
        return t.ngettext("är om en dag", "är om {days} dagar", days, days=number)
    late = -days
    if late % 7 == 0:
        number = _number(late // 7, t)
        return t.ngettext("skulle ha hållits för en vecka sedan", "skulle ha hållits för {weeks} veckor sedan", late // 7, weeks=number)
    number = _number(late, t)
    return t.ngettext("skulle ha hållits i går", "skulle ha hållits för {days} dagar sedan", late, days=number)


def reminder_text(talkers: Talkers, user: str, talk: date, on: date, t: Translator) -> str:
    """A reminder DM for `user`, phrased for the day it is delivered."""
    lines = [t(":calendar: *Utvecklingssamtalet {when}* ({day}).").format(when=when_phrase(talk, on, t), day=fmt_date_year(talk, t))]
    if user == talkers.kso:
        lines.append(t("Du håller samtalet med <@{kd}>. Då utvärderar och uppdaterar ni också era spelregler.").format(kd=talkers.kd))
    else:
        lines.append(t("<@{kso}> håller samtalet med dig. Då utvärderar och uppdaterar ni också era spelregler.").format(kso=talkers.kso))
    if not schedule.material_sent_by(talk, on):
        lines.append(t("Underlaget med årets siffror kommer i <#{channel}> två veckor innan.").format(channel=talkers.channel))
    else:
        lines.append(t("Underlaget med årets siffror finns i <#{channel}>.").format(channel=talkers.channel))
    if on > talk:
        lines.append(
            t(
                "Har ni redan hållit samtalet? Skriv `/spelregler genomfört`, så slutar påminnelserna. "
                "Nytt datum: `/samspel utvecklingssamtal ÅÅÅÅ-MM-DD`."
            )
        )
    else:
        lines.append(t("När samtalet är hållet: `/spelregler genomfört`. Ändra datum: `/samspel utvecklingssamtal ÅÅÅÅ-MM-DD`."))
    return "\n".join(lines)


def _spelregler_link(version: Version, canvas: CanvasRef, timezone: str, t: Translator) -> list[Block]:
    """The current spelregler as a link to the channel canvas that holds them."""
    text = t("*Gällande spelregler*: {byline}.").format(byline=spelregler_text.byline(version, timezone, t))
    return [section(text), spelregler_text.canvas_link(canvas.canvas_id, t("Läs dem i kanalens canvas:"))]


def material_message(
    talkers: Talkers, talk: date, figures: YearFigures, version: Version, timezone: str, t: Translator, canvas: CanvasRef | None = None
) -> tuple[str, list[Block]]:
    """The post for the pair channel: the year in figures and the current spelregler.

    With `canvas` (the channel canvas holds this version) the spelregler are a link to it, not the whole text.
    """
    intro = t(
        "Utvecklingssamtalet är {day}: <@{kso}> håller det med <@{kd}>. "
        "Här är underlaget: årets siffror och era gällande spelregler, som ni utvärderar och uppdaterar vid "
        "samtalet. Efteråt: `/spelregler genomfört`."
    ).format(day=fmt_date_year(talk, t), kso=talkers.kso, kd=talkers.kd)
    blocks: list[Block] = [header(t("Underlag för utvecklingssamtalet")), section(intro)]
    blocks += [section(chunk) for chunk in spelregler_text.split_text(rapport_text.slack_text(figures, t), 2900)]
    blocks += [section(chunk) for chunk in spelregler_text.split_text(incidents_text(figures.incidents, t), 2900)]
    blocks += [section(prompts_text(t)), DIVIDER]
    # The fallback text (notifications, screen readers) says where the spelregler are when the blocks only link to them.
    if canvas is not None:
        blocks += _spelregler_link(version, canvas, timezone, t)
        text = t("Underlag för utvecklingssamtalet {day}: årets siffror och era spelregler, som finns i kanalens canvas.")
    else:
        blocks += spelregler_text.blocks(version, timezone, t, title=t("Gällande spelregler"))
        text = t("Underlag för utvecklingssamtalet {day}: årets siffror och era spelregler.")
    return text.format(day=fmt_date_year(talk, t)), blocks[:50]


def moved_text(talk: date, old: date | None, t: Translator) -> str:
    """The channel post that the talk has a new date."""
    if old is not None:
        return t(
            ":calendar: Utvecklingssamtalet är flyttat från {old} till *{new}*. Ni får nästa påminnelse enligt det nya datumet."
        ).format(old=fmt_date_year(old, t), new=fmt_date_year(talk, t))
    return t(":calendar: Utvecklingssamtalet är flyttat till *{new}*. Ni får nästa påminnelse enligt det nya datumet.").format(
        new=fmt_date_year(talk, t)
    )


def recorded_post(user: str, next_talk: date, t: Translator) -> str:
    """The channel post that the talk was held."""
    return t(
        ":white_check_mark: <@{user}> har registrerat att utvecklingssamtalet är genomfört. "
        "Nästa utvecklingssamtal: {next}. "
        "Spara de uppdaterade spelreglerna med `/spelregler uppdatera`."
    ).format(user=user, next=fmt_date_year(next_talk, t))


def _incident_line(incident: Incident, t: Translator) -> str:
    text = escape(one_line(incident.text, 200))
    if incident.closed is None:
        return t("• {day}: {text} · fortfarande öppen").format(day=incident.created.isoformat(), text=text)
    if not incident.resolution:
        return t("• {day}: {text} · stängd {closed}").format(
            day=incident.created.isoformat(), text=text, closed=incident.closed.isoformat()
        )
    return t("• {day}: {text} · klarades ut {closed}: {note} (uppföljning: {owner})").format(
        day=incident.created.isoformat(),
        text=text,
        closed=incident.closed.isoformat(),
        note=escape(one_line(incident.resolution, 300)),
        owner=owner_label(incident.owner, t),
    )


def incidents_text(incidents: list[Incident], t: Translator) -> str:
    """The year's incidents (seed 004: "Har det funnits incidenter som behöver följas upp och klaras ut?")."""
    lines = [t("*Årets incidenter och hur de klarades ut*")]
    if not incidents:
        lines.append(t("Inga incidenter på agendan under året."))
    lines += [_incident_line(i, t) for i in incidents[:INCIDENT_LIMIT]]
    if len(incidents) > INCIDENT_LIMIT:
        lines.append(t("• … och {more} till (se exporten för diariet)").format(more=len(incidents) - INCIDENT_LIMIT))
    return "\n".join(lines)


def prompts_text(t: Translator) -> str:
    """The workshop's four questions and five success factors (seed 000), as prompts next to the figures."""
    lines = [
        t("*Att samtala om*"),
        t("För att uppnå det gemensamma uppdraget och för att öka genomslag och resultat av politiken är det bra att komma överens om:"),
    ]
    lines += [f"{n}. {t(question)}" for n, question in enumerate(WORKSHOP_QUESTIONS, start=1)]
    lines.append("\n" + t("*Framgångsfaktorer:* hur väl lever vi upp till dem?"))
    lines += [f"{n}. {t(factor)}" for n, factor in enumerate(SUCCESS_FACTORS, start=1)]
    return "\n".join(lines)
