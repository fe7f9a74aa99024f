"""Every text marked for translation has its English, and English mode speaks English."""

from __future__ import annotations

import ast
from datetime import date, datetime
from pathlib import Path

import pytest

from bot import i18n
from bot.text import fmt_date, fmt_when
from bot.worktime import swedish_holiday
from tests.conftest import STHLM

ROOT = Path(__file__).resolve().parent.parent


def marked_strings() -> dict[str, str]:
    """Every literal passed to `_()` or `N_()` in the code, with where it stands."""
    found: dict[str, str] = {}
    for folder in ("bot", "handlers", "jobs"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "locale" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "N_") and node.args:
                    arg = node.args[0]
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        found.setdefault(arg.value, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


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
