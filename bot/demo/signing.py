"""Requests as Slack sends them, signed with the demo's own secret and dispatched through the real Bolt app."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from slack_bolt import App, BoltRequest, BoltResponse


def sign(secret: str, timestamp: str, body: str) -> str:
    """Slack's v0 signature: HMAC-SHA256 of `v0:<timestamp>:<body>`."""
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return f"v0={digest}"


class Driver:
    """Plays Slack's side of the Events API: commands, clicks and events, each signed and with its own ids."""

    def __init__(self, app: App, *, secret: str, team: str, bot_user: str, response_base: str) -> None:
        self.app = app
        self.secret = secret
        self.team = team
        self.bot_user = bot_user
        # response_url points at the stand-in, so even an unexpected use of it stays on 127.0.0.1.
        self.response_base = response_base
        self._ids = itertools.count(1)

    def _id(self) -> int:
        return next(self._ids)

    def send(self, body: str, *, content_type: str = "application/x-www-form-urlencoded") -> BoltResponse:
        # Bolt checks the signature's timestamp against the real time, not the demo's simulated one.
        ts = str(int(time.time()))
        headers: dict[str, str | Sequence[str]] = {
            "content-type": [content_type],
            "x-slack-request-timestamp": [ts],
            "x-slack-signature": [sign(self.secret, ts, body)],
        }
        return self.app.dispatch(BoltRequest(body=body, headers=headers))

    def command(self, command: str, text: str, *, user: str, channel: str, channel_name: str) -> BoltResponse:
        n = self._id()
        return self.send(
            urlencode(
                {
                    "token": "unused",
                    "team_id": self.team,
                    "team_domain": "kommunen",
                    "channel_id": channel,
                    "channel_name": channel_name,
                    "user_id": user,
                    "user_name": user.lower(),
                    "command": command,
                    "text": text,
                    "api_app_id": "A0SAMSPEL",
                    "is_enterprise_install": "false",
                    "response_url": f"{self.response_base}commands/{n}",
                    "trigger_id": f"{n}.1.demo",
                }
            )
        )

    def click(self, action_id: str, value: str, *, user: str, channel: str, message_ts: str) -> BoltResponse:
        n = self._id()
        payload = {
            "type": "block_actions",
            "team": {"id": self.team, "domain": "kommunen"},
            "user": {"id": user, "username": user.lower(), "team_id": self.team},
            "api_app_id": "A0SAMSPEL",
            "token": "unused",
            "trigger_id": f"{n}.2.demo",
            "channel": {"id": channel, "name": channel},
            "container": {"type": "message", "message_ts": message_ts, "channel_id": channel, "is_ephemeral": False},
            "message": {"ts": message_ts, "text": "", "type": "message", "user": self.bot_user},
            "response_url": f"{self.response_base}actions/{n}",
            "actions": [
                {"type": "button", "action_id": action_id, "block_id": "b", "value": value, "action_ts": f"{int(time.time())}.{n:06d}"}
            ],
        }
        return self.send(urlencode({"payload": json.dumps(payload)}))

    def event(self, event: dict[str, Any]) -> BoltResponse:
        body = json.dumps(
            {
                "token": "unused",
                "team_id": self.team,
                "api_app_id": "A0SAMSPEL",
                "type": "event_callback",
                "event": event,
                "event_id": f"Ev{self._id():08d}",
                "event_time": int(time.time()),
                "authorizations": [{"team_id": self.team, "user_id": self.bot_user, "is_bot": True}],
            }
        )
        return self.send(body, content_type="application/json")
