"""Several processes starting at once on one PostgreSQL database migrate it once: the others wait for the advisory lock."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import Engine, text

from bot import db
from tests.support.paths import ROOT

PROCESSES = 4


def _waiting_for_the_lock(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(
            conn.scalar(
                text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = :low"),
                {"low": db.MIGRATION_LOCK & 0xFFFFFFFF},
            )
            or 0
        )


def test_processes_upgrading_at_once_run_the_migrations_once(pg_engine: Engine, tmp_path: Path) -> None:
    with pg_engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    env = {**os.environ, "DATABASE_URL": pg_engine.url.render_as_string(hide_password=False), "PYTHONPATH": str(ROOT)}
    # Hold the lock ourselves until every process is waiting for it: then they surely start together.
    holder = pg_engine.connect()
    holder.execute(text("SELECT pg_advisory_lock(:key)"), {"key": db.MIGRATION_LOCK})
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "bot", "db", "upgrade"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    try:
        deadline = time.monotonic() + 60
        while _waiting_for_the_lock(pg_engine) < PROCESSES and time.monotonic() < deadline:
            assert all(proc.poll() is None for proc in procs), "a process did not wait for the migration lock"
            time.sleep(0.05)
        assert _waiting_for_the_lock(pg_engine) == PROCESSES
    finally:
        holder.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": db.MIGRATION_LOCK})
        holder.close()
        outputs = [proc.communicate(timeout=120)[0] for proc in procs]
    assert [proc.returncode for proc in procs] == [0] * PROCESSES, outputs
    # Exactly one of them ran the first migration (and all the others); the rest found the schema at head.
    assert sum(out.count("Running upgrade  -> 0001") for out in outputs) == 1, outputs
    with pg_engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM alembic_version")) == 1
        assert conn.scalar(text("SELECT count(*) FROM pairs")) == 0
