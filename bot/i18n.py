"""The language of the bot's texts: a `Translator` handed to whoever renders text.

The source strings are Swedish (the users' language and the default). A `Translator` for
another language looks each one up in its gettext catalog, `bot/locale/<language>/LC_MESSAGES/samspel.po`
(read with Babel; msgid the Swedish text, msgstr the translation, plurals as msgid_plural/msgstr[n]
under the catalog's own Plural-Forms rule). English is the one there is; a language is added with its
catalog alone.
Strings with values use named fields: `t("Hålls till {when}").format(when=...)`, or
`t.ngettext("{n} dag", "{n} dagar", n)`, which fills in `n` itself.

Presenters take the translator as an argument (conventionally `t`); services and the domain
never see one: a refusal is a `UserError(N_("..."), **fields)`, rendered by the edge in the
person's language. `tests/unit/test_i18n.py` checks that every marked string has a translation, and that Babel's
extractor (`pybabel extract -F babel.cfg`) finds exactly the catalog's msgids.

There is no module-level language state: whoever renders is handed a translator.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from gettext import GNUTranslations, NullTranslations
from io import BytesIO
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

# The language the texts are written in, and the default where no one has said otherwise.
SOURCE_LANGUAGE = "sv"
DOMAIN = "samspel"
# One gettext .po catalog per language (msgid the Swedish source): bot/locale/<language>/LC_MESSAGES/samspel.po.
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
PO_FILE = LOCALE_DIR / "en" / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalog_languages(locale_dir: Path = LOCALE_DIR) -> tuple[str, ...]:
    """The languages that have a catalog: a new language is a new .po file, and no code."""
    return tuple(sorted(po.parent.parent.name for po in locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")))


LANGUAGES = (SOURCE_LANGUAGE, *(language for language in catalog_languages() if language != SOURCE_LANGUAGE))


@cache
def catalog(language: str, locale_dir: Path = LOCALE_DIR) -> Catalog:
    """The language's catalog as Babel reads it. A missing file is an error, not Swedish for everyone: it is package data."""
    with (locale_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as f:
        return read_po(f, locale=language, domain=DOMAIN)


@cache
def translations(language: str, locale_dir: Path = LOCALE_DIR) -> NullTranslations:
    """gettext's translations for the language, with its catalog's own plural rule (Plural-Forms).

    Compiled in memory (Babel's write_mo), so the .po file is the only thing shipped; untranslated
    and fuzzy entries are left out, so gettext falls back to the Swedish source for them. A language
    without a catalog (no Translator has one: LANGUAGES are those with a file) gets the source texts.
    """
    if language not in catalog_languages(locale_dir):
        return NullTranslations()
    compiled = BytesIO()
    write_mo(compiled, catalog(language, locale_dir))
    compiled.seek(0)
    return GNUTranslations(compiled)


def _messages(language: str) -> tuple[dict[str, str], dict[tuple[str, str], tuple[str, ...]]]:
    singles: dict[str, str] = {}
    plurals: dict[tuple[str, str], tuple[str, ...]] = {}
    for message in catalog(language):
        ids, strings = message.id, message.string
        if not ids or not strings:
            continue  # the header, or a text not yet translated (the tests catch that)
        if message.pluralizable:
            plurals[(str(ids[0]), str(ids[1]))] = tuple(str(s) for s in strings)
        elif isinstance(ids, str) and isinstance(strings, str):
            singles[ids] = strings
    return singles, plurals


def english_catalog() -> dict[str, str]:
    """Every English translation, keyed by its Swedish source string."""
    return _messages("en")[0]


def english_plurals() -> dict[tuple[str, str], tuple[str, ...]]:
    """Every English plural form, keyed by its Swedish (singular, plural)."""
    return _messages("en")[1]


@dataclass(frozen=True)
class Translator:
    """Texts in one language: the Swedish source as it is, any other through its gettext catalog."""

    language: str = SOURCE_LANGUAGE

    def __post_init__(self) -> None:
        if self.language not in LANGUAGES:
            raise ValueError(self.language)

    def gettext(self, text: str) -> str:
        if self.language == SOURCE_LANGUAGE:
            return text
        return translations(self.language).gettext(text)

    __call__ = gettext

    def ngettext(self, singular: str, plural: str, n: int, **fields: Any) -> str:
        """The form for `n` by the language's plural rule, with `{n}` and any other named fields filled in."""
        if self.language == SOURCE_LANGUAGE:
            form = singular if n == 1 else plural
        else:
            form = translations(self.language).ngettext(singular, plural, n)
        return form.format(n=n, **fields)

    @property
    def english(self) -> bool:
        return self.language == "en"


@cache
def _translator(language: str) -> Translator:
    return Translator(language)


def translator(language: str = SOURCE_LANGUAGE) -> Translator:
    """The translator for `language` (one of LANGUAGES); with none, the Swedish source texts as they are.

    There is no process-wide language: the edge hands each presenter the translator of whoever
    reads (`bot.services.people`), the CLI the one of SAMSPEL_LANGUAGE.
    """
    return _translator(language)


def language_of_locale(locale: str | None, default: str = "sv") -> str:
    """Slack's `users.info` locale ("en-US", "sv-SE") → one of LANGUAGES."""
    if not locale:
        return default
    code = locale.replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES else default


def N_(text: str) -> str:
    """Marks a constant for translation where it is defined; a translator translates it where it is shown."""
    return text
