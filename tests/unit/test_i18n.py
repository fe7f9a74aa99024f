"""Every text marked for translation has its English, and English mode speaks English."""

from __future__ import annotations

import ast
import os
from datetime import date, datetime
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from bot import i18n
from bot.text import fmt_date, fmt_when, language_name, swedish_holiday
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
    """Every literal passed to `N_()`, a translator `t()` (or `self.t()`) or `t.gettext()`, with where it stands."""
    found: dict[str, str] = {}
    for where, node in _marked_calls():
        func = node.func
        marked = (isinstance(func, ast.Name) and func.id in ("N_", "t")) or (
            isinstance(func, ast.Attribute) and func.attr in ("gettext", "t")
        )
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


def test_dates_and_holidays_in_english() -> None:
    en = i18n.translator("en")
    assert fmt_date(date(2026, 11, 30), en) == "Monday 30 Nov"
    assert fmt_when(datetime(2026, 11, 30, 8, 0, tzinfo=STHLM), STHLM, en) == "Monday 30 Nov at 08:00"
    assert swedish_holiday(date(2026, 12, 24), en) == "Christmas Eve"


def test_no_code_renders_in_a_process_wide_language() -> None:
    """Every translator is chosen for its reader: bot code never asks for `translator()` without a language."""
    bare = [
        where
        for where, node in _marked_calls()
        if isinstance(node.func, ast.Name) and node.func.id == "translator" and not node.args and not node.keywords
    ]
    assert not bare, bare
    assert not hasattr(i18n, "_") and not hasattr(i18n, "set_language")


def test_dates_and_holidays_in_swedish() -> None:
    assert fmt_when(datetime(2026, 11, 30, 8, 0, tzinfo=STHLM), STHLM) == "måndag 30 nov. kl. 08:00"
    assert swedish_holiday(date(2026, 12, 24)) == "julafton"


# The keywords babel.cfg names for `pybabel extract` (t(), N_(), _(), ngettext's two forms, gettext()).
BABEL_KEYWORDS = {"t": None, "N_": None, "_": None, "ngettext": (1, 2), "gettext": None}


def babel_extracted() -> set[str | tuple[str, str]]:
    """What Babel's own extractor finds in bot/, handlers/ and jobs/ with babel.cfg's mapping and keywords."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)
    found: set[str | tuple[str, str]] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT,
        method_map,
        options_map,
        keywords=BABEL_KEYWORDS,
        directory_filter=lambda path: not os.path.basename(path).startswith((".", "_")),
    ):
        found.add(message if isinstance(message, str) else (message[0], message[1]))
    return found


def catalog_ids() -> set[str | tuple[str, str]]:
    return {*i18n.english_catalog(), *i18n.english_plurals()}


def test_babel_extracts_exactly_the_catalog_s_msgids() -> None:
    """`pybabel extract -F babel.cfg` stays truthful: it finds what the .po holds, no more and no less."""
    extracted, catalog = babel_extracted(), catalog_ids()
    assert not extracted - catalog, sorted(map(str, extracted - catalog))[:10]
    assert not catalog - extracted, sorted(map(str, catalog - extracted))[:10]


def test_the_catalog_is_a_clean_po_file() -> None:
    """Every entry translated, none fuzzy or repeated, and a header with no template placeholders left."""
    with i18n.PO_FILE.open("rb") as f:
        catalog = read_po(f, locale="en", domain=i18n.DOMAIN)
    ids = [m.id for m in catalog if m.id]
    assert len(ids) == len(set(map(str, ids)))
    assert not [m.id for m in catalog if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple) else [m.string]))]
    header = i18n.PO_FILE.read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert "Samspel" in header and not any(word in header for word in ("FIRST AUTHOR", "EMAIL@ADDRESS", "YEAR", "VERSION"))
    assert catalog.plural_forms == "nplurals=2; plural=(n != 1);"


NORTHERN_SAMI_PO = """\
msgid ""
msgstr ""
"Language: se\\n"
"Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);\\n"
"Content-Type: text/plain; charset=utf-8\\n"

msgid "Färdigberedda ärenden"
msgstr "Gergosat áššit"

msgid "{n} dag"
msgid_plural "{n} dagar"
msgstr[0] "{n} beaivi"
msgstr[1] "{n} beaivvi"
msgstr[2] "{n} beaivvit"
"""


def test_a_new_language_is_a_catalog_with_its_own_plural_rule(tmp_path: Path) -> None:
    """Adding a language (here Northern Sami, a minority language in Sweden, with three plural forms) needs no code."""
    po = tmp_path / "se" / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
    po.parent.mkdir(parents=True)
    po.write_text(NORTHERN_SAMI_PO, encoding="utf-8")
    assert i18n.catalog_languages(tmp_path) == ("se",)
    sami = i18n.translations("se", tmp_path)
    assert sami.gettext("Färdigberedda ärenden") == "Gergosat áššit"
    assert [sami.ngettext("{n} dag", "{n} dagar", n).format(n=n) for n in (1, 2, 5)] == ["1 beaivi", "2 beaivvi", "5 beaivvit"]
    assert sami.gettext("Inte översatt än") == "Inte översatt än"  # the Swedish source, as gettext does
    assert language_name("se", i18n.translator("sv")) == "nordsamiska" and language_name("sv", i18n.translator("en")) == "Swedish"
    assert i18n.LANGUAGES == ("sv", *i18n.catalog_languages())
