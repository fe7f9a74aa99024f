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
from tests.support.signing import ephemeral_text
from tests.support.slack_mock import SlackServer
from tests.support.world import CHANNEL, KD, World, couple, local, make_bot


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
    couple(world)
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
        original = enqueue(
            s, kind="post", now=world.clock.now(), channel=CHANNEL, text="v1", deliver_after=world.clock.now() + timedelta(hours=1)
        )
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
    [run] = deliverer.store.claim([head], owner="dead", now=now, lease=deliverer.policy.lease, slack_now=f"{now.timestamp():.6f}")
    assert run.ids == (row_id,)
    world.bot.client.chat_postMessage(
        channel=CHANNEL, text="Hej", metadata={"event_type": "samspel_outbox", "event_payload": {"outbox_id": row_id}}
    )
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


# --- at Slack's limits --------------------------------------------------------


def test_a_burst_to_many_channels_keeps_each_channels_pace_and_order(world: World) -> None:
    with world.sessions() as s:
        for i in range(40):
            enqueue(s, kind="post", now=world.clock.now(), channel=f"C{i % 4}", text=f"m{i}")
    start = world.clock.now()
    assert world.deliver() == 40
    for c in range(4):
        assert [m["text"] for m in world.slack.posted_to(f"C{c}")] == [f"m{i}" for i in range(c, 40, 4)]
    # Ten posts a channel: a burst of three, then one a second, the channels side by side; never a 429.
    assert world.clock.now() - start == timedelta(seconds=7)
    assert world.slack.rate_limited == {}


def test_a_bot_that_guesses_the_burst_wrong_gets_one_429_a_channel_and_keeps_going(world: World) -> None:
    world.slack.limits.channel_burst = 1  # Slack is stricter than the bot's policy assumes
    with world.sessions() as s:
        for i in range(12):
            enqueue(s, kind="post", now=world.clock.now(), channel=f"C{i % 3}", text=f"m{i}")
    for _ in range(20):
        world.deliver()
        world.clock.advance(timedelta(seconds=1))
    for c in range(3):
        assert [m["text"] for m in world.slack.posted_to(f"C{c}")] == [f"m{i}" for i in range(c, 12, 3)]
    assert world.slack.rate_limited == {"C0": 1, "C1": 1, "C2": 1}
    world.slack.rate_limited.clear()


def test_a_long_post_is_split_into_consecutive_messages_that_all_fit(world: World) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": f"*Punkt {i}* " + "text " * 100}} for i in range(70)]
    with world.sessions() as s:
        first = enqueue(
            s, kind="post", now=world.clock.now(), channel=CHANNEL, text="Agenda", blocks=blocks, dedupe_key="agenda:1:2026-W48:1"
        )
        keys = [r.dedupe_key for r in s.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]
    assert first.dedupe_key == "agenda:1:2026-W48:1" and len(keys) == 4
    world.deliver()
    posted = world.slack.posted_to(CHANNEL)
    assert [b for m in posted for b in m["blocks"]] == blocks  # all of it, in order, nothing refused
    assert len(posted) == 4


def test_a_payload_slack_refuses_arrives_as_plain_text_and_is_logged_as_a_bug(world: World, caplog: pytest.LogCaptureFixture) -> None:
    too_long = [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}]  # built by hand, unchecked
    with world.sessions() as s:
        s.add(
            OutboxMessage(
                kind="post",
                channel=CHANNEL,
                text="Agenda",
                blocks=too_long,
                lane=f"c:{CHANNEL}",
                deliver_after=world.clock.now(),
                created_at=world.clock.now(),
                status="pending",
                attempts=0,
                uncertain=False,
                respekt=False,
            )
        )
    with caplog.at_level(logging.ERROR):
        assert world.deliver() == 1
    assert world.slack.refused == [("chat.postMessage", "invalid_blocks")]
    world.slack.refused.clear()
    [message] = world.slack.posted_to(CHANNEL)
    assert message["blocks"] is None and message["text"] == "x" * 3001
    [bug] = [r.getMessage() for r in caplog.records if "bug" in r.getMessage()]
    assert "1 blocks, 3001 characters of block text" in bug and "xxx" not in bug


def test_text_over_slacks_limit_goes_in_parts_in_order(world: World) -> None:
    text = "\n".join(f"rad {i:05d} " + "y" * 90 for i in range(900))  # about 90,000 characters
    queue_post(world, text)
    assert world.deliver() == 1
    parts = [m["text"] for m in world.slack.posted_to(CHANNEL)]
    assert len(parts) == 3 and all(len(p) <= 35_000 for p in parts) and "\n".join(parts) == text


