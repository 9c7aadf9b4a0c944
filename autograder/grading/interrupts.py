"""Ctrl-C and SIGTERM: stop the grader on either, and hold them over a block that must not stop half-way."""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager

HELD = {signal.SIGINT, signal.SIGTERM}
STOP = threading.Event()  # set once either signal arrived


def stop(signum, frame):
    """The grader's handler for both signals: raise KeyboardInterrupt, and remember it for :func:`check`.

    Python drops an exception raised while a finalizer or a weakref callback runs ("Exception
    ignored in ..."), so the grader's loop asks :func:`check` as well.
    """
    STOP.set()
    raise KeyboardInterrupt


def check() -> None:
    """Raise KeyboardInterrupt if a stop signal arrived, even one whose first KeyboardInterrupt was dropped."""
    if STOP.is_set():
        raise KeyboardInterrupt


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
