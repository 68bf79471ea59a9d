"""What the preview has built: a build number, the files it changed, and its errors.

The build runs on the main thread (it installs signal handlers) while the
HTTP server's threads read this state; a condition wakes the event streams
when a build finishes.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Snapshot:
    version: int
    building: bool
    errors: tuple[str, ...]  # file:line messages of a build that wrote nothing
    notices: tuple[str, ...]  # problems of outputs left out (a stale catalog, a PDF check)
    changed: tuple[str, ...]  # output paths (under the output folder) the last build wrote

    def as_json(self) -> dict:
        return {"version": self.version, "building": self.building, "errors": list(self.errors),
                "notices": list(self.notices), "changed": list(self.changed)}


@dataclass
class PreviewState:
    version: int = 0
    building: bool = False
    errors: tuple[str, ...] = ()
    notices: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    closed: bool = False
    _condition: threading.Condition = field(default_factory=threading.Condition)

    def snapshot(self) -> Snapshot:
        with self._condition:
            return Snapshot(self.version, self.building, self.errors, self.notices, self.changed)

    def started(self) -> None:
        with self._condition:
            self.building = True

    def finished(self, changed: list[str], errors: list[str], notices: list[str]) -> None:
        """A build ended: streams wake and tell their pages (reload, or show the errors)."""
        with self._condition:
            self.version += 1
            self.building = False
            self.changed, self.errors, self.notices = tuple(changed), tuple(errors), tuple(notices)
            self._condition.notify_all()

    def wait_after(self, version: int, timeout: float) -> Snapshot:
        """The state once its version passes `version` (or after `timeout`, or on close)."""
        with self._condition:
            self._condition.wait_for(lambda: self.version > version or self.closed, timeout)
            return Snapshot(self.version, self.building, self.errors, self.notices, self.changed)

    def close(self) -> None:
        with self._condition:
            self.closed = True
            self._condition.notify_all()
