"""The Document model: everything loaders produce and everything renderers read.

Text is kept as inline Markdown in `Unit`s, each with a stable id and the
file and line it came from, so that translations, checks and error messages
can all point at the same piece of text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

from ..errors import Location
from .names import AUDIENCES

if TYPE_CHECKING:
    from .organisation import Organisation


@dataclass(frozen=True)
class Unit:
    """One translatable piece of text (inline Markdown) with a stable id."""

    id: str
    text: str
    location: Location
    audiences: frozenset[str] = frozenset(AUDIENCES)
    safety_id: str | None = None


@dataclass(frozen=True)
class Image:
    """A figure from the topic's folder; `alt` is read aloud and printed for screen readers."""

    path: Path
    alt: Unit


@dataclass(frozen=True)
class Block:
    """A paragraph, a list, a table, a sub-heading or an image inside a section.

    kind is one of: paragraph, bullets, steps, subheading, table, image.
    A table's units are its cells row by row, the first row being the header.
    """

    kind: str
    units: tuple[Unit, ...]
    audiences: frozenset[str]
    location: Location
    columns: int = 0
    image: Image | None = None


@dataclass(frozen=True)
class SafetyStatement:
    """Safety wording with an id that `topic.yaml` can require for an audience.

    tier orders patient escalation advice: 'stop' (stop now) before 'call'
    (call your therapist); statements without a tier are general precautions.
    """

    id: str
    audiences: frozenset[str]
    blocks: tuple[Block, ...]
    location: Location
    tier: str | None = None

    @property
    def units(self) -> tuple[Unit, ...]:
        return tuple(unit for block in self.blocks for unit in block.units)


SectionItem = Union[Block, SafetyStatement]


@dataclass(frozen=True)
class Section:
    """A `##` section; `classes` other than audiences style it (e.g. `summary`)."""

    id: str
    title: Unit
    audiences: frozenset[str]
    classes: tuple[str, ...]
    content: tuple[SectionItem, ...]
    notes: tuple[Block, ...]
    location: Location
    # The reader met a structural error here (a div left open, attributes it could not
    # read, text it had to skip): what the section holds may not be what the author
    # wrote, so checks that count its content stay quiet until that error is fixed.
    damaged: bool = False


@dataclass(frozen=True)
class Reference:
    """One bibliography entry as CSL-JSON, with where it was defined."""

    key: str
    csl: dict[str, Any]
    location: Location

    @property
    def doi(self) -> str | None:
        return self.csl.get("DOI")


@dataclass(frozen=True)
class AudienceSettings:
    """What `topic.yaml` says about one audience's outputs."""

    title: Unit
    subtitle: Unit | None
    purpose: Unit | None
    required_safety: dict[str, Location]  # id -> where topic.yaml requires it
    max_grade: float | None
    min_inflesz: float | None
    languages: tuple[str, ...]
    max_sentence_grade: float | None = None  # the hardest one sentence may read (FK grade)
    max_sentence_words: int | None = None  # the most words in one sentence
    required_tiers: dict[str, str] = field(default_factory=dict)  # id -> the tier it must have


@dataclass(frozen=True)
class FillInField:
    """A line of the patient's fill-in plan that the therapist writes on."""

    id: str
    label: Unit


@dataclass(frozen=True)
class FillInPlan:
    """The plan printed on the patient handout: lines to write on and support tick boxes."""

    fields: tuple[FillInField, ...]
    supports: tuple[Unit, ...]


@dataclass(frozen=True)
class Link:
    url: str
    label: Unit


STUDY_COLUMNS = ("design", "population", "intervention", "finding", "limitation", "level")


@dataclass(frozen=True)
class Study:
    """One row of the evidence table: a reference and how the source describes it."""

    reference: str
    location: Location
    design: Unit
    population: Unit
    intervention: Unit
    finding: Unit
    limitation: Unit
    level: Unit
    note: Unit | None

    def cells(self) -> tuple[Unit, ...]:
        return tuple(getattr(self, name) for name in STUDY_COLUMNS)


