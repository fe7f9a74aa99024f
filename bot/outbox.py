"""The one durable outbox: every message the bot sends is written here first.

`enqueue*` runs inside the caller's transaction, so a message exists exactly when
the change that caused it was committed. `OutboxDeliverer` sends due rows with
retries: 429 waits for Retry-After, 5xx and connection errors back off, and an
uncertain send is checked in `conversations.history` (each post carries its
outbox id in message metadata) before it is posted again.
"""

from __future__ import annotations

import http.client
import logging
import socket
import urllib.error
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from bot.clock import Clock
from bot.db import SessionFactory, reading, rowcount, transaction
from bot.models import OutboxMessage

log = logging.getLogger(__name__)

METADATA_EVENT = "samspel_outbox"
# Errors Slack answers with HTTP 200 that are worth another try.
TRANSIENT_ERRORS = frozenset({"internal_error", "fatal_error", "service_unavailable", "request_timeout", "ratelimited"})
NETWORK_ERRORS = (urllib.error.URLError, http.client.HTTPException, socket.timeout, ConnectionError, TimeoutError)


def enqueue(
    session: Session,
    *,
    kind: str,
    now: datetime,
    text: str,
    blocks: list[Any] | None = None,
    channel: str | None = None,
    user: str | None = None,
    pair_id: int | None = None,
    deliver_after: datetime | None = None,
    dedupe_key: str | None = None,
    respekt: bool = False,
    team_id: str | None = None,
    enterprise_id: str | None = None,
) -> OutboxMessage:
    """Write one outgoing message. `kind` is post, dm, ephemeral or home.

    `respekt=True` marks a message that may only arrive inside the pair's working time;
    the deliverer's gate checks that again when it is about to send.
    """
    if kind in ("post", "ephemeral") and not channel:
        raise ValueError(f"{kind} needs a channel")
    if kind in ("dm", "ephemeral", "home") and not user:
        raise ValueError(f"{kind} needs a user")
    row = OutboxMessage(
        kind=kind, channel=channel, user=user, pair_id=pair_id, text=text, blocks=blocks,
        deliver_after=deliver_after or now, created_at=now, status="pending", attempts=0,
        uncertain=False, dedupe_key=dedupe_key, respekt=respekt, team_id=team_id, enterprise_id=enterprise_id,
    )
    session.add(row)
    session.flush()
    return row


def enqueue_update(
    session: Session, ref: OutboxMessage, *, now: datetime, text: str, blocks: list[Any] | None
) -> OutboxMessage:
    """Change a message the bot sent (chat.update). Before it is sent, rewrite it in place."""
    if ref.status == "pending":
        ref.text, ref.blocks = text, blocks
        return ref
    row = OutboxMessage(
        kind="update", ref_id=ref.id, pair_id=ref.pair_id, channel=ref.sent_channel, text=text,
        blocks=blocks, deliver_after=now, created_at=now, status="pending", attempts=0, uncertain=False,
        team_id=ref.team_id, enterprise_id=ref.enterprise_id,
    )
    session.add(row)
    session.flush()
    return row


def cancel(row: OutboxMessage) -> bool:
    """Cancel a message not yet sent. False if it already went out."""
    if row.status != "pending":
        return False
    row.status = "cancelled"
    return True


@dataclass(frozen=True)
class DeliveryPolicy:
    # With doubling backoff capped at 15 minutes, 16 attempts ride out about two hours of Slack trouble.
    max_attempts: int = 16
    lease: timedelta = timedelta(seconds=60)
    batch: int = 25
    base_backoff: timedelta = timedelta(seconds=2)
    max_backoff: timedelta = timedelta(minutes=15)
    history_window: timedelta = timedelta(minutes=5)

    def backoff(self, attempts: int) -> timedelta:
        return min(self.base_backoff * (2 ** max(attempts - 1, 0)), self.max_backoff)


class _Uncertain(Exception):
    """The send may or may not have reached Slack."""


