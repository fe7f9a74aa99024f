"""Spelregler as plain values: the sections, the template, and the rules for a new version.

Each version holds one text per section, under the headings the SKL workshop (seed 000)
proposes. A new pair starts from a template based on Örebro's spelregler (seed 004), as
version 1 with the author "samspel".

The section headings are stored (as keys) and the template is written in Swedish: the
pair's own document, from a Swedish source. They are data here; the presenter shows the
headings translated (bot/presenters/spelregler.py `heading_label`), the texts as written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

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


@dataclass(frozen=True)
class Version:
    """One stored version of a pair's spelregler."""

    number: int
    sections: Mapping[str, str]
    author: str
    created_at: datetime

    def text(self, heading: str) -> str:
        return str((self.sections or {}).get(heading, ""))

    @property
    def by_samspel(self) -> bool:
        return self.author == TEMPLATE_AUTHOR

    @property
    def uses_template(self) -> bool:
        """Whether any section still holds the (Swedish) template text."""
        return any(self.text(h) == TEMPLATE[h] for h in SECTIONS)


@dataclass(frozen=True)
class TooLong:
    """A section over the length limit: which one (its place in the form), and how long it is."""

    index: int
    heading: str
    length: int


def cleaned(texts: Mapping[str, str]) -> dict[str, str]:
    """heading → stripped text, for every section in order (a missing one is empty)."""
    return {heading: (texts.get(heading) or "").strip() for heading in SECTIONS}


def too_long(texts: Mapping[str, str], limit: int) -> TooLong | None:
    """The first section longer than `limit` characters, if any."""
    for index, heading in enumerate(SECTIONS):
        length = len(texts.get(heading, ""))
        if length > limit:
            return TooLong(index, heading, length)
    return None


def changed_sections(new: Mapping[str, str], old: Version) -> list[str]:
    """The headings whose text differs from `old` (the diff a new version records)."""
    return [h for h in SECTIONS if new.get(h, "") != old.text(h)]
