"""Helpers for the samtal suites: the spelregler modal as Slack submits it."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from bot.domain.spelregler import SECTIONS
from bot.models import Pair
from tests.support.world import CHANNEL, World


def form_values(texts: dict[str, str]) -> dict[str, dict[str, Any]]:
    """state.values as Slack sends them for the spelregler modal."""
    return {f"avsnitt_{i}": {"text": {"type": "plain_text_input", "value": texts.get(h, "")}} for i, h in enumerate(SECTIONS)}


def pair_id(world: World) -> int:
    with world.sessions() as s:
        return s.scalars(select(Pair.id)).one()


def submit(world: World, texts: dict[str, str], *, user: str, base: int) -> dict[str, Any]:
    meta = json.dumps({"pair_id": pair_id(world), "base_version": base, "channel": CHANNEL})
    resp = world.driver.submit("spelregler_uppdatera", form_values(texts), user=user, private_metadata=meta)
    assert resp.status == 200
    return json.loads(resp.body) if resp.body else {}
