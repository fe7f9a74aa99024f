"""A local HTTP server that answers like the Slack Web API and records every call.

Point the real `slack_sdk.WebClient` at `server.url` (SLACK_API_URL). Faults can
be planned per method: `fail_next("chat.postMessage", "429", retry_after=3)`,
`"500"`, `"drop_before"` (connection closed, nothing stored) or `"drop_after"`
(the message is stored, then the connection is closed: a lost reply).
"""

from __future__ import annotations

import itertools
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

BOT_USER = "UBOT"
TEAM = "T0001"


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    # The bearer token the call carried (Authorization header), None for none or Basic auth.
    token: str | None = None

    def __getitem__(self, key: str) -> Any:
        return self.params[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.params.get(key, default)


@dataclass
class _Fault:
    kind: str
    retry_after: int = 1


@dataclass
class Channel:
    """A conversation as `conversations.info`/`members` describe it."""

    id: str
    kind: str = "private"  # private|public|im|mpim
    members: set[str] = field(default_factory=set)

    def info(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.id.lower(), "is_channel": self.kind == "public",
                "is_group": self.kind == "private", "is_private": self.kind in ("private", "im", "mpim"),
                "is_im": self.kind == "im", "is_mpim": self.kind == "mpim", "is_member": BOT_USER in self.members}


@dataclass
class MockSlack:
    calls: list[Call] = field(default_factory=list)
    # Conversations Slack knows; any other id is `channel_not_found`, as for a channel the bot cannot see.
    channels: dict[str, Channel] = field(default_factory=dict)
    messages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    faults: dict[str, list[_Fault]] = field(default_factory=dict)
    # users.info answers real_name from here (default: the id itself).
    names: dict[str, str] = field(default_factory=dict)
    # OAuth (distributed mode): bot tokens issued by oauth.v2.access, token → team; revoked ones answer invalid_auth.
    tokens: dict[str, str] = field(default_factory=dict)
    refresh_tokens: dict[str, str] = field(default_factory=dict)
    revoked: set[str] = field(default_factory=set)
    # Issue rotating tokens (refresh_token + expires_in), as an app with token rotation on.
    rotation: bool = False
    _ts: itertools.count = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_next(self, method: str, kind: str, *, times: int = 1, retry_after: int = 1) -> None:
        with self._lock:
            self.faults.setdefault(method, []).extend(_Fault(kind, retry_after) for _ in range(times))

    def add_channel(self, channel_id: str, *members: str, kind: str = "private", bot: bool = True) -> Channel:
        with self._lock:
            channel = Channel(channel_id, kind, set(members) | ({BOT_USER} if bot else set()))
            self.channels[channel_id] = channel
            return channel

    def leave(self, channel_id: str, user: str) -> None:
        with self._lock:
            self.channels[channel_id].members.discard(user)

    def join(self, channel_id: str, user: str) -> None:
        with self._lock:
            self.channels[channel_id].members.add(user)

    def of(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    @property
    def posts(self) -> list[Call]:
        return self.of("chat.postMessage")

    def posted_to(self, channel: str) -> list[dict[str, Any]]:
        with self._lock:
            return list(self.messages.get(channel, []))

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.messages.clear()
            self.faults.clear()

    # --- answers -----------------------------------------------------------

    def token_of(self, team: str) -> str | None:
        """The newest bot token issued to `team`."""
        with self._lock:
            found = [token for token, t in self.tokens.items() if t == team]
        return found[-1] if found else None

    def revoke(self, team: str) -> None:
        with self._lock:
            self.revoked.update(token for token, t in self.tokens.items() if t == team)

    def _oauth(self, p: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            if p.get("grant_type") == "refresh_token":
                team = self.refresh_tokens.pop(str(p.get("refresh_token")), None)
                if team is None:
                    return {"ok": False, "error": "invalid_refresh_token"}
            else:
                code = str(p.get("code") or "")
                if not code.startswith("code-"):
                    return {"ok": False, "error": "invalid_code"}
                team = code.removeprefix("code-")
            n = next(self._ts)
            token = f"xoxb-{team}-{n}"
            self.tokens[token] = team
            answer: dict[str, Any] = {
                "ok": True, "app_id": "A0001", "authed_user": {"id": "UINSTALL"}, "scope": "commands,chat:write",
                "token_type": "bot", "access_token": token, "bot_user_id": BOT_USER,
                "team": {"id": team, "name": f"Kommun {team}"}, "enterprise": None, "is_enterprise_install": False,
            }
            if self.rotation:
                refresh = f"xoxe-{team}-{n}"
                self.refresh_tokens[refresh] = team
                answer.update(refresh_token=refresh, expires_in=43200)
            return answer

    def handle(self, method: str, params: dict[str, Any], token: str | None = None) -> tuple[int, dict[str, Any], dict[str, str], str | None]:
        """Returns (status, body, headers, fault) for one call."""
        with self._lock:
            self.calls.append(Call(method, params, token))
            if token is not None and (token in self.revoked or (self.tokens and token not in self.tokens)):
                return 200, {"ok": False, "error": "invalid_auth"}, {}, None
            queue = self.faults.get(method) or []
            fault = queue.pop(0) if queue else None
        if fault and fault.kind == "429":
            return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(fault.retry_after)}, None
        if fault and fault.kind == "500":
            return 500, {"ok": False, "error": "internal_error"}, {}, None
        if fault and fault.kind == "drop_before":
            return 0, {}, {}, "drop"
        if method == "auth.test" and token in self.tokens:  # a workspace's own token says which workspace
            team = self.tokens[token]
            body = {"ok": True, "user_id": BOT_USER, "bot_id": "B" + team, "team_id": team, "team": f"Kommun {team}",
                    "user": "samspel"}
        else:
            body = self._answer(method, params)
        return 200, body, {}, ("drop" if fault and fault.kind == "drop_after" else None)

    def _answer(self, method: str, p: dict[str, Any]) -> dict[str, Any]:
        if method == "oauth.v2.access":
            return self._oauth(p)
        if method == "auth.test":
            return {"ok": True, "user_id": BOT_USER, "bot_id": "B0001", "team_id": TEAM, "team": "Kommunen", "user": "samspel"}
        if method == "conversations.open":
            users = str(p.get("users", ""))
            return {"ok": True, "channel": {"id": "D" + users.split(",")[0].lstrip("U")}}
        if method == "chat.postMessage":
            ts = f"{1_700_000_000 + next(self._ts)}.000100"
            channel = str(p["channel"])
            if channel.startswith("U"):
                channel = "D" + channel[1:]
            meta = p.get("metadata")
            if isinstance(meta, str):
                meta = json.loads(meta)
            message = {"ts": ts, "text": p.get("text"), "blocks": p.get("blocks"), "metadata": meta, "user": BOT_USER}
            with self._lock:
                self.messages.setdefault(channel, []).append(message)
            return {"ok": True, "channel": channel, "ts": ts, "message": message}
        if method == "conversations.history":
            with self._lock:
                msgs = list(reversed(self.messages.get(str(p.get("channel")), [])))
            return {"ok": True, "messages": msgs, "has_more": False, "response_metadata": {"next_cursor": ""}}
        if method == "chat.update":
            with self._lock:
                for message in self.messages.get(str(p.get("channel")), []):
                    if message["ts"] == p.get("ts"):
                        message["text"], message["blocks"] = p.get("text"), p.get("blocks")
            return {"ok": True, "channel": p.get("channel"), "ts": p.get("ts")}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"{1_700_000_000 + next(self._ts)}.000200"}
        if method in ("views.open", "views.publish", "views.update", "views.push"):
            return {"ok": True, "view": {"id": "V0001"}}
        if method in ("conversations.info", "conversations.members"):
            with self._lock:
                channel = self.channels.get(str(p.get("channel")))
                if channel is None or (channel.kind != "public" and BOT_USER not in channel.members):
                    return {"ok": False, "error": "channel_not_found"}
                if method == "conversations.info":
                    return {"ok": True, "channel": channel.info()}
                if channel.kind in ("im", "mpim"):
                    return {"ok": False, "error": "method_not_supported_for_channel_type"}
                return {"ok": True, "members": sorted(channel.members), "response_metadata": {"next_cursor": ""}}
        if method == "users.info":
            return {"ok": True, "user": {"id": p.get("user"), "tz": "Europe/Stockholm", "real_name": self.names.get(str(p.get("user")), p.get("user"))}}
        if method == "apps.connections.open":
            return {"ok": False, "error": "not_allowed_in_tests"}
        return {"ok": True}


def _parse(body: bytes, content_type: str) -> dict[str, Any]:
    if not body:
        return {}
    if "json" in content_type:
        return json.loads(body)
    parsed = {k: v[0] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}
    for key in ("blocks", "metadata", "view", "attachments"):
        if isinstance(parsed.get(key), str) and parsed[key][:1] in "[{":
            parsed[key] = json.loads(parsed[key])
    return parsed


class SlackServer:
    """Runs MockSlack on 127.0.0.1 on a free port, in a thread."""

    def __init__(self) -> None:
        self.mock = MockSlack()
        mock = self.mock

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                method = self.path.rsplit("/", 1)[-1]
                params = _parse(body, self.headers.get("Content-Type", ""))
                auth = self.headers.get("Authorization", "")
                token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else None
                status, answer, headers, fault = mock.handle(method, params, token)
                if fault == "drop":
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                payload = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/api/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def __enter__(self) -> SlackServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
