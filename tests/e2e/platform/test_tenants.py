"""Many kommuner, one service: OAuth installs, a token per workspace, uninstall, and erasing a workspace."""

from __future__ import annotations

import io
import json
import logging
import re
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import Engine, func, inspect, select, text

from bot import cli
from bot.adapters.logs import JsonFormatter
from bot.clock import FakeClock
from bot.manifest import manifest
from bot.models import AuditEntry, OutboxMessage, Pair, PairProposal, Person, UserName
from bot.outbox import enqueue
from bot.settings import SettingsError, load_settings
from handlers.ids import PAIR_LEAVE
from jobs import retention as retention_jobs
from jobs import tenants as tenant_jobs
from tests.support.signing import block_action_payload, ephemeral_text, interactive_body
from tests.support.slack_mock import SlackServer
from tests.support.tenants import PEOPLE, T1, T2, Shared, dm, make_shared
from tests.support.world import FAST_RETRIES


@pytest.fixture
def shared(slack: SlackServer, engine: Engine, clock: FakeClock) -> Iterator[Shared]:
    slack.mock.add_channel(PEOPLE[T2][2], PEOPLE[T2][0], PEOPLE[T2][1])
    yield make_shared(slack, engine, clock)


def test_install_stores_the_workspace_and_its_token_never_reaches_a_log(
    shared: Shared, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    shared.install(T1)
    [exchange] = shared.slack.of("oauth.v2.access")
    assert exchange["code"] == f"code-{T1}"
    assert exchange.get("redirect_uri") == "https://samspel.example.se/slack/oauth_redirect"
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT team_id, bot_user_id, bot_token FROM slack_installations")).all()
        states = conn.scalar(text("SELECT count(*) FROM slack_oauth_states"))
    assert [(r[0], r[1]) for r in rows] == [(T1, "UBOT")]
    token = rows[0][2]
    assert token == shared.slack.token_of(T1)
    assert states == 0  # the state was used once and consumed
    assert token not in caplog.text


def test_a_replayed_or_forged_state_installs_nothing(shared: Shared, engine: Engine) -> None:
    status, _headers, _page = shared.get(
        "/slack/oauth_redirect", urlencode({"code": f"code-{T1}", "state": "forged"}), cookie="slack-app-oauth-state=forged"
    )
    assert not status.startswith("200")
    assert shared.slack.of("oauth.v2.access") == []
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM slack_installations")) == 0


def test_two_workspaces_each_with_its_own_token_and_uninstalling_one_leaves_the_other(shared: Shared) -> None:
    shared.install(T1)
    shared.install(T2)
    token1, token2 = shared.slack.token_of(T1), shared.slack.token_of(T2)
    assert token1 and token2 and token1 != token2
    shared.couple(T1)
    shared.couple(T2)
    with shared.bot.deps.uow() as session:
        assert {p.channel_id: p.team_id for p in session.scalars(select(Pair))} == {PEOPLE[T1][2]: T1, PEOPLE[T2][2]: T2}

    shared.slack.calls.clear()
    for team in (T1, T2):
        resp = shared.command(team, "/uppdrag", f"Utred ärende i {team} senast 2026-12-18")
        assert "är registrerat" in ephemeral_text(resp)
    shared.deliver()
    # Each KD hears of the uppdrag in a DM sent with their own workspace's token.
    by_channel = {c["channel"]: c.token for c in shared.slack.posts}
    assert by_channel[dm(PEOPLE[T1][1])] == token1
    assert by_channel[dm(PEOPLE[T2][1])] == token2
    # Every call made for a workspace carried that workspace's token, none the other's or none.
    assert {c.token for c in shared.slack.calls} == {token1, token2}

    # A workspace cannot see the other's pair: the T2 KSO in T1's channel id is refused.
    refused = shared.command(T2, "/uppdrag", "lista", channel=PEOPLE[T1][2])
    assert "Utred ärende i T0001" not in ephemeral_text(refused)

    # Something for T1 is waiting (outside working time) when T1 removes Samspel.
    shared.clock.set(shared.clock.now().replace(hour=20))
    shared.command(T1, "/meddela", "Vi ses i morgon")
    with shared.bot.deps.uow() as session:
        waiting = session.scalars(select(OutboxMessage).where(OutboxMessage.team_id == T1, OutboxMessage.status == "pending")).all()
        assert waiting
        waiting_ids = [row.id for row in waiting]
    shared.uninstall(T1)
    shared.slack.revoke(T1)
    with shared.bot.deps.uow() as session:
        for row_id in waiting_ids:
            row = session.get(OutboxMessage, row_id)
            assert row is not None and row.status == "cancelled"
            assert "app_uninstalled" in (row.last_error or "")
        pair1 = session.scalar(select(Pair).where(Pair.team_id == T1))
        assert pair1 is not None and (pair1.status, pair1.status_reason) == ("paused", "uninstalled")
        assert session.execute(text("SELECT count(*) FROM slack_installations WHERE team_id = :t"), {"t": T1}).scalar() == 0

    shared.slack.calls.clear()
    shared.clock.set(shared.clock.now() + timedelta(days=1))
    shared.clock.set(shared.clock.now().replace(hour=10))
    shared.command(T1, "/uppdrag", "Något mer")
    shared.command(T2, "/uppdrag", "Nästa uppdrag i T0002")
    shared.deliver()
    assert all(c.token != token1 for c in shared.slack.calls)
    assert [c["channel"] for c in shared.slack.posts] == [dm(PEOPLE[T2][1])]
    assert all(c.token == token2 for c in shared.slack.posts)


def test_reinstall_within_grace_restores_the_pairs_and_later_they_are_erased(shared: Shared) -> None:
    shared.install(T1)
    shared.couple(T1)
    shared.uninstall(T1)
    shared.install(T1)
    with shared.bot.deps.uow() as session:
        pair = session.scalar(select(Pair).where(Pair.team_id == T1))
        assert pair is not None and pair.status == "active" and pair.status_reason is None
    shared.slack.calls.clear()
    shared.command(T1, "/uppdrag", "Efter återinstallationen")
    shared.deliver()
    assert {c.token for c in shared.slack.posts} == {shared.slack.token_of(T1)}

    shared.uninstall(T1)
    deps = shared.bot.deps
    shared.clock.set(shared.clock.now() + timedelta(days=29))
    assert tenant_jobs.erase_uninstalled(deps) == []
    shared.clock.set(shared.clock.now() + timedelta(days=2))
    assert tenant_jobs.erase_uninstalled(deps) == [T1]
    assert tenant_jobs.erase_uninstalled(deps) is None  # once a day
    with deps.uow() as session:
        assert session.scalar(select(func.count()).select_from(Pair)) == 0


def _rows_of(engine: Engine, team: str, pair_ids: list[int]) -> dict[str, int]:
    """Rows of every table (ours and slack_sdk's) that carry the workspace's team_id or one of its pairs' ids."""
    found: dict[str, int] = {}
    inspector = inspect(engine)
    with engine.connect() as conn:
        for table in inspector.get_table_names():
            columns = {c["name"] for c in inspector.get_columns(table)}
            where = []
            if "team_id" in columns:
                where.append(f"team_id = '{team}'")
            if "pair_id" in columns and pair_ids:
                where.append(f"pair_id IN ({', '.join(str(p) for p in pair_ids)})")
            if where:
                n = conn.scalar(text(f"SELECT count(*) FROM {table} WHERE {' OR '.join(where)}"))
                if n:
                    found[table] = n
    return found


def test_after_the_grace_period_nothing_of_the_workspace_is_left_and_nothing_more_reaches_it(shared: Shared, engine: Engine) -> None:
    kso, kd, channel = PEOPLE[T1]
    shared.install(T1)
    shared.install(T2)
    shared.couple(T2)
    # In T1: a pair that was dissolved, the pair after it in the same channel, a proposal that never became a pair,
    # and a person's own settings.
    shared.couple(T1)
    with shared.bot.deps.uow() as session:
        first = session.scalars(select(Pair.id).where(Pair.team_id == T1)).one()
    shared.command(T1, "/samspel", "lämna", user=kd)
    shared.driver.send(interactive_body(block_action_payload(PAIR_LEAVE, str(first), user=kd, channel=channel, team=T1)))
    shared.deliver()
    shared.couple(T1)
    shared.slack.add_channel("GPAIR009", kso, kd)
    assert shared.command(T1, "/samspel", f"koppla <@{kso}|anna> <@{kd}|bo>", channel="GPAIR009").status == 200
    shared.command(T1, "/samspel", "språk en", user=kd)
    shared.command(T1, "/uppdrag", "Utred taxorna")
    shared.deliver()
    with shared.bot.deps.uow() as session:
        t1_pairs = list(session.scalars(select(Pair.id).where(Pair.team_id == T1)))
        assert len(t1_pairs) == 2
    token1, token2 = shared.slack.token_of(T1), shared.slack.token_of(T2)
    assert _rows_of(engine, T1, t1_pairs)

    shared.uninstall(T1)
    shared.slack.revoke(T1)
    shared.slack.calls.clear()
    deps = shared.bot.deps
    shared.clock.set(shared.clock.now() + timedelta(days=35))  # Monday 28 Dec 10:00
    assert tenant_jobs.erase_uninstalled(deps) == [T1]
    shared.deliver()
    for job in (tenant_jobs.erase_uninstalled, retention_jobs.daily, retention_jobs.homes):
        job(deps)
    shared.deliver()
    # Nothing more reached T1: no call with its (revoked) token, none without a token, no Home tab.
    assert [(c.method, c.token) for c in shared.slack.calls if c.token != token2] == []
    assert _rows_of(engine, T1, t1_pairs) == {}
    with deps.uow() as session:
        assert session.scalars(select(Person.user_id).where(Person.user_id.in_((kso, kd)))).all() == []
        assert session.scalars(select(UserName.user_id).where(UserName.user_id.in_((kso, kd)))).all() == []
        assert session.scalars(select(PairProposal)).all() != []  # T2's
        # What stays is the record that the erasure happened: no one named in it.
        lines = session.scalars(select(AuditEntry).where(AuditEntry.pair_id.is_(None))).all()
        assert {e.action for e in lines} == {"radera_par", "radera_arbetsyta", "koppla_forslag"}
        for e in lines:
            assert e.action == "koppla_forslag" or not {kso, kd, channel} & set(json.dumps(e.after).split('"'))
        assert [e.after["team_id"] for e in lines if e.action == "koppla_forslag"] == [T2]  # type: ignore[index]
    # T2 goes on.
    shared.command(T2, "/uppdrag", "Nästa uppdrag i T0002")
    shared.deliver()
    assert {c.token for c in shared.slack.posts} == {token2}
    assert token1 not in {c.token for c in shared.slack.calls}


def test_metrics_report_installations_outbox_and_sends(shared: Shared) -> None:
    shared.install(T1)
    shared.couple(T1)
    status, headers, body = shared.get("/metrics")
    assert status.startswith("200") and headers["content-type"].startswith("text/plain")
    assert "samspel_installations 1.0" in body
    assert re.search(r'samspel_slack_calls_total\{method="chat.postMessage"\} [1-9]', body)
    assert "samspel_outbox_pending" in body and "samspel_outbox_oldest_due_age_seconds" in body


def test_erase_team_prints_what_goes_then_erases(shared: Shared, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    shared.install(T1)
    shared.couple(T1)
    shared.install(T2)
    shared.couple(T2)
    # The CLI reads the database from the environment; without it, it would open ./samspel.db.
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    out = io.StringIO()
    code = cli.main(["erase", "--team", T1], out=out, err=io.StringIO(), inp=io.StringIO("nej\n"))
    assert code == 1 and "arbetsytan T0001" in out.getvalue() and "par" in out.getvalue()
    with shared.bot.deps.uow() as session:
        assert sorted(p.team_id for p in session.scalars(select(Pair))) == [T1, T2]  # "nej" erased nothing
    with shared.bot.deps.uow() as session:
        t1_pairs = list(session.scalars(select(Pair.id).where(Pair.team_id == T1)))
    out = io.StringIO()
    code = cli.main(["erase", "--team", T1, "--yes", "--actor", "it"], out=out, err=io.StringIO())
    assert code == 0, out.getvalue()
    assert "installationer 2" in out.getvalue()  # slack_sdk's installation and bot rows: Samspel stops working there
    with shared.bot.deps.uow() as session:
        assert [p.team_id for p in session.scalars(select(Pair))] == [T2]
        # Its installation went too, so no fresh Home tab was queued for its people.
        assert session.scalars(select(OutboxMessage).where(OutboxMessage.user == PEOPLE[T1][0])).all() == []
    assert _rows_of(engine, T1, t1_pairs) == {}
    out = io.StringIO()
    assert cli.main(["erase", "--list"], out=out, err=io.StringIO()) == 0
    assert f"Arbetsytan {T1} raderades (par: {t1_pairs[0]}): " in out.getvalue()


def test_manifest_for_a_distributed_app() -> None:
    m = manifest("https://samspel.example.se", distributed=True)
    assert m["oauth_config"]["redirect_urls"] == ["https://samspel.example.se/slack/oauth_redirect"]
    assert m["settings"]["event_subscriptions"]["request_url"] == "https://samspel.example.se/slack/events"
    assert {"app_uninstalled", "tokens_revoked"} <= set(m["settings"]["event_subscriptions"]["bot_events"])
    assert m["settings"]["socket_mode_enabled"] is False and m["settings"]["token_rotation_enabled"] is True
    out = io.StringIO()
    assert cli.main(["manifest", "--distributed", "--url", "https://samspel.example.se"], out=out) == 0
    assert json.loads(out.getvalue())["oauth_config"]["redirect_urls"]


@pytest.mark.parametrize(
    "env, word",
    [
        ({"SLACK_CLIENT_ID": "1.2"}, "SLACK_CLIENT_SECRET"),
        ({"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "s"}, "SLACK_SIGNING_SECRET"),
        (
            {"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "s", "SLACK_SIGNING_SECRET": "x", "SLACK_APP_TOKEN": "xapp-1"},
            "SLACK_APP_TOKEN",
        ),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_CLIENT_ID": "1.2", "SLACK_SIGNING_SECRET": "x"}, "SLACK_BOT_TOKEN"),
    ],
)
def test_a_bad_mix_of_settings_is_one_line(env: dict[str, str], word: str) -> None:
    with pytest.raises(SettingsError) as err:
        load_settings(env)
    assert word in str(err.value) and "\n" not in str(err.value)


def test_serve_http_with_an_app_token_in_distributed_mode_is_one_line_and_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    env = {"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "s", "SLACK_SIGNING_SECRET": "x", "SLACK_APP_TOKEN": "xapp-1"}
    for key in ("SLACK_BOT_TOKEN", "DATABASE_URL"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    err = io.StringIO()
    # Stops at the settings, before any port, database or Slack is touched.
    assert cli.main(["serve", "--http"], out=io.StringIO(), err=err) == 2
    line = err.getvalue().strip()
    assert "SLACK_APP_TOKEN" in line and "\n" not in line


def test_a_rotating_token_near_expiry_is_refreshed_before_it_is_used(slack: SlackServer, shared: Shared) -> None:
    shared.slack.rotation = True
    shared.install(T1)
    shared.couple(T1)
    first = shared.slack.token_of(T1)
    clients = shared.bot.deps.clients
    assert clients is not None

    # Eleven of the token's twelve hours have passed: less than the two hours' margin is left
    # (until it is refreshed: the new token's twelve hours start at real time).
    def clock() -> float:
        refreshed = any(c.get("grant_type") == "refresh_token" for c in shared.slack.of("oauth.v2.access"))
        return time.time() + (0 if refreshed else 11 * 3600)

    clients.clock = clock
    shared.slack.calls.clear()
    shared.command(T1, "/uppdrag", "Efter elva timmar")
    shared.deliver()
    [refresh] = [c for c in shared.slack.of("oauth.v2.access") if c.get("grant_type") == "refresh_token"]
    second = shared.slack.token_of(T1)
    assert second != first
    assert {c.token for c in shared.slack.posts} == {second}
    # The idle-workspace job finds it fresh now and refreshes nothing more.
    assert tenant_jobs.refresh_tokens(shared.bot.deps) == 1
    assert len(shared.slack.of("oauth.v2.access")) == 1
    assert refresh["refresh_token"].startswith("xoxe-")


class JsonLines(logging.Handler):
    """Every log line as SAMSPEL_LOG_FORMAT=json writes it, formatted on the thread that logs it."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.setFormatter(JsonFormatter())
        self.lines: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.format(record)))


@pytest.fixture
def json_lines() -> Iterator[JsonLines]:
    handler = JsonLines()
    root = logging.getLogger()
    level, root.level = root.level, logging.INFO
    root.addHandler(handler)
    yield handler
    root.removeHandler(handler)
    root.level = level


def test_json_log_lines_of_a_delivery_carry_each_row_s_own_ids(
    slack: SlackServer, engine: Engine, clock: FakeClock, json_lines: JsonLines
) -> None:
    slack.mock.add_channel(PEOPLE[T2][2], PEOPLE[T2][0], PEOPLE[T2][1])
    shared = make_shared(slack, engine, clock, policy=replace(FAST_RETRIES, workers=4))
    for team in (T1, T2):
        shared.install(team)
        shared.couple(team)
    clock.advance(timedelta(minutes=1))
    with shared.bot.deps.uow() as session:
        pairs = {p.team_id: p.id for p in session.scalars(select(Pair))}
        for n in range(3):
            for team in (T1, T2):
                enqueue(session, kind="post", now=clock.now(), channel=PEOPLE[team][2], pair_id=pairs[team], text=f"{team} {n}")
    # Each refusal is a line about its row: "outbox N rate limited …", "outbox N attempt 1 failed …".
    shared.slack.fail_next("chat.postMessage", "429", times=2)
    shared.slack.fail_next("chat.postMessage", "500", times=2)
    json_lines.lines.clear()
    for _ in range(5):  # the rate-limited rows go when the pause is over
        shared.deliver()
        clock.advance(timedelta(seconds=2))
    with shared.bot.deps.uow() as session:
        rows = {row.id: (row.team_id, row.pair_id) for row in session.scalars(select(OutboxMessage))}
    about_a_row = [(int(m.group(1)), line) for line in json_lines.lines if (m := re.match(r"outbox (\d+)\b", line["message"]))]
    assert sum("rate limited" in line["message"] for _, line in about_a_row) >= 2
    assert sum("attempt 1 failed" in line["message"] for _, line in about_a_row) >= 2
    for row_id, line in about_a_row:
        assert (line.get("outbox_id"), line.get("team_id"), line.get("pair_id")) == (row_id, *rows[row_id]), line
    shared.slack.reset()


def test_json_log_lines_of_a_request_carry_its_workspace_and_pair(shared: Shared, json_lines: JsonLines) -> None:
    shared.install(T2)
    shared.couple(T2)
    with shared.bot.deps.uow() as session:
        pair_id = session.scalar(select(Pair.id).where(Pair.team_id == T2))
    shared.slack.fail_next("views.open", "500")
    json_lines.lines.clear()
    shared.command(T2, "/spelregler", "uppdatera")
    [line] = [line for line in json_lines.lines if line["message"].startswith("views.open failed")]
    assert (line["team_id"], line["pair_id"]) == (T2, pair_id) and "outbox_id" not in line
