"""A 429 pauses what it limits in its own workspace only: Slack's limits are per workspace (and per method).

Two kommuner on one Samspel: when Slack tells one of them to slow down its Home tabs
(views.publish) or all its posts (two channels limited at once), the other's Home tabs
and posts go on as if nothing happened.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import FakeClock
from bot.models import OutboxMessage
from bot.outbox.deliverer import Deliverer
from bot.outbox.memory import MemoryOutboxStore
from bot.outbox.policy import DeliveryPolicy, ErrorKind, SendError
from bot.outbox.slack_sender import SendJob, SendResult

MON_0800 = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)


class Sender:
    """Accepts every job unless `limited` says its workspace is rate limited for it now."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.sent: list[tuple[str | None, str]] = []
        self.limited: dict[tuple[str, str], SendError] = {}

    def send(self, job: SendJob) -> SendResult:
        error = self.limited.pop((str(job.team_id), job.text), None)
        if error is not None:
            raise error
        self.sent.append((job.team_id, job.text))
        return SendResult(job.channel, f"{len(self.sent)}.000000", posts=1 if job.posts else 0)

    def slack_now(self) -> str:
        return f"{self.clock.now().timestamp():.6f}"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MON_0800)


def _row(store: MemoryOutboxStore, team: str, text: str, now: datetime, **kw: object) -> OutboxMessage:
    row = store.add(now=now, text=text, **kw)  # type: ignore[arg-type]
    row.team_id = team
    return row


def test_one_workspace_s_home_tab_limit_does_not_hold_up_another_s_home_tabs(clock: FakeClock) -> None:
    store, sender = MemoryOutboxStore(), Sender(clock)
    _row(store, "TA", "home A", clock.now(), kind="home", user="UA")
    _row(store, "TB", "home B", clock.now(), kind="home", user="UB")
    _row(store, "TA", "post A", clock.now(), channel="CA")
    sender.limited[("TA", "home A")] = SendError(ErrorKind.RATE_LIMITED, "views.publish", retry_after=timedelta(seconds=30), workspace=True)
    d = Deliverer(store, sender, clock, owner="test", policy=DeliveryPolicy(workers=1))
    d.deliver_due()
    # Workspace A's own posts go on; only its Home tabs wait.
    assert sorted(sender.sent) == [("TA", "post A"), ("TB", "home B")]
    clock.advance(timedelta(seconds=30))
    d.deliver_due()
    assert ("TA", "home A") in sender.sent


def test_a_workspace_wide_cap_in_one_kommun_pauses_only_that_kommun(clock: FakeClock) -> None:
    store, sender = MemoryOutboxStore(), Sender(clock)
    for team in ("TA", "TB"):
        for channel in ("C1", "C2", "C3"):
            _row(store, team, f"{team} {channel}", clock.now(), channel=f"{team}{channel}")
    for channel in ("C1", "C2"):
        sender.limited[("TA", f"TA {channel}")] = SendError(ErrorKind.RATE_LIMITED, "429", retry_after=timedelta(seconds=5))
    d = Deliverer(store, sender, clock, owner="test", policy=DeliveryPolicy(workers=1, in_flight=2))
    d.deliver_due()
    d.deliver_due()
    # Workspace A's third channel waits for A's cap; workspace B is not paused at all.
    assert sorted(t for team, t in sender.sent if team == "TB") == ["TB C1", "TB C2", "TB C3"]
    assert [t for team, t in sender.sent if team == "TA"] == []
    clock.advance(timedelta(seconds=5))
    d.deliver_due()
    assert sorted(t for team, t in sender.sent if team == "TA") == ["TA C1", "TA C2", "TA C3"]
