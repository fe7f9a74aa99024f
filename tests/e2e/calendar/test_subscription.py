"""The calendar where people live: `/samspel kalender` gives each person a private feed of all their pairs.

HTTP mode: the answer holds https://…/kalender/<token>.ics, served by the real waitress server;
`kalender ny` renews the token and the old address answers 404. Socket Mode (no public address):
the file goes to the person's DM through the outbox (kind "file"), once, also when a reply is lost.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from icalendar import Calendar
from sqlalchemy import Engine, select

from bot.bootstrap import build
from bot.clock import FakeClock
from bot.models import OutboxMessage, Pair
from bot.outbox import OutboxDeliverer
from bot.outbox.slack_sender import SlackSender
from bot.server import HttpServer, Service
from bot.settings import load_settings
from tests.support.signing import SIGNING_SECRET, SlackDriver, ephemeral_text
from tests.support.slack_mock import BOT_USER, SlackServer
from tests.support.world import CHANNEL, FAST_RETRIES, KD, KSO, KSO2, World, couple

PUBLIC_URL = "https://samspel.example.se"
SECOND_CHANNEL = "GPAIR003"
FEED = re.compile(re.escape(PUBLIC_URL) + r"/kalender/([A-Za-z0-9_-]{40,})\.ics")
KD_DM = "D" + KD[1:]


def bot_world(slack: SlackServer, engine: Engine, clock: FakeClock, **env: str) -> World:
    """A running bot like tests.support.world.make_bot's, with extra settings (a public URL, Socket Mode)."""
    slack.mock.use_clock(clock)
    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": slack.url,
            "DATABASE_URL": engine.url.render_as_string(hide_password=False),
            "SAMSPEL_LANGUAGE": os.environ.get("SAMSPEL_LANGUAGE", "sv"),
            **env,
        }
    )
    bot = build(settings, clock=clock, engine=engine, process_before_response=True, policy=FAST_RETRIES, catch_up=False)
    deliverer = bot.deps.deliverer
    assert isinstance(deliverer, OutboxDeliverer) and isinstance(deliverer.sender, SlackSender)
    deliverer.sender.sleep = lambda seconds: clock.advance(timedelta(seconds=seconds))
    return World(bot=bot, slack=slack.mock, clock=clock, driver=SlackDriver(bot.app))


def two_pairs(world: World) -> tuple[int, int]:
    """The KD works with two KSOs: CHANNEL with KSO, SECOND_CHANNEL with KSO2. Returns both pair ids."""
    world.slack.add_channel(SECOND_CHANNEL, KSO2, KD)
    couple(world)
    couple(world, KSO2, KD, SECOND_CHANNEL)
    with world.sessions() as s:
        first = s.scalars(select(Pair.id).where(Pair.channel_id == CHANNEL)).one()
        second = s.scalars(select(Pair.id).where(Pair.channel_id == SECOND_CHANNEL)).one()
    return first, second


def say(world: World, text: str, *, user: str = KD, channel: str = CHANNEL) -> str:
    resp = world.command("/samspel", text, user=user, channel=channel)
    assert resp.status == 200
    return ephemeral_text(resp)


@pytest.fixture
def http_world(slack: SlackServer, engine: Engine, clock: FakeClock) -> World:
    return bot_world(slack, engine, clock, SAMSPEL_PUBLIC_URL=PUBLIC_URL)


@pytest.fixture
def socket_world(slack: SlackServer, engine: Engine, clock: FakeClock) -> World:
    return bot_world(slack, engine, clock, SLACK_APP_TOKEN="xapp-test")


@pytest.fixture
def server(http_world: World) -> Iterator[str]:
    """The HTTP mode's waitress server, wired as bot/cli.py wires it; yields its base address."""
    service = Service(lambda: True, signing_secret=SIGNING_SECRET)
    service.attach(http_world.bot.app, calendar=http_world.bot.calendar_feed)
    srv = HttpServer(service, 0, host="127.0.0.1")
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    host, port = srv.server_address
    yield f"http://{host}:{port}"
    srv.shutdown()
    thread.join(timeout=10)


