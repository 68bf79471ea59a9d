"""What one output shows: a topic selected for one audience, in one language.

Renderers receive a View and nothing else, so an output can never show a
unit meant for another audience, and every renderer numbers references the
same way: selection (plan/selection.py) decides both, once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Protocol

from .document import AudienceSettings, Reference, SafetyStatement, Section, Topic, Unit, \
    section_units


class TemplateStrings(Protocol):
    """A language's translations of the words templates add ("Page {page} of {pages}")."""

    language: str
    path: Path
    reviewer: str | None

    def gettext(self, text: str) -> str: ...

    def stamp(self) -> tuple:
        """Changes whenever a catalog behind the translation changes."""
        ...


@dataclass(frozen=True)
class View:
    """The sections, settings and numbered references one audience sees, in one language."""

    topic: Topic
    audience: str
    language: str
    settings: AudienceSettings
    sections: tuple[Section, ...]  # in the output's reading order
    references: tuple[Reference, ...]  # numbered 1, 2, ... in this order
    evidence_after: str | None = None  # id of the section the evidence table follows
    translation: TemplateStrings | None = None  # None in the source language
    draft: bool = False  # some units are shown untranslated

    @cached_property
    def numbers(self) -> dict[str, int]:
        """Reference key -> the number this output prints for it."""
        return {ref.key: n for n, ref in enumerate(self.references, start=1)}

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
