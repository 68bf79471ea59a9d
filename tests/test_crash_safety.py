"""Crash safety: workers die with the build and never hold its lock; publishing is journaled,
so a crash at any point leaves the whole old set or the whole new set; SIGTERM and Ctrl-C
remove the staging folder and say so.

Subprocess tests wait on real conditions (a staging folder, a worker process, a file), each
with a deadline; none sleeps a fixed time.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from handouts.cli import cli
from handouts.errors import OutputError
from handouts.write.publish import JOURNAL, PARTIAL_PREFIX, STAGING_PREFIX, locked, publish, \
    recover

PATIENT = ("--audience", "patient", "--lang", "en", "--paper", "letter")
DEADLINE = 60.0  # seconds any awaited condition may take on a slow machine
CRASHED = 75  # the exit status of an injected crash


def tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob(".handouts-*"))


def wait_for(condition, what: str, process: subprocess.Popen | None = None,
             seconds: float = DEADLINE):
    """Poll `condition` until it returns something true; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the build ended before {what}: "
                                 f"{process.communicate()[1][-2000:]}")
        time.sleep(0.005)
    raise AssertionError(f"timed out waiting for {what}")


# -- processes, read from /proc -------------------------------------------------------------

def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a live process, None once it is gone."""
    try:
        data = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # gone (ENOENT), or going (ESRCH)
        return None
    fields = data[data.rindex(")") + 2:].split()
    return fields[0], int(fields[1])


def alive(pid: int) -> bool:
    stat = _stat(pid)
    return stat is not None and stat[0] not in ("Z", "X")  # a zombie has ended


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat and stat[1] == pid and stat[0] not in ("Z", "X"):
                found.append(int(entry.name))
    return found


def workers(pid: int) -> list[int]:
    """The render workers of a build: children forked from it (same command line) that
    ignore Ctrl-C, as a worker does from its first moment; not a compiler that a library
    runs while it loads (the same command line too, until it execs)."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
        return [child for child in children(pid)
                if Path(f"/proc/{child}/cmdline").read_bytes() == command
                and _ignores(child, signal.SIGINT)]
    except OSError:  # one of them ended meanwhile: look again
        return []


def _ignores(pid: int, signum: int) -> bool:
    status = Path(f"/proc/{pid}/status").read_text()
    mask = int(next(line for line in status.splitlines()
                    if line.startswith("SigIgn:")).split()[1], 16)
    return bool(mask & (1 << (signum - 1)))


def open_folders(pid: int) -> set[str]:
    """The paths of every descriptor the process holds."""
    paths = set()
    try:
        descriptors = list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:  # it has ended
        return paths
    for fd in descriptors:
        try:
            paths.add(os.readlink(fd))
        except OSError:
            pass
    return paths


def can_lock(folder: Path) -> bool:
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(handle)


pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(),
                                reason="reads processes from /proc (Linux)")


def handouts(*args: str, cwd: Path, tmpdir: Path, prelude: str = "",
             new_session: bool = False) -> subprocess.Popen:
    """`python -m handouts ARGS`, or the CLI after `prelude` (code that injects a fault)."""
    env = {**os.environ, "TMPDIR": str(tmpdir)}
    if prelude:
        command = [sys.executable, "-c",
                   prelude + "\nfrom handouts.cli import cli\ncli(prog_name='handouts')",
                   *args]
    else:
        command = [sys.executable, "-m", "handouts", *args]
    return subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=new_session)


@pytest.fixture
def private_tmp(tmp_path) -> Path:
    """The build's own temporary folder, so its staging folder is the only one there."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    return folder


def _staging(tmpdir: Path) -> Path | None:
    return next(tmpdir.glob(STAGING_PREFIX + "*"), None)


# -- (a) workers die with the build and never hold its lock -------------------------------------

def test_a_forked_worker_does_not_hold_the_output_folders_lock(tmp_path):
    """flock belongs to the open file: a child holding a copy would keep the lock after its
    parent let go (or died). Workers start with the build's initializer and hold no copy."""
    out = tmp_path / "out"
    out.mkdir()
    context = multiprocessing.get_context("fork")
    ready, release = context.Event(), context.Event()
    with locked(out):
        worker = context.Process(target=_hold, args=(os.getpid(), ready, release))
        worker.start()
    try:
        assert ready.wait(DEADLINE), "the worker never started"
        assert str(out) not in open_folders(worker.pid)
        assert can_lock(out), "the lock outlived the build that took it"
    finally:
        release.set()
        worker.join(DEADLINE)
    assert worker.exitcode == 0


