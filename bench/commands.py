"""Slash commands end to end: signed request → Bolt → service → database → answer.

Measures milliseconds and SQL queries per command for giving an uppdrag (a write:
the uppdrag, the audit entry, the KD's notice and both Home tabs) and for listing
them with 10 and 300 open uppdrag. Run: `python -m bench commands`.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bench._fakeslack import FakeSlackProcess
from bot import db
from bot.bootstrap import build
from bot.clock import FakeClock
from bot.settings import load_settings
from tests.support.signing import SIGNING_SECRET, SlackDriver

KSO, KD, CHANNEL = "UKSO0001", "UKD00001", "GBENCH01"


def _run(url: str, open_uppdrag: int, lists: int = 50) -> tuple[float, float, float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        engine = db.make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        db.upgrade(engine)
        settings = load_settings(
            {"SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": url, "DATABASE_URL": str(engine.url)}
        )
        clock = FakeClock(datetime(2026, 11, 23, 10, tzinfo=ZoneInfo("Europe/Stockholm")))
        bot = build(settings, clock=clock, engine=engine, process_before_response=True, catch_up=False)
        driver = SlackDriver(bot.app)
        driver.command("/samspel", f"koppla <@{KSO}> <@{KD}>", user=KSO, channel=CHANNEL)
        give_ms: list[float] = []
        with db.count_queries(engine) as give_queries:
            for i in range(open_uppdrag):
                start = time.perf_counter()
                resp = driver.command("/uppdrag", f"Uppdrag nummer {i} om budgeten senast fredag", user=KSO, channel=CHANNEL)
                give_ms.append((time.perf_counter() - start) * 1000)
                assert resp.status == 200
        list_ms: list[float] = []
        with db.count_queries(engine) as list_queries:
            for _ in range(lists):
                start = time.perf_counter()
                driver.command("/uppdrag", "lista", user=KD, channel=CHANNEL)
                list_ms.append((time.perf_counter() - start) * 1000)
        engine.dispose()
        return (statistics.median(give_ms), give_queries.n / open_uppdrag, statistics.median(list_ms), list_queries.n / lists)


def main() -> None:
    with FakeSlackProcess() as url:
        results = {n: _run(url, n) for n in (10, 300)}
    for n, (give_ms, give_q, list_ms, list_q) in results.items():
        print(
            f"commands: {n:>3} open uppdrag: /uppdrag <text> {give_ms:6.1f} ms, {give_q:5.1f} queries; "
            f"/uppdrag lista {list_ms:6.1f} ms, {list_q:5.1f} queries"
        )
    small, large = results[10], results[300]
    print(
        f"commands: 300 vs 10 open uppdrag: give time ratio {large[0] / small[0]:.2f}, "
        f"lista time ratio {large[2] / small[2]:.2f}, lista queries {small[3]:.0f} → {large[3]:.0f}"
    )


if __name__ == "__main__":
    main()
