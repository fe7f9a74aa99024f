"""Every text marked for translation has its English, and English mode speaks English."""

from __future__ import annotations

import ast
from datetime import date, datetime

import pytest

from bot import i18n
from bot.text import fmt_date, fmt_when, swedish_holiday
from tests.support.paths import ROOT
from tests.support.world import STHLM


def _marked_calls() -> list[tuple[str, ast.Call]]:
    calls = []
    for folder in ("bot", "handlers", "jobs"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "locale" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call):
                    calls.append((f"{path.relative_to(ROOT)}:{node.lineno}", node))
    return calls


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def marked_strings() -> dict[str, str]:
    """Every literal passed to `_()`, `N_()`, a translator `t()` or `t.gettext()`, with where it stands."""
    found: dict[str, str] = {}
    for where, node in _marked_calls():
        func = node.func
        marked = (isinstance(func, ast.Name) and func.id in ("_", "N_", "t")) or (
            isinstance(func, ast.Attribute) and func.attr == "gettext")
        if marked and node.args and (text := _literal(node.args[0])) is not None:
            found.setdefault(text, where)
    return found


def marked_plurals() -> dict[tuple[str, str], str]:
    """Every (singular, plural) literal pair passed to `t.ngettext()`."""
    found: dict[tuple[str, str], str] = {}
    for where, node in _marked_calls():
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "ngettext" and len(node.args) >= 2:
            one, many = _literal(node.args[0]), _literal(node.args[1])
            if one is not None and many is not None:
                found.setdefault((one, many), where)
    return found


def test_every_plural_has_english_forms() -> None:
    plurals = i18n.english_plurals()
    missing = {pair: where for pair, where in marked_plurals().items() if pair not in plurals}
    assert not missing, "\n".join(f"{where}: {pair!r}" for pair, where in missing.items())
    assert not set(plurals) - set(marked_plurals()), "unused plural translations"


def test_plural_forms_follow_the_count() -> None:
    sv, en = i18n.translator("sv"), i18n.translator("en")
    assert [sv.ngettext("{n} dag", "{n} dagar", n) for n in (0, 1, 2)] == ["0 dagar", "1 dag", "2 dagar"]
    # An unknown pair falls back to the Swedish source, as gettext does.
    assert en.ngettext("{n} okänd", "{n} okända", 1) == "1 okänd"


def test_every_marked_text_has_an_english_translation() -> None:
    catalog = i18n.english_catalog()
    missing = {text: where for text, where in marked_strings().items() if text not in catalog}
    assert not missing, "\n".join(f"{where}: {text!r}" for text, where in missing.items())


def test_translations_keep_their_placeholders() -> None:
    import string

    fields = lambda text: sorted(f for _, f, _, _ in string.Formatter().parse(text) if f)  # noqa: E731
    wrong = {sv: en for sv, en in i18n.english_catalog().items() if fields(sv) != fields(en)}
    assert not wrong


def test_no_unused_translations() -> None:
    stale = set(i18n.english_catalog()) - set(marked_strings())
    assert not stale, sorted(stale)[:10]


@pytest.mark.usefixtures("english")
def test_dates_and_holidays_in_english() -> None:
    assert fmt_date(date(2026, 11, 30)) == "Monday 30 Nov"
    assert fmt_when(datetime(2026, 11, 30, 8, 0, tzinfo=STHLM), STHLM) == "Monday 30 Nov at 08:00"
    assert swedish_holiday(date(2026, 12, 24)) == "Christmas Eve"


def test_dates_and_holidays_in_swedish() -> None:
    assert fmt_when(datetime(2026, 11, 30, 8, 0, tzinfo=STHLM), STHLM) == "måndag 30 nov kl. 08:00"
    assert swedish_holiday(date(2026, 12, 24)) == "julafton"


def test_catalogs_agree_where_they_share_a_text() -> None:
    import importlib
    import pkgutil

    import bot.locale as locale

    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for module in pkgutil.iter_modules(locale.__path__):
        entries = importlib.import_module(f"bot.locale.{module.name}").EN
        for sv, en in entries.items():
            if sv in seen and seen[sv][1] != en:
                clashes.append(f"{sv!r}: {seen[sv][0]} says {seen[sv][1]!r}, {module.name} says {en!r}")
            seen.setdefault(sv, (module.name, en))
    assert not clashes, "\n".join(clashes)
