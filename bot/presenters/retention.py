"""Gallring (retention) in words: the line the yearly report, the talk material and the export carry."""

from __future__ import annotations

from bot.i18n import Translator


def note(days: int, t: Translator) -> str:
    """How long message texts are kept (`days` is SAMSPEL_RETENTION_DAYS; 0 keeps them)."""
    if days == 0:
        return t(
            "Meddelandetexter sparas tills vidare (kommunen har valt att inte gallra dem). "
            "Siffrorna räknas ur uppgifter om när och hur meddelanden skickades, inte ur texterna."
        )
    return t(
        "Meddelandetexter sparas {days} dagar efter leverans eller ångrande och tas sedan bort. "
        "Siffrorna räknas ur uppgifter om när och hur meddelanden skickades och påverkas inte."
    ).format(days=days)
