"""How fast Slack gets its ack: the bot as a real HTTP process against a bare Bolt app that only acks.

Both run as their own processes, on waitress (the reference always; the bot on whatever
`python -m bot serve --http` serves with). 1, 10 and 50 concurrent clients send signed
`/meddela <text>` and `/uppdrag lista` (50 open uppdrag) over fresh TCP connections, as
Slack does. A command fails when it gets no answer within 3 s (Slack's limit) or a
non-200. Also measured: cold start until /healthz answers 200, and idle RSS after start.

The bot's clock reads Tuesday 10:00 (`SAMSPEL_FAKE_NOW`), working time, so each `/meddela`
goes to the KD at once; with `--evening` it reads 19:00, so each is held and re-renders the
sender's Home tab. Before, the figures depended on the hour the benchmark ran.

Run from the repository root: `python -m bench ack [--evening]`. Figures go to bench/results.json
under "ack" (or "ack_evening"; other keys in that file are kept).
"""

from __future__ import annotations

import http.client
import itertools
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self
from zoneinfo import ZoneInfo

from bench._fakeslack import FakeSlackProcess
from handlers.ids import PAIR_ACCEPT
from tests.support.ports import free_port
from tests.support.signing import SIGNING_SECRET, block_action_payload, command_body, interactive_body, signed_headers

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results.json"
KSO, KD, CHANNEL = "UKSO0001", "UKD00001", "GBENCH01"
SLACK_LIMIT_S = 3.0
LEVELS = {1: 200, 10: 500, 50: 1000}  # concurrent clients: requests in total
OPEN_UPPDRAG = 50
TUESDAY = datetime(2026, 12, 1, tzinfo=ZoneInfo("Europe/Stockholm"))

# The reference: Bolt with nothing but an ack, on waitress with the bot's default pool.
_BARE = """
import os, sys
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
import waitress

# Bolt calls auth.test once, on the first request: at the same fake Slack as the bot.
client = WebClient(token="xoxb-bare", base_url=os.environ["SLACK_API_URL"])
app = App(token_verification_enabled=False, client=client, signing_secret=os.environ["SLACK_SIGNING_SECRET"])
app.command("/meddela")(lambda ack: ack(text="ok"))
app.command("/uppdrag")(lambda ack: ack(text="ok"))
bolt = SlackRequestHandler(app)

def wsgi(environ, start_response):
    if environ.get("PATH_INFO") == "/healthz":
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "3")])
        return [b"ok\\n"]
    return bolt(environ, start_response)

waitress.serve(wsgi, host="127.0.0.1", port=int(os.environ["PORT"]), threads=int(os.environ.get("SAMSPEL_HTTP_THREADS", "8")),
               backlog=1024, channel_timeout=30, _quiet=True)
"""


def _rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None  # not Linux: no figure rather than a dependency


def _cpu_s(pid: int) -> float | None:
    """CPU seconds (user + system) the process used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measured(server: Server, clients: int, total: int) -> dict[str, Any]:
    """`load`, plus the server's CPU per request: the commands and what they queued (its deliveries), settled for 1 s."""
    before = _cpu_s(server.proc.pid)
    figures = load(server.port, clients, total)
    time.sleep(1.0)
    after = _cpu_s(server.proc.pid)
    figures["cpu_ms_per_request"] = round((after - before) * 1000 / total, 2) if before is not None and after is not None else None
    return figures


def _get(port: int, path: str, timeout: float = 1.0) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    finally:
        conn.close()


@dataclass
class Server:
    """One server process: started, waited for until /healthz says 200, stopped."""

    name: str
    argv: list[str]
    env: dict[str, str]
    cwd: Path
    port: int = field(default_factory=free_port)
    cold_start_s: float = 0.0
    idle_rss_mb: float | None = None

    def __enter__(self) -> Self:
        self.log = open(self.cwd / f"{self.name}.log", "w")  # closed in __exit__
        start = time.perf_counter()
        self.proc = subprocess.Popen(
            self.argv, cwd=self.cwd, env={**self.env, "PORT": str(self.port)}, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = start + 60
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} stopped at start: {(self.cwd / f'{self.name}.log').read_text()[-2000:]}")
            try:
                if _get(self.port, "/healthz", timeout=0.5) == 200:
                    break
            except OSError:
                pass
            time.sleep(0.01)
        else:
            raise RuntimeError(f"{self.name} never answered /healthz")
        self.cold_start_s = time.perf_counter() - start
        time.sleep(1.0)  # let start-up jobs settle before calling it idle
        self.idle_rss_mb = _rss_mb(self.proc.pid)
        return self

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


