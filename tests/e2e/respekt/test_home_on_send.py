"""A message changes the sender's Home tab only when it is held there; one that goes at once leaves both tabs be.

Each Home tab sent costs a rendering and a views.publish, which Slack limits per
workspace (Tier 4: about 100 a minute): tabs that show nothing new are not sent.
"""

from __future__ import annotations

from tests.support.language import home_of
from tests.support.world import KD, KSO, World


def _published(world: World) -> list[str]:
    return [c["user_id"] for c in world.slack.of("views.publish")]


def test_a_message_in_working_time_publishes_no_home_tab(paired: World) -> None:
    paired.at("2026-11-24 10:00")
    paired.command("/meddela", "Kan du ringa mig?", user=KSO)
    paired.deliver()
    assert [m for m in paired.slack.posted_to("D" + KD[1:]) if "Kan du ringa mig?" in (m.get("text") or "")]
    assert _published(paired) == []


def test_a_held_message_shows_in_the_sender_s_home_tab_at_once(paired: World) -> None:
    paired.at("2026-11-27 19:30")  # a Friday evening: held until Monday
    paired.command("/meddela", "Läs budgetförslaget i helgen om du hinner", user=KSO)
    paired.deliver()
    assert KSO in _published(paired)
    assert "Läs budgetförslaget i helgen om du hinner" in home_of(paired, KSO)
