"""People's names from Slack (`users.info`), as the lookup `bot.services.names.Names` caches."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.outbox import NETWORK_ERRORS
from bot.services.names import Lookup
from bot.settings import Settings

log = logging.getLogger(__name__)


def slack_lookup(client: WebClient) -> Lookup:
    """`users.info` through `client`: the person's real name, else display name, else None (never raises)."""

    def lookup(user_id: str) -> str | None:
        try:
            user = client.users_info(user=user_id).get("user") or {}
        except SlackApiError as err:
            # user_not_found, missing_scope (users:read) …: the export then shows the id.
            log.warning("users.info answered %s; the export shows the id", err.response.get("error"))
            return None
        except NETWORK_ERRORS as err:
            log.warning("users.info failed (%s); the export shows the id", type(err).__name__)
            return None
        profile = user.get("profile") or {}
        for name in (profile.get("real_name"), user.get("real_name"), profile.get("display_name"), user.get("name")):
            if isinstance(name, str) and name.strip():
                return name.strip()[:200]
        return None

    return lookup


def client_lookup(settings: Settings) -> Lookup | None:
    """The lookup for the CLI: a WebClient from SLACK_BOT_TOKEN and SLACK_API_URL, or None (cache only) without a token."""
    if not settings.bot_token:
        return None
    # No automatic retries: one failed look-up only means the export shows that id.
    return slack_lookup(WebClient(token=settings.bot_token, base_url=settings.api_url, timeout=10, retry_handlers=[]))
