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
from .fonts import missing_system_fonts
from .load import load_document
from .model import Document, is_right_to_left
from .output import locked, write_all
from .readability import Readability, gate, measure
from .select import View, select
from .translate import translate


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
    allow_partial: bool = False  # untranslated non-safety text allowed, marked DRAFT


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
        problems += _unlisted_languages(document, request)
        for builder in builders.values():
            if request.audiences and builder.audience not in request.audiences:
                continue
            if builder.audience not in document.topic.audiences:
                continue
            for language in _languages(document, builder.audience, request):
                view = _view(document, builder.audience, language, request, problems)
                if view is None:
                    continue
                problems += [Problem(Location(f"{document.topic.folder.name}/topic.yaml"),
                                     f"the {family} font for '{language}' is not installed",
                                     f"install the Debian package {package} (make build does)")
                             for family, package in missing_system_fonts(language)]
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


def _languages(document: Document, audience: str, request: BuildRequest) -> list[str]:
    """The languages topic.yaml lists for this audience, narrowed to those asked for.

    Naming both the audience and the language builds it even when topic.yaml
    does not list it (a coordinator trying a new catalog).
    """
    listed = document.topic.audiences[audience].languages
    if not request.languages:
        return list(listed)
    if request.audiences:
        return list(request.languages)
    return [language for language in request.languages if language in listed]


def _unlisted_languages(document: Document, request: BuildRequest) -> list[Problem]:
    listed = {lang for settings in document.topic.audiences.values() for lang in settings.languages}
    return [Problem(Location(f"{document.topic.folder.name}/topic.yaml"),
                    f"no audience of this topic is built in '{language}'",
                    f"add it to an audience's languages in topic.yaml (listed: "
                    f"{', '.join(sorted(listed))}), or name the audience with --audience")
            for language in request.languages
            if language not in listed and not request.audiences]


def _view(document: Document, audience: str, language: str, request: BuildRequest,
          problems: list[Problem]) -> View | None:
    """What one output shows; in another language, only through a complete catalog."""
    if language == document.topic.language:
        return select(document, audience, language)
    translated = translate(document, audience, language, request.templates,
                           request.allow_partial)
    if translated is None:
        folder = document.topic.folder
        problems.append(Problem(Location(f"{folder.name}/locales/{language}.po"),
                                f"no translation into '{language}' for the {audience} audience",
                                f"create it with: handouts i18n update {folder} --lang "
                                f"{language}; or build --lang {document.topic.language}"))
        return None
    problems += translated.problems
    return select(translated.document, audience, language, translated.translation,
                  translated.draft)


def _readability(view: View, report: BuildReport) -> list[Problem]:
    gated = view.settings.max_grade is not None or view.settings.min_inflesz is not None
    if not gated and view.audience != "patient":
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
        facts = read_pdf(rendered.data, is_right_to_left(job.view.language))
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
