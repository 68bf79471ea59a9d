"""What an output format declares: its name, its files, its warm-up, its rendering and its check.

The build, the manifest, `handouts check` and the command line know formats
only through this protocol, so a new format is its own module plus one line
in registry.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ..model import OutputSpec, View

if TYPE_CHECKING:  # naming files must not load the read-back
    from ..verify.results import Verified


@dataclass(frozen=True)
class OutputSettings:
    """What a build asks of every topic's files: paper sizes, and an organisation's deck."""

    papers: tuple[str, ...]
    slide_template: Path | None = None


class Builder(Protocol):
    name: str  # the registry name, written into every OutputSpec it plans
    audience: str  # whose View it renders
    count_unit: str  # what Verified.count counts: "page" or "slide"

    def outputs(self, topic: str, language: str, settings: OutputSettings) -> list[OutputSpec]:
        """The files this format makes for a topic in a language (no rendering library loaded)."""

    def template_files(self) -> tuple[str, ...]:
        """The files under the templates folder this format reads, checked before a build
        renders (load/templates.py). Optional."""

    def load_engine(self, templates: Path) -> None:
        """Pay the one-off costs no topic decides (imports, compiled templates) before
        workers fork; runs while the topics are planned. Optional: a format without it
        pays everything in `warm_up`."""

    def warm_up(self, languages: set[str], templates: Path) -> None:
        """Pay the one-off costs of these languages (fonts) before workers fork."""

    def render(self, view: View, spec: OutputSpec, templates: Path) -> bytes:
        """The output file's bytes; raises ContentErrors for problems in the content."""

    def verify(self, data: bytes, spec: OutputSpec, view: View, source: View | None,
               thorough: bool = False) -> Verified:
        """Read the bytes back as a reader gets them and check them (source: the English).

        `thorough` (`handouts check --thorough`, and the tests) adds the slow
        checks a build leaves out: a second PDF text extractor, a deck laid out
        by LibreOffice.
        """
