"""Slack Web API calls over kept-alive connections, from urllib3's thread-safe pool.

slack_sdk's sync WebClient opens a new connection for every call (urllib). On a
Monday burst that was half the deliverer's CPU: a TCP handshake and urllib's opener
chain per post. `PooledWebClient` keeps slack_sdk's whole request building, response
handling and error types, and replaces only the one transport step, so a 429 or 500
still reaches slack_sdk (and our outbox) as the `HTTPError` urllib would raise, and a
network failure as a `URLError`.

A POST is never repeated here: only a failed connect is tried again (nothing was sent
then). A connection Slack closed while idle is noticed before reuse by urllib3; if it
closes as the request goes out, the error reaches the outbox, which looks for the
message in Slack before it sends it again.
"""

from __future__ import annotations

import http.client
import io
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.request import Request

import urllib3
from slack_sdk import WebClient

# All workspaces talk to the same host: one pool per process, as large as the outbox's workers
# (DeliveryPolicy.workers). More callers at once get a connection of their own that is closed
# after use (block=False never waits).
_POOL = urllib3.PoolManager(num_pools=4, maxsize=32, block=False)
_RETRY = urllib3.Retry(total=1, connect=1, read=False, redirect=False, status=False, other=False)


class PooledWebClient(WebClient):
    """A WebClient whose calls reuse connections (see the module docstring)."""

    def _perform_urllib_http_request_internal(self, url: str, req: Request) -> dict[str, Any]:
        data = req.data
        if self.proxy is not None or self.ssl is not None or not url.lower().startswith("http") or not isinstance(data, bytes | None):
            # What the pool does not carry over (a proxy, own TLS settings, a streamed body): slack_sdk's own transport.
            return super()._perform_urllib_http_request_internal(url, req)
        try:
            response = _POOL.request(
                "POST", url, body=data, headers=dict(req.header_items()), timeout=self.timeout, retries=_RETRY, preload_content=True
            )
        except urllib3.exceptions.HTTPError as err:
            raise URLError(getattr(err, "reason", None) or err) from err
        body: bytes = response.data
        if not 200 <= response.status < 300:
            raise HTTPError(url, response.status, response.reason or "", _message(response.headers), io.BytesIO(body))
        content_type, charset = _content_type(response.headers.get("Content-Type", ""))
        if content_type == "application/gzip":  # admin.analytics.getFile
            return {"status": response.status, "headers": response.headers, "body": body}
        try:
            text = body.decode(charset)
        except LookupError:  # a charset Python does not know: Slack's JSON is UTF-8
            text = body.decode("utf-8")
        return {"status": response.status, "headers": response.headers, "body": text}


def _content_type(header: str) -> tuple[str, str]:
    """('application/json', 'utf-8') from 'application/json; charset=utf-8'."""
    kind, *params = header.split(";")
    charset = "utf-8"
    for param in params:
        key, _, value = param.strip().partition("=")
        if key.lower() == "charset" and value.strip('"'):
            charset = value.strip('"')
    return kind.strip().lower(), charset


def _message(headers: urllib3.HTTPHeaderDict) -> http.client.HTTPMessage:
    # slack_sdk reads an HTTPError's headers as an email message (get_content_charset).
    message = http.client.HTTPMessage()
    for key, value in headers.items():
        message[key] = value
    return message
