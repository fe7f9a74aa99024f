"""Fixes found by the two-week user test (tests/test_scenario.py)."""

from __future__ import annotations

from tests.support.signing import ephemeral_text
from tests.support.world import KSO, World


def test_empty_uppdrag_and_svar_use_neuter_swedish(paired: World) -> None:
    assert "Uppdraget är tomt" in ephemeral_text(paired.command("/uppdrag", "senast fredag", user=KSO))
    assert "Titeln är tom:" in ephemeral_text(paired.command("/arende", "KS 2026/99", user="UKD00001"))


def test_talk_on_a_day_off_is_flagged_and_short_notice_is_honest(paired: World) -> None:
    paired.at("2026-12-01 10:00")
    text = ephemeral_text(paired.command("/samspel", "utvecklingssamtal 2026-12-24"))
    assert "torsdag 24 dec 2026" in text
    assert "ledig dag (julafton)" in text
    # Four weeks before has passed: no promise of it.
    assert "fyra veckor" not in text and "en vecka innan och på dagen" in text
    text = ephemeral_text(paired.command("/samspel", "utvecklingssamtal 2027-03-16"))
    assert "ledig dag" not in text
    assert "påminnelser fyra veckor innan, en vecka innan och på dagen" in text


def test_template_spelregler_are_dated_when_the_pair_was_connected(paired: World) -> None:
    paired.at("2026-12-24 09:00")
    text = ephemeral_text(paired.command("/spelregler", "versioner"))
    assert "Version 1: måndag 23 nov kl. 10:00" in text
    assert "24 dec" not in text
