"""What Slack says about a conversation: its kind and who is in it.

The pair channel and the rådsmöte channel are checked with Slack (`conversations.info`,
`conversations.members`), never guessed from the shape of an id. A lookup is a read at
command time, not a message, so it does not go through the outbox.
"""

from __future__ import annotations

import logging
from typing import Protocol

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.consent import ChannelFacts

log = logging.getLogger(__name__)

# Slack answers these when the bot cannot see the conversation (not invited, a DM between others, no scope).
_NOT_VISIBLE = frozenset({"channel_not_found", "not_in_channel", "missing_scope", "method_not_supported_for_channel_type"})


class SlackUnavailable(Exception):
    """Slack could not be asked just now (network, 5xx, rate limit)."""


class Directory(Protocol):
    def channel(self, channel_id: str) -> ChannelFacts | None:
        """The channel's facts, or None when the bot cannot see it."""
        ...


class SlackDirectory:
    """The Web API implementation; members are read page by page."""

    def __init__(self, client: WebClient, bot_user: str | None) -> None:
        self.client = client
        self.bot_user = bot_user

    def channel(self, channel_id: str) -> ChannelFacts | None:
        try:
            info = self.client.conversations_info(channel=channel_id)["channel"]
            kind = _kind(info)
            members: set[str] = set()
            if kind in ("private", "public"):
                cursor = None
                while True:
                    page = self.client.conversations_members(channel=channel_id, limit=1000, cursor=cursor)
                    members.update(page.get("members") or [])
                    cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
                    if not cursor:
                        break
        except SlackApiError as err:
            code = err.response.get("error") if err.response is not None else None
            if code in _NOT_VISIBLE:
                return None
            log.warning("conversations lookup failed: %s", code or err.response.status_code)
            raise SlackUnavailable(code) from err
        except OSError as err:
            log.warning("conversations lookup failed: %s", type(err).__name__)
            raise SlackUnavailable(type(err).__name__) from err
        bot_in = bool(info.get("is_member")) or (self.bot_user is not None and self.bot_user in members)
        return ChannelFacts(id=channel_id, kind=kind, members=frozenset(members), bot_is_member=bot_in)


def _kind(info: dict[str, object]) -> str:
    if info.get("is_im"):
        return "im"
    if info.get("is_mpim"):
        return "mpim"
    return "private" if info.get("is_private") or info.get("is_group") else "public"
