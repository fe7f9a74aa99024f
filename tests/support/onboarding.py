"""What the onboarding tests read back from the fake Slack: Home tabs, DMs, opened modals and form answers."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import BoltResponse

from tests.support.world import World

HOME_CHANNEL = "D0HOME"


def open_home(world: World, user: str) -> list[dict[str, Any]]:
    """`user` opens the Home tab; what is published for them (after delivery) is returned."""
    world.driver.event({"type": "app_home_opened", "user": user, "channel": HOME_CHANNEL, "tab": "home", "event_ts": "1.0"})
    world.deliver()
    return latest_home(world, user)


def latest_home(world: World, user: str) -> list[dict[str, Any]]:
    views = [c["view"] for c in world.slack.of("views.publish") if c["user_id"] == user]
    assert views, f"no Home tab published for {user}"
    assert len(views[-1]["blocks"]) <= 100
    return views[-1]["blocks"]


def text_of(blocks: Any) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def dms(world: World, user: str) -> list[dict[str, Any]]:
    """What reached `user`'s DM with Samspel."""
    return world.slack.posted_to("D" + user[1:])


def buttons(blocks: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(action_id, value) of every button, in actions blocks and as section accessories."""
    found = []
    for block in blocks:
        elements = block.get("elements", []) if block.get("type") == "actions" else [block.get("accessory") or {}]
        found += [(e["action_id"], e.get("value", "")) for e in elements if e.get("type") == "button"]
    return found


def opened_view(world: World) -> dict[str, Any]:
    """The modal the latest views.open showed."""
    calls = world.slack.of("views.open")
    assert calls, "no modal was opened"
    view: dict[str, Any] = calls[-1]["view"]
    return view


def input_ids(view: dict[str, Any]) -> dict[str, str]:
    """block_id → element type of each input of a modal."""
    return {b["block_id"]: b["element"]["type"] for b in view["blocks"] if b["type"] == "input"}


def answer(response: BoltResponse) -> dict[str, Any]:
    """A view submission's answer (response_action and errors or the new view); {} for a plain ack."""
    assert response.status == 200
    return json.loads(response.body) if response.body else {}


def picked(block: str, kind: str, **value: Any) -> dict[str, dict[str, Any]]:
    """One input's state as Slack sends it in a view submission (action_id = block_id)."""
    return {block: {block: {"type": kind, **value}}}
