"""A local HTTP server that answers like the Slack Web API, as strictly as Slack, and records every call.

Point the real `slack_sdk.WebClient` at `server.url` (SLACK_API_URL). It refuses what
Slack refuses:

- `chat.postMessage` above about one per second per channel (a token bucket: a burst
  of 3, then 1 a second) gets 429 with Retry-After; an optional workspace-wide cap too;
- more than 50 blocks, or a block over its own limit (a section's text over 3,000
  characters, a header over 150, anything slack_sdk's models refuse, a rich text element
  without its required fields, such as a `canvas` without `file_id`): `invalid_blocks`;
- more than 12,000 characters of text in the blocks: `msg_blocks_too_long`;
- text over 40,000 characters: `msg_too_long`; neither text nor blocks: `no_text`;
- a view (views.open/publish/update/push) with more than 100 blocks: `invalid_arguments`;
- the same for what the bot answers a request with (a command's ephemeral ack, a modal's
  `response_action`): `ack_error`, which `tests.support.signing.SlackDriver` checks on every
  response, as Slack shows the person an error instead of such an answer;
- any other method above its tier, per workspace (Tier 2: 20 calls a minute, Tier 3: 50,
  Tier 4: 100; a minute's worth at once, then evenly): 429 with Retry-After, for that
  method in that workspace only.

The rate limit runs on `clock` (seconds; tests pass the bot's FakeClock through
`use_clock`, so they stay deterministic); message ts come from `wall`. Faults can be
planned per method: `fail_next("chat.postMessage", "429", retry_after=3)`, `"500"`,
`"drop_before"` (connection closed, nothing stored) or `"drop_after"` (the message is
stored, then the connection is closed: a lost reply); `start_outage()` fails every call
until `end_outage()`.

It speaks HTTP/1.1 and keeps connections alive, as Slack does, closing one that is idle
for `Limits.keepalive_s`; `connections` counts the TCP connections it accepted.

Run on its own for benchmarks: `python -m tests.support.slack_mock --port 0` prints its URL;
`GET /_mock/stats` then answers what it accepted, refused and rate limited; `GET /_mock/count`
how many posts it accepted.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block as SdkBlock
from slack_sdk.models.views import View

BOT_USER = "UBOT"
TEAM = "T0001"
MAX_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_BLOCK_TEXT = 12_000
MAX_TEXT = 40_000
MESSAGE_METHODS = ("chat.postMessage", "chat.update", "chat.postEphemeral")
VIEW_METHODS = ("views.open", "views.publish", "views.update", "views.push")

Answer = tuple[int, dict[str, Any], dict[str, str], str | None]


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


FAULTS = frozenset({"500", "429", "drop_before", "drop_after"})
# A canvas holds at most 1 MiB of Markdown (conversations.canvases.create).
CANVAS_MAX_CHARS = 1_048_576


@dataclass
class Channel:
    """A conversation as `conversations.info`/`members` describe it."""

    id: str
    kind: str = "private"  # private|public|im|mpim
    members: set[str] = field(default_factory=set)
    # The channel canvas (conversations.canvases.create), as conversations.info shows it.
    canvas_id: str | None = None

    def info(self) -> dict[str, Any]:
        info = {
            "id": self.id,
            "name": self.id.lower(),
            "is_channel": self.kind == "public",
            "is_group": self.kind == "private",
            "is_private": self.kind in ("private", "im", "mpim"),
            "is_im": self.kind == "im",
            "is_mpim": self.kind == "mpim",
            "is_member": BOT_USER in self.members,
        }
        if self.canvas_id:
            info["properties"] = {"canvas": {"file_id": self.canvas_id, "is_empty": False}}
        return info


@dataclass
class Bucket:
    """Slack's rate limit as a token bucket: `burst` calls at once, then `rate` a second."""

    rate: float
    burst: int
    tokens: float = -1.0
    at: float = 0.0

    def take(self, now: float) -> float:
        """0 if a call may go now (and spends a token), else the seconds until one may."""
        if self.tokens < 0:
            self.tokens, self.at = float(self.burst), now
        self.tokens = min(float(self.burst), self.tokens + max(now - self.at, 0.0) * self.rate)
        self.at = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / self.rate


