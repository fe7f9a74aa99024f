"""Helpers for the pairs suites: the App Home a member sees, a KD who serves two pairs."""

from __future__ import annotations

from typing import Any

from tests.support.signing import ephemeral_text
from tests.support.world import CHANNEL2, KD, KSO2, World, accept_invitation


def open_home(world: World, user: str) -> list[dict[str, Any]]:
    world.driver.event({"type": "app_home_opened", "user": user, "channel": "D0HOME", "tab": "home", "event_ts": "1.0"})
    world.deliver()
    return latest_home(world, user)


def latest_home(world: World, user: str) -> list[dict[str, Any]]:
    views = [c["view"] for c in world.slack.of("views.publish") if c["user_id"] == user]
    assert views, f"no Home tab published for {user}"
    view = views[-1]
    assert view["type"] == "home"
    return view["blocks"]


DM_KD = "DKD00001"


def second_pair(world: World) -> None:
    """KD also serves a committee chair (KSO2) in a second private channel."""
    resp = world.command("/samspel", f"koppla <@{KSO2}|nämndordf> <@{KD}|bo>", user=KD, channel=CHANNEL2)
    assert "<#GPAIR002>" in ephemeral_text(resp)
    accept_invitation(world, KSO2)


def dm_texts(world: World, user: str) -> list[str]:
    """Every text posted to the user, by user id or in their DM channel."""
    return [str(c.get("text") or "") for c in world.slack.posts if c["channel"] in (user, "D" + user[1:])]
