"""Slide planning: the trainer's View -> a list of PlannedSlides, decided before any XML.

Planning decides what goes on which slide and at what size, using the
bundled font's metrics (fit.py) so that no placeholder overflows: a section
too long for one slide continues on "(cont.)" slides, at most six bullets
each; only a single bullet too long for the box shrinks, never below 18 pt.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import ContentErrors, Problem
from ...model import Block, SafetyStatement, Unit, View
from ...model.dates import long_date
from ...model.inline import Run, inline_runs, plain_text
from ...model.placeholders import fill_placeholders
from ...model.markers import MAX_BULLETS, slide_citation, slide_reference_label
from ..references import format_references
from .fit import BULLET_INDENT_EMU, Box, fits, text_height

BODY_SIZE, BODY_FLOOR = 24, 18
TABLE_SIZE, REFERENCE_SIZE, REFERENCE_FLOOR = 14, 16, 14
SPACE_BEFORE = 8  # points between bullets
EVIDENCE_COLUMNS = ("design", "population", "finding", "level")
COLUMN_WIDTHS = (0.55, 3.0, 2.75, 3.9, 1.8)  # inches: Ref., then EVIDENCE_COLUMNS
CELL_MARGIN = 0.08  # inches, left/right inside a table cell


@dataclass
class Paragraph:
    runs: list[Run]
    bullet: bool = True

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass
class PlannedSlide:
    """One slide, decided before any XML is written."""

    kind: str  # title, objectives, section, safety, evidence, quiz, references, closing
    title: str
    body: list[Paragraph] = field(default_factory=list)
    second: list[Paragraph] = field(default_factory=list)  # right column of two-content
    size: float = BODY_SIZE
    notes: str = ""
    subtitle: str = ""
    table: list[list[str]] | None = None
    image: tuple[Path, str] | None = None  # (file, alt text)



def placeholder_box(layout, index: int, bullets: bool = True) -> tuple[Box, object]:
    placeholder = next(p for p in layout.placeholders if p.placeholder_format.idx == index)
    indent = BULLET_INDENT_EMU if bullets else 0
    return Box.from_emu(placeholder.width, placeholder.height, indent), placeholder



class Planner:
    """Turns the trainer's view of the document into a list of PlannedSlides."""

    def __init__(self, view: View, strings: dict[str, str], layouts: dict):
        self.view = view
        self.strings = strings
        self.layouts = layouts
        self.body, _ = placeholder_box(layouts["content"], 1)
        self.column, _ = placeholder_box(layouts["two_content"], 1)

    def cite(self, keys: list[str]) -> str:
        return slide_citation([self.view.numbers[k] for k in keys])

    def runs(self, unit: Unit) -> list[Run]:
        return inline_runs(unit.text, self.cite)

    def plain(self, unit: Unit) -> str:
        return "".join(run.text for run in self.runs(unit)).strip()

    def plan(self) -> list[PlannedSlide]:
        slides = [self.title_slide()]
        training = self.view.topic.training
        if training:
            slides += self.fit("objectives", self.strings["objectives"],
                               [Paragraph(self.runs(u)) for u in training.objectives],
                               self.strings["objectives_notes"])
        for section in self.view.sections:
            slides += self.section_slides(section)
            if section.id == self.view.evidence_after:
                slides += self.evidence_slides()
        if training:
            slides += self.quiz_slides()
        slides += self.reference_slides()
        slides.append(self.closing_slide())
        return slides

    def title_slide(self) -> PlannedSlide:
        topic, training = self.view.topic, self.view.topic.training
        presenter = (training.presenter if training and training.presenter else topic.owner)
        date = training.date if training and training.date else topic.review_date
        lines = [self.plain(self.view.settings.subtitle)] if self.view.settings.subtitle else []
        lines.append(f"{presenter} · {long_date(date, self.view.language)}")
        return PlannedSlide("title", self.plain(self.view.settings.title),
                            subtitle="\n".join(lines))

    def closing_slide(self) -> PlannedSlide:
        topic = self.view.topic
        byline = fill_placeholders(self.strings["closing_byline"], dict(
            owner=topic.owner, version=topic.version,
            date=long_date(topic.review_date, self.view.language)))
        return PlannedSlide("closing", self.strings["closing"], subtitle=byline)

    def section_slides(self, section) -> list[PlannedSlide]:
        notes = "\n\n".join(self.plain(u) for block in section.notes for u in block.units)
        statements = [c for c in section.content if isinstance(c, SafetyStatement)]
        paragraphs, image = [], None
        for item in section.content:
            if isinstance(item, Block) and item.kind == "image":
                if item.image.path.suffix.lower() == ".svg":
                    raise ContentErrors([Problem(
                        item.location, "an SVG image cannot be placed on a slide (PowerPoint "
                        "decks hold PNG, JPEG or GIF pictures)", "give the training deck a PNG "
                        "version, or put this image in a ::: {.patient .clinician} div")])
                image = (item.image.path, plain_text(item.image.alt.text))
                continue
            for unit in item.units:
                subheading = isinstance(item, Block) and item.kind == "subheading"
                paragraphs.append(Paragraph(self.runs(unit), bullet=not subheading))
        title = self.plain(section.title)
        if statements and len(statements) == len(section.content) and len(paragraphs) >= 4:
            return self.two_columns("safety", title, paragraphs, notes)
        if image:
            return self.two_columns("section", title, paragraphs, notes, image)
        return self.fit("section", title, paragraphs, notes)

    def fit(self, kind: str, title: str, paragraphs: list[Paragraph], notes: str,
            box: Box | None = None, size: float = BODY_SIZE,
            floor: float = BODY_FLOOR, limit: int = MAX_BULLETS) -> list[PlannedSlide]:
        """Pack paragraphs onto as few slides as fit; continuation slides say (cont.).

        A continuation slide holding a single bullet looks like an accident: when
        one would result, the text is set smaller (never below `floor`) if that
        packs the section without one.
        """
        box = box or self.body
        chunks = _packed(paragraphs, box, size, limit)
        for smaller in range(int(size) - 1, int(floor) - 1, -1):
            if len(chunks) < 2 or min(len(c) for c in chunks) > 1:
                break
            tighter = _packed(paragraphs, box, smaller, limit)
            if len(tighter) < len(chunks) or min(len(c) for c in tighter) > 1:
                chunks, size = tighter, smaller
        slides = []
        for number, chunk in enumerate(chunks or [[]]):
            chunk_size = size
            while chunk_size > floor and not fits([p.text for p in chunk], box, chunk_size,
                                                  SPACE_BEFORE):
                chunk_size -= 1
            suffix = f" {self.strings['continued']}" if number else ""
            slides.append(PlannedSlide(kind, title + suffix, chunk, size=chunk_size, notes=notes))
        return slides

    def two_columns(self, kind: str, title: str, paragraphs: list[Paragraph], notes: str,
                    image: tuple[Path, str] | None = None) -> list[PlannedSlide]:
        if image:
            slides = self.fit(kind, title, paragraphs, notes, box=self.column)
            slides[0].image = image
            return slides
        half = (len(paragraphs) + 1) // 2
        left = self.fit(kind, title, paragraphs[:half], notes, box=self.column, limit=3)
        right = self.fit(kind, title, paragraphs[half:], notes, box=self.column, limit=3)
        if len(left) == len(right) == 1:
            size = min(left[0].size, right[0].size)
            return [PlannedSlide(kind, title, left[0].body, right[0].body, size, notes)]
        return self.fit(kind, title, paragraphs, notes)

    def evidence_slides(self) -> list[PlannedSlide]:
        evidence = self.view.topic.evidence
        studies = sorted(evidence.studies, key=lambda s: self.view.numbers[s.reference])
        header = [self.strings["column_reference"]] + [
            self.strings[f"column_{c}"] for c in EVIDENCE_COLUMNS]
        rows = [[str(self.view.numbers[s.reference])] + [self.plain(getattr(s, c))
                                                    for c in EVIDENCE_COLUMNS] for s in studies]
        notes = [fill_placeholders(self.strings["evidence_notes"], {"scale": evidence.scale})]
        for study in studies:
            note = f"[{self.view.numbers[study.reference]}] {self.plain(study.limitation)}."
            if study.note:
                note += f" {self.strings['note']} {self.plain(study.note)}"
            notes.append(note)
        if evidence.note:
            notes.append(self.plain(evidence.note))
        slides, chunk = [], []
        for row in rows:
            if chunk and table_height([header] + chunk + [row]) > self.body.height:
                slides.append(chunk)
                chunk = []
            chunk.append(row)
        slides.append(chunk)
        title = self.strings["evidence"]
        return [PlannedSlide("evidence", title + (f" {self.strings['continued']}" if i else ""),
                             table=[header] + chunk, size=TABLE_SIZE, notes="\n".join(notes))
                for i, chunk in enumerate(slides)]

    def quiz_slides(self) -> list[PlannedSlide]:
        questions = self.view.topic.training.questions
        paragraphs = [Paragraph([Run(f"{i}. ")] + self.runs(q), bullet=False)
                      for i, (q, _) in enumerate(questions, start=1)]
        notes = "\n".join([self.strings["answers"]] + [f"{i}. {self.plain(a)}" for i, (_, a)
                                                         in enumerate(questions, start=1)])
        box, _ = placeholder_box(self.layouts["content"], 1, bullets=False)
        return self.fit("quiz", self.strings["quiz"], paragraphs, notes, box=box)

    def reference_slides(self) -> list[PlannedSlide]:
        references = format_references(self.view.references)
        paragraphs = [Paragraph([Run(slide_reference_label(r.number))] + reference_runs(r),
                                bullet=False)
                      for r in references]
        box, _ = placeholder_box(self.layouts["content"], 1, bullets=False)
        return self.fit("references", self.strings["references"], paragraphs,
                        self.strings["references_notes"], box=box, size=REFERENCE_SIZE,
                        floor=REFERENCE_FLOOR, limit=len(paragraphs) or 1)


