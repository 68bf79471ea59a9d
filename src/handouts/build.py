"""build(): plan -> readability gate -> render -> verify -> publish, in that order.

Every topic is loaded and checked before anything is rendered, and every
output is rendered and read back before anything is written: a problem
anywhere leaves the output folder exactly as it was. Renders run in
parallel processes; results are reported in a fixed order whatever finishes
first. An output whose inputs, or whose content, match its manifest entry is
not rendered again.

Faults: render workers die with the build (the kernel kills them when it
exits, however it exits) and never hold the output folder's lock; SIGTERM
and Ctrl-C stop the workers, remove the staging folder and exit with a
message; publishing is journaled (write/publish.py).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from .collector import set_for_rendering
from .errors import ContentErrors, HandoutsError, Location, Problem
from .load.topic_yaml import load_topic
from .plan import manifest
from .plan.request import BuildRequest
from .plan.topics import Job, TopicPlan, finish, plan_topic, planned_specs
from .processes import alongside, die_with_parent
from .progress import Silent
from .render.registry import BUILDERS, builder, engines_loaded, load_engines, warm_up
from .write.publish import locked, publish, staging
from .write.signals import deferred, ignore_in_worker, stop_on_signals

if TYPE_CHECKING:  # verify and readability are imported only when there is work
    from .plan.readability import Readability
    from .progress import Progress
    from .verify.results import CheckResult, Verified

__all__ = ["BuildReport", "BuildRequest", "build"]


@dataclass
class OutputReport:
    relpath: str
    size: int
    count: int  # pages or slides
    unit: str  # "page" or "slide"
    seconds: float
    checks: list[CheckResult]


@dataclass
class BuildReport:
    outputs: list[OutputReport] = field(default_factory=list)  # rendered this time
    up_to_date: list[str] = field(default_factory=list)  # skipped: unchanged since last build
    readability: dict[tuple[str, str, str], Readability | dict] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class TopicWork:
    """One topic's share of the build: what to render, and the manifest entries to keep."""

    id: str
    plan: TopicPlan | None  # None when topic.yaml alone showed every output up to date
    render: list[Job] = field(default_factory=list)
    carried: list[dict] = field(default_factory=list)  # manifest entries of skipped outputs
    digests: dict[str, tuple[str, str]] = field(default_factory=dict)  # relpath -> (inputs, content)
    old: dict = field(default_factory=dict)  # the manifest before this build
    readability: dict[tuple[str, str], Readability] = field(default_factory=dict)  # measured


@dataclass
class Rendered:
    """One output rendered into the staging folder and read back (made in a worker)."""

    relpath: str
    file: Path
    problems: list[Problem] = field(default_factory=list)  # content errors found rendering
    verified: Verified | None = None
    size: int = 0
    sha256: str = ""
    seconds: float = 0.0


def build(request: BuildRequest, progress: Progress | None = None) -> BuildReport:
    _check_slide_template(request)
    report = BuildReport()
    with stop_on_signals(), locked(request.out):
        topics = plan(request, report, while_loading=_engine_loader(request))
        jobs = [job for topic in topics for job in topic.render]
        with staging() as folder:
            # The readability gate runs while the workers render: its verdict is
            # only needed before writing.
            results = render(jobs, request, folder,
                             meanwhile=partial(gate_readability, topics, report, request.strict),
                             progress=progress or Silent())
            verify(results)
            files = {r.relpath: r.file for r in results}
            files.update(manifests(request, topics, results, report))
            report.outputs = [_output_report(job, result) for job, result in zip(jobs, results)]
            if files:
                publish(request.out, files)
    return report


def _check_slide_template(request: BuildRequest) -> None:
    """A --template that is a pipe, a device or too big is refused before anything reads it
    (the up-to-date check digests the file, and a pipe would block it with the lock held)."""
    if request.slide_template is not None:
        from .render.pptx.template import check_template_file

        check_template_file(Path(request.slide_template), Location(str(request.slide_template)))


