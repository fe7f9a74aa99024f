"""Fitting Slack's size limits: split long posts in order, plain-text parts, and what Slack would refuse."""

from __future__ import annotations

from bot.outbox import fit


def section(text: str) -> dict:  # type: ignore[type-arg]
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def test_split_blocks_keeps_every_block_in_order_within_both_budgets() -> None:
    blocks = [section(f"{i}: " + "x" * 500) for i in range(120)]
    parts = fit.split_blocks(blocks)
    assert [b for part in parts for b in part] == blocks
    assert all(len(p) <= 50 and fit.block_chars(p) <= 11_000 for p in parts)
    assert len(parts) == 6  # 21 sections of about 505 characters fill 11,000


def test_split_blocks_on_count_alone() -> None:
    blocks = [{"type": "divider"}] * 120
    assert [len(p) for p in fit.split_blocks(blocks)] == [50, 50, 20]


def test_blocks_that_fit_stay_one_message() -> None:
    blocks = [section("kort")] * 3
    assert fit.split_blocks(blocks) == [blocks]
    assert fit.split_blocks([]) == []


def test_block_chars_counts_every_text_field() -> None:
    blocks = [
        section("abc"),
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "de"}]},
        {"type": "actions", "elements": [{"type": "button", "text": {"type": "plain_text", "text": "f"}}]},
    ]
    assert fit.block_chars(blocks) == 6


def test_problems_names_what_slack_refuses() -> None:
    assert fit.problems([section("ok")]) == []
    found = fit.problems([section("x" * 3001), {"type": "header", "text": {"type": "plain_text", "text": "y" * 151}}])
    assert len(found) == 2 and "3000" in found[0] and "150" in found[1]
    assert fit.problems([{"type": "divider"}] * 51)[0].startswith("51 blocks")


def test_plain_text_keeps_the_readable_text_and_drops_buttons() -> None:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "Agenda"}},
        section("*1. Status*"),
        {"type": "actions", "elements": [{"type": "button", "text": {"type": "plain_text", "text": "Till KS"}}]},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "fotnot"}]},
    ]
    assert fit.blocks_to_text(blocks) == "Agenda\n*1. Status*\nfotnot"
    assert fit.blocks_to_text(None, "bara text") == "bara text"


def test_split_text_cuts_at_line_ends_in_order_under_the_limit() -> None:
    text = "\n".join(f"rad {i} " + "y" * 90 for i in range(1000))
    parts = fit.split_text(text, 35_000)
    assert all(len(p) <= 35_000 for p in parts) and len(parts) == 3
    assert "\n".join(parts) == text
    long_line = "z" * 80_000
    assert [len(p) for p in fit.split_text(long_line, 35_000)] == [35_000, 35_000, 10_000]


def test_plain_text_of_rich_text_keeps_mentions_and_links_and_ends_a_canvas_lead() -> None:
    rich = {
        "type": "rich_text",
        "elements": [
            {
                "type": "rich_text_section",
                "elements": [
                    {"type": "text", "text": "Hej <!channel> "},
                    {"type": "user", "user_id": "UKD1"},
                    {"type": "text", "text": ", se "},
                    {"type": "link", "url": "https://example.se/a", "text": "protokollet"},
                ],
            },
            {
                "type": "rich_text_section",
                "elements": [{"type": "text", "text": "Läs dem i kanalens canvas: "}, {"type": "canvas", "file_id": "F1"}],
            },
        ],
    }
    assert fit.blocks_to_text([rich]).split("\n") == [
        "Hej &lt;!channel&gt; <@UKD1>, se <https://example.se/a|protokollet>",
        "Läs dem i kanalens canvas.",
    ]
