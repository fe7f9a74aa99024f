"""What a 429 pauses: one lane, one Web API method, or the whole workspace, in its own workspace only.

The pace of each lane itself (about one chat.postMessage per second per channel, with
short bursts) is kept by the store, from the lane's recent sends in the database, so
two bot processes share it. A lane's 429 is stored too, as its head's retry time. What
is left here, in memory, are the wider pauses. Slack limits each workspace on its own:
other methods (views.publish, chat.update ...) per workspace, so their 429 pauses that
kind of message in that workspace; 429s on two of a workspace's channels at once mean
its workspace-wide cap, and pause all of it. Another kommun's workspace never waits.
"""

from __future__ import annotations

import threading
from collections.abc import Set
from dataclasses import dataclass
from datetime import datetime, timedelta

WORKSPACE = "*"
_SAME_MOMENT = timedelta(seconds=1)

# A pause's scope: (workspace, "kind:<kind>") or (workspace, WORKSPACE); the workspace None for rows without one.
Scope = tuple[str | None, str]


@dataclass(frozen=True)
class Paused:
    """What may not go now: kinds of message per workspace, and whole workspaces."""

    kinds: Set[tuple[str | None, str]]
    workspaces: Set[str | None]

    def holds(self, team: str | None, kind: str) -> bool:
        return team in self.workspaces or (team, kind) in self.kinds


NOTHING_PAUSED = Paused(kinds=frozenset(), workspaces=frozenset())


class Pauses:
    """Pauses per kind of message and per workspace. Thread-safe."""

    def __init__(self) -> None:
        self._until: dict[Scope, datetime] = {}
        self._last_lane_429: dict[str | None, tuple[str, datetime]] = {}
        self._lock = threading.Lock()

    def rate_limited(self, team: str | None, lane: str, kind: str, until: datetime, now: datetime, *, workspace: bool) -> str:
        """Record a 429 in workspace `team`; returns what it pauses: the lane (kept in the store), a kind, or the workspace."""
        with self._lock:
            last = self._last_lane_429.get(team)
            scope: Scope | None = None
            if workspace:
                scope = (team, f"kind:{kind}")
            elif last is not None and last[0] != lane and now - last[1] < _SAME_MOMENT:
                scope = (team, WORKSPACE)
            if scope is None:
                self._last_lane_429[team] = (lane, now)
                return lane
            self._until[scope] = max(until, self._until.get(scope, until))
            what = "the whole workspace" if scope[1] == WORKSPACE else scope[1]
            return f"{what} in workspace {team or '-'}"

    def paused(self, now: datetime) -> Paused:
        """The kinds (per workspace) and the workspaces paused now."""
        with self._lock:
            for scope in [s for s, until in self._until.items() if until <= now]:
                del self._until[scope]
            kinds = {(team, what.removeprefix("kind:")) for team, what in self._until if what.startswith("kind:")}
            return Paused(kinds=kinds, workspaces={team for team, what in self._until if what == WORKSPACE})

    def until(self, team: str | None, kind: str, now: datetime) -> datetime | None:
        """Until when a message of this kind in this workspace must wait (None: it may go now)."""
        with self._lock:
            ends = [t for t in (self._until.get((team, f"kind:{kind}")), self._until.get((team, WORKSPACE))) if t is not None and t > now]
        return max(ends) if ends else None

    def next_end(self, now: datetime) -> datetime | None:
        with self._lock:
            ends = [until for until in self._until.values() if until > now]
        return min(ends) if ends else None
