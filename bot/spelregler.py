"""Spelregler: the pair's own working rules, stored as numbered versions.

Each version holds one text per section, under the headings the SKL workshop
(seed 000) proposes. A new pair starts from a template based on Örebro's
spelregler (seed 004); it is created lazily, on first use, as version 1 with
the author "samspel". Every later save is a new version with its author and
date, so the yearly evaluation can be traced.

The section headings are stored (as keys) and the template is written in
Swedish: the pair's own document, from a Swedish source. In English mode the
headings are shown translated (`heading_label`), the texts as written, with a
note while the Swedish template text is still in use.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.errors import UserError
from bot.i18n import _, language
from bot.models import Pair, SpelreglerVersion
from bot.services import audit
from bot.text import MAX_TEXT, escape, fmt_when

TEMPLATE_AUTHOR = "samspel"

SECTIONS: tuple[str, ...] = (
    "Uppdraget – det gemensamma",
    "Fokus på de närmaste åren",
    "Ordförandes uppdrag och ansvar",
    "Chefens uppdrag och ansvar",
    "Möten och kontakter",
    "Vårt samarbete",
    "Tillgänglighet för varandra och vårt förhållningssätt",
    "Utvecklingssamtal",
)


def heading_label(heading: str) -> str:
    """A section heading as shown to people; the stored key stays Swedish."""
    labels = dict(zip(SECTIONS, (
        _("Uppdraget – det gemensamma"),
        _("Fokus på de närmaste åren"),
        _("Ordförandes uppdrag och ansvar"),
        _("Chefens uppdrag och ansvar"),
        _("Möten och kontakter"),
        _("Vårt samarbete"),
        _("Tillgänglighet för varandra och vårt förhållningssätt"),
        _("Utvecklingssamtal"),
    ), strict=True))
    return labels.get(heading, heading)


class SectionTooLong(UserError):
    """A section over the length limit; `index` says which field of the form to mark."""

    def __init__(self, message: str, index: int) -> None:
        super().__init__(message)
        self.index = index

TEMPLATE: dict[str, str] = {
    SECTIONS[0]: (
        "Vårt gemensamma uppdrag är att arbeta för medborgarna och kommunens bästa, med kommunens vision som "
        "ledstjärna.\n\n"
        "För att skapa genomslag och resultat av politiken leder vi kommunen tillsammans."
    ),
    SECTIONS[1]: (
        "Övergripande strategiska områden för mandatperioden (skriv era egna; Örebros var):\n"
        "1. Hållbar tillväxt: kommunen verkar för både tillväxt och minskad klimatpåverkan.\n"
        "2. Människors egenmakt: den som vill bidra till kommunens utveckling ska få möjlighet till det.\n"
        "3. Barns och ungas behov: tidiga insatser och förebyggande arbete ger fler barn en bra uppväxt.\n"
        "4. Trygg välfärd: en kommun där människor vill växa upp, arbeta och bli gamla.\n\n"
        "Konkreta uppdrag specificeras årligen i budgeten och följs upp."
    ),
    SECTIONS[2]: (
        "Kommunstyrelsens ordförande, KSO, har uppdrag att företräda majoriteten i styrningen av den kommunala "
        "verksamheten genom att arbeta fram vision, mål, inriktning och resursfördelning samt uppföljning av detta. "
        "Ordföranden är ytterst ansvarig inför medborgarna som företrädare för kommunen.\n\n"
        "Ordföranden har ett helhetsansvar för kommunens samtliga verksamheter på delegation och uppdrag av KS, "
        "och regleras främst utifrån kommunallagen.\n\n"
        "KSO har ansvar för kontakterna med nämndsordförandena.\n\n"
        "KSO ansvarar för att kommunen representeras med lämplig person vid externa kontakter med t.ex. "
        "näringslivet, regionala eller statliga organ, andra kommuner och regioner samt medborgare och organisationer."
    ),
    SECTIONS[3]: (
        "Kommundirektören, KD, är kommunens högste ledande tjänsteman och chef för förvaltningscheferna och "
        "kommundirektörens stab. Uppdrag kommer från kommunstyrelsen genom KSO.\n\n"
        "KD svarar för beredning och verkställighet av övergripande karaktär samt för uppföljning av hela den "
        "kommunala verksamheten. I uppdraget ligger att leda och utveckla hela organisationen, utveckla en "
        "helhetssyn och samordna förvaltnings- och bolagscheferna.\n\n"
        "KD arbetar med stor integritet när det gäller information och underlag för beslut, och tjänar främst "
        "majoriteten men även oppositionen i styrelsen."
    ),
    SECTIONS[4]: (
        "Kontakter\n"
        "• Internt: i politiska frågor är KSO ansvarig före beslut i KS. Därefter tar KD över ansvaret.\n"
        "• Media: KSO har huvudansvaret.\n"
        "• Gentemot partierna: KSO ansvarar för rådsberedningarna och KD för oppositionsberedningarna.\n\n"
        "Möten på måndagar\n"
        "1. KSO och KD träffas på förmiddagen i två timmar. Agenda: status för de politiska besluten; KD lämnar över "
        "färdigberedda ärenden och KSO avgör om de är tillräckligt beredda för att gå vidare till KS; KSO överlämnar "
        "nya uppdrag till KD; prioriteringar som behöver stämmas av; frågor där det råder osäkerhet i uppdraget; "
        "information för att hålla ihop styrningen; incidenter som behöver följas upp; olösta frågor; kommande "
        "frågor inom den närmaste framtiden.\n"
        "2. På eftermiddagen träffas majoritetsledningen och KD i rådsmöte och går igenom ärendena till KS samt "
        "aktuella frågor som berör hela kommunledningen."
    ),
    SECTIONS[5]: (
        "Vårt samarbete kännetecknas av respekt och förståelse för varandras uppdrag och fritid. Vi arbetar för "
        "ett öppet och ärligt klimat för att bygga förtroende och tillit, främst genom en bra dialog. Vi informerar "
        "alltid varandra snabbt vid behov. Det finns en ömsesidig tillit som bygger på att allt inte kan stämmas av. "
        "Vi vill varandras framgång och arbetar för att skickliggöra varandra."
    ),
    SECTIONS[6]: (
        "• Transparens: vi informerar snabbt om sådant som kan förväntas vara relevant för den andre.\n"
        "• Lyssnande: vi anstränger oss för att förstå hur den andre ser på viktiga frågor, och varför de är "
        "viktiga för den andre.\n"
        "• Tydlighet: vi säger hur vi tycker och tänker, är specifika och konkreta och säger vilka önskemål vi har "
        "på den andre.\n"
        "• Tillförlitlighet: vi håller vad vi har lovat, eller informerar om varför vi inte kan det.\n"
        "• Respekt: vi styr upp våra frågor och behandlar dem i huvudsak vid våra möten. Vi undviker att störa "
        "varandra utanför ordinarie arbetstid och kontaktar varandra under helger endast i riktigt akuta frågor.\n"
        "• Positiv återkoppling: vi visar uppskattning för den andres kvaliteter och prestationer."
    ),
    SECTIONS[7]: (
        "Genomförs av kommunstyrelsens ordförande med kommundirektören en gång per år. Då genomförs även en "
        "utvärdering och uppdatering av dessa spelregler."
    ),
}


def current(session: Session, pair: Pair, now: datetime) -> SpelreglerVersion:
    """The pair's newest version; version 1 from the template is created on first use."""
    row = _latest(session, pair.id)
    if row is not None:
        return row
    try:
        # A savepoint, so a concurrent first use (unique pair_id+version) does not spoil the caller's transaction.
        with session.begin_nested():
            # Dated when the pair was connected: the template has applied since then, not since first shown.
            row = SpelreglerVersion(pair_id=pair.id, version=1, sections=dict(TEMPLATE), author=TEMPLATE_AUTHOR,
                                    created_at=min(pair.created_at, now))
            session.add(row)
    except IntegrityError:
        row = _latest(session, pair.id)
        assert row is not None
    return row


