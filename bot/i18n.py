"""The language of the bot's texts.

The source strings are Swedish (the users' language and the default). With
SAMSPEL_LANGUAGE=en, `_()` looks each one up in the English catalogs in
`bot/locale/en_*.py` (one per feature, each a dict `EN` of Swedish → English).
Strings with values use named fields: `_("Hålls till {when}").format(when=...)`.
`tests/test_i18n.py` checks that every `_()` string has a translation.
"""

from __future__ import annotations

import importlib
import pkgutil
import threading

LANGUAGES = ("sv", "en")
_state = {"language": "sv"}
_catalog: dict[str, str] = {}
_lock = threading.Lock()


def set_language(language: str) -> None:
    """Chosen once per process by the composition root (from SAMSPEL_LANGUAGE)."""
    if language not in LANGUAGES:
        raise ValueError(language)
    _state["language"] = language


def language() -> str:
    return _state["language"]


def english_catalog() -> dict[str, str]:
    """Every English translation, keyed by its Swedish source string."""
    with _lock:
        if not _catalog:
            import bot.locale as locale

            for module in pkgutil.iter_modules(locale.__path__):
                if module.name.startswith("en_"):
                    _catalog.update(importlib.import_module(f"bot.locale.{module.name}").EN)
        return _catalog


def N_(text: str) -> str:
    """Marks a constant for translation where it is defined; `_()` translates it where it is shown."""
    return text


def _(text: str) -> str:
    """`text` in the process's language (Swedish source strings are their own translation)."""
    if _state["language"] == "sv":
        return text
    return english_catalog().get(text, text)
