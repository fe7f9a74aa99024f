"""An injectable clock: the domain never reads the system time itself."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware in UTC."""


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FakeClock:
    """A clock that only moves when told to (tests, benchmarks, previews)."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self._now = start.astimezone(UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def set(self, when: datetime) -> None:
        with self._lock:
            self._now = when.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        with self._lock:
            self._now += delta


class OffsetClock:
    """Real time shifted: reads `fake` at the real instant `real` (Unix seconds) and runs at real speed.

    Only for benchmarks (`SAMSPEL_FAKE_NOW`): a real bot process at a simulated Monday 08:00.
    """

    def __init__(self, fake: datetime, real: float) -> None:
        if fake.tzinfo is None:
            raise ValueError("OffsetClock needs an aware datetime")
        self._offset = fake.astimezone(UTC) - datetime.fromtimestamp(real, UTC)

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset


def from_env(value: str | None) -> Clock | None:
    """`SAMSPEL_FAKE_NOW=2026-11-30T08:00:00+01:00@1764486000.0` (the instant, then the real Unix time it holds at).

    A hidden setting for benchmarks; unset, the bot runs on the system clock.
    """
    if not value:
        return None
    fake, _, real = value.partition("@")
    return OffsetClock(datetime.fromisoformat(fake), float(real) if real else datetime.now(UTC).timestamp())
