"""Watch the topics, their catalogs and the templates; rebuild what a save changed.

A rebuild goes through the ordinary build (every check runs, the output
folder is published all or nothing), narrowed to the topics the saved files
belong to (every topic when a template changed), and the build's own
up-to-date check skips every output a save did not change. The web editions
are built first, in this process (a few tenths of a second), so the open
page reloads at once; the PDFs and decks follow in a `handouts build` child
process, which the next save stops (a stopped build leaves the folder as it
was) so that a save never waits for a PDF.
"""

from __future__ import annotations

import dataclasses
import json
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from ..build import BuildRequest, build
from ..errors import ContentErrors, HandoutsError
from ..write.signals import Interrupted
from .state import PreviewState

WEB_FORMATS = ("patient-web", "clinician-web")


class Rebuilder:
    """Builds the web editions here and the rest in the background, into the preview's state."""

    def __init__(self, request: BuildRequest, state: PreviewState, say: Callable[[str], None]):
        self.request, self.state, self.say = request, state, say
        self.background: subprocess.Popen | None = None
        self.background_log = None
        self.background_topics: tuple[Path, ...] = ()
        self.before: dict[str, str] = {}
        self.started = 0.0

    def rebuild(self, topics: Iterable[Path]) -> None:
        topics = tuple(topics)
        self.stop_background()
        if not self._build_web(topics):
            self._start_background(topics)

    def _build_web(self, topics: tuple[Path, ...]) -> list[str]:
        request = dataclasses.replace(self.request, topics=topics, formats=WEB_FORMATS,
                                      blocked=[])
        started = time.perf_counter()
        self.state.started()
        changed, errors, notices = [], [], []
        try:
            report = build(request)
            changed = [output.relpath for output in report.outputs]
            notices = sorted({str(p) for p in request.blocked if not getattr(p, "warning", False)})
        except Interrupted:
            raise
        except ContentErrors as exc:
            errors = [str(p) for p in exc.problems if not p.warning]
        except HandoutsError as exc:
            errors = [str(exc)]
        self.state.finished(changed, errors, notices)
        self._report("web pages", topics, len(changed), started, errors + notices)
        return errors

    def _start_background(self, topics: tuple[Path, ...]) -> None:
        """`handouts build --quiet` for everything else (the web pages are up to date)."""
        request = self.request
        command = [sys.executable, "-m", "handouts", "build", *map(str, topics),
                   "--out", str(request.out), "--templates", str(request.templates), "--quiet"]
        for audience in request.audiences:
            command += ["--audience", audience]
        for language in request.languages:
            command += ["--lang", language]
        self.before = _output_digests(request.out, topics)
        self.background_log = tempfile.TemporaryFile()
        self.background_topics, self.started = topics, time.perf_counter()
        self.background = subprocess.Popen(command, stdin=subprocess.DEVNULL,
                                           stdout=self.background_log,
                                           stderr=subprocess.STDOUT)

    def poll(self) -> None:
        """When the background build has ended: its outputs and errors into the state."""
        if self.background is None or self.background.poll() is None:
            return
        code = self.background.returncode
        self.background_log.seek(0)
        lines = self.background_log.read().decode("utf-8", "replace").splitlines()
        self.background_log.close()
        self.background = None
        # The web pages of this save are built and shown: what the PDFs and decks met is a
        # notice beside them, not an error in their place.
        notices = [line for line in lines if line.strip()] if code else []
        after = _output_digests(self.request.out, self.background_topics)
        changed = sorted(path for path, digest in after.items() if self.before.get(path) != digest)
        self.state.finished(changed, [], notices)
        self._report("PDFs and decks", self.background_topics, len(changed), self.started,
                     notices)

    def stop_background(self) -> None:
        """Stop a background build now (it removes its staging folder and writes nothing)."""
        if self.background is not None and self.background.poll() is None:
            self.background.send_signal(signal.SIGTERM)
            try:
                self.background.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.background.kill()
                self.background.wait()
        if self.background is not None:
            self.background_log.close()
            self.background = None

    def _report(self, what: str, topics, count: int, started: float, errors: list[str]) -> None:
        self.say(f"Built {what} of {', '.join(t.name for t in topics)}: {count} changed in "
                 f"{time.perf_counter() - started:.1f} s"
                 + (f"; {len(errors)} problem(s):" if errors else "."))
        for error in errors:
            self.say(f"  {error}")


def _output_digests(out: Path, topics: Iterable[Path]) -> dict[str, str]:
    """Output path (under the output folder) -> sha256, from the topics' manifests."""
    digests = {}
    for topic in topics:
        try:
            manifest = json.loads((out / topic.resolve().name / "manifest.json").read_text("utf-8"))
            for entry in manifest.get("outputs", []):
                digests[f"{topic.resolve().name}/{entry['path']}"] = str(entry.get("sha256"))
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            continue
    return digests


def affected_topics(changes: Iterable[str], topics: list[Path], templates: Path) -> list[Path]:
    """The topics whose outputs a set of saved paths can change: all for a template."""
    paths = [Path(change).resolve() for change in changes]
    if any(templates == p or templates in p.parents for p in paths):
        return list(topics)
    return [topic for topic in topics
            if any(topic.resolve() == p or topic.resolve() in p.parents for p in paths)]


def watch(topics: list[Path], templates: Path, out: Path, rebuilder: Rebuilder) -> None:
    """Rebuild on every save until Ctrl-C (KeyboardInterrupt) or SIGTERM."""
    import watchfiles

    out = out.resolve()

    def wanted(change: watchfiles.Change, path: str) -> bool:
        resolved = Path(path).resolve()
        return (watchfiles.DefaultFilter()(change, path) and out not in resolved.parents
                and not resolved.name.startswith((".", "#")) and not path.endswith("~"))

    for changes in watchfiles.watch(*topics, templates, watch_filter=wanted, debounce=400,
                                    step=30, rust_timeout=250, yield_on_timeout=True,
                                    raise_interrupt=True):
        affected = affected_topics((path for _, path in changes), topics, templates)
        if affected:
            rebuilder.rebuild(affected)
        rebuilder.poll()
