"""Outbox delivery and the working-time calendar: throughput, queries per message and memory.

`outbox:` rows are the same run as before the outbox was split (one channel, the fake
Slack without its rate limit, the pace off): what delivery itself costs. The `lanes:`
row sends one message to each of 1000 channels on the strict fake, through the pool
and with the pace on. Slack's own time (the pace at the limit) is `python -m bench burst`.
Run from the repository root: `python -m bench outbox`.
"""

from __future__ import annotations

import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench._fakeslack import FakeSlackProcess
from bot import db
from bot.adapters.holidays import swedish_calendar
from bot.bootstrap import make_client
from bot.clock import FakeClock
from bot.outbox import DeliveryPolicy, OutboxDeliverer, enqueue
from bot.settings import load_settings

UNPACED = DeliveryPolicy(paced=False)


def _drain(deliverer: OutboxDeliverer, clock: FakeClock) -> int:
    sent = deliverer.deliver_due()
    while (wait := deliverer.pacing_wait()) is not None:
        clock.advance(max(wait, timedelta(0)))
        sent += deliverer.deliver_due()
    return sent


def _deliver(n: int, url: str, *, channels: int = 1, policy: DeliveryPolicy = UNPACED) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        engine = db.make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        db.upgrade(engine)
        sessions = db.make_session_factory(engine)
        clock = FakeClock(datetime(2026, 11, 23, 9, tzinfo=UTC))
        with db.transaction(sessions) as s:
            for i in range(n):
                enqueue(s, kind="post", now=clock.now(), channel=f"CBENCH{i % channels}", text=f"meddelande {i}")
        settings = load_settings({"SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": "x", "SLACK_API_URL": url})
        deliverer = OutboxDeliverer(sessions, make_client(settings), clock, owner="bench", policy=policy)
        with db.count_queries(engine) as queries:
            tracemalloc.start()
            start = time.perf_counter()
            sent = _drain(deliverer, clock)
            elapsed = time.perf_counter() - start
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        deliverer.stop()
        engine.dispose()
        assert sent == n, (sent, n)
        return elapsed, peak / 1024, queries.n


def _line(label: str, n: int, result: tuple[float, float, int]) -> None:
    elapsed, peak_kib, queries = result
    print(
        f"{label}: {n:>5} messages in {elapsed:6.2f} s = {n / elapsed:7.0f} msg/s, {queries / n:4.1f} queries/msg, peak {peak_kib:8.0f} KiB"
    )


def bench_outbox() -> None:
    with FakeSlackProcess("--no-rate-limit") as url:
        _deliver(50, url)  # warm-up: imports, caches and connection pools are not what we measure
        results = {}
        for n in (100, 1000):
            results[n] = _deliver(n, url)
            _line("outbox", n, results[n])
        per_small = results[100][0] / 100
        per_large = results[1000][0] / 1000
        print(f"outbox: time per message 1000 vs 100: ratio {per_large / per_small:.2f} (1.0 = linear)")
        print(f"outbox: peak memory 1000 vs 100: ratio {results[1000][1] / results[100][1]:.2f} (1.0 = flat: rows are claimed in batches)")
    with FakeSlackProcess() as url:
        # One message a channel, so the strict fake's real-time limit never waits for the bench's fake clock.
        _line("lanes: 1000 channels", 1000, _deliver(1000, url, channels=1000, policy=DeliveryPolicy()))


def bench_calendar() -> None:
    calendar = swedish_calendar()
    start_at = datetime(2026, 1, 1, tzinfo=UTC)
    instants = [start_at + timedelta(minutes=37 * i) for i in range(50_000)]
    t0 = time.perf_counter()
    for t in instants:
        calendar.next_working_start(t)
    elapsed = time.perf_counter() - t0
    print(
        f"calendar: next_working_start {len(instants)} instants over {instants[-1].year - 2025} years: "
        f"{elapsed / len(instants) * 1e6:.1f} µs/call"
    )


def main() -> None:
    bench_outbox()
    bench_calendar()


if __name__ == "__main__":
    main()
