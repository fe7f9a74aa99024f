"""The HTTP edge as Slack (and anyone else on the internet) meets it: a real waitress server in front of the bot.

Oversized, unlengthed, wrongly typed, non-UTF-8 and unsigned requests are refused before
Bolt parses anything, in one short log line without the body.
"""

from __future__ import annotations

import io
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.models import Uppdrag
from bot.server import MAX_BODY_BYTES, Health, Service, SlackEdge, make_http_server
from jobs import Heartbeats
from tests.support.paths import ROOT
from tests.support.ports import free_port
from tests.support.signing import SIGNING_SECRET, command_body, signed_headers
from tests.support.slack_mock import SlackServer
from tests.support.world import KSO, World

SECRET_WORDS = "Hemligt budgetbesked om skolan"


@pytest.fixture
def server(paired: World) -> Iterator[tuple[str, int]]:
    srv = make_http_server(paired.bot.app, lambda: True, port=0, host="127.0.0.1", signing_secret=SIGNING_SECRET)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv.server_address
    srv.shutdown()
    thread.join(timeout=10)


def raw_request(address: tuple[str, int], head: str, body: bytes = b"", *, timeout: float = 10) -> tuple[int, bytes]:
    """Send exactly these header lines and body bytes; returns (status, response body)."""
    with socket.create_connection(address, timeout=timeout) as sock:
        sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n" + body)
        data = b""
        while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < _length(data):
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    status = int(data.split(b" ", 2)[1])
    return status, data.split(b"\r\n\r\n", 1)[1]


def _length(data: bytes) -> int:
    for line in data.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return int(line.split(b":", 1)[1])
    return 0


