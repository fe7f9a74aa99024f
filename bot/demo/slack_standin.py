"""A Slack Web API stand-in on 127.0.0.1, for `python -m bot demo`.

It answers the methods Samspel uses the way Slack does, closely enough that the real
WebClient, Bolt app and outbox deliverer cannot tell: the bot token is checked, channels
and DMs have members, and chat.postMessage refuses what Slack refuses (more than 50
blocks, a section over 3,000 characters, about 12,000 characters of block text, a text
over 40,000). Every call is recorded so the demo can show what each person saw.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

MAX_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
# Slack does not document it, but refuses messages whose blocks hold much more than this (msg_blocks_too_long).
MAX_BLOCKS_TEXT = 12_000
MAX_TEXT = 40_000
# Bodies larger than this are not read (Slack's own limit for a Web API call is far lower for messages).
MAX_BODY = 2 * 1024 * 1024


@dataclass
class Call:
    """One Web API call and what the stand-in answered."""

    method: str
    params: dict[str, Any]
    answer: dict[str, Any]

    @property
    def ok(self) -> bool:
        return bool(self.answer.get("ok"))


@dataclass
class Conversation:
    id: str
    name: str
    kind: str = "private"  # private | public | im
    members: set[str] = field(default_factory=set)
    messages: list[dict[str, Any]] = field(default_factory=list)

    def info(self, bot_user: str) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "is_channel": self.kind == "public",
            "is_group": self.kind == "private",
            "is_private": self.kind != "public",
            "is_im": self.kind == "im",
            "is_mpim": False,
            "is_member": bot_user in self.members,
        }


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    real_name: str
    tz: str = "Europe/Stockholm"
    locale: str = "sv-SE"


def _block_texts(block: dict[str, Any]) -> list[str]:
    """Every text a block carries, for Slack's size limits."""
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            text = node.get("text")
            if isinstance(text, str) and node.get("type") in ("mrkdwn", "plain_text", "text"):
                out.append(text)
            for value in node.values():
                if isinstance(value, dict | list):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(block)
    return out


def check_message(text: Any, blocks: Any, *, max_blocks: int = MAX_BLOCKS) -> str | None:
    """Slack's error code for a message it would refuse, or None."""
    if blocks in (None, "", []):
        blocks = []
    if not isinstance(blocks, list) or not all(isinstance(b, dict) and b.get("type") for b in blocks):
        return "invalid_blocks_format"
    if not text and not blocks:
        return "no_text"
    if isinstance(text, str) and len(text) > MAX_TEXT:
        return "msg_too_long"
    if len(blocks) > max_blocks:
        return "invalid_blocks"
    total = 0
    for block in blocks:
        t = block.get("text")
        if block["type"] == "section" and isinstance(t, dict) and len(t.get("text") or "") > MAX_SECTION_TEXT:
            return "invalid_blocks"
        if block["type"] == "header" and isinstance(t, dict) and len(t.get("text") or "") > MAX_HEADER_TEXT:
            return "invalid_blocks"
        if block["type"] == "actions" and len(block.get("elements") or []) > 25:
            return "invalid_blocks"
        total += sum(len(s) for s in _block_texts(block))
    if total > MAX_BLOCKS_TEXT:
        return "msg_blocks_too_long"
    return None