@dataclass
class Limits:
    channel_rate: float = 1.0
    channel_burst: int = 3
    workspace_rate: float | None = None  # e.g. 5.0 for a workspace-wide cap on chat.postMessage
    workspace_burst: int = 20
    rate_limits: bool = True
    # Every other method's tier (METHOD_TIERS), per workspace; False: only chat.postMessage is limited.
    method_tiers: bool = True
    # An idle kept-alive connection is closed after this many seconds, as Slack's edge does.
    keepalive_s: float = 60.0
    # A simulated network round trip (seconds): every answer waits one, a new connection two more
    # (the TCP and TLS handshakes). 0 on loopback; about 0.03 from Sweden to Slack's edge.
    rtt_s: float = 0.0


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


# Rich text as Slack's reference pages list it (docs.slack.dev/reference/block-kit/blocks/rich-text-block and
# .../block-elements/*-element): the containers a rich_text block holds, and the leaf elements the fake knows with the
# fields each requires. slack_sdk has no model for several leaves (canvas, file) and skips them with a warning, so the
# fake checks rich text itself. A leaf the fake does not know is refused: stricter than Slack, never looser.
_RICH_CONTAINERS = ("rich_text_section", "rich_text_list", "rich_text_quote", "rich_text_preformatted")
_RICH_LEAVES: dict[str, tuple[str, ...]] = {
    "text": ("text",),
    "link": ("url",),
    "user": ("user_id",),
    "channel": ("channel_id",),
    "usergroup": ("usergroup_id",),
    "team": ("team_id",),
    "emoji": ("name",),
    "broadcast": ("range",),
    "date": ("timestamp", "format"),
    "color": ("value",),
    "canvas": ("file_id",),  # "Renders as a link to a canvas" (block-elements/canvas-element)
    "file": ("file_id",),
}


def _rich_text_problem(block: dict[str, Any]) -> str | None:
    containers = block.get("elements")
    if not isinstance(containers, list) or not containers:
        return "rich_text needs elements"
    for container in containers:
        kind = container.get("type") if isinstance(container, dict) else None
        if kind not in _RICH_CONTAINERS:
            return f"rich_text element {kind!r} is not one of {', '.join(_RICH_CONTAINERS)}"
        inner = container.get("elements")
        if not isinstance(inner, list):
            return f"{kind} needs elements"
        if kind == "rich_text_list":
            if container.get("style") not in ("bullet", "ordered"):
                return "rich_text_list needs style bullet or ordered"
            if any(not isinstance(e, dict) or e.get("type") != "rich_text_section" for e in inner):
                return "rich_text_list holds rich_text_section elements only"
            problem = _rich_text_problem({"elements": inner})
            if problem:
                return problem
            continue
        for leaf in inner:
            leaf_kind = leaf.get("type") if isinstance(leaf, dict) else None
            if leaf_kind not in _RICH_LEAVES:
                return f"unknown rich text element {leaf_kind!r}"
            missing = [name for name in _RICH_LEAVES[leaf_kind] if leaf.get(name) in (None, "")]
            if missing:
                return f"rich text {leaf_kind} needs {', '.join(missing)}"
    return None


def _block_problem(block: Any) -> str | None:
    if not isinstance(block, dict):
        return "a block must be an object"
    if block.get("type") == "rich_text":
        return "block_id over 255 characters" if len(str(block.get("block_id") or "")) > 255 else _rich_text_problem(block)
    text = block.get("text")
    limit = {"section": 3000, "header": 150}.get(str(block.get("type")))
    if limit and isinstance(text, dict) and len(str(text.get("text", ""))) > limit:
        return f"{block['type']} text over {limit} characters"
    parsed = SdkBlock.parse(block)
    if parsed is None:
        return f"unknown block type {block.get('type')!r}"
    try:
        parsed.validate_json()
    except SlackObjectFormationError as err:
        return str(err)
    return None


