"""Build requests exactly as Slack sends them: form-encoded bodies with v0 signatures."""

from __future__ import annotations

import itertools
import json
import time
from typing import Any
from urllib.parse import urlencode

from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk.signature import SignatureVerifier

from tests.support.slack_mock import ack_error

SIGNING_SECRET = "test-signing-secret"
TEAM = "T0001"
_ids = itertools.count(1)


def fresh_id() -> int:
    """Slack gives every invocation its own trigger_id, action_ts and event_id; so do we (replays are deduped by them)."""
    return next(_ids)


def signed_headers(
    body: str, *, secret: str = SIGNING_SECRET, timestamp: int | None = None, content_type: str = "application/x-www-form-urlencoded"
) -> dict[str, list[str]]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {
        "content-type": [content_type],
        "x-slack-request-timestamp": [ts],
        "x-slack-signature": [signature],
    }


def command_body(
    command: str, text: str, *, user: str, channel: str, team: str = TEAM, trigger_id: str | None = None, enterprise: str | None = None
) -> str:
    """A slash command; `enterprise`: the Enterprise Grid org of the workspace (Slack sends its id)."""
    return urlencode(
        {
            "token": "legacy",
            **({"enterprise_id": enterprise, "enterprise_name": "Regionen"} if enterprise else {}),
            "team_id": team,
            "team_domain": "kommunen",
            "channel_id": channel,
            "channel_name": "samspel",
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "api_app_id": "A0001",
            "is_enterprise_install": "false",
            "response_url": "https://hooks.slack.com/commands/T0001/1/abc",
            "trigger_id": trigger_id or f"1.2.{fresh_id()}",
        }
    )


def interactive_body(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})


def block_action_payload(
    action_id: str,
    value: str,
    *,
    user: str,
    channel: str,
    message_ts: str = "1700000001.000100",
    team: str = TEAM,
    enterprise: str | None = None,
) -> dict[str, Any]:
    return {
        "type": "block_actions",
        **({"enterprise": {"id": enterprise, "name": "Regionen"}, "is_enterprise_install": False} if enterprise else {}),
        "team": {"id": team, "domain": "kommunen", **({"enterprise_id": enterprise} if enterprise else {})},
        "user": {"id": user, "username": user.lower(), "team_id": team},
        "api_app_id": "A0001",
        "token": "legacy",
        "trigger_id": f"1.2.{fresh_id()}",
        "channel": {"id": channel, "name": "samspel"},
        "container": {"type": "message", "message_ts": message_ts, "channel_id": channel, "is_ephemeral": False},
        "message": {"ts": message_ts, "text": "", "type": "message"},
        "response_url": "https://hooks.slack.com/actions/T0001/1/abc",
        "actions": [
            {"type": "button", "action_id": action_id, "block_id": "b", "value": value, "action_ts": f"1700000002.{fresh_id():06d}"}
        ],
    }


def view_submission_payload(
    callback_id: str, values: dict[str, dict[str, Any]], *, user: str, private_metadata: str = "", team: str = TEAM
) -> dict[str, Any]:
    return {
        "type": "view_submission",
        "team": {"id": team, "domain": "kommunen"},
        "user": {"id": user, "username": user.lower(), "team_id": team},
        "api_app_id": "A0001",
        "token": "legacy",
        "trigger_id": f"1.2.{fresh_id()}",
        "view": {
            "id": "V0001",
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": private_metadata,
            "state": {"values": values},
            "hash": "h",
            "title": {"type": "plain_text", "text": "Samspel"},
        },
    }


def shortcut_payload(
    callback_id: str,
    *,
    user: str,
    channel: str,
    message_text: str,
    message_ts: str = "1700000000.000001",
    message_user: str | None = None,
    team: str = TEAM,
) -> dict[str, Any]:
    return {
        "type": "message_action",
        "callback_id": callback_id,
        "team": {"id": team, "domain": "kommunen"},
        "user": {"id": user, "name": user.lower(), "team_id": team},
        "channel": {"id": channel, "name": "samspel"},
        "message": {"type": "message", "ts": message_ts, "text": message_text, "user": message_user or user},
        "message_ts": message_ts,
        "trigger_id": f"1.2.{fresh_id()}",
        "response_url": "https://hooks.slack.com/app/T0001/1/abc",
        "api_app_id": "A0001",
        "token": "legacy",
    }


def global_shortcut_payload(callback_id: str, *, user: str, team: str = TEAM) -> dict[str, Any]:
    """A global shortcut (⚡ in the message box): no channel, no message."""
    return {
        "type": "shortcut",
        "callback_id": callback_id,
        "team": {"id": team, "domain": "kommunen"},
        "user": {"id": user, "username": user.lower(), "team_id": team},
        "trigger_id": f"1.2.{fresh_id()}",
        "action_ts": f"1700000003.{fresh_id():06d}",
        "api_app_id": "A0001",
        "token": "legacy",
    }


