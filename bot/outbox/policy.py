"""What to do after a failed send: a pure decision over (error, attempts, now), plus the hook protocols.

Modelled on procrastinate's retry strategy: the deliverer asks `DeliveryPolicy.decide`
and does what it answers; it never sorts errors itself. The respekt gate and the
other hooks are protocols, so the outbox knows nothing about pairs or calendars.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot.models import OutboxMessage


class ErrorKind(enum.Enum):
    RATE_LIMITED = "rate_limited"  # 429: wait Retry-After; not a failed attempt
    TRANSIENT = "transient"  # 5xx, connection trouble: back off and try again
    TOO_LARGE = "too_large"  # msg_blocks_too_long, invalid_blocks, msg_too_long: resend as plain text
    PERMANENT = "permanent"  # channel_not_found, not_in_channel ...: trying again changes nothing
    NOT_READY = "not_ready"  # an update whose original has no ts yet
    INTERNAL = "internal"  # an exception in our own code (gate, hooks, a bug): counts like a transient error
    UNAVAILABLE = "unavailable"  # the workspace lacks the feature (channel canvases on a free plan): not a fault


@dataclass(eq=False)  # not frozen: Python sets attributes such as __traceback__ on a raised exception
class SendError(Exception):
    """Why one send did not complete. `uncertain`: the message may have reached Slack anyway."""

    kind: ErrorKind
    detail: str
    retry_after: timedelta = timedelta(0)
    uncertain: bool = False
    # The 429 came from a method limit shared by the whole workspace, not from one channel's.
    workspace: bool = False

    def __str__(self) -> str:
        return f"{self.kind.value}: {self.detail}"


@dataclass(frozen=True)
class RetryDecision:
    """Try again at `at`. `count`: whether this was a failed attempt; `pause`: hold the whole lane until `at`."""

    at: datetime
    count: bool = True
    pause: bool = False
    plain_text: bool = False


@dataclass(frozen=True)
class DeliveryPolicy:
    # With doubling backoff capped at 15 minutes, 16 attempts ride out about two hours of Slack trouble.
    max_attempts: int = 16
    lease: timedelta = timedelta(seconds=60)
    batch: int = 25  # kept for callers that still pass it; see `in_flight` and `run`
    base_backoff: timedelta = timedelta(seconds=2)
    max_backoff: timedelta = timedelta(minutes=15)
    # The uncertain-send check looks this far either side of the attempt, on Slack's clock
    # (wide enough for a bot clock some minutes off before the first post has shown the skew).
    history_window: timedelta = timedelta(minutes=10)
    history_pages: int = 5
    # Slack: about one chat.postMessage per second per channel, with short bursts.
    channel_rate: float = 1.0
    channel_burst: int = 3
    paced: bool = True  # False: no pace at all (a benchmark against a fake Slack without limits)
    # Lanes sent at once. Each send waits a network round trip (about 30 ms to Slack's edge from
    # Sweden), so a Monday's 300 posts a second need this many in flight; on loopback it changes nothing.
    workers: int = 32
    # Rows claimed and not yet settled, across lanes. Each claim asks for the heads of every due lane,
    # so a Monday round (a post in each of 300 channels at once) goes in one claim: at 64 it took six,
    # and each round ended 0.2 s later. After a crash, at most this many rows are looked for in Slack's
    # history before they are sent again (spread over the workspaces they go to).
    in_flight: int = 320
    # Home tabs wait while posts are in flight (HOMES_AFTER_POSTS, bot/outbox/deliverer.py), at most this long.
    homes_wait: timedelta = timedelta(seconds=5)
    run: int = 25  # at most this many rows of one lane in one claim (posts: also what the lane's pace allows)
    poll: timedelta = timedelta(seconds=5)

    def backoff(self, attempts: int) -> timedelta:
        return min(self.base_backoff * (2 ** max(attempts - 1, 0)), self.max_backoff)

    def decide(self, error: SendError, attempts: int, now: datetime) -> RetryDecision | None:
        """`attempts` counts this one if it fails. None: give up, the row fails."""
        if error.kind is ErrorKind.RATE_LIMITED:
            return RetryDecision(now + max(error.retry_after, timedelta(seconds=1)), count=False, pause=True)
        if error.kind is ErrorKind.NOT_READY:
            return RetryDecision(now + self.base_backoff, count=False)
        if error.kind in (ErrorKind.PERMANENT, ErrorKind.UNAVAILABLE) or attempts >= self.max_attempts:
            return None
        if error.kind is ErrorKind.TOO_LARGE:
            return RetryDecision(now, plain_text=True)
        return RetryDecision(now + self.backoff(attempts))


class Gate(Protocol):
    """The respekt gate: None to send now, else when the row may go (it is held until then)."""

    def __call__(self, session: Any, row: OutboxMessage, now: datetime, /) -> datetime | None: ...


class OnSent(Protocol):
    def __call__(self, session: Any, row: OutboxMessage, /) -> None: ...


class AfterSent(Protocol):
    """Once per recorded batch of sends, after each row's `OnSent`: what is done once for many rows."""

    def __call__(self, session: Any, rows: Sequence[OutboxMessage], /) -> None: ...


class Prefetch(Protocol):
    """Before the hooks run for a batch of rows: loads in one go what they will ask for, row by row."""

    def __call__(self, session: Any, rows: Sequence[OutboxMessage], /) -> None: ...


class OnFailed(Protocol):
    def __call__(self, session: Any, row: OutboxMessage, now: datetime, /) -> None: ...


class RenderHome(Protocol):
    """Renders a Home tab queued without blocks, just before it is sent: the user's, in the row's workspace (team id)."""

    def __call__(self, session: Any, user: str, now: datetime, team_id: str | None, /) -> list[Any]: ...


class PrefetchHomes(Protocol):
    """Before a batch of Home tabs is rendered: loads in one go what `RenderHome` will ask for, (team id, user) by tab."""

    def __call__(self, session: Any, tabs: Sequence[tuple[str | None, str]], now: datetime, /) -> None: ...


class ClientFor(Protocol):
    """The Web API client of the row's workspace (multi-workspace); without it the deliverer's one client."""

    def __call__(self, row: OutboxMessage, /) -> Any: ...


@dataclass(frozen=True)
class Hooks:
    """What the rest of the bot wants to happen around delivery; each runs in the store's transaction."""

    gate: Gate | None = None
    on_sent: OnSent | None = None
    after_sent: AfterSent | None = None
    prefetch: Prefetch | None = None
    on_failed: OnFailed | None = None
    render_home: RenderHome | None = None
    prefetch_homes: PrefetchHomes | None = None
    client_for: ClientFor | None = None