def _hold(parent: int, ready, release) -> None:
    from handouts.build import _worker_started

    _worker_started(parent)
    ready.set()
    release.wait(DEADLINE)


def test_workers_die_with_a_killed_build_and_the_next_build_is_not_locked_out(
        topic, tmp_path, private_tmp):
    args = ("build", "backwards-walking", "--out", "out", "--audience", "patient",
            "--audience", "trainer", "--lang", "en", "--paper", "letter", "--jobs", "2")
    out = str(tmp_path / "out")
    process = handouts(*args, cwd=tmp_path, tmpdir=private_tmp, new_session=True)
    try:
        forked = wait_for(lambda: _staging(private_tmp) and workers(process.pid),
                          "the render workers to start", process)
        # A worker closes its copy of the lock the moment it is forked (an at-fork hook).
        wait_for(lambda: all(alive(pid) and out not in open_folders(pid) for pid in forked),
                 "the live workers to hold no copy of the output folder's lock", process,
                 seconds=10)
        process.kill()  # SIGKILL: no handler, no finally, nothing of ours runs
        process.wait(timeout=DEADLINE)
        wait_for(lambda: not any(alive(pid) for pid in forked), "the workers to die with it",
                 seconds=10)
    finally:
        _end_group(process)
    assert can_lock(tmp_path / "out"), "a dead build's lock is still held"
    started = time.monotonic()
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    assert "another handouts build" not in result.output
    assert time.monotonic() - started < DEADLINE
    assert leftovers(tmp_path / "out") == []


def _end_group(process: subprocess.Popen) -> tuple[str, str]:
    """Whatever the test found, leave no process of the build behind (it has its own
    session); the build's output."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    return process.communicate(timeout=DEADLINE)


# -- (c) publishing is journaled ------------------------------------------------------------------

OLD = {"t/en/a.pdf": "old a", "t/en/b.pdf": "old b", "t/manifest.json": "old manifest"}
NEW = {"t/en/a.pdf": "new a", "t/en/b.pdf": "new b", "t/manifest.json": "new manifest",
       "t/es/c.pdf": "new c"}  # one file the old set did not have

CRASH = """
import json, os, sys
from pathlib import Path
from handouts.write.publish import publish
root, crash_at, staged = Path(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3])
steps = 0
def step(real):
    def call(*args, **kwargs):
        global steps
        steps += 1
        if steps == crash_at:
            os._exit(%d)  # killed here: no finally, no cleanup
        return real(*args, **kwargs)
    return call
for name in ("replace", "rename", "fsync", "unlink", "rmdir", "mkdir"):
    setattr(os, name, step(getattr(os, name)))
