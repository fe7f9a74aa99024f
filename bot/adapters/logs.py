"""SAMSPEL_LOG_FORMAT=json: one JSON object per log line, with team_id, pair_id and outbox_id when known.

The ids come from a record's extras (`log.info(..., extra={"pair_id": 3})`), else from the
request's workspace (bot.services.tenant) and from the outbox row being sent (`bind`,
called by the deliverer's client hook). Only ids: the message is the same text the
plain format prints, which by our logging rules holds no tokens and no one's words.
"""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from bot.services import tenant

FIELDS = ("team_id", "pair_id", "outbox_id")
_bound: ContextVar[dict[str, Any] | None] = ContextVar("samspel_log_ids", default=None)


def bind(**ids: Any) -> None:
    """Ids for the following log lines of this thread (until `unbind`); None values are left out."""
    _bound.set({k: v for k, v in ids.items() if v is not None})


def unbind() -> None:
    _bound.set(None)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        bound = _bound.get() or {}
        team = tenant.team()
        for name in FIELDS:
            value = getattr(record, name, None)
            if value is None:
                value = bound.get(name)
            if value is None and name == "team_id":
                value = team
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
