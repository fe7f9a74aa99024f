"""The one outbox: at-least-once delivery with duplicate suppression, retries and leases."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from bot import db
from bot.clock import FakeClock
from bot.models import OutboxMessage
from bot.outbox import DeliveryPolicy, OutboxDeliverer, enqueue, enqueue_update
from tests.conftest import CHANNEL, KD, World, local, make_bot
from tests.signing import ephemeral_text
from tests.slack_mock import SlackServer


def queue_post(world: World, text: str = "Hej", **kw: object) -> int:
    with world.sessions() as s:
        return enqueue(s, kind="post", now=world.clock.now(), channel=CHANNEL, text=text, **kw).id  # type: ignore[arg-type]


def row(world: World, row_id: int) -> OutboxMessage:
    with world.sessions() as s:
        found = s.get(OutboxMessage, row_id)
        assert found is not None
        return found


def test_post_carries_outbox_id_in_metadata(world: World) -> None:
    row_id = queue_post(world)
    assert world.deliver() == 1
    (call,) = world.slack.posts
    assert call["channel"] == CHANNEL
    assert call["metadata"] == {"event_type": "samspel_outbox", "event_payload": {"outbox_id": row_id}}
    sent = row(world, row_id)
    assert sent.status == "sent" and sent.sent_ts
    assert world.deliver() == 0
    assert len(world.slack.posts) == 1


def test_not_delivered_before_deliver_after(world: World) -> None:
    later = world.clock.now() + timedelta(hours=2)
    queue_post(world, deliver_after=later)
    assert world.deliver() == 0
    world.clock.set(later)
    assert world.deliver() == 1


def test_lost_reply_is_checked_in_history_and_not_posted_twice(world: World) -> None:
    row_id = queue_post(world, "Viktigt")
    world.slack.fail_next("chat.postMessage", "drop_after")
    assert world.deliver() == 0
    assert row(world, row_id).uncertain
    world.clock.advance(timedelta(seconds=5))
    assert world.deliver() == 1
    assert len(world.slack.posted_to(CHANNEL)) == 1  # posted once, found again through metadata
    assert len(world.slack.of("conversations.history")) == 1
    assert row(world, row_id).sent_ts == world.slack.posted_to(CHANNEL)[0]["ts"]


def test_dropped_before_posting_is_posted_after_history_check(world: World) -> None:
    queue_post(world)
    world.slack.fail_next("chat.postMessage", "drop_before")
    world.deliver()
    world.clock.advance(timedelta(seconds=5))
    assert world.deliver() == 1
    assert len(world.slack.posted_to(CHANNEL)) == 1


def test_429_waits_for_retry_after(world: World) -> None:
    row_id = queue_post(world)
    world.slack.fail_next("chat.postMessage", "429", retry_after=30)
    assert world.deliver() == 0
    world.clock.advance(timedelta(seconds=29))
    assert world.deliver() == 0
    world.clock.advance(timedelta(seconds=2))
    assert world.deliver() == 1
    assert row(world, row_id).attempts == 1  # a rate limit is not a failed attempt


def test_500_backs_off_then_fails_visibly(world: World, caplog: pytest.LogCaptureFixture) -> None:
    world.command("/samspel", f"koppla <@UKSO0001> <@{KD}>")
    with world.sessions() as s:
        from bot.models import Pair

        pair_id = s.scalars(select(Pair.id)).one()
        row_id = enqueue(s, kind="post", now=world.clock.now(), channel=CHANNEL, text="x", pair_id=pair_id).id
    max_attempts = world.bot.deps.deliverer.policy.max_attempts  # type: ignore[union-attr]
    world.slack.fail_next("chat.postMessage", "500", times=max_attempts)
    with caplog.at_level(logging.ERROR):
        for _ in range(max_attempts):
            world.deliver()
            world.clock.advance(timedelta(hours=1))
    failed = row(world, row_id)
    assert failed.status == "failed" and failed.attempts == max_attempts
    assert any("failed after" in r.message for r in caplog.records)
    assert "kunde inte levereras" in ephemeral_text(world.command("/samspel", "status"))


def test_permanent_error_fails_at_once(world: World) -> None:
    with world.sessions() as s:
        row_id = enqueue(s, kind="post", now=world.clock.now(), channel="CNOTFOUND", text="x").id
    world.slack.faults.clear()

    def not_found(method: str, params: dict) -> dict:  # type: ignore[type-arg]
        return {"ok": False, "error": "channel_not_found"}

    original = world.slack._answer
    world.slack._answer = lambda m, p: not_found(m, p) if m == "chat.postMessage" else original(m, p)  # type: ignore[method-assign]
    world.deliver()
    assert row(world, row_id).status == "failed"
    assert "channel_not_found" in (row(world, row_id).last_error or "")


def test_dm_opens_conversation_and_posts_once(world: World) -> None:
    with world.sessions() as s:
        enqueue(s, kind="dm", now=world.clock.now(), user=KD, text="Till dig")
    assert world.deliver() == 1
    assert world.slack.of("conversations.open")[0]["users"] == KD
    assert world.slack.posts[0]["channel"] == "D" + KD[1:]


def test_update_waits_for_original_and_rewrites_pending(world: World) -> None:
    with world.sessions() as s:
        original = enqueue(s, kind="post", now=world.clock.now(), channel=CHANNEL, text="v1",
                           deliver_after=world.clock.now() + timedelta(hours=1))
        enqueue_update(s, original, now=world.clock.now(), text="v2", blocks=None)
    world.clock.advance(timedelta(hours=1))
    world.deliver()
    assert [c["text"] for c in world.slack.posts] == ["v2"]
    assert world.slack.of("chat.update") == []
    with world.sessions() as s:
        sent = s.get(OutboxMessage, original.id)
        assert sent is not None
        enqueue_update(s, sent, now=world.clock.now(), text="v3", blocks=None)
    world.deliver()
    (update,) = world.slack.of("chat.update")
    assert update["ts"] == world.slack.posted_to(CHANNEL)[0]["ts"]
    assert world.slack.posted_to(CHANNEL)[0]["text"] == "v3"


def test_delivery_in_written_order(world: World) -> None:
    for i in range(5):
        queue_post(world, f"m{i}")
    world.deliver()
    assert [c["text"] for c in world.slack.posts] == [f"m{i}" for i in range(5)]


def test_crashed_claimer_lease_expires_and_history_prevents_duplicate(world: World) -> None:
    row_id = queue_post(world)
    deliverer = world.bot.deps.deliverer
    assert deliverer is not None
    # A process claims the row and posts, then dies before recording the result.
    now = world.clock.now()
    [head] = deliverer.store.heads(now, limit=10)
    assert deliverer.store.claim([head.id], owner="dead", now=now, lease=deliverer.policy.lease, slack_now=f"{now.timestamp():.6f}") == [row_id]
    world.bot.client.chat_postMessage(channel=CHANNEL, text="Hej",
                                      metadata={"event_type": "samspel_outbox", "event_payload": {"outbox_id": row_id}})
    assert world.deliver() == 0  # still leased
    world.clock.advance(deliverer.policy.lease + timedelta(seconds=1))
    assert world.deliver() == 1
    assert len(world.slack.posted_to(CHANNEL)) == 1


def _two_deliverers_race(engine: Engine, slack: SlackServer, rows: int, channels: int) -> dict[str, list[str]]:
    """Two deliverers (as two processes would) race for the same rows, round after round of the fake clock."""
    clock = FakeClock(local("2026-11-23 10:00"))
    bots = [make_bot(slack, engine, clock) for _ in range(2)]
    sessions = db.make_session_factory(engine)
    with db.transaction(sessions) as s:
        for i in range(rows):
            enqueue(s, kind="post", now=clock.now(), channel=f"C{i % channels}", text=f"m{i}")
    deliverers = [
        OutboxDeliverer(db.make_session_factory(engine), b.client, clock, owner=f"p{i}", policy=DeliveryPolicy(workers=3))
        for i, b in enumerate(bots)
    ]
    barrier = threading.Barrier(2)

    def run(d: OutboxDeliverer) -> None:
        barrier.wait()
        d.deliver_due()

    for _ in range(rows):
        threads = [threading.Thread(target=run, args=(d,)) for d in deliverers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        with db.transaction(sessions) as s:
            if not s.scalar(select(OutboxMessage.id).where(OutboxMessage.status == "pending").limit(1)):
                break
        clock.advance(timedelta(seconds=1))
    return {f"C{c}": [m["text"] for m in slack.mock.posted_to(f"C{c}")] for c in range(channels)}


def test_two_processes_never_send_the_same_row_and_keep_each_channels_order(any_engine: Engine, slack: SlackServer) -> None:
    per_channel = _two_deliverers_race(any_engine, slack, rows=30, channels=5)
    assert per_channel == {f"C{c}": [f"m{i}" for i in range(c, 30, 5)] for c in range(5)}


def test_update_of_a_message_that_failed_is_dropped(world: World) -> None:
    with world.sessions() as s:
        original = enqueue(s, kind="post", now=world.clock.now(), channel=CHANNEL, text="v1")
        original.status = "failed"
        s.flush()
        update_row = enqueue_update(s, original, now=world.clock.now(), text="v2", blocks=None)
    world.deliver()
    assert world.slack.of("chat.update") == []
    assert row(world, update_row.id).status == "cancelled"