def test_the_uncertain_send_check_looks_around_the_attempt_not_when_the_row_was_written(world: World) -> None:
    held_until = world.clock.now() + timedelta(hours=70)
    row_id = queue_post(world, "Måndag", deliver_after=held_until)
    world.clock.set(held_until)
    world.slack.fail_next("chat.postMessage", "drop_after")
    world.deliver()
    world.clock.advance(timedelta(seconds=5))
    assert world.deliver() == 1
    (history,) = world.slack.of("conversations.history")
    window = world.bot.deps.deliverer.policy.history_window.total_seconds()  # type: ignore[union-attr]
    assert float(history["oldest"]) == pytest.approx(held_until.timestamp() - window, abs=1)
    assert float(history["latest"]) == pytest.approx(held_until.timestamp() + window, abs=1)
    assert len(world.slack.posted_to(CHANNEL)) == 1 and row(world, row_id).status == "sent"


def test_the_check_uses_slacks_clock_when_the_bots_is_minutes_off(world: World) -> None:
    skew = 240.0  # Slack's clock is four minutes ahead of the bot's
    world.slack.wall = lambda: world.clock.now().timestamp() + skew
    queue_post(world, "först")
    world.deliver()  # a post that went well shows the bot how far off it is
    row_id = queue_post(world, "sedan")
    world.slack.fail_next("chat.postMessage", "drop_after")
    world.deliver()
    world.clock.advance(timedelta(seconds=5))
    world.deliver()
    (history,) = world.slack.of("conversations.history")
    window = world.bot.deps.deliverer.policy.history_window.total_seconds()  # type: ignore[union-attr]
    slack_time_of_attempt = world.clock.now().timestamp() - 5 + skew
    assert float(history["oldest"]) == pytest.approx(slack_time_of_attempt - window, abs=1)
    assert [m["text"] for m in world.slack.posted_to(CHANNEL)] == ["först", "sedan"]
    assert row(world, row_id).status == "sent"


def test_a_pair_whose_calendar_breaks_the_gate_does_not_delay_another_pairs_akut(paired: World, caplog: pytest.LogCaptureFixture) -> None:
    from bot.models import DayOff, Pair

    with paired.sessions() as s:
        odd = s.scalars(select(Pair)).one()
        odd.work_days = "7"  # Sundays only, and 400 Sundays off: no working time within a year
        first_sunday = paired.clock.now().date() + timedelta(days=6)
        s.add_all(DayOff(pair_id=odd.id, day=first_sunday + timedelta(weeks=w)) for w in range(400))
        other = Pair(
            team_id="T0001",
            channel_id="GPAIR002",
            kso_user="UKSO0002",
            kd_user="UKD00002",
            created_by="UKSO0002",
            created_at=paired.clock.now(),
        )
        s.add(other)
        s.flush()
        poison = enqueue(s, kind="dm", now=paired.clock.now(), user=KD, pair_id=odd.id, text="hålls", respekt=True).id
        enqueue(s, kind="dm", now=paired.clock.now(), user="UKD00002", pair_id=other.id, text="akut!")
    with caplog.at_level(logging.ERROR):
        paired.deliver()
    assert [m["text"] for m in paired.slack.posted_to("DKD00002")] == ["akut!"]
    stuck = row(paired, poison)
    assert stuck.status == "pending" and stuck.attempts == 1 and "ValueError" in (stuck.last_error or "")
    assert any(r.exc_info for r in caplog.records if "preparing the send failed" in r.getMessage())


def test_an_outage_is_ridden_out_and_every_message_arrives_once_in_order(world: World) -> None:
    world.slack.start_outage("500")
    for i in range(3):
        queue_post(world, f"m{i}")
    world.deliver()
    world.clock.advance(timedelta(seconds=30))
    world.deliver()
    world.slack.end_outage()
    for _ in range(4):
        world.clock.advance(timedelta(minutes=1))
        world.deliver()
    assert [m["text"] for m in world.slack.posted_to(CHANNEL)] == ["m0", "m1", "m2"]


def test_delivery_knows_the_exact_moment_the_next_held_message_falls_due(world: World) -> None:
    monday = local("2026-11-30 08:00")
    queue_post(world, "måndag", deliver_after=monday)
    queue_post(world, "senare", deliver_after=monday + timedelta(hours=1))
    deliverer = world.bot.deps.deliverer
    assert deliverer is not None and deliverer.next_wake() == monday


