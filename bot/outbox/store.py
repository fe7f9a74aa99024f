"""The outbox table: enqueue inside the caller's transaction, claim with a lease, record what happened.

Rows are delivered in lanes: one channel, one person's DMs, one person's Home tab. Within
a lane only the head (the oldest due row) may be claimed, so a lane's messages go out
one at a time in the order they were written, whichever process delivers them, and
across restarts. A head that waits for a retry holds its lane; other lanes go on.

Claims are exclusive by two guards: `FOR UPDATE SKIP LOCKED` (PostgreSQL: rows another
process is claiming are skipped, not waited for) and a conditional UPDATE (SQLite has
no row locks; the UPDATE only takes a row that is still pending and unleased).
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.db import SessionFactory, reading, stable_calendars, transaction
from bot.models import OutboxMessage
from bot.outbox import fit, sql
from bot.outbox.pacing import NOTHING_PAUSED, Paused
from bot.outbox.policy import Hooks, RetryDecision, SendError
from bot.outbox.slack_sender import POSTING_KINDS, SendJob, SendResult

log = logging.getLogger(__name__)


def lane_for(kind: str, channel: str | None, user: str | None) -> str:
    """The lane a message is delivered in; messages of one lane keep their written order."""
    if kind == "dm":
        return f"u:{user}"
    if kind == "home":
        return f"h:{user}"
    if kind == "ephemeral":
        return f"e:{channel}:{user}"
    if kind == "canvas":
        return f"k:{channel}"  # its own lane: a canvas write never waits behind the channel's posts
    if kind == "file":
        return f"f:{user}"  # a file for a person's DM (the calendar) does not wait behind held DMs
    return f"c:{channel}"


# long: the one door into the outbox: checks, the split to Slack's limits, one row per part.
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
    """Write one outgoing message. `kind` is post, dm, ephemeral, home, canvas (the channel canvas's Markdown)
    or file (a small text file for `user`'s DM: `text` is its content, the one block its filename, title and
    initial_comment).

    `respekt=True` marks a message that may only arrive inside the pair's working time;
    the deliverer's gate checks that again when it is about to send. A post or DM whose
    blocks are over Slack's limits becomes several consecutive rows; the first is returned.
    """
    if kind in ("post", "ephemeral", "canvas") and not channel:
        raise ValueError(f"{kind} needs a channel")
    if kind in ("dm", "ephemeral", "home", "file") and not user:
        raise ValueError(f"{kind} needs a user")
    parts = fit.split_blocks(blocks) if kind in ("post", "dm") and blocks and not fit.fits_message(blocks) else [blocks]
    if len(parts) > 1:
        log.info("outbox: %s blocks (%s characters) split into %s messages", len(blocks or []), fit.block_chars(blocks or []), len(parts))
    rows = [
        OutboxMessage(
            kind=kind,
            channel=channel,
            user=user,
            pair_id=pair_id,
            text=text,
            blocks=part,
            deliver_after=deliver_after or now,
            created_at=now,
            status="pending",
            attempts=0,
            uncertain=False,
            dedupe_key=dedupe_key if n == 1 or dedupe_key is None else f"{dedupe_key}#{n}",
            respekt=respekt,
            lane=lane_for(kind, channel, user),
            team_id=team_id,
            enterprise_id=enterprise_id,
        )
        for n, part in enumerate(parts, start=1)
    ]
    for row in rows:
        session.add(row)
        session.flush()  # one at a time: the ids, and so the delivery order, follow the parts
    return rows[0]


def enqueue_update(session: Session, ref: OutboxMessage, *, now: datetime, text: str, blocks: list[Any] | None) -> OutboxMessage:
    """Change a message the bot sent (chat.update). Before it is sent, rewrite it in place."""
    if ref.status == "pending":
        ref.text, ref.blocks = text, blocks
        return ref
    row = OutboxMessage(
        kind="update",
        ref_id=ref.id,
        pair_id=ref.pair_id,
        channel=ref.sent_channel,
        text=text,
        blocks=blocks,
        deliver_after=now,
        created_at=now,
        status="pending",
        attempts=0,
        uncertain=False,
        team_id=ref.team_id,
        enterprise_id=ref.enterprise_id,
        # In its original's lane: an update never overtakes the message it changes.
        lane=ref.lane or lane_for(ref.kind, ref.channel, ref.user),
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
class Head:
    """The oldest due row of a lane, ready to be claimed; `room`: how many of the lane's rows may go now."""

    id: int
    lane: str
    kind: str
    room: int = 1
    # Its workspace: a 429 pauses what it limits there only.
    team: str | None = None


@dataclass(frozen=True)
class Run:
    """Rows of one lane claimed together, to be sent one after another in this order."""

    lane: str
    ids: tuple[int, ...]
    kind: str  # the head's kind; a lane's rows are all of one kind


def job_from_row(row: OutboxMessage, ref: OutboxMessage | None) -> SendJob:
    channel, ts = row.channel, None
    if row.kind == "update" and ref is not None:
        channel, ts = ref.sent_channel, ref.sent_ts
    return SendJob(
        id=row.id,
        kind=row.kind,
        lane=row.lane or f"row:{row.id}",
        channel=channel,
        user=row.user,
        text=row.text,
        blocks=row.blocks,
        ts=ts,
        uncertain=row.uncertain,
        attempt_ts=row.attempt_ts,
        created_at=row.created_at,
        attempts=row.attempts,
        team_id=row.team_id,
        enterprise_id=row.enterprise_id,
        pair_id=row.pair_id,
    )


def release_lease(row: OutboxMessage) -> None:
    row.lease_owner = row.lease_until = None


class SqlOutboxStore:
    """The outbox on SQLAlchemy: SQLite or PostgreSQL.

    A lane's pace lives here, so that every process keeps it: each sent post records its
    lane's token bucket (`pace_tokens`, `pace_ready_at`), and a head that posts may be
    claimed once its lane's latest post says the lane has a token again.
    """

    def __init__(self, sessions: SessionFactory, *, pace_rate: float = 1.0, pace_burst: int = 3, paced: bool = True) -> None:
        self.sessions = sessions
        # paced=False: no pace at all (a benchmark of delivery itself against a fake without limits).
        self.pace = Pace(pace_rate, pace_burst) if paced else None
        # (workspace, person) → DM channel, as found in the database: asked once per person per process.
        self._dm_channels: dict[tuple[str | None, str | None], str] = {}
        bind = sessions.kw.get("bind")
        # CLAIM_CHUNKS: on PostgreSQL, where several processes deliver, one query's heads are claimed and sent
        # 160 at a time, so that another process claims the next chunk (SKIP LOCKED) instead of finding the whole
        # round taken: with two processes a Monday ended 7.5–7.8 s → 7.3 s. SQLite has one writer and one process,
        # and there a second chunk's claim waited for the first one's records (up to 0.5 s): all at once.
        self.claim_chunk: int | None = 160 if isinstance(bind, Engine) and bind.dialect.name == "postgresql" else None

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
        """The oldest due lane heads that may be sent now (at most `limit`), each with room for up to `run` rows.

        `homes=False` leaves Home tabs out (the deliverer's posts come first; see `Deliverer._drain`).
        """
        params = {
            "now": now,
            "limit": limit,
            "homes": homes,
            "skip_lanes": list(skip_lanes),
            "skip_team_kinds": [f"{team or ''}:{kind}" for team, kind in paused.kinds],
            "skip_teams": [team or "" for team in paused.workspaces],
        }
        with transaction(self.sessions) as session:
            rows = session.execute(sql.HEADS, params).all()
        return [Head(id=r.id, lane=r.lane or f"row:{r.id}", kind=r.kind, room=self._room(r, now, run), team=r.team_id) for r in rows]

    def _room(self, head: Any, now: datetime, run: int) -> int:
        if self.pace is None or head.kind not in POSTING_KINDS:
            return run
        return self.pace.room(head.sent_at, head.tokens, now, run)

    def paced_until(self, now: datetime) -> datetime | None:
        """When the first lane whose due head waits only for the lane's pace may send it."""
        with transaction(self.sessions) as session:
            return session.scalar(sql.PACED_UNTIL, {"now": now})

    def claim(self, heads: Collection[Head], *, owner: str, now: datetime, lease: timedelta, slack_now: str) -> list[Run]:
        """Lease the given heads, and after each head the lane's next due rows up to its room."""
        if not heads:
            return []
        lease_params = {"now": now, "owner": owner, "until": now + lease, "slack_now": slack_now}
        with transaction(self.sessions) as session:
            # PostgreSQL: heads another process is claiming right now are skipped, not waited for.
            locked = session.scalars(sql.LOCK, {"ids": [h.id for h in heads]}).all()
            got = set(session.scalars(sql.LEASE, {**lease_params, "ids": list(locked)}).all()) if locked else set()
            mine = [h for h in heads if h.id in got]
            # Only behind a head this owner holds: no other process claims inside a lane it does not head.
            tails = _tails(session, [h for h in mine if h.room > 1], now)
            wanted = [i for ids in tails.values() for i in ids]
            leased = set(session.scalars(sql.LEASE, {**lease_params, "ids": wanted}).all()) if wanted else set()
            runs = [Run(h.lane, (h.id, *_prefix(tails.get(h.id, []), leased)), h.kind) for h in mine]
            unused = leased - {i for run in runs for i in run.ids}
            if unused:
                session.execute(sql.UNLEASE, {"ids": list(unused), "owner": owner})
        return runs

    def release(self, ids: Collection[int], *, owner: str) -> None:
        """Give back rows of a run that were not attempted (an earlier row of the lane must be retried first)."""
        if ids:
            with transaction(self.sessions) as session:
                session.execute(sql.UNLEASE, {"ids": list(ids), "owner": owner})

    def begin(self, row_id: int, *, owner: str, now: datetime, hooks: Hooks) -> SendJob | None:
        """The job for a claimed row, or None when it is not to be sent now (held, cancelled, not ours)."""
        prepared = self.begin_many([row_id], owner=owner, now=now, hooks=hooks)[row_id]
        if isinstance(prepared, Exception):
            raise prepared
        return prepared

    def begin_many(self, ids: Collection[int], *, owner: str, now: datetime, hooks: Hooks) -> dict[int, Prepared]:
        """Each claimed row's job, or None (held for working time, cancelled, not ours), or the gate's exception.

        One transaction for all; the gates run without savepoints, and if one raises, all
        are prepared again with each gate in a savepoint, so only that row is marked.
        """
        try:
            with transaction(self.sessions) as session:
                prepared = _prepare(stable_calendars(session), ids, owner, now, hooks, guarded=False, dms=self._dm_channels)
        except _HookFailed:
            with transaction(self.sessions) as session:
                prepared = _prepare(stable_calendars(session), ids, owner, now, hooks, guarded=True, dms=self._dm_channels)
        if hooks.render_home is not None and any(_unrendered(job) for job in prepared.values()):
            # Outside the claim's transaction: rendering reads a lot and writes nothing, so no writer waits for it.
            with reading(self.sessions) as session:
                render_homes(stable_calendars(session), prepared, now, hooks)
        return prepared

    def sent(self, row_id: int, result: SendResult, *, now: datetime, hooks: Hooks) -> None:
        self.sent_many([(row_id, result, now)], hooks=hooks)

    def sent_many(self, items: Collection[tuple[int, SendResult, datetime]], *, hooks: Hooks) -> None:
        """Record sends, in the order they happened, in one transaction (a commit is the dear part).

        The hooks run without savepoints (those cost two statements a row); if one raises,
        the whole batch is recorded again with each hook in a savepoint of its own.
        """
        try:
            with transaction(self.sessions) as session:
                self._record_sent(stable_calendars(session), items, hooks, guarded=False)
        except _HookFailed:
            with transaction(self.sessions) as session:
                self._record_sent(stable_calendars(session), items, hooks, guarded=True)

    def _record_sent(self, session: Session, items: Collection[tuple[int, SendResult, datetime]], hooks: Hooks, *, guarded: bool) -> None:
        rows = {r.id: r for r in session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_([row_id for row_id, _, _ in items])))}
        latest = max((now for _, _, now in items), default=None)
        paces = self._last_posts(session, {rows[i].lane for i, result, _ in items if i in rows and result.posts}, latest)
        for row_id, result, now in items:
            row = rows.get(row_id)
            if row is None:
                continue
            row.status = "sent"
            row.sent_channel, row.sent_ts = result.channel, result.ts
            row.sent_at = now
            row.attempts += 1
            row.uncertain = False
            release_lease(row)
            if result.posts:
                self._keep_pace(session, row, result.posts, now, paces)
            if hooks.on_sent:
                self._on_sent(session, row, hooks, guarded=guarded)
        sent = [rows[row_id] for row_id, _, _ in items if row_id in rows]
        if hooks.after_sent and sent:
            _batch_hook(session, "after_sent", lambda: hooks.after_sent(session, sent), guarded=guarded)

    @staticmethod
    def _on_sent(session: Session, row: OutboxMessage, hooks: Hooks, *, guarded: bool) -> None:
        assert hooks.on_sent is not None
        if guarded:
            _run_hook(session, "on_sent", row.id, lambda: hooks.on_sent(session, row))
            return
        try:
            hooks.on_sent(session, row)
        except Exception as err:
            raise _HookFailed from err

    def _last_posts(
        self, session: Session, lanes: set[str | None], now: datetime | None
    ) -> dict[str | None, tuple[datetime | None, float | None]]:
        """Each lane's latest post up to `now` (when, tokens left), read before the batch changes anything (no autoflush)."""
        if self.pace is None or now is None:
            return {}
        paces: dict[str | None, tuple[datetime | None, float | None]] = dict.fromkeys(lanes, (None, None))
        named = [lane for lane in lanes if lane is not None]
        if named:
            for lane, sent_at, tokens in session.execute(sql.LAST_POSTS, {"lanes": named, "now": now}):
                paces[lane] = (sent_at, tokens)
        return paces

    def _keep_pace(
        self, session: Session, row: OutboxMessage, posts: int, now: datetime, paces: dict[str | None, tuple[datetime | None, float | None]]
    ) -> None:
        """The lane's bucket after this post, from the lane's previous post (in the database or this batch)."""
        if self.pace is None:
            return
        last_at, last_tokens = paces.get(row.lane, (None, None))
        row.pace_tokens, row.pace_ready_at = self.pace.after(last_at, last_tokens, posts, now)
        paces[row.lane] = (now, row.pace_tokens)

    def retry(self, row_id: int, error: SendError, decision: RetryDecision, *, owner: str) -> int:
        """Record a failed attempt to be tried again at `decision.at`; returns the attempts so far."""
        with transaction(self.sessions) as session:
            row = session.get(OutboxMessage, row_id)
            if row is None or row.lease_owner != owner:
                return 0
            apply_retry(row, error, decision)
            if decision.pause:
                self._slow_down(session, row, decision.at)
            return row.attempts

    def _slow_down(self, session: Session, row: OutboxMessage, until: datetime) -> None:
        """After a 429 the lane starts again with one token at `until`: no burst straight into another 429."""
        o = OutboxMessage
        last = session.scalars(
            select(o)
            .where(o.lane == row.lane, o.sent_at.is_not(None), o.pace_ready_at.is_not(None))
            .order_by(o.sent_at.desc(), o.id.desc())
            .limit(1)
        ).first()
        if self.pace is not None and last is not None and last.sent_at is not None:
            last.pace_tokens, last.pace_ready_at = self.pace.restart(last.sent_at, until)

    def fail(self, row_id: int, error: SendError, *, owner: str, now: datetime, hooks: Hooks) -> None:
        with transaction(self.sessions) as session:
            row = session.get(OutboxMessage, row_id)
            if row is None or row.lease_owner != owner:
                return
            row.attempts += 1
            row.status = "failed"
            row.last_error = error.detail if error.detail.startswith("Slack svarade") else str(error)
            row.uncertain = row.uncertain or error.uncertain
            release_lease(row)
            if hooks.on_failed:
                _run_hook(session, "on_failed", row_id, lambda: hooks.on_failed(session, row, now))

    def attempts(self, row_id: int) -> int:
        with transaction(self.sessions) as session:
            return int(session.scalar(select(OutboxMessage.attempts).where(OutboxMessage.id == row_id)) or 0)

    def next_due(self, now: datetime) -> datetime | None:
        """The earliest moment a pending row not yet due becomes due (its deliver_after or retry time)."""
        with transaction(self.sessions) as session:
            return session.scalar(sql.NEXT_DUE, {"now": now})


