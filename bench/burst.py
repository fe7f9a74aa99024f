"""A real Monday at 08:00: 300 pairs, each with 10 messages held over the weekend and the Monday agenda.

The bot runs as real processes (`python -m bot serve --http`) against the strict fake
Slack (tests/support/slack_mock.py: one post per second per channel after a burst of three,
429 with Retry-After above it) in another process. The bot's clock is shifted
(`SAMSPEL_FAKE_NOW`) so that it reads Monday 08:00 a few seconds after it started;
its database holds what the weekend left: the held messages (written Friday evening
through `/meddela`, so the respekt gate checks them again at 08:00) and the agendas
queued for 08:00 (as the agenda job queues them when it fires on the minute).

It reports the wall time from 08:00 to the last accepted post against Slack's bound,
429s per channel, and lost, duplicated and out-of-order messages, and writes
bench/results.json. With `--quick` it runs 60 pairs. With BENCH_DATABASE_URL set to
a PostgreSQL database it also runs two bot processes on it (that database is emptied).

It also runs the Monday over a simulated 30 ms network round trip (the fake's `--rtt-ms`; a new
connection costs two more, for the TCP and TLS handshakes), where the bot waits rather than computes.

It also runs the same Monday across 50 workspaces installed through OAuth (10 with `--quick --workspaces`),
each pair in one, each workspace with its own token, and counts posts made with the wrong workspace's token.

Run: `python -m bench burst [--quick] [--workspaces]`. `BENCH_PROFILE=FILE` (with `pip install yappi`) writes
where the bot's CPU time went.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from bench._fakeslack import ROOT, FakeSlackProcess
from bot import db
from bot.adapters.installations import InstallationStore
from bot.bootstrap import unit_of_work
from bot.domain.events import MessageWritten
from bot.models import OutboxMessage, Pair
from bot.outbox.store import lane_for
from bot.projections.respekt import queue_message
from bot.services import respekt
from bot.services.pairs import Member
from bot.services.unit_of_work import dry_run
from jobs.agenda import post_due_agendas

STHLM = ZoneInfo("Europe/Stockholm")
FRIDAY_EVENING = datetime(2026, 11, 27, 18, 30, tzinfo=STHLM)
MONDAY_0800 = datetime(2026, 11, 30, 8, 0, tzinfo=STHLM)
HELD = 10
BURST, RATE = 3, 1.0  # the fake Slack's per-channel limit
RESULTS = Path(__file__).with_name("results.json")


@dataclass(frozen=True)
class Scenario:
    name: str
    pairs: int
    processes: int
    database_url: str
    timeout: float
    home_refresh: bool = True
    # 0: one workspace with SLACK_BOT_TOKEN; N: N workspaces installed through OAuth, each with its own token.
    workspaces: int = 0
    # A simulated network round trip to Slack (ms): on loopback the bot is CPU-bound, over a real network it waits.
    rtt_ms: float = 0.0


CLIENT_ID = "1111.2222"


def _team(scenario_workspaces: int, i: int) -> str:
    return f"T{i % scenario_workspaces:04d}" if scenario_workspaces else "T0001"


def _install(engine: Any, workspaces: int) -> None:
    """The workspaces' installations, as OAuth would have stored them (the fake accepts any bot token)."""
    store = InstallationStore(CLIENT_ID, engine)
    for w in range(workspaces):
        team = _team(workspaces, w)
        store.save(
            Installation(
                app_id="ABENCH",
                team_id=team,
                team_name=f"Kommun {w}",
                bot_token=f"xoxb-{team}",
                bot_id=f"B{team}",
                bot_user_id="USAMSPEL",
                bot_scopes=["chat:write"],
                user_id="UADMIN",
                installed_at=FRIDAY_EVENING.timestamp(),
            )
        )


