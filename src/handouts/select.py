"""Document × audience (× language) -> exactly what one output shows.

Renderers receive a View and nothing else, so an output can never show a
unit meant for another audience: the filtering happens here, once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .markdown import citation_keys
from .model import (AudienceSettings, Document, SafetyStatement, Section, Topic, Unit,
                    section_units)

if TYPE_CHECKING:
    from .i18n import Translation


@dataclass(frozen=True)
class View:
    """The sections, settings and references one audience sees, in one language."""

    topic: Topic
    audience: str
    language: str
    settings: AudienceSettings
    sections: tuple[Section, ...]
    document: Document
    translation: Translation | None = None  # the catalog, when not the source language
    draft: bool = False  # some units are shown untranslated

    @property
    def reviewed(self) -> bool:
        """Source text, or a catalog whose header names a reviewer."""
        return self.translation is None or self.translation.reviewer is not None

    def gettext(self, text: str) -> str:
        return self.translation.gettext(text) if self.translation else text

    def units(self) -> Iterator[Unit]:
        """Every unit the output shows, in reading order."""
        yield from (u for u in self.topic.units() if self.audience in u.audiences)
        yield from section_units(self.sections)

    def safety_statements(self) -> list[SafetyStatement]:
        return [c for s in self.sections for c in s.content if isinstance(c, SafetyStatement)]

    def cited_keys(self) -> list[str]:
        """Reference keys in order of first citation, each once."""
        return first_citation_order(self.units())


def first_citation_order(units: Iterable[Unit], extra: Iterable[str] = (),
                         seed: Iterable[str] = ()) -> list[str]:
    """Keys in the order the units first cite them, then any `extra` keys not yet cited.

    `seed` keys come first, in their order, when another output's numbering must be kept.
    """
    seen: dict[str, None] = dict.fromkeys(seed)
    for unit in units:
        for key in citation_keys(unit.text):
            seen.setdefault(key, None)
    for key in extra:
        seen.setdefault(key, None)
    return list(seen)


def select(document: Document, audience: str, language: str | None = None,
           translation: Translation | None = None, draft: bool = False) -> View:
    """What `audience` sees of `document`; sections with nothing left for it are dropped."""
    sections = []
    for section in document.sections:
        if audience not in section.audiences:
            continue
        content = tuple(c for c in section.content if audience in c.audiences)
        notes = section.notes if audience == "trainer" else ()
        if content or notes:
            sections.append(replace(section, content=content, notes=notes))
    return View(document.topic, audience, language or document.topic.language,
                document.topic.audiences[audience], tuple(sections), document, translation,
                draft)