_trigger = itertools.count(1)


def send(
    port: int, body: str, *, content_type: str = "application/x-www-form-urlencoded", timeout: float = SLACK_LIMIT_S
) -> tuple[int, float, bytes]:
    """POST a signed body to /slack/events over a fresh connection: (status, seconds, answer); status 0 for no answer."""
    headers = {k: v[0] for k, v in signed_headers(body, content_type=content_type).items()}
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    answer = b""
    try:
        conn.request("POST", "/slack/events", body=body.encode(), headers=headers)
        resp = conn.getresponse()
        answer = resp.read()
        status = resp.status
    except OSError:  # timeout, reset, refused: Slack would show the command as failed
        status = 0
    finally:
        conn.close()
    return status, time.perf_counter() - start, answer


def _command(command: str, text: str, user: str) -> str:
    return command_body(command, text, user=user, channel=CHANNEL, trigger_id=f"bench.{next(_trigger)}.{os.getpid()}")


def send_command(port: int, command: str, text: str, *, user: str, timeout: float = SLACK_LIMIT_S) -> tuple[int, float]:
    """One signed slash command on a fresh connection: (HTTP status or 0 for no answer, seconds)."""
    status, seconds, _ = send(port, _command(command, text, user), timeout=timeout)
    return status, seconds


def _request(i: int) -> tuple[str, str, str]:
    if i % 2:
        return "/uppdrag", "lista", KD
    return "/meddela", f"Hej, kan vi ta budgetfrågan på måndag? ({i})", KSO


def load(port: int, clients: int, total: int) -> dict[str, Any]:
    """`clients` threads send `total` commands between them; latency figures in ms."""
    counter = itertools.count()
    results: list[tuple[int, float]] = []
    lock = threading.Lock()

    def client() -> None:
        while (i := next(counter)) < total:
            command, text, user = _request(i)
            outcome = send_command(port, command, text, user=user)
            with lock:
                results.append(outcome)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ms = sorted(s * 1000 for _, s in results)
    failed = sum(1 for status, s in results if status != 200 or s > SLACK_LIMIT_S)
    return {
        "requests": len(results),
        "p50_ms": round(statistics.median(ms), 1),
        "p99_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.99))], 1),
        "max_ms": round(ms[-1], 1),
        "failed": failed,
    }


def _answer(port: int, command: str, text: str, user: str) -> str:
    status, _, body = send(port, _command(command, text, user), timeout=30)
    assert status == 200, status
    return str(json.loads(body or b"{}").get("text") or "") + json.dumps(json.loads(body or b"{}").get("blocks") or [], ensure_ascii=False)


def _seed(port: int, database: Path) -> None:
    """A real pair (proposed by the KSO, accepted by the KD) with open uppdrag, so the load does the real work."""
    _answer(port, "/samspel", f"koppla <@{KSO}> <@{KD}>", KSO)
    with sqlite3.connect(database) as conn:
        (proposal,) = conn.execute("SELECT id FROM pair_proposals ORDER BY id DESC LIMIT 1").fetchone()
    click = block_action_payload(PAIR_ACCEPT, str(proposal), user=KD, channel="D" + KD[1:])
    status, _, _ = send(port, interactive_body(click), timeout=30)
    assert status == 200, status
    for i in range(OPEN_UPPDRAG):
        _answer(port, "/uppdrag", f"Uppdrag {i}: ta fram underlag om budgeten senast fredag", KSO)
    # The load must be the commands' real work, not a refusal ("not a pair here").
    listed = _answer(port, *_request(1)[:2], KD)
    assert f"Uppdrag {OPEN_UPPDRAG - 1}" in listed, listed[:300]
    sent = _answer(port, *_request(0)[:2], KSO)
    with sqlite3.connect(database) as conn:
        (messages,) = conn.execute("SELECT count(*) FROM meddelanden").fetchone()
    assert messages == 1, sent[:300]