def _weekend(s: Session, pairs: int, workspaces: int) -> None:
    """The pairs, the DMs their coupling sent, and each KSO's messages of the weekend, held for Monday 08:00."""
    made = [
        Pair(
            team_id=_team(workspaces, i),
            channel_id=f"GBURST{i:04d}",
            kso_user=f"UKSO{i:04d}",
            kd_user=f"UKD{i:04d}X",
            created_by=f"UKSO{i:04d}",
            created_at=FRIDAY_EVENING.replace(month=10),
        )
        for i in range(pairs)
    ]
    s.add_all(made)
    s.flush()
    # Coupling sent each member a DM (the consent question, the confirmation): Samspel knows their DMs.
    s.add_all(
        OutboxMessage(
            kind="dm",
            user=user,
            team_id=pair.team_id,
            lane=lane_for("dm", None, user),
            text="",
            created_at=pair.created_at,
            deliver_after=pair.created_at,
            status="sent",
            sent_channel="D" + user[1:],
            sent_ts=f"{pair.created_at.timestamp():.6f}",
            sent_at=pair.created_at,
        )
        for pair in made
        for user in (pair.kso_user, pair.kd_user)
    )
    # The Home tabs the weekend would have refreshed are not what this measures: events are dropped.
    uow = dry_run(s)
    for pair in made:
        member = Member(pair=pair, user=pair.kso_user, role="kso")
        for n in range(HELD):
            respekt.send(s, member, respekt.Draft(text=f"Meddelande {n} från helgen"), FRIDAY_EVENING)
    uow.handlers = {MessageWritten: [queue_message]}  # only the DMs themselves
    uow.run_handlers()


def _seed(database_url: str, pairs: int, workspaces: int = 0) -> dict[int, str]:
    """The weekend's state; returns the outbox id of every message due at 08:00 and the channel it goes to."""
    engine = db.make_engine(database_url)
    db.upgrade(engine)
    if workspaces:
        _install(engine, workspaces)
    sessions = db.make_session_factory(engine)
    with db.transaction(sessions) as s:
        _weekend(s, pairs, workspaces)
    post_due_agendas(unit_of_work(sessions), MONDAY_0800)  # queued on the minute, as the agenda job does
    with db.transaction(sessions) as s:
        s.execute(update(OutboxMessage).where(OutboxMessage.kind == "home").values(status="sent"))
        # The bot stamps every row with its pair's workspace as it is written (installations.stamp_team).
        team = select(Pair.team_id).where(Pair.id == OutboxMessage.pair_id).scalar_subquery()
        s.execute(update(OutboxMessage).where(OutboxMessage.team_id.is_(None)).values(team_id=team))
        due = s.execute(
            select(OutboxMessage.id, OutboxMessage.kind, OutboxMessage.channel, OutboxMessage.user).where(OutboxMessage.status == "pending")
        ).all()
    engine.dispose()
    return {r.id: (r.channel if r.kind == "post" else "D" + str(r.user)[1:]) for r in due}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_bots(scenario: Scenario, slack_url: str, at_0800: float, logs: Path) -> list[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": "bench",
        "SLACK_API_URL": slack_url,
        "DATABASE_URL": scenario.database_url,
        "PYTHONPATH": str(ROOT),
        "SAMSPEL_FAKE_NOW": f"{MONDAY_0800.isoformat()}@{at_0800}",
    }
    if scenario.workspaces:
        # Distributed mode: every workspace's token comes from its installation.
        del env["SLACK_BOT_TOKEN"]
        env.update(SLACK_CLIENT_ID=CLIENT_ID, SLACK_CLIENT_SECRET="bench", SAMSPEL_PUBLIC_URL="https://samspel.example.se")
    env.pop("SLACK_APP_TOKEN", None)
    flags = [] if scenario.home_refresh else ["--no-home-refresh"]
    return [
        subprocess.Popen(
            [sys.executable, "-m", "bench._bot", *flags, "serve", "--http"],
            cwd=logs.parent,
            env={**env, "PORT": str(_free_port())},
            stdout=subprocess.DEVNULL,
            stderr=(logs.parent / f"{logs.name}.{n}.log").open("wb"),
        )
        for n in range(scenario.processes)
    ]


def _wait(fake: FakeSlackProcess, expected: int, until: float) -> None:
    while time.time() < until and fake.count() < expected:
        time.sleep(0.25)