class OutboxDeliverer:
    """Claims due outbox rows with a lease and sends them through the Slack Web API."""

    def __init__(
        self,
        sessions: SessionFactory,
        client: WebClient,
        clock: Clock,
        *,
        owner: str,
        policy: DeliveryPolicy | None = None,
        on_sent: Callable[[Session, OutboxMessage], None] | None = None,
        gate: Callable[[Session, OutboxMessage, datetime], datetime | None] | None = None,
        on_failed: Callable[[Session, OutboxMessage, datetime], None] | None = None,
        render_home: Callable[[Session, str, datetime], list[Any]] | None = None,
        client_for: Callable[[OutboxMessage], WebClient] | None = None,
    ) -> None:
        self.sessions = sessions
        self.client = client
        self.clock = clock
        self.owner = owner
        self.policy = policy or DeliveryPolicy()
        self.on_sent = on_sent
        self.gate = gate
        self.on_failed = on_failed
        # Renders a Home tab queued without blocks, just before it is sent (see bot.home.publish).
        self.render_home = render_home
        # The client of the row's workspace (bot.adapters.installations.ClientRegistry); else the one client.
        self.client_for = client_for

    def _client(self, row: OutboxMessage) -> WebClient:
        return self.client_for(row) if self.client_for is not None else self.client

    def deliver_due(self) -> int:
        """Send every due row once; returns how many were sent. Safe to call concurrently."""
        sent = 0
        while True:
            ids = self._claim()
            if not ids:
                return sent
            for row_id in ids:
                sent += self._deliver_isolated(row_id)

    def _deliver_isolated(self, row_id: int) -> int:
        """One row; whatever goes wrong with it (a gate that raises, a hook's bug) costs it an attempt, not the loop."""
        try:
            return self._deliver_one(row_id)
        except Exception as exc:  # one poison row must not stop another pair's akut
            log.exception("outbox %s: unexpected error while delivering", row_id)
            try:
                # Uncertain: the error may have come after the send, so the next try looks first.
                return self._retry(row_id, f"internal error: {type(exc).__name__}", uncertain=True, exc=exc)
            except Exception:  # the database itself failed: the lease runs out and a later tick retries
                log.exception("outbox %s: could not record the failed attempt", row_id)
                return 0

    def _claim(self) -> list[int]:
        now = self.clock.now()
        claimable = (
            OutboxMessage.status == "pending",
            OutboxMessage.deliver_after <= now,
            or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
            or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until < now),
        )
        with transaction(self.sessions) as session:
            # PostgreSQL: rows another process holds are skipped, not waited for.
            candidates = session.scalars(
                select(OutboxMessage.id)
                .where(*claimable)
                .order_by(OutboxMessage.deliver_after, OutboxMessage.id)
                .limit(self.policy.batch)
                .with_for_update(skip_locked=True)
            ).all()
            claimed = []
            for row_id in candidates:
                # The conditional UPDATE is what makes a claim exclusive (SQLite has no row locks).
                result = session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id == row_id, *claimable)
                    .values(
                        # A previous claimer that died mid-send may have posted.
                        uncertain=or_(OutboxMessage.uncertain, OutboxMessage.lease_owner.is_not(None)),
                        lease_owner=self.owner,
                        lease_until=now + self.policy.lease,
                    )
                    .execution_options(synchronize_session=False)
                )
                if rowcount(result) == 1:
                    claimed.append(row_id)
            return claimed

    def _deliver_one(self, row_id: int) -> int:
        with transaction(self.sessions) as session:
            row = session.get(OutboxMessage, row_id)
            if row is None or row.status != "pending" or row.lease_owner != self.owner:
                return 0
            later = self.gate(session, row, self.clock.now()) if (row.pair_id and self.gate) else None
            if later is not None:
                log.info("outbox %s waits for working time until %s", row.id, later)
                row.deliver_after = later
                row.lease_owner = row.lease_until = None
                return 0
            ref = session.get(OutboxMessage, row.ref_id) if row.ref_id else None
            if row.kind == "update" and (ref is None or ref.status in ("failed", "cancelled")):
                # Nothing was ever posted, so there is nothing to change.
                row.status = "cancelled"
                row.lease_owner = row.lease_until = None
                return 0
            job = _SendJob.from_row(row, ref)
            client = self._client(row)
        now = self.clock.now()
        if job.kind == "home" and job.blocks is None and job.user and self.render_home:
            # Outside the transaction: rendering reads a lot and writes nothing, so no writer waits for it.
            with reading(self.sessions) as session:
                job = replace(job, blocks=self.render_home(session, job.user, now))
        try:
            if job.kind == "update" and job.ts is None:
                return self._postpone(row_id, "the message to update is not sent yet", self.policy.base_backoff, count=False)
            result = self._send(job, client)
        except SlackApiError as err:
            return self._api_error(row_id, err)
        except _Uncertain as err:
            return self._retry(row_id, str(err.__cause__ or err), uncertain=job.kind in ("post", "dm"), exc=err)
        except NETWORK_ERRORS as err:
            return self._retry(row_id, f"{type(err).__name__}: {err}", uncertain=False, exc=err)
        with transaction(self.sessions) as session:
            row = session.get(OutboxMessage, row_id)
            assert row is not None
            row.status = "sent"
            row.sent_channel, row.sent_ts = result
            row.sent_at = now
            row.attempts += 1
            row.lease_owner = row.lease_until = None
            row.uncertain = False
            if self.on_sent:
                self.on_sent(session, row)
        return 1

    def _send(self, job: _SendJob, c: WebClient) -> tuple[str | None, str | None]:
        if job.kind == "home":
            c.views_publish(user_id=_need(job.user), view={"type": "home", "blocks": job.blocks or []})
            return None, None
        if job.kind == "ephemeral":
            c.chat_postEphemeral(channel=_need(job.channel), user=_need(job.user), text=job.text, blocks=job.blocks)
            return job.channel, None
        if job.kind == "update":
            c.chat_update(channel=_need(job.channel), ts=_need(job.ts), text=job.text, blocks=job.blocks or [])
            return job.channel, job.ts
        channel = job.channel
        if job.kind == "dm" and not channel:
            channel = c.conversations_open(users=job.user)["channel"]["id"]
            self._remember_channel(job.id, channel)
        if job.uncertain:
            found = self._find_sent(job, channel, c)
            if found:
                log.info("outbox %s was already posted (ts %s); not posting again", job.id, found)
                return channel, found
        try:
            resp = c.chat_postMessage(
                channel=_need(channel), text=job.text, blocks=job.blocks, unfurl_links=False, unfurl_media=False,
                metadata={"event_type": METADATA_EVENT, "event_payload": {"outbox_id": job.id}},
            )
        except NETWORK_ERRORS as err:
            raise _Uncertain(f"{type(err).__name__}: {err}") from err
        except SlackApiError as err:
            if err.response.status_code >= 500:
                raise _Uncertain(f"HTTP {err.response.status_code}") from err
            raise
        return resp["channel"], resp["ts"]

    def _find_sent(self, job: _SendJob, channel: str | None, client: WebClient) -> str | None:
        oldest = (job.created_at - self.policy.history_window).timestamp()
        cursor = None
        while True:
            resp = client.conversations_history(
                channel=_need(channel), oldest=f"{oldest:.6f}", include_all_metadata=True, limit=200, cursor=cursor
            )
            messages: list[dict[str, Any]] = resp.get("messages", [])
            for message in messages:
                meta = message.get("metadata") or {}
                if meta.get("event_type") == METADATA_EVENT and meta.get("event_payload", {}).get("outbox_id") == job.id:
                    return message.get("ts")
            cursor = (resp.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return None

    def _remember_channel(self, row_id: int, channel: str) -> None:
        with transaction(self.sessions) as session:
            row = session.get(OutboxMessage, row_id)
            if row is not None:
                row.channel = channel

    def _api_error(self, row_id: int, err: SlackApiError) -> int:
        status = err.response.status_code
        code = err.response.get("error") if isinstance(err.response.data, dict) else None
        if status == 429:
            wait = _retry_after(err)
            log.warning("outbox %s rate limited; retrying after %ss", row_id, wait)
            return self._postpone(row_id, "429 ratelimited", timedelta(seconds=wait), count=False)
        if status >= 500 or code in TRANSIENT_ERRORS:
            return self._retry(row_id, f"HTTP {status} {code or ''}".strip(), uncertain=False, exc=err)
        return self._fail(row_id, f"Slack svarade {code or status}", exc=err)

    def _retry(self, row_id: int, reason: str, *, uncertain: bool, exc: BaseException) -> int:
        with transaction(self.sessions) as session:
            row = session.get(OutboxMessage, row_id)
            assert row is not None
            row.attempts += 1
            row.uncertain = row.uncertain or uncertain
            row.last_error = reason
            row.lease_owner = row.lease_until = None
            if row.attempts >= self.policy.max_attempts:
                row.status = "failed"
                log.error("outbox %s failed after %s attempts: %s", row_id, row.attempts, reason, exc_info=exc)
                if self.on_failed:
                    self.on_failed(session, row, self.clock.now())
            else:
                row.next_attempt_at = self.clock.now() + self.policy.backoff(row.attempts)
                log.warning("outbox %s attempt %s failed (%s); retrying at %s", row_id, row.attempts, reason, row.next_attempt_at)
        return 0

    def _postpone(self, row_id: int, reason: str, wait: timedelta, *, count: bool) -> int:
        with transaction(self.sessions) as session:
            row = session.get(OutboxMessage, row_id)
            assert row is not None
            row.last_error = reason
            row.next_attempt_at = self.clock.now() + wait
            row.lease_owner = row.lease_until = None
            if count:
                row.attempts += 1
        return 0

    def _fail(self, row_id: int, reason: str, *, exc: BaseException) -> int:
        with transaction(self.sessions) as session:
            row = session.get(OutboxMessage, row_id)
            assert row is not None
            row.attempts += 1
            row.status = "failed"
            row.last_error = reason
            row.lease_owner = row.lease_until = None
            if self.on_failed:
                self.on_failed(session, row, self.clock.now())
        log.error("outbox %s failed permanently: %s", row_id, reason, exc_info=exc)
        return 0


def _need(value: str | None) -> str:
    """A field the row's kind requires (enqueue checks it), as the Web API's type wants it."""
    if value is None:
        raise ValueError("outbox row lacks a channel, user or ts its kind needs")
    return value


def _retry_after(err: SlackApiError) -> int:
    headers = {k.lower(): v for k, v in (err.response.headers or {}).items()}
    value = headers.get("retry-after")
    if isinstance(value, list):
        value = value[0] if value else None
    try:
        return max(1, int(str(value)))
    except (TypeError, ValueError):
        return 30


@dataclass(frozen=True)
class _SendJob:
    """A detached copy of a row, so no session is held open during network calls."""

    id: int
    kind: str
    channel: str | None
    user: str | None
    text: str
    blocks: list[Any] | None
    ts: str | None
    uncertain: bool
    created_at: datetime

    @classmethod
    def from_row(cls, row: OutboxMessage, ref: OutboxMessage | None) -> _SendJob:
        channel, ts = row.channel, None
        if row.kind == "update" and ref is not None:
            channel, ts = ref.sent_channel, ref.sent_ts
        return cls(
            id=row.id, kind=row.kind, channel=channel, user=row.user, text=row.text, blocks=row.blocks,
            ts=ts, uncertain=row.uncertain, created_at=row.created_at,
        )
