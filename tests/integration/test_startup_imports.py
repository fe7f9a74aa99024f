"""A restarted bot answers /healthz sooner when start-up does not load what it does not need yet."""

from __future__ import annotations

import subprocess
import sys

from tests.support.paths import ROOT

_PROBE = """
import sys
from datetime import date
import bot.cli, bot.bootstrap, bot.server
from bot.adapters.holidays import SWEDEN
before = sum(name.startswith("holidays.countries.") for name in sys.modules)
SWEDEN.warm(2026)
print(before, date(2026, 12, 24) in SWEDEN, date(2026, 12, 23) in SWEDEN, SWEDEN.name(date(2026, 6, 19)))
"""


def test_start_up_imports_no_holiday_countries_until_the_calendar_is_made() -> None:
    # The holidays package imports every country it knows (about 0.3 s) when a country's calendar is first
    # made; that now happens beside the first requests (Samspel.start_scheduler), not before /healthz answers.
    out = subprocess.run([sys.executable, "-c", _PROBE], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    assert out == ["0", "True", "False", "Midsummer", "Eve"]
