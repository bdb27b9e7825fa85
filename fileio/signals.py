"""SIGTERM and SIGHUP handled like SIGINT: an exception unwinds the program, every writer's
`except BaseException` removes its temporary, and main.py prints one line and exits 128 + N
(143 for SIGTERM, 129 for SIGHUP, 130 for Ctrl-C)."""
from __future__ import annotations

import os
import signal


class Terminated(BaseException):
    """Raised in the main thread by SIGTERM / SIGHUP (a BaseException, like KeyboardInterrupt)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum
        self.name = signal.Signals(signum).name
        self.exit_code = 128 + signum


_OWNER_PID: int | None = None


def install() -> dict:
    """Install the handlers in this process (main.py); returns the previous ones for `restore`. A
    forked child (the app's worker) gets the default action back, so `terminate()` still stops it at once."""
    global _OWNER_PID
    _OWNER_PID = os.getpid()
    previous = {}
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            previous[getattr(signal, name)] = signal.signal(getattr(signal, name), _handler)
    return previous


def restore(previous: dict) -> None:
    """Put back the handlers `install` replaced (main() called in-process, e.g. by tests, leaves the
    caller's own handling as it was)."""
    for signum, handler in previous.items():
        signal.signal(signum, handler if handler is not None else signal.SIG_DFL)


def _handler(signum, frame) -> None:
    if os.getpid() != _OWNER_PID:
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    raise Terminated(signum)
