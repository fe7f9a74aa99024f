"""The Slack app manifest: paste it at api.slack.com/apps → Create New App → From a manifest."""

from __future__ import annotations

import json
from typing import Any

from bot.i18n import SOURCE_LANGUAGE, Translator, translator
from bot.presenters.help import COMMANDS
from handlers import ids

SHORTCUT_CALLBACK = ids.MEDDELA_SHORTCUT
# Only what the code calls (the README explains each): commands + shortcuts, message and global (commands);
# chat.postMessage/postEphemeral/update (chat:write); conversations.open for DMs (im:write); conversations.history,
# to find a post whose reply was lost, in DMs, the private pair channel and a public or private rådsmöte channel
# (im/groups/channels:history); conversations.info/members to check that the pair channel is private with both
# people in it, and who is in a rådsmöte channel (groups:read, channels:read; they also deliver the
# member_left_channel/member_joined_channel events), and to tell that `koppla` was typed in a DM or group DM
# (im:read, mpim:read: Slack answers missing_scope there without them); users.info for people's names in the diarium export
# (users:read); conversations.canvases.create and canvases.edit for the spelregler on the pair channel's canvas
# (canvases:write); files.uploadV2 for the calendar file in a person's DM in Socket Mode (files:write).
# views.* and auth.test need no scope, nor does message metadata, nor the users_select and
# conversations_select menus in the forms (Slack fills them in for the person).
BOT_SCOPES = [
    "commands",
    "chat:write",
    "im:write",
    "im:history",
    "groups:history",
    "channels:history",
    "groups:read",
    "channels:read",
    "im:read",
    "mpim:read",
    "users:read",
    "canvases:write",
    "files:write",
]
BOT_EVENTS = ["app_home_opened", "member_left_channel", "member_joined_channel", "group_left"]
# A distributed app must hear when a workspace removes it, to stop sending there (see bot.services.tenants).
UNINSTALL_EVENTS = ["app_uninstalled", "tokens_revoked"]
EVENTS_PATH = "/slack/events"
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"


def base_url(url: str) -> str:
    """https://host from https://host, https://host/ or https://host/slack/events."""
    return url.rstrip("/").removesuffix(EVENTS_PATH)


def _commands(request_url: str | None, t: Translator) -> list[dict[str, Any]]:
    commands = []
    for cmd in COMMANDS:
        entry: dict[str, Any] = {"command": cmd.name, "description": t(cmd.description), "usage_hint": cmd.hint, "should_escape": True}
        if request_url:
            entry["url"] = request_url
        commands.append(entry)
    return commands


def _settings(request_url: str | None, distributed: bool) -> dict[str, Any]:
    interactivity: dict[str, Any] = {"is_enabled": True}
    events: dict[str, Any] = {"bot_events": [*BOT_EVENTS, *(UNINSTALL_EVENTS if distributed else ())]}
    if request_url:
        interactivity["request_url"] = request_url
        events["request_url"] = request_url
    return {
        "event_subscriptions": events,
        "interactivity": interactivity,
        "org_deploy_enabled": False,
        "socket_mode_enabled": request_url is None,
        # Rotation on for a shared service: a leaked token stops working within 12 hours.
        "token_rotation_enabled": distributed,
    }


DISPLAY_INFORMATION = {
    "name": "Samspel",
    "description": "Spelreglerna mellan KSO och KD i vardagen",
    "long_description": (
        "Samspel hjälper kommunstyrelsens ordförande (KSO) och kommundirektören (KD) att leva efter sina "
        "gemensamma spelregler: måndagsagendan, ärenden för beslut, uppdrag, respekt för varandras fritid "
        "och det årliga utvecklingssamtalet."
    ),
    "background_color": "#1d3557",
}


def manifest(request_url: str | None = None, *, distributed: bool = False, t: Translator | None = None) -> dict[str, Any]:
    """Socket Mode by default; give `request_url` (https://host/slack/events) for HTTP mode.

    `distributed`: an app many workspaces install through OAuth (`request_url` may then be just
    https://host): HTTP only, redirect URL, uninstall events and token rotation. The command
    descriptions are in `t`'s language (Swedish when none is given: Slack shows one manifest to everyone).
    """
    if distributed:
        if not request_url:
            raise ValueError("a distributed app needs its public URL")
        request_url = base_url(request_url) + EVENTS_PATH
    oauth: dict[str, Any] = {"scopes": {"bot": BOT_SCOPES}}
    if distributed and request_url:
        oauth["redirect_urls"] = [base_url(request_url) + REDIRECT_PATH]
    return {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": dict(DISPLAY_INFORMATION),
        "features": {
            "app_home": {"home_tab_enabled": True, "messages_tab_enabled": True, "messages_tab_read_only_enabled": True},
            "bot_user": {"display_name": "Samspel", "always_online": True},
            "shortcuts": [
                {
                    "name": "Skicka med Samspel",
                    "type": "message",
                    "callback_id": SHORTCUT_CALLBACK,
                    "description": "Skicka meddelandet till din KSO/KD enligt respektregeln",
                },
                {
                    "name": "Nytt uppdrag",
                    "type": "global",
                    "callback_id": ids.NYTT_UPPDRAG_SHORTCUT,
                    "description": "KSO ger KD ett uppdrag, med slutdatum",
                },
            ],
            "slash_commands": _commands(request_url, t or translator(SOURCE_LANGUAGE)),
        },
        "oauth_config": oauth,
        "settings": _settings(request_url, distributed),
    }


def manifest_json(request_url: str | None = None, *, distributed: bool = False) -> str:
    return json.dumps(manifest(request_url, distributed=distributed), ensure_ascii=False, indent=2)
