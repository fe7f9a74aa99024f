"""A session and a session factory in memory, for unit tests of the unit of work and the bus (no database).

Rows added in a transaction are stored only when it commits, as the database would; a flush that holds an
outbox row marks the session as bot/bootstrap.py's `_mark_outbox_writes` does, so the unit of work wakes
delivery exactly as it does on a real database.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from bot.services.unit_of_work import OUTBOX_WRITTEN


@dataclass(frozen=True)
class Row:
    table: str
    text: str


@dataclass
class FakeDatabase:
    """What was committed, and how many transactions committed or rolled back."""

    rows: list[Row] = field(default_factory=list)
    commits: int = 0
    rollbacks: int = 0

    def table(self, name: str) -> list[str]:
        return [row.text for row in self.rows if row.table == name]


class FakeSession:
    def __init__(self, database: FakeDatabase) -> None:
        self.database = database
        self.info: dict[str, Any] = {}
        self.pending: list[Row] = []
        self.closed = False

    def __enter__(self) -> FakeSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.closed = True

    def add(self, row: Row) -> None:
        self.pending.append(row)

    def flush(self) -> None:
        if any(row.table == "outbox" for row in self.pending):
            self.info[OUTBOX_WRITTEN] = True

    @contextmanager
    def begin(self) -> Iterator[FakeSession]:
        try:
            yield self
        except BaseException:
            self.pending.clear()
            self.database.rollbacks += 1
            raise
        self.flush()
        self.database.rows.extend(self.pending)
        self.pending.clear()
        self.database.commits += 1


class FakeSessions:
    """A sessionmaker's shape: `kw` (no engine bound, so no SQLite writer lock) and a call that opens a session."""

    def __init__(self) -> None:
        self.database = FakeDatabase()
        self.kw: dict[str, Any] = {}

    def __call__(self) -> FakeSession:
        return FakeSession(self.database)
