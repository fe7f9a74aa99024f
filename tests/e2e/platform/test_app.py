"""The running bot: request signatures, HTTP mode with /healthz, the scheduler, settings and manifest."""

from __future__ import annotations

import io
import json
import logging
import threading
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.cli import main
from bot.models import Pair, PairProposal
from bot.outbox import enqueue
from bot.server import make_http_server
from bot.settings import SettingsError, load_settings
from jobs import Job, make_scheduler
from tests.support.paths import ROOT
from tests.support.signing import command_body, signed_headers
from tests.support.world import CHANNEL, KD, KSO, World


def pairs_count(world: World) -> int:
    with world.sessions() as s:
        return s.scalar(select(func.count(Pair.id))) or 0


@pytest.mark.parametrize("how", ["unsigned", "bad signature", "five minutes old"])
def test_unsigned_or_stale_requests_get_401_and_store_nothing(world: World, how: str) -> None:
    body = command_body("/samspel", f"koppla <@{KSO}> <@{KD}>", user=KSO, channel=CHANNEL)
    if how == "unsigned":
        resp = world.driver.send(body, sign=False)
    elif how == "bad signature":
        world.driver.secret = "wrong-secret"
        resp = world.driver.send(body)
    else:
        resp = world.driver.send(body, timestamp=int(time.time()) - 301)
    assert resp.status == 401
    assert pairs_count(world) == 0


def _http(url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def test_http_mode_serves_events_and_health(world: World) -> None:
    healthy = {"db": True}
    server = make_http_server(world.bot.app, lambda: healthy["db"], port=0, host="127.0.0.1")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        status, body = _http(base + "/healthz")
        assert (status, json.loads(body)) == (200, {"status": "ok", "database": "ok"})
        healthy["db"] = False
        status, body = _http(base + "/healthz")
        assert (status, json.loads(body)["database"]) == (503, "unavailable")
        body = command_body("/samspel", f"koppla <@{KSO}|anna> <@{KD}|bo>", user=KSO, channel=CHANNEL)
        headers = {k: v[0] for k, v in signed_headers(body).items()}
        status, answer = _http(base + "/slack/events", body.encode(), headers)
        assert status == 200 and "Förslaget är skickat" in json.loads(answer)["text"]
        assert _http(base + "/slack/events", body.encode(), {"content-type": "application/x-www-form-urlencoded"})[0] == 401
        assert _http(base + "/other")[0] == 404
    finally:
        server.shutdown()
        server.server_close()
    with world.sessions() as s:  # a proposal, not yet a pair
        assert s.scalar(select(func.count(PairProposal.id))) == 1 and pairs_count(world) == 0


def test_real_scheduler_delivers_the_outbox(world: World) -> None:
    with world.sessions() as s:
        enqueue(s, kind="post", now=world.clock.now(), channel=CHANNEL, text="via scheduler")
    scheduler = make_scheduler(world.bot.deps)
    scheduler.start()
    try:
        deadline = time.monotonic() + 10
        while not world.slack.posts and time.monotonic() < deadline:
            time.sleep(0.05)
        jobs = {j.id: j for j in scheduler.get_jobs()}
    finally:
        scheduler.shutdown(wait=True)
    assert [c["text"] for c in world.slack.posts] == ["via scheduler"]
    assert {"outbox"} <= set(jobs)
    assert all(j.coalesce and j.misfire_grace_time >= 30 and j.max_instances == 1 for j in jobs.values())


def test_kick_wakes_delivery_before_the_next_tick(world: World) -> None:
    world.bot.scheduler.start()
    try:
        world.bot.scheduler.get_job("outbox").modify(next_run_time=world.bot.scheduler.get_job("outbox").next_run_time + timedelta(hours=1))
        with world.sessions() as s:
            enqueue(s, kind="post", now=world.clock.now(), channel=CHANNEL, text="kicked")
        world.bot.deps.kick()
        deadline = time.monotonic() + 10
        while not world.slack.posts and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        world.bot.stop()
    assert [c["text"] for c in world.slack.posts] == ["kicked"]


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_BOT_TOKEN": "nope", "SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "PORT": "http"}, "PORT"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "SAMSPEL_TIMEZONE": "Mars/Olympus"}, "SAMSPEL_TIMEZONE"),
    ],
)
def test_bad_settings_name_the_variable(env: dict[str, str], variable: str) -> None:
    with pytest.raises(SettingsError, match=variable):
        load_settings(env)


