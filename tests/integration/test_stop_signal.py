"""SIGTERM stops Samspel whichever thread the kernel hands it to.

A platform stops the bot with SIGTERM (a deploy, a scale-down). The kernel may deliver it
to any thread; Python then runs the handler only when the main thread wakes up. A main
thread blocked in a plain `Event.wait()` never did, so the stop hung until SIGKILL, and
rows being sent were left leased.
"""

from __future__ import annotations

import subprocess
import sys

from tests.support.paths import ROOT

_PROGRAM = """
import signal, threading
from bot.cli import _wait_for

stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())

def deliver_to_me():
    # As the kernel may do: the signal lands on this thread, not on the main one.
    signal.pthread_kill(threading.get_ident(), signal.SIGTERM)

threading.Timer(0.2, deliver_to_me).start()
_wait_for(stop)
print("stopped")
"""


def test_a_sigterm_delivered_to_another_thread_stops_the_wait() -> None:
    done = subprocess.run([sys.executable, "-c", _PROGRAM], cwd=ROOT, capture_output=True, text=True, timeout=20)
    assert done.stdout.strip() == "stopped", done.stderr
