"""build(): plan -> (skip what is up to date) -> render -> check -> write, in that order.

Every topic is loaded and checked before anything is rendered, and every
output is rendered and read back before anything is written: a problem
anywhere leaves the output folder exactly as it was. Renders run in
parallel processes; results are reported in a fixed order whatever finishes
first. An output whose inputs, or whose content, match its manifest entry is
not rendered again.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from typing import TYPE_CHECKING

from . import manifest
from .builders import renderer, warm_up
from .errors import ContentErrors, HandoutsError, Location, Problem
from .output import locked, publish, staging
from .plan import (BuildRequest, Job, TopicPlan, finish, measure_readability, plan_topic,
                   planned_specs)
from .topicfile import load_topic

if TYPE_CHECKING:  # checks and readability are imported only when there is work
    from .checks import CheckResult
    from .readability import Readability

__all__ = ["BuildRequest", "BuildReport", "build"]


@dataclass
class OutputReport:
    relpath: str
    size: int
    pages: int
    seconds: float
    checks: list[CheckResult]


@dataclass
class BuildReport:
    outputs: list[OutputReport] = field(default_factory=list)  # rendered this time
    up_to_date: list[str] = field(default_factory=list)  # skipped: unchanged since last build
    readability: dict[tuple[str, str, str], Readability | dict] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


@dataclass
class _Topic:
    """One topic's share of the build: what to render, and the manifest entries to keep."""

    id: str
    plan: TopicPlan | None
    render: list[Job] = field(default_factory=list)
    carried: list[dict] = field(default_factory=list)  # manifest entries of skipped outputs
    digests: dict[str, tuple[str, str]] = field(default_factory=dict)  # relpath -> (inputs, content)
    old: dict = field(default_factory=dict)


def build(request: BuildRequest) -> BuildReport:
    report = BuildReport()
    with locked(request.out):
        topics = _plan(request, report)
        jobs = [job for topic in topics for job in topic.render]
        with staging() as folder:
            # Readability is measured while the workers render: its verdict is only
            # needed before writing.
            results = _render_all(jobs, request, folder,
                                  lambda: _measure(topics, report, request.strict))
            _raise_failures(results)
            files = {r["relpath"]: r["file"] for r in results}
            files.update(_manifests(request, topics, results, report))
            report.outputs = [OutputReport(r["relpath"], r["size"], r["pages"], r["seconds"],
                                           r["checks"]) for r in results]
            report.written = publish(request.out, files) if files else []
    return report


# -- planning, with the up-to-date shortcuts ------------------------------------------

def _plan(request: BuildRequest, report: BuildReport) -> list[_Topic]:
    problems: list[Problem] = []
    topics = []
    for folder in request.topics:
        topic = None if request.force or request.strict else _unchanged(folder, request, report)
        if topic is None:
            topic = _stale(folder, request, report, problems)
        if topic is not None:
            topics.append(topic)
    if any(not p.warning for p in problems):
        # The build stops here; add the readability verdicts so every problem shows at once.
        problems += _gate(topics, report)
    report.warnings = finish(problems, report.warnings, request.strict)
    return topics


def _unchanged(folder: Path, request: BuildRequest, report: BuildReport) -> _Topic | None:
    """The topic, when no input file of any of its outputs changed (topic.yaml is all we read)."""
    topic, _, problems = load_topic(folder, folder.name)
    if topic is None or problems:
        return None
    old = manifest.read(request.out, topic.id)
    recorded = manifest.entries_by_path(old)
    languages = {a: s.languages for a, s in topic.audiences.items()}
    specs = planned_specs(topic.id, languages, topic.papers, request)
    listed = {language for names in languages.values() for language in names}
    if not specs or not set(request.languages) <= listed:
        return None  # let the full load report what is wrong with the request
    files = manifest.topic_digest(folder)
    carried = []
    for spec in specs:
        entry = recorded.get(spec.relpath.split("/", 1)[1])
        if entry is None or entry["inputs"] != manifest.inputs_digest(
                spec, folder, request.templates, files, request.allow_partial) \
                or not manifest.file_matches(request.out, topic.id, entry):
            return None
        carried.append(entry)
    _carry(report, topic.id, carried)
    return _Topic(topic.id, None, carried=carried, old=old)


def _stale(folder: Path, request: BuildRequest, report: BuildReport,
           problems: list[Problem]) -> _Topic | None:
    """Load the topic; render each output whose content changed (or whose file is gone)."""
    plan = plan_topic(folder, request, report.warnings, problems)
    if plan is None:
        return None
    topic_id = plan.document.topic.id
    topic = _Topic(topic_id, plan, old=manifest.read(request.out, topic_id))
    recorded = manifest.entries_by_path(topic.old)
    files = manifest.topic_digest(folder)
    for job in plan.jobs:
        inputs = manifest.inputs_digest(job.spec, folder, request.templates, files,
                                        request.allow_partial)
        content = manifest.content_digest(job.view, job.spec, request.templates)
        topic.digests[job.spec.relpath] = (inputs, content)
        entry = recorded.get(job.spec.relpath.split("/", 1)[1])
        if not request.force and entry and entry["content"] == content \
                and manifest.file_matches(request.out, topic_id, entry):
            topic.carried.append({**entry, "inputs": inputs})
        else:
            topic.render.append(job)
    _carry(report, topic_id, topic.carried)
    return topic


