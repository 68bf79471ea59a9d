"""The output formats, by name: one line each, in build order.

A builder module is imported on first use only, so that naming every output
file (the up-to-date check) costs no rendering library.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from .builder import Builder, OutputSettings
from ..model import OutputSpec

BUILDERS: dict[str, str] = {
    "patient": "handouts.render.pdf.patient:PatientHandout",
    "clinician": "handouts.render.pdf.clinician:ClinicianBrief",
    "slides": "handouts.render.pptx.deck:SlideDeck",
    "patient-web": "handouts.render.html.builder:PatientWebPage",
    "clinician-web": "handouts.render.html.builder:ClinicianWebPage",
}

_loaded: dict[str, Builder] = {}


def builder(name: str) -> Builder:
    """The builder registered as `name`; an unknown name lists the known ones."""
    if name not in BUILDERS:
        raise KeyError(f"no output format '{name}'; known: {', '.join(BUILDERS)}")
    if name not in _loaded:
        module, attribute = BUILDERS[name].split(":")
        _loaded[name] = getattr(import_module(module), attribute)()
    return _loaded[name]


def builders() -> list[Builder]:
    return [builder(name) for name in BUILDERS]


def register(name: str, target: str) -> None:
    """Add a format ("package.module:Class"), for example from an organisation's plug-in."""
    BUILDERS[name] = target
    _loaded.pop(name, None)


def planned_outputs(topic: str, audiences: dict[str, tuple[str, ...]],
                    settings: OutputSettings) -> list[OutputSpec]:
    """Every file the formats make for a topic: audience -> the languages to build it in."""
    specs = []
    for each in builders():
        for language in audiences.get(each.audience, ()):
            specs += each.outputs(topic, language, settings)
    return specs


def warm_up(names: set[str], languages: set[str], templates: Path) -> None:
    """Warm every format that has work, before worker processes fork from us."""
    load_engines(names, templates)
    for name in BUILDERS:
        if name in names:
            builder(name).warm_up(languages, templates)


def template_files(names: set[str]) -> list[str]:
    """The template files these formats read (those that say)."""
    return sorted({name for each in names if each in BUILDERS
                   for name in getattr(builder(each), "template_files", tuple)()})


_engines: set[tuple[str, Path]] = set()


def load_engines(names: set[str], templates: Path) -> None:
    """Load what these formats render with, before any topic is known (while topics are
    planned); a format written without `load_engine` loads it all in `warm_up`."""
    for name in BUILDERS:
        if name in names and (name, templates) not in _engines:
            load = getattr(builder(name), "load_engine", None)
            if load is not None:
                load(templates)
            _engines.add((name, templates))


def engines_loaded(names: set[str], templates: Path) -> bool:
    return all((name, templates) in _engines for name in names if name in BUILDERS)
