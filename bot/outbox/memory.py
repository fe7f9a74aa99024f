"""An outbox store in memory, with the SQL store's rules: for unit tests of the deliverer and policy.

Like procrastinate's InMemoryConnector: no database, the same claims, lanes, leases and
pace, so the loop can be tested fast and deterministically. The hooks get this store
where the SQL store passes its session.
"""

from __future__ import annotations

import threading
from collections.abc import Collection
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.models import OutboxMessage
from bot.outbox.pacing import NOTHING_PAUSED, Paused
from bot.outbox.policy import Hooks, RetryDecision, SendError
from bot.outbox.slack_sender import POSTING_KINDS, SendJob, SendResult
from bot.outbox.store import (
    Head,
    Pace,
    Prepared,
    Run,
    apply_retry,
    job_from_row,
    lane_for,
    release_lease,
    render_homes,
)


class MemoryOutboxStore:
    def __init__(self, *, pace_rate: float = 1.0, pace_burst: int = 3) -> None:
        self.rows: dict[int, OutboxMessage] = {}
        self.pace = Pace(pace_rate, pace_burst)
        self._lock = threading.RLock()
        self.claim_chunk: int | None = None  # as SqlOutboxStore on SQLite: a round's heads claimed at once

    def add(
        self,
        *,
        kind: str = "post",
        now: datetime,
        text: str = "",
        channel: str | None = None,
        user: str | None = None,
        deliver_after: datetime | None = None,
        respekt: bool = False,
        blocks: list[Any] | None = None,
        pair_id: int | None = None,
    ) -> OutboxMessage:
        """A row as `enqueue` writes it."""
        with self._lock:
            row = OutboxMessage(
                id=len(self.rows) + 1,
                kind=kind,
                channel=channel,
                user=user,
                pair_id=pair_id,
                text=text,
                blocks=blocks,
                deliver_after=deliver_after or now,
                created_at=now,
                status="pending",
                attempts=0,
                uncertain=False,
                respekt=respekt,
                lane=lane_for(kind, channel, user),
            )
            self.rows[row.id] = row
            return row

    def _free(self, row: OutboxMessage, now: datetime) -> bool:
        return (
            row.status == "pending"
            and row.deliver_after <= now
            and (row.next_attempt_at is None or row.next_attempt_at <= now)
            and (row.lease_until is None or row.lease_until < now)
        )

    def _is_head(self, row: OutboxMessage, now: datetime) -> bool:
        return all(
            other.id >= row.id
            for other in self.rows.values()
            if other.lane == row.lane and other.status == "pending" and other.deliver_after <= now
        )

    def _last_post(self, lane: str | None, now: datetime, but: int | None = None) -> OutboxMessage | None:
        # Up to `now`, as the SQL store: a clock set back does not leave a lane waiting for a "future" post.
        posts = [
            r
            for r in self.rows.values()
            if r.lane == lane and r.pace_ready_at is not None and r.id != but and r.sent_at is not None and r.sent_at <= now
        ]
        return max(posts, key=lambda r: (r.sent_at, r.id)) if posts else None

    def _ready(self, lane: str | None, now: datetime) -> datetime | None:
        last = self._last_post(lane, now)
        return last.pace_ready_at if last else None

    def _due_heads(self, now: datetime) -> list[OutboxMessage]:
        return sorted((r for r in self.rows.values() if self._free(r, now) and self._is_head(r, now)), key=lambda r: r.id)

    def heads(
        self,
        now: datetime,
        *,
        limit: int,
        run: int = 1,
        skip_lanes: Collection[str] = (),
        paused: Paused = NOTHING_PAUSED,
        homes: bool = True,
    ) -> list[Head]:
        with self._lock:
            found = []
            for row in self._due_heads(now):
                last = self._last_post(row.lane, now)
                paced = row.kind in POSTING_KINDS and last is not None and (last.pace_ready_at or now) > now
                if paced or row.lane in skip_lanes or paused.holds(row.team_id, row.kind) or (row.kind == "home" and not homes):
                    continue
                room = (
                    self.pace.room(last.sent_at if last else None, last.pace_tokens if last else None, now, run)
                    if row.kind in POSTING_KINDS
                    else run
                )
                found.append(
                    (
                        row.kind == "home",
                        last.sent_at if last else None,
                        row.id,
                        Head(row.id, row.lane or f"row:{row.id}", row.kind, room, team=row.team_id),
                    )
                )
            # As the SQL store (bot.outbox.sql ROUND_ROBIN): the lane that posted least recently first, Home tabs last.
            found.sort(key=lambda f: (f[0], f[1] is not None, f[1] or now, f[2]))
            return [head for *_, head in found[:limit]]

    def paced_until(self, now: datetime) -> datetime | None:
        with self._lock:
            times = [
                t for r in self._due_heads(now) if r.kind in POSTING_KINDS for t in [self._ready(r.lane, now)] if t is not None and t > now
            ]
            return min(times) if times else None

    def _lease(self, row: OutboxMessage, owner: str, now: datetime, lease: timedelta, slack_now: str) -> bool:
        if not self._free(row, now):
            return False
        unsure = row.uncertain or row.lease_owner is not None
        row.uncertain = unsure
        row.attempt_ts = (row.attempt_ts or slack_now) if unsure else slack_now
        row.lease_owner, row.lease_until = owner, now + lease
        return True

    def claim(self, heads: Collection[Head], *, owner: str, now: datetime, lease: timedelta, slack_now: str) -> list[Run]:
        with self._lock:
            runs = []
            for head in heads:
                row = self.rows.get(head.id)
                if row is None or not self._lease(row, owner, now, lease, slack_now):
                    continue
                behind = sorted(
                    (
                        r
                        for r in self.rows.values()
                        if r.lane == row.lane and r.id > row.id and r.status == "pending" and r.deliver_after <= now
                    ),
                    key=lambda r: r.id,
                )
                ids = [row.id]
                for other in behind[: head.room - 1]:
                    if not self._lease(other, owner, now, lease, slack_now):
                        break
                    ids.append(other.id)
                runs.append(Run(head.lane, tuple(ids), head.kind))
            return runs

    def release(self, ids: Collection[int], *, owner: str) -> None:
        with self._lock:
            for row_id in ids:
                row = self.rows.get(row_id)
                if row is not None and row.lease_owner == owner:
                    release_lease(row)

    def begin(self, row_id: int, *, owner: str, now: datetime, hooks: Hooks) -> SendJob | None:
        with self._lock:
            row = self.rows.get(row_id)
            if row is None or row.status != "pending" or row.lease_owner != owner:
                return None
            later = hooks.gate(self, row, now) if (row.pair_id and hooks.gate) else None
            if later is not None:
                row.deliver_after = later
                release_lease(row)
                return None
            ref = self.rows.get(row.ref_id) if row.ref_id else None
            if row.kind == "update" and (ref is None or ref.status in ("failed", "cancelled")):
                row.status = "cancelled"
                release_lease(row)
                return None
            job = job_from_row(row, ref)
            if hooks.client_for is not None:
                job = replace(job, client=hooks.client_for(row))
            return job

    def begin_many(self, ids: Collection[int], *, owner: str, now: datetime, hooks: Hooks) -> dict[int, Prepared]:
        prepared: dict[int, Prepared] = {}
        for row_id in ids:
            try:
                prepared[row_id] = self.begin(row_id, owner=owner, now=now, hooks=hooks)
            except Exception as err:  # noqa: BLE001 - the row's own failure, handed to the deliverer as the SQL store does
                prepared[row_id] = err
        if hooks.render_home is not None:
            render_homes(self, prepared, now, hooks)
        return prepared

    def sent(self, row_id: int, result: SendResult, *, now: datetime, hooks: Hooks) -> None:
        with self._lock:
            row = self.rows[row_id]
            last = self._last_post(row.lane, now, but=row.id)
            row.status, row.sent_at, row.uncertain = "sent", now, False
            row.sent_channel, row.sent_ts = result.channel, result.ts
            row.attempts += 1
            release_lease(row)
            if result.posts:
                row.pace_tokens, row.pace_ready_at = self.pace.after(
                    last.sent_at if last else None, last.pace_tokens if last else None, result.posts, now
                )
            if hooks.on_sent:
                hooks.on_sent(self, row)

    def sent_many(self, items: Collection[tuple[int, SendResult, datetime]], *, hooks: Hooks) -> None:
        for row_id, result, now in items:
            self.sent(row_id, result, now=now, hooks=hooks)
        if hooks.after_sent and items:
            hooks.after_sent(self, [self.rows[row_id] for row_id, _, _ in items])

    def retry(self, row_id: int, error: SendError, decision: RetryDecision, *, owner: str) -> int:
        with self._lock:
            row = self.rows[row_id]
            if row.lease_owner != owner:
                return 0
            apply_retry(row, error, decision)
            # Any time: as the SQL store's `_slow_down`, the lane's very latest post restarts its bucket.
            last = self._last_post(row.lane, datetime.max.replace(tzinfo=UTC))
            if decision.pause and last is not None and last.sent_at is not None:
                last.pace_tokens, last.pace_ready_at = self.pace.restart(last.sent_at, decision.at)
            return row.attempts

    def fail(self, row_id: int, error: SendError, *, owner: str, now: datetime, hooks: Hooks) -> None:
        with self._lock:
            row = self.rows[row_id]
            if row.lease_owner != owner:
                return
            row.attempts += 1
            row.status, row.last_error = "failed", str(error)
            row.uncertain = row.uncertain or error.uncertain
            release_lease(row)
            if hooks.on_failed:
                hooks.on_failed(self, row, now)

    def attempts(self, row_id: int) -> int:
        with self._lock:
            return self.rows[row_id].attempts

    def next_due(self, now: datetime) -> datetime | None:
        with self._lock:
            times = [
                max(r.deliver_after, r.next_attempt_at or r.deliver_after)
                for r in self.rows.values()
                if r.status == "pending" and (r.deliver_after > now or (r.next_attempt_at or now) > now)
            ]
            return min(times) if times else None
