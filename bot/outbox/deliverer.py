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
from collections.abc import Collection
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import datetime, timedelta
from typing import Protocol

from slack_sdk import WebClient

from bot.clock import Clock
from bot.db import SessionFactory
from bot.outbox import fit
from bot.outbox.pacing import Pauses
from bot.outbox.policy import DeliveryPolicy, ErrorKind, Gate, Hooks, OnFailed, OnSent, RetryDecision, SendError
from bot.outbox.slack_sender import SendJob, SendResult, SlackSender
from bot.outbox.store import Head, SqlOutboxStore

log = logging.getLogger("bot.outbox")

_COALESCE = timedelta(milliseconds=50)  # lanes that become ready within this go in one round


class Store(Protocol):
    def heads(self, now: datetime, *, limit: int, skip_lanes: Collection[str] = (),
              skip_kinds: Collection[str] = ()) -> list[Head]: ...
    def claim(self, ids: Collection[int], *, owner: str, now: datetime, lease: timedelta,
              slack_now: str) -> list[int]: ...
    def begin(self, row_id: int, *, owner: str, now: datetime, hooks: Hooks) -> SendJob | None: ...
    def sent(self, row_id: int, result: SendResult, *, now: datetime, hooks: Hooks) -> None: ...
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

    def __init__(self, store: Store, sender: Sender, clock: Clock, *, owner: str,
                 policy: DeliveryPolicy | None = None, hooks: Hooks | None = None) -> None:
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
        self._stopping = threading.Event()

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
        running: dict[Future[int], Head] = {}
        pool = self._executor()
        while True:
            if len(running) <= self.policy.in_flight // 2:
                busy = {head.lane for head in running.values()}
                for head in self._claim(busy, self.policy.in_flight - len(running)):
                    running[pool.submit(self._deliver_safely, head)] = head
            if not running:
                return sent
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                running.pop(future)
                sent += future.result()

    def _claim(self, busy: set[str], free: int) -> list[Head]:
        now = self.clock.now()
        kinds, workspace = self.pauses.paused(now)
        if free <= 0 or workspace is not None:
            return []
        heads = self.store.heads(now, limit=free, skip_lanes=busy, skip_kinds=kinds)
        claimed = set(self.store.claim([h.id for h in heads], owner=self.owner, now=now,
                                       lease=self.policy.lease, slack_now=self.sender.slack_now()))
        return [h for h in heads if h.id in claimed]

    def _executor(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=self.policy.workers, thread_name_prefix="outbox")
        return self._pool

    # --- one row ---------------------------------------------------------------

    def _deliver_safely(self, head: Head) -> int:
        try:
            return self._deliver_one(head)
        except Exception:
            # Recording the outcome failed (the database, say). The lease runs out and the row
            # is claimed again as uncertain, so a post that happened is found, not repeated.
            log.exception("outbox %s: delivery could not be recorded", head.id)
            return 0

    def _deliver_one(self, head: Head) -> int:
        paused = self.pauses.until(head.kind, self.clock.now())
        if paused is not None:
            # Claimed before another row's 429 paused this kind: wait with the others.
            self.store.retry(head.id, SendError(ErrorKind.RATE_LIMITED, "paused"), RetryDecision(paused, count=False),
                             owner=self.owner)
            return 0
        try:
            job = self.store.begin(head.id, owner=self.owner, now=self.clock.now(), hooks=self.hooks)
        except Exception as err:
            # A poison row (its gate raises, say) costs an attempt of its own and nothing else.
            log.exception("outbox %s: preparing the send failed", head.id)
            self._settle(head, None, SendError(ErrorKind.INTERNAL, f"{type(err).__name__}: {err}"))
            return 0
        if job is None:
            return 0
        try:
            result = self.sender.send(job)
        except SendError as err:
            self._settle(head, job, err)
            return 0
        except Exception as err:
            log.exception("outbox %s: sending failed unexpectedly", head.id)
            self._settle(head, job, SendError(ErrorKind.INTERNAL, f"{type(err).__name__}: {err}", uncertain=job.posts))
            return 0
        self.store.sent(job.id, result, now=self.clock.now(), hooks=self.hooks)
        return 1

    def _settle(self, head: Head, job: SendJob | None, error: SendError) -> None:
        now = self.clock.now()
        attempts = (job.attempts if job is not None else self.store.attempts(head.id)) + 1
        decision = self.policy.decide(error, attempts, now)
        if decision is None:
            self.store.fail(head.id, error, owner=self.owner, now=now, hooks=self.hooks)
            if error.kind is ErrorKind.PERMANENT:
                log.error("outbox %s failed permanently: %s", head.id, error.detail)
            else:
                log.error("outbox %s failed after %s attempts: %s", head.id, attempts, error)
            return
        if decision.pause:
            scope = self.pauses.rate_limited(head.lane, head.kind, decision.at, now, workspace=error.workspace)
            log.warning("outbox %s rate limited; %s paused until %s", head.id, scope, decision.at.isoformat())
        elif decision.plain_text and job is not None:
            log.error("outbox %s: bug: Slack refused the payload (%s) with %s blocks, %s characters of block text "
                      "and %s of text; sending it again as plain text", head.id, error.detail, len(job.blocks or []),
                      fit.block_chars(job.blocks or []), len(job.text))
        elif decision.count:
            log.warning("outbox %s attempt %s failed (%s); retrying at %s", head.id, attempts, error, decision.at.isoformat())
        self.store.retry(head.id, error, decision, owner=self.owner)

    # --- when to run -----------------------------------------------------------

    def next_wake(self) -> datetime | None:
        """The next moment something may be sent: a row falling due, a retry, or a paced lane."""
        now = self.clock.now()
        times = [t for t in (self.store.next_due(now), self.store.paced_until(now), self.pauses.next_end(now))
                 if t is not None]
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
        gate: Gate | None = None,
        on_failed: OnFailed | None = None,
    ) -> None:
        policy = policy or DeliveryPolicy()
        sender = SlackSender(client, history_window=policy.history_window, history_pages=policy.history_pages,
                             local_time=lambda: clock.now().timestamp())
        store = SqlOutboxStore(sessions, pace_rate=policy.channel_rate, pace_burst=policy.channel_burst)
        super().__init__(store, sender, clock, owner=owner, policy=policy,
                         hooks=Hooks(gate=gate, on_sent=on_sent, on_failed=on_failed))
        self.sessions = sessions
        self.client = client
