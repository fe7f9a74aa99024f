"""The strict fake Slack Web API (tests/support/slack_mock.py) in its own process, for benchmarks.

Its record of every call then does not count in the benchmark's memory or CPU figures.
Run from the repository root, where `tests` is importable.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


class FakeSlackProcess:
    """`python -m tests.support.slack_mock` in a child process; `args` e.g. ["--no-rate-limit"] or ["--workspace-rate", "50"]."""

    def __init__(self, *args: str) -> None:
        self.args = list(args)
        self.url = ""

    def __enter__(self) -> str:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.support.slack_mock", *self.args],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().strip()
        return self.url

    def stats(self) -> dict[str, Any]:
        """What the fake accepted, refused and rate limited (GET /_mock/stats)."""
        with urllib.request.urlopen(self.url.rstrip("/") + "/_mock/stats", timeout=30) as resp:
            return dict(json.load(resp))

    def count(self) -> int:
        """How many posts the fake accepted so far (cheap enough to poll)."""
        with urllib.request.urlopen(self.url.rstrip("/") + "/_mock/count", timeout=30) as resp:
            return int(json.load(resp)["posts"])

    def __exit__(self, *exc: object) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=10)
