"""`python -m bot` as the operator runs it, in a process of its own: bad input is one line on stderr and exit 2.

In-process tests (`cli.main`) cannot see what the logging set-up of a real process prints: Alembic's
INFO lines ("Context impl SQLiteImpl.", "Running upgrade …") used to stand before the one error line.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import ROOT


def run(tmp_path: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SAMSPEL_", "DATABASE_URL"))}
    # A fresh database: the first run migrates it from nothing, which is when Alembic says the most.
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'samspel.db'}", PYTHONPATH=str(ROOT), PYTHONWARNINGS="ignore")
    # Run outside the repository, so no .env there is read.
    return subprocess.run([sys.executable, "-m", "bot", *argv], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (("export", "--pair", "999"), "Det finns inget par med id 999."),
        (("erase", "--pair", "999", "--yes"), "Det finns inget par med id 999."),
        (("export", "--person", "UNOBODY01"), "Samspel har inga uppgifter om UNOBODY01."),
        (("rapport", "--pair", "7"), "Det finns inget par med id 7."),
        (("erase", "--team", "kommunen"), "inget arbetsyte-id"),
    ],
)
def test_bad_input_is_exactly_one_line_on_stderr_and_exit_2(tmp_path: Path, argv: tuple[str, ...], words: str) -> None:
    proc = run(tmp_path, *argv)
    assert proc.returncode == 2, proc.stderr
    assert len(proc.stderr.splitlines()) == 1, proc.stderr
    assert words in proc.stderr and proc.stdout == ""


def test_db_upgrade_still_says_what_the_migrations_do(tmp_path: Path) -> None:
    proc = run(tmp_path, "db", "upgrade")
    assert proc.returncode == 0, proc.stderr
    assert "Running upgrade" in proc.stderr and "Databasen är uppgraderad." in proc.stdout
