"""Workspaces' tokens: Enterprise Grid installs, revoked tokens, refreshes in listeners and for idle workspaces, failed refreshes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from bot.clock import FakeClock
from bot.models import OutboxMessage, Pair
from bot.outbox import enqueue
from jobs import agenda as agenda_jobs
from jobs import tenants as tenant_jobs
from tests.support.signing import ephemeral_text
from tests.support.slack_mock import SlackServer
from tests.support.tenants import PEOPLE, T1, T2, Shared, dm, make_shared
from tests.support.world import local

T9, E9 = "T0009", "E0001"


def refreshes(shared: Shared) -> list[str]:
    """The refresh tokens Samspel spent (oauth.v2.access with grant_type refresh_token), in order."""
    return [str(c["refresh_token"]) for c in shared.slack.of("oauth.v2.access") if c.get("grant_type") == "refresh_token"]


def expire_soon(shared: Shared, team: str) -> None:
    """The workspace's token has an hour left (under the two hours' margin), as the installation store keeps it."""
    store = shared.bot.deps.installations
    assert store is not None
    installation = store.find_installation(enterprise_id=None, team_id=team)
    assert installation is not None and installation.bot_refresh_token
    installation.bot_token_expires_at = int(time.time()) + 3600
    store.save_rotated(installation)
    assert shared.bot.deps.clients is not None
    shared.bot.deps.clients.forget(team)  # what it cached was the token's twelve hours at install


@pytest.fixture
def two(slack: SlackServer, any_engine: Engine, clock: FakeClock) -> Iterator[Shared]:
    slack.mock.add_channel(PEOPLE[T2][2], PEOPLE[T2][0], PEOPLE[T2][1])
    slack.mock.rotation = True
    shared = make_shared(slack, any_engine, clock)
    for team in (T1, T2):
        shared.install(team)
        shared.couple(team)
    shared.slack.calls.clear()
    yield shared


def test_a_job_s_message_in_an_enterprise_grid_workspace_goes_with_that_workspace_s_token(
    slack: SlackServer, any_engine: Engine, clock: FakeClock
) -> None:
    people = {T9: ("UKSO0009", "UKD00009", "GPAIR009")}
    slack.mock.add_channel("GPAIR009", "UKSO0009", "UKD00009")
    shared = make_shared(slack, any_engine, clock, people, enterprises={T9: E9})
    shared.install(T9)
    shared.couple(T9)
    with shared.bot.deps.uow() as session:
        pair = session.scalar(select(Pair))
        assert pair is not None and (pair.team_id, pair.enterprise_id) == (T9, E9)
    shared.slack.calls.clear()
    # The Monday agenda is a job's: no request tells it the workspace or the org.
    clock.set(local("2026-11-30 08:00"))
    agenda_jobs.agenda_tick(shared.bot.deps)
    shared.deliver()
    posts = [c for c in shared.slack.posts if c["channel"] == "GPAIR009"]
    assert posts and {c.token for c in posts} == {shared.slack.token_of(T9)}
    with shared.bot.deps.uow() as session:
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "GPAIR009")).all()
        assert rows and {(r.team_id, r.enterprise_id, r.status) for r in rows} == {(T9, E9, "sent")}


def test_tokens_revoked_cancels_what_waits_deletes_the_installation_and_pauses_the_pairs(two: Shared, clock: FakeClock) -> None:
    token1 = two.slack.token_of(T1)
    clock.set(local("2026-11-23 20:00"))  # outside working time: the message waits
    two.command(T1, "/meddela", "Vi ses i morgon")
    with two.bot.deps.uow() as session:
        waiting = [
            r.id for r in session.scalars(select(OutboxMessage).where(OutboxMessage.team_id == T1, OutboxMessage.status == "pending"))
        ]
    assert waiting
    two.event(T1, {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["UBOT"]}})
    two.slack.revoke(T1)
    store = two.bot.deps.installations
    assert store is not None and store.find_installation(enterprise_id=None, team_id=T1) is None
    assert store.find_installation(enterprise_id=None, team_id=T2) is not None
    with two.bot.deps.uow() as session:
        for row_id in waiting:
            row = session.get(OutboxMessage, row_id)
            assert row is not None and row.status == "cancelled" and "tokens_revoked" in (row.last_error or "")
        statuses = {p.team_id: (p.status, p.status_reason) for p in session.scalars(select(Pair))}
    assert statuses == {T1: ("paused", "uninstalled"), T2: ("active", None)}

    two.slack.calls.clear()
    clock.set(local("2026-11-24 10:00"))
    two.command(T1, "/uppdrag", "Något mer")
    two.command(T2, "/uppdrag", "Nästa i T0002")
    two.deliver()
    assert all(c.token != token1 for c in two.slack.calls)
    assert [c["channel"] for c in two.slack.posts] == [dm(PEOPLE[T2][1])]


def test_a_user_token_revoked_changes_nothing(two: Shared) -> None:
    two.event(T1, {"type": "tokens_revoked", "tokens": {"oauth": ["UINSTALL"], "bot": []}})
    store = two.bot.deps.installations
    assert store is not None and store.find_installation(enterprise_id=None, team_id=T1) is not None


def test_a_command_refreshes_a_token_near_expiry_through_slack_api_url(two: Shared) -> None:
    expire_soon(two, T1)
    old = two.slack.token_of(T1)
    answer = ephemeral_text(two.command(T1, "/uppdrag", "lista"))
    assert "Något gick fel" not in answer
    assert [token.startswith(f"xoxe-{T1}-") for token in refreshes(two)] == [True]
    new = two.slack.token_of(T1)
    assert new != old
    store = two.bot.deps.installations
    assert store is not None
    installation = store.find_installation(enterprise_id=None, team_id=T1)
    assert installation is not None and installation.bot_token == new
    # What the command caused goes with the new token.
    two.command(T1, "/uppdrag", "Efter förnyelsen")
    two.deliver()
    assert {c.token for c in two.slack.posts} == {new}


def test_the_tokens_job_refreshes_an_idle_workspace_and_leaves_a_fresh_one(two: Shared) -> None:
    expire_soon(two, T2)
    assert tenant_jobs.refresh_tokens(two.bot.deps) == 2
    assert [token.startswith(f"xoxe-{T2}-") for token in refreshes(two)] == [True]
    store = two.bot.deps.installations
    assert store is not None
    installation = store.find_installation(enterprise_id=None, team_id=T2)
    assert installation is not None and installation.bot_token == two.slack.token_of(T2)
    assert tenant_jobs.refresh_tokens(two.bot.deps) == 2
    assert len(refreshes(two)) == 1  # now fresh: not again


def test_a_failing_refresh_is_tried_once_a_pass_and_other_workspaces_go_on(two: Shared, clock: FakeClock) -> None:
    expire_soon(two, T1)
    expire_soon(two, T2)
    old1 = two.slack.token_of(T1)
    # T1's refresh token no longer works (Slack answers invalid_refresh_token); T2's does.
    two.slack.refresh_tokens = {token: team for token, team in two.slack.refresh_tokens.items() if team != T1}
    clock.advance(timedelta(minutes=1))  # the channels' pace is back to a full burst (three posts)
    with two.bot.deps.uow() as session:
        pairs = {p.team_id: p.id for p in session.scalars(select(Pair))}
        # Several posts in each workspace, queued as a job queues them (no request refreshes anything first).
        for team in (T1, T2):
            for n in range(3):
                enqueue(session, kind="post", now=clock.now(), channel=PEOPLE[team][2], pair_id=pairs[team], text=f"{team} {n}")
    two.deliver()
    assert len([token for token in refreshes(two) if token.startswith(f"xoxe-{T1}-")]) == 1
    tokens = {channel: {c.token for c in two.slack.posts if c["channel"] == channel} for channel in (PEOPLE[T1][2], PEOPLE[T2][2])}
    # T2 refreshed and sent with its new token; T1 kept its current one, which still works, and sent too.
    assert tokens == {PEOPLE[T1][2]: {old1}, PEOPLE[T2][2]: {two.slack.token_of(T2)}}
    assert len(two.slack.posts) == 6
    # The next pass, soon after, does not ask Slack again for T1.
    clock.advance(timedelta(minutes=1))
    with two.bot.deps.uow() as session:
        enqueue(session, kind="post", now=clock.now(), channel=PEOPLE[T1][2], pair_id=pairs[T1], text="igen")
    two.deliver()
    assert len(two.slack.posts) == 7
    assert len([token for token in refreshes(two) if token.startswith(f"xoxe-{T1}-")]) == 1