def _engine_loader(request: BuildRequest) -> Callable[[], None] | None:
    """What loads the renderers while the topics are planned; None when that would not
    save time (one process asked for, one core, or loaded by an earlier build)."""
    names = set(request.formats or BUILDERS)
    if request.jobs == 1 or (os.cpu_count() or 1) < 2 or engines_loaded(names, request.templates):
        return None
    return partial(_load_engines_for_now, names, request.templates)


def _load_engines_for_now(names: set[str], templates: Path) -> None:
    """Load the renderers while planning; one that fails to load (a broken template) is
    loaded again by the warm-up after planning, which reports it, so that it cannot hide
    the topics' own problems."""
    try:
        load_engines(names, templates)
    except Exception:  # noqa: BLE001 (not lost: warm_up raises it again)
        pass


# -- plan, with the up-to-date shortcuts ------------------------------------------

def plan(request: BuildRequest, report: BuildReport,
         while_loading: Callable[[], None] | None = None) -> list[TopicWork]:
    """Each topic's work; raise with every problem found in any of them.

    The topics that changed are loaded in a forked process while this one
    runs `while_loading` (loads the renderers), when given (processes.py).
    """
    unchanged = [None if request.force or request.strict else _unchanged(folder, request)
                 for folder in request.topics]
    stale = [folder for folder, work in zip(request.topics, unchanged) if work is None]
    found = _plan_stale(stale, request, while_loading)
    report.warnings += found.warnings
    if request.blocked is not None:
        request.blocked[:] = found.blocked
    planned = iter(found.topics)
    topics = [work if work is not None else next(planned) for work in unchanged]
    topics = [topic for topic in topics if topic is not None]
    for topic in topics:
        _carry(report, topic.id, topic.carried)
    problems = found.problems
    if any(not p.warning for p in problems):
        # The build stops here; add the readability verdicts so every problem shows at once.
        problems += _readability(topics, report)
    report.warnings = finish(problems, report.warnings, request.strict)
    return topics


@dataclass
class StalePlans:
    """What loading the changed topics found; made in a forked process, sent back pickled."""

    topics: list[TopicWork | None]  # one per folder, None when it could not be loaded
    warnings: list[Problem]
    problems: list[Problem]
    blocked: list | None  # request.blocked as planning left it


def _plan_stale(folders: list[Path], request: BuildRequest,
                while_loading: Callable[[], None] | None) -> StalePlans:
    def load() -> StalePlans:
        warnings: list[Problem] = []
        problems: list[Problem] = []
        topics = [_stale(folder, request, warnings, problems) for folder in folders]
        return StalePlans(topics, warnings, problems, request.blocked)

    if not folders or while_loading is None:
        return load()
    return alongside(load, while_loading)


def _unchanged(folder: Path, request: BuildRequest) -> TopicWork | None:
    """The topic, when no input file of any of its outputs changed (topic.yaml is all we read)."""
    topic, _, problems = load_topic(folder, folder.name)
    if topic is None or problems:
        return None
    old = manifest.read(request.out, topic.id)
    recorded = manifest.entries_by_path(old)
    specs = planned_specs(topic, request)
    listed = {language for settings in topic.audiences.values() for language in settings.languages}
    if not specs or not set(request.languages) <= listed:
        return None  # let the full load report what is wrong with the request
    files = manifest.topic_digest(folder)
    carried = []
    for spec in specs:
        entry = recorded.get(spec.topic_relpath)
        if entry is None or entry["inputs"] != manifest.inputs_digest(
                spec, folder, request.templates, files, request.allow_partial) \
                or not manifest.file_matches(request.out, topic.id, entry):
            return None
        carried.append(entry)
    return TopicWork(topic.id, None, carried=carried, old=old)


