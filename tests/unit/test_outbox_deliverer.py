"""The delivery loop on an in-memory store and a scripted sender: no database, no HTTP."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import FakeClock
from bot.models import OutboxMessage
from bot.outbox.deliverer import Deliverer
from bot.outbox.memory import MemoryOutboxStore
from bot.outbox.policy import DeliveryPolicy, ErrorKind, Hooks, SendError
from bot.outbox.slack_sender import SendJob, SendResult

MON_0800 = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)


class ScriptedSender:
    """Accepts every job unless `fail` says otherwise; records what reached 'Slack'."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.sent: list[SendJob] = []
        self.fail: Callable[[SendJob], BaseException | None] = lambda job: None
        self._lock = threading.Lock()

    def send(self, job: SendJob) -> SendResult:
        error = self.fail(job)
        if error is not None:
            raise error
        with self._lock:
            self.sent.append(job)
        return SendResult(job.channel, f"{len(self.sent)}.000000", posts=1 if job.posts else 0)

    def slack_now(self) -> str:
        return f"{self.clock.now().timestamp():.6f}"

    def texts(self, lane: str | None = None) -> list[str]:
        return [j.text for j in self.sent if lane is None or j.lane == lane]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MON_0800)


@pytest.fixture
def store() -> MemoryOutboxStore:
    return MemoryOutboxStore()


@pytest.fixture
def sender(clock: FakeClock) -> ScriptedSender:
    return ScriptedSender(clock)


def deliverer(store: MemoryOutboxStore, sender: ScriptedSender, clock: FakeClock, **hooks: object) -> Deliverer:
    return Deliverer(store, sender, clock, owner="test", policy=DeliveryPolicy(workers=4), hooks=Hooks(**hooks))  # type: ignore[arg-type]


def drain(d: Deliverer, clock: FakeClock, *, limit: timedelta = timedelta(seconds=3)) -> int:
    """Deliver, moving the clock through pacing waits (as World.deliver does)."""
    sent = d.deliver_due()
    while (wait := d.pacing_wait()) is not None and wait <= limit:
        clock.advance(wait)
        sent += d.deliver_due()
    return sent


def test_a_channel_gets_a_burst_of_three_then_one_a_second_in_written_order(store, sender, clock) -> None:  # type: ignore[no-untyped-def]
    for i in range(6):
        store.add(now=clock.now(), channel="C1", text=f"m{i}")
    d = deliverer(store, sender, clock)
    assert d.deliver_due() == 3
    assert d.pacing_wait() == timedelta(seconds=1)
    assert d.next_wake() == MON_0800 + timedelta(seconds=1)
    start = clock.now()
    assert drain(d, clock) == 3
    assert sender.texts() == [f"m{i}" for i in range(6)]
    assert clock.now() - start == timedelta(seconds=3)


def test_channels_go_in_parallel_each_at_its_own_pace(store, sender, clock) -> None:  # type: ignore[no-untyped-def]
    for i in range(30):
        store.add(now=clock.now(), channel=f"C{i % 10}", text=f"m{i}")
    assert deliverer(store, sender, clock).deliver_due() == 30  # three each: within every channel's burst
    for c in range(10):
        assert sender.texts(f"c:C{c}") == [f"m{i}" for i in range(c, 30, 10)]


def test_a_429_pauses_its_channel_only_and_is_not_an_attempt(store, sender, clock) -> None:  # type: ignore[no-untyped-def]
    a = [store.add(now=clock.now(), channel="CA", text=f"a{i}") for i in range(2)]
    store.add(now=clock.now(), channel="CB", text="b0")
    once = {"done": False}

    def fail(job: SendJob) -> BaseException | None:
        if job.lane == "c:CA" and not once["done"]:
            once["done"] = True
            return SendError(ErrorKind.RATE_LIMITED, "429", retry_after=timedelta(seconds=30))
        return None

    sender.fail = fail
    d = deliverer(store, sender, clock)
    assert d.deliver_due() == 1
    assert sender.texts() == ["b0"]
    assert a[0].attempts == 0 and a[0].next_attempt_at == clock.now() + timedelta(seconds=30)
    assert a[1].status == "pending"  # behind its head: the order holds through the pause
    assert d.next_wake() == clock.now() + timedelta(seconds=30)
    clock.advance(timedelta(seconds=30))
    assert d.deliver_due() == 2
    assert sender.texts("c:CA") == ["a0", "a1"]


def test_a_row_whose_gate_raises_costs_an_attempt_and_holds_nobody_else(store, sender, clock, caplog) -> None:  # type: ignore[no-untyped-def]
    poison = store.add(kind="dm", now=clock.now(), user="UODD", text="udda kalender", respekt=True, pair_id=1)
    akut = store.add(kind="dm", now=clock.now(), user="UKD", text="akut", pair_id=2)

    def gate(session: object, row: OutboxMessage, now: datetime) -> datetime | None:
        if row.pair_id == 1:
            raise ValueError("no working time within a year")
        return None

    with caplog.at_level(logging.ERROR):
        assert deliverer(store, sender, clock, gate=gate).deliver_due() == 1
    assert sender.texts() == ["akut"] and akut.status == "sent"
    assert poison.status == "pending" and poison.attempts == 1 and "ValueError" in (poison.last_error or "")
    assert any(r.exc_info and "preparing the send failed" in r.getMessage() for r in caplog.records)


