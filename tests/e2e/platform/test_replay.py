"""A signed command, click, submission or event delivered more than once has one effect."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from slack_bolt import BoltRequest
from sqlalchemy import Engine, func, select

from bot.adapters import request_keys
from bot.clock import FakeClock
from bot.models import RequestKey, Uppdrag, UppdragFraga
from bot.server import make_http_server
from jobs.request_keys import prune
from tests.support.signing import (
    SIGNING_SECRET,
    SlackDriver,
    block_action_payload,
    command_body,
    event_body,
    interactive_body,
    signed_headers,
    view_submission_payload,
)
from tests.support.slack_mock import SlackServer
from tests.support.world import CHANNEL, KD, KSO, World, couple, make_bot


def uppdrag_count(world: World) -> int:
    with world.sessions() as s:
        return s.scalar(select(func.count(Uppdrag.id))) or 0


def deliver_again(world: World, body: str, *, retry: int | None = None, json_body: bool = False):  # type: ignore[no-untyped-def]
    """The very same signed request once more, as a replay or a Slack retry would bring it."""
    headers = signed_headers(body, content_type="application/json" if json_body else "application/x-www-form-urlencoded")
    if retry is not None:
        headers |= {"x-slack-retry-num": [str(retry)], "x-slack-retry-reason": ["http_timeout"]}
    return world.bot.app.dispatch(BoltRequest(body=body, headers=headers))


def test_a_command_replayed_three_times_gives_one_uppdrag(paired: World) -> None:
    body = command_body("/uppdrag", "Ta fram underlag om skolskjutsar senast fredag", user=KSO, channel=CHANNEL)
    first = deliver_again(paired, body)
    assert first.status == 200 and "Uppdrag #1" in json.loads(first.body)["text"]
    for _ in range(3):
        replay = deliver_again(paired, body)
        assert (replay.status, replay.body) == (200, "")
    assert uppdrag_count(paired) == 1
    # The same words typed again are a new command, with a new trigger_id.
    paired.command("/uppdrag", "Ta fram underlag om skolskjutsar senast fredag")
    assert uppdrag_count(paired) == 2


def _open_question(paired: World) -> int:
    paired.command("/uppdrag", "Utred skolskjutsarna")
    paired.command("/uppdrag", "oklart 1 Gäller det även gymnasiet?", user=KD)
    with paired.sessions() as s:
        return s.scalars(select(UppdragFraga.id)).one()


def test_a_click_delivered_twice_opens_one_modal(paired: World) -> None:
    question = _open_question(paired)
    body = interactive_body(block_action_payload("uppdrag_svara", str(question), user=KSO, channel=CHANNEL))
    assert deliver_again(paired, body).status == 200
    assert deliver_again(paired, body).status == 200
    assert len(paired.slack.of("views.open")) == 1


def test_a_submission_delivered_twice_is_stored_once(paired: World) -> None:
    question = _open_question(paired)
    values = {"svar": {"svar": {"type": "plain_text_input", "value": "Ja, även gymnasiet"}}}
    body = interactive_body(view_submission_payload("uppdrag_svar", values, user=KSO, private_metadata=str(question)))
    assert (deliver_again(paired, body).status, deliver_again(paired, body).body) == (200, "")
    with paired.sessions() as s:
        assert s.scalars(select(UppdragFraga.svar)).one() == "Ja, även gymnasiet"
    paired.deliver()
    answers = [c for c in paired.slack.posts if "Ja, även gymnasiet" in (c.get("text") or "")]
    assert len(answers) == 1


def test_an_event_retried_by_slack_is_handled_once(paired: World) -> None:
    body = event_body({"type": "app_home_opened", "user": KD, "channel": "D0HOME", "tab": "home", "event_ts": "1.0"})
    paired.deliver()
    before = len(paired.slack.of("views.publish"))
    assert deliver_again(paired, body, json_body=True).status == 200
    paired.deliver()
    for retry in (1, 2):
        assert deliver_again(paired, body, retry=retry, json_body=True).status == 200
        paired.deliver()
    assert len(paired.slack.of("views.publish")) == before + 1


@pytest.fixture
def served(slack: SlackServer, any_engine: Engine, clock: FakeClock) -> Iterator[tuple[World, tuple[str, int]]]:
    """A paired bot on SQLite and PostgreSQL, behind the real HTTP server."""
    bot = make_bot(slack, any_engine, clock)
    world = World(bot=bot, slack=slack.mock, clock=clock, driver=SlackDriver(bot.app))
    couple(world)
    server = make_http_server(bot.app, lambda: True, port=0, host="127.0.0.1", signing_secret=SIGNING_SECRET)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield world, server.server_address
    server.shutdown()
    thread.join(timeout=10)


def test_replays_arriving_at_once_still_give_one_uppdrag(served: tuple[World, tuple[str, int]]) -> None:
    import http.client

    world, (host, port) = served
    body = command_body("/uppdrag", "Samordna budgetarbetet", user=KSO, channel=CHANNEL)
    headers = {k: v[0] for k, v in signed_headers(body).items()}
    statuses: list[int] = []
    start = threading.Barrier(6)

    def send() -> None:
        conn = http.client.HTTPConnection(host, port, timeout=30)
        start.wait()
        conn.request("POST", "/slack/events", body=body.encode(), headers=headers)
        statuses.append(conn.getresponse().status)
        conn.close()

    threads = [threading.Thread(target=send) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [200] * 6
    assert uppdrag_count(world) == 1


def test_keys_outlive_the_signature_window_and_are_pruned_after(paired: World) -> None:
    body = command_body("/uppdrag", "Ta fram en tidplan", user=KSO, channel=CHANNEL)
    deliver_again(paired, body)
    paired.clock.advance(timedelta(minutes=5, seconds=30))  # a signature this old is already refused
    prune(paired.bot.deps)
    assert deliver_again(paired, body).body == ""
    paired.clock.advance(request_keys.KEEP)
    assert prune(paired.bot.deps) >= 1
    with paired.sessions() as s:
        assert s.scalar(select(func.count(RequestKey.id))) == 0


def test_every_kind_of_request_gets_its_own_key() -> None:
    command = {"command": "/uppdrag", "trigger_id": "13.24.ab", "team_id": "T1"}
    event = {"type": "event_callback", "event_id": "Ev1", "team_id": "T1", "event": {"type": "app_home_opened"}}
    click = {"type": "block_actions", "team": {"id": "T1"}, "user": {"id": "U1"}, "actions": [{"action_ts": "17.5"}]}
    keys = [request_keys.key_for(b) for b in (command, event, click, {**click, "trigger_id": "13.24.cd"})]
    assert keys == ["command:T1:13.24.ab", "event:T1:Ev1", "action:T1:U1:17.5", "interaction:T1:13.24.cd"]
    # Nothing to key on: url_verification, option lists (read-only, may be asked again).
    assert request_keys.key_for({"type": "url_verification", "challenge": "x"}) is None
    assert request_keys.key_for({"type": "block_suggestion", "trigger_id": "1", "team": {"id": "T1"}}) is None
