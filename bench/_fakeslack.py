"""The fake Slack Web API (tests/slack_mock.py) in its own process, for benchmarks.

Its record of every call then does not count in the benchmark's memory figures.
Run from the repository root, where `tests` is importable.
"""

from __future__ import annotations

import subprocess
import sys

_SERVER = """
import sys, time
from tests.slack_mock import SlackServer
with SlackServer() as server:
    print(server.url, flush=True)
    sys.stdin.read()
"""


class FakeSlackProcess:
    """The fake Slack Web API in its own process, so its records do not count in our memory figures."""

    def __enter__(self) -> str:
        self.proc = subprocess.Popen([sys.executable, "-c", _SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        return self.proc.stdout.readline().strip()

    def __exit__(self, *exc: object) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=10)