publish(root, {relpath: text.encode() for relpath, text in staged.items()})
""" % CRASHED


def _write(root: Path, files: dict[str, str]) -> None:
    for relpath, text in files.items():
        (root / relpath).parent.mkdir(parents=True, exist_ok=True)
        (root / relpath).write_text(text)


def _texts(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): p.read_text() for p in sorted(root.rglob("*"))
            if p.is_file()}


def test_a_crash_at_any_point_of_publishing_leaves_the_whole_old_or_the_whole_new_set(tmp_path):
    outcomes = []
    for crash_at in range(1, 100):
        root = tmp_path / f"crash-{crash_at}"
        _write(root, OLD)
        run = subprocess.run([sys.executable, "-c", CRASH, str(root), str(crash_at),
                              json.dumps(NEW)], capture_output=True, text=True,
                             timeout=DEADLINE)
        if run.returncode == 0:
            break  # publish completed: every step before this one was a crash point
        assert run.returncode == CRASHED, run.stderr
        left = leftovers(root)
        messages: list[str] = []
        with locked(root, notify=messages.append):  # what the next build or check does
            pass
        found = _texts(root)
        assert found in (OLD, NEW), f"a crash at step {crash_at} left a mix: {found}"
        assert leftovers(root) == [], f"a crash at step {crash_at} left {leftovers(root)}"
        assert len(messages) == (1 if left else 0), (crash_at, left, messages)
        outcomes.append("new" if found == NEW else "old")
    else:
        raise AssertionError("publish never completed")
    assert _texts(root) == NEW and leftovers(root) == []
    assert len(outcomes) >= 10, outcomes  # every file, the journal, every rename
    assert outcomes == sorted(outcomes, key=["old", "new"].index), \
        "once the journal is written, the new set must win"
    assert "old" in outcomes and "new" in outcomes


def test_a_rename_that_fails_midway_is_finished_by_the_next_command(tmp_path, monkeypatch):
    import handouts.write.publish as module

    root = tmp_path / "out"
    _write(root, OLD)
    real, calls = os.replace, []

    def failing(source, target):
        calls.append(target)
        if len(calls) > 2:  # the journal and the first output are renamed, then EIO
            raise OSError(5, "Input/output error")
        return real(source, target)

    monkeypatch.setattr(module.os, "replace", failing)
    with pytest.raises(OutputError, match=r"writing the outputs stopped after 1 of 4 file\(s\): "
                                          r"Input/output error; the next handouts build or "
                                          r"check of this folder finishes it"):
        publish(root, {k: v.encode() for k, v in NEW.items()})
    monkeypatch.setattr(module.os, "replace", real)
    assert (root / JOURNAL).is_file()
    messages: list[str] = []
    assert recover(root, notify=messages.append)
    assert _texts(root) == NEW and leftovers(root) == []
    assert messages == [f"{root}: the last build into this folder was stopped while it "
                        "replaced its outputs; finished replacing them (3 file(s)), so the "
                        "folder holds that build's outputs"]


def test_a_rename_that_fails_once_is_finished_at_once(tmp_path, monkeypatch):
    import handouts.write.publish as module

    root = tmp_path / "out"
    _write(root, OLD)
    real, calls = os.replace, []

    def flaky(source, target):
        calls.append(target)
        if len(calls) == 3:
            raise OSError(5, "Input/output error")
        return real(source, target)

    monkeypatch.setattr(module.os, "replace", flaky)
    publish(root, {k: v.encode() for k, v in NEW.items()})
    assert _texts(root) == NEW and leftovers(root) == []


def test_partial_files_without_a_journal_are_removed_with_a_message(tmp_path):
    root = tmp_path / "out"
    _write(root, OLD)
    _write(root, {f"t/en/{PARTIAL_PREFIX}a.pdf": "half of new a"})
    messages: list[str] = []
    with locked(root, notify=messages.append):
        pass
    assert _texts(root) == OLD
    assert messages == [f"{root}: the last build into this folder was stopped before it "
                        "replaced any output; removed its 1 unfinished file(s), so the folder "
                        "holds the outputs from before it"]


@pytest.mark.parametrize("journal", [
    "not json", json.dumps({"format": "something else", "files": []}),
    json.dumps({"format": "handouts publish journal 1", "files": ["../../outside.txt"]}),
    json.dumps({"format": "handouts publish journal 1", "files": ["/etc/passwd"]}),
])
def test_a_damaged_or_hostile_journal_moves_nothing(tmp_path, journal):
    root = tmp_path / "out"
    _write(root, OLD)
    (tmp_path / f"{PARTIAL_PREFIX}outside.txt").write_text("planted")
    _write(root, {f"t/en/{PARTIAL_PREFIX}a.pdf": "new a", JOURNAL: journal})
    messages: list[str] = []
    with locked(root, notify=messages.append):
        pass
    assert _texts(root) == OLD and leftovers(root) == []
    assert not (tmp_path / "outside.txt").exists()
    assert len(messages) == 1 and "a damaged publish journal was found and removed" in \
        messages[0]


def test_check_finishes_a_publish_but_not_while_a_build_holds_the_lock(tmp_path):
    root = tmp_path / "out"
    _write(root, OLD)
    _write(root, {f"t/en/{PARTIAL_PREFIX}a.pdf": "new a",
                  JOURNAL: json.dumps({"format": "handouts publish journal 1",
                                       "files": ["t/en/a.pdf"]})})
    handle = os.open(root, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        assert recover(root, notify=print) is False  # the build writing it finishes it
        assert (root / JOURNAL).exists()
    finally:
        os.close(handle)
    assert recover(root, notify=lambda message: None) is True
    assert _texts(root) == {**OLD, "t/en/a.pdf": "new a"} and leftovers(root) == []


def test_a_build_killed_between_renames_is_finished_by_the_next_build(topic, tmp_path,
                                                                       private_tmp):
    args = ("build", "backwards-walking", "--out", "out", *PATIENT)
    assert CliRunner().invoke(cli, list(args)).exit_code == 0
    old = tree(tmp_path / "out")
    topic.edit("backwards-walking.md", "Start slow and short.", "Start slow and short, always.")
    # The same build into another folder: the set the killed build was publishing.
    assert CliRunner().invoke(cli, [*args[:3], "expected", *args[4:]]).exit_code == 0
    new = tree(tmp_path / "expected")
    assert new != old
    prelude = f"""
