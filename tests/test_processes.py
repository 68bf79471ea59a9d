"""Planning in a forked process while the build loads its renderers (processes.py).

The child is a shortcut: its result must be the work's own, and whenever it
cannot give one the work runs again in the build's process, so that errors
and their tracebacks are the build's own.
"""

from __future__ import annotations

import os
import signal
import time

import pytest

from handouts.processes import alongside


class Raised(Exception):
    pass


def _pid_of_the_work() -> int:
    return os.getpid()


def test_the_work_runs_in_another_process_while_this_one_does_its_part():
    calls = []
    started = time.perf_counter()

    def work():
        time.sleep(0.5)
        return os.getpid()

    def meanwhile():
        time.sleep(0.5)
        calls.append(os.getpid())

    pid = alongside(work, meanwhile)
    assert pid != os.getpid()
    assert calls == [os.getpid()]
    assert time.perf_counter() - started < 0.9  # the two halves overlapped


def test_a_result_comes_back_whole():
    result = alongside(lambda: {"topics": [("a", 1)] * 1000, "text": "لا 中文"}, lambda: None)
    assert result == {"topics": [("a", 1)] * 1000, "text": "لا 中文"}


def test_an_error_in_the_work_is_raised_by_the_work_run_again_here():
    def work():
        raise Raised(os.getpid())

    with pytest.raises(Raised) as raised:
        alongside(work, lambda: None)
    assert raised.value.args == (os.getpid(),)  # raised here, with this process's traceback
    assert any(frame.name == "work" for frame in _frames(raised.value))


def test_a_result_that_cannot_be_pickled_is_computed_here():
    parent = os.getpid()

    def work():
        return (os.getpid(), lambda: None)  # a lambda does not pickle

    pid, _ = alongside(work, lambda: None)
    assert pid == parent


def test_a_killed_child_leaves_the_work_to_this_process():
    parent = os.getpid()

    def work():
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return "computed here"

    assert alongside(work, lambda: None) == "computed here"


def test_when_this_process_stops_the_child_is_killed_and_reaped():
    children = []

    def work():
        time.sleep(60)

    def meanwhile():
        children.extend(_children())
        raise KeyboardInterrupt

    started = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        alongside(work, meanwhile)
    assert time.perf_counter() - started < 10
    assert len(children) == 1
    assert not os.path.exists(f"/proc/{children[0]}"), "the child outlived the stop"


def _children() -> list[int]:
    found = []
    for task in os.listdir(f"/proc/{os.getpid()}/task"):
        with open(f"/proc/{os.getpid()}/task/{task}/children") as listing:
            text = listing.read()
        found += [int(pid) for pid in text.split()]
    return found


def _frames(error: BaseException):
    import traceback
    return traceback.extract_tb(error.__traceback__)


def test_when_no_process_can_be_started_both_parts_run_here(monkeypatch):
    from multiprocessing.process import BaseProcess

    def refused(self):
        raise OSError(11, "Resource temporarily unavailable")  # fork's EAGAIN

    monkeypatch.setattr(BaseProcess, "start", refused)
    calls = []
    assert alongside(os.getpid, lambda: calls.append(os.getpid())) == os.getpid()
    assert calls == [os.getpid()]