class SlackStandin:
    """The workspace's state and the Web API's answers; `serve()` puts it on 127.0.0.1."""

    def __init__(
        self, *, token: str, bot_user: str = "USAMSPEL", team: str = "T0KOMMUN", clock: Callable[[], datetime] | None = None
    ) -> None:
        self.token = token
        self.bot_user = bot_user
        self.team = team
        self.clock = clock or (lambda: datetime.now(UTC))
        self.people: dict[str, Person] = {}
        self.conversations: dict[str, Conversation] = {}
        self.calls: list[Call] = []
        # The Home tab each person last got, and the modals opened for them.
        self.homes: dict[str, dict[str, Any]] = {}
        self._seq = itertools.count(1)
        self._lock = threading.RLock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- the workspace ------------------------------------------------------

    def add_person(self, user_id: str, name: str, real_name: str, *, locale: str = "sv-SE") -> Person:
        person = Person(user_id, name, real_name, locale=locale)
        self.people[user_id] = person
        return person

    def add_channel(self, channel_id: str, name: str, *members: str, kind: str = "private") -> Conversation:
        conversation = Conversation(channel_id, name, kind, {*members, self.bot_user})
        self.conversations[channel_id] = conversation
        return conversation

    def dm_of(self, user_id: str) -> Conversation:
        """The bot's direct-message conversation with `user_id` (Slack's app DM)."""
        with self._lock:
            dm_id = "D" + user_id[1:]
            if dm_id not in self.conversations:
                self.conversations[dm_id] = Conversation(dm_id, user_id, "im", {user_id, self.bot_user})
            return self.conversations[dm_id]

    def name_of(self, user_id: str) -> str:
        person = self.people.get(user_id)
        return person.real_name.split()[0] if person else ("Samspel" if user_id == self.bot_user else user_id)

    def since(self, mark: int) -> list[Call]:
        with self._lock:
            return list(self.calls[mark:])

    @property
    def mark(self) -> int:
        with self._lock:
            return len(self.calls)

    def _ts(self) -> str:
        # Slack's ts is the send time in epoch seconds; the simulated clock keeps the history consistent.
        return f"{int(self.clock().timestamp())}.{next(self._seq):06d}"

    # --- answers ------------------------------------------------------------

    def handle(self, method: str, params: dict[str, Any], auth: str | None) -> dict[str, Any]:
        with self._lock:
            if not auth:
                answer: dict[str, Any] = {"ok": False, "error": "not_authed"}
            elif auth != f"Bearer {self.token}":
                answer = {"ok": False, "error": "invalid_auth"}
            else:
                answer = self._answer(method, params)
            self.calls.append(Call(method, params, answer))
            return answer

    def _conversation(self, channel: Any) -> Conversation | None:
        channel = str(channel or "")
        if channel.startswith(("U", "W")) and channel in self.people:
            # A user id as the channel of chat.postMessage: Slack posts to the app's DM with them.
            return self.dm_of(channel)
        return self.conversations.get(channel)

    def _answer(self, method: str, p: dict[str, Any]) -> dict[str, Any]:
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        if handler is None:
            return {"ok": False, "error": "unknown_method"}
        result: dict[str, Any] = handler(p)
        return result

    def _auth_test(self, p: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://kommunen.slack.com/",
            "team": "Kommunen",
            "user": "samspel",
            "team_id": self.team,
            "user_id": self.bot_user,
            "bot_id": "B0SAMSPEL",
        }

    def _visible(self, p: dict[str, Any]) -> Conversation | None:
        conversation = self.conversations.get(str(p.get("channel") or ""))
        if conversation is None or (conversation.kind != "public" and self.bot_user not in conversation.members):
            return None
        return conversation

    def _conversations_info(self, p: dict[str, Any]) -> dict[str, Any]:
        conversation = self._visible(p)
        if conversation is None:
            return {"ok": False, "error": "channel_not_found"}
        return {"ok": True, "channel": conversation.info(self.bot_user)}

    def _conversations_members(self, p: dict[str, Any]) -> dict[str, Any]:
        conversation = self._visible(p)
        if conversation is None:
            return {"ok": False, "error": "channel_not_found"}
        if conversation.kind == "im":
            return {"ok": False, "error": "method_not_supported_for_channel_type"}
        return {"ok": True, "members": sorted(conversation.members), "response_metadata": {"next_cursor": ""}}

    def _conversations_open(self, p: dict[str, Any]) -> dict[str, Any]:
        users = [u for u in str(p.get("users") or "").split(",") if u]
        if len(users) != 1:
            return {"ok": False, "error": "not_enough_users" if not users else "too_many_users"}
        if users[0] not in self.people:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "channel": {"id": self.dm_of(users[0]).id}}

    def _conversations_history(self, p: dict[str, Any]) -> dict[str, Any]:
        conversation = self._visible(p)
        if conversation is None:
            return {"ok": False, "error": "channel_not_found"}
        oldest = float(p.get("oldest") or 0)
        limit = int(p.get("limit") or 100)
        newest_first = [m for m in reversed(conversation.messages) if float(m["ts"]) >= oldest]
        return {
            "ok": True,
            "messages": newest_first[:limit],
            "has_more": len(newest_first) > limit,
            "response_metadata": {"next_cursor": ""},
        }

    def _chat_postMessage(self, p: dict[str, Any]) -> dict[str, Any]:
        conversation = self._conversation(p.get("channel"))
        if conversation is None:
            return {"ok": False, "error": "channel_not_found"}
        if self.bot_user not in conversation.members:
            return {"ok": False, "error": "not_in_channel"}
        refused = check_message(p.get("text"), p.get("blocks"))
        if refused:
            return {"ok": False, "error": refused}
        message = {
            "type": "message",
            "ts": self._ts(),
            "user": self.bot_user,
            "text": p.get("text") or "",
            "blocks": p.get("blocks") or [],
            "metadata": p.get("metadata"),
        }
        conversation.messages.append(message)
        return {"ok": True, "channel": conversation.id, "ts": message["ts"], "message": message}

    def _chat_update(self, p: dict[str, Any]) -> dict[str, Any]:
        conversation = self._conversation(p.get("channel"))
        if conversation is None:
            return {"ok": False, "error": "channel_not_found"}
        message = next((m for m in conversation.messages if m["ts"] == p.get("ts")), None)
        if message is None:
            return {"ok": False, "error": "message_not_found"}
        refused = check_message(p.get("text") or message["text"], p.get("blocks"))
        if refused:
            return {"ok": False, "error": refused}
        message["text"] = p.get("text") or message["text"]
        message["blocks"] = p.get("blocks") or []
        return {"ok": True, "channel": conversation.id, "ts": message["ts"], "text": message["text"]}

    def _chat_postEphemeral(self, p: dict[str, Any]) -> dict[str, Any]:
        conversation = self._conversation(p.get("channel"))
        if conversation is None:
            return {"ok": False, "error": "channel_not_found"}
        if str(p.get("user")) not in conversation.members:
            return {"ok": False, "error": "user_not_in_channel"}
        refused = check_message(p.get("text"), p.get("blocks"))
        if refused:
            return {"ok": False, "error": refused}
        return {"ok": True, "message_ts": self._ts()}

    def _views_publish(self, p: dict[str, Any]) -> dict[str, Any]:
        user, view = str(p.get("user_id") or ""), p.get("view")
        if user not in self.people:
            return {"ok": False, "error": "user_not_found"}
        if not isinstance(view, dict) or check_message("-", view.get("blocks"), max_blocks=MAX_VIEW_BLOCKS):
            return {"ok": False, "error": "invalid_arguments"}
        self.homes[user] = view
        return {"ok": True, "view": {"id": f"VHOME{user}", **view}}

    def _views_open(self, p: dict[str, Any]) -> dict[str, Any]:
        view = p.get("view")
        if not p.get("trigger_id"):
            return {"ok": False, "error": "invalid_trigger_id"}
        if not isinstance(view, dict) or check_message("-", view.get("blocks"), max_blocks=MAX_VIEW_BLOCKS):
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True, "view": {"id": f"V{next(self._seq):06d}", **view}}

    def _views_update(self, p: dict[str, Any]) -> dict[str, Any]:
        view = p.get("view")
        if not isinstance(view, dict):
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True, "view": {"id": p.get("view_id") or "V0", **view}}

    def _users_info(self, p: dict[str, Any]) -> dict[str, Any]:
        person = self.people.get(str(p.get("user") or ""))
        if person is None:
            return {"ok": False, "error": "user_not_found"}
        return {
            "ok": True,
            "user": {
                "id": person.id,
                "team_id": self.team,
                "name": person.name,
                "real_name": person.real_name,
                "tz": person.tz,
                "locale": person.locale,
                "profile": {"real_name": person.real_name, "display_name": person.name},
            },
        }

    # --- HTTP ---------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self._httpd is not None, "serve() first"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/api/"

    def serve(self) -> SlackStandin:
        """Listen on a free port of 127.0.0.1 (never another interface), in a daemon thread."""
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                try:
                    length = int(self.headers.get("Content-Length") or 0)
                except ValueError:
                    length = -1
                if not 0 <= length <= MAX_BODY:
                    self._reply(413, {"ok": False, "error": "request_too_large"})
                    return
                body = self.rfile.read(length)
                if not self.path.startswith("/api/"):
                    # A response_url: Samspel does not use them, so nothing may arrive here.
                    self._reply(404, {"ok": False, "error": "not_found"})
                    return
                try:
                    params = _parse(body, self.headers.get("Content-Type", ""))
                except ValueError:
                    self._reply(200, {"ok": False, "error": "invalid_form_data"})
                    return
                auth = self.headers.get("Authorization") or (f"Bearer {params['token']}" if params.get("token") else None)
                self._reply(200, standin.handle(self.path.removeprefix("/api/"), params, auth))

            def _reply(self, status: int, answer: dict[str, Any]) -> None:
                payload = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="slack-standin", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> SlackStandin:
        return self.serve()

    def __exit__(self, *exc: object) -> None:
        self.close()


def _parse(body: bytes, content_type: str) -> dict[str, Any]:
    """A Web API call's arguments: JSON, or a form whose blocks/view/metadata are JSON strings."""
    if not body:
        return {}
    text = body.decode("utf-8")
    if "json" in content_type:
        parsed = json.loads(text)
        if not isinstance(parsed, dict):
            raise ValueError("not an object")
        return parsed
    params: dict[str, Any] = {k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items()}
    for key in ("blocks", "metadata", "view", "attachments"):
        value = params.get(key)
        if isinstance(value, str) and value[:1] in "[{":
            params[key] = json.loads(value)
    return params
