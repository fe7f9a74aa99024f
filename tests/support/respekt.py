"""Helpers for the respekt suites: /meddela through the real app, the DMs it delivers, the shortcut's modal."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import BoltResponse
from sqlalchemy import select

from bot.manifest import SHORTCUT_CALLBACK
from bot.models import Meddelande
from tests.support.world import CHANNEL, KSO, World


def dm(user: str) -> str:
    """The DM channel id the fake Slack opens for a user."""
    return "D" + user.lstrip("U")


def dms_to(world: World, user: str) -> list[str]:
    return [m["text"] for m in world.slack.posted_to(dm(user))]


def meddelanden(world: World) -> list[Meddelande]:
    with world.sessions() as s:
        return list(s.scalars(select(Meddelande).order_by(Meddelande.id)).all())


def buttons(resp: BoltResponse) -> dict[str, str]:
    """action_id → value of the buttons in a command's private answer."""
    data = json.loads(resp.body)
    found: dict[str, str] = {}
    for block in data.get("blocks") or []:
        for element in block.get("elements") or []:
            if element.get("type") == "button":
                found[element["action_id"]] = element["value"]
    return found


def send(world: World, text: str, *, user: str = KSO, when: str | None = None) -> BoltResponse:
    if when:
        world.at(when)
    resp = world.command("/meddela", text, user=user)
    assert resp.status == 200
    return resp


def ephemerals(world: World, user: str = KSO) -> list[str]:
    return [c["text"] for c in world.slack.of("chat.postEphemeral") if c["user"] == user]


def open_modal(world: World, text: str, *, user: str = KSO, author: str | None = None) -> dict[str, Any]:
    resp = world.driver.shortcut(SHORTCUT_CALLBACK, user=user, channel=CHANNEL, message_text=text, message_user=author)
    assert resp.status == 200
    return world.slack.of("views.open")[-1]["view"]


def values(text: str | None, *, akut: bool = False, reason: str | None = None) -> dict[str, dict[str, Any]]:
    return {
        "text": {"text": {"type": "plain_text_input", "value": text}},
        "akut": {"akut": {"type": "checkboxes", "selected_options": [{"value": "akut"}] if akut else []}},
        "skal": {"skal": {"type": "plain_text_input", "value": reason}},
    }


def submit(world: World, view: dict[str, Any], vals: dict[str, dict[str, Any]], *, user: str = KSO) -> dict[str, Any]:
    resp: BoltResponse = world.driver.submit(view["callback_id"], vals, user=user, private_metadata=view["private_metadata"])
    assert resp.status == 200
    return json.loads(resp.body) if resp.body else {}