def test_an_exception_while_sending_is_an_attempt_and_the_loop_goes_on(store, sender, clock) -> None:  # type: ignore[no-untyped-def]
    bad = store.add(now=clock.now(), channel="C1", text="boom")
    store.add(now=clock.now(), channel="C2", text="fine")
    sender.fail = lambda job: ZeroDivisionError("bug") if job.text == "boom" else None
    assert deliverer(store, sender, clock).deliver_due() == 1
    assert bad.attempts == 1 and bad.uncertain  # a post that raised may still have reached Slack
    assert bad.next_attempt_at == clock.now() + timedelta(seconds=2)


def test_a_payload_slack_refuses_as_too_large_arrives_as_plain_text(store, sender, clock, caplog) -> None:  # type: ignore[no-untyped-def]
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "Agenda"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": "punkt"}},
    ]
    row = store.add(now=clock.now(), channel="C1", text="Agenda v. 49", blocks=blocks)
    sender.fail = lambda job: SendError(ErrorKind.TOO_LARGE, "msg_blocks_too_long") if job.blocks else None
    with caplog.at_level(logging.ERROR):
        assert drain(deliverer(store, sender, clock), clock) == 1
    assert sender.texts() == ["Agenda\npunkt"] and row.blocks is None
    [bug] = [r for r in caplog.records if "bug" in r.getMessage()]
    assert "2 blocks" in bug.getMessage() and "punkt" not in bug.getMessage()  # sizes, never the text


def test_transient_errors_retry_with_backoff_then_fail_and_tell(store, sender, clock) -> None:  # type: ignore[no-untyped-def]
    row = store.add(now=clock.now(), channel="C1", text="x")
    sender.fail = lambda job: SendError(ErrorKind.TRANSIENT, "HTTP 500")
    failed: list[int] = []
    d = Deliverer(
        store,
        sender,
        clock,
        owner="test",
        policy=DeliveryPolicy(max_attempts=3),
        hooks=Hooks(on_failed=lambda s, r, now: failed.append(r.id)),
    )
    for _ in range(3):
        d.deliver_due()
        assert d.next_wake() is None or d.next_wake() > clock.now()  # type: ignore[operator]
        clock.advance(timedelta(minutes=1))
    assert row.status == "failed" and row.attempts == 3 and failed == [row.id]


def test_delivery_wakes_at_the_exact_time_a_held_message_falls_due(store, sender, clock) -> None:  # type: ignore[no-untyped-def]
    later = clock.now() + timedelta(hours=61, seconds=7)
    store.add(kind="dm", now=clock.now(), user="UKD", text="måndag", deliver_after=later)
    d = deliverer(store, sender, clock)
    assert d.deliver_due() == 0 and d.next_wake() == later
    clock.set(later)
    assert d.deliver_due() == 1


def test_a_workspace_limit_on_views_pauses_every_home_tab_but_not_posts(store, sender, clock) -> None:  # type: ignore[no-untyped-def]
    for user in ("U1", "U2"):
        store.add(kind="home", now=clock.now(), user=user, text="")
    store.add(now=clock.now(), channel="C1", text="post")
    calls = {"n": 0}

    def fail(job: SendJob) -> BaseException | None:
        if job.kind == "home" and calls["n"] == 0:
            calls["n"] += 1
            return SendError(ErrorKind.RATE_LIMITED, "views.publish", retry_after=timedelta(seconds=20), workspace=True)
        return None

    sender.fail = fail
    d = Deliverer(store, sender, clock, owner="test", policy=DeliveryPolicy(workers=1))
    d.deliver_due()
    assert sorted(j.kind for j in sender.sent) == ["post"]
    clock.advance(timedelta(seconds=20))
    d.deliver_due()
    assert sorted(j.kind for j in sender.sent) == ["home", "home", "post"]


def test_429s_on_two_channels_at_once_pause_the_whole_workspace(store, sender, clock) -> None:  # type: ignore[no-untyped-def]
    for c in ("C1", "C2", "C3"):
        store.add(now=clock.now(), channel=c, text=c)
    sender.fail = lambda job: (
        SendError(ErrorKind.RATE_LIMITED, "429", retry_after=timedelta(seconds=5))
        if job.text in ("C1", "C2") and clock.now() == MON_0800
        else None
    )
    d = Deliverer(store, sender, clock, owner="test", policy=DeliveryPolicy(workers=1, in_flight=2))
    d.deliver_due()
    assert sender.texts() == []  # C3 waits too: the workspace cap, not one channel's
    clock.advance(timedelta(seconds=5))
    d.deliver_due()
    assert sender.texts() == ["C1", "C2", "C3"]