def message_error(params: dict[str, Any]) -> str | None:
    """What Slack answers a message payload over its limits (None: it is accepted)."""
    blocks = params.get("blocks") or []
    text = params.get("text") or ""
    if not isinstance(blocks, list) or len(blocks) > MAX_BLOCKS or any(_block_problem(b) for b in blocks):
        return "invalid_blocks"
    if sum(len(t) for t in _texts(blocks)) > MAX_BLOCK_TEXT:
        return "msg_blocks_too_long"
    if len(text) > MAX_TEXT:
        return "msg_too_long"
    return None if text or blocks else "no_text"


def ack_error(body: str | bytes | None) -> str | None:
    """What Slack answers an HTTP response (an ack) that carries a message or a view over its limits (None: shown).

    A command's ack is a message like any other, and a modal's `response_action` update or push a view;
    a response_url body would be the same message (Samspel sends none).
    """
    if not body:
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None  # plain text: Slack shows it as it is
    if not isinstance(data, dict):
        return "invalid_payload"
    if data.get("response_action") in ("update", "push"):
        return view_error({"view": data.get("view")})
    if "text" in data or "blocks" in data:
        return message_error(data)
    return None


def view_error(params: dict[str, Any]) -> str | None:
    view = params.get("view") or {}
    blocks = view.get("blocks") or []
    if len(blocks) > MAX_VIEW_BLOCKS or any(_block_problem(b) for b in blocks):
        return "invalid_arguments"
    # The view itself, as Slack checks it: a title and buttons of at most 24 characters,
    # private_metadata of at most 3,000, callback_id of at most 255 (slack_sdk's View knows the limits).
    if blocks:
        try:
            View(**{k: v for k, v in view.items() if k != "blocks"}, blocks=blocks).validate_json()
        except (SlackObjectFormationError, TypeError):
            return "invalid_arguments"
    return None


# The scopes each method needs (any one of a tuple will do), as Slack's method pages list them.
METHOD_SCOPES: dict[str, tuple[str, ...]] = {
    "chat.postMessage": ("chat:write",),
    "chat.postEphemeral": ("chat:write",),
    "chat.update": ("chat:write",),
    "conversations.open": ("im:write",),
    "conversations.history": ("channels:history", "groups:history", "im:history", "mpim:history"),
    "conversations.info": ("channels:read", "groups:read", "im:read", "mpim:read"),
    "conversations.members": ("channels:read", "groups:read", "im:read", "mpim:read"),
    "users.info": ("users:read",),
    "conversations.canvases.create": ("canvases:write",),
    "canvases.edit": ("canvases:write",),
    "files.getUploadURLExternal": ("files:write",),
    "files.completeUploadExternal": ("files:write",),
}


# conversations.info/members need the read scope of the conversation's own type (Slack's method pages).
KIND_SCOPES = {"public": "channels:read", "private": "groups:read", "im": "im:read", "mpim": "mpim:read"}


# Calls a minute per workspace for each of Slack's tiers, and each method's tier, as its method page lists it.
TIER_PER_MINUTE = {2: 20, 3: 50, 4: 100}
METHOD_TIERS: dict[str, int] = {
    "chat.postEphemeral": 4,
    "chat.update": 3,
    "conversations.open": 3,
    "conversations.history": 3,
    "conversations.info": 3,
    "conversations.members": 4,
    "users.info": 4,
    "conversations.canvases.create": 2,
    "canvases.edit": 3,
    "files.getUploadURLExternal": 4,
    "files.completeUploadExternal": 4,
    "views.open": 4,
    "views.publish": 4,
    "views.update": 4,
    "views.push": 4,
}


