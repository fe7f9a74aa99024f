"""Every modal's private_metadata is written and read through a codec in handlers/ids.py.

A form's metadata is written by a presenter and read by a listener, often a release apart
(a modal stays open across a deploy); with both halves in one place a changed format
cannot leave a form that no longer submits.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.support.paths import ROOT


def _is_ids_call(node: ast.AST | None) -> bool:
    """`ids.codec(...)`, `ids.Codec.decode(...)` or `form.encode()` (a codec of handlers/ids.py built earlier)."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr == "encode":
        return True
    while isinstance(func, ast.Attribute):
        func = func.value
    return isinstance(func, ast.Name) and func.id == "ids"


def _reads_metadata(node: ast.AST) -> bool:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get":
        return any(isinstance(a, ast.Constant) and a.value == "private_metadata" for a in node.args)
    return isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and node.slice.value == "private_metadata"


def _raw(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and any(k.arg == "metadata" and isinstance(k.value, ast.Call) for k in node.keywords):
            value = next(k.value for k in node.keywords if k.arg == "metadata")
            if not _is_ids_call(value):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} writes metadata without a codec")
        if _reads_metadata(node) and not _is_ids_call(parents.get(node)) and isinstance(parents.get(node), ast.expr):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} reads metadata without a codec")
    return found


def test_metadata_goes_through_the_codecs_in_handlers_ids() -> None:
    offenders = []
    for folder in ("handlers", "bot/presenters"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path.name != "ids.py":
                offenders += _raw(path)
    assert offenders == []
