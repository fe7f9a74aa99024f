"""What a person is told about their own settings: the language Samspel writes to them in."""

from __future__ import annotations

from bot.i18n import LANGUAGES, Translator
from bot.services.people import LanguageSet, PairLanguageSet
from bot.text import language_name

# What `/samspel språk` takes: every language with a catalog, or auto.
LANGUAGE_CHOICES = "|".join(LANGUAGES)


def language_answer(chosen: LanguageSet, t: Translator) -> str:
    """The answer to `/samspel språk`, in the language just chosen (`t`)."""
    name = language_name(chosen.language, t)
    if chosen.follows_slack:
        first = t("Samspel följer nu språket i din Slack och skriver till dig på {language}.").format(language=name)
    else:
        first = t("Samspel skriver nu till dig på {language}.").format(language=name)
    return (
        first
        + " "
        + t(
            "Det ni ser tillsammans (parets kanal, agendan) är på parets språk: KSO:ns, om ni inte väljer ett med "
            "`/samspel språk par {choices}`. `/samspel språk auto` följer Slack igen."
        ).format(choices=LANGUAGE_CHOICES)
    )


def pair_language_answer(chosen: PairLanguageSet, t: Translator) -> str:
    """The answer to `/samspel språk par`, in the language of the person who set it (`t`)."""
    name = language_name(chosen.language, t)
    if chosen.follows_kso:
        return t("Det ni ser tillsammans (parets kanal, agendan) följer nu KSO:ns språk, just nu {language}.").format(language=name)
    return t("Det ni ser tillsammans (parets kanal, agendan) är nu på {language}, vem av er som än skriver det.").format(language=name)