@dataclass
class MockSlack:
    calls: list[Call] = field(default_factory=list)
    # Conversations Slack knows; any other id is `channel_not_found`, as for a channel the bot cannot see.
    channels: dict[str, Channel] = field(default_factory=dict)
    messages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    faults: dict[str, list[_Fault]] = field(default_factory=dict)
    # users.info answers real_name from here (default: the id itself).
    names: dict[str, str] = field(default_factory=dict)
    # users.info with include_locale answers the locale from here (none set: no locale, so SAMSPEL_LANGUAGE decides).
    locales: dict[str, str] = field(default_factory=dict)
    # The bot token's scopes; a method needing one it lacks answers missing_scope. None: every scope.
    scopes: frozenset[str] | None = None
    # Canvases by id, as Markdown; False: a free plan, where channel canvases cannot be created.
    canvases: dict[str, str] = field(default_factory=dict)
    canvases_allowed: bool = True
    # files.uploadV2: file id → {"name", "content", "channel", "comment"} once completed.
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    # OAuth (distributed mode): bot tokens issued by oauth.v2.access, token → team; revoked ones answer invalid_auth.
    tokens: dict[str, str] = field(default_factory=dict)
    refresh_tokens: dict[str, str] = field(default_factory=dict)
    revoked: set[str] = field(default_factory=set)
    # team → its Enterprise Grid org (None: an ordinary workspace), as it was installed.
    enterprises: dict[str, str | None] = field(default_factory=dict)
    # Issue rotating tokens (refresh_token + expires_in), as an app with token rotation on.
    rotation: bool = False
    _ts: itertools.count = field(default_factory=lambda: itertools.count(1))
    limits: Limits = field(default_factory=Limits)
    clock: Callable[[], float] = time.monotonic
    wall: Callable[[], float] = time.time
    # What Slack refused: (method, error) for sizes, and 429s per channel.
    refused: list[tuple[str, str]] = field(default_factory=list)
    rate_limited: Counter[str] = field(default_factory=Counter)
    # 429s for the other methods, by method (their tiers).
    method_limited: Counter[str] = field(default_factory=Counter)
    outage: str | None = None
    # TCP connections accepted (HTTP/1.1 keeps them alive, as Slack does).
    connections: int = 0
    _buckets: dict[str, Bucket] = field(default_factory=dict)
    _last_ts: float = 0.0
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)
    # Where the fake answers (set by SlackServer): upload URLs point back at it.
    base_url: str = "http://127.0.0.1/api/"

    def use_clock(self, fake: Any) -> None:
        """Run the rate limit and the ts on a FakeClock (the bot's), so a test decides when time passes."""
        self.clock = self.wall = lambda: fake.now().timestamp()

    def fail_next(self, method: str, kind: str, *, times: int = 1, retry_after: int = 1) -> None:
        if kind not in FAULTS:
            raise ValueError(f"unknown fault {kind!r}: one of {sorted(FAULTS)}")
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

    def start_outage(self, kind: str = "500") -> None:
        """Every call fails ("500", "429" or "drop_before") until end_outage()."""
        if kind not in FAULTS:
            raise ValueError(f"unknown fault {kind!r}: one of {sorted(FAULTS)}")
        self.outage = kind

    def end_outage(self) -> None:
        self.outage = None

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
            self.refused.clear()
            self.rate_limited.clear()
            self.method_limited.clear()
            self._buckets.clear()

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
                # "code-T0001" installs in a workspace; "code-E0001:T0009" in a workspace of an Enterprise Grid org.
                enterprise, _, team = code.removeprefix("code-").rpartition(":")
                self.enterprises[team] = enterprise or None
            n = next(self._ts)
            token = f"xoxb-{team}-{n}"
            self.tokens[token] = team
            answer: dict[str, Any] = {
                "ok": True,
                "app_id": "A0001",
                "authed_user": {"id": "UINSTALL"},
                "scope": "commands,chat:write",
                "token_type": "bot",
                "access_token": token,
                "bot_user_id": BOT_USER,
                "team": {"id": team, "name": f"Kommun {team}"},
                "enterprise": {"id": self.enterprises[team], "name": "Regionen"} if self.enterprises.get(team) else None,
                "is_enterprise_install": False,
            }
            if self.rotation:
                refresh = f"xoxe-{team}-{n}"
                self.refresh_tokens[refresh] = team
                answer.update(refresh_token=refresh, expires_in=43200)
            return answer

    def handle(self, method: str, params: dict[str, Any], token: str | None = None) -> Answer:
        """Returns (status, body, headers, fault) for one call."""
        with self._lock:
            self.calls.append(Call(method, params, token))
            if token is not None and (token in self.revoked or (self.tokens and token not in self.tokens)):
                return 200, {"ok": False, "error": "invalid_auth"}, {}, None
            queue = self.faults.get(method) or []
            fault = queue.pop(0) if queue else None
        kind = fault.kind if fault else self.outage
        if kind == "429":
            return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(fault.retry_after if fault else 1)}, None
        if kind == "500":
            return 500, {"ok": False, "error": "internal_error"}, {}, None
        if kind == "drop_before":
            return 0, {}, {}, "drop"
        needed = METHOD_SCOPES.get(method)
        if self.scopes is not None and needed and not set(needed) & self.scopes:
            return 200, {"ok": False, "error": "missing_scope", "needed": needed[0], "provided": ",".join(sorted(self.scopes))}, {}, None
        refusal = self._refusal(method, params, token)
        if refusal is not None:
            return refusal
        if method == "auth.test" and token in self.tokens:  # a workspace's own token says which workspace
            team = self.tokens[token]
            body = {"ok": True, "user_id": BOT_USER, "bot_id": "B" + team, "team_id": team, "team": f"Kommun {team}", "user": "samspel"}
            if self.enterprises.get(team):
                body.update(enterprise_id=self.enterprises[team], is_enterprise_install=False)
        else:
            body = self._answer(method, params)
        return 200, body, {}, ("drop" if kind == "drop_after" else None)

    def _refusal(self, method: str, params: dict[str, Any], token: str | None = None) -> Answer | None:
        error = message_error(params) if method in MESSAGE_METHODS else view_error(params) if method in VIEW_METHODS else None
        if error is not None:
            with self._lock:
                self.refused.append((method, error))
            return 200, {"ok": False, "error": error}, {}, None
        if method == "chat.postMessage" and self.limits.rate_limits:
            wait = self._rate_wait(self._channel(params), token)
            if wait > 0:
                return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(max(1, math.ceil(wait)))}, None
        if method in METHOD_TIERS and self.limits.rate_limits and self.limits.method_tiers:
            wait = self._tier_wait(method, token)
            if wait > 0:
                return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(max(1, math.ceil(wait)))}, None
        return None

    def _tier_wait(self, method: str, token: str | None) -> float:
        per_minute = TIER_PER_MINUTE[METHOD_TIERS[method]]
        now = self.clock()
        with self._lock:
            bucket = self._buckets.setdefault(f"{method}@{token}", Bucket(per_minute / 60.0, per_minute))
            wait = bucket.take(now)
            if wait > 0:
                self.method_limited[method] += 1
            return wait

    def _rate_wait(self, channel: str, token: str | None = None) -> float:
        now = self.clock()
        with self._lock:
            limits = self.limits
            buckets = [self._buckets.setdefault(channel, Bucket(limits.channel_rate, limits.channel_burst))]
            if limits.workspace_rate:
                # A workspace-wide cap is the workspace's own: each token (one per installation) has its bucket.
                buckets.append(self._buckets.setdefault(f"*:{token}", Bucket(limits.workspace_rate, limits.workspace_burst)))
            # Peek first: a refused call spends no token anywhere.
            waits = [Bucket(b.rate, b.burst, b.tokens, b.at).take(now) for b in buckets]
            if max(waits) > 0:
                self.rate_limited[channel] += 1
                return max(waits)
            for bucket in buckets:
                bucket.take(now)
            return 0.0

    @staticmethod
    def _channel(params: dict[str, Any]) -> str:
        channel = str(params.get("channel"))
        return "D" + channel[1:] if channel.startswith("U") else channel

    def _post(self, p: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(p)
        meta = p.get("metadata")
        if isinstance(meta, str):
            meta = json.loads(meta)
        with self._lock:
            self._last_ts = max(self.wall(), self._last_ts + 0.000001)
            ts = f"{self._last_ts:.6f}"
            message = {
                "ts": ts,
                "text": p.get("text"),
                "blocks": p.get("blocks"),
                "metadata": meta,
                "user": BOT_USER,
                "received": time.time(),
            }
            self.messages.setdefault(channel, []).append(message)
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _history(self, p: dict[str, Any]) -> dict[str, Any]:
        oldest = float(p.get("oldest") or 0)
        latest = float(p.get("latest") or math.inf)
        limit = int(p.get("limit") or 100)
        start = int(p.get("cursor") or 0)
        with self._lock:
            found = [m for m in reversed(self.messages.get(str(p.get("channel")), [])) if oldest <= float(m["ts"]) <= latest]
        page = found[start : start + limit]
        if not p.get("include_all_metadata") or str(p.get("include_all_metadata")).lower() in ("0", "false"):
            page = [{k: v for k, v in m.items() if k != "metadata"} for m in page]
        more = start + limit < len(found)
        return {"ok": True, "messages": page, "has_more": more, "response_metadata": {"next_cursor": str(start + limit) if more else ""}}

    def _update(self, p: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            for message in self.messages.get(str(p.get("channel")), []):
                if message["ts"] == p.get("ts"):
                    message["text"], message["blocks"] = p.get("text"), p.get("blocks")
                    return {"ok": True, "channel": p.get("channel"), "ts": p.get("ts")}
        return {"ok": False, "error": "message_not_found"}

    def _answer(self, method: str, p: dict[str, Any]) -> dict[str, Any]:
        if method == "oauth.v2.access":
            return self._oauth(p)
        if method == "auth.test":
            return {"ok": True, "user_id": BOT_USER, "bot_id": "B0001", "team_id": TEAM, "team": "Kommunen", "user": "samspel"}
        if method == "conversations.open":
            users = str(p.get("users", ""))
            return {"ok": True, "channel": {"id": "D" + users.split(",")[0].lstrip("U")}}
        if method == "chat.postMessage":
            return self._post(p)
        if method == "conversations.history":
            return self._history(p)
        if method == "chat.update":
            return self._update(p)
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"{self.wall():.6f}"}
        if method in VIEW_METHODS:
            return {"ok": True, "view": {"id": f"V{next(self._ids):04d}"}}
        if method in ("conversations.info", "conversations.members"):
            with self._lock:
                channel = self.channels.get(str(p.get("channel")))
                if channel is None or (channel.kind != "public" and BOT_USER not in channel.members):
                    return {"ok": False, "error": "channel_not_found"}
                # As Slack: the scope that counts is the one for the conversation's type.
                needed = KIND_SCOPES[channel.kind]
                if self.scopes is not None and needed not in self.scopes:
                    return {"ok": False, "error": "missing_scope", "needed": needed, "provided": ",".join(sorted(self.scopes))}
                if method == "conversations.info":
                    return {"ok": True, "channel": channel.info()}
                if channel.kind in ("im", "mpim"):
                    return {"ok": False, "error": "method_not_supported_for_channel_type"}
                return {"ok": True, "members": sorted(channel.members), "response_metadata": {"next_cursor": ""}}
        if method == "users.info":
            user_id = str(p.get("user"))
            user = {"id": user_id, "tz": "Europe/Stockholm", "real_name": self.names.get(user_id, user_id)}
            # As Slack: the locale only when asked for (include_locale=true).
            if str(p.get("include_locale")).lower() in ("true", "1") and user_id in self.locales:
                user["locale"] = self.locales[user_id]
            return {"ok": True, "user": user}
        if method in ("conversations.canvases.create", "canvases.edit"):
            return self._canvas(method, p)
        if method in ("files.getUploadURLExternal", "files.completeUploadExternal"):
            return self._file(method, p)
        if method == "apps.connections.open":
            return {"ok": False, "error": "not_allowed_in_tests"}
        return {"ok": True}

    def _canvas(self, method: str, p: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            if method == "conversations.canvases.create":
                channel = self.channels.get(str(p.get("channel_id")))
                if channel is None or BOT_USER not in channel.members:
                    return {"ok": False, "error": "channel_not_found"}
                if not self.canvases_allowed:
                    return {"ok": False, "error": "team_tier_cannot_create_channel_canvases"}
                if channel.canvas_id:
                    return {"ok": False, "error": "channel_canvas_already_exists"}
                markdown = str((p.get("document_content") or {}).get("markdown", ""))
                if len(markdown) > CANVAS_MAX_CHARS:
                    return {"ok": False, "error": "canvas_creation_failed"}
                channel.canvas_id = f"F{next(self._ids):08d}"
                self.canvases[channel.canvas_id] = markdown
                return {"ok": True, "canvas_id": channel.canvas_id}
            canvas_id = str(p.get("canvas_id"))
            if canvas_id not in self.canvases:
                return {"ok": False, "error": "canvas_not_found"}
            for change in p.get("changes") or []:
                if change.get("operation") != "replace" or "section_id" in change:
                    return {"ok": False, "error": "invalid_arguments"}
                markdown = str((change.get("document_content") or {}).get("markdown", ""))
                if len(markdown) > CANVAS_MAX_CHARS:
                    return {"ok": False, "error": "canvas_editing_failed"}
                self.canvases[canvas_id] = markdown
            return {"ok": True}

    def _file(self, method: str, p: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            if method == "files.getUploadURLExternal":
                if not p.get("filename") or not str(p.get("length") or "").isdigit():
                    return {"ok": False, "error": "invalid_arguments"}
                file_id = f"F{next(self._ids):08d}"
                self.files[file_id] = {"name": p["filename"], "content": None, "length": int(p["length"])}
                return {"ok": True, "upload_url": f"{self.base_url}_upload/{file_id}", "file_id": file_id}
            shared = []
            for item in p.get("files") or []:
                stored = self.files.get(str(item.get("id")))
                if stored is None or stored["content"] is None:
                    return {"ok": False, "error": "file_not_found"}
                stored.update(title=item.get("title"), channel=p.get("channel_id"), comment=p.get("initial_comment"))
                shared.append({"id": item["id"], "name": stored["name"], "title": item.get("title")})
            return {"ok": True, "files": shared}

    def upload(self, file_id: str, content: bytes) -> bool:
        """The file's bytes, POSTed to the upload URL (files.uploadV2's second step)."""
        with self._lock:
            stored = self.files.get(file_id)
            if stored is None or stored["length"] != len(content):
                return False
            stored["content"] = content
            return True

    def stats(self) -> dict[str, Any]:
        """What the benchmark reads: every accepted post with its outbox id, 429s per channel, refusals."""
        with self._lock:
            posts = {
                channel: [
                    {
                        "ts": m["ts"],
                        "text": m["text"],
                        "received": m["received"],
                        "outbox_id": ((m.get("metadata") or {}).get("event_payload") or {}).get("outbox_id"),
                    }
                    for m in messages
                ]
                for channel, messages in self.messages.items()
            }
            tokens: dict[str, set[str]] = {}
            for call in self.calls:
                if call.method == "chat.postMessage" and call.token:
                    tokens.setdefault(str(call.params.get("channel")), set()).add(call.token)
            return {
                "posts": posts,
                "rate_limited": dict(self.rate_limited),
                "method_limited": dict(self.method_limited),
                "refused": list(self.refused),
                "calls": dict(Counter(c.method for c in self.calls)),
                "connections": self.connections,
                "post_tokens": {channel: sorted(seen) for channel, seen in tokens.items()},
            }


def _parse(body: bytes, content_type: str) -> dict[str, Any]:
    if not body:
        return {}
    if "json" in content_type:
        return json.loads(body)
    parsed = {k: v[0] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}
    for key in ("blocks", "metadata", "view", "attachments", "files", "changes", "document_content"):
        if isinstance(parsed.get(key), str) and parsed[key][:1] in "[{":
            parsed[key] = json.loads(parsed[key])
    return parsed


def _handler(mock: MockSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        # As Slack: HTTP/1.1, so a client may keep the connection for its next call. Nagle off, or the
        # body (a second small write after the headers) waits for the client's delayed ACK: 40 ms a call.
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True
        timeout = mock.limits.keepalive_s

        def setup(self) -> None:
            super().setup()
            with mock._lock:
                mock.connections += 1
            if mock.limits.rtt_s:
                time.sleep(2 * mock.limits.rtt_s)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            if "/_upload/" in self.path:
                ok = mock.upload(self.path.rsplit("/", 1)[-1], body)
                self._reply(200 if ok else 400, {"ok": ok}, {})
                return
            method = self.path.rsplit("/", 1)[-1]
            params = _parse(body, self.headers.get("Content-Type", ""))
            auth = self.headers.get("Authorization", "")
            token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else None
            status, answer, headers, fault = mock.handle(method, params, token)
            if mock.limits.rtt_s:
                time.sleep(mock.limits.rtt_s)
            if fault == "drop":
                self.close_connection = True
                self.connection.shutdown(2)
                return
            self._reply(status, answer, headers)

        def do_GET(self) -> None:
            if self.path.rstrip("/").endswith("/_mock/stats"):
                self._reply(200, mock.stats(), {})
            elif self.path.rstrip("/").endswith("/_mock/count"):
                self._reply(200, {"posts": sum(len(m) for m in mock.messages.values())}, {})
            else:
                self._reply(404, {"ok": False, "error": "unknown_method"}, {})

        def _reply(self, status: int, answer: dict[str, Any], headers: dict[str, str]) -> None:
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

    return Handler


class _Listener(ThreadingHTTPServer):
    # Slack does not reset connections when two processes call at once. listen() is called in the
    # constructor, so the backlog must be the class's: set on the instance afterwards it was still 5.
    request_queue_size = 128
    daemon_threads = True


class SlackServer:
    """Runs MockSlack on 127.0.0.1 (a free port unless given), in a thread."""

    def __init__(self, mock: MockSlack | None = None, port: int = 0) -> None:
        self.mock = mock or MockSlack()
        self.httpd = _Listener(("127.0.0.1", port), _handler(self.mock))
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/api/"
        self.mock.base_url = self.url
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def main(argv: list[str] | None = None) -> int:
    """`python -m tests.support.slack_mock [--port N] [--no-rate-limit] [--workspace-rate R] [--channel ID:U1,U2]`: serve until stdin closes."""
    parser = argparse.ArgumentParser(prog="python -m tests.support.slack_mock")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--no-rate-limit", action="store_true", help="sizes are still checked")
    parser.add_argument("--burst", type=int, default=3)
    parser.add_argument("--workspace-rate", type=float, default=None)
    parser.add_argument("--rtt-ms", type=float, default=0.0, help="a simulated network round trip per call (two more per new connection)")
    parser.add_argument(
        "--channel", action="append", default=[], metavar="ID:MEMBER,MEMBER", help="a private channel with these members and the bot"
    )
    args = parser.parse_args(argv)
    limits = Limits(
        channel_burst=args.burst, workspace_rate=args.workspace_rate, rate_limits=not args.no_rate_limit, rtt_s=args.rtt_ms / 1000
    )
    slack = MockSlack(limits=limits)
    for spec in args.channel:
        channel_id, _, members = spec.partition(":")
        slack.add_channel(channel_id, *[m for m in members.split(",") if m])
    with SlackServer(slack, port=args.port) as server:
        print(server.url, flush=True)
        sys.stdin.read()
    return 0


if __name__ == "__main__":
    sys.exit(main())