def _packed(paragraphs: list[Paragraph], box: Box, size: float,
            limit: int) -> list[list[Paragraph]]:
    """Paragraphs packed greedily onto slides at `size`, then spread evenly."""
    chunks: list[list[Paragraph]] = []
    for paragraph in paragraphs:
        current = chunks[-1] if chunks else None
        if current is not None and len(current) < limit and \
                fits([p.text for p in current + [paragraph]], box, size, SPACE_BEFORE):
            current.append(paragraph)
        else:
            chunks.append([paragraph])
    return _balanced(chunks, box, size, limit) if len(chunks) > 1 else chunks


def _balanced(chunks: list[list[Paragraph]], box: Box, size: float,
              limit: int = MAX_BULLETS) -> list[list[Paragraph]]:
    """The same number of slides, filled evenly, when the even split still fits."""
    paragraphs = [p for chunk in chunks for p in chunk]
    count = len(chunks)
    per_slide = -(-len(paragraphs) // count)
    even = [paragraphs[i:i + per_slide] for i in range(0, len(paragraphs), per_slide)]
    if len(even) == count and all(
            len(c) <= limit and fits([p.text for p in c], box, size, SPACE_BEFORE)
            for c in even):
        return even
    return chunks

def reference_runs(reference) -> list[Run]:
    """The AMA HTML (italic titles, the DOI or web address as a link) as slide runs."""
    runs = []
    shown, link = reference.link_text, reference.link
    for italic, chunk in _split_tag(str(reference.html), "i"):
        text = html.unescape(re.sub(r"<[^>]+>", "", chunk))
        if link and shown and shown in text:
            before, after = text.rsplit(shown, 1)
            runs += [Run(before, italic=italic), Run(shown, link=link), Run(after, italic=italic)]
        else:
            runs.append(Run(text, italic=italic))
    return [run for run in runs if run.text]


def _split_tag(markup: str, tag: str) -> list[tuple[bool, str]]:
    parts = re.split(rf"<{tag}>(.*?)</{tag}>", markup)
    return [(i % 2 == 1, part) for i, part in enumerate(parts)]


def table_height(rows: list[list[str]]) -> float:
    """Points needed by a table at TABLE_SIZE with COLUMN_WIDTHS, rows as tall as their text."""
    total = 0.0
    for row in rows:
        total += max(text_height([cell], (width - 2 * CELL_MARGIN) * 72, TABLE_SIZE)
                     for cell, width in zip(row, COLUMN_WIDTHS)) + 2 * 0.05 * 72
    return total