def _stale(folder: Path, request: BuildRequest, warnings: list[Problem],
           problems: list[Problem]) -> TopicWork | None:
    """Load the topic; render each output whose content changed (or whose file is gone)."""
    topic_plan = plan_topic(folder, request, warnings, problems)
    if topic_plan is None:
        return None
    topic_id = topic_plan.document.topic.id
    topic = TopicWork(topic_id, topic_plan, old=manifest.read(request.out, topic_id))
    recorded = manifest.entries_by_path(topic.old)
    files = manifest.topic_digest(folder)
    for job in topic_plan.jobs:
        inputs = manifest.inputs_digest(job.spec, folder, request.templates, files,
                                        request.allow_partial)
        content = manifest.content_digest(job.view, job.spec, request.templates)
        topic.digests[job.spec.relpath] = (inputs, content)
        entry = recorded.get(job.spec.topic_relpath)
        if not request.force and entry and entry["content"] == content \
                and manifest.file_matches(request.out, topic_id, entry):
            topic.carried.append({**entry, "inputs": inputs})
        else:
            topic.render.append(job)
    return topic


def _carry(report: BuildReport, topic: str, entries: list[dict]) -> None:
    for entry in entries:
        report.up_to_date.append(f"{topic}/{entry['path']}")
        key = (topic, entry["audience"], entry["language"])
        if entry["readability"] and key not in report.readability:
            report.readability[key] = entry["readability"]


# -- readability gate ------------------------------------------------------------

def gate_readability(topics: list[TopicWork], report: BuildReport, strict: bool) -> None:
    """Raise if any prose being rendered reads harder than its audience's limit."""
    finish(_readability(topics, report), [], strict)


def _readability(topics: list[TopicWork], report: BuildReport) -> list[Problem]:
    """Measure the prose of every view being rendered; the problems of prose too hard."""
    problems = []
    for topic in topics:
        if not topic.render:
            continue  # nothing to render: no need to load the readability formulas
        from .plan.readability import measure_views

        topic.readability, found = measure_views([job.view for job in topic.render])
        problems += found
        for (audience, language), result in topic.readability.items():
            report.readability[(topic.id, audience, language)] = result
    return problems


# -- render ------------------------------------------------------------------------

def render(jobs: list[Job], request: BuildRequest, folder: Path,
           meanwhile: Callable[[], None], progress: Progress) -> list[Rendered]:
    """Render and read back every job, running `meanwhile` alongside; results keep job order."""
    if not jobs:
        meanwhile()
        return []
    progress.begin([job.spec.relpath for job in jobs])
    try:
        return _render_all(jobs, request, folder, meanwhile, progress)
    finally:
        progress.end()


def _render_all(jobs: list[Job], request: BuildRequest, folder: Path,
                meanwhile: Callable[[], None], progress: Progress) -> list[Rendered]:
    tasks = [(job, request.templates, folder / f"{i:05d}") for i, job in enumerate(jobs)]
    workers = min(request.jobs or os.cpu_count() or 1, len(jobs))
    warm_up({job.spec.builder for job in jobs}, {job.spec.language for job in jobs},
            request.templates)
    with set_for_rendering():
        if workers == 1:
            meanwhile()
            return [_reported(_render_one(task), task[0], request.out, progress)
                    for task in tasks]
        return _render_in_workers(tasks, workers, jobs, request, meanwhile, progress)


def _render_in_workers(tasks: list, workers: int, jobs: list[Job], request: BuildRequest,
                       meanwhile: Callable[[], None], progress: Progress) -> list[Rendered]:
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context,
                               initializer=_worker_started, initargs=(os.getpid(),))
    # Longest first, so that no worker is left with a long output while the others idle.
    order = sorted(range(len(tasks)), key=lambda i: -_expected_cost(jobs[i]))
    try:
        with deferred():  # the workers are forked here: a signal is handled once they are
            pending = pool.map(_render_one, [tasks[i] for i in order])
        meanwhile()
        results: list[Rendered] = [None] * len(tasks)  # type: ignore[list-item]
        for index, result in zip(order, pending):
            results[index] = _reported(result, jobs[index], request.out, progress)
    except BrokenProcessPool:
        _stop_workers(pool)
        raise HandoutsError("a render worker stopped unexpectedly (killed, or out of memory), "
                            "so nothing was written; build again, with --jobs 1 to use less "
                            "memory") from None
    except BaseException:
        _stop_workers(pool)  # a content error, Ctrl-C or SIGTERM: no render is needed any more
        raise
    pool.shutdown(wait=True)
    return results