@dataclass(frozen=True)
class Evidence:
    scale: str
    note: Unit | None
    studies: tuple[Study, ...]

    def units(self) -> Iterator[Unit]:
        if self.note:
            yield self.note
        for study in self.studies:
            yield from study.cells()
            if study.note:
                yield study.note


@dataclass(frozen=True)
class Training:
    """Settings of the in-service deck: objectives, quiz, and the brand template."""

    presenter: str | None
    date: dt.date | None
    objectives: tuple[Unit, ...]
    questions: tuple[tuple[Unit, Unit], ...]  # (question, answer)
    template: str | None
    template_location: Location
    layouts: dict[str, str]

    def units(self) -> Iterator[Unit]:
        yield from self.objectives
        for question, answer in self.questions:
            yield question
            yield answer


@dataclass(frozen=True)
class Topic:
    """A topic's metadata from `topic.yaml`."""

    id: str
    folder: Path
    language: str
    version: str
    review_date: dt.date
    next_review: dt.date | None
    owner: str
    audiences: dict[str, AudienceSettings]
    papers: tuple[str, ...]
    plan: FillInPlan | None
    link: Link | None
    content_file: str
    bibliography_file: str
    evidence: Evidence | None = None
    training: Training | None = None
    # Lines of the patient handout that name who the patient turns to, by key (call,
    # plan_note, follow_plan); a key left out prints the template's neutral wording.
    care_setting: dict[str, Unit] = field(default_factory=dict)
    # The organisation's name, logo, numbers and colours (handouts.yaml, then topic.yaml's
    # `organisation:`); None prints the neutral look.
    organisation: Organisation | None = None

    def units(self) -> Iterator[Unit]:
        """The strings of topic.yaml that outputs print, each tagged with its audiences."""
        for settings in self.audiences.values():
            yield from (u for u in (settings.title, settings.subtitle, settings.purpose) if u)
        if self.plan:
            yield from (f.label for f in self.plan.fields)
            yield from self.plan.supports
        if self.link:
            yield self.link.label
        if self.evidence:
            yield from self.evidence.units()
        if self.training:
            yield from self.training.units()
        yield from self.care_setting.values()
        if self.organisation:
            yield from self.organisation.units()


def section_units(sections: Iterable[Section]) -> Iterator[Unit]:
    """Every unit of the sections, in reading order: titles, content, then notes."""
    for section in sections:
        yield section.title
        for item in section.content:
            yield from item.units
        for block in section.notes:
            yield from block.units


@dataclass(frozen=True)
class Document:
    """One topic, loaded and validated: the only thing renderers read."""

    topic: Topic
    sections: tuple[Section, ...]
    references: dict[str, Reference]

    def units(self) -> Iterator[Unit]:
        """Every text unit, in reading order: topic strings first, then the Markdown."""
        yield from self.topic.units()
        yield from section_units(self.sections)

    def safety_statements(self) -> Iterator[SafetyStatement]:
        for section in self.sections:
            yield from (c for c in section.content if isinstance(c, SafetyStatement))


def audience_sections(document: Document, audience: str) -> tuple[Section, ...]:
    """The sections `audience` sees, holding only its content (notes: the trainer's only).

    Sections with nothing left for the audience are dropped.
    """
    sections = []
    for section in document.sections:
        if audience not in section.audiences:
            continue
        content = tuple(c for c in section.content if audience in c.audiences)
        notes = section.notes if audience == "trainer" else ()
        if content or notes:
            sections.append(replace(section, content=content, notes=notes))
    return tuple(sections)


def audience_units(document: Document, audience: str) -> Iterator[Unit]:
    """Every unit an output for `audience` can show, in reading order."""
    yield from (u for u in document.topic.units() if audience in u.audiences)
    yield from section_units(audience_sections(document, audience))