import os
from pathlib import Path
real, renamed = os.replace, []
def replace(source, target):
    if Path(target).name != {JOURNAL!r}:
        if len(renamed) == 1:
            os._exit({CRASHED})  # killed after the first output was renamed
        renamed.append(target)
    return real(source, target)
os.replace = replace
"""
    process = handouts(*args, cwd=tmp_path, tmpdir=private_tmp, prelude=prelude)
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == CRASHED, stderr
    left = tree(tmp_path / "out")
    assert left != old and left != new  # a mix, until the next command
    assert (tmp_path / "out" / JOURNAL).is_file()

    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    assert f"{Path('out')}: the last build into this folder was stopped while it replaced its " \
           "outputs; finished replacing them (3 file(s)), so the folder holds that build's " \
           "outputs" in result.output
    assert "Rendered 0 output(s), 3 up to date" in result.output  # the finished set is whole
    assert tree(tmp_path / "out") == new
    assert leftovers(tmp_path / "out") == []


# -- (d) SIGTERM and Ctrl-C --------------------------------------------------------------------

@pytest.mark.parametrize("how, jobs", [("SIGTERM", "2"), ("Ctrl-C", "2"), ("SIGTERM", "1")])
def test_a_stopped_build_removes_its_staging_folder_and_says_so(topic, tmp_path, private_tmp,
                                                                how, jobs):
    args = ("build", "backwards-walking", "--out", "out", *PATIENT)
    assert CliRunner().invoke(cli, list(args)).exit_code == 0
    before = tree(tmp_path / "out")
    topic.edit("backwards-walking.md", "Start slow and short.", "Start slow and short, always.")
    process = handouts(*args, "--audience", "trainer", "--jobs", jobs, cwd=tmp_path,
                       tmpdir=private_tmp, new_session=True)
    try:
        # Rendering has begun: the staging folder is made (the topics are planned) and
        # workers are forked (after the renderers were imported), or, in a build without
        # workers, the first output is in the staging folder.
        forked = wait_for(lambda: _staging(private_tmp) and (
            workers(process.pid) if jobs != "1" else
            (_staging(private_tmp) / "00000").exists() and [None]),
            "the build to start rendering", process)
        if how == "Ctrl-C":  # a terminal sends SIGINT to the whole foreground group
            os.killpg(process.pid, signal.SIGINT)
        else:
            process.send_signal(signal.SIGTERM)
        process.wait(timeout=DEADLINE)
        wait_for(lambda: not any(alive(pid) for pid in forked if pid), "the workers to end",
                 seconds=10)
    finally:
        stdout, stderr = _end_group(process)
    number = signal.SIGINT if how == "Ctrl-C" else signal.SIGTERM
    assert process.returncode == 128 + number, stderr
    assert f"Error: stopped by {how}; nothing was written: the output folder is as it was" \
        in stderr
    assert "Traceback" not in stdout + stderr
    assert list(private_tmp.glob(STAGING_PREFIX + "*")) == [], \
        "the staging folder was left behind"
    assert tree(tmp_path / "out") == before
    assert leftovers(tmp_path / "out") == []
    assert can_lock(tmp_path / "out")


def test_a_stop_signal_during_publishing_waits_until_every_file_is_in_place(tmp_path,
                                                                           monkeypatch):
    """In-process: SIGTERM arrives at the first rename; the publish finishes, then the build
    stops and says the outputs were written."""
    import handouts.write.publish as module
    from handouts.write.signals import Interrupted, stop_on_signals

    root = tmp_path / "out"
    _write(root, OLD)
    real = os.replace

    def replace(source, target):
        if Path(target).name != JOURNAL:
            monkeypatch.setattr(module.os, "replace", real)
            os.kill(os.getpid(), signal.SIGTERM)
        return real(source, target)

    monkeypatch.setattr(module.os, "replace", replace)
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(Interrupted) as caught, stop_on_signals():
        publish(root, {k: v.encode() for k, v in NEW.items()})
    assert caught.value.exit_code == 128 + signal.SIGTERM
    assert caught.value.format_message() == ("stopped by SIGTERM; the outputs had already been "
                                             "written")
    assert _texts(root) == NEW and leftovers(root) == []
    assert signal.getsignal(signal.SIGTERM) == before  # the build's handlers are gone
