"""GET /metrics: Prometheus text format from prometheus-client.

Counters are incremented where things happen: every Web API call of our clients
(`InstrumentedWebClient`, which the outbox deliverer sends through) and every job run
(jobs._guarded). Gauges that live in the database (outbox backlog, installations) are
read at scrape time by `DatabaseCollector`, so every process reports the same figures.
Labels are method and job names only: never a team, user or channel (that would be
personal data in a metrics store, and unbounded cardinality).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from prometheus_client import CollectorRegistry, Counter, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse
from sqlalchemy import Engine, func, select, text

from bot.adapters.slack_http import PooledWebClient
from bot.models import OutboxMessage

log = logging.getLogger(__name__)

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

# One process-wide registry for the counters; the database collector is added per engine.
REGISTRY = CollectorRegistry(auto_describe=True)
SLACK_CALLS = Counter("samspel_slack_calls", "Slack Web API calls made, by method", ["method"], registry=REGISTRY)
SLACK_RATELIMITED = Counter("samspel_slack_ratelimited", "Slack answers 429 (rate limited), by method", ["method"], registry=REGISTRY)
SLACK_ERRORS = Counter("samspel_slack_errors", "Slack calls that failed (any error), by method", ["method"], registry=REGISTRY)
JOB_RUNS = Counter("samspel_job_runs", "Scheduled job runs, by job", ["job"], registry=REGISTRY)
JOB_FAILURES = Counter("samspel_job_failures", "Scheduled job runs that raised, by job", ["job"], registry=REGISTRY)


class InstrumentedWebClient(PooledWebClient):
    """A WebClient that counts its calls and 429s per method (the outbox sends through these)."""

    def api_call(self, api_method: str, *args: Any, **kwargs: Any) -> SlackResponse:
        SLACK_CALLS.labels(api_method).inc()
        try:
            return super().api_call(api_method, *args, **kwargs)
        except SlackApiError as err:
            SLACK_ERRORS.labels(api_method).inc()
            if err.response.status_code == 429:
                SLACK_RATELIMITED.labels(api_method).inc()
            raise
        except Exception:
            SLACK_ERRORS.labels(api_method).inc()
            raise


def record_job(job_id: str, *, ok: bool) -> None:
    JOB_RUNS.labels(job_id).inc()
    if not ok:
        JOB_FAILURES.labels(job_id).inc()


class DatabaseCollector(Collector):
    """Outbox backlog and installations, read from the database at each scrape."""

    def __init__(self, engine: Engine, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.engine = engine
        self.now = now

    def collect(self) -> Iterator[Metric]:
        now = self.now()
        try:
            with self.engine.connect() as conn:
                counts: dict[str, int] = {
                    str(status): int(n)
                    for status, n in conn.execute(
                        select(OutboxMessage.status, func.count())
                        .where(OutboxMessage.status.in_(("pending", "failed")))
                        .group_by(OutboxMessage.status)
                    ).all()
                }
                oldest = conn.scalar(
                    select(func.min(OutboxMessage.deliver_after)).where(
                        OutboxMessage.status == "pending", OutboxMessage.deliver_after <= now
                    )
                )
                installs = conn.scalar(
                    text("SELECT count(DISTINCT coalesce(enterprise_id, '') || ':' || coalesce(team_id, '')) FROM slack_bots")
                )
        except Exception as err:  # noqa: BLE001 - a scrape must answer even when the database does not
            log.warning("metrics: database unavailable (%s)", type(err).__name__)
            return
        pending = GaugeMetricFamily("samspel_outbox_pending", "Outbox rows waiting to be sent")
        pending.add_metric([], counts.get("pending", 0))
        yield pending
        failed = GaugeMetricFamily("samspel_outbox_failed", "Outbox rows that could not be delivered")
        failed.add_metric([], counts.get("failed", 0))
        yield failed
        age = GaugeMetricFamily(
            "samspel_outbox_oldest_due_age_seconds", "Seconds the oldest due, unsent outbox row has waited (0 when none)"
        )
        if oldest is not None and oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=UTC)
        age.add_metric([], max(0.0, (now - oldest).total_seconds()) if oldest is not None else 0.0)
        yield age
        installations = GaugeMetricFamily("samspel_installations", "Workspaces (or orgs) that have installed Samspel")
        installations.add_metric([], installs or 0)
        yield installations


class Metrics:
    """What GET /metrics answers: the process's counters and the database's figures."""

    def __init__(self, engine: Engine | None = None) -> None:
        # No auto-describe: it would query the database at start, not only at scrape time.
        self.registry = CollectorRegistry(auto_describe=False)
        self.registry.register(_Counters())
        if engine is not None:
            self.registry.register(DatabaseCollector(engine))

    def render(self) -> bytes:
        started = time.monotonic()
        body = generate_latest(self.registry)
        log.debug("metrics rendered in %.3fs", time.monotonic() - started)
        return body


class _Counters(Collector):
    """The process-wide counters, re-exported into each Metrics registry."""

    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()