def _latest(session: Session, pair_id: int) -> SpelreglerVersion | None:
    return session.scalars(
        select(SpelreglerVersion).where(SpelreglerVersion.pair_id == pair_id)
        .order_by(SpelreglerVersion.version.desc()).limit(1)
    ).first()


def versions(session: Session, pair: Pair, now: datetime) -> list[SpelreglerVersion]:
    """Every version, newest first."""
    current(session, pair, now)
    return list(session.scalars(
        select(SpelreglerVersion).where(SpelreglerVersion.pair_id == pair.id).order_by(SpelreglerVersion.version.desc())
    ))


def get_version(session: Session, pair: Pair, number: int, now: datetime) -> SpelreglerVersion:
    current(session, pair, now)
    row = session.scalar(
        select(SpelreglerVersion).where(SpelreglerVersion.pair_id == pair.id, SpelreglerVersion.version == number)
    )
    if row is None:
        count = session.scalar(select(func.count(SpelreglerVersion.id)).where(SpelreglerVersion.pair_id == pair.id))
        raise UserError(_("Det finns ingen version {number}: ni har version 1–{count}. Se `/spelregler versioner`.")
                        .format(number=number, count=count))
    return row


def section_text(version: SpelreglerVersion, heading: str) -> str:
    return str((version.sections or {}).get(heading, ""))