def fetch(base: str, token: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(f"{base}/kalender/{token}.ics", timeout=10) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def events(body: bytes) -> list[Any]:
    return list(Calendar.from_ical(body).walk("VEVENT"))


def uids(body: bytes) -> set[str]:
    return {str(e["uid"]) for e in events(body)}


def test_the_feed_holds_both_pairs_and_a_renewed_token_ends_the_old_one(
    http_world: World, server: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    first, second = two_pairs(http_world)
    assert "KS" in say(http_world, "ks 2026-12-15 2027-01-19", user=KSO)
    assert "2027" in say(http_world, "utvecklingssamtal 2027-03-15", user=KSO2, channel=SECOND_CHANNEL)

    answer = say(http_world, "kalender")
    assert "Lägg till kalender → Från internet" in answer
    match = FEED.search(answer)
    assert match, answer
    token = match.group(1)
    # Asking again gives the same address: a subscription is not broken by looking it up.
    assert token in say(http_world, "kalender")

    status, headers, body = fetch(server, token)
    assert status == 200 and headers["Content-Type"].startswith("text/calendar")
    found = uids(body)
    for pair_id in (first, second):
        meetings = {u for u in found if u.startswith("mote-") and f"-{pair_id}-" in u}
        radsmoten = {u for u in found if u.startswith("radsmote-") and f"-{pair_id}-" in u}
        assert len(meetings) >= 50 and len(radsmoten) == len(meetings), pair_id
    assert {u for u in found if u.startswith("ks-")} == {f"ks-T0001-{first}-2026-12-15@samspel", f"ks-T0001-{first}-2027-01-19@samspel"}
    talks = [e for e in events(body) if str(e["uid"]).startswith(f"utvecklingssamtal-T0001-{second}-")]
    assert [e.decoded("dtstart").isoformat() for e in talks] == ["2027-03-15"]
    assert len(found) == len(events(body))  # every UID once: the two pairs' events never collide

    # The KSO is in one pair only: their own feed has none of the second pair's events.
    kso_token = FEED.search(say(http_world, "kalender", user=KSO))
    assert kso_token and kso_token.group(1) != token
    _, _, kso_body = fetch(server, kso_token.group(1))
    assert not {u for u in uids(kso_body) if f"-{second}-" in u}

    renewed = say(http_world, "kalender ny")
    assert "Den gamla slutar fungera" in renewed
    new = FEED.search(renewed)
    assert new and new.group(1) != token
    assert fetch(server, token)[0] == 404
    assert fetch(server, new.group(1))[0] == 200
    assert fetch(server, "x" * 43)[0] == 404

    secrets = (token, new.group(1), kso_token.group(1))
    leaked = [r.getMessage() for r in caplog.records if any(s in r.getMessage() for s in secrets)]
    assert not leaked, leaked


def test_the_feed_is_in_the_persons_language(http_world: World, server: str) -> None:
    http_world.slack.locales[KD] = "en-GB"
    couple(http_world)
    match = FEED.search(say(http_world, "kalender"))
    assert match
    _, _, body = fetch(server, match.group(1))
    summaries = {str(e["summary"]) for e in events(body)}
    assert "Monday meeting, KSO and KD" in summaries
    _, _, kso_body = fetch(server, FEED.search(say(http_world, "kalender", user=KSO)).group(1))  # type: ignore[union-attr]
    assert "Måndagsmöte KSO och KD" in {str(e["summary"]) for e in events(kso_body)}


def test_without_a_public_url_the_answer_says_what_the_admin_must_set(world: World) -> None:
    couple(world)
    answer = say(world, "kalender")
    assert "SAMSPEL_PUBLIC_URL" in answer and "/kalender/" not in answer


def test_someone_in_no_pair_gets_no_address(http_world: World) -> None:
    answer = say(http_world, "kalender", user="UNOBODY01", channel="DNOBODY01")
    assert "inte med i något aktivt par" in answer and "/kalender/" not in answer


def test_the_help_lists_the_calendar(http_world: World) -> None:
    assert "/samspel kalender" in say(http_world, "hjälp")


# --- Socket Mode: the file in one's DM ---------------------------------------------------------


def test_in_socket_mode_the_file_reaches_the_dm_once(socket_world: World) -> None:
    first, second = two_pairs(socket_world)
    answer = say(socket_world, "kalender")
    assert "direktmeddelande" in answer and "/kalender/" not in answer
    socket_world.deliver()
    [shared] = [f for f in socket_world.slack.files.values() if f.get("channel")]
    assert shared["name"] == "samspel.ics" and shared["channel"] == KD_DM
    assert shared["title"] == "Samspel: dina möten" and "Outlook" in shared["comment"]
    found = uids(shared["content"])
    assert {u for u in found if f"-{first}-" in u} and {u for u in found if f"-{second}-" in u}
    # Delivering again sends nothing more: the row is sent.
    socket_world.deliver()
    assert len(socket_world.slack.files) == 1


def test_a_lost_reply_to_the_share_does_not_upload_the_file_again(socket_world: World) -> None:
    couple(socket_world)
    socket_world.slack.fail_next("files.completeUploadExternal", "drop_after")
    say(socket_world, "kalender")
    socket_world.deliver()
    [(file_id, shared)] = socket_world.slack.files.items()
    assert shared.get("channel") == KD_DM  # Slack shared it; only the answer was lost
    with socket_world.sessions() as s:
        row = s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "file")).one()
        assert row.status == "pending" and row.uncertain and row.attempt_ts
        attempt_ts = row.attempt_ts
    # What Slack shows in the DM after a share: a message of ours carrying the file.
    socket_world.slack.messages.setdefault(KD_DM, []).append(
        {
            "ts": attempt_ts,
            "user": BOT_USER,
            "text": shared["comment"],
            "files": [{"id": file_id, "name": "samspel.ics", "title": shared["title"]}],
        }
    )
    socket_world.clock.advance(timedelta(seconds=30))
    socket_world.deliver()
    assert len(socket_world.slack.files) == 1
    with socket_world.sessions() as s:
        row = s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "file")).one()
        assert (row.status, row.sent_ts) == ("sent", file_id)


def test_renewing_in_socket_mode_still_sends_the_file_and_says_the_old_link_is_gone(socket_world: World) -> None:
    couple(socket_world)
    answer = say(socket_world, "kalender ny")
    assert "gamla kalenderlänk fungerar inte längre" in answer
    socket_world.deliver()
    assert [f["name"] for f in socket_world.slack.files.values()] == ["samspel.ics"]
