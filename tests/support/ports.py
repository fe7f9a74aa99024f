"""A free TCP port for a server a test or benchmark starts as its own process."""

from __future__ import annotations

import random
import socket


def free_port() -> int:
    """A port that is free now, below Linux's ephemeral range (32768 and up).

    A port the kernel hands out for `bind(0)` is an ephemeral one: before the started
    process binds it, that process's (or anyone's) outgoing connection may take it.
    """
    while True:
        port = random.randint(20000, 30000)
        with socket.socket() as s:
            try:
                s.bind(("0.0.0.0", port))
            except OSError:
                continue
            return port
