"""A command's private answer longer than one Slack message reaches the person whole, in order, in messages Slack takes.

Slack refuses a message (and so an ack) of more than 50 blocks, about 12,000 characters of
block text or 40,000 of text. The first part is the ack; the rest follow as ephemerals.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.domain.spelregler import SECTIONS, TEMPLATE
from bot.i18n import translator
from bot.presenters.spelregler import heading_label
from tests.support.samtal import submit
from tests.support.signing import ephemeral_text
from tests.support.slack_mock import message_error
from tests.support.world import KD, KSO, World


def answered(world: World, command: str, text: str, *, user: str) -> list[dict[str, Any]]:
    """What the person sees after typing the command, in order: the ack, then any further ephemerals."""
    before = len(world.slack.of("chat.postEphemeral"))
    response = world.command(command, text, user=user)  # the driver refuses an ack Slack would refuse
    assert response.status == 200
    world.deliver()
    more = [c for c in world.slack.of("chat.postEphemeral")[before:] if c["user"] == user]
    messages = [json.loads(response.body), *({"text": c["text"], "blocks": c.get("blocks")} for c in more)]
    for message in messages:
        assert message_error(message) is None
    assert not world.slack.refused
    return messages


def section_lines(messages: list[dict[str, Any]]) -> list[str]:
    return [line for m in messages for b in m.get("blocks") or [] if b["type"] == "section" for line in b["text"]["text"].split("\n")]


def full_section(i: int) -> str:
    """A section's text at the form's 3,000-character limit, each line numbered so the order shows."""
    lines, n = [], 0
    while sum(len(line) + 1 for line in lines) < 3000:
        lines.append(f"Avsnitt {i} rad {n:03d}: vi håller varandra informerade om allt som rör styrningen")
        n += 1
    return "\n".join(lines)[:3000].rstrip()


@pytest.mark.parametrize("verb", ["", "version 2"])
def test_the_spelregler_at_their_longest_without_a_canvas_arrive_whole_and_in_order(paired: World, verb: str) -> None:
    paired.slack.canvases_allowed = False  # a free plan: the block rendering is all there is
    texts = {heading: full_section(i) for i, heading in enumerate(SECTIONS)}
    assert all(len(text) == 3000 for text in texts.values()) and texts != TEMPLATE
    assert submit(paired, texts, user=KD, base=1) == {}
    paired.deliver()

    messages = answered(paired, "/spelregler", verb, user=KSO)
    assert len(messages) > 1
    sv = translator("sv")
    expected = [line for heading in SECTIONS for line in [f"*{heading_label(heading, sv)}*", *texts[heading].split("\n")]]
    assert section_lines(messages) == expected
    # The title comes first and the Uppdatera button last, as in one message.
    assert messages[0]["blocks"][0]["type"] == "header"
    assert messages[-1]["blocks"][-1]["type"] == "actions"


def test_a_long_uppdrag_list_arrives_whole_and_in_order(paired: World) -> None:
    count = 60
    for n in range(1, count + 1):
        given = ephemeral_text(paired.command("/uppdrag", f"Uppdrag {n:02d}: " + "utred " * 450, user=KSO))
        assert f"Uppdrag #{n} är registrerat" in given
        asked = ephemeral_text(paired.command("/uppdrag", f"oklart {n} Fråga {n:02d}: " + "gäller det " * 250, user=KD))
        assert f"uppdrag #{n}" in asked
    paired.deliver()

    messages = answered(paired, "/uppdrag", "lista", user=KD)
    assert len(messages) > 1 and all(not m.get("blocks") for m in messages)
    text = "\n".join(m["text"] for m in messages)
    assert f"*Öppna uppdrag ({count})*" in messages[0]["text"]
    positions = [text.index(f"*#{n}* Uppdrag {n:02d}:") for n in range(1, count + 1)]
    assert positions == sorted(positions)
    assert all(f"Oklart: Fråga {n:02d}:" in text for n in range(1, count + 1))


def test_a_long_agenda_preview_arrives_whole_and_in_order(paired: World) -> None:
    # Points not closed carry over week after week, so a backlog can outgrow one message.
    count = 75
    for n in range(count):
        added = ephemeral_text(paired.command("/agenda", f"+ info Punkt {n:02d}: " + "lång text " * 280, user=KSO))
        assert "tillagd" in added
    paired.deliver()

    messages = answered(paired, "/agenda", "", user=KSO)
    assert len(messages) > 1
    text = "\n".join(m["text"] for m in messages)
    assert text.startswith("_Förhandsvisning utan att posta")
    positions = [text.index(f"Punkt {n:02d}:") for n in range(count)]
    assert positions == sorted(positions)
    assert "Lägg till en punkt med `/agenda +" in messages[-1]["text"]  # the footer, last
