"""One builder per output format, registered by name.

Which files a topic produces is decided here from names alone (no rendering
library is imported), so that an up-to-date build can be confirmed in a
fraction of a second; the renderers are imported only when there is work.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path

# name -> (audience, module:class that renders it), in build order
BUILDERS = {
    "patient": ("patient", "handouts.builders.patient:PatientHandout"),
    "clinician": ("clinician", "handouts.builders.clinician:ClinicianBrief"),
    "slides": ("trainer", "handouts.builders.slides:SlideDeck"),
}
PATIENT_VARIANTS = ("standard", "large")


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


def planned_outputs(builder: str, topic: str, language: str, papers: tuple[str, ...],
                    slide_template: Path | None = None) -> list[OutputSpec]:
    """The files one builder makes for a topic in a language."""
    audience = BUILDERS[builder][0]
    base = f"{topic}/{language}/{topic}"
    if builder == "patient":
        return [OutputSpec(builder, topic, audience, language,
                           f"{base}-patient{'-large' if variant == 'large' else ''}"
                           f"{'-a4' if paper == 'a4' else ''}.pdf", paper,
                           (("large", variant == "large"),))
                for variant in PATIENT_VARIANTS for paper in papers]
    if builder == "clinician":
        return [OutputSpec(builder, topic, audience, language,
                           f"{base}-clinician{'-a4' if paper == 'a4' else ''}.pdf", paper)
                for paper in papers]
    return [OutputSpec(builder, topic, audience, language, f"{base}-slides.pptx",
                       options=(("template", str(slide_template) if slide_template else None),))]


def renderer(builder: str):
    """The object that renders a builder's outputs (imports its libraries on first use)."""
    module, name = BUILDERS[builder][1].split(":")
    return getattr(import_module(module), name)()


def warm_up(builders: set[str], languages: set[str], templates: Path) -> None:
    """Pay the one-off costs (imports, fonts, the CSL style) once, before forking workers."""
    from ..fonts import glyph_sets
    from ..references import AMA, _style
    from . import htmlpdf, slides

    if builders & {"patient", "clinician"}:
        htmlpdf.warm_up(templates, languages)
        for language in languages:
            glyph_sets(language)
    if "slides" in builders:
        slides.warm_up()
    _style(AMA)


def source_date(review_date: dt.date) -> dt.datetime:
    """The date written into files: $SOURCE_DATE_EPOCH when set, else the review date.

    Never the clock: the same inputs must give the same bytes.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).replace(tzinfo=None)
    return dt.datetime.combine(review_date, dt.time())
