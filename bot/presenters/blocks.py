"""Block Kit building blocks shared by every message, modal and Home view."""

from __future__ import annotations

from typing import Any

from bot.i18n import Translator
from bot.text import shorten

Block = dict[str, Any]
MAX_SECTION_CHARS = 3000  # Slack's limit for a section's text
MAX_TITLE_CHARS = 24  # Slack's limit for a modal's title


def section(text: str, *, block_id: str | None = None, accessory: Block | None = None) -> Block:
    block: Block = {"type": "section", "text": {"type": "mrkdwn", "text": shorten(text, MAX_SECTION_CHARS)}}
    if block_id:
        block["block_id"] = block_id
    if accessory:
        block["accessory"] = accessory
    return block


def header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": shorten(text, 150), "emoji": True}}


def context(text: str, *, block_id: str | None = None) -> Block:
    block: Block = {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}
    if block_id:
        block["block_id"] = block_id
    return block


def button(text: str, action_id: str, value: str, style: str | None = None, *, confirm: Block | None = None) -> Block:
    btn: Block = {"type": "button", "text": {"type": "plain_text", "text": text, "emoji": True}, "action_id": action_id, "value": value}
    if style:
        btn["style"] = style
    if confirm:
        btn["confirm"] = confirm
    return btn


def actions(*elements: Block, block_id: str | None = None) -> Block:
    block: Block = {"type": "actions", "elements": list(elements)}
    if block_id:
        block["block_id"] = block_id
    return block


DIVIDER: Block = {"type": "divider"}


def plain(text: str) -> Block:
    return {"type": "plain_text", "text": text}


MAX_LABEL_CHARS = 2000  # Slack's limit for an input's label and hint


def input_block(block_id: str, label: str, element: Block, *, optional: bool = False, hint: str | None = None) -> Block:
    """A modal's input: `label` above `element` (a text field, radio buttons, checkboxes …)."""
    block: Block = {"type": "input", "block_id": block_id, "label": plain(shorten(label, MAX_LABEL_CHARS)), "element": element}
    if optional:
        block["optional"] = True
    if hint:
        block["hint"] = plain(shorten(hint, MAX_LABEL_CHARS))
    return block


def text_input(action_id: str, *, max_length: int, multiline: bool = False, initial: str | None = None) -> Block:
    """A plain-text field; an empty `initial` leaves it empty (Slack refuses an empty initial_value)."""
    element: Block = {"type": "plain_text_input", "action_id": action_id, "max_length": max_length}
    if multiline:
        element["multiline"] = True
    if initial:
        element["initial_value"] = initial[:max_length]
    return element


def option(text: str, value: str) -> Block:
    """One choice of radio buttons, checkboxes or a select."""
    return {"text": plain(text), "value": value}


def modal(
    title: str,
    blocks: list[Block],
    *,
    close: str,
    submit: str | None = None,
    callback_id: str | None = None,
    metadata: str | None = None,
) -> Block:
    """A modal view; the title is cut to Slack's 24 characters."""
    view: Block = {"type": "modal"}
    if callback_id is not None:
        view["callback_id"] = callback_id
    if metadata is not None:
        view["private_metadata"] = metadata
    view["title"] = plain(title[:MAX_TITLE_CHARS])
    if submit is not None:
        view["submit"] = plain(submit)
    view["close"] = plain(close)
    view["blocks"] = blocks
    return view


def info_modal(text: str, t: Translator, blocks: list[Block] | None = None) -> Block:
    """A modal that only tells something (a refusal, a saved setting, or a result with its buttons)."""
    return modal("Samspel", blocks or [section(text)], close=t("Stäng"))
