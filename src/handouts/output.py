"""Writing outputs so that a failed or killed build never leaves a broken file.

Everything is written into a staging folder inside the output folder first
and moved into place with os.replace (atomic on one filesystem) only after
every file was written and synced. A lock keeps two builds from writing the
same folder at once.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from .errors import OutputError

LOCK_NAME = ".handouts.lock"
STAGING_PREFIX = ".handouts-staging-"


@contextlib.contextmanager
def locked(root: Path) -> Iterator[None]:
    """Hold the output folder's lock; a second build gets a clear error, not a mixed folder."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        handle = open(root / LOCK_NAME, "a+")
    except OSError as exc:
        raise OutputError(_explain(root, exc)) from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(f"{root}: another handouts build is writing to this folder; "
                              "wait for it to finish, then build again") from None
        _remove_stale_staging(root)
        yield


def _remove_stale_staging(root: Path) -> None:
    """Staging folders left by a killed build (we hold the lock, so none is in use)."""
    for stale in root.glob(STAGING_PREFIX + "*"):
        shutil.rmtree(stale, ignore_errors=True)


def write_all(root: Path, files: dict[str, bytes]) -> list[Path]:
    """Write every file or none: stage, sync, then move each into place."""
    staging = root / f"{STAGING_PREFIX}{os.getpid()}"
    try:
        staging.mkdir(parents=True, exist_ok=False)
        staged = []
        for relpath, data in sorted(files.items()):
            temp = staging / relpath
            temp.parent.mkdir(parents=True, exist_ok=True)
            with open(temp, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            staged.append((temp, root / relpath))
        written = []
        for temp, target in staged:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temp, target)
            written.append(target)
        return written
    except OSError as exc:
        raise OutputError(_explain(root, exc)) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _explain(root: Path, exc: OSError) -> str:
    reasons = {errno.EACCES: "the folder is not writable (check its permissions)",
               errno.EROFS: "the folder is on a read-only disk",
               errno.ENOSPC: "the disk is full (free some space)",
               errno.EDQUOT: "the disk quota is exceeded"}
    reason = reasons.get(exc.errno, exc.strerror or str(exc))
    return f"{root}: cannot write the outputs: {reason}; earlier outputs were left as they were"