def save_version(
    session: Session, pair: Pair, *, author: str, texts: dict[str, str], base_version: int | None, now: datetime
) -> SpelreglerVersion:
    """Store `texts` (heading → text) as a new version by `author`.

    `base_version` is the version the author started editing from; if the other
    member saved in the meantime, the save is refused instead of silently
    overwriting their changes.
    """
    latest = current(session, pair, now)
    if base_version is not None and base_version != latest.version:
        who = "Samspel" if latest.author == TEMPLATE_AUTHOR else f"<@{latest.author}>"
        raise UserError(_("{who} sparade version {version} medan du skrev. Stäng formuläret och öppna det igen, "
                          "så utgår du från den senaste versionen.").format(who=who, version=latest.version))
    cleaned = {heading: (texts.get(heading) or "").strip() for heading in SECTIONS}
    for index, (heading, text) in enumerate(cleaned.items()):
        if len(text) > MAX_TEXT:
            raise SectionTooLong(_("Avsnittet ”{heading}” är för långt ({length} tecken): högst {limit}.").format(
                heading=heading_label(heading), length=len(text), limit=MAX_TEXT), index)
    if not any(cleaned.values()):
        raise UserError(_("Alla avsnitt är tomma: skriv era spelregler innan du sparar."))
    if cleaned == {h: section_text(latest, h) for h in SECTIONS}:
        raise UserError(_("Inga ändringar jämfört med version {version}: inget nytt har sparats.")
                        .format(version=latest.version))
    row = SpelreglerVersion(pair_id=pair.id, version=latest.version + 1, sections=cleaned, author=author, created_at=now)
    session.add(row)
    session.flush()
    changed = [h for h in SECTIONS if cleaned[h] != section_text(latest, h)]
    audit.record(session, pair_id=pair.id, actor=author, action="spelregler_ny_version", entity="spelregler",
                 entity_id=row.id, at=now, before={"version": latest.version},
                 after={"version": row.version, "ändrade_avsnitt": changed})
    return row


def author_label(version: SpelreglerVersion) -> str:
    if version.author == TEMPLATE_AUTHOR:
        return _("Samspel (mall från Örebros spelregler)")
    return f"<@{version.author}>"


def byline(version: SpelreglerVersion, timezone: str) -> str:
    return _("Version {version}, sparad {when} av {author}").format(
        version=version.version, when=fmt_when(version.created_at, timezone), author=author_label(version))


