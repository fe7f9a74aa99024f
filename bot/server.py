"""HTTP mode: POST /slack/events through Bolt, GET /healthz for the platform, on waitress.

waitress rather than wsgiref: a bounded pool of worker threads, a real listen backlog,
idle-connection timeouts, and a request is read by its event loop (not by a worker
thread) and only handed to the application once it is complete and within
`max_request_body_size`. It runs on Windows servers too, which many kommuner use.
"""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import waitress
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk.signature import SignatureVerifier
from waitress import wasyncore

log = logging.getLogger(__name__)

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


# Slack's largest real payload, a full spelregler modal submission, is far below this.
MAX_BODY_BYTES = 1024 * 1024
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
            return _refuse(start_response, "413 Content Too Large", "request too large",
                           f"{length} bytes, over the {self.max_body} byte limit")
        media_type = str(environ.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()
        if media_type not in ACCEPTED_TYPES:
            return _refuse(start_response, "415 Unsupported Media Type", "unsupported content type",
                           f"content type {media_type[:60]!r}")
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
                return _refuse(start_response, "401 Unauthorized", "invalid request",
                               f"unsigned, stale or wrongly signed ({length} bytes)")
        environ["wsgi.input"], environ["CONTENT_LENGTH"] = io.BytesIO(raw), str(length)
        try:
            return self.bolt(environ, start_response)
        except Exception as err:  # noqa: BLE001 - a signed request Bolt cannot parse: say so, no traceback
            log.warning("http: 400 on /slack/events: Bolt could not read a signed request (%s)", type(err).__name__)
            return _plain(start_response, "400 Bad Request", "unreadable request")


def wsgi_app(app: App, healthy: Callable[[], bool], signing_secret: str | None = None, max_body: int = MAX_BODY_BYTES) -> WsgiApp:
    slack = SlackEdge(SlackRequestHandler(app, path="/slack/events"), signing_secret, max_body)

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/healthz" and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            ok = healthy()
            body = b"ok\n" if ok else b"database unavailable\n"
            start_response("200 OK" if ok else "503 Service Unavailable", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
            return [body]
        if path == "/slack/events":
            return slack(environ, start_response)
        return _plain(start_response, "404 Not Found", "not found")

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
            # waitress refuses Content-Length >= its limit, so +1 lets exactly max_body through to SlackEdge.
            max_request_body_size=opts.max_body + 1,
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
                     options: ServerOptions | None = None, signing_secret: str | None = None) -> HttpServer:
    opts = options or ServerOptions()
    return HttpServer(wsgi_app(app, healthy, signing_secret, opts.max_body), port, host, opts)
