"""Helpers for the dataskydd suites: run the export and the CLI, read its CSV tables, and everything stored."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from sqlalchemy import select

from bot import cli
from bot.cli import export
from bot.models import (
    Base,
    Pair,
)
from tests.support.world import KD, KSO, World

OTHER = "UOTHER001"
NAMES = {KSO: "Anna Berg", KD: "Bo Ek", OTHER: "Cecilia Ö"}


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


def run_cli(w: World, monkeypatch: pytest.MonkeyPatch, *argv: str, answer: str = "") -> tuple[int, str, str]:
    monkeypatch.setenv("DATABASE_URL", w.bot.engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_API_URL", w.bot.settings.api_url)
    out, err = io.StringIO(), io.StringIO()
    rc = cli.main(list(argv), out=out, err=err, inp=io.StringIO(answer))
    return rc, out.getvalue(), err.getvalue()


def everything_stored(w: World) -> list[tuple[str, dict[str, Any]]]:
    """Every row of every table, as (table, columns): what "nothing about them is left" is checked against."""
    rows = []
    with w.bot.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            for row in conn.execute(table.select()).mappings():
                rows.append((table.name, dict(row.items())))
    return rows


def mentions(w: World, needle: str) -> list[tuple[str, dict[str, Any]]]:
    return [(t, r) for t, r in everything_stored(w) if needle in json.dumps(r, default=str, ensure_ascii=False)]
