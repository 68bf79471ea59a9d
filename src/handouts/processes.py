"""A build's child processes: they die with it, and one can plan while the build loads.

A build spends its first half second on two things that do not need each
other: planning (reading, checking and translating every topic; pure Python
that only reads files) and loading the renderers (importing WeasyPrint,
python-pptx and the citation style). The renderers must load in the build's
own process, because the render workers fork from it with them loaded; the
planning can run in a child forked before they load, on the other core, and
send its result back pickled (`alongside`).

The child is a shortcut, never a second source of truth: if it gives no
result (its work raised, it was killed, the result would not pickle), the
work runs again in the build's process, so an error surfaces exactly as
without it, with its own traceback. The child dies with the build (Linux
PDEATHSIG, else a watcher thread) and is killed when the build's own part
raises (Ctrl-C, SIGTERM).
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

PR_SET_PDEATHSIG = 1  # linux/prctl.h


class NoResult:
    """What a child sends when its work raised or its result would not pickle."""


def alongside(work: Callable[[], T], meanwhile: Callable[[], None]) -> T:
    """`work()`, computed in a forked child while this process runs `meanwhile()`."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_work_in_child, args=(work, sender, os.getpid()),
                            daemon=True)
    try:
        child.start()
    except OSError:  # no process to be had (out of memory, a process limit): one at a time
        receiver.close()
        sender.close()
        meanwhile()
        return work()
    sender.close()
    result, finished = NoResult(), False
    try:
        meanwhile()
        result, finished = _received(receiver), True
    finally:
        if not finished:
            child.kill()  # meanwhile() raised (Ctrl-C, SIGTERM): the result is not wanted
        child.join()
        receiver.close()
    return work() if isinstance(result, NoResult) else result


def _received(receiver):
    try:
        return receiver.recv()
    except (EOFError, OSError, pickle.UnpicklingError, AttributeError, ImportError):
        return NoResult()  # the child died before sending, or sent something unreadable


def _work_in_child(work: Callable[[], T], sender, parent: int) -> None:
    die_with_parent(parent)
    try:
        result = work()
        payload = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:  # noqa: BLE001 (the parent runs the work again and sees it)
        payload = pickle.dumps(NoResult())
    sender.send_bytes(payload)
    sender.close()


def die_with_parent(parent: int) -> None:
    """In a child: exit when `parent` exits, however it exits."""
    if not _kill_me_with_parent():
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)


def _kill_me_with_parent() -> bool:
    """Ask Linux to SIGKILL this process when its parent exits, however the parent exits."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    """Elsewhere: notice within a second that the parent is gone, and exit."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)