def post(address: tuple[str, int], body: str, headers: dict[str, str]) -> tuple[int, bytes]:
    encoded = body.encode()
    lines = ["POST /slack/events HTTP/1.1", f"Host: {address[0]}", f"Content-Length: {len(encoded)}", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    return raw_request(address, "\n".join(lines) + "\n", encoded)


def signed(body: str, content_type: str = "application/x-www-form-urlencoded") -> dict[str, str]:
    return {k: v[0] for k, v in signed_headers(body, content_type=content_type).items()}


def uppdrag_count(world: World) -> int:
    with world.sessions() as s:
        return s.scalar(select(func.count(Uppdrag.id))) or 0


@pytest.fixture
def all_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    return caplog


def test_a_signed_command_over_http_is_answered(paired: World, server: tuple[str, int]) -> None:
    body = command_body("/uppdrag", "Ta fram underlag om skolskjutsar", user=KSO, channel="GPAIR001")
    status, answer = post(server, body, signed(body))
    assert status == 200 and b"Uppdrag #1" in answer
    assert uppdrag_count(paired) == 1


def test_a_huge_body_gets_413_before_it_is_sent(paired: World, server: tuple[str, int]) -> None:
    # Only the headers go out: the answer must come without the gigabyte ever arriving.
    head = f"POST /slack/events HTTP/1.1\nHost: x\nContent-Type: application/x-www-form-urlencoded\nContent-Length: {1024**3}\n"
    status, _ = raw_request(server, head, b"text=a")
    assert status == 413


def test_a_body_just_over_the_limit_is_refused_and_one_at_the_limit_is_read(paired: World, server: tuple[str, int]) -> None:
    filler = "x" * (MAX_BODY_BYTES - len("text="))
    status, _ = post(server, "text=" + filler + "y", {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 413
    # Exactly at the limit it is read, and then refused only for having no signature.
    status, _ = post(server, "text=" + filler, {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 401


@pytest.mark.parametrize("content_type", ["text/plain", "multipart/form-data; boundary=x", "application/xml", ""])
def test_other_content_types_get_415_and_do_nothing(
    paired: World, server: tuple[str, int], content_type: str, all_logs: pytest.LogCaptureFixture
) -> None:
    body = command_body("/uppdrag", SECRET_WORDS, user=KSO, channel="GPAIR001")
    headers = {k: v for k, v in signed(body, content_type or "x").items() if content_type or k != "content-type"}
    status, answer = post(server, body, headers)
    assert status == 415 and b"Traceback" not in answer
    assert uppdrag_count(paired) == 0
    assert not any(SECRET_WORDS in r.getMessage() or "Skolan" in r.getMessage() for r in all_logs.records)


def test_missing_or_negative_content_length_is_refused(paired: World, server: tuple[str, int]) -> None:
    form = "Content-Type: application/x-www-form-urlencoded\n"
    assert raw_request(server, "POST /slack/events HTTP/1.1\nHost: x\nConnection: close\n" + form)[0] == 411
    assert raw_request(server, "POST /slack/events HTTP/1.1\nHost: x\nContent-Length: -1\n" + form, b"text=a")[0] == 400


class _Unreadable(io.RawIOBase):
    """A request body that must not be read."""

    def read(self, size: int = -1) -> bytes:
        raise AssertionError("the body was read")


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"CONTENT_LENGTH": str(1024**3), "CONTENT_TYPE": "application/json"}, "413"),
        ({"CONTENT_LENGTH": "-1", "CONTENT_TYPE": "application/json"}, "400"),
        ({"CONTENT_TYPE": "application/json"}, "411"),
        ({"CONTENT_LENGTH": "12", "CONTENT_TYPE": "text/html"}, "415"),
    ],
)
def test_the_edge_refuses_from_the_headers_alone(headers: dict[str, str], status: str) -> None:
    """Whatever WSGI server is in front: these are answered without touching the body."""

    def bolt(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        raise AssertionError("reached Bolt")

    seen: list[str] = []
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/slack/events", "wsgi.input": _Unreadable(), **headers}
    SlackEdge(bolt, SIGNING_SECRET)(environ, lambda s, h: seen.append(s))
    assert seen[0].startswith(status)


def test_unsigned_junk_is_one_short_line_without_its_body(
    paired: World, server: tuple[str, int], all_logs: pytest.LogCaptureFixture
) -> None:
    for body, content_type in [("{" + SECRET_WORDS, "application/json"), ("payload=" + SECRET_WORDS, "application/x-www-form-urlencoded")]:
        status, answer = post(server, body, {"Content-Type": content_type})
        assert status == 401 and b"Traceback" not in answer
    edge_lines = [r for r in all_logs.records if "/slack/events" in r.getMessage()]
    assert len(edge_lines) == 2 and all(len(r.getMessage()) < 160 and r.exc_info is None for r in edge_lines)
    assert not any(SECRET_WORDS in r.getMessage() for r in all_logs.records)


def test_a_body_that_is_not_utf8_is_refused(paired: World, server: tuple[str, int]) -> None:
    head = "POST /slack/events HTTP/1.1\nHost: x\nConnection: close\nContent-Type: application/json\nContent-Length: 4\n"
    assert raw_request(server, head, b"\xff\xfe{}")[0] == 400


def test_idle_connections_do_not_cost_a_thread_each(paired: World, server: tuple[str, int]) -> None:
    before = threading.active_count()
    idle = [socket.create_connection(server) for _ in range(150)]
    try:
        for sock in idle:
            sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\n")  # half a request, then silence
        body = command_body("/uppdrag", "lista", user=KSO, channel="GPAIR001")
        assert post(server, body, signed(body))[0] == 200  # still answering
        assert threading.active_count() <= before + 1
    finally:
        for sock in idle:
            sock.close()


# --- /healthz ------------------------------------------------------------------------------


class Ticks:
    """Elapsed seconds that move only when told (the health check's monotonic clock)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def health_of(service: Service) -> tuple[str, dict[str, Any]]:
    seen: list[str] = []
    body = b"".join(service({"REQUEST_METHOD": "GET", "PATH_INFO": "/healthz"}, lambda s, h: seen.append(s)))
    return seen[0].split()[0], json.loads(body)


def test_health_says_starting_until_the_bot_is_up_then_reports_each_part(world: World) -> None:
    ticks = Ticks()
    health = Health(monotonic=ticks)
    service = Service(health, signing_secret=SIGNING_SECRET)
    assert health_of(service) == ("503", {"status": "starting"})
    seen: list[str] = []
    service({"REQUEST_METHOD": "POST", "PATH_INFO": "/slack/events"}, lambda s, h: seen.append(s))
    assert seen[0].startswith("503")

    beats = Heartbeats(monotonic=ticks)
    service.attach(world.bot.app)
    health.watch(world.bot.engine, world.bot.scheduler, beats)
    world.bot.start_scheduler()
    try:
        health.ready()
        # Just started: no delivery tick has finished yet, and that is fine for a minute.
        assert health_of(service) == (
            "200",
            {"status": "ok", "database": "ok", "scheduler": "ok", "outbox": "ok", "outbox_last_tick_s": None},
        )
        beats.start("outbox")
        ticks.now += 2
        beats.finish("outbox", ok=True)
        ticks.now += 1.25
        assert health_of(service)[1]["outbox_last_tick_s"] == 1.2
        # Delivery keeps failing (the tick ends in an error) for over a minute: unhealthy.
        for _ in range(13):
            ticks.now += 5
            beats.start("outbox")
            beats.finish("outbox", ok=False)
        status, report = health_of(service)
        assert (status, report["status"], report["outbox"]) == ("503", "unhealthy", "stale")
        # A long tick still running is delivery at work, not delivery stopped.
        beats.start("outbox")
        ticks.now += 120
        assert health_of(service)[1]["outbox"] == "ok"
    finally:
        world.bot.stop()
    status, report = health_of(service)
    assert (status, report["scheduler"]) == ("503", "stopped")


def test_serve_http_binds_first_and_is_healthy_once_started(slack: SlackServer, tmp_path: Path) -> None:
    """`python -m bot serve --http` as a real process: /healthz answers 200 with every part ok; SIGTERM stops it."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SAMSPEL_", "DATABASE_URL"))}
    env |= {
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "PORT": str(port),
        "PYTHONPATH": str(ROOT),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--http"], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        report: dict[str, Any] = {}
        for _ in range(1800):  # a loaded CI machine: up to 90 s
            try:
                status, body = raw_request(("127.0.0.1", port), "GET /healthz HTTP/1.1\nHost: x\nConnection: close\n")
            except OSError:
                status = 0
            if status == 200:
                report = json.loads(body)
                break
            assert status in (0, 503)
            time.sleep(0.05)
        assert report.get("status") == "ok" and {"database", "scheduler", "outbox"} <= report.keys()
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            out, _ = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
            print(out[-5000:])
            raise
    assert proc.returncode == 0, out[-2000:]
    assert "Traceback" not in out


# --- the ack path --------------------------------------------------------------------------


def test_a_burst_of_changes_renders_each_home_tab_once_with_the_last_change(paired: World) -> None:
    """Home tabs are rendered when sent, not before each command's ack: five uppdrag, one new Home tab each."""
    paired.deliver()
    before = len(paired.slack.of("views.publish"))
    for i in range(1, 6):
        assert f"Uppdrag #{i}" in paired.command("/uppdrag", f"Utred fråga nummer {i}").body
    paired.deliver()
    published = paired.slack.of("views.publish")[before:]
    assert sorted(c["user_id"] for c in published) == sorted([KSO, "UKD00001"])
    for call in published:
        shown = json.dumps(call["view"], ensure_ascii=False)
        assert "Öppna uppdrag (5)" in shown and "Utred fråga nummer 5" in shown
