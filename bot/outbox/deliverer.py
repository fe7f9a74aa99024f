"""The delivery loop: claim lane heads, send them on a bounded pool, record the outcome. Nothing else.

SQL lives in the store, Slack in the sender, retry decisions in the policy and pacing in
the pacer. Lanes (a channel, a person's DMs) are delivered concurrently, each at its
own pace; one lane's 429, retry or broken row never holds another lane. The loop
wakes at the next due time (a held message's `deliver_after`, a retry, a paced lane)
or when a commit kicks it, not at the next poll.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Collection, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from slack_sdk import WebClient

from bot.clock import Clock
from bot.db import SessionFactory
from bot.outbox import fit
from bot.outbox.pacing import NOTHING_PAUSED, Paused, Pauses
from bot.outbox.policy import (
    AfterSent,
    ClientFor,
    DeliveryPolicy,
    ErrorKind,
    Gate,
    Hooks,
    OnFailed,
    OnSent,
    Prefetch,
    PrefetchHomes,
    RenderHome,
    RetryDecision,
    SendError,
)
from bot.outbox.slack_sender import POSTING_KINDS, SendJob, SendResult, SlackSender
from bot.outbox.store import Head, Prepared, Run, SqlOutboxStore

log = logging.getLogger("bot.outbox")

_COALESCE = timedelta(milliseconds=50)  # lanes that become ready within this go in one round
_FLUSH_EVERY = timedelta(milliseconds=20)  # sends are recorded in one transaction at least this often
# What became of one row: sent; skipped (held for working time, cancelled, failed for good: the
# lane goes on); blocked (to be retried, or no longer ours: the rest of the lane's run waits).
_SENT, _SKIPPED, _BLOCKED = object(), object(), object()


@dataclass(frozen=True)
class Sending:
    """The row a thread is delivering: the ids its log lines carry (bot.adapters.logs reads `SENDING`)."""

    outbox_id: int
    team_id: str | None = None
    pair_id: int | None = None


# Set on the pool thread for each row while it is sent and settled, and reset after: a pool thread
# serves many rows, so ids bound once (when the rows were prepared) would tag the wrong row's lines.
SENDING: ContextVar[Sending | None] = ContextVar("samspel_outbox_sending", default=None)


@contextmanager
def _sending(row_id: int, job: Prepared) -> Iterator[None]:
    known = job if isinstance(job, SendJob) else None
    token = SENDING.set(Sending(row_id, known.team_id if known else None, known.pair_id if known else None))
    try:
        yield
    finally:
        SENDING.reset(token)


class Store(Protocol):
    # How many of one query's heads are claimed and sent at a time (None: all at once); see SqlOutboxStore.
    claim_chunk: int | None

    def heads(
        self,
        now: datetime,
        *,
        limit: int,
        run: int = 1,
        skip_lanes: Collection[str] = (),
        paused: Paused = NOTHING_PAUSED,
        homes: bool = True,
    ) -> list[Head]: ...
    def claim(self, heads: Collection[Head], *, owner: str, now: datetime, lease: timedelta, slack_now: str) -> list[Run]: ...
    def release(self, ids: Collection[int], *, owner: str) -> None: ...
    def begin_many(self, ids: Collection[int], *, owner: str, now: datetime, hooks: Hooks) -> dict[int, Prepared]: ...
    def sent_many(self, items: Collection[tuple[int, SendResult, datetime]], *, hooks: Hooks) -> None: ...
    def retry(self, row_id: int, error: SendError, decision: RetryDecision, *, owner: str) -> int: ...
    def fail(self, row_id: int, error: SendError, *, owner: str, now: datetime, hooks: Hooks) -> None: ...
    def attempts(self, row_id: int) -> int: ...
    def next_due(self, now: datetime) -> datetime | None: ...
    def paced_until(self, now: datetime) -> datetime | None: ...


class Sender(Protocol):
    def send(self, job: SendJob) -> SendResult: ...
    def slack_now(self) -> str: ...


class Deliverer:
    """Delivers due outbox rows. `deliver_due` sends what may go now; `start` runs it whenever something falls due."""

    def __init__(
        self, store: Store, sender: Sender, clock: Clock, *, owner: str, policy: DeliveryPolicy | None = None, hooks: Hooks | None = None
    ) -> None:
        self.store = store
        self.sender = sender
        self.clock = clock
        self.owner = owner
        self.policy = policy or DeliveryPolicy()
        self.hooks = hooks or Hooks()
        self.pauses = Pauses()
        self._drain_lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._thread: threading.Thread | None = None
        self._kicked = threading.Event()
        self._results: list[tuple[int, SendResult, datetime]] = []
        self._oldest_result: float | None = None
        self._results_lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self._stopping = threading.Event()
        self._homes_free_at = time.monotonic()  # when Home tabs were last free to be claimed (HOMES_AFTER_POSTS)

    # --- one round -------------------------------------------------------------

    def deliver_due(self) -> int:
        """Send every row that may go now, lanes in parallel; returns how many were sent.

        Never sleeps: a lane that must wait for its pace is left for a later call (see
        `next_wake`). Calls on one deliverer take turns; separate deliverers and
        processes may run at once, and the store's claims keep them apart.
        """
        with self._drain_lock:
            return self._drain()

    def _drain(self) -> int:
        sent = 0
        running: dict[Future[int], Run] = {}
        pool = self._executor()
        while True:
            rows = sum(len(run.ids) for run in running.values())
            if rows <= self.policy.in_flight // 2:
                busy = {run.lane for run in running.values()}
                # HOMES_AFTER_POSTS: a Home tab waits while this deliverer's posts are in flight. Rendered among
                # them, it took the CPU they were waiting for: on a Monday the last round of 300 DMs ended 0.2 s later.
                # A flood that keeps posts in flight without a pause holds them at most `homes_wait`.
                posting = any(run.kind in POSTING_KINDS for run in running.values())
                overdue = time.monotonic() - self._homes_free_at >= self.policy.homes_wait.total_seconds()
                heads = self._heads(busy, self.policy.in_flight - rows, homes=overdue or not posting, with_posts=overdue)
                chunk = self.store.claim_chunk or len(heads) or 1
                for start in range(0, len(heads), chunk):
                    runs = self._claim(heads[start : start + chunk])
                    prepared = self._prepare(runs)
                    for run in runs:
                        running[pool.submit(self._deliver_run, run, prepared)] = run
            if not running:
                if not self._flush():
                    return sent
                continue  # what was just recorded may free the next rows of those lanes
            done, _ = wait(running, timeout=_FLUSH_EVERY.total_seconds(), return_when=FIRST_COMPLETED)
            for future in done:
                running.pop(future)
                sent += future.result()
            self._flush(only_if_due=True)

    def _record(self, job: SendJob, result: SendResult) -> None:
        """A send Slack accepted, to be written with others in one transaction (see `_flush`)."""
        with self._results_lock:
            self._results.append((job.id, result, self.clock.now()))
            full = len(self._results) >= self.policy.in_flight // 2
            self._oldest_result = self._oldest_result or time.monotonic()
        if full:
            self._flush()

    def _flush(self, *, only_if_due: bool = False) -> int:
        """Write the recorded sends; until then their rows stay leased, so nobody sends them again."""
        with self._flush_lock:  # one at a time, in the order recorded: the lanes' pace is computed in that order
            with self._results_lock:
                age = time.monotonic() - (self._oldest_result or time.monotonic())
                if not self._results or (only_if_due and age < _FLUSH_EVERY.total_seconds()):
                    return 0
                items, self._results, self._oldest_result = self._results, [], None
            token = SENDING.set(None)  # many rows, whichever thread flushes: not the row it was sending
            try:
                self.store.sent_many(items, hooks=self.hooks)
            except Exception:
                # The rows stay leased; when the lease runs out they are claimed as uncertain and
                # found in Slack's history, not posted twice.
                log.exception("outbox: could not record %s sends", len(items))
            finally:
                SENDING.reset(token)
            return len(items)

    def _heads(self, busy: set[str], free: int, *, homes: bool = True, with_posts: bool = False) -> list[Head]:
        now = self.clock.now()
        if free <= 0:
            return []
        heads = self.store.heads(now, limit=free, run=self.policy.run, skip_lanes=busy, paused=self.pauses.paused(now), homes=homes)
        if not with_posts and any(head.kind in POSTING_KINDS for head in heads):
            heads = [head for head in heads if head.kind != "home"]  # HOMES_AFTER_POSTS, within one claim too
        elif homes:
            self._homes_free_at = time.monotonic()
        budget, fitted = free, list[Head]()
        for head in heads:  # at most `free` rows in all: the first lanes get their room, the later ones one row
            room = max(1, min(head.room, budget - (len(heads) - len(fitted) - 1)))
            fitted.append(replace(head, room=room))
            budget -= room
        return fitted

    def _claim(self, heads: list[Head]) -> list[Run]:
        if not heads:
            return []
        now = self.clock.now()
        return self.store.claim(heads, owner=self.owner, now=now, lease=self.policy.lease, slack_now=self.sender.slack_now())

    def _prepare(self, runs: list[Run]) -> dict[int, Prepared]:
        """Every claimed row's job in one transaction (the respekt gate asked once for each)."""
        ids = [row_id for run in runs for row_id in run.ids]
        if not ids:
            return {}
        try:
            return self.store.begin_many(ids, owner=self.owner, now=self.clock.now(), hooks=self.hooks)
        except Exception:
            # The database, most likely: give the rows back rather than wait out their lease.
            log.exception("outbox: could not prepare %s rows", len(ids))
            self._release(tuple(ids))
            return dict.fromkeys(ids)

    def _executor(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=self.policy.workers, thread_name_prefix="outbox")
        return self._pool

    # --- one lane's run, one row -------------------------------------------------

    def _deliver_run(self, run: Run, prepared: dict[int, Prepared]) -> int:
        """The run's rows one after another; a row that must be retried first ends the run (the lane keeps its order)."""
        sent = 0
        for n, row_id in enumerate(run.ids):
            with _sending(row_id, prepared.get(row_id)):
                try:
                    outcome = self._deliver_one(Head(row_id, run.lane, ""), prepared.get(row_id))
                except Exception:
                    # Recording the outcome failed (the database, say). The lease runs out and the row
                    # is claimed again as uncertain, so a post that happened is found, not repeated.
                    log.exception("outbox %s: delivery could not be recorded", row_id)
                    outcome = _BLOCKED
            if outcome is _SENT:
                sent += 1
            elif outcome is _BLOCKED:
                self._release(run.ids[n + 1 :])
                break
        return sent

    def _release(self, ids: tuple[int, ...]) -> None:
        try:
            self.store.release(ids, owner=self.owner)
        except Exception:
            log.exception("outbox: could not give back rows %s; their lease runs out", list(ids))

    def _deliver_one(self, head: Head, prepared: Prepared) -> object:
        job, outcome = self._begin(head, prepared)
        if job is None:
            return outcome
        try:
            result = self.sender.send(job)
        except SendError as err:
            return self._settle(head, job, err)
        except Exception as err:
            log.exception("outbox %s: sending failed unexpectedly", head.id)
            return self._settle(head, job, SendError(ErrorKind.INTERNAL, f"{type(err).__name__}: {err}", uncertain=job.posts))
        self._record(job, result)
        return _SENT

    def _begin(self, head: Head, job: Prepared) -> tuple[SendJob | None, object]:
        """The job to send, or None and why not: held or cancelled (the lane goes on) or blocked (it waits)."""
        if isinstance(job, Exception):
            # A poison row (its gate raises, say) costs an attempt of its own and nothing else.
            log.error("outbox %s: unexpected error: preparing the send failed", head.id, exc_info=job)
            return None, self._settle(head, None, SendError(ErrorKind.INTERNAL, f"{type(job).__name__}: {job}"))
        if job is None:
            return None, _SKIPPED
        paused = self.pauses.until(job.team_id, job.kind, self.clock.now())
        if paused is not None:
            # Claimed before another row's 429 paused this kind of message: it waits with the others.
            self.store.retry(job.id, SendError(ErrorKind.RATE_LIMITED, "paused"), RetryDecision(paused, count=False), owner=self.owner)
            return None, _BLOCKED
        return job, _SENT

    def _settle(self, head: Head, job: SendJob | None, error: SendError) -> object:
        self._flush()  # the lane's sends so far first: a 429 rewrites the pace they left
        now = self.clock.now()
        attempts = (job.attempts if job is not None else self.store.attempts(head.id)) + 1
        decision = self.policy.decide(error, attempts, now)
        if decision is None and error.kind is ErrorKind.UNAVAILABLE:
            # Nobody is told of a failure: what the row added (a canvas) is extra to what was posted.
            self.store.fail(head.id, error, owner=self.owner, now=now, hooks=replace(self.hooks, on_failed=None))
            log.info("outbox %s: not available in this workspace (%s)", head.id, error.detail)
            return _SKIPPED
        if decision is None:
            self.store.fail(head.id, error, owner=self.owner, now=now, hooks=self.hooks)
            if error.kind is ErrorKind.PERMANENT:
                log.error("outbox %s failed permanently: %s", head.id, error.detail)
            else:
                log.error("outbox %s failed after %s attempts: %s", head.id, attempts, error)
            return _SKIPPED
        kind = job.kind if job is not None else head.kind
        if decision.pause:
            team = job.team_id if job is not None else head.team
            scope = self.pauses.rate_limited(team, head.lane, kind, decision.at, now, workspace=error.workspace)
            log.warning("outbox %s rate limited; %s paused until %s", head.id, scope, decision.at.isoformat())
        elif decision.plain_text and job is not None:
            log.error(
                "outbox %s: bug: Slack refused the payload (%s) with %s blocks, %s characters of block text "
                "and %s of text; sending it again as plain text",
                head.id,
                error.detail,
                len(job.blocks or []),
                fit.block_chars(job.blocks or []),
                len(job.text),
            )
        elif decision.count:
            log.warning("outbox %s attempt %s failed (%s); retrying at %s", head.id, attempts, error, decision.at.isoformat())
        self.store.retry(head.id, error, decision, owner=self.owner)
        return _BLOCKED

    # --- when to run -----------------------------------------------------------

    def next_wake(self) -> datetime | None:
        """The next moment something may be sent: a row falling due, a retry, or a paced lane."""
        now = self.clock.now()
        times = [t for t in (self.store.next_due(now), self.store.paced_until(now), self.pauses.next_end(now)) if t is not None]
        return min(times) if times else None

    def pacing_wait(self) -> timedelta | None:
        """How long until a lane that has a due row but must keep its pace may send (None: none waits)."""
        now = self.clock.now()
        until = self.store.paced_until(now)
        return None if until is None else until - now

    def kick(self) -> None:
        """Something was committed: look now (the running loop, if any, wakes)."""
        self._kicked.set()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="outbox-deliverer", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 15.0) -> None:
        self._stopping.set()
        self._kicked.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    def _run(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            self._kicked.clear()
            try:
                self.deliver_due()
                delay = self._delay()
                failures = 0
            except Exception:
                failures += 1
                if failures & (failures - 1) == 0:  # 1, 2, 4, 8 …: an outage is not a log flood
                    log.exception("outbox delivery failed (%s times in a row)", failures)
                delay = self.policy.poll.total_seconds()
            self._kicked.wait(delay)

    def _delay(self) -> float:
        wake = self.next_wake()
        poll = self.policy.poll.total_seconds()
        if wake is None:
            return poll
        seconds = (wake - self.clock.now()).total_seconds()
        return min(max(seconds, _COALESCE.total_seconds()), poll)


class OutboxDeliverer(Deliverer):
    """The deliverer on the real database and Slack Web API (the signature the rest of the bot uses)."""

    def __init__(
        self,
        sessions: SessionFactory,
        client: WebClient,
        clock: Clock,
        *,
        owner: str,
        policy: DeliveryPolicy | None = None,
        on_sent: OnSent | None = None,
        after_sent: AfterSent | None = None,
        gate: Gate | None = None,
        prefetch: Prefetch | None = None,
        on_failed: OnFailed | None = None,
        render_home: RenderHome | None = None,
        prefetch_homes: PrefetchHomes | None = None,
        client_for: ClientFor | None = None,
    ) -> None:
        policy = policy or DeliveryPolicy()
        sender = SlackSender(
            client,
            history_window=policy.history_window,
            history_pages=policy.history_pages,
            local_time=lambda: clock.now().timestamp(),
            part_interval=1.0 / policy.channel_rate,
        )
        store = SqlOutboxStore(sessions, pace_rate=policy.channel_rate, pace_burst=policy.channel_burst, paced=policy.paced)
        super().__init__(
            store,
            sender,
            clock,
            owner=owner,
            policy=policy,
            hooks=Hooks(
                gate=gate,
                prefetch=prefetch,
                on_sent=on_sent,
                after_sent=after_sent,
                on_failed=on_failed,
                render_home=render_home,
                prefetch_homes=prefetch_homes,
                client_for=client_for,
            ),
        )
        self.sessions = sessions
        self.client = client