def template_note(version: SpelreglerVersion) -> str | None:
    """In English: say that the text is the pair's own (Swedish) document while the template is still in it."""
    if language() != "en" or not any(section_text(version, h) == TEMPLATE[h] for h in SECTIONS):
        return None
    return _("Rubrikerna är översatta, men texten är ert eget dokument och visas som den skrevs. Mallens text "
             "kommer från Örebros spelregler och är på svenska: ersätt den med era egna ord med "
             "`/spelregler uppdatera`.")


def blocks(version: SpelreglerVersion, timezone: str, *, title: str | None = None) -> list[dict[str, Any]]:
    """Block Kit for one version; user text escaped, long sections split to fit Slack's limits."""
    out: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": title or _("Våra spelregler")}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": byline(version, timezone)}]},
    ]
    note = template_note(version)
    if note:
        out.append({"type": "context", "elements": [{"type": "mrkdwn", "text": note}]})
    for heading in SECTIONS:
        body = escape(section_text(version, heading)) or "_" + _("(tomt)") + "_"
        chunks = split_text(f"*{heading_label(heading)}*\n{body}", 2900)
        out.extend({"type": "section", "text": {"type": "mrkdwn", "text": chunk}} for chunk in chunks)
    return out


def split_text(text: str, size: int) -> list[str]:
    """Split at line breaks where possible, never above `size` characters."""
    chunks: list[str] = []
    while len(text) > size:
        cut = text.rfind("\n", 0, size)
        if cut <= 0:
            cut = size
        chunks.append(text[:cut])
        text = text[cut:].lstrip("\n")
    chunks.append(text)
    return chunks


def versions_text(rows: list[SpelreglerVersion], timezone: str) -> str:
    lines = [_("*Spelreglernas versioner* (nyast först)")]
    for row in rows:
        lines.append(_("• Version {version}: {when}, {author}").format(
            version=row.version, when=fmt_when(row.created_at, timezone), author=author_label(row)))
    lines.append(_("Visa en äldre version med `/spelregler version <nr>`."))
    return "\n".join(lines)


MODAL_CALLBACK = "spelregler_uppdatera"
OPEN_ACTION = "spelregler_uppdatera"
FIELD_ACTION = "text"


def block_id(index: int) -> str:
    return f"avsnitt_{index}"


def modal_view(version: SpelreglerVersion, private_metadata: str) -> dict[str, Any]:
    """The edit form: one multiline field per section, prefilled with the current text."""
    inputs: list[dict[str, Any]] = [
        {"type": "context", "elements": [{"type": "mrkdwn", "text":
            _("Du utgår från version {version}. När du sparar blir det version {next}, "
              "med dig som författare; de äldre versionerna finns kvar.").format(
                version=version.version, next=version.version + 1)}]},
    ]
    note = template_note(version)
    if note:
        inputs.append({"type": "context", "elements": [{"type": "mrkdwn", "text": note}]})
    for index, heading in enumerate(SECTIONS):
        element: dict[str, Any] = {"type": "plain_text_input", "action_id": FIELD_ACTION, "multiline": True,
                                   "max_length": MAX_TEXT}
        text = section_text(version, heading)
        if text:
            element["initial_value"] = text[:MAX_TEXT]
        inputs.append({"type": "input", "block_id": block_id(index), "optional": True,
                       "label": {"type": "plain_text", "text": heading_label(heading)[:2000]}, "element": element})
    return {
        "type": "modal", "callback_id": MODAL_CALLBACK, "private_metadata": private_metadata,
        "title": {"type": "plain_text", "text": _("Spelregler")},
        "submit": {"type": "plain_text", "text": _("Spara ny version")},
        "close": {"type": "plain_text", "text": _("Avbryt")},
        "blocks": inputs,
    }


def texts_from_state(values: dict[str, dict[str, Any]]) -> dict[str, str]:
    """heading → text from a view_submission's state.values."""
    out: dict[str, str] = {}
    for index, heading in enumerate(SECTIONS):
        field = (values.get(block_id(index)) or {}).get(FIELD_ACTION) or {}
        out[heading] = field.get("value") or ""
    return out
