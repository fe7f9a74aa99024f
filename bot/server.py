"""HTTP mode: POST /slack/events through Bolt, GET /healthz for the platform, on waitress.

waitress rather than wsgiref: a bounded pool of worker threads, a real listen backlog,
idle-connection timeouts, and a request is read by its event loop (not by a worker
thread) and only handed to the application once it is complete and within
`max_request_body_size`. It runs on Windows servers too, which many kommuner use.
"""

from __future__ import annotations

import io
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from apscheduler.schedulers.base import BaseScheduler
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import Engine
from waitress import wasyncore
from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer, create_server

from bot import db

log = logging.getLogger(__name__)

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


# Slack's largest real payload, a full spelregler modal submission, is far below this.
MAX_BODY_BYTES = 1024 * 1024
CALENDAR_PREFIX = "/kalender/"
ACCEPTED_TYPES = frozenset({"application/x-www-form-urlencoded", "application/json"})


@dataclass(frozen=True)
class ServerOptions:
    """How much the HTTP server takes on at once; the defaults fit one small VM."""

    # Worker threads that run requests (SAMSPEL_HTTP_THREADS). The work is mostly CPU under the GIL and
    # short database transactions, so more threads than this add waiting, not throughput.
    threads: int = 8
    # Connections the kernel queues before accepting (wsgiref had 5: bursts were reset).
    backlog: int = 1024
    # Open connections at most; more wait in the backlog instead of costing a thread each.
    connection_limit: int = 200
    # Seconds a connection may sit idle, or half-open, before it is closed.
    channel_timeout: int = 30
    # Larger bodies are refused with 413 as soon as their headers are read (see SlackEdge).
    max_body: int = MAX_BODY_BYTES


def _plain(start_response: StartResponse, status: str, text: str) -> list[bytes]:
    body = (text + "\n").encode()
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]


def _refuse(start_response: StartResponse, status: str, text: str, why: str) -> list[bytes]:
    # One short line; never the body, which may hold people's words.
    log.info("http: %s on /slack/events: %s", status.split()[0], why)
    return _plain(start_response, status, text)


