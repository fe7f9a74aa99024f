"""The language of the bot's texts: a `Translator` handed to whoever renders text.

The source strings are Swedish (the users' language and the default). A `Translator` for
English looks each one up in the gettext catalog `bot/locale/en/LC_MESSAGES/samspel.po`
(read with Babel; msgid the Swedish text, msgstr the English, plurals as msgid_plural/msgstr[n]).
Strings with values use named fields: `t("Hålls till {when}").format(when=...)`, or
`t.ngettext("{n} dag", "{n} dagar", n)`, which fills in `n` itself.

Presenters take the translator as an argument (conventionally `t`); services and the domain
never see one: a refusal is a `UserError(N_("..."), **fields)`, rendered by the edge in the
person's language. `tests/test_i18n.py` checks that every marked string has a translation, and that Babel's
extractor (`pybabel extract -F babel.cfg`) finds exactly the catalog's msgids.

There is no module-level language state: whoever renders is handed a translator.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

LANGUAGES = ("sv", "en")
# The language the texts are written in, and the default where no one has said otherwise.
SOURCE_LANGUAGE = "sv"
_catalog: dict[str, str] = {}
_plurals: dict[tuple[str, str], tuple[str, str]] = {}
_lock = threading.Lock()


DOMAIN = "samspel"
# The English catalog: gettext's .po format, msgid the Swedish source, msgstr the English.
PO_FILE = Path(__file__).resolve().parent / "locale" / "en" / "LC_MESSAGES" / f"{DOMAIN}.po"


def _load() -> None:
    with _lock:
        if _catalog:
            return
        # A missing file is an error, not Swedish for everyone: it is shipped as package data.
        with PO_FILE.open("rb") as f:
            for message in read_po(f, locale="en", domain=DOMAIN):
                ids, strings = message.id, message.string
                if not ids or not strings:
                    continue  # the header, or a text not yet translated (the tests catch that)
                if message.pluralizable:
                    _plurals[(str(ids[0]), str(ids[1]))] = (str(strings[0]), str(strings[1]))
                elif isinstance(ids, str) and isinstance(strings, str):
                    _catalog[ids] = strings


def english_catalog() -> dict[str, str]:
    """Every English translation, keyed by its Swedish source string."""
    _load()
    return _catalog


def english_plurals() -> dict[tuple[str, str], tuple[str, str]]:
    """Every English plural pair, keyed by its Swedish (singular, plural)."""
    _load()
    return _plurals


@dataclass(frozen=True)
class Translator:
    """Texts in one language. Both languages have two plural forms: one, and everything else."""

    language: str = "sv"

    def __post_init__(self) -> None:
        if self.language not in LANGUAGES:
            raise ValueError(self.language)

    def gettext(self, text: str) -> str:
        if self.language == "sv":
            return text
        return english_catalog().get(text, text)

    __call__ = gettext

    def ngettext(self, singular: str, plural: str, n: int, **fields: Any) -> str:
        """The form for `n`, with `{n}` and any other named fields filled in."""
        forms = (singular, plural)
        if self.language != "sv":
            forms = english_plurals().get(forms, forms)
        return forms[0 if n == 1 else 1].format(n=n, **fields)

    @property
    def english(self) -> bool:
        return self.language == "en"


@cache
def _translator(language: str) -> Translator:
    return Translator(language)


def translator(language: str = SOURCE_LANGUAGE) -> Translator:
    """The translator for `language` ("sv"/"en"); with none, the Swedish source texts as they are.

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