def _cpu_seconds(pid: int) -> float | None:
    """User and system CPU time a process has used (Linux /proc); the box is shared, so wall time alone misleads."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _stop(bots: list[subprocess.Popen[bytes]]) -> None:
    for bot in bots:
        with suppress(ProcessLookupError):
            bot.send_signal(signal.SIGTERM)
    for bot in bots:
        try:
            bot.wait(timeout=30)
        except subprocess.TimeoutExpired:
            bot.kill()


def _slack_bound(expected: dict[int, str]) -> float:
    """The least time after 08:00 that Slack's limit allows for the busiest channel's last post."""
    busiest = max(Counter(expected.values()).values())
    return max(busiest - BURST, 0) / RATE


def _analyse(stats: dict[str, Any], expected: dict[int, str], at_0800: float) -> dict[str, Any]:
    posts = [(p["received"], channel, p["outbox_id"]) for channel, ps in stats["posts"].items() for p in ps]
    seen = Counter(outbox_id for _, _, outbox_id in posts)
    out_of_order = 0
    for ps in stats["posts"].values():
        ids = [p["outbox_id"] for p in ps if p["outbox_id"] in expected]
        out_of_order += sum(1 for a, b in pairwise(ids) if b < a)
    accepted = [received for received, _, outbox_id in posts if outbox_id in expected]
    limited = stats["rate_limited"]
    wall = (max(accepted) - at_0800) if accepted else None
    bound = _slack_bound(expected)
    return {
        "messages": len(expected),
        "channels": len(set(expected.values())),
        "wall_s": round(wall, 2) if wall is not None else None,
        "slack_bound_s": bound,
        "ratio": round(wall / bound, 2) if wall and bound else None,
        "first_post_after_0800_s": round(min(accepted) - at_0800, 3) if accepted else None,
        "lost": sum(1 for i in expected if seen[i] == 0),
        "duplicated": sum(1 for i in expected if seen[i] > 1),
        "out_of_order": out_of_order,
        "rate_limited_total": sum(limited.values()),
        "rate_limited_max_per_channel": max(limited.values(), default=0),
        "channels_with_more_than_one_429": sum(1 for n in limited.values() if n > 1),
        "history_checks": stats["calls"].get("conversations.history", 0),
        "refused": len(stats["refused"]),
        "home_views": stats["calls"].get("views.publish", 0),
        # 429s for other methods than chat.postMessage (their tiers, per workspace), by method.
        "method_429s": stats.get("method_limited", {}),
        "calls": stats["calls"],
        "connections": stats.get("connections"),
    }


def _wrong_tokens(stats: dict[str, Any], workspaces: int) -> int:
    """Channels that got a post with another workspace's token (each pair's channel and DMs belong to one)."""
    if not workspaces:
        return 0
    wrong = 0
    for channel, tokens in stats["post_tokens"].items():
        digits = "".join(ch for ch in channel if ch.isdigit())
        if digits:
            wrong += tokens != [f"xoxb-{_team(workspaces, int(digits))}"]
    return wrong


def _fresh_postgres(url: str) -> None:
    engine = db.make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def run(scenario: Scenario, work: Path) -> dict[str, Any]:
    if scenario.database_url.startswith("postgresql"):
        _fresh_postgres(scenario.database_url)
    expected = _seed(scenario.database_url, scenario.pairs, scenario.workspaces)
    fake = FakeSlackProcess(*(["--rtt-ms", str(scenario.rtt_ms)] if scenario.rtt_ms else []))
    with fake as slack_url:
        at_0800 = time.time() + 8.0 + 2.0 * scenario.processes  # room to start up before 08:00
        bots = _start_bots(scenario, slack_url, at_0800, work / scenario.name)
        try:
            _wait(fake, len(expected), at_0800 + scenario.timeout)
            cpu = [_cpu_seconds(bot.pid) for bot in bots] + [_cpu_seconds(fake.proc.pid)]
        finally:
            _stop(bots)
        stats = fake.stats()
        result = _analyse(stats, expected, at_0800)
        result["wrong_workspace_token"] = _wrong_tokens(stats, scenario.workspaces)
    if None not in cpu:
        result.update(bot_cpu_s=round(sum(c or 0 for c in cpu[:-1]), 1), fake_slack_cpu_s=round(cpu[-1] or 0, 1))
    result.update(
        scenario=scenario.name,
        pairs=scenario.pairs,
        processes=scenario.processes,
        workspaces=scenario.workspaces or 1,
        rtt_ms=scenario.rtt_ms,
        database="postgresql" if scenario.database_url.startswith("postgresql") else "sqlite",
        bot_errors=_errors(work, scenario),
    )
    return result


def _errors(work: Path, scenario: Scenario) -> int:
    logs = sorted(work.glob(f"{scenario.name}.*.log"))
    return sum(line.count(" ERROR ") for log in logs for line in log.read_text(errors="replace").splitlines())


def _print(result: dict[str, Any]) -> None:
    print(
        f"burst {result['scenario']}: {result['messages']} messages to {result['channels']} channels"
        f"{' in ' + str(result['workspaces']) + ' workspaces' if result.get('workspaces', 1) > 1 else ''}, "
        f"{result['processes']} process(es) on {result['database']}"
        f"{', network round trip ' + str(result['rtt_ms']) + ' ms' if result.get('rtt_ms') else ''}"
    )
    print(
        f"  08:00 → last accepted post {result['wall_s']} s; Slack's bound {result['slack_bound_s']} s "
        f"(ratio {result['ratio']}; goal ≤ 1.1); first post {result['first_post_after_0800_s']} s after 08:00"
    )
    print(
        f"  lost {result['lost']}, duplicated {result['duplicated']}, out of order {result['out_of_order']}; "
        f"429s {result['rate_limited_total']} (max {result['rate_limited_max_per_channel']} in a channel, "
        f"{result['channels_with_more_than_one_429']} channels with more than one)"
        f"{'; posts with another workspace token: ' + str(result['wrong_workspace_token']) if result.get('workspaces', 1) > 1 else ''}"
    )
    print(
        f"  other methods' 429s {result['method_429s'] or 0}; history checks {result['history_checks']}, refused payloads {result['refused']}, "
        f"Home views {result['home_views']}, ERROR lines in the bot's log {result['bot_errors']}; "
        f"CPU: bot {result.get('bot_cpu_s')} s (start-up included), fake Slack {result.get('fake_slack_cpu_s')} s; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    quick = "--quick" in args
    pairs = 60 if quick else 300
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        scenarios = [Scenario("sqlite-1", pairs, 1, f"sqlite:///{work / 'burst.db'}", 25.0 if quick else 120.0)]
        if "--workspaces" in args or not quick:
            # The same Monday across many kommuner: 50 workspaces (10 with --quick), each with its own token.
            scenarios.append(
                Scenario(
                    f"sqlite-1-{10 if quick else 50}-workspaces",
                    pairs,
                    1,
                    f"sqlite:///{work / 'burst-ws.db'}",
                    25.0 if quick else 120.0,
                    workspaces=10 if quick else 50,
                )
            )
        if not quick:
            scenarios.append(Scenario("sqlite-1-no-home-refresh", pairs, 1, f"sqlite:///{work / 'burst-nh.db'}", 120.0, home_refresh=False))
            # As over a real network: every call waits a 30 ms round trip (Sweden to Slack's edge), a new connection 60 ms more.
            scenarios.append(Scenario("sqlite-1-rtt-30ms", pairs, 1, f"sqlite:///{work / 'burst-rtt.db'}", 120.0, rtt_ms=30.0))
        pg = os.environ.get("BENCH_DATABASE_URL")
        if pg and not quick:
            scenarios += [Scenario("postgresql-1", pairs, 1, pg, 120.0), Scenario("postgresql-2", pairs, 2, pg, 120.0)]
        for scenario in scenarios:
            result = run(scenario, work)
            _print(result)
            results.append(result)
    # Merged: what the other benchmarks wrote (the "ack" figures) stays.
    data = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    data.update(burst=results, at=datetime.now().isoformat(timespec="seconds"))
    RESULTS.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    print(f"  written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