def _expected_cost(job: Job) -> int:
    """A rough measure of an output's render time: its text, twice for large print."""
    characters = sum(len(unit.text) for unit in job.view.units())
    return characters * (2 if job.spec.option("large", False) else 1)


def _reported(result: Rendered, job: Job, out: Path, progress: Progress) -> Rendered:
    if result.verified is not None:
        progress.finished(result.relpath, output_line(_output_report(job, result), out))
    return result


def output_line(output: OutputReport, out: Path | None = None) -> str:
    """How an output is listed: its path, length, size and render time."""
    path = out / output.relpath if out else output.relpath
    return (f"  {path}  {output.count} {output.unit}(s), {output.size / 1024:.0f} KB, "
            f"{output.seconds:.2f} s")


def _worker_started(parent: int) -> None:
    """Pool initializer: die with the build, and leave Ctrl-C to it."""
    ignore_in_worker()
    die_with_parent(parent)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Kill the workers now and wait until they are gone (they may be writing to staging)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        if process.is_alive():
            process.kill()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.join(timeout=30)


def _render_one(task: tuple[Job, Path, Path]) -> Rendered:
    """Render one output into the staging folder and read it back (runs in a worker)."""
    job, templates, target = task
    started = time.perf_counter()
    result = Rendered(job.spec.relpath, target)
    fmt = builder(job.spec.builder)
    try:
        data = fmt.render(job.view, job.spec, templates)
    except ContentErrors as exc:
        result.problems = exc.problems
        return result
    result.verified = fmt.verify(data, job.spec, job.view, job.source)
    target.write_bytes(data)
    result.size, result.sha256 = len(data), hashlib.sha256(data).hexdigest()
    result.seconds = time.perf_counter() - started
    return result


# -- verify ------------------------------------------------------------------------

def verify(results: list[Rendered]) -> None:
    """Raise unless every output rendered and passed its fatal checks."""
    problems = [p for r in results for p in r.problems]
    if problems:
        raise ContentErrors(problems)
    failed = [r for r in results if r.verified.failed]
    if failed:
        raise HandoutsError("the rendered outputs failed their checks, so nothing was written:\n"
                            + "\n".join(f"{r.relpath}: {c.name}: {c.detail}"
                                        for r in failed for c in r.verified.failed))


# -- publish -----------------------------------------------------------------------

def manifests(request: BuildRequest, topics: list[TopicWork], results: list[Rendered],
              report: BuildReport) -> dict[str, bytes]:
    """Each topic's manifest, when it changed; non-fatal check failures become warnings."""
    by_path = {r.relpath: r for r in results}
    files = {}
    for topic in topics:
        entries = list(topic.carried)
        for job in topic.render:
            result = by_path[job.spec.relpath]
            checks = result.verified.checks
            report.warnings += [Problem(Location(job.spec.relpath), f"{c.name}: {c.detail}",
                                        warning=True)
                                for c in checks if not c.ok and not c.fatal]
            readability = topic.readability.get((job.spec.audience, job.spec.language))
            inputs, content = topic.digests[job.spec.relpath]
            entries.append(manifest.entry(job.spec, result.sha256, result.size,
                                          result.verified.count,
                                          readability and readability.scores, inputs, content,
                                          checks))
        on_disk = {e["path"] for e in topic.old.get("outputs", [])
                   if (request.out / topic.id / e["path"]).is_file()}
        data = manifest.merged(topic.old, topic.id, entries, on_disk)
        path = request.out / topic.id / manifest.MANIFEST
        if not path.is_file() or path.read_bytes() != data:
            files[f"{topic.id}/{manifest.MANIFEST}"] = data
    return files


def _output_report(job: Job, result: Rendered) -> OutputReport:
    return OutputReport(result.relpath, result.size, result.verified.count,
                        builder(job.spec.builder).count_unit, result.seconds,
                        result.verified.checks)
