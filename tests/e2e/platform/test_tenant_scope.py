"""One user id in two workspaces (an Enterprise Grid org, say), each with its own pair: every workspace sees only its own."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select

from bot.clock import FakeClock
from bot.models import AuditEntry, Pair, PairProposal
from handlers.ids import MEDDELA_ANGRA
from tests.support.signing import ephemeral_text, interactive_body, view_action_payload
from tests.support.slack_mock import SlackServer
from tests.support.tenants import T1, T2, Shared, make_shared

SAME = "USAME001"  # the KSO of both pairs
PEOPLE = {T1: (SAME, "UKD00001", "GPAIR001"), T2: (SAME, "UKD00002", "GPAIR002")}


@pytest.fixture
def shared(slack: SlackServer, engine: Engine, clock: FakeClock) -> Iterator[Shared]:
    for kso, kd, channel in PEOPLE.values():
        slack.mock.add_channel(channel, kso, kd)
    shared = make_shared(slack, engine, clock, PEOPLE)
    for team in (T1, T2):
        shared.install(team)
        shared.couple(team)
    shared.slack.calls.clear()
    yield shared


def homes(shared: Shared) -> list[tuple[str | None, str]]:
    """(token, the tab's text) of each Home tab published for SAME."""
    return [(c.token, json.dumps(c["view"], ensure_ascii=False)) for c in shared.slack.of("views.publish") if c["user_id"] == SAME]


def only_its_own(shared: Shared, team: str, token: str | None, view: str) -> bool:
    other = T2 if team == T1 else T1
    return token == shared.slack.token_of(team) and PEOPLE[team][2] in view and PEOPLE[other][2] not in view


@pytest.mark.parametrize("team", [T1, T2])
def test_each_workspace_s_home_tab_shows_only_its_pair_with_its_token(shared: Shared, team: str) -> None:
    shared.event(team, {"type": "app_home_opened", "user": SAME, "channel": "D0HOME", "tab": "home", "event_ts": "1.0"})
    shared.deliver()
    [(token, view)] = homes(shared)
    assert only_its_own(shared, team, token, view)
    # The welcome DM names the pair of this workspace only, and goes with its token.
    [welcome] = [c for c in shared.slack.posts if c["channel"] == "D" + SAME[1:]]
    assert welcome.token == shared.slack.token_of(team)
    assert PEOPLE[team][2] in json.dumps(welcome.params) and PEOPLE[T2 if team == T1 else T1][2] not in json.dumps(welcome.params)


def test_a_change_in_each_workspace_publishes_each_workspace_s_home_tab(shared: Shared) -> None:
    for team in (T1, T2):
        shared.command(team, "/uppdrag", f"Utred i {team}")
    shared.deliver()
    published = homes(shared)
    assert len(published) == 2, [token for token, _ in published]
    for team in (T1, T2):
        assert any(only_its_own(shared, team, token, view) for token, view in published), team


def test_a_stale_home_button_refreshes_only_that_workspace_s_tab(shared: Shared) -> None:
    # Ångra on a message that is no longer held (here: none with that number): the tab is refreshed instead.
    resp = shared.driver.send(interactive_body(view_action_payload(MEDDELA_ANGRA, "999999", user=SAME, team=T1)))
    assert resp.status == 200
    shared.deliver()
    [(token, view)] = homes(shared)
    assert only_its_own(shared, T1, token, view)


def test_the_calendar_command_looks_only_at_this_workspace_s_pairs(shared: Shared) -> None:
    assert "/kalender/" in ephemeral_text(shared.command(T1, "/samspel", "kalender"))
    # T2's KD has no pair in T1: asked there, Samspel has nothing to show, although T2 has a pair of theirs.
    refused = ephemeral_text(shared.command(T1, "/samspel", "kalender", user=PEOPLE[T2][1]))
    assert "inte med i något aktivt par" in refused and "/kalender/" not in refused


def test_the_same_channel_id_in_two_workspaces_each_has_its_live_pair(slack: SlackServer, any_engine: Engine, clock: FakeClock) -> None:
    same_channel = {T1: ("UKSO0001", "UKD00001", "GSAME001"), T2: ("UKSO0002", "UKD00002", "GSAME001")}
    slack.mock.add_channel("GSAME001", "UKSO0001", "UKD00001", "UKSO0002", "UKD00002")
    shared = make_shared(slack, any_engine, clock, same_channel)
    for team in (T1, T2):
        shared.install(team)
        shared.couple(team)
    with shared.bot.deps.uow() as session:
        live = session.execute(select(Pair.team_id, Pair.channel_id, Pair.status).order_by(Pair.team_id)).all()
    assert [tuple(row) for row in live] == [(T1, "GSAME001", "active"), (T2, "GSAME001", "active")]


def test_every_audit_line_carries_its_workspace_proposals_too(shared: Shared) -> None:
    shared.command(T2, "/samspel", "arbetstid 07:00-16:00")
    with shared.bot.deps.uow() as session:
        lines = session.execute(
            select(AuditEntry.entity, AuditEntry.entity_id, AuditEntry.pair_id, AuditEntry.team_id, AuditEntry.action)
        ).all()
        proposals = dict(session.execute(select(PairProposal.id, PairProposal.team_id)).all())
        pairs = dict(session.execute(select(Pair.id, Pair.team_id)).all())
    assert {line.action for line in lines} >= {"koppla_forslag", "koppla", "arbetstid"}
    for line in lines:
        owner = proposals[line.entity_id] if line.entity == "pair_proposal" else pairs[line.pair_id]
        assert line.team_id == owner, line
