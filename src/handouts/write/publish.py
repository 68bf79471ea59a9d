"""Writing outputs so that a failed or killed build never leaves a broken file or a mix.

Renders go to a staging folder outside the output folder; only when every
output rendered and passed its checks are they published, in three steps:

1. each file is copied next to its target under a hidden name
   (`.handouts-partial-<name>`) and synced; nothing visible has changed;
2. the journal, `.handouts-journal.json`, listing every target, is written and
   synced under a hidden name and renamed into place: from this moment the new
   set is complete on disk, and the publish will be finished whatever happens;
3. each hidden file is renamed over its target (atomic on one filesystem),
   then the journal is removed.

A build killed at any point leaves either no journal (the next command that
takes the folder's lock removes the hidden files: the old set stays) or a
journal (it renames the remaining hidden files: the new set is complete). So
the folder holds the whole old set or the whole new set, never a mix and no
partial files.

The lock is an exclusive `flock` on the output folder itself (no lock file is
left behind). The kernel releases it when its holder dies, with one catch: a
forked child shares the open file, and would keep the lock after its parent
died, so forked children close it at once (`os.register_at_fork`).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath

from ..errors import OutputError
from .signals import deferred, outputs_written

STAGING_PREFIX = "handouts-staging-"
PARTIAL_PREFIX = ".handouts-partial-"
JOURNAL = ".handouts-journal.json"
JOURNAL_FORMAT = "handouts publish journal 1"
MAX_JOURNAL_BYTES = 1024 * 1024

_held: set[int] = set()  # descriptors of the locks this process holds


def _forget_locks_in_child() -> None:
    """In a forked child: close (never unlock: that would free the parent's lock) our locks."""
    for handle in list(_held):
        with contextlib.suppress(OSError):
            os.close(handle)
    _held.clear()


os.register_at_fork(after_in_child=_forget_locks_in_child)


def _tell(message: str) -> None:
    import click

    click.echo(message, err=True)


@contextlib.contextmanager
def locked(root: Path, notify: Callable[[str], None] = _tell) -> Iterator[None]:
    """Hold an exclusive lock on the output folder; finish or undo a publish left by a crash.

    A folder created only to be locked is removed again if the build wrote nothing.
    """
    created = not root.exists()
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(_explain(root, exc)) from None
    handle = _open_folder(root)
    try:
        if not _try_lock(handle):
            raise OutputError(f"{root}: another handouts build is writing to this folder; "
                              "wait for it to finish, then build again")
        _recover_or_explain(root, notify)
        yield
    finally:
        with deferred():
            _held.discard(handle)
            os.close(handle)
            if created and root.is_dir() and not any(root.iterdir()):
                root.rmdir()


def recover(root: Path, notify: Callable[[str], None] = _tell) -> bool:
    """Finish or undo a publish a crashed build left, unless a build holds the lock now.

    For commands that read the folder without writing it (`handouts check`).
    False when a build is writing the folder (it finishes its own publish).
    """
    if not root.is_dir():
        return True
    handle = _open_folder(root)
    try:
        if not _try_lock(handle):
            return False
        _recover_or_explain(root, notify)
        return True
    finally:
        _held.discard(handle)
        os.close(handle)


def _open_folder(root: Path) -> int:
    """A descriptor of the folder to lock (closed in forked workers: see _held)."""
    try:
        handle = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as exc:
        raise OutputError(_explain(root, exc)) from None
    _held.add(handle)
    return handle


def _try_lock(handle: int) -> bool:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _recover_or_explain(root: Path, notify: Callable[[str], None]) -> None:
    try:
        with deferred():
            messages = _recover(root)
    except OSError as exc:
        raise OutputError(f"{root}: cannot finish the publish a stopped build left: "
                          f"{_reason(exc)}") from None
    for message in messages:
        notify(message)


def _recover(root: Path) -> list[str]:
    """Roll a journaled publish forward, or remove the partial files of one never journaled."""
    messages = []
    journal = root / JOURNAL
    if os.path.lexists(journal):
        targets = _read_journal(journal)
        if targets is None:
            removed = _remove_partials(root)
            journal.unlink()
            _sync_folder(root)
            return [f"{root}: warning: a damaged publish journal was found and removed, with "
                    f"{removed} unfinished file(s); build again with --force so that every "
                    "output comes from one build"]
        finished = _roll_forward(root, targets)
        journal.unlink()
        _sync_folder(root)
        done = f"finished replacing them ({finished} file(s))" if finished else \
            "it had replaced them all"
        messages.append(f"{root}: the last build into this folder was stopped while it replaced "
                        f"its outputs; {done}, so the folder holds that build's outputs")
    removed = _remove_partials(root)
    if removed and not messages:
        messages.append(f"{root}: the last build into this folder was stopped before it "
                        f"replaced any output; removed its {removed} unfinished file(s), so the "
                        "folder holds the outputs from before it")
    return messages


def _read_journal(journal: Path) -> list[Path] | None:
    """The targets the journal lists (relative, inside the folder), or None if it is damaged."""
    try:
        info = os.lstat(journal)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_JOURNAL_BYTES:
            return None
        data = json.loads(journal.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != JOURNAL_FORMAT \
            or not isinstance(data.get("files"), list):
        return None
    targets = []
    for name in data["files"]:
        if not isinstance(name, str) or not _safe_relpath(name):
            return None
        targets.append(Path(*PurePosixPath(name).parts))
    return targets


def _safe_relpath(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and "\\" not in name and "\0" not in name and not path.is_absolute() \
        and all(part not in ("", ".", "..") for part in path.parts) \
        and not path.name.startswith((PARTIAL_PREFIX, JOURNAL))


def _roll_forward(root: Path, targets: list[Path]) -> int:
    finished, folders = 0, set()
    for relpath in targets:
        target = root / relpath
        partial = target.with_name(PARTIAL_PREFIX + target.name)
        with contextlib.suppress(FileNotFoundError):
            if stat.S_ISREG(os.lstat(partial).st_mode):
                os.replace(partial, target)
                finished += 1
                folders.add(target.parent)
    for folder in sorted(folders):
        _sync_folder(folder)
    return finished


def _remove_partials(root: Path) -> int:
    """Hidden files left by a build killed while publishing (we hold the lock)."""
    removed = 0
    for partial in root.rglob(PARTIAL_PREFIX + "*"):
        if not partial.is_dir() or partial.is_symlink():
            partial.unlink(missing_ok=True)
            removed += 1
    return removed


@contextlib.contextmanager
def staging() -> Iterator[Path]:
    """A private folder for renders, removed whatever happens (a stop signal included)."""
    with deferred():
        folder = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX))
    try:
        yield folder
    finally:
        with deferred():
            shutil.rmtree(folder, ignore_errors=True)


def publish(root: Path, staged: dict[str, Path | bytes]) -> list[Path]:
    """Put every staged file (a path or bytes) in place: all copied, journaled, then renamed.

    Copying can fail (disk full, read-only); it happens before any target is
    touched. Renaming over the targets cannot run out of space; should one
    fail all the same, the rest are renamed by the next build or check.
    """
    with deferred():  # a stop signal now waits until every file is in place
        published = _publish(root, staged)
        outputs_written()
    return published


def _publish(root: Path, staged: dict[str, Path | bytes]) -> list[Path]:
    moves = []
    try:
        for relpath, source in sorted(staged.items()):
            target = root / relpath
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(PARTIAL_PREFIX + target.name)
            moves.append((partial, target))
            with open(partial, "wb") as handle:
                if isinstance(source, bytes):
                    handle.write(source)
                else:
                    with open(source, "rb") as data:
                        shutil.copyfileobj(data, handle)
                handle.flush()
                os.fsync(handle.fileno())
        for folder in sorted({target.parent for _, target in moves}):
            _sync_folder(folder)
        _write_journal(root, sorted(staged))
    except OSError as exc:
        _undo(root, moves)
        raise OutputError(_explain(root, exc)) from None
    replaced = 0
    try:
        for partial, target in moves:
            os.replace(partial, target)
            replaced += 1
        for folder in sorted({target.parent for _, target in moves}):
            _sync_folder(folder)
        (root / JOURNAL).unlink()
        _sync_folder(root)
    except OSError as exc:
        if not replaced:
            _undo(root, moves)
            raise OutputError(_explain(root, exc)) from None
        try:
            _recover(root)  # the new set is complete on disk: finish it now if we can
        except OSError:
            raise OutputError(f"{root}: writing the outputs stopped after {replaced} of "
                              f"{len(moves)} file(s): {_reason(exc)}; the next handouts build "
                              "or check of this folder finishes it") from None
    return [target for _, target in moves]


def _write_journal(root: Path, relpaths: list[str]) -> None:
    """The commit point: once the journal is in place, the publish will be finished."""
    data = json.dumps({"format": JOURNAL_FORMAT, "files": relpaths}, indent=1).encode()
    temporary = root / (PARTIAL_PREFIX + JOURNAL.lstrip("."))
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, root / JOURNAL)
    _sync_folder(root)


def _undo(root: Path, moves: list[tuple[Path, Path]]) -> None:
    """Nothing was replaced: remove the journal first (the decision), then the hidden files.

    Should the journal stay, so do the files it lists: the next command then finishes the
    publish, and the folder still holds one whole set.
    """
    try:
        (root / JOURNAL).unlink(missing_ok=True)
    except OSError:
        return
    for leftover in [root / (PARTIAL_PREFIX + JOURNAL.lstrip("."))] + [
            partial for partial, _ in moves]:
        with contextlib.suppress(OSError):
            leftover.unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    """Make the renames and removals in a folder durable (a power cut keeps them)."""
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _reason(exc: OSError) -> str:
    reasons = {errno.EACCES: "the folder is not writable (check its permissions)",
               errno.EROFS: "the folder is on a read-only disk",
               errno.ENOSPC: "the disk is full (free some space)",
               errno.EDQUOT: "the disk quota is exceeded"}
    return reasons.get(exc.errno, exc.strerror or str(exc))


def _explain(root: Path, exc: OSError) -> str:
    return (f"{root}: cannot write the outputs: {_reason(exc)}; earlier outputs were left as "
            "they were")
