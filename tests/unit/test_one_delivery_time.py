"""One place decides when a message may reach its recipient: `bot.services.respekt_time.delivery_time`.

Twelve senders that each picked a calendar and applied the respekt rule themselves could
drift apart (a notice by the pair's calendar, a reminder by its own); this keeps them asking
the one function, which the outbox gate asks too.
"""

from __future__ import annotations

import ast

from tests.support.paths import ROOT

THE_PLACE = ROOT / "bot" / "services" / "respekt_time.py"


def _applies_the_rule_itself(tree: ast.Module) -> list[int]:
    """Lines importing the domain rule `deliver_after` or calling `next_working_start` on a calendar."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "bot.domain.respekt" and any(a.name == "deliver_after" for a in node.names):
            lines.append(node.lineno)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "next_working_start":
            lines.append(node.lineno)
    return lines


def test_only_delivery_time_applies_the_respekt_rule() -> None:
    offenders = []
    for package in ("bot", "handlers", "jobs"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if path == THE_PLACE or "domain" in path.relative_to(ROOT).parts:
                continue
            for line in _applies_the_rule_itself(ast.parse(path.read_text(encoding="utf-8"))):
                offenders.append(f"{path.relative_to(ROOT)}:{line}")
    assert offenders == [], "ask bot.services.respekt_time.delivery_time instead"


def test_the_one_place_applies_it() -> None:
    """The check above would pass vacuously if the rule moved again; it lives where the docs say."""
    assert _applies_the_rule_itself(ast.parse(THE_PLACE.read_text(encoding="utf-8")))