@dataclass(frozen=True)
class Pace:
    """A lane's token bucket: `burst` posts at once, then `rate` per second."""

    rate: float
    burst: int

    def after(self, last_at: datetime | None, last_tokens: float | None, posts: int, now: datetime) -> tuple[float, datetime]:
        """(tokens left, when the lane may post again) after `posts` posts at `now`."""
        tokens = float(self.burst)
        if last_at is not None and last_tokens is not None:
            elapsed = max((now - last_at).total_seconds(), 0.0)
            tokens = min(float(self.burst), last_tokens + elapsed * self.rate)
        tokens -= posts
        return tokens, now + timedelta(seconds=max(1.0 - tokens, 0.0) / self.rate)

    def room(self, last_at: datetime | None, last_tokens: float | None, now: datetime, limit: int) -> int:
        """How many posts the lane may make now (at least 1: it was found ready), at most `limit`."""
        if last_at is None or last_tokens is None:
            return max(1, min(self.burst, limit))
        tokens = min(float(self.burst), last_tokens + max((now - last_at).total_seconds(), 0.0) * self.rate)
        return max(1, min(int(tokens + 1e-9), limit))

    def restart(self, sent_at: datetime, until: datetime) -> tuple[float, datetime]:
        """The bucket of a lane's latest post rewritten so that it holds exactly one token at `until`."""
        return 1.0 - (until - sent_at).total_seconds() * self.rate, until


