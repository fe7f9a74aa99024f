"""The test tree keeps its tiers: every test file in a tier, and no test module importing another."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.support.paths import ROOT

TESTS = ROOT / "tests"
TIERS = ("unit", "integration", "e2e")


def all_test_files() -> list[Path]:
    return sorted(TESTS.rglob("test_*.py"))


def imported_modules(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
    return found


def test_every_test_file_lives_in_a_tier() -> None:
    misplaced = []
    for path in all_test_files():
        parts = path.relative_to(TESTS).parts
        if parts[0] not in TIERS or (parts[0] == "e2e" and len(parts) != 3):
            misplaced.append(str(path.relative_to(ROOT)))
    assert misplaced == [], "tests/unit, tests/integration or tests/e2e/<feature>/ (see CONTRIBUTING.md)"


def test_no_test_module_imports_another() -> None:
    """Helpers two files share live in tests/support/, so moving or deleting a test never breaks another."""
    offenders = []
    for path in sorted(TESTS.rglob("*.py")):
        for module in imported_modules(path):
            name = module.rsplit(".", 1)[-1]
            if module.startswith("tests.") and (name.startswith("test_") or module.split(".")[1] in TIERS):
                offenders.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offenders == []


def test_every_test_directory_is_a_package() -> None:
    """File names repeat across features (test_english.py), so each directory needs its own package name."""
    missing = [str(d.relative_to(ROOT)) for d in {p.parent for p in TESTS.rglob("*.py")} if not (d / "__init__.py").exists()]
    assert missing == []