def test_a_refused_payload_too_long_for_one_message_arrives_as_text_parts_in_order(world: World) -> None:
    sections = [{"type": "section", "text": {"type": "mrkdwn", "text": f"punkt {i:02d} " + "z" * 2890}} for i in range(60)]
    with world.sessions() as s:  # written past enqueue, which would have split it
        s.add(
            OutboxMessage(
                kind="post",
                channel=CHANNEL,
                text="Agenda",
                blocks=sections,
                lane=f"c:{CHANNEL}",
                deliver_after=world.clock.now(),
                created_at=world.clock.now(),
                status="pending",
                attempts=0,
                uncertain=False,
                respekt=False,
            )
        )
    assert world.deliver() == 1
    assert world.slack.refused == [("chat.postMessage", "invalid_blocks")]
    world.slack.refused.clear()
    parts = [m["text"] for m in world.slack.posted_to(CHANNEL)]
    assert len(parts) == 5 and all(len(p) <= 35_000 for p in parts)
    assert "\n".join(parts) == "\n".join(b["text"]["text"] for b in sections)
    metadata = [m["metadata"]["event_payload"] for m in world.slack.posted_to(CHANNEL)]
    assert [p.get("part", 0) for p in metadata] == [0, 1, 2, 3, 4]


def test_a_failing_on_sent_hook_never_undoes_the_record_of_a_send(world: World, caplog: pytest.LogCaptureFixture) -> None:
    from bot.outbox import Hooks

    def on_sent(session: object, sent: OutboxMessage) -> None:
        if sent.kind != "post":
            return
        enqueue(session, kind="dm", now=world.clock.now(), user=KD, text=f"efter {sent.text}")  # type: ignore[arg-type]
        if sent.text == "m1":
            raise RuntimeError("a bug in a hook")

    deliverer = world.bot.deps.deliverer
    assert deliverer is not None
    deliverer.hooks = Hooks(on_sent=on_sent)
    ids = [queue_post(world, f"m{i}") for i in range(3)]
    with caplog.at_level(logging.ERROR):
        world.deliver()
    assert [row(world, i).status for i in ids] == ["sent", "sent", "sent"]
    assert len(world.slack.posted_to(CHANNEL)) == 3
    with world.sessions() as s:
        follow_ups = sorted(s.scalars(select(OutboxMessage.text).where(OutboxMessage.kind == "dm")))
    assert follow_ups == ["efter m0", "efter m2"]  # m1's hook was undone, and only it
    assert any("on_sent hook failed" in r.getMessage() and r.exc_info for r in caplog.records)


def queue_canvas(world: World, markdown: str) -> int:
    with world.sessions() as s:
        return enqueue(s, kind="canvas", now=world.clock.now(), channel=CHANNEL, text=markdown).id


def test_the_channel_canvas_is_created_once_and_then_replaced(world: World) -> None:
    first = queue_canvas(world, "# Spelregler\n\nversion 1")
    queue_post(world, "ett inlägg i kanalen")
    world.deliver()
    canvas_id = row(world, first).sent_ts
    assert canvas_id and world.slack.canvases[canvas_id] == "# Spelregler\n\nversion 1"
    # The post did not wait for the canvas: they are separate lanes of the channel.
    assert [c["text"] for c in world.slack.posts] == ["ett inlägg i kanalen"]
    queue_canvas(world, "# Spelregler\n\nversion 2")
    world.deliver()
    assert world.slack.canvases == {canvas_id: "# Spelregler\n\nversion 2"}
    assert len(world.slack.of("conversations.canvases.create")) == 1


def test_a_lost_reply_to_the_canvas_create_edits_the_canvas_it_made(world: World) -> None:
    world.slack.fail_next("conversations.canvases.create", "drop_after")
    row_id = queue_canvas(world, "# v1")
    world.deliver()
    world.clock.advance(timedelta(minutes=5))
    world.deliver()
    assert row(world, row_id).status == "sent"
    # Slack made the canvas although the reply was lost; the retry found it and did not make a second one.
    assert list(world.slack.canvases.values()) == ["# v1"]


def test_a_workspace_without_canvases_is_no_failure_anyone_hears_of(world: World, caplog: pytest.LogCaptureFixture) -> None:
    couple(world)
    world.slack.canvases_allowed = False
    world.slack.calls.clear()
    with caplog.at_level(logging.INFO):
        row_id = queue_canvas(world, "# Spelregler")
        world.deliver()
    assert row(world, row_id).status == "failed"
    assert world.slack.posts == [] and not [r for r in caplog.records if r.levelno >= logging.WARNING]