def _tails(session: Session, heads: list[Head], now: datetime) -> dict[int, list[int]]:
    """Per head, the free due rows right behind it in its lane (up to its room), in order."""
    if not heads:
        return {}
    rows = session.execute(sql.LANE_ROWS, {"now": now, "lanes": [h.lane for h in heads], "room": max(h.room for h in heads)}).all()
    by_lane: dict[str, list[Any]] = {}
    for r in rows:
        by_lane.setdefault(r.lane, []).append(r)
    tails: dict[int, list[int]] = {}
    for head in heads:
        free = []
        for r in [r for r in by_lane.get(head.lane, []) if r.id > head.id][: head.room - 1]:
            if (r.next_attempt_at is not None and r.next_attempt_at > now) or (r.lease_until is not None and r.lease_until >= now):
                break  # the run stops before a row that must wait: order first
            free.append(r.id)
        tails[head.id] = free
    return tails


def _prefix(ids: list[int], leased: set[int]) -> tuple[int, ...]:
    """The leading ids that were leased: a run never skips a row."""
    taken: list[int] = []
    for row_id in ids:
        if row_id not in leased:
            break
        taken.append(row_id)
    return tuple(taken)


Prepared = SendJob | None | Exception


def _prepare(
    session: Session,
    ids: Collection[int],
    owner: str,
    now: datetime,
    hooks: Hooks,
    *,
    guarded: bool,
    dms: dict[tuple[str | None, str | None], str] | None = None,
) -> dict[int, Prepared]:
    rows = {r.id: r for r in session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(list(ids))))}
    ref_ids = [r.ref_id for r in rows.values() if r.ref_id]
    refs = {r.id: r for r in session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ref_ids)))} if ref_ids else {}
    prepared: dict[int, Prepared] = {}
    mine = [row for row in rows.values() if row.status == "pending" and row.lease_owner == owner]
    dms = _dm_channels(session, mine, {} if dms is None else dms)
    if hooks.prefetch and hooks.gate and mine:
        _batch_hook(session, "prefetch", lambda: hooks.prefetch(session, mine), guarded=guarded)
    for row_id in ids:
        row = rows.get(row_id)
        if row is None or row.status != "pending" or row.lease_owner != owner:
            prepared[row_id] = None
        elif row.pair_id and hooks.gate and _held(session, row, now, hooks.gate, guarded, prepared):
            # Every pair's row: the gate holds a paused or dissolved pair's, and respekt rows outside working time.
            continue
        elif row.kind == "update" and (row.ref_id not in refs or refs[row.ref_id].status in ("failed", "cancelled")):
            # Nothing was ever posted, so there is nothing to change.
            row.status = "cancelled"
            release_lease(row)
            prepared[row_id] = None
        else:
            job = job_from_row(row, refs.get(row.ref_id) if row.ref_id else None)
            if job.channel is None and (row.team_id, row.user) in dms:
                job = replace(job, channel=dms[(row.team_id, row.user)])
            if hooks.client_for is not None:
                client = _hook_value(session, row, lambda r=row: hooks.client_for(r), guarded)
                if isinstance(client, Exception):
                    prepared[row_id] = client
                    continue
                job = replace(job, client=client)
            prepared[row_id] = job
    return prepared


