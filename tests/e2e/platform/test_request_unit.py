"""One Slack request, one unit of work: what a listener wrote goes out only if the listener finished.

The listeners here are the test's own, on the real app behind the real middleware (handlers/middleware.py),
because none of Samspel's own fails on purpose after writing.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack

from bot.outbox import enqueue
from handlers.middleware import with_uow
from handlers.unit import RequestUnit
from tests.support.world import CHANNEL, KSO, World


def _writes_then(paired: World, action_id: str, *, fails: bool) -> None:
    def listener(ack: Ack, body: dict[str, Any], uow: RequestUnit) -> None:
        ack()
        enqueue(uow.session, kind="ephemeral", now=paired.clock.now(), channel=CHANNEL, user=KSO, text=f"Från {action_id}")
        if fails:
            raise RuntimeError("the listener failed after writing")

    paired.bot.app.action(action_id, middleware=[with_uow])(listener)


def _answers(paired: World) -> list[str]:
    paired.deliver()
    return [call["text"] for call in paired.slack.of("chat.postEphemeral")]


def test_what_a_finished_listener_wrote_is_delivered(paired: World) -> None:
    _writes_then(paired, "test_klar", fails=False)

    assert paired.driver.action("test_klar", "1", user=KSO, channel=CHANNEL).status == 200
    assert _answers(paired) == ["Från test_klar"]


def test_a_listener_that_fails_after_writing_sends_nothing(paired: World) -> None:
    _writes_then(paired, "test_trasig", fails=True)

    assert paired.driver.action("test_trasig", "1", user=KSO, channel=CHANNEL).status == 500
    assert _answers(paired) == []
    # The next request starts clean: nothing of the failed one is left to be committed by it.
    _writes_then(paired, "test_klar", fails=False)
    paired.driver.action("test_klar", "1", user=KSO, channel=CHANNEL)
    assert _answers(paired) == ["Från test_klar"]
