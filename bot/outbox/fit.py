"""Making messages fit Slack's size limits: pure helpers over Block Kit dicts and text.

Slack refuses a message with more than 50 blocks (`invalid_blocks`), with more than
about 12,000 characters of text in its blocks (`msg_blocks_too_long`, confirmed by
Slack's maintainers though not documented) and with text over 40,000 characters
(`msg_too_long`). `split_blocks` cuts a long post into several in order; the plain-text
parts are the outbox's fallback when Slack refuses a payload anyway.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block as SdkBlock

from bot.text import entities

Block = dict[str, Any]

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_BLOCK_CHARS = 12_000  # Slack's limit; we split below it, at 11,000
MAX_TEXT_CHARS = 40_000
PART_CHARS = 35_000  # a plain-text part, with room to spare under MAX_TEXT_CHARS


def _texts(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "text" and isinstance(item, str):
                yield item
            else:
                yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


def block_chars(blocks: list[Block] | Block) -> int:
    """Characters of text in blocks, counted as Slack counts them for msg_blocks_too_long (every text field)."""
    return sum(len(text) for text in _texts(blocks))


def split_blocks(blocks: list[Block], max_blocks: int = MAX_MESSAGE_BLOCKS, max_chars: int = 11_000) -> list[list[Block]]:
    """Cut blocks into consecutive messages of at most `max_blocks` blocks and `max_chars` characters each.

    Order is kept and nothing is dropped. A block that alone is over `max_chars` gets a
    message of its own (Slack will refuse it, and the outbox then falls back to text).
    """
    messages: list[list[Block]] = [[]]
    chars = 0
    for block in blocks:
        size = block_chars(block)
        current = messages[-1]
        if current and (len(current) >= max_blocks or chars + size > max_chars):
            messages.append([])
            chars = 0
        messages[-1].append(block)
        chars += size
    return messages if blocks else []


def fits_message(blocks: list[Block] | None, text: str = "") -> bool:
    if len(text) > MAX_TEXT_CHARS:
        return False
    return not blocks or (len(blocks) <= MAX_MESSAGE_BLOCKS and block_chars(blocks) <= MAX_BLOCK_CHARS)


def problems(blocks: list[Block], *, max_blocks: int = MAX_MESSAGE_BLOCKS) -> list[str]:
    """What Slack would refuse in these blocks, checked with slack_sdk's models (about 70 µs a block)."""
    found = [f"{len(blocks)} blocks (max {max_blocks})"] if len(blocks) > max_blocks else []
    for i, block in enumerate(blocks):
        parsed = SdkBlock.parse(block)
        if parsed is None:
            found.append(f"block {i}: unknown type {block.get('type')!r}")
            continue
        try:
            parsed.validate_json()
        except SlackObjectFormationError as err:
            found.append(f"block {i} ({block.get('type')}): {err}")
    return found


def _block_lines(block: Block) -> Iterator[str]:
    kind = block.get("type")
    if kind in ("header", "section") and isinstance(block.get("text"), dict):
        yield str(block["text"].get("text", ""))
    if kind == "section":
        fields = [str(f.get("text", "")) for f in block.get("fields") or [] if isinstance(f, dict)]
        if fields:
            yield "\n".join(fields)
    elif kind == "context":
        yield " ".join(str(e.get("text", e.get("alt_text", ""))) for e in block.get("elements") or [] if isinstance(e, dict))
    elif kind == "divider":
        yield ""
    elif kind == "image":
        yield str(block.get("alt_text", ""))
    elif kind == "rich_text":
        yield from _rich_text_lines(block)


def rich_text_mrkdwn(element: Any, canvas: Callable[[str], str] = lambda file_id: "") -> str:
    """A rich-text element (or a whole block) as mrkdwn: mentions and links keep working as text.

    `canvas` words a canvas element, which has no text form (nothing, in the plain-text fallback).
    """
    if not isinstance(element, dict):
        return ""
    kind = element.get("type")
    if kind == "text":  # literal in rich text, so escaped for mrkdwn: it can never turn into a mention
        return entities(str(element.get("text", "")))
    if kind == "canvas":
        return canvas(str(element.get("file_id", "")))
    if kind == "user":
        return f"<@{element.get('user_id')}>"
    if kind == "channel":
        return f"<#{element.get('channel_id')}>"
    if kind == "link":
        url = element.get("url")
        return f"<{url}|{element['text']}>" if element.get("text") else f"<{url}>"
    if kind == "emoji":
        return f":{element.get('name')}:"
    return "".join(rich_text_mrkdwn(e, canvas) for e in element.get("elements") or [])  # sections, lists, quotes


def _rich_text_lines(block: Block) -> Iterator[str]:
    for part in block.get("elements") or []:
        line = rich_text_mrkdwn(part).rstrip()
        # A `canvas` element has no text form: Slack documents no canvas URL. Its lead ("… i kanalens
        # canvas:") then ends the sentence instead of pointing at nothing.
        if line.endswith(":") and any(isinstance(e, dict) and e.get("type") == "canvas" for e in part.get("elements") or []):
            line = line[:-1] + "."
        yield line


def blocks_to_text(blocks: list[Block] | None, fallback: str = "") -> str:
    """The readable text of a Block Kit message (buttons left out), for the plain-text fallback."""
    lines = [line for block in blocks or [] for line in _block_lines(block)]
    text = "\n".join(lines).strip()
    return text or fallback


def split_text(text: str, limit: int = PART_CHARS) -> list[str]:
    """Cut text into parts of at most `limit` characters, at line ends where possible, in order."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    if current or not parts:
        parts.append(current)
    return parts
