"""Helpers for the agenda suites: post the Monday agenda at a time, read its blocks and buttons."""

from __future__ import annotations

import json
from typing import Any

from jobs.agenda import agenda_tick
from tests.support.world import CHANNEL, World


def blocks_text(blocks: list[dict[str, Any]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def buttons(blocks: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    found = []
    for block in blocks:
        elements = block.get("elements", []) if block["type"] == "actions" else [block.get("accessory") or {}]
        for el in elements:
            if el.get("type") == "button":
                found.append((el["text"]["text"], el["action_id"], el["value"]))
    return found


def post_agenda_at(world: World, when: str) -> list[dict[str, Any]]:
    """Run the scheduled tick at `when` and return the messages that reached the pair channel."""
    world.at(when)
    before = len(world.slack.posted_to(CHANNEL))
    agenda_tick(world.bot.deps)
    world.deliver()
    return world.slack.posted_to(CHANNEL)[before:]


def visible(blocks: list[dict[str, Any]]) -> str:
    """Every text a person sees in the blocks (not ids or values)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    found.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(blocks)
    return "\n".join(found)
