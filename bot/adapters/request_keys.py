"""Replay keys: the same signed Slack request, delivered twice, has one effect.

Slack resends an event it thinks we missed (with X-Slack-Retry-Num), and anyone who
captured a signed request can replay it for as long as its signature is fresh (Bolt
accepts a timestamp up to 5 minutes old). Each request that changes something gets
a key: slash commands and interactions by their `trigger_id` (unique per invocation;
a click without one by its `action_ts` and user), events by `event_id`. The first
request with a key inserts it (INSERT … ON CONFLICT DO NOTHING on a unique column);
a repeat finds it taken and gets an empty 200 ack, and no listener runs.

Keys are kept for `KEEP` (longer than the 5-minute signature window, so a replay
can never outlive its key) and pruned by the `request_keys` job.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from slack_bolt import BoltRequest, BoltResponse
from sqlalchemy import Connection, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.clock import Clock
from bot.db import SessionFactory, connection_transaction
from bot.models import RequestKey

log = logging.getLogger(__name__)

# Bolt refuses signatures older than 5 minutes; keep the keys twice that.
KEEP = timedelta(minutes=10)
# Interactions that only read (option lists for a select) may be asked again; never dedupe those.
_READ_ONLY = frozenset({"block_suggestion"})


def key_for(body: Mapping[str, Any]) -> str | None:
    """The replay key of a parsed Slack request body, or None if it has none (then it is never deduped)."""
    team = _team(body)
    if body.get("command") and body.get("trigger_id"):
        return _key("command", team, str(body["trigger_id"]))
    if body.get("type") == "event_callback" and body.get("event_id"):
        return _key("event", team, str(body["event_id"]))
    kind = body.get("type")
    if not isinstance(kind, str) or kind in _READ_ONLY or kind in ("url_verification", "event_callback"):
        return None
    if body.get("trigger_id"):
        return _key("interaction", team, str(body["trigger_id"]))
    actions = body.get("actions") or []
    user = (body.get("user") or {}).get("id") if isinstance(body.get("user"), dict) else body.get("user_id")
    if actions and isinstance(actions[0], dict) and actions[0].get("action_ts") and user:
        return _key("action", team, f"{user}:{actions[0]['action_ts']}")
    return None


def _team(body: Mapping[str, Any]) -> str:
    team = body.get("team")
    if isinstance(team, dict):
        return str(team.get("id") or "")
    return str(body.get("team_id") or team or "")


def _key(kind: str, team: str, value: str) -> str:
    # The column holds 255 characters; Slack's ids are far shorter, so a longer one is not Slack's.
    return f"{kind}:{team}:{value}"[:255]


def claim(conn: Connection, key: str, now: datetime) -> bool:
    """Insert `key`. True for the first request with it, False for a repeat (also when one runs concurrently)."""
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    stmt = insert(RequestKey).values(key=key, seen_at=now).on_conflict_do_nothing(index_elements=["key"]).returning(RequestKey.id)
    return conn.execute(stmt).first() is not None


def prune(session: Session, now: datetime, keep: timedelta = KEEP) -> int:
    """Forget keys older than `keep`; returns how many."""
    result = session.execute(delete(RequestKey).where(RequestKey.seen_at < now - keep))
    return int(getattr(result, "rowcount", 0) or 0)


def _retry_number(headers: Mapping[str, Sequence[str]]) -> str | None:
    values = headers.get("x-slack-retry-num") or []
    return str(values[0]) if values else None


def replay_guard(sessions: SessionFactory, clock: Clock) -> Callable[..., BoltResponse]:
    """A global Bolt middleware: a request whose key was already seen is answered with an empty 200."""

    def dedupe_replays(body: dict[str, Any], request: BoltRequest, next_: Callable[[], BoltResponse]) -> BoltResponse:
        key = key_for(body)
        if key is None:
            return next_()
        try:
            with connection_transaction(sessions) as conn:
                first = claim(conn, key, clock.now())
        except Exception as err:  # noqa: BLE001 - a database outage must not hide the listener's own answer
            log.warning("replay check skipped (%s); the request runs", type(err).__name__)
            return next_()
        if first:
            return next_()
        retry = _retry_number(request.headers)
        log.info("repeated Slack request %s ignored%s", key.split(":", 1)[0], f" (Slack retry {retry})" if retry else "")
        return BoltResponse(status=200, body="")

    return dedupe_replays
