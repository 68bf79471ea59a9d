"""SIGTERM and Ctrl-C (SIGINT) stop a build cleanly: a clear message, no staging folder left.

While `stop_on_signals()` is active (in the main thread), either signal raises
an exception where the build is (a BaseException, like KeyboardInterrupt, so
that no `except Exception` in a library swallows it), so the `finally` blocks
that remove the staging folder and release the lock run as for any other
error; the block then raises `Interrupted`, the message users see. Inside
`deferred()` (publishing, removing the staging folder, releasing the lock) a
signal waits until the section ends, so a stop never leaves half of that work
done; a second signal while the first is handled is ignored.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator

from ..errors import HandoutsError

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(HandoutsError):
    """The build was stopped by a signal; exit 128 + the signal's number, as shells do."""

    def __init__(self, signum: int, written: bool = False):
        name = "Ctrl-C" if signum == signal.SIGINT else signal.Signals(signum).name
        outcome = ("the outputs had already been written" if written else
                   "nothing was written: the output folder is as it was")
        super().__init__(f"stopped by {name}; {outcome}")
        self.exit_code = 128 + signum


class _Stopped(BaseException):
    """Raised by the handler where the build is. A BaseException, as KeyboardInterrupt is, so
    that no library's `except Exception` swallows it; stop_on_signals() turns it into
    Interrupted."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


class _State:
    active = False
    pid = 0  # the process that installed the handlers
    depth = 0  # deferred() sections entered
    pending: int | None = None  # a signal that arrived inside one
    fired = False  # Interrupted was raised: later signals are ignored
    written = False  # the outputs are in place


_state = _State()


def _handle(signum: int, frame) -> None:
    if os.getpid() != _state.pid:  # a worker forked a moment ago, before ignore_in_worker()
        if signum == signal.SIGTERM:
            os._exit(128 + signum)
        return
    if _state.fired:
        return
    if _state.depth:
        _state.pending = signum
        return
    _state.fired = True
    raise _Stopped(signum)


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """SIGINT and SIGTERM raise Interrupted in this (main) thread until the block ends."""
    if threading.current_thread() is not threading.main_thread() or _state.active:
        yield
        return
    previous = {signum: signal.getsignal(signum) for signum in SIGNALS}
    _state.active, _state.pid, _state.depth, _state.pending = True, os.getpid(), 0, None
    _state.fired = _state.written = False
    try:
        for signum in SIGNALS:
            signal.signal(signum, _handle)
        yield
    except _Stopped as stopped:
        raise Interrupted(stopped.signum, _state.written) from None
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        _state.active = False


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """A section a signal does not cut short; the stop happens when it ends."""
    _state.depth += 1
    try:
        yield
    except BaseException:
        _state.depth -= 1
        raise
    _state.depth -= 1
    if not _state.depth and _state.pending is not None and not _state.fired:
        _state.fired = True
        raise _Stopped(_state.pending)


def outputs_written() -> None:
    """From now on, a stop reports that the outputs were written."""
    _state.written = True


def ignore_in_worker() -> None:
    """In a render worker: Ctrl-C is the main process's to handle; SIGTERM ends the worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _after_fork_in_child() -> None:
    if _state.active:
        _state.active = False
        ignore_in_worker()


os.register_at_fork(after_in_child=_after_fork_in_child)
