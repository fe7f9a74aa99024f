"""Many channels with a backlog: each gets its next message in turn, so no channel waits out another's burst.

Slack lets a channel have about one post a second after a short burst. Sending the oldest
rows first gave the first channels their whole burst while the later ones waited with their
own allowance unused, and on a Monday the last channel's messages came as late as it began.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from bot import db
from bot.clock import FakeClock
from bot.outbox import enqueue
from bot.outbox.deliverer import Deliverer
from bot.outbox.memory import MemoryOutboxStore
from bot.outbox.policy import DeliveryPolicy
from bot.outbox.slack_sender import SendJob, SendResult
from bot.outbox.store import SqlOutboxStore

MON_0800 = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
CHANNELS = ("CA", "CB", "CC", "CD")


class Recorder:
    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.sent: list[tuple[str | None, str]] = []

    def send(self, job: SendJob) -> SendResult:
        self.clock.advance(timedelta(milliseconds=10))  # a send takes a moment
        self.sent.append((job.channel, job.text))
        return SendResult(job.channel, f"{len(self.sent)}.000000", posts=1)

    def slack_now(self) -> str:
        return f"{self.clock.now().timestamp():.6f}"


Row = dict[str, str]


def _store(request: pytest.FixtureRequest, rows: list[Row]) -> MemoryOutboxStore | SqlOutboxStore:
    """The rows, queued at 08:00 in this order, in the store the test runs on (`request.param`)."""
    if request.param == "memory":
        memory = MemoryOutboxStore()
        for row in rows:
            memory.add(now=MON_0800, **row)  # type: ignore[arg-type]
        return memory
    engine: Engine = request.getfixturevalue("engine" if request.param == "sqlite" else "pg_engine")
    sessions = db.make_session_factory(engine)
    with db.transaction(sessions) as s:
        for row in rows:
            enqueue(s, now=MON_0800, **{"kind": "post", **row})  # type: ignore[arg-type]
    return SqlOutboxStore(sessions)


STORES = pytest.mark.parametrize("on", ["memory", "sqlite", "postgresql"], indirect=True)


@pytest.fixture
def on(request: pytest.FixtureRequest) -> pytest.FixtureRequest:
    return request


@STORES
def test_each_channel_gets_its_next_message_in_turn(on: pytest.FixtureRequest) -> None:
    # Channel by channel, as a weekend's held messages are written.
    store = _store(on, [{"text": f"{channel} {n}", "channel": channel} for channel in CHANNELS for n in range(3)])
    clock = FakeClock(MON_0800)
    sender = Recorder(clock)
    # Two in flight, one at a time: the order of the sends is the order of the claims.
    Deliverer(store, sender, clock, owner="test", policy=DeliveryPolicy(workers=1, in_flight=2, run=1)).deliver_due()
    rounds = [sorted(text for _, text in sender.sent[i : i + len(CHANNELS)]) for i in range(0, 12, len(CHANNELS))]
    assert rounds == [[f"{c} {n}" for c in CHANNELS] for n in range(3)]


@pytest.mark.parametrize("on", ["sqlite", "postgresql"], indirect=True)
def test_a_second_process_shares_a_round_on_postgresql_only(on: pytest.FixtureRequest) -> None:
    """On PostgreSQL the heads go in chunks (CLAIM_CHUNKS), and SKIP LOCKED lets another process take the next one;
    SQLite has one writer and one process, so its round is claimed at once."""
    rows = [{"text": channel, "channel": channel} for channel in CHANNELS]
    store = _store(on, rows)
    assert isinstance(store, SqlOutboxStore)
    other = SqlOutboxStore(store.sessions)
    clock = FakeClock(MON_0800)
    policy = DeliveryPolicy(workers=1, in_flight=10)
    if on.param == "postgresql":
        assert store.claim_chunk == 160
        store.claim_chunk = 2  # four channels, two chunks
    else:
        assert store.claim_chunk is None
    b_sender = Recorder(clock)
    b = Deliverer(other, b_sender, clock, owner="b", policy=policy)
    claim, by_b = store.claim, []

    def claim_then_let_b_look(heads, **kw):  # type: ignore[no-untyped-def]
        runs = claim(heads, **kw)
        if not by_b:
            by_b.append(b.deliver_due())  # the other process, between this one's first chunk and its next
        return runs

    store.claim = claim_then_let_b_look  # type: ignore[method-assign]
    a = Recorder(clock)
    sent_by_a = Deliverer(store, a, clock, owner="a", policy=policy).deliver_due()
    assert (sent_by_a, by_b) == ((2, [2]) if on.param == "postgresql" else (4, [0]))
    assert sorted(text for _, text in a.sent + b_sender.sent) == sorted(CHANNELS)  # each once
