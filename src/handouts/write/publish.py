"""Writing outputs so that a failed or killed build never leaves a broken file.

Renders go to a staging folder outside the output folder; only when every
output rendered and passed its checks are the files copied next to their
targets under hidden names and synced, and then renamed over them (atomic on
one filesystem).
A build killed while rendering leaves the output folder untouched; a lock on
the output folder keeps two builds from writing it at once.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import OutputError

STAGING_PREFIX = "handouts-staging-"
PARTIAL_PREFIX = ".handouts-partial-"


@contextlib.contextmanager
def locked(root: Path) -> Iterator[None]:
    """Hold an exclusive lock on the output folder itself (no lock file is left behind).

    A folder created only to be locked is removed again if the build wrote nothing.
    """
    created = not root.exists()
    try:
        root.mkdir(parents=True, exist_ok=True)
        handle = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise OutputError(_explain(root, exc)) from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(f"{root}: another handouts build is writing to this folder; "
                              "wait for it to finish, then build again") from None
        _remove_partials(root)
        yield
    finally:
        os.close(handle)
        if created and not any(root.iterdir()):
            root.rmdir()


def _remove_partials(root: Path) -> None:
    """Hidden files left by a build killed while publishing (we hold the lock)."""
    for partial in root.rglob(PARTIAL_PREFIX + "*"):
        partial.unlink(missing_ok=True)


@contextlib.contextmanager
def staging() -> Iterator[Path]:
    """A private folder for renders, removed whatever happens."""
    folder = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def publish(root: Path, staged: dict[str, Path | bytes]) -> list[Path]:
    """Put every staged file (a path or bytes) in place: all copied first, then renamed.

    Copying can fail (disk full, read-only); it happens before any target is
    touched. Renaming over the targets cannot run out of space.
    """
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
        for partial, target in moves:
            os.replace(partial, target)
    except OSError as exc:
        for partial, _ in moves:
            partial.unlink(missing_ok=True)
        raise OutputError(_explain(root, exc)) from None
    return [target for _, target in moves]


def _explain(root: Path, exc: OSError) -> str:
    reasons = {errno.EACCES: "the folder is not writable (check its permissions)",
               errno.EROFS: "the folder is on a read-only disk",
               errno.ENOSPC: "the disk is full (free some space)",
               errno.EDQUOT: "the disk quota is exceeded"}
    reason = reasons.get(exc.errno, exc.strerror or str(exc))
    return f"{root}: cannot write the outputs: {reason}; earlier outputs were left as they were"
