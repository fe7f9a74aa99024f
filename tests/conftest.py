"""Shared fixtures: a real Bolt app on a real database, a fake Slack Web API, a fake clock.

The helpers they use (World, couple, the people and channels) live in tests/support/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from bot import db
from bot.clock import FakeClock
from bot.manifest import BOT_SCOPES
from bot.models import OutboxMessage
from tests.support.signing import SlackDriver
from tests.support.slack_mock import SlackServer
from tests.support.world import (
    CHANNEL,
    CHANNEL2,
    KD,
    KD2,
    KSO,
    KSO2,
    OUTSIDER,
    PG_URL,
    RADSMOTE,
    World,
    _fresh_postgres,
    _sqlite_copy,
    couple,
    local,
    make_bot,
    needs_pg,
)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = db.make_engine(f"sqlite:///{path}")
    db.upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=needs_pg)])
def any_engine(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[Engine]:
    """The same test on SQLite and, where TEST_DATABASE_URL is set, on PostgreSQL."""
    if request.param == "postgresql":
        engine = _fresh_postgres(PG_URL or "")
    else:
        engine = _sqlite_copy(tmp_path, sqlite_template)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(tmp_path: Path, sqlite_template: Path) -> Iterator[Engine]:
    engine = _sqlite_copy(tmp_path, sqlite_template)
    yield engine
    engine.dispose()


@pytest.fixture
def pg_engine() -> Iterator[Engine]:
    if not PG_URL:
        pytest.skip("TEST_DATABASE_URL is not set")
    engine = _fresh_postgres(PG_URL)
    yield engine
    engine.dispose()


@pytest.fixture
def slack() -> Iterator[SlackServer]:
    with SlackServer() as server:
        # The private pair channels and a public rådsmöte channel the tests use; Samspel is in each.
        # The token has exactly the scopes the manifest asks for: a call needing another answers missing_scope.
        server.mock.scopes = frozenset(BOT_SCOPES)
        server.mock.add_channel(CHANNEL, KSO, KD)
        server.mock.add_channel(CHANNEL2, KSO, KD, KSO2, KD2)
        server.mock.add_channel(RADSMOTE, KSO, KD, OUTSIDER, kind="public")
        yield server
    # Slack refused a payload as too large or malformed: a bug in what the bot built, even if
    # the outbox's plain-text fallback then delivered it. A test that means it empties the list.
    assert not server.mock.refused, f"Slack refused: {server.mock.refused}"
    # The bot keeps each channel's pace, so Slack's own rate limit never has to answer 429.
    assert not server.mock.rate_limited, f"Slack rate limited: {dict(server.mock.rate_limited)}"


@pytest.fixture
def clock() -> FakeClock:
    # A Monday morning inside working hours.
    return FakeClock(local("2026-11-23 10:00"))


@pytest.fixture
def world(slack: SlackServer, engine: Engine, clock: FakeClock) -> World:
    bot = make_bot(slack, engine, clock)
    return World(bot=bot, slack=slack.mock, clock=clock, driver=SlackDriver(bot.app))


@pytest.fixture(autouse=True)
def _swedish_by_default(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts with no SAMSPEL_LANGUAGE (Swedish), whatever the shell running it says.

    A test parametrised with `@pytest.mark.parametrize("language", ["sv", "en"])` runs with that
    SAMSPEL_LANGUAGE from the start, before `world` or `paired` is built, as the `english` fixture does.
    """
    callspec = getattr(request.node, "callspec", None)
    language = callspec.params.get("language", "sv") if callspec else "sv"
    if language == "sv":
        monkeypatch.delenv("SAMSPEL_LANGUAGE", raising=False)
    else:
        monkeypatch.setenv("SAMSPEL_LANGUAGE", language)


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the test with SAMSPEL_LANGUAGE=en: a bot built after this (and the CLI) has English as its default."""
    monkeypatch.setenv("SAMSPEL_LANGUAGE", "en")


@pytest.fixture
def paired(world: World) -> World:
    """A world where CHANNEL is already the pair of KSO and KD, who both agreed."""
    couple(world)
    # Start each test from a quiet Slack: what coupling sent is tested in test_consent.py.
    world.slack.calls.clear()
    world.slack.messages.clear()
    with world.sessions() as s:
        world.mark = s.scalar(select(func.max(OutboxMessage.id))) or 0
    return world
