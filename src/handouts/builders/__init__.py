"""One builder per output format, registered by name; `BUILDERS` is the registry."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..select import View


@dataclass(frozen=True)
class OutputSpec:
    """One file to produce: which audience, language and paper, and where it goes."""

    builder: str
    topic: str
    audience: str
    language: str
    relpath: str  # under the output folder, e.g. backwards-walking/en/backwards-walking-patient.pdf
    paper: str | None = None
    options: tuple[tuple[str, object], ...] = field(default_factory=tuple)

    def option(self, name: str, default=None):
        return dict(self.options).get(name, default)


@dataclass(frozen=True)
class Rendered:
    spec: OutputSpec
    data: bytes
    facts: dict  # page count, fonts…: what the checks and the summary report


class Builder(Protocol):
    name: str
    audience: str

    def outputs(self, view: View, papers: tuple[str, ...],
                options: dict | None = None) -> list[OutputSpec]: ...

    def render(self, view: View, spec: OutputSpec, templates: Path) -> Rendered: ...


def registry() -> dict[str, Builder]:
    """Builders by name; imported lazily so `handouts --help` stays fast."""
    from .clinician import ClinicianBrief
    from .patient import PatientHandout
    from .slides import SlideDeck
    return {builder.name: builder
            for builder in (PatientHandout(), ClinicianBrief(), SlideDeck())}
