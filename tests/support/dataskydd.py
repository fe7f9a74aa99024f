"""Helpers for the dataskydd suites: run the export and read its CSV tables."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from bot.cli import export
from bot.models import (
    Pair,
)
from tests.support.world import World


def run_export(world: World, fmt: str, **period: object) -> str:
    with world.sessions() as s:
        pair_id = s.scalars(select(Pair.id)).one()
        return export(
            s,
            pair_id,
            fmt,
            period.get("date_from"),
            period.get("date_to"),  # type: ignore[arg-type]
            now=world.clock.now(),
        )


def tables(text: str) -> dict[str, list[list[str]]]:
    """The CSV's titled tables: {title: [header, rows…]}."""
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=";"))
    out: dict[str, list[list[str]]] = {}
    current: list[list[str]] | None = None
    for row in rows:
        if not row:
            current = None
        elif current is None:
            current = out.setdefault(row[0], [])
        else:
            current.append(row)
    return out


def by_header(table: list[list[str]]) -> list[dict[str, str]]:
    header, *rows = table
    return [dict(zip(header, row, strict=True)) for row in rows]