def _dm_channels(
    session: Session, rows: Collection[OutboxMessage], known: dict[tuple[str | None, str | None], str]
) -> dict[tuple[str | None, str | None], str]:
    """(workspace, person) → the DM channel their earlier DMs went to, for the DMs among `rows`; `known` is filled."""
    users = {
        row.user for row in rows if row.kind in ("dm", "file") and not row.channel and row.user and (row.team_id, row.user) not in known
    }
    if users:
        for team, user, channel in session.execute(sql.DM_CHANNELS, {"users": list(users)}):
            known[(team, user)] = str(channel)
    return known


def _hook_value(session: Session, row: OutboxMessage, call: Any, guarded: bool) -> Any:
    """A hook's answer for one row, or (guarded) the exception it raised, so that only that row is marked."""
    if not guarded:
        try:
            return call()
        except Exception as err:
            raise _HookFailed from err
    try:
        with session.begin_nested():
            return call()
    except Exception as err:  # noqa: BLE001 - the row's own failure, handed to the deliverer (a poison row)
        return err


def _unrendered(job: Prepared) -> bool:
    return isinstance(job, SendJob) and job.kind == "home" and job.blocks is None and job.user is not None


def render_homes(session: Any, prepared: dict[int, Prepared], now: datetime, hooks: Hooks) -> None:
    """Home tabs queued without blocks (bot.projections.home.publish), rendered just before they are sent."""
    assert hooks.render_home is not None
    if hooks.prefetch_homes is not None:
        tabs = [
            (job.team_id, job.user) for job in prepared.values() if _unrendered(job) and isinstance(job, SendJob) and job.user is not None
        ]
        try:
            hooks.prefetch_homes(session, tabs, now)
        except Exception:
            log.exception("outbox: prefetching for %s Home tabs failed; each is rendered on its own", len(tabs))
    for row_id, job in list(prepared.items()):
        if not _unrendered(job):
            continue
        assert isinstance(job, SendJob) and job.user is not None
        try:
            prepared[row_id] = replace(job, blocks=hooks.render_home(session, job.user, now, job.team_id))
        except Exception as err:  # noqa: BLE001 - a poison row: it costs an attempt of its own (see Deliverer._begin)
            prepared[row_id] = err