class SlackEdge:
    """What reaches Bolt on POST /slack/events: bounded, of a type Slack sends, valid UTF-8 and signed.

    Bolt reads the whole body and parses it before it checks the signature (a negative
    Content-Length even reads to the end of the stream), so the checks happen here first:
    size and type from the headers alone, without reading the body; then the body, at most
    `max_body` bytes, and its signature. Nothing refused here is parsed, logged with its body,
    or answered with a traceback.
    """

    def __init__(self, bolt: WsgiApp, signing_secret: str | None, max_body: int = MAX_BODY_BYTES) -> None:
        self.bolt = bolt
        self.verifier = SignatureVerifier(signing_secret) if signing_secret else None
        self.max_body = max_body

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST":
            return self.bolt(environ, start_response)
        length_text = str(environ.get("CONTENT_LENGTH") or "").strip()
        if not length_text:
            return _refuse(start_response, "411 Length Required", "Content-Length required", "no Content-Length")
        if not length_text.isdigit():
            return _refuse(start_response, "400 Bad Request", "bad Content-Length", "Content-Length is not a number")
        length = int(length_text)
        if length > self.max_body:
            return _refuse(
                start_response, "413 Content Too Large", "request too large", f"{length} bytes, over the {self.max_body} byte limit"
            )
        media_type = str(environ.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()
        if media_type not in ACCEPTED_TYPES:
            return _refuse(start_response, "415 Unsupported Media Type", "unsupported content type", f"content type {media_type[:60]!r}")
        raw = environ["wsgi.input"].read(length) if length else b""
        if len(raw) != length:
            return _refuse(start_response, "400 Bad Request", "incomplete body", f"{len(raw)} of {length} bytes arrived")
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            return _refuse(start_response, "400 Bad Request", "body is not UTF-8", f"{length} bytes, not UTF-8")
        if self.verifier is not None:
            timestamp = str(environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP") or "0")
            signature = str(environ.get("HTTP_X_SLACK_SIGNATURE") or "")
            if not self.verifier.is_valid(body, timestamp, signature):
                return _refuse(start_response, "401 Unauthorized", "invalid request", f"unsigned, stale or wrongly signed ({length} bytes)")
        environ["wsgi.input"], environ["CONTENT_LENGTH"] = io.BytesIO(raw), str(length)
        try:
            return self.bolt(environ, start_response)
        except Exception as err:  # noqa: BLE001 - a signed request Bolt cannot parse: say so, no traceback
            log.warning("http: 400 on /slack/events: Bolt could not read a signed request (%s)", type(err).__name__)
            return _plain(start_response, "400 Bad Request", "unreadable request")


# The outbox job runs every 5 s; a minute without a finished tick means delivery has stopped.
OUTBOX_STALE_S = 60.0
# A tick still running is alive (a big backlog takes a while), unless it has run this long.
OUTBOX_STUCK_S = 600.0
HealthReport = dict[str, object]


class Heartbeats(Protocol):
    """How the scheduled jobs are doing (jobs.Heartbeats); only the composition root imports jobs."""

    def since_success(self, job_id: str) -> float | None: ...

    def running_for(self, job_id: str) -> float | None: ...


class Health:
    """What /healthz reports: the database answers, the scheduler runs, the outbox has delivered lately.

    Until `ready()` (the scheduler has started) it reports only "starting".
    """

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.monotonic = monotonic
        self._ready = threading.Event()
        self._engine: Engine | None = None
        self._scheduler: BaseScheduler | None = None
        self._heartbeats: Heartbeats | None = None
        self._since = monotonic()

    def watch(self, engine: Engine, scheduler: BaseScheduler, heartbeats: Heartbeats) -> None:
        self._engine, self._scheduler, self._heartbeats = engine, scheduler, heartbeats

    def ready(self) -> None:
        self._since = self.monotonic()
        self._ready.set()

    def __call__(self) -> HealthReport:
        if not self._ready.is_set():
            return {"status": "starting"}
        report: HealthReport = {}
        if self._engine is not None:
            report["database"] = "ok" if db.ping(self._engine) else "unavailable"
        if self._scheduler is not None:
            thread = getattr(self._scheduler, "_thread", None)
            alive = self._scheduler.running and (thread is None or thread.is_alive())
            report["scheduler"] = "ok" if alive else "stopped"
        if self._heartbeats is not None:
            report.update(self._outbox(self._heartbeats))
        return report

    def _outbox(self, beats: Heartbeats) -> HealthReport:
        last, running = beats.since_success("outbox"), beats.running_for("outbox")
        if running is not None and running < OUTBOX_STUCK_S:
            state = "ok"
        elif last is not None:
            state = "ok" if last <= OUTBOX_STALE_S else "stale"
        else:  # no tick finished yet: fine for the first minute after start
            state = "ok" if self.monotonic() - self._since <= OUTBOX_STALE_S else "stale"
        return {"outbox": state, "outbox_last_tick_s": None if last is None else round(last, 1)}


def _health_answer(report: HealthReport | bool) -> tuple[str, bytes]:
    if isinstance(report, bool):  # a plain database check
        report = {"database": "ok" if report else "unavailable"}
    ok = report.get("status") != "starting" and all(v == "ok" for v in report.values() if isinstance(v, str))
    body = {"status": "ok" if ok else report.get("status", "unhealthy"), **{k: v for k, v in report.items() if k != "status"}}
    return ("200 OK" if ok else "503 Service Unavailable"), (json.dumps(body) + "\n").encode()


class Service:
    """The WSGI application of HTTP mode. It can answer before the bot is built: /healthz says
    503 "starting" and Slack requests get 503 until `attach` and `Health.ready`."""

    def __init__(
        self,
        healthy: Callable[[], HealthReport | bool],
        signing_secret: str | None = None,
        max_body: int = MAX_BODY_BYTES,
        metrics: Callable[[], bytes] | None = None,
    ) -> None:
        self.healthy = healthy
        self.signing_secret = signing_secret
        self.max_body = max_body
        # GET /metrics (bot.adapters.metrics.Metrics.render); set with `attach` or here.
        self.metrics = metrics
        self._slack: SlackEdge | None = None
        # GET paths Bolt answers itself: the OAuth install link and redirect, in distributed mode.
        self._oauth_paths: frozenset[str] = frozenset()
        # GET /kalender/<token>.ics: the person's calendar feed, or None for an unknown token.
        self.calendar: Callable[[str], bytes | None] | None = None

    def attach(self, app: App, metrics: Callable[[], bytes] | None = None, calendar: Callable[[str], bytes | None] | None = None) -> None:
        self._slack = SlackEdge(SlackRequestHandler(app, path="/slack/events"), self.signing_secret, self.max_body)
        flow = app.oauth_flow
        self._oauth_paths = frozenset({flow.install_path, flow.redirect_uri_path}) if flow is not None else frozenset()
        if metrics is not None:
            self.metrics = metrics
        if calendar is not None:
            self.calendar = calendar

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/healthz" and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            status, body = _health_answer(self.healthy())
            start_response(
                status, [("Content-Type", "application/json"), ("Content-Length", str(len(body))), ("Cache-Control", "no-store")]
            )
            return [] if environ.get("REQUEST_METHOD") == "HEAD" else [body]
        if path == "/metrics" and environ.get("REQUEST_METHOD") == "GET" and self.metrics is not None:
            body = self.metrics()
            start_response(
                "200 OK",
                [
                    ("Content-Type", "text/plain; version=0.0.4; charset=utf-8"),
                    ("Content-Length", str(len(body))),
                    ("Cache-Control", "no-store"),
                ],
            )
            return [body]
        if path.startswith(CALENDAR_PREFIX) and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            return self._calendar(path, environ, start_response)
        if path in self._oauth_paths and environ.get("REQUEST_METHOD") == "GET":
            assert self._slack is not None
            return self._slack(environ, start_response)
        if path == "/slack/events":
            if self._slack is None:
                return _plain(start_response, "503 Service Unavailable", "starting")
            return self._slack(environ, start_response)
        return _plain(start_response, "404 Not Found", "not found")

    def _calendar(self, path: str, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        # The token is a secret: it is never logged, and every wrong one gets the same 404.
        token = path[len(CALENDAR_PREFIX) :].removesuffix(".ics")
        body = self.calendar(token) if self.calendar is not None and path.endswith(".ics") and token else None
        if body is None:
            return _plain(start_response, "404 Not Found", "not found")
        start_response(
            "200 OK",
            [
                ("Content-Type", "text/calendar; charset=utf-8"),
                ("Content-Length", str(len(body))),
                ("Cache-Control", "private, max-age=900"),
                ("Content-Disposition", 'inline; filename="samspel.ics"'),
            ],
        )
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [body]


def wsgi_app(
    app: App,
    healthy: Callable[[], HealthReport | bool],
    signing_secret: str | None = None,
    max_body: int = MAX_BODY_BYTES,
    metrics: Callable[[], bytes] | None = None,
) -> Service:
    service = Service(healthy, signing_secret, max_body, metrics)
    service.attach(app)
    return service


class _QueueDepthFilter(logging.Filter):
    """waitress warns "Task queue depth is N" for every request that waits for a thread: one line a minute is enough."""

    def __init__(self, every_s: float = 60.0) -> None:
        super().__init__()
        self.every_s = every_s
        self.last = -every_s

    def filter(self, record: logging.LogRecord) -> bool:
        now = time.monotonic()
        if now - self.last < self.every_s:
            return False
        self.last = now
        return True


logging.getLogger("waitress.queue").addFilter(_QueueDepthFilter())


class _Channel(HTTPChannel):
    """waitress's connection, without the main loop spinning while a request runs.

    waitress asks to write whenever a connection's output buffer holds bytes. While the
    request's thread is still running, the main loop may only write if it can take that
    thread's buffer lock, which the thread holds while it writes (and while it waits for
    the GIL). So the loop polled and failed in a tight circle: 69,000 polls for 1,800
    commands in the ack benchmark, a tenth of the process's CPU (now 4,900). The request's thread flushes its own output (waitress
    sends at once, `send_bytes` = 1), and wakes the loop when it is done, so the loop only
    needs to write during a request when that thread waits for it: above the high watermark.
    """

    def writable(self) -> bool:
        if self.requests and not (self.will_close or self.close_when_flushed):
            return bool(self.total_outbufs_len > self.adj.outbuf_high_watermark)
        return bool(super().writable())


class HttpServer:
    """A waitress server bound at construction (a taken port raises OSError there), run with `serve_forever`."""

    def __init__(self, application: WsgiApp, port: int, host: str = "0.0.0.0", options: ServerOptions | None = None) -> None:
        opts = options or ServerOptions()
        self.options = opts
        server = create_server(
            application,
            host=host,
            port=port,
            threads=opts.threads,
            backlog=opts.backlog,
            connection_limit=opts.connection_limit,
            channel_timeout=opts.channel_timeout,
            # poll(), not select(): select() cannot watch file descriptors above 1024.
            # waitress refuses Content-Length >= its limit, so +1 lets exactly max_body through to SlackEdge.
            max_request_body_size=opts.max_body + 1,
            asyncore_use_poll=True,
            ident="Samspel",
            expose_tracebacks=False,
        )
        # One host and port: waitress makes a single TCP server (several would make a MultiSocketServer).
        assert isinstance(server, TcpWSGIServer)
        server.channel_class = _Channel
        # Any: types-waitress lacks effective_host/effective_port and the socket map we close on shutdown.
        self._server: Any = server

    @property
    def server_address(self) -> tuple[str, int]:
        return str(self._server.effective_host), int(self._server.effective_port)

    def serve_forever(self) -> None:
        self._server.run()

    def shutdown(self) -> None:
        """Stop from another thread: finish running requests (up to 5 s), then close every socket."""
        self._server.task_dispatcher.shutdown(timeout=5)
        # With its socket map empty, the event loop in serve_forever returns.
        wasyncore.close_all(self._server._map, ignore_all=True)

    def server_close(self) -> None:
        wasyncore.close_all(self._server._map, ignore_all=True)


def make_http_server(
    app: App,
    healthy: Callable[[], HealthReport | bool],
    port: int,
    host: str = "0.0.0.0",
    options: ServerOptions | None = None,
    signing_secret: str | None = None,
) -> HttpServer:
    opts = options or ServerOptions()
    return HttpServer(wsgi_app(app, healthy, signing_secret, opts.max_body), port, host, opts)
