"""The HTTP server sends every answer whole: small ones at once, large ones to a slow reader, many at a time.

The server's connection writes from the request's own thread and lets waitress's main
loop write during a request only when that thread waits for it (see bot/server.py
`_Channel`); these prove no answer is cut short or left hanging by that.
"""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from bot.server import HttpServer, StartResponse

CHUNK = b"x" * (1024 * 1024)


def _app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    path = environ["PATH_INFO"]
    if path == "/large":
        # Past waitress's 16 MiB high watermark, so the request's thread must wait for the main loop.
        size = 24 * len(CHUNK)
        start_response("200 OK", [("Content-Type", "application/octet-stream"), ("Content-Length", str(size))])
        return iter([CHUNK] * 24)
    if path == "/slow":
        # The answer's first part goes out, then the request runs on before it writes the rest.
        def parts() -> Iterator[bytes]:
            yield b"first;"
            time.sleep(0.3)
            yield b"second"

        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "12")])
        return parts()
    body = f"answer {path}".encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


@pytest.fixture
def base() -> Iterator[tuple[str, int]]:
    srv = HttpServer(_app, 0, host="127.0.0.1")
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv.server_address
    srv.shutdown()
    thread.join(timeout=10)


def _get(address: tuple[str, int], path: str, *, read_slowly: bool = False) -> bytes:
    conn = http.client.HTTPConnection(*address, timeout=20)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        if not read_slowly:
            return resp.read()
        parts = []
        while part := resp.read(256 * 1024):
            parts.append(part)
            time.sleep(0.02)
        return b"".join(parts)
    finally:
        conn.close()


def test_a_large_answer_reaches_a_slow_reader_whole(base: tuple[str, int]) -> None:
    body = _get(base, "/large", read_slowly=True)
    assert len(body) == 24 * len(CHUNK)
    assert set(body) == {ord("x")}


def test_an_answer_written_in_parts_arrives_whole(base: tuple[str, int]) -> None:
    assert _get(base, "/slow") == b"first;second"


def test_many_concurrent_answers_each_arrive_whole_and_to_the_right_client(base: tuple[str, int]) -> None:
    paths = [f"/n{i}" for i in range(200)]
    with ThreadPoolExecutor(max_workers=50) as pool:
        answers = list(pool.map(lambda p: _get(base, p), paths))
    assert answers == [f"answer {p}".encode() for p in paths]