def _held(session: Session, row: OutboxMessage, now: datetime, gate: Any, guarded: bool, prepared: dict[int, Prepared]) -> bool:
    """Ask the respekt gate; True when the row is not to be sent now (held, or the gate raised)."""
    try:
        if guarded:
            with session.begin_nested():
                later = gate(session, row, now)
        else:
            later = gate(session, row, now)
    except Exception as err:
        if not guarded:
            raise _HookFailed from err
        prepared[row.id] = err
        return True
    if later is None:
        return False
    log.info("outbox %s waits for working time until %s", row.id, later)
    row.deliver_after = later
    release_lease(row)
    prepared[row.id] = None
    return True


def apply_retry(row: OutboxMessage, error: SendError, decision: RetryDecision) -> None:
    if decision.count:
        row.attempts += 1
    row.uncertain = row.uncertain or error.uncertain
    row.last_error = str(error)
    row.next_attempt_at = decision.at
    if decision.plain_text:
        # Slack refused the blocks: the readable text goes instead, without buttons (see fit.py).
        row.text, row.blocks = fit.blocks_to_text(row.blocks, row.text), None
    release_lease(row)


class _HookFailed(Exception):
    """A hook raised during a batch: the batch is recorded again, each hook in a savepoint."""


def _batch_hook(session: Session, name: str, call: Any, *, guarded: bool) -> None:
    """A hook for a whole batch: unguarded, its failure has the batch done again guarded, where it runs in a savepoint."""
    if not guarded:
        try:
            call()
        except Exception as err:
            raise _HookFailed from err
        return
    try:
        with session.begin_nested():
            call()
    except Exception:
        log.exception("outbox: the %s hook failed for a batch; the deliveries themselves are recorded", name)


def _run_hook(session: Session, name: str, row_id: int, call: Any) -> None:
    """A failing hook must not undo the record of a send that happened: it runs in a savepoint."""
    try:
        with session.begin_nested():
            call()
    except Exception:
        log.exception("outbox %s: the %s hook failed; the delivery itself is recorded", row_id, name)
