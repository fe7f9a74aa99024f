"""Buttons that open a form: press, then fill in and submit the form that opened, as a person in Slack would.

"Skicka nu som akut" asks for a one-line reason, and Stäng on an incident asks who owns the
follow-up and how it was cleared up (issue 14, items 7 and 8).
"""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltResponse

from tests.support.world import CHANNEL, KSO, World


def last_opened(world: World) -> dict[str, Any]:
    """The view of the latest views.open (or views.push)."""
    calls = [c for c in world.slack.calls if c.method in ("views.open", "views.push")]
    assert calls, "no modal was opened"
    return dict(calls[-1]["view"])


def _opened_count(world: World) -> int:
    return sum(1 for c in world.slack.calls if c.method in ("views.open", "views.push"))


def escalate(
    world: World, meddelande_id: str, reason: str = "Journalisten ringer i kväll", *, user: str = KSO, channel: str = CHANNEL
) -> BoltResponse | None:
    """Skicka nu som akut with a reason; None when the press was refused (no form opened)."""
    before = _opened_count(world)
    world.driver.action("meddela_akut", meddelande_id, user=user, channel=channel)
    if _opened_count(world) == before:
        return None
    view = last_opened(world)
    return world.driver.submit(
        view["callback_id"],
        {"akut_skal": {"akut_skal": {"type": "plain_text_input", "value": reason}}},
        user=user,
        private_metadata=view["private_metadata"],
    )


def close_incident(
    world: World,
    point_id: str,
    owner: str = "kd",
    note: str = "Ny rutin för larmet",
    *,
    user: str = KSO,
    channel: str = CHANNEL,
    message_ts: str = "1700000001.000100",
) -> BoltResponse | None:
    """Stäng on an incident, then the form: owner 'kso'/'kd'/'bada' and the note; None when no form opened."""
    before = _opened_count(world)
    world.driver.action("agenda_stang", point_id, user=user, channel=channel, message_ts=message_ts)
    if _opened_count(world) == before:
        return None
    view = last_opened(world)
    values = {
        "agarskap": {"agarskap": {"type": "radio_buttons", "selected_option": {"value": owner}}},
        "klarades_ut": {"klarades_ut": {"type": "plain_text_input", "value": note}},
    }
    return world.driver.submit(view["callback_id"], values, user=user, private_metadata=view["private_metadata"])
