"""Two real bot processes (`python -m bot serve --http`) on one PostgreSQL database.

They share the outbox; every queued message must reach Slack exactly once.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, func, select

from bot import db
from bot.models import OutboxMessage
from bot.outbox import enqueue
from tests.support.paths import ROOT
from tests.support.signing import SIGNING_SECRET
from tests.support.slack_mock import SlackServer
from tests.support.world import CHANNEL


def test_two_processes_deliver_each_message_once(pg_engine: Engine, slack: SlackServer, tmp_path: Path) -> None:
    sessions = db.make_session_factory(pg_engine)
    with db.transaction(sessions) as s:
        for i in range(60):
            # Twenty channels: one channel takes about one post a second, and the fake Slack holds us to that.
            enqueue(s, kind="post", now=datetime.now(UTC), channel=f"{CHANNEL}{i % 20}", text=f"m{i}")
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.url,
        "DATABASE_URL": pg_engine.url.render_as_string(hide_password=False),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("SLACK_APP_TOKEN", None)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--http"],
            cwd=tmp_path,
            env={**env, "PORT": str(port)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in (38611, 38612)
    ]
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with db.transaction(sessions) as s:
                left = s.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.status != "sent"))
            if left == 0:
                break
            time.sleep(0.2)
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=20)
    texts = sorted(c["text"] for c in slack.mock.posts)
    assert texts == sorted(f"m{i}" for i in range(60))
    for c in range(20):  # each channel in the order written, whichever process posted
        assert [m["text"] for m in slack.mock.posted_to(f"{CHANNEL}{c}")] == [f"m{i}" for i in range(c, 60, 20)]
    with db.transaction(sessions) as s:
        sent = {row.sent_ts for row in s.scalars(select(OutboxMessage))}
        assert len(sent) == 60 and None not in sent
