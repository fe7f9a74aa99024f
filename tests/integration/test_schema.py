"""The Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from bot.models import Base


def _ours(diff: object) -> bool:
    # slack_sdk's installation and OAuth state tables come from its own metadata (migration 0012).
    return "slack_" not in repr(diff)


def test_migrations_and_models_agree(any_engine: Engine) -> None:
    with any_engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), Base.metadata)
    assert [d for d in diff if _ours(d)] == []
