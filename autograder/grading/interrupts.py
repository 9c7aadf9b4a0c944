"""Hold Ctrl-C and SIGTERM over a block that must not stop half-way."""

from __future__ import annotations

import signal
from contextlib import contextmanager

HELD = {signal.SIGINT, signal.SIGTERM}


@contextmanager
def uninterrupted():
    """Hold Ctrl-C and SIGTERM until the block ends: nbgrader's API swallows them (a bare ``except``), and
    raised in one of a fork's hooks, a KeyboardInterrupt would be ignored."""
    signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD)


def release_held() -> None:
    """Take the signals back in a process forked inside :func:`uninterrupted`."""
    signal.pthread_sigmask(signal.SIG_SETMASK, set())
