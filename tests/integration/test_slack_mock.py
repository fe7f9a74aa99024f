"""The fake Slack is as strict as Slack: rate limits, size limits, outages. Checked with the real slack_sdk client."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from slack_bolt import App
from slack_bolt.authorization import AuthorizeResult
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.clock import FakeClock
from tests.support.signing import SIGNING_SECRET, AckRefused, SlackDriver, command_body
from tests.support.slack_mock import Limits, MockSlack, SlackServer, ack_error


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 30, 7, 0, tzinfo=UTC))


@pytest.fixture
def strict(clock: FakeClock) -> Iterator[tuple[WebClient, MockSlack]]:
    mock = MockSlack(limits=Limits(workspace_rate=None))
    mock.use_clock(clock)
    with SlackServer(mock) as server:
        yield WebClient(token="xoxb-test", base_url=server.url, retry_handlers=[]), mock


def error_of(call) -> tuple[int, str, str | None]:  # type: ignore[no-untyped-def]
    with pytest.raises(SlackApiError) as raised:
        call()
    resp = raised.value.response
    return resp.status_code, resp["error"], (resp.headers or {}).get("Retry-After")


def section(text: str) -> dict:  # type: ignore[type-arg]
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def test_a_channel_takes_a_burst_of_three_then_one_post_a_second(strict, clock) -> None:  # type: ignore[no-untyped-def]
    client, mock = strict
    for i in range(3):
        client.chat_postMessage(channel="C1", text=f"m{i}")
    assert error_of(lambda: client.chat_postMessage(channel="C1", text="too soon")) == (429, "ratelimited", "1")
    client.chat_postMessage(channel="C2", text="another channel is not held up")
    clock.advance(timedelta(seconds=1))
    client.chat_postMessage(channel="C1", text="m3")
    assert [m["text"] for m in mock.posted_to("C1")] == ["m0", "m1", "m2", "m3"]
    assert mock.rate_limited == {"C1": 1}


def test_an_optional_workspace_cap_limits_all_channels_together(clock: FakeClock) -> None:
    mock = MockSlack(limits=Limits(workspace_rate=2.0, workspace_burst=2))
    mock.use_clock(clock)
    with SlackServer(mock) as server:
        client = WebClient(token="x", base_url=server.url, retry_handlers=[])
        client.chat_postMessage(channel="C1", text="a")
        client.chat_postMessage(channel="C2", text="b")
        status, error, _ = error_of(lambda: client.chat_postMessage(channel="C3", text="c"))
        assert (status, error) == (429, "ratelimited")


# The payloads leave out the top-level text on purpose; slack_sdk's reminder about it is not what is tested.
@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing:UserWarning")
def test_sizes_slack_refuses(strict) -> None:  # type: ignore[no-untyped-def]
    client, mock = strict
    header = {"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}
    cases = [
        ({"text": "t", "blocks": [{"type": "divider"}] * 51}, "invalid_blocks"),
        ({"text": "t", "blocks": [section("x" * 3001)]}, "invalid_blocks"),
        ({"text": "t", "blocks": [header]}, "invalid_blocks"),
        ({"text": "t", "blocks": [section("y" * 2500)] * 5}, "msg_blocks_too_long"),  # 12,500 characters of block text
        ({"text": "z" * 40_001}, "msg_too_long"),
        ({"text": ""}, "no_text"),
    ]
    for i, (payload, expected) in enumerate(cases):

        def post(i: int = i, payload: dict[str, Any] = payload) -> Any:
            return client.chat_postMessage(channel=f"C{i}", **payload)

        assert error_of(post)[:2] == (200, expected)
    view = {"type": "home", "blocks": [section("rad")] * 101}
    assert error_of(lambda: client.views_publish(user_id="U1", view=view))[:2] == (200, "invalid_arguments")
    client.views_publish(user_id="U1", view={"type": "home", "blocks": [section("rad")] * 100})
    assert [error for _, error in mock.refused] == [e for _, e in cases] + ["invalid_arguments"]
    mock.refused.clear()


def test_an_answer_to_a_request_keeps_the_same_limits_as_a_message() -> None:
    """A command's ack is a message, a modal's response_action update a view: Slack refuses them over the same limits."""
    over = json.dumps({"response_type": "ephemeral", "text": "t", "blocks": [section("y" * 2500)] * 5})
    assert ack_error(over) == "msg_blocks_too_long"
    assert ack_error(json.dumps({"response_type": "ephemeral", "text": "z" * 40_001})) == "msg_too_long"
    assert ack_error(json.dumps({"text": "t", "blocks": [{"type": "divider"}] * 51})) == "invalid_blocks"
    view = {"type": "modal", "title": {"type": "plain_text", "text": "T"}, "blocks": [section("rad")] * 101}
    assert ack_error(json.dumps({"response_action": "update", "view": view})) == "invalid_arguments"
    assert ack_error(json.dumps({"response_action": "errors", "errors": {"b": "fel"}})) is None
    assert ack_error(json.dumps({"text": "t", "blocks": [section("y" * 2500)] * 4})) is None
    assert ack_error("") is None and ack_error("klart") is None

    # The driver that sends the tests' signed requests checks every answer so.
    app = App(
        signing_secret=SIGNING_SECRET,
        authorize=lambda **_: AuthorizeResult(enterprise_id=None, team_id="T0001", bot_token="xoxb-t", bot_user_id="UBOT"),
    )
    app.command("/lang")(lambda ack: ack(response_type="ephemeral", text="t", blocks=[section("y" * 2500)] * 5))
    app.command("/kort")(lambda ack: ack(response_type="ephemeral", text="t", blocks=[section("y" * 2500)]))
    driver = SlackDriver(app)
    with pytest.raises(AckRefused) as refused:
        driver.send(command_body("/lang", "", user="U1", channel="C1"))
    assert refused.value.error == "msg_blocks_too_long"
    assert driver.send(command_body("/kort", "", user="U1", channel="C1")).status == 200


def test_an_outage_fails_every_call_until_it_ends(strict) -> None:  # type: ignore[no-untyped-def]
    client, mock = strict
    mock.start_outage("500")
    assert error_of(lambda: client.chat_postMessage(channel="C1", text="x"))[:2] == (500, "internal_error")
    assert error_of(lambda: client.auth_test())[:2] == (500, "internal_error")
    mock.end_outage()
    client.chat_postMessage(channel="C1", text="x")


def test_history_pages_and_honours_the_time_window(strict, clock) -> None:  # type: ignore[no-untyped-def]
    client, _mock = strict
    stamps = []
    for i in range(5):
        stamps.append(client.chat_postMessage(channel="C1", text=f"m{i}")["ts"])
        clock.advance(timedelta(seconds=10))
    window = client.conversations_history(channel="C1", oldest=stamps[1], latest=stamps[3], limit=2)
    assert [m["text"] for m in window["messages"]] == ["m3", "m2"] and window["has_more"]
    rest = client.conversations_history(
        channel="C1", oldest=stamps[1], latest=stamps[3], limit=2, cursor=window["response_metadata"]["next_cursor"]
    )
    assert [m["text"] for m in rest["messages"]] == ["m1"] and not rest["has_more"]


def test_channel_canvases_as_slack_has_them(strict: tuple[WebClient, MockSlack]) -> None:
    client, mock = strict
    mock.add_channel("GPAIR", "U1", "U2")
    created = client.conversations_canvases_create(channel_id="GPAIR", document_content={"type": "markdown", "markdown": "# v1"})
    canvas = created["canvas_id"]
    assert client.conversations_info(channel="GPAIR")["channel"]["properties"]["canvas"]["file_id"] == canvas
    # One channel canvas per channel; later versions replace its content.
    assert (
        error_of(lambda: client.conversations_canvases_create(channel_id="GPAIR", document_content={"type": "markdown", "markdown": "x"}))[
            1
        ]
        == "channel_canvas_already_exists"
    )
    client.canvases_edit(canvas_id=canvas, changes=[{"operation": "replace", "document_content": {"type": "markdown", "markdown": "# v2"}}])
    assert mock.canvases[canvas] == "# v2"
    assert error_of(lambda: client.canvases_edit(canvas_id="FNOPE", changes=[]))[1] == "canvas_not_found"
    mock.add_channel("GFREE", "U1", "U2")
    mock.canvases_allowed = False  # a free plan
    assert (
        error_of(lambda: client.conversations_canvases_create(channel_id="GFREE", document_content={"type": "markdown", "markdown": "x"}))[
            1
        ]
        == "team_tier_cannot_create_channel_canvases"
    )


def test_files_upload_v2_reaches_the_channel_with_its_bytes(strict: tuple[WebClient, MockSlack]) -> None:
    client, mock = strict
    data = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    answer = client.files_upload_v2(channel="DKSO", content=data, filename="samspel.ics", title="Samspel", initial_comment="Din kalender")
    stored = mock.files[answer["file"]["id"]]
    assert (stored["content"], stored["channel"], stored["comment"]) == (data, "DKSO", "Din kalender")


def test_a_method_needs_its_scope(strict: tuple[WebClient, MockSlack]) -> None:
    client, mock = strict
    mock.add_channel("GPAIR", "U1", "U2")
    mock.scopes = frozenset({"chat:write", "groups:read"})
    assert client.conversations_info(channel="GPAIR")["ok"]
    assert error_of(lambda: client.users_info(user="U1"))[1] == "missing_scope"
    canvas = {"type": "markdown", "markdown": "# x"}
    assert error_of(lambda: client.conversations_canvases_create(channel_id="GPAIR", document_content=canvas))[1] == "missing_scope"


def test_a_modal_s_title_and_metadata_keep_slack_s_limits(strict: tuple[WebClient, MockSlack]) -> None:
    client, _mock = strict
    body = [section("Hej")]

    def modal(title: str, metadata: str = "") -> dict:  # type: ignore[type-arg]
        return {"type": "modal", "title": {"type": "plain_text", "text": title}, "private_metadata": metadata, "blocks": body}

    assert client.views_open(trigger_id="t.1", view=modal("Nytt uppdrag"))["ok"]
    assert (
        error_of(lambda: client.views_open(trigger_id="t.2", view=modal("Ett uppdrag med en alldeles för lång titel")))[1]
        == "invalid_arguments"
    )
    assert error_of(lambda: client.views_open(trigger_id="t.3", view=modal("Ok", "x" * 3001)))[1] == "invalid_arguments"


def rich_text(*elements: dict[str, Any]) -> dict[str, Any]:
    return {"type": "rich_text", "elements": [{"type": "rich_text_section", "elements": list(elements)}]}


def test_rich_text_elements_need_their_fields(strict: tuple[WebClient, MockSlack]) -> None:
    # https://docs.slack.dev/reference/block-kit/block-elements/canvas-element: type "canvas" and file_id are required,
    # inside a rich_text_section, _list or _quote; Messages, Modals and Home tabs.
    client, mock = strict
    link = rich_text({"type": "text", "text": "Läs dem här: "}, {"type": "canvas", "file_id": "F00000001"})
    client.chat_postMessage(channel="C1", text="t", blocks=[link])
    client.views_publish(user_id="U1", view={"type": "home", "blocks": [link]})
    listed = {"type": "rich_text", "elements": [{"type": "rich_text_list", "style": "bullet", "elements": link["elements"]}]}
    client.chat_postMessage(channel="C1", text="t", blocks=[listed])
    refused = [
        rich_text({"type": "canvas"}),  # no file_id
        rich_text({"type": "canvas", "file_id": ""}),
        rich_text({"type": "text"}),  # no text
        rich_text({"type": "no_such_element", "file_id": "F1"}),
        {"type": "rich_text", "elements": [{"type": "canvas", "file_id": "F1"}]},  # not inside a section, list or quote
        {"type": "rich_text", "elements": [{"type": "rich_text_list", "style": "bullet", "elements": [{"type": "text", "text": "x"}]}]},
    ]
    for i, block in enumerate(refused):

        def post(channel: str = f"C{i + 2}", block: dict[str, Any] = block) -> Any:
            return client.chat_postMessage(channel=channel, text="t", blocks=[block])

        assert error_of(post)[:2] == (200, "invalid_blocks"), block
    assert error_of(lambda: client.views_publish(user_id="U1", view={"type": "home", "blocks": [refused[0]]}))[:2] == (
        200,
        "invalid_arguments",
    )


def test_oauth_installs_a_workspace_of_an_enterprise_grid_org_and_refreshes_its_token(strict: tuple[WebClient, MockSlack]) -> None:
    client, mock = strict
    mock.rotation = True
    anon = WebClient(base_url=client.base_url, retry_handlers=[])
    grid = anon.oauth_v2_access(client_id="1", client_secret="s", code="code-E0001:T0009")
    assert (grid["team"]["id"], grid["enterprise"]["id"], grid["is_enterprise_install"]) == ("T0009", "E0001", False)
    plain = anon.oauth_v2_access(client_id="1", client_secret="s", code="code-T0001")
    assert plain["enterprise"] is None
    me = WebClient(token=grid["access_token"], base_url=client.base_url).auth_test()
    assert (me["team_id"], me["enterprise_id"]) == ("T0009", "E0001")
    # A refresh token is spent once: the new one replaces it, the old one is refused.
    fresh = anon.oauth_v2_access(client_id="1", client_secret="s", grant_type="refresh_token", refresh_token=grid["refresh_token"])
    assert fresh["access_token"] != grid["access_token"] and fresh["expires_in"] == 43200
    assert (
        error_of(
            lambda: anon.oauth_v2_access(client_id="1", client_secret="s", grant_type="refresh_token", refresh_token=grid["refresh_token"])
        )[1]
        == "invalid_refresh_token"
    )
