"""HTTP mode: POST /slack/events through Bolt, GET /healthz for the platform, on waitress.

waitress rather than wsgiref: a bounded pool of worker threads, a real listen backlog,
idle-connection timeouts, and a request is read by its event loop (not by a worker
thread) and only handed to the application once it is complete and within
`max_request_body_size`. It runs on Windows servers too, which many kommuner use.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import waitress
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from waitress import wasyncore

log = logging.getLogger(__name__)

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


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


def wsgi_app(app: App, healthy: Callable[[], bool]) -> WsgiApp:
    slack = SlackRequestHandler(app, path="/slack/events")

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/healthz" and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            ok = healthy()
            body = b"ok\n" if ok else b"database unavailable\n"
            start_response("200 OK" if ok else "503 Service Unavailable", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
            return [body]
        if path == "/slack/events":
            return slack(environ, start_response)
        start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", "10")])
        return [b"not found\n"]

    return application


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


class HttpServer:
    """A waitress server bound at construction (a taken port raises OSError there), run with `serve_forever`."""

    def __init__(self, application: WsgiApp, port: int, host: str = "0.0.0.0", options: ServerOptions | None = None) -> None:
        opts = options or ServerOptions()
        self.options = opts
        self._server = waitress.create_server(
            application, host=host, port=port, threads=opts.threads, backlog=opts.backlog,
            connection_limit=opts.connection_limit, channel_timeout=opts.channel_timeout,
            # poll(), not select(): select() cannot watch file descriptors above 1024.
            asyncore_use_poll=True, ident="Samspel", expose_tracebacks=False,
        )

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


def make_http_server(app: App, healthy: Callable[[], bool], port: int, host: str = "0.0.0.0",
                     options: ServerOptions | None = None) -> HttpServer:
    return HttpServer(wsgi_app(app, healthy), port, host, options)
