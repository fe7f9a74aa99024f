"""The SQL store leaves out the heads of what is paused, per workspace, and Home tabs when asked: on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from bot import db
from bot.outbox import enqueue
from bot.outbox.pacing import Paused
from bot.outbox.store import SqlOutboxStore

NOW = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_engine(request: pytest.FixtureRequest) -> Engine:
    return request.getfixturevalue("engine" if request.param == "sqlite" else "pg_engine")  # type: ignore[no-any-return]


def test_heads_skip_a_kind_paused_in_one_workspace_and_a_paused_workspace(any_engine: Engine) -> None:
    sessions = db.make_session_factory(any_engine)
    with db.transaction(sessions) as s:
        for team in ("TA", "TB", "TC"):
            enqueue(s, kind="home", now=NOW, user=f"U{team}", text="", team_id=team)
            enqueue(s, kind="post", now=NOW, channel=f"C{team}", text="hej", team_id=team)
    store = SqlOutboxStore(sessions)
    paused = Paused(kinds=frozenset({("TA", "home")}), workspaces=frozenset({"TC"}))
    heads = store.heads(NOW, limit=10, paused=paused)
    assert sorted((h.team, h.kind) for h in heads) == [("TA", "post"), ("TB", "home"), ("TB", "post")]
    assert len(store.heads(NOW, limit=10)) == 6
    # While its posts are in flight the deliverer asks without Home tabs (HOMES_AFTER_POSTS).
    assert sorted(h.kind for h in store.heads(NOW, limit=10, homes=False)) == ["post"] * 3