def test_socket_mode_needs_no_signing_secret() -> None:
    settings = load_settings({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"})
    assert settings.socket_mode and settings.api_url == "https://slack.com/api/"


def test_cli_missing_token_is_one_line_exit_2(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no .env here
    err = io.StringIO()
    assert main([], err=err) == 2
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 1 and "SLACK_BOT_TOKEN" in lines[0] and "manifest" in lines[0]
    assert "Traceback" not in err.getvalue()


def test_cli_bad_arguments_exit_2(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    err = io.StringIO()
    assert main(["export", "--pair", "x"], err=err) == 2
    assert len(err.getvalue().strip().splitlines()) == 1


def test_cli_unknown_pair_exit_2(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    err = io.StringIO()
    assert main(["export", "--pair", "99"], err=err) == 2
    assert "99" in err.getvalue()


def test_db_upgrade_creates_schema(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'up.db'}")
    out = io.StringIO()
    assert main(["db", "upgrade"], out=out) == 0
    assert main(["db", "upgrade"], out=out) == 0  # idempotent
    assert (tmp_path / "up.db").exists()


def test_manifest_has_every_command_shortcut_and_socket_mode() -> None:
    out = io.StringIO()
    assert main(["manifest"], out=out) == 0
    manifest = json.loads(out.getvalue())
    commands = {c["command"] for c in manifest["features"]["slash_commands"]}
    assert commands == {"/samspel", "/uppdrag", "/arende", "/meddela", "/agenda", "/spelregler"}
    assert all(c["should_escape"] for c in manifest["features"]["slash_commands"])
    assert manifest["features"]["shortcuts"][0]["name"] == "Skicka med Samspel"
    assert manifest["features"]["shortcuts"][0]["type"] == "message"
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert "app_home_opened" in manifest["settings"]["event_subscriptions"]["bot_events"]
    assert {"commands", "chat:write", "im:write", "im:history", "groups:history"} <= set(manifest["oauth_config"]["scopes"]["bot"])


def test_manifest_for_http_mode_has_request_urls() -> None:
    out = io.StringIO()
    main(["manifest", "--url", "https://samspel.example.se/slack/events"], out=out)
    manifest = json.loads(out.getvalue())
    assert manifest["settings"]["socket_mode_enabled"] is False
    assert manifest["settings"]["interactivity"]["request_url"].endswith("/slack/events")
    assert all(c["url"].endswith("/slack/events") for c in manifest["features"]["slash_commands"])


def test_socket_mode_uses_slack_api_url(monkeypatch: pytest.MonkeyPatch, tmp_path, slack) -> None:  # type: ignore[no-untyped-def]
    """The Socket Mode client asks our SLACK_API_URL for its connection (the fake refuses it)."""
    monkeypatch.chdir(tmp_path)
    for key, value in {
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_APP_TOKEN": "xapp-test",
        "SLACK_API_URL": slack.url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'socket.db'}",
    }.items():
        monkeypatch.setenv(key, value)
    err = io.StringIO()
    assert main(["serve", "--socket"], err=err) == 2
    assert [c.method for c in slack.mock.calls][:2] == ["auth.test", "apps.connections.open"]
    assert "not_allowed_in_tests" in err.getvalue() and "Traceback" not in err.getvalue()


def test_secrets_stay_out_of_reprs_and_errors(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": "xoxb-secret-token",
            "SLACK_SIGNING_SECRET": "signing-secret-value",
            "DATABASE_URL": "postgresql+psycopg://samspel:db-password@127.0.0.1:1/samspel",
        }
    )
    shown = repr(settings)
    assert "xoxb-secret-token" not in shown and "signing-secret-value" not in shown and "db-password" not in shown
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://samspel:db-password@127.0.0.1:1/samspel")
    err = io.StringIO()
    assert main(["db", "upgrade"], err=err) == 2
    assert "DATABASE_URL" in err.getvalue() and "db-password" not in err.getvalue()
    assert len(err.getvalue().strip().splitlines()) == 1


def test_procfile_runs_both_modes_and_migrations() -> None:

    lines = dict(line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line.strip())
    assert lines == {"release": "python -m bot db upgrade", "web": "python -m bot serve --http", "worker": "python -m bot serve --socket"}


def test_http_mode_ignores_an_app_token() -> None:
    settings = load_settings({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "SLACK_SIGNING_SECRET": "s"}, mode="http")
    assert not settings.socket_mode
    with pytest.raises(SettingsError, match="SLACK_SIGNING_SECRET"):
        load_settings({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}, mode="http")


def test_language_is_sv_or_en() -> None:
    base = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}
    assert load_settings({**base, "SAMSPEL_LANGUAGE": "SV"}).language == "sv"
    assert load_settings({**base, "SAMSPEL_LANGUAGE": "en"}).language == "en"
    with pytest.raises(SettingsError, match="SAMSPEL_LANGUAGE"):
        load_settings({**base, "SAMSPEL_LANGUAGE": "fi"})


def test_manifest_fits_slacks_schema_and_asks_only_for_used_scopes() -> None:
    """Limits from Slack's manifest schema (v1); scopes: every Web API method we call, nothing more."""
    out = io.StringIO()
    main(["manifest"], out=out)
    manifest = json.loads(out.getvalue())
    info = manifest["display_information"]
    assert 1 <= len(info["name"]) <= 35 and 1 <= len(info["description"]) <= 140
    assert 175 <= len(info["long_description"]) <= 4000
    for command in manifest["features"]["slash_commands"]:
        assert command["command"].startswith("/") and len(command["command"]) <= 32
        assert 1 <= len(command["description"]) <= 100 and 1 <= len(command["usage_hint"]) <= 1000
    for shortcut in manifest["features"]["shortcuts"]:
        assert len(shortcut["name"]) <= 24 and len(shortcut["description"]) <= 150 and len(shortcut["callback_id"]) <= 255
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == {
        "commands",
        "chat:write",
        "im:write",
        "im:history",
        "groups:history",
        "channels:history",
        "groups:read",
        "channels:read",
        "im:read",  # conversations.info in a DM (the koppla refusal), as the fake asks per conversation type
        "mpim:read",
        "users:read",
        "canvases:write",
        "files:write",
    }
    assert {"member_left_channel", "member_joined_channel"} <= set(manifest["settings"]["event_subscriptions"]["bot_events"])


def test_dotenv_is_read_from_the_working_directory(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "PORT"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=xoxb-from-dotenv\nSLACK_SIGNING_SECRET=s\nPORT=3999\n")
    monkeypatch.chdir(tmp_path)
    try:
        settings = load_settings()
        assert settings.bot_token == "xoxb-from-dotenv" and settings.port == 3999
    finally:
        for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "PORT"):
            monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("not a url", "går inte att tolka"),
        ("mysql://samspel:db-password@db/samspel", "mysql://"),
        ("postgresql+psycopg2://samspel:db-password@db/samspel", "postgresql+psycopg2://"),
        ("sqlite:////no/such/folder/samspel.db", "unable to open database file"),
    ],
)
def test_bad_database_url_is_one_line_exit_2(monkeypatch: pytest.MonkeyPatch, tmp_path, url: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    err = io.StringIO()
    assert main(["db", "upgrade"], err=err) == 2
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 1 and "DATABASE_URL" in lines[0] and expected in lines[0]
    assert "db-password" not in lines[0]


def test_heroku_style_postgres_url_is_accepted() -> None:
    settings = load_settings({"DATABASE_URL": "postgres://u:p@db:5432/samspel"}, require_slack=False)
    assert settings.database_url == "postgresql+psycopg://u:p@db:5432/samspel"


def _serve_env(monkeypatch: pytest.MonkeyPatch, tmp_path, api_url: str, port: int) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
    for key, value in {
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": "s",
        "SLACK_API_URL": api_url,
        "PORT": str(port),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
    }.items():
        monkeypatch.setenv(key, value)


def test_port_in_use_is_one_line_exit_2_before_anything_is_sent(monkeypatch: pytest.MonkeyPatch, tmp_path, slack) -> None:  # type: ignore[no-untyped-def]
    import socket

    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        _serve_env(monkeypatch, tmp_path, slack.url, port)
        err = io.StringIO()
        assert main(["serve", "--http"], err=err) == 2
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 1 and f"PORT={port}" in lines[0]
    assert slack.mock.calls == []  # the port is bound first, before even the token is checked


def test_slack_unreachable_is_one_line_exit_2(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import socket

    with socket.socket() as s, socket.socket() as free:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
        free.bind(("0.0.0.0", 0))  # the bot binds PORT before it calls Slack: not 3000, which may be taken here
        port = free.getsockname()[1]
    _serve_env(monkeypatch, tmp_path, f"http://127.0.0.1:{closed_port}/api/", port)
    monkeypatch.setenv("SAMSPEL_STARTUP_WAIT", "1")  # retried with backoff for a second, then given up
    err = io.StringIO()
    assert main(["serve", "--http"], err=err) == 2
    assert "SLACK_API_URL" in err.getvalue() and "Traceback" not in err.getvalue()
    assert len(err.getvalue().strip().splitlines()) == 1


def test_a_broken_database_gets_a_polite_answer_and_stores_nothing(paired: World) -> None:
    from sqlalchemy import text as sql

    with paired.sessions() as s:
        s.execute(sql("DROP TABLE uppdrag_fragor"))
        s.execute(sql("DROP TABLE uppdrag"))
    answer = paired.command("/uppdrag", "Utred simhallen")
    assert answer.status == 200
    from tests.support.signing import ephemeral_text

    assert ephemeral_text(answer) == "Något gick fel hos Samspel, så inget sparades. Försök igen om en stund."
    paired.deliver()
    assert paired.slack.posts == []


def test_a_bad_signature_is_logged_without_the_users_words(world: World, caplog: pytest.LogCaptureFixture) -> None:
    body = command_body("/meddela", "Hemligt om budgeten", user=KSO, channel=CHANNEL)
    world.driver.secret = "wrong-secret"
    # Bolt logs at WARNING by default; an operator who turns on INFO must still not see people's words.
    with caplog.at_level(logging.INFO, logger="slack_bolt.RequestVerification"):
        assert world.driver.send(body).status == 401
    assert "body withheld" in caplog.text and "Hemligt" not in caplog.text


def test_a_failing_job_logs_a_traceback_once_then_short_lines(caplog: pytest.LogCaptureFixture) -> None:
    from jobs import Job, _guarded

    def broken(_deps: object) -> None:
        raise RuntimeError("databasen svarar inte")

    run = _guarded(Job("trasig", 5, broken), None)  # type: ignore[arg-type]
    with caplog.at_level(logging.INFO):
        for _ in range(8):
            run()
    tracebacks = [r for r in caplog.records if r.exc_info]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(tracebacks) == 1
    assert [w.split("(")[1].split(" ")[0] for w in warnings] == ["2", "4", "8"]


def test_start_up_rides_out_slack_500s_and_429s(slack, engine, clock) -> None:  # type: ignore[no-untyped-def]
    """A Slack that answers 500 and 429 at start is asked again; the bot starts once it answers."""
    from tests.support.world import make_bot

    slack.mock.fail_next("auth.test", "500")
    slack.mock.fail_next("auth.test", "429", retry_after=1)
    bot = make_bot(slack, engine, clock)
    assert bot.deps.bot_user == "UBOT"
    assert [c.method for c in slack.mock.calls].count("auth.test") == 3


def test_a_bad_token_at_start_is_not_retried(slack, engine, clock) -> None:  # type: ignore[no-untyped-def]
    from slack_sdk.errors import SlackApiError

    from tests.support.world import make_bot

    original = slack.mock._answer
    slack.mock._answer = lambda method, p: {"ok": False, "error": "invalid_auth"} if method == "auth.test" else original(method, p)
    with pytest.raises(SlackApiError):
        make_bot(slack, engine, clock)
    assert [c.method for c in slack.mock.calls].count("auth.test") == 1


def test_work_due_on_whole_minutes_fires_at_second_zero(world: World) -> None:
    # An agenda due at 08:00 must not wait for a poll that happens to fire at 08:00:59.
    scheduler = make_scheduler(
        world.bot.deps, [Job("minutely", 60, lambda deps: None, on_the_minute=True), Job("polled", 60, lambda deps: None)], catch_up=False
    )
    jobs = {j.id: j for j in scheduler.get_jobs()}
    at = datetime(2026, 11, 23, 7, 0, 17, tzinfo=UTC)
    assert jobs["minutely"].trigger.get_next_fire_time(None, at) == datetime(2026, 11, 23, 7, 1, 0, tzinfo=UTC)
    polled = jobs["polled"].trigger.get_next_fire_time(None, at)
    assert polled is not None and polled > at


def test_the_agenda_the_radsmote_and_talk_reminders_fire_on_the_minute(world: World) -> None:
    jobs = {j.id: j for j in make_scheduler(world.bot.deps, catch_up=False).get_jobs()}
    at = datetime(2026, 11, 30, 6, 59, 59, 500000, tzinfo=UTC)  # 07:59:59.5 in Stockholm, Monday
    for job_id in ("agenda", "radsmote", "samtal"):
        assert jobs[job_id].trigger.get_next_fire_time(None, at) == datetime(2026, 11, 30, 7, 0, tzinfo=UTC), job_id
