"""Slack calls over kept-alive connections (bot/adapters/slack_http.py), against the strict fake.

The pool must not change what the outbox sees: Slack's errors stay SlackApiError with
their status and Retry-After, a lost reply stays a network error, and a post is never
repeated by the transport.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from urllib.error import URLError

import pytest
from slack_sdk.errors import SlackApiError

from bot.adapters.installations import make_web_client
from bot.outbox.slack_sender import NETWORK_ERRORS
from tests.support.slack_mock import Limits, MockSlack, SlackServer


@pytest.fixture
def slack() -> Iterator[tuple[MockSlack, str]]:
    mock = MockSlack(limits=Limits(rate_limits=False, keepalive_s=0.3))
    with SlackServer(mock) as server:
        yield mock, server.url


def test_calls_share_one_connection(slack: tuple[MockSlack, str]) -> None:
    mock, url = slack
    client = make_web_client("xoxb-1", url)
    for i in range(20):
        client.chat_postMessage(channel="C1", text=f"m{i}")
    assert [m["text"] for m in mock.posted_to("C1")] == [f"m{i}" for i in range(20)]
    assert mock.connections == 1


def test_slack_errors_keep_their_status_and_retry_after(slack: tuple[MockSlack, str]) -> None:
    mock, url = slack
    client = make_web_client("xoxb-1", url)
    mock.fail_next("chat.postMessage", "429", retry_after=7)
    with pytest.raises(SlackApiError) as limited:
        client.chat_postMessage(channel="C1", text="x")
    assert limited.value.response.status_code == 429
    assert limited.value.response.headers["Retry-After"] == "7"
    mock.fail_next("chat.postMessage", "500")
    with pytest.raises(SlackApiError) as failed:
        client.chat_postMessage(channel="C1", text="y")
    assert failed.value.response.status_code == 500
    client.chat_postMessage(channel="C1", text="z")
    assert [m["text"] for m in mock.posted_to("C1")] == ["z"]
    assert mock.connections == 1  # an error answer does not cost the connection


def test_a_lost_reply_is_a_network_error_and_is_not_sent_again(slack: tuple[MockSlack, str]) -> None:
    mock, url = slack
    client = make_web_client("xoxb-1", url)
    client.chat_postMessage(channel="C1", text="first")  # the connection is now pooled
    mock.fail_next("chat.postMessage", "drop_after")
    with pytest.raises(NETWORK_ERRORS) as lost:
        client.chat_postMessage(channel="C1", text="stored, reply lost")
    assert isinstance(lost.value, URLError)
    # Slack has it once: the outbox, not the transport, decides whether to look and send again.
    assert [m["text"] for m in mock.posted_to("C1")] == ["first", "stored, reply lost"]
    client.chat_postMessage(channel="C1", text="next")
    assert [m["text"] for m in mock.posted_to("C1")][-1] == "next"


def test_a_connection_slack_closed_while_idle_is_replaced(slack: tuple[MockSlack, str]) -> None:
    mock, url = slack
    client = make_web_client("xoxb-1", url)
    client.chat_postMessage(channel="C1", text="before")
    time.sleep(0.6)  # past the fake's keep-alive: it has closed the idle connection
    client.chat_postMessage(channel="C1", text="after")
    assert [m["text"] for m in mock.posted_to("C1")] == ["before", "after"]
    assert mock.connections == 2


def test_slack_down_is_a_network_error() -> None:
    mock = MockSlack()
    with SlackServer(mock) as server:
        url = server.url
    client = make_web_client("xoxb-1", url)
    with pytest.raises(NETWORK_ERRORS):
        client.auth_test()
