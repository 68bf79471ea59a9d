"""What a build (or a check) covers for each topic: its output files, and what each shows.

Two depths: `planned_specs` reads only topic.yaml, enough to name every
output file and to confirm an up-to-date build quickly; `plan_topic` loads and
validates the whole topic and translates it into the Views its outputs show.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ContentErrors, Location, Problem, display_path
from ..model import OutputSpec, Topic
from ..render.registry import planned_outputs, template_files
from .request import BuildRequest

if TYPE_CHECKING:  # the loaders are imported only when a topic must be loaded
    from ..model import Document, View


@dataclass(frozen=True)
class Job:
    """One output to render: what it shows, and the source-language view to compare with."""

    spec: OutputSpec
    view: View
    source: View | None = None  # set for translations: the English the output must not show


@dataclass
class TopicPlan:
    """A loaded topic and the outputs the request makes of it."""

    document: Document
    jobs: list[Job] = field(default_factory=list)
    # outputs left out because their translation cannot be used, with the reasons
    blocked: list[tuple[OutputSpec, list[Problem]]] = field(default_factory=list)


def planned_specs(topic: Topic, request: BuildRequest) -> list[OutputSpec]:
    """Every file the request makes for a topic, from topic.yaml's settings alone."""
    audiences = {audience: tuple(request.languages_for(settings.languages))
                 for audience, settings in topic.audiences.items() if request.wanted(audience)}
    specs = planned_outputs(topic.id, audiences, request.output_settings(topic.papers))
    return [spec for spec in specs if not request.formats or spec.builder in request.formats]


def plan_topic(folder: Path, request: BuildRequest, warnings: list[Problem],
               problems: list[Problem]) -> TopicPlan | None:
    """Load, validate and translate one topic; None when it cannot be loaded."""
    from ..assets.fonts import missing_system_fonts
    from ..assets.harfbuzz import unavailable as harfbuzz_unavailable
    from ..load.folder import load_document
    from ..load.templates import check_templates
    from ..load.language import is_language_tag, language_problem

    malformed = [language for language in request.languages if not is_language_tag(language)]
    if malformed:  # the command line refuses them; a request made otherwise is checked too
        problems += [Problem(Location(display_path(folder)), language_problem(language),
                             "a language names a catalog and an output folder; give a tag "
                             "such as es") for language in malformed]
        return None
    try:
        loaded = load_document(folder)
    except ContentErrors as exc:
        problems += exc.problems
        return None
    warnings += loaded.warnings
    document = loaded.document
    problems += _unlisted_languages(document, request)
    plan = TopicPlan(document)
    specs = planned_specs(document.topic, request)
    unusable = check_templates(request.templates, template_files({s.builder for s in specs}))
    if unusable:  # nothing can be rendered, nor its template strings translated
        problems += unusable
        return None
    views: dict[tuple[str, str], tuple[View, View | None] | None] = {}
    found: dict[tuple[str, str], list[Problem]] = {}
    for spec in specs:
        key = (spec.audience, spec.language)
        if key not in views:
            found[key] = []
            views[key] = _views(document, spec.audience, spec.language, request, found[key])
        if views[key] and not _errors(found[key]):
            plan.jobs.append(Job(spec, *views[key]))
        elif spec.language != document.topic.language:
            plan.blocked.append((spec, found[key]))
    problems += _blocking(plan, found, request)
    for language in sorted({spec.language for spec in specs}):
        problems += [Problem(Location(f"{folder.name}/topic.yaml"),
                             f"the {family} font for '{language}' is not installed",
                             f"install the Debian package {package} (make build does)")
                     for family, package in missing_system_fonts(language)]
    if (why := harfbuzz_unavailable()) is not None:
        problems.append(Problem(Location(f"{folder.name}/topic.yaml"), why,
                                "install HarfBuzz and HarfBuzz-subset 4.2 or newer (the Debian "
                                "packages libharfbuzz0b and libharfbuzz-subset0; make build does)"))
    return plan


def _errors(problems: list[Problem]) -> bool:
    return any(not p.warning for p in problems)


def _blocking(plan: TopicPlan, found: dict[tuple[str, str], list[Problem]],
              request: BuildRequest) -> list[Problem]:
    """The translation problems that stop the request; the others block only their outputs.

    Without `request.blocked` (a caller that wants all or nothing) every problem stops
    it. With it, a language whose catalog cannot be used is left out and its problems
    are collected there, so the other languages still build; but when nothing at all
    of the topic could be built, the problems stop the build as before (a build that
    writes nothing but a manifest would only hide them). A check lists blocked
    outputs as failed whatever else there is.
    """
    every = [p for key in found for p in found[key]]
    if request.blocked is None or (not plan.jobs and not request.checking):
        plan.blocked = []
        return every
    blocked_keys = {(spec.audience, spec.language) for spec, _ in plan.blocked}
    for key in sorted(blocked_keys):
        request.blocked.extend(p for p in found[key] if p not in request.blocked)
    return [p for key in found if key not in blocked_keys for p in found[key]]


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
    from ..i18n.translate import translate
    from .selection import select

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
