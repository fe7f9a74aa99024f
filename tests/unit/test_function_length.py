"""No function in bot/, handlers/, jobs/ or bench/ is over 50 lines, unless a `# long: <reason>` comment right above it says why."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 50


def test_functions_are_short_or_say_why() -> None:
    too_long = []
    for package in ("bot", "handlers", "jobs", "bench"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            lines = path.read_text(encoding="utf-8").splitlines()
            for node in ast.walk(ast.parse("\n".join(lines))):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    length = (node.end_lineno or node.lineno) - node.lineno + 1
                    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                    reason = lines[first - 2].strip() if first > 1 else ""
                    if length > LIMIT and not reason.startswith("# long:"):
                        too_long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length} lines)")
    assert not too_long, "\n".join(too_long)
