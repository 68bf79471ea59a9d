"""What the user asked a build (or a check) for: topics, filters and options."""

from __future__ import annotations

from dataclasses import dataclass, field
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
    formats: tuple[str, ...] = ()  # registered format names; empty: every format
    # When a list: a translation that cannot be used (stale, missing or flawed catalog)
    # blocks only its own outputs, and its problems are collected here instead of stopping
    # the whole request (see plan/topics.py). None: any such problem stops the request.
    blocked: list | None = field(default=None, compare=False, hash=False)
    checking: bool = False  # handouts check: nothing is written, blocked outputs are listed

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