def _server_kind() -> str:
    text = (ROOT / "bot" / "server.py").read_text()
    return "waitress" if "waitress" in text else "wsgiref"


def _level(bot: Server, bare: Server, clients: int, total: int) -> dict[str, Any]:
    """One level of load on the bot and then on bare Bolt; printed as it is measured."""
    mine = measured(bot, clients, total)
    ref = measured(bare, clients, total)
    ratio = round(mine["p99_ms"] / ref["p99_ms"], 2) if ref["p99_ms"] else None
    print(
        f"ack: {clients:>2} clients: Samspel p50/p99/max {mine['p50_ms']:7.1f} / {mine['p99_ms']:7.1f} / "
        f"{mine['max_ms']:7.1f} ms, failed {mine['failed']:>3}/{mine['requests']}; bare Bolt p99 "
        f"{ref['p99_ms']:6.1f} ms (failed {ref['failed']}); p99 ratio {ratio}; CPU per request "
        f"{mine['cpu_ms_per_request']} ms vs {ref['cpu_ms_per_request']} ms",
        flush=True,
    )
    return {"samspel": mine, "bare_bolt": ref, "p99_ratio": ratio}


def run(*, evening: bool = False) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL", "SAMSPEL_"))}
    at = TUESDAY.replace(hour=19 if evening else 10)
    env.update({"SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SIGNING_SECRET, "PYTHONPATH": str(ROOT)})
    with tempfile.TemporaryDirectory() as tmp, FakeSlackProcess("--channel", f"{CHANNEL}:{KSO},{KD}") as slack_url:
        cwd = Path(tmp)
        bot_env = {
            **env,
            "SLACK_API_URL": slack_url,
            "DATABASE_URL": f"sqlite:///{cwd / 'bench.db'}",
            "SAMSPEL_FAKE_NOW": f"{at.isoformat()}@{time.time()}",
            **({"SAMSPEL_HTTP_THREADS": os.environ["XT"]} if "XT" in os.environ else {}),
        }
        # The migrations once, so the cold start below is a restart, as in production after `release:`.
        subprocess.run([sys.executable, "-m", "bot", "db", "upgrade"], cwd=cwd, env=bot_env, check=True, capture_output=True)
        with (
            Server(
                "samspel",
                [sys.executable, "-m", "bench._bot" if os.environ.get("BENCH_PROFILE") else "bot", "serve", "--http"],
                bot_env,
                cwd,
            ) as bot,
            Server("bare", [sys.executable, "-c", _BARE], {**env, "SLACK_API_URL": slack_url}, cwd) as bare,
        ):
            _seed(bot.port, cwd / "bench.db")
            levels = {str(clients): _level(bot, bare, clients, total) for clients, total in LEVELS.items()}
            rss_after = _rss_mb(bot.proc.pid)
        return {
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "server": _server_kind(),
            "commands": "/meddela <text> and /uppdrag lista, alternating",
            "bot_clock": at.isoformat(),
            "meddela": "held for working time (the sender's Home tab re-rendered)" if evening else "delivered at once",
            "open_uppdrag": OPEN_UPPDRAG,
            "levels": levels,
            "cold_start_s": round(bot.cold_start_s, 2),
            "idle_rss_mb": round(bot.idle_rss_mb, 1) if bot.idle_rss_mb else None,
            "rss_after_load_mb": round(rss_after, 1) if rss_after else None,
            "bare_cold_start_s": round(bare.cold_start_s, 2),
            "bare_idle_rss_mb": round(bare.idle_rss_mb, 1) if bare.idle_rss_mb else None,
        }


def save(figures: dict[str, Any], key: str = "ack") -> None:
    """Merge under `key`, keeping what other benchmarks wrote."""
    data = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    data[key] = figures
    RESULTS.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def main() -> None:
    evening = "--evening" in sys.argv[1:]
    figures = run(evening=evening)
    print(
        f"ack: server {figures['server']}; cold start to /healthz 200 {figures['cold_start_s']:.2f} s "
        f"(bare Bolt {figures['bare_cold_start_s']:.2f} s); idle RSS {figures['idle_rss_mb']} MB "
        f"(bare Bolt {figures['bare_idle_rss_mb']} MB), after load {figures['rss_after_load_mb']} MB"
    )
    save(figures, "ack_evening" if evening else "ack")


if __name__ == "__main__":
    main()
