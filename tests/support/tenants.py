"""Helpers for the multi-workspace suites: a distributed Samspel, its OAuth routes, and kommuner with pairs."""

from __future__ import annotations

import io
import re
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

from sqlalchemy import Engine

from bot.bootstrap import Samspel, build
from bot.clock import FakeClock
from bot.outbox import DeliveryPolicy
from bot.server import Service, wsgi_app
from bot.settings import load_settings
from handlers.ids import PAIR_ACCEPT
from tests.support.signing import SIGNING_SECRET, SlackDriver, block_action_payload, command_body, event_body, interactive_body
from tests.support.slack_mock import SlackServer
from tests.support.world import FAST_RETRIES

T1, T2 = "T0001", "T0002"
# Two kommuner, each with its own pair in its own private channel: team → (KSO, KD, channel).
PEOPLE = {T1: ("UKSO0001", "UKD00001", "GPAIR001"), T2: ("UKSO0002", "UKD00002", "GPAIR002")}
CLIENT_ID = "111.222"


def dm(user: str) -> str:
    return "D" + user[1:]


def distributed_settings(slack: SlackServer, engine: Engine, **extra: str) -> Any:
    return load_settings(
        {
            "SLACK_CLIENT_ID": CLIENT_ID,
            "SLACK_CLIENT_SECRET": "client-secret",
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": slack.url,
            "DATABASE_URL": engine.url.render_as_string(hide_password=False),
            "SAMSPEL_PUBLIC_URL": "https://samspel.example.se",
            **extra,
        }
    )


class Shared:
    """A distributed Samspel: the bot, its WSGI service (OAuth routes, /metrics) and the fake Slack.

    `people`: team → (KSO, KD, pair channel); `enterprises`: team → its Enterprise Grid org, if any.
    """

    def __init__(
        self,
        bot: Samspel,
        service: Service,
        slack: SlackServer,
        clock: FakeClock,
        people: dict[str, tuple[str, str, str]] | None = None,
        enterprises: dict[str, str] | None = None,
    ) -> None:
        self.bot, self.service, self.slack, self.clock = bot, service, slack.mock, clock
        self.people = people or PEOPLE
        self.enterprises = enterprises or {}
        self.driver = SlackDriver(bot.app)

    def get(self, path: str, query: str = "", cookie: str = "") -> tuple[str, dict[str, str], str]:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "localhost",
            "SERVER_PORT": "3000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "https",
            "wsgi.input": io.BytesIO(b""),
            "CONTENT_LENGTH": "0",
            "HTTP_HOST": "samspel.example.se",
        }
        if cookie:
            environ["HTTP_COOKIE"] = cookie
        answer: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]]) -> None:
            answer["status"], answer["headers"] = status, headers

        body = b"".join(self.service(environ, start_response)).decode()
        headers: dict[str, str] = {}
        for key, value in answer["headers"]:
            headers[key.lower()] = (headers[key.lower()] + "; " + value) if key.lower() in headers else value
        return answer["status"], headers, body

    def install(self, team: str) -> str:
        """The install link, Slack's consent screen (skipped), and the redirect back: returns the success page."""
        status, headers, body = self.get("/slack/install")
        assert status.startswith("200"), status
        link = re.search(r'href="(https://slack.com/oauth/v2/authorize\?[^"]+)"', body)
        assert link is not None, body
        query = parse_qs(urlparse(link.group(1).replace("&amp;", "&")).query)
        assert query["client_id"] == [CLIENT_ID]
        assert "chat:write" in query["scope"][0].split(",")
        state = query["state"][0]
        cookie = headers["set-cookie"].split(";")[0]
        # The fake reads a Grid workspace's org from the code ("code-E0001:T0009").
        code = f"code-{self.enterprises[team]}:{team}" if team in self.enterprises else f"code-{team}"
        status, _headers, page = self.get("/slack/oauth_redirect", urlencode({"code": code, "state": state}), cookie=cookie)
        assert status.startswith("200"), (status, page)
        return page

    def deliver(self) -> int:
        assert self.bot.deps.deliverer is not None
        return self.bot.deps.deliverer.deliver_due()

    def command(self, team: str, command: str, text: str, *, user: str | None = None, channel: str | None = None) -> Any:
        kso, _kd, pair_channel = self.people[team]
        body = command_body(
            command, text, user=user or kso, channel=channel or pair_channel, team=team, enterprise=self.enterprises.get(team)
        )
        return self.driver.send(body)

    def couple(self, team: str) -> None:
        """`/samspel koppla` by the KSO, Godkänn by the KD, all signed and with the workspace's team id."""
        kso, kd, channel = self.people[team]
        resp = self.command(team, "/samspel", f"koppla <@{kso}|anna> <@{kd}|bo>")
        assert resp.status == 200, resp.body
        self.deliver()
        question = next(
            m
            for m in reversed(self.slack.posted_to(dm(kd)))
            for b in m.get("blocks") or []
            for e in b.get("elements", [])
            if e.get("action_id") == PAIR_ACCEPT
        )
        proposal = next(e["value"] for b in question["blocks"] for e in b.get("elements", []) if e.get("action_id") == PAIR_ACCEPT)
        payload = block_action_payload(
            PAIR_ACCEPT, proposal, user=kd, channel=dm(kd), message_ts=question["ts"], team=team, enterprise=self.enterprises.get(team)
        )
        self.driver.send(interactive_body(payload))
        self.deliver()

    def event(self, team: str, event: dict[str, Any]) -> Any:
        resp = self.driver.send(event_body(event, team=team, enterprise=self.enterprises.get(team)), json_body=True)
        assert resp.status == 200
        return resp

    def uninstall(self, team: str) -> None:
        self.event(team, {"type": "app_uninstalled"})


def make_shared(
    slack: SlackServer,
    engine: Engine,
    clock: FakeClock,
    people: dict[str, tuple[str, str, str]] | None = None,
    enterprises: dict[str, str] | None = None,
    policy: DeliveryPolicy = FAST_RETRIES,
) -> Shared:
    """A distributed bot on `engine` against the fake Slack (the pair channels of `people` must exist there)."""
    # The fake Slack's rate limit runs on the bot's clock, as in World: time passes when the test says.
    slack.mock.use_clock(clock)
    bot = build(
        distributed_settings(slack, engine), clock=clock, engine=engine, process_before_response=True, policy=policy, catch_up=False
    )
    service = wsgi_app(bot.app, lambda: True, SIGNING_SECRET, metrics=bot.metrics.render if bot.metrics else None)
    return Shared(bot, service, slack, clock, people, enterprises)
