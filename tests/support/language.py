"""Small readers of the fake Slack for the language tests: DMs, ephemeral answers, Home tabs, channel posts."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import BoltResponse

from tests.support.signing import ephemeral_text
from tests.support.world import CHANNEL, World


def dms_to(world: World, user: str) -> list[str]:
    """The texts Samspel sent `user` by DM (the fake opens D<id> for U<id>), blocks included."""
    return [_shown(m) for m in world.slack.posted_to("D" + user.lstrip("U"))]


def channel_posts(world: World, channel: str = CHANNEL) -> list[str]:
    return [_shown(m) for m in world.slack.posted_to(channel)]


def ephemerals_to(world: World, user: str) -> list[str]:
    """chat.postEphemeral texts (a button's answer) for `user`."""
    return [c["text"] for c in world.slack.of("chat.postEphemeral") if c["user"] == user]


def answer(world: World, command: str, text: str, user: str) -> str:
    """A command's private answer (the HTTP response), blocks included."""
    resp: BoltResponse = world.command(command, text, user=user)
    assert resp.status == 200
    return ephemeral_text(resp)


def home_of(world: World, user: str) -> str:
    """`user` opens the Home tab; the tab Slack was last given, as one string."""
    world.driver.event({"type": "app_home_opened", "user": user, "channel": "D0HOME", "tab": "home", "event_ts": "1.0"})
    world.deliver()
    views = [c["view"] for c in world.slack.of("views.publish") if c["user_id"] == user]
    assert views, f"no Home tab published for {user}"
    return json.dumps(views[-1]["blocks"], ensure_ascii=False)


def _shown(message: dict[str, Any]) -> str:
    return "\n".join([message.get("text") or "", *(json.dumps(b, ensure_ascii=False) for b in message.get("blocks") or [])])
