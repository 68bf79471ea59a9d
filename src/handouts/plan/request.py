"""What the user asked a build (or a check) for: topics, filters and options."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..render.builder import OutputSettings


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

    def wanted(self, audience: str) -> bool:
        return not self.audiences or audience in self.audiences

    def languages_for(self, listed: tuple[str, ...]) -> list[str]:
        """The languages topic.yaml lists for an audience, narrowed to those asked for.

        Naming both the audience and the language builds it even when topic.yaml
        does not list it (a coordinator trying a new catalog).
        """
        if not self.languages:
            return list(listed)
        if self.audiences:
            return list(self.languages)
        return [language for language in self.languages if language in listed]

    def output_settings(self, topic_papers: tuple[str, ...]) -> OutputSettings:
        return OutputSettings(self.papers or topic_papers, self.slide_template)