def test_a_home_tab_queued_without_blocks_is_rendered_when_it_is_sent(
    store: MemoryOutboxStore, sender: ScriptedSender, clock: FakeClock
) -> None:
    store.add(kind="home", now=clock.now(), user="UKSO")
    rendered: list[str] = []

    def render(_session: object, user: str, _now: datetime, _team: str | None) -> list[dict[str, str]]:
        rendered.append(user)
        return [{"type": "divider"}]

    hooks = Hooks(render_home=render)
    assert Deliverer(store, sender, clock, owner="t", hooks=hooks).deliver_due() == 1
    assert rendered == ["UKSO"] and sender.sent[0].blocks == [{"type": "divider"}]


def test_each_job_carries_its_workspaces_client(store: MemoryOutboxStore, sender: ScriptedSender, clock: FakeClock) -> None:
    row = store.add(kind="post", now=clock.now(), channel="C1", text="hej")
    row.team_id = "T2"
    clients = {"T2": object()}
    hooks = Hooks(client_for=lambda r: clients[str(r.team_id)])
    assert Deliverer(store, sender, clock, owner="t", hooks=hooks).deliver_due() == 1
    assert sender.sent[0].client is clients["T2"] and sender.sent[0].team_id == "T2"


def test_a_clock_set_back_does_not_leave_a_channel_waiting_for_its_future_posts(store, sender, clock) -> None:  # type: ignore[no-untyped-def]
    for i in range(3):
        store.add(now=clock.now(), channel="C1", text=f"m{i}")
    d = deliverer(store, sender, clock)
    assert d.deliver_due() == 3  # the burst: the channel's bucket is empty until MON_0800 + 1 s
    # NTP steps the clock back an hour: the posts "in the future" must not pace the channel for an hour.
    clock.set(MON_0800 - timedelta(hours=1))
    store.add(now=clock.now(), channel="C1", text="m3")
    assert d.deliver_due() == 1
    assert sender.texts() == ["m0", "m1", "m2", "m3"]


def test_home_tabs_wait_until_the_posts_going_out_with_them_are_sent(store, sender, clock) -> None:  # type: ignore[no-untyped-def]
    """Rendering a Home tab is heavy; among a round of posts it took their CPU. Posts first, then the tabs."""
    spans: dict[str, tuple[float, float]] = {}
    post = sender.send

    def timed(job: SendJob) -> SendResult:
        start = time.monotonic()
        if job.kind == "post":
            time.sleep(0.05)
        result = post(job)
        spans[job.text] = (start, time.monotonic())
        return result

    sender.send = timed
    store.add(kind="home", now=clock.now(), user="UKSO", text="home")
    for channel in ("C1", "C2"):
        store.add(now=clock.now(), channel=channel, text=channel)
    d = Deliverer(store, sender, clock, owner="test", policy=DeliveryPolicy(workers=4, in_flight=4))
    assert d.deliver_due() == 3
    assert spans["home"][0] >= max(spans["C1"][1], spans["C2"][1])


def test_a_round_is_claimed_in_chunks_so_a_second_process_shares_it(store, sender, clock) -> None:  # type: ignore[no-untyped-def]
    """On PostgreSQL (claim_chunk) another process takes the chunks not yet claimed, instead of finding the round gone."""
    for i in range(5):
        store.add(now=clock.now(), channel=f"C{i}", text=f"C{i}")
    store.claim_chunk = 2
    policy = DeliveryPolicy(workers=1, in_flight=10)
    a = Deliverer(store, sender, clock, owner="a", policy=policy)
    b = Deliverer(store, ScriptedSender(clock), clock, owner="b", policy=policy)
    claim, others = store.claim, []

    def claim_then_let_b_look(heads, **kw):  # type: ignore[no-untyped-def]
        runs = claim(heads, **kw)
        if kw["owner"] == "a" and not others:
            others.append(b.deliver_due())  # the other process, between a's first chunk and its next
        return runs

    store.claim = claim_then_let_b_look
    sent_by_a = a.deliver_due()
    assert others == [3] and sent_by_a == 2
    assert sorted(sender.texts() + b.sender.texts()) == [f"C{i}" for i in range(5)]  # each once


def test_posts_that_never_pause_hold_the_home_tabs_only_so_long(store, sender, clock) -> None:  # type: ignore[no-untyped-def]
    """A flood of posts keeps Home tabs waiting at most `homes_wait`, not until it ends."""
    post = sender.send
    order: list[str] = []

    def flood(job: SendJob) -> SendResult:
        if job.kind == "post":
            time.sleep(0.02)
            if len(store.rows) < 16:  # each post brings a new one, to a channel of its own
                store.add(now=clock.now(), channel=f"C{len(store.rows)}", text="more")
        order.append(job.kind)
        return post(job)

    sender.send = flood
    store.add(kind="home", now=clock.now(), user="UKSO", text="home")
    store.add(now=clock.now(), channel="C0", text="first")
    policy = DeliveryPolicy(workers=1, in_flight=4, homes_wait=timedelta(seconds=0.1))
    assert Deliverer(store, sender, clock, owner="test", policy=policy).deliver_due() == 16
    assert order.index("home") < len(order) - 3  # while the posts were still going out