def view_action_payload(action_id: str, value: str, *, user: str, view_type: str = "home", team: str = TEAM) -> dict[str, Any]:
    """A button pressed in a view (the Home tab, or a modal): no channel."""
    return {
        "type": "block_actions",
        "team": {"id": team, "domain": "kommunen"},
        "user": {"id": user, "username": user.lower(), "team_id": team},
        "api_app_id": "A0001",
        "token": "legacy",
        "trigger_id": f"1.2.{fresh_id()}",
        "container": {"type": "view", "view_id": "V0HOME"},
        "view": {"id": "V0HOME", "type": view_type, "callback_id": "", "private_metadata": "", "blocks": []},
        "actions": [
            {"type": "button", "action_id": action_id, "block_id": "b", "value": value, "action_ts": f"1700000002.{fresh_id():06d}"}
        ],
    }


def event_body(event: dict[str, Any], *, team: str = TEAM, enterprise: str | None = None) -> str:
    return json.dumps(
        {
            "token": "legacy",
            **({"enterprise_id": enterprise, "is_enterprise_install": False} if enterprise else {}),
            "team_id": team,
            "api_app_id": "A0001",
            "type": "event_callback",
            "event": event,
            "event_id": f"Ev{fresh_id():06d}",
            "event_time": int(time.time()),
            "authorizations": [{"enterprise_id": enterprise, "team_id": team, "user_id": "UBOT", "is_bot": True}],
        }
    )


class AckRefused(AssertionError):
    """The bot answered a request with something Slack would refuse (the person would see only an error)."""

    def __init__(self, error: str) -> None:
        super().__init__(f"Slack refuses this answer: {error}")
        self.error = error


class SlackDriver:
    """Dispatches signed requests through a real Bolt app; an answer Slack would refuse raises AckRefused."""

    def __init__(self, app: App, *, secret: str = SIGNING_SECRET) -> None:
        self.app = app
        self.secret = secret

    def send(self, body: str, *, json_body: bool = False, timestamp: int | None = None, sign: bool = True) -> BoltResponse:
        content_type = "application/json" if json_body else "application/x-www-form-urlencoded"
        headers = (
            signed_headers(body, secret=self.secret, timestamp=timestamp, content_type=content_type)
            if sign
            else {"content-type": [content_type]}
        )
        response = self.app.dispatch(BoltRequest(body=body, headers=headers))
        # As strict as Slack with what the bot answers, not only with what it calls (tests.support.slack_mock).
        refused = ack_error(response.body) if response.status == 200 else None
        if refused:
            raise AckRefused(refused)
        return response

    def command(self, command: str, text: str, *, user: str, channel: str) -> BoltResponse:
        return self.send(command_body(command, text, user=user, channel=channel))

    def action(self, action_id: str, value: str, *, user: str, channel: str, message_ts: str = "1700000001.000100") -> BoltResponse:
        return self.send(interactive_body(block_action_payload(action_id, value, user=user, channel=channel, message_ts=message_ts)))

    def submit(self, callback_id: str, values: dict[str, dict[str, Any]], *, user: str, private_metadata: str = "") -> BoltResponse:
        return self.send(interactive_body(view_submission_payload(callback_id, values, user=user, private_metadata=private_metadata)))

    def shortcut(self, callback_id: str, *, user: str, channel: str, message_text: str, message_user: str | None = None) -> BoltResponse:
        return self.send(
            interactive_body(
                shortcut_payload(callback_id, user=user, channel=channel, message_text=message_text, message_user=message_user)
            )
        )

    def global_shortcut(self, callback_id: str, *, user: str) -> BoltResponse:
        return self.send(interactive_body(global_shortcut_payload(callback_id, user=user)))

    def view_action(self, action_id: str, value: str, *, user: str, view_type: str = "home") -> BoltResponse:
        return self.send(interactive_body(view_action_payload(action_id, value, user=user, view_type=view_type)))

    def event(self, event: dict[str, Any]) -> BoltResponse:
        return self.send(event_body(event), json_body=True)


def ephemeral_text(response: BoltResponse) -> str:
    """The text of a command's direct (ephemeral) answer, blocks included."""
    if not response.body:
        return ""
    data = json.loads(response.body)
    parts = [data.get("text") or ""]
    for block in data.get("blocks") or []:
        parts.append(json.dumps(block, ensure_ascii=False))
    return "\n".join(parts)