def _gate(topics: list[_Topic], report: BuildReport) -> list[Problem]:
    """Readability of every view being rendered, and the problems of prose too hard."""
    problems = []
    for topic in topics:
        if topic.plan is None:
            continue
        problems += measure_readability(topic.plan, topic.render)
        for (audience, language), result in topic.plan.readability.items():
            report.readability[(topic.id, audience, language)] = result
    return problems


def _measure(topics: list[_Topic], report: BuildReport, strict: bool) -> None:
    """Raise if any prose reads too hard (runs while the workers render)."""
    finish(_gate(topics, report), [], strict)


def _carry(report: BuildReport, topic: str, entries: list[dict]) -> None:
    for entry in entries:
        report.up_to_date.append(f"{topic}/{entry['path']}")
        key = (topic, entry["audience"], entry["language"])
        if entry["readability"] and key not in report.readability:
            report.readability[key] = entry["readability"]


# -- rendering -----------------------------------------------------------------

def _render_all(jobs: list[Job], request: BuildRequest, folder: Path,
                meanwhile: Callable[[], None]) -> list[dict]:
    """Render and check every job, running `meanwhile` alongside; results keep job order."""
    if not jobs:
        meanwhile()
        return []
    tasks = [(job, request.templates, folder / f"{i:05d}") for i, job in enumerate(jobs)]
    workers = min(request.jobs or os.cpu_count() or 1, len(jobs))
    if workers == 1:
        meanwhile()
        return [_render_one(task) for task in tasks]
    warm_up({job.spec.builder for job in jobs}, {job.spec.language for job in jobs},
            request.templates)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending = pool.map(_render_one, tasks)
        meanwhile()
        return list(pending)


def _render_one(task: tuple[Job, Path, Path]) -> dict:
    """Render one output into the staging folder and read it back (runs in a worker)."""
    from .checks import verify

    job, templates, target = task
    started = time.perf_counter()
    result = {"relpath": job.spec.relpath, "problems": [], "failed": [], "checks": [],
              "file": target, "size": 0, "pages": 0, "seconds": 0.0, "sha256": ""}
    try:
        rendered = renderer(job.spec.builder).render(job.view, job.spec, templates)
    except ContentErrors as exc:
        result["problems"] = exc.problems
        return result
    pages, checks = verify(rendered.data, job.spec, job.view, job.source)
    target.write_bytes(rendered.data)
    result.update(checks=checks, pages=pages, size=len(rendered.data),
                  sha256=hashlib.sha256(rendered.data).hexdigest(),
                  failed=[c for c in checks if not c.ok and c.fatal],
                  seconds=time.perf_counter() - started)
    return result


def _raise_failures(results: list[dict]) -> None:
    problems = [p for r in results for p in r["problems"]]
    if problems:
        raise ContentErrors(problems)
    failed = [r for r in results if r["failed"]]
    if failed:
        raise HandoutsError("the rendered outputs failed their checks, so nothing was written:\n"
                            + "\n".join(f"{r['relpath']}: {c.name}: {c.detail}"
                                        for r in failed for c in r["failed"]))


def _manifests(request: BuildRequest, topics: list[_Topic], results: list[dict],
               report: BuildReport) -> dict[str, bytes]:
    """Each topic's manifest, when it changed."""
    by_path = {r["relpath"]: r for r in results}
    files = {}
    for topic in topics:
        entries = list(topic.carried)
        for job in topic.render:
            result = by_path[job.spec.relpath]
            report.warnings += [Problem(Location(job.spec.relpath), f"{c.name}: {c.detail}",
                                        warning=True)
                                for c in result["checks"] if not c.ok and not c.fatal]
            readability = topic.plan.readability.get((job.spec.audience, job.spec.language))
            inputs, content = topic.digests[job.spec.relpath]
            entries.append(manifest.entry(job.spec, result["sha256"], result["size"],
                                          result["pages"], readability and readability.scores,
                                          inputs, content, result["checks"]))
        on_disk = {e["path"] for e in topic.old.get("outputs", [])
                   if (request.out / topic.id / e["path"]).is_file()}
        data = manifest.merged(topic.old, topic.id, entries, on_disk)
        path = request.out / topic.id / manifest.MANIFEST
        if not path.is_file() or path.read_bytes() != data:
            files[f"{topic.id}/{manifest.MANIFEST}"] = data
    return files
