"""Run every benchmark module in bench/ (each exposes `main()`), in name order."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def run(names: list[str] | None = None) -> int:
    here = Path(__file__).parent
    modules = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if not m.name.startswith("_"))
    chosen = [m for m in modules if not names or m in names]
    if names and len(chosen) != len(names):
        print(f"Okänd benchmark: {', '.join(sorted(set(names) - set(chosen)))}. Finns: {', '.join(modules)}", file=sys.stderr)
        return 2
    for name in chosen:
        print(f"== bench.{name} ==", flush=True)
        importlib.import_module(f"bench.{name}").main()
        print(flush=True)
    return 0


if __name__ == "__main__":
    # Flags (`--quick`) are for the modules, which read them from sys.argv.
    sys.exit(run([a for a in sys.argv[1:] if not a.startswith("-")]))
