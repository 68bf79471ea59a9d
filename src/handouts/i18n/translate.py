"""A Document in another language, built from a catalog, refusing to mix languages silently.

A safety unit that is missing, fuzzy or stale always stops the build. Any
other untranslated unit stops it too, unless the build allows a partial
translation: then the English stays and every page says DRAFT.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Location, Problem, display_path
from .catalogs import SourceString, Translation, load_translation, source_of, template_strings
from ..model.inline import citation_keys
from ..model import Document, Unit, audience_units


@dataclass
class Translated:
    document: Document
    translation: Translation
    problems: list[Problem] = field(default_factory=list)
    draft: bool = False  # some units are still in the source language


def translate(document: Document, audience: str, language: str, templates: Path,
              allow_partial: bool) -> Translated | None:
    """The document with this audience's units in `language`, or None without a catalog."""
    folder = document.topic.folder
    topic_shown = display_path(folder)
    translation = load_translation(folder, language, topic_shown)
    if translation is None:
        return None
    result = Translated(document, translation)
    texts: dict[str, str] = {}
    for unit in audience_units(document, audience):
        text = _unit_text(unit, translation, result, allow_partial, topic_shown)
        if text is not None:
            texts[unit.id] = text
    for source in template_strings(templates):
        if audience in source.audiences:
            _check_template_string(source, translation, result, allow_partial)
    result.document = map_units(document, lambda u: dataclasses.replace(
        u, text=texts.get(u.id, u.text)))
    return result


def _unit_text(unit: Unit, translation: Translation, result: Translated,
               allow_partial: bool, topic_shown: str) -> str | None:
    text, state = translation.lookup(source_of(unit))
    if state == "ok":
        dropped = sorted(set(citation_keys(unit.text)) - set(citation_keys(text)))
        if dropped:
            result.problems.append(_problem(unit.location, translation, unit.id,
                                            "drops the citation " + ", ".join(
                                                f"[@{k}]" for k in dropped),
                                            "keep every [@key] of the English"))
            return None
        return text
    what = {"missing": "is missing", "fuzzy": "is marked fuzzy (stale)",
            "stale": "translates an older English text"}[state]
    kind = "safety unit" if unit.safety_id else "unit"
    if unit.safety_id or not allow_partial:
        hint = {"missing": "translate it",
                "fuzzy": "review the translation, then remove its fuzzy flag",
                "stale": f"run: handouts i18n update {topic_shown} --lang "
                         f"{translation.language}, then review it"}[state]
        hint += ("; safety text is never built partly translated" if unit.safety_id else
                 ", or build with --allow-partial to print it in English marked DRAFT")
        result.problems.append(_problem(unit.location, translation, unit.id, what, hint, kind))
        return None
    result.draft = True
    return None


def _check_template_string(source: SourceString, translation: Translation,
                           result: Translated, allow_partial: bool) -> None:
    _, state = translation.lookup(source)
    if state == "ok":
        return
    if allow_partial:
        result.draft = True
        return
    where = Location(translation.shown)
    result.problems.append(Problem(where, f"the {translation.language} translation of the "
                                   f"template string {source.msgid!r} "
                                   f"({source.occurrences[0][0]}) is {state}",
                                   "translate it, or build with --allow-partial"))


def _problem(where: Location, translation: Translation, unit_id: str, what: str, hint: str,
             kind: str = "unit") -> Problem:
    return Problem(where, f"the {translation.language} translation of {kind} '{unit_id}' {what} "
                   f"in {translation.shown}", hint)


def map_units(value, change):
    """A copy of a model value with `change` applied to every Unit inside it."""
    if isinstance(value, Unit):
        return change(value)
    if isinstance(value, tuple):
        return tuple(map_units(v, change) for v in value)
    if isinstance(value, list):
        return [map_units(v, change) for v in value]
    if isinstance(value, dict):
        return {k: map_units(v, change) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: map_units(getattr(value, f.name), change)
                                             for f in dataclasses.fields(value) if f.init})
    return value
