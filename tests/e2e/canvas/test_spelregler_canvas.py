"""Spelregler as a canvas: each saved version is written to the pair channel's canvas, as Markdown.

The versions stay in the database; where channel canvases are not allowed (free plans) the row ends
quietly and the blocks stay. The talk material links to the canvas when it holds the current version.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy import select

from bot.domain.spelregler import SECTIONS, TEMPLATE
from bot.models import OutboxMessage, Pair
from handlers import ids
from jobs.samtal import remind
from tests.support.signing import ephemeral_text
from tests.support.world import CHANNEL, KD, KSO, World

FOCUS = "Fokus på de närmaste åren"
COOPERATION = "Vårt samarbete"


def pair_id(world: World) -> int:
    with world.sessions() as s:
        return s.scalars(select(Pair.id)).one()


def save(world: World, changes: dict[str, str], *, user: str, base: int) -> None:
    """Submit the spelregler form as Slack sends it, starting from the template with `changes`."""
    texts = dict(TEMPLATE, **changes)
    values: dict[str, dict[str, Any]] = {
        ids.spelregler_block(i): {ids.SPELREGLER_FIELD: {"type": "plain_text_input", "value": texts[h]}} for i, h in enumerate(SECTIONS)
    }
    form = ids.SpelreglerForm(pair_id(world), base, CHANNEL)
    resp = world.driver.submit(ids.SPELREGLER_MODAL, values, user=user, private_metadata=form.encode())
    assert resp.status == 200 and not resp.body, resp.body


def canvas_rows(world: World) -> list[tuple[str, str | None, str | None]]:
    with world.sessions() as s:
        return [
            (r.status, r.sent_ts, r.dedupe_key)
            for r in s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "canvas").order_by(OutboxMessage.id))
        ]


def material_post(world: World, *, title: str = "Underlag") -> dict[str, Any]:
    """The talk material post two weeks before the talk, as Slack received it."""
    assert "2027-02-18" in ephemeral_text(world.command("/samspel", "utvecklingssamtal 2027-02-18"))
    world.at("2027-02-04 08:00")
    remind(world.bot.deps)
    world.deliver()
    [post] = [p for p in world.slack.posted_to(CHANNEL) if title in str(p.get("text"))]
    return post


def material(world: World) -> str:
    """The talk material as the channel reads it: headers, sections and rich text."""
    return shown_text(material_post(world))


def shown_text(post: dict[str, Any]) -> str:
    lines = []
    for block in post["blocks"]:
        if block["type"] in ("section", "header"):
            lines.append(block["text"]["text"])
        elif block["type"] == "rich_text":
            lines.append("".join(leaf.get("text", "") for part in block["elements"] for leaf in part["elements"]))
    return "\n".join(lines)


def canvas_links(post: dict[str, Any]) -> list[str]:
    """The canvases the post links to: rich text `canvas` elements, which Slack renders as a link to the canvas."""
    return [
        leaf["file_id"]
        for block in post["blocks"]
        if block["type"] == "rich_text"
        for part in block["elements"]
        for leaf in part["elements"]
        if leaf["type"] == "canvas"
    ]


def test_each_saved_version_is_written_to_the_channel_canvas(paired: World) -> None:
    save(paired, {FOCUS: "Bostadsbyggande och skolresultat."}, user=KD, base=1)
    paired.deliver()
    [(canvas_id, markdown)] = paired.slack.canvases.items()
    assert markdown.startswith("# Våra spelregler\n")
    assert f"_Version 2, sparad måndag 23 nov. kl. 10:00 (2026-11-23) av ![](@{KD})_" in markdown
    assert [line for line in markdown.splitlines() if line.startswith("## ")] == [f"## {h}" for h in SECTIONS]
    assert "## Fokus på de närmaste åren\n\nBostadsbyggande och skolresultat.\n" in markdown
    # The channel still hears of the new version, as before.
    assert any("sparade version 2" in str(p["text"]) for p in paired.slack.posted_to(CHANNEL))

    paired.at("2026-11-24 09:00")
    save(paired, {FOCUS: "Bostadsbyggande och skolresultat.", COOPERATION: "Vi ses varje måndag."}, user=KSO, base=2)
    paired.deliver()
    assert list(paired.slack.canvases) == [canvas_id]  # replaced, not a second canvas
    assert "Version 3" in paired.slack.canvases[canvas_id] and "Vi ses varje måndag." in paired.slack.canvases[canvas_id]
    assert len(paired.slack.of("conversations.canvases.create")) == 1
    pid = pair_id(paired)
    assert canvas_rows(paired) == [("sent", canvas_id, f"spelregler-canvas:{pid}:v2"), ("sent", canvas_id, f"spelregler-canvas:{pid}:v3")]


def test_no_link_in_the_canvas_hides_its_address_and_nothing_in_it_pings(paired: World) -> None:
    hostile = "<https://evil.example/p|Logga in på nytt> <!channel> <@UOUT0001> [Klicka](https://evil.example/md) ![](@UOUT0002)"
    save(paired, {FOCUS: hostile}, user=KD, base=1)
    paired.deliver()
    [markdown] = paired.slack.canvases.values()
    section = markdown.split("## Fokus på de närmaste åren\n\n", 1)[1].split("\n", 1)[0]
    assert section == "Logga in på nytt (https://evil.example/p) @channel @UOUT0001 Klicka (https://evil.example/md) @UOUT0002"
    # Samspel's own line still names the author as a canvas mention.
    assert f"av ![](@{KD})_" in markdown


def test_without_channel_canvases_the_row_ends_quietly_and_the_blocks_stay(paired: World, caplog: pytest.LogCaptureFixture) -> None:
    paired.slack.canvases_allowed = False
    caplog.set_level(logging.INFO)
    save(paired, {FOCUS: "Bostadsbyggande och skolresultat."}, user=KD, base=1)
    paired.deliver()
    assert paired.slack.canvases == {}
    assert [status for status, _, _ in canvas_rows(paired)] == ["failed"]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    # Nobody is told of it: the only post is the note of the new version, and no DM went out.
    assert [p["channel"] for p in paired.slack.posts] == [CHANNEL]
    shown = ephemeral_text(paired.command("/spelregler", "", user=KSO))
    assert "Bostadsbyggande och skolresultat." in shown and "Version 2" in shown
    # The material then carries the whole text, as before.
    post = material_post(paired)
    assert "Tillgänglighet för varandra och vårt förhållningssätt" in shown_text(post) and canvas_links(post) == []


def test_the_talk_material_links_to_the_canvas_instead_of_repeating_it(paired: World) -> None:
    save(paired, {FOCUS: "Bostadsbyggande och skolresultat."}, user=KD, base=1)
    paired.deliver()
    [canvas_id] = paired.slack.canvases
    post = material_post(paired)
    # A canvas element, which Slack renders as a link to the canvas in each reader's client: no URL of ours.
    assert canvas_links(post) == [canvas_id]
    body = shown_text(post)
    assert "Läs dem i kanalens canvas:" in body and "Version 2" in body and "Året i siffror" in body
    assert "spelregler, som finns i kanalens canvas" in post["text"]  # the notification says where the rules are
    assert "Tillgänglighet för varandra och vårt förhållningssätt" not in body
    assert "Bostadsbyggande och skolresultat." not in body


def test_a_canvas_behind_the_current_version_is_not_linked(paired: World) -> None:
    save(paired, {FOCUS: "Bostadsbyggande och skolresultat."}, user=KD, base=1)
    paired.deliver()
    paired.slack.fail_next("conversations.info", "500", times=50)
    save(paired, {FOCUS: "Bostäder, skolor och klimat."}, user=KSO, base=2)
    # The canvas still shows version 2 while version 3 is current: the material shows the text itself.
    post = material_post(paired)
    assert canvas_links(post) == [] and "Bostäder, skolor och klimat." in shown_text(post)


def test_an_english_pair_gets_an_english_canvas(english: None, paired: World) -> None:
    save(paired, {FOCUS: "Housing and schools."}, user=KD, base=1)
    paired.deliver()
    [markdown] = paired.slack.canvases.values()
    assert markdown.startswith("# Our rules of the game (spelregler)\n")
    assert "Version 2, saved Monday 23 Nov at 10:00 (2026-11-23)" in markdown and "Housing and schools." in markdown
    # The material links to it, in English.
    [canvas_id] = paired.slack.canvases
    post = material_post(paired, title="Material")
    assert canvas_links(post) == [canvas_id]
    body = shown_text(post)
    assert "Read them in the channel's canvas:" in body and "Housing and schools." not in body
    assert "spelregler, which are in the channel's canvas" in post["text"]
