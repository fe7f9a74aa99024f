"""What a 429 pauses: one lane, one Web API method, or the whole workspace.

The pace of each lane itself (about one chat.postMessage per second per channel, with
short bursts) is kept by the store, from the lane's recent sends in the database, so
two bot processes share it. A lane's 429 is stored too, as its head's retry time. What
is left here, in memory, are the wider pauses: other methods (views.publish,
chat.update ...) are limited per workspace, so their 429 pauses that kind of message
everywhere; 429s on two channels at once mean the workspace-wide cap, and pause it all.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

WORKSPACE = "*"
_SAME_MOMENT = timedelta(seconds=1)


class Pauses:
    """Pauses per kind of message and for the workspace. Thread-safe."""

    def __init__(self) -> None:
        self._until: dict[str, datetime] = {}
        self._last_lane_429: tuple[str, datetime] | None = None
        self._lock = threading.Lock()

    def rate_limited(self, lane: str, kind: str, until: datetime, now: datetime, *, workspace: bool) -> str:
        """Record a 429; returns what it pauses: the lane (kept in the store), a kind, or the workspace."""
        with self._lock:
            scope = lane
            if workspace:
                scope = f"kind:{kind}"
            elif self._last_lane_429 is not None and self._last_lane_429[0] != lane and now - self._last_lane_429[1] < _SAME_MOMENT:
                scope = WORKSPACE
            if scope == lane:
                self._last_lane_429 = (lane, now)
            else:
                self._until[scope] = max(until, self._until.get(scope, until))
            return scope

    def paused(self, now: datetime) -> tuple[set[str], datetime | None]:
        """The kinds paused now, and until when the whole workspace is (None: it is not)."""
        with self._lock:
            for scope in [s for s, until in self._until.items() if until <= now]:
                del self._until[scope]
            kinds = {s.removeprefix("kind:") for s in self._until if s.startswith("kind:")}
            return kinds, self._until.get(WORKSPACE)

    def until(self, kind: str, now: datetime) -> datetime | None:
        """Until when a message of this kind must wait (None: it may go now)."""
        with self._lock:
            ends = [t for t in (self._until.get(f"kind:{kind}"), self._until.get(WORKSPACE)) if t is not None and t > now]
        return max(ends) if ends else None

    def next_end(self, now: datetime) -> datetime | None:
        with self._lock:
            ends = [until for until in self._until.values() if until > now]
        return min(ends) if ends else None
