"""A Document in another language, built from a catalog, refusing to mix languages silently.

A safety unit that is missing, fuzzy or stale always stops the build. Any
other untranslated unit stops it too, unless the build allows a partial
translation: then the English stays and every page says DRAFT.

The catalog is read strictly (pofile.py), and every translation it gives is
checked against its English (checks.py) before the Document is built: a
template string keeps its {placeholders}; every unit keeps its citations and
adds no image, link or markup; a safety unit also keeps its words, numbers and
bold, is not another statement's translation, and is about as long as its
English. Each failure names the unit and the .po line.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ContentErrors, Location, Problem, display_path
from .catalogs import SourceString, Translation, load_translation, source_of, template_strings
from .checks import (Finding, safety_findings, sameness, template_string_findings,
                     unit_findings)
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
    try:
        translation = load_translation(folder, language, topic_shown, templates)
    except ContentErrors as exc:  # a flawed file: nothing of it is used
        empty = Translation(language, folder / "locales" / f"{language}.po",
                            f"{topic_shown}/locales/{language}.po", {}, None)
        return Translated(document, empty, list(exc.problems))
    if translation is None:
        return None
    result = Translated(document, translation)
    result.problems += template_problems(translation)
    shared = _safety_translations(document, translation)
    texts: dict[str, str] = {}
    for unit in audience_units(document, audience):
        text = _unit_text(unit, translation, result, allow_partial, topic_shown, shared)
        if text is not None:
            texts[unit.id] = text
    for source in template_strings(templates):
        if audience in source.audiences:
            _check_template_string(source, translation, result, allow_partial)
    result.document = map_units(document, lambda u: _translated(u, texts, translation))
    return result


def _translated(unit: Unit, texts: dict[str, str], translation: Translation) -> Unit:
    """A unit in its translation, located at its catalog entry: whatever is wrong with the
    printed text (a read-back, a readability gate) points the translator there."""
    if unit.id not in texts:
        return unit
    line = translation.line((unit.id, None))
    where = Location(translation.shown, line) if line else unit.location
    return dataclasses.replace(unit, text=texts[unit.id], location=where)


def template_problems(translation: Translation) -> list[Problem]:
    """Every template string the catalogs translate (the topic's overrides and the shared
    catalog) keeps the {placeholders} of its English."""
    problems = []
    for key, entry, catalog in translation.template_entries():
        if entry.msgstr and "fuzzy" not in entry.flags:
            for what, hint in template_string_findings(entry.msgid, entry.msgstr):
                problems.append(Problem(Location(catalog.shown, catalog.line(key)),
                                        f"the {translation.language} translation of the "
                                        f"template string {entry.msgid!r} {what}", hint))
    return problems


def _safety_translations(document: Document, translation: Translation) -> dict[str, list[Unit]]:
    """Safety units by their translation as compared (see checks.sameness), for duplicates."""
    shared: dict[str, list[Unit]] = {}
    for unit in document.units():
        if unit.safety_id:
            text, state = translation.lookup(source_of(unit))
            if state == "ok" and text:
                shared.setdefault(sameness(text), []).append(unit)
    return shared


def _unit_text(unit: Unit, translation: Translation, result: Translated,
               allow_partial: bool, topic_shown: str,
               shared: dict[str, list[Unit]]) -> str | None:
    source = source_of(unit)
    text, state = translation.lookup(source)
    if state == "ok":
        findings = [("unit", *finding) for finding in unit_findings(unit.text, text)]
        if unit.safety_id:
            findings += [("safety unit", *finding) for finding in
                         safety_findings(unit.text, text)
                         + _same_as_another(unit, text, translation, shared)]
        if not findings:
            return text
        where = Location(translation.shown, translation.line(source.key))
        for kind, what, hint in findings:
            result.problems.append(Problem(
                where, f"the {translation.language} translation of {kind} '{unit.id}' {what}",
                hint))
        return None
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


def _same_as_another(unit: Unit, text: str, translation: Translation,
                     shared: dict[str, list[Unit]]) -> list[Finding]:
    """A safety translation that is also another statement's (pasted twice, or swapped in)."""
    mine = sameness(unit.text)
    others = [u for u in shared.get(sameness(text), []) if u.id != unit.id
              and sameness(u.text) != mine]
    if not others:
        return []
    other = others[0]
    line = translation.line(source_of(other).key)
    return [(f"is the same text as the translation of safety unit '{other.id}' (line {line})",
             "translate each statement from its own English; check that the two entries were "
             "not pasted twice or swapped")]


def _check_template_string(source: SourceString, translation: Translation,
                           result: Translated, allow_partial: bool) -> None:
    _, state = translation.lookup(source)
    if state == "ok":
        return
    if allow_partial:
        result.draft = True
        return
    where = Location(translation.owner(source.key).shown)
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
