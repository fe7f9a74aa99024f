"""SAMSPEL_LOG_FORMAT=json: one JSON object per log line, with team_id, pair_id and outbox_id when known.

The ids come from a record's extras (`log.info(..., extra={"pair_id": 3})`), else from
`ids(...)` around a piece of work, else from the outbox row the thread is sending
(`bot.outbox.deliverer.SENDING`, set per row on the pool thread that sends it), else from
the request (its workspace, and the pair it is about: bot.services.tenant). Only ids:
the message is the same text the plain format prints, which by our logging rules holds
no tokens and no one's words.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from bot.outbox.deliverer import SENDING
from bot.services import tenant

FIELDS = ("team_id", "pair_id", "outbox_id")
_bound: ContextVar[dict[str, Any] | None] = ContextVar("samspel_log_ids", default=None)


@contextmanager
def ids(**values: Any) -> Iterator[None]:
    """Ids for the log lines of this thread inside the block; None values are left out."""
    token = _bound.set({k: v for k, v in values.items() if v is not None})
    try:
        yield
    finally:
        _bound.reset(token)


def known_ids() -> dict[str, Any]:
    """The ids a log line written now, on this thread, carries (see the module's docstring for the order)."""
    found: dict[str, Any] = {}
    current = tenant.current()
    if current is not None:
        found.update(team_id=current.team_id, pair_id=current.pair_id)
    sending = SENDING.get()
    if sending is not None:
        found.update(team_id=sending.team_id, pair_id=sending.pair_id, outbox_id=sending.outbox_id)
    found.update(_bound.get() or {})
    return {k: v for k, v in found.items() if v is not None}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        known = known_ids()
        for name in FIELDS:
            value = getattr(record, name, None)
            if value is None:
                value = known.get(name)
            if value is not None:
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def configure(log_format: str) -> None:
    """Switch the root logger's handlers to JSON lines (the CLI calls this after reading settings)."""
    if log_format != "json":
        return
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.StreamHandler())
    for handler in root.handlers:
        handler.setFormatter(JsonFormatter())
