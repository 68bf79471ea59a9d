"""build(): load -> validate -> select -> render -> check -> write, in that order.

Every topic is loaded and checked before anything is rendered, and every
output is rendered and read back before anything is written: a problem
anywhere leaves the output folder exactly as it was.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from .builders import OutputSpec, Rendered, registry
from .checks import CheckResult, check_pdf, check_pptx, read_pdf, read_pptx
from .errors import ContentErrors, HandoutsError, Location, Problem
from .load import load_document
from .model import Document
from .output import locked, write_all
from .readability import Readability, gate, measure
from .select import View, select


@dataclass(frozen=True)
class BuildRequest:
    topics: tuple[Path, ...]
    out: Path
    templates: Path
    audiences: tuple[str, ...] = ()  # empty: every audience the topic defines
    languages: tuple[str, ...] = ()  # empty: the languages topic.yaml lists
    papers: tuple[str, ...] = ()  # empty: the papers topic.yaml lists
    strict: bool = False  # warnings fail the build
    slide_template: Path | None = None  # overrides topic.yaml's training.template


@dataclass
class OutputReport:
    spec: OutputSpec
    size: int
    pages: int
    seconds: float
    checks: list[CheckResult]


@dataclass
class BuildReport:
    outputs: list[OutputReport] = field(default_factory=list)
    readability: dict[tuple[str, str, str], Readability] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


@dataclass
class _Job:
    view: View
    spec: OutputSpec


def build(request: BuildRequest) -> BuildReport:
    report = BuildReport()
    jobs = _plan(request, report)
    rendered = [_render(job, request.templates, report) for job in jobs]
    with locked(request.out):
        report.written = write_all(request.out, {r.spec.relpath: r.data for r in rendered})
    return report


def _plan(request: BuildRequest, report: BuildReport) -> list[_Job]:
    """Load every topic and decide every output; raise with all problems of all topics."""
    builders = registry()
    problems: list[Problem] = []
    jobs: list[_Job] = []
    for folder in request.topics:
        try:
            document, warnings = load_document(folder)
        except ContentErrors as exc:
            problems += exc.problems
            continue
        report.warnings += warnings
        for builder in builders.values():
            if request.audiences and builder.audience not in request.audiences:
                continue
            if builder.audience not in document.topic.audiences:
                continue
            for language in _languages(document, builder.audience, request, problems):
                view = select(document, builder.audience, language)
                problems += _readability(view, report)
                papers = request.papers or document.topic.papers
                options = {"slide_template": request.slide_template}
                jobs += [_Job(view, spec) for spec in builder.outputs(view, papers, options)]
    if request.strict and report.warnings:
        problems += [replace(w, warning=False, hint=w.hint + "; --strict makes this an error")
                     for w in report.warnings]
        report.warnings = []
    if any(not p.warning for p in problems):
        raise ContentErrors(problems + report.warnings)
    return jobs


def _languages(document: Document, audience: str, request: BuildRequest,
               problems: list[Problem]) -> list[str]:
    wanted = request.languages or document.topic.audiences[audience].languages
    languages = []
    for language in wanted:
        if language == document.topic.language:
            languages.append(language)
        else:
            problems.append(Problem(Location(f"{document.topic.folder.name}/topic.yaml"),
                                    f"no translation into '{language}' for the {audience} "
                                    "audience", f"the content is written in "
                                    f"'{document.topic.language}'; build with --lang "
                                    f"{document.topic.language}"))
    return languages


def _readability(view: View, report: BuildReport) -> list[Problem]:
    if view.settings.max_grade is None and view.audience != "patient":
        return []
    result = measure(view)
    report.readability[(view.topic.id, view.audience, view.language)] = result
    return gate(view, result)


def _render(job: _Job, templates: Path, report: BuildReport) -> Rendered:
    started = time.perf_counter()
    rendered = registry()[job.spec.builder].render(job.view, job.spec, templates)
    if job.spec.relpath.endswith(".pptx"):
        deck = read_pptx(rendered.data)
        pages, results = deck.slides, check_pptx(deck, job.view)
    else:
        facts = read_pdf(rendered.data)
        pages, results = facts.pages, check_pdf(facts, job.view, job.spec.paper)
    failed = [r for r in results if not r.ok and r.fatal]
    report.warnings += [Problem(Location(job.spec.relpath), f"{r.name}: {r.detail}", warning=True)
                        for r in results if not r.ok and not r.fatal]
    if failed:
        raise HandoutsError(f"{job.spec.relpath}: the rendered output failed its checks, so "
                            "nothing was written:\n" + "\n".join(
                                f"  {r.name}: {r.detail}" for r in failed))
    report.outputs.append(OutputReport(job.spec, len(rendered.data), pages,
                                       time.perf_counter() - started, results))
    return rendered
