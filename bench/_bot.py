"""`python -m bot` for the burst benchmark, optionally without the Home refresh after each delivered held message.

`python -m bench._bot [--no-home-refresh] serve --http`. The refresh renders both
members' Home tabs for every held message that goes out; issue 10's App Home projection
(once per member per unit of work) removes most of that cost, so the benchmark shows
delivery with and without it. Only for benchmarks.
"""

from __future__ import annotations

import os
import sys

from bot.cli import main
from bot.projections import home

if __name__ == "__main__":
    args = sys.argv[1:]
    if "--no-home-refresh" in args:
        args.remove("--no-home-refresh")
        home.after_delivery = lambda session, row: None  # type: ignore[assignment]
    profile = os.environ.get("BENCH_PROFILE")
    if not profile:
        sys.exit(main(args))
    # Where the bot's time goes (BENCH_PROFILE=out.prof): every thread, written when the bot stops.
    import yappi

    yappi.set_clock_type("cpu")
    yappi.start()
    try:
        code = main(args)
    finally:
        yappi.stop()
        yappi.get_func_stats().save(profile, type="pstat")
    sys.exit(code)
