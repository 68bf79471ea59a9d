"""Deciding what a build (or a check) covers: topics, outputs, and what each output shows.

Two depths: `planned_specs` reads only topic.yaml, enough to name every
output file and to confirm an up-to-date build quickly; `plan_topic` loads and
validates the whole topic, translates it, and measures readability.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from typing import TYPE_CHECKING

from .builders import BUILDERS, OutputSpec, planned_outputs
from .errors import ContentErrors, Location, Problem, display_path

if TYPE_CHECKING:  # the loaders are imported only when a topic must be loaded
    from .model import Document
    from .readability import Readability
    from .select import View


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
    jobs: int = 0  # parallel renders; 0: one per core
    force: bool = False  # render even what the manifest says is up to date


@dataclass(frozen=True)
class Job:
    """One output to render: what it shows, and the source-language view to compare with."""

    spec: OutputSpec
    view: View
    source: View | None = None  # set for translations: the English the output must not show


@dataclass
class TopicPlan:
    document: Document
    jobs: list[Job] = field(default_factory=list)
    readability: dict[tuple[str, str], Readability] = field(default_factory=dict)


def wanted(audience: str, request: BuildRequest) -> bool:
    return not request.audiences or audience in request.audiences


def languages_for(listed: tuple[str, ...], request: BuildRequest) -> list[str]:
    """The languages topic.yaml lists for an audience, narrowed to those asked for.

    Naming both the audience and the language builds it even when topic.yaml
    does not list it (a coordinator trying a new catalog).
    """
    if not request.languages:
        return list(listed)
    if request.audiences:
        return list(request.languages)
    return [language for language in request.languages if language in listed]


def planned_specs(topic_id: str, audiences: dict, papers: tuple[str, ...],
                  request: BuildRequest) -> list[OutputSpec]:
    """Every file the request makes for a topic, from topic.yaml's settings alone."""
    specs = []
    for builder, (audience, _) in BUILDERS.items():
        if audience not in audiences or not wanted(audience, request):
            continue
        for language in languages_for(tuple(audiences[audience]), request):
            specs += planned_outputs(builder, topic_id, language, request.papers or papers,
                                     request.slide_template)
    return specs


def plan_topic(folder: Path, request: BuildRequest, warnings: list[Problem],
               problems: list[Problem]) -> TopicPlan | None:
    """Load, validate and translate one topic; None when it cannot be loaded."""
    from .fonts import missing_system_fonts
    from .load import load_document

    try:
        document, found = load_document(folder)
    except ContentErrors as exc:
        problems += exc.problems
        return None
    warnings += found
    problems += _unlisted_languages(document, request)
    plan = TopicPlan(document)
    topic = document.topic
    languages = {a: s.languages for a, s in topic.audiences.items()}
    specs = planned_specs(topic.id, languages, topic.papers, request)
    views: dict[tuple[str, str], tuple[View, View | None] | None] = {}
    for spec in specs:
        key = (spec.audience, spec.language)
        if key not in views:
            views[key] = _views(document, spec.audience, spec.language, request, problems)
        if views[key]:
            plan.jobs.append(Job(spec, *views[key]))
    for language in sorted({spec.language for spec in specs}):
        problems += [Problem(Location(f"{folder.name}/topic.yaml"),
                             f"the {family} font for '{language}' is not installed",
                             f"install the Debian package {package} (make build does)")
                     for family, package in missing_system_fonts(language)]
    return plan


def finish(problems: list[Problem], warnings: list[Problem], strict: bool) -> list[Problem]:
    """Raise with every problem found; with --strict, warnings count as problems."""
    if strict and warnings:
        problems += [replace(w, warning=False, hint=w.hint + "; --strict makes this an error")
                     for w in warnings]
        warnings = []
    if any(not p.warning for p in problems):
        raise ContentErrors(problems + warnings)
    return warnings


def _unlisted_languages(document: Document, request: BuildRequest) -> list[Problem]:
    listed = {lang for settings in document.topic.audiences.values() for lang in settings.languages}
    return [Problem(Location(f"{document.topic.folder.name}/topic.yaml"),
                    f"no audience of this topic is built in '{language}'",
                    f"add it to an audience's languages in topic.yaml (listed: "
                    f"{', '.join(sorted(listed))}), or name the audience with --audience")
            for language in request.languages
            if language not in listed and not request.audiences]


def _views(document: Document, audience: str, language: str, request: BuildRequest,
           problems: list[Problem]) -> tuple[View, View | None] | None:
    """What one output shows; in another language, only through a complete catalog."""
    from .select import select
    from .translate import translate

    if language == document.topic.language:
        return select(document, audience, language), None
    translated = translate(document, audience, language, request.templates,
                           request.allow_partial)
    if translated is None:
        folder = document.topic.folder
        problems.append(Problem(Location(f"{folder.name}/locales/{language}.po"),
                                f"no translation into '{language}' for the {audience} audience",
                                f"create it with: handouts i18n update {display_path(folder)} "
                                f"--lang {language}; or build --lang {document.topic.language}"))
        return None
    problems += translated.problems
    view = select(translated.document, audience, language, translated.translation,
                  translated.draft)
    return view, select(document, audience)


def measure_readability(plan: TopicPlan, jobs: list[Job]) -> list[Problem]:
    """Measure (and gate) the prose of these jobs' views, once per audience and language."""
    from .readability import gate, measure

    problems = []
    for job in jobs:
        view, key = job.view, (job.view.audience, job.view.language)
        gated = view.settings.max_grade is not None or view.settings.min_inflesz is not None
        if key in plan.readability or (not gated and view.audience != "patient"):
            continue
        plan.readability[key] = measure(view)
        problems += gate(view, plan.readability[key])
    return problems
