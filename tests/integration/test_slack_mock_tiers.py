"""The fake Slack limits every method by its tier, per workspace, as Slack does (not only chat.postMessage)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.clock import FakeClock
from tests.support.slack_mock import MockSlack, SlackServer

HOME = {"type": "home", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "hej"}}]}


def _publish(client: WebClient, user: str) -> int:
    try:
        client.views_publish(user_id=user, view=HOME)
    except SlackApiError as err:
        assert err.response["error"] == "ratelimited"
        return int(err.response.headers["Retry-After"])
    return 0


def test_views_publish_takes_a_minute_s_worth_then_about_one_and_a_half_a_second_per_workspace() -> None:
    clock = FakeClock(datetime(2026, 11, 30, 7, 0, tzinfo=UTC))
    mock = MockSlack()
    mock.use_clock(clock)
    mock.tokens = {"xoxb-a": "TA", "xoxb-b": "TB"}
    with SlackServer(mock) as server:
        a = WebClient(token="xoxb-a", base_url=server.url, retry_handlers=[])
        b = WebClient(token="xoxb-b", base_url=server.url, retry_handlers=[])
        assert [_publish(a, f"U{i}") for i in range(100)] == [0] * 100
        assert _publish(a, "U100") == 1
        # Another workspace, and another method in this one, are not held up.
        assert _publish(b, "U1") == 0
        a.users_info(user="U1")
        clock.advance(timedelta(seconds=1))
        assert _publish(a, "U100") == 0
        assert _publish(a, "U101") == 1
    assert mock.method_limited == {"views.publish": 2}
