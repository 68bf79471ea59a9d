"""Slide planning: the trainer's View -> a list of PlannedSlides, decided before any XML.

Planning decides what goes on which slide and at what size, using the
metrics of the theme font the presenter will see (fit.py) so that no
placeholder overflows: a section too long for one slide continues on
"(cont.)" slides, at most six bullets and about forty words each. A
paragraph or list item of a section may continue on the next slide, cut
between two of its sentences (sentences.py), when it is too long for one
slide or would otherwise be left alone on one; safety statements, quiz
questions, objectives, table cells and references are never cut. Only a
single bullet too long for the box shrinks, never below 18 pt. The evidence
table is laid out by table.py; references fill each slide before the next.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import islice
from pathlib import Path

from ...errors import ContentErrors, Problem
from ...model import Block, SafetyStatement, Unit, View
from ...model.dates import long_date
from ...model.inline import Run, inline_runs, plain_text
from ...model.placeholders import fill_placeholders
from ...model.markers import MAX_BULLETS, MAX_WORDS, WORD_CEILING, slide_citation, \
    slide_reference_label
from ..references import format_references
from .fit import BULLET_INDENT_EMU, DEFAULT_FAMILY, EMU_PER_POINT, Box, fits
from .sentences import sentences
from .table import TableDoesNotFit, layout_table

BODY_SIZE, BODY_FLOOR = 24, 18
REFERENCE_SIZE, REFERENCE_FLOOR = 16, 14
TITLE_FLOOR = 24  # a title too long for its placeholder is set smaller, down to this
SPACE_BEFORE = 8  # points between bullets
MAX_PLANS = 20000  # ways to cut a section into slides compared, at most (the first found)
EVIDENCE_COLUMNS = ("design", "population", "finding", "level")


@dataclass
class Paragraph:
    runs: list[Run]
    bullet: bool = True
    divisible: bool = False  # may be cut between sentences onto two slides
    continues: bool = False  # a sentence of the bullet before: joins it on one slide
    source: int = 0  # while planning: which of the section's paragraphs this comes from

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


def in_sentences(paragraphs: list[Paragraph], which: set[int]) -> list[Paragraph]:
    """The paragraphs numbered in `which` that are divisible as their sentences (the
    second on marked as continuing the first), the others whole; each knows its source."""
    pieces = []
    for number, paragraph in enumerate(paragraphs):
        cut = paragraph.divisible and number in which
        parts = sentences(paragraph.runs) if cut else [paragraph.runs]
        pieces += [replace(paragraph, runs=runs, divisible=cut, continues=i > 0,
                           source=number) for i, runs in enumerate(parts)]
    return pieces


def bullets(chunk: list[Paragraph]) -> list[Paragraph]:
    """The bullets one slide shows: sentences of one paragraph joined again.

    A paragraph cut by a slide break starts a bullet of its own on the next slide.
    """
    shown: list[Paragraph] = []
    for piece in chunk:
        if piece.continues and shown:
            last = shown[-1]
            shown[-1] = Paragraph(last.runs + [Run(" ")] + piece.runs, last.bullet)
        else:
            shown.append(Paragraph(piece.runs, piece.bullet))
    return shown


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
    column_widths: tuple[float, ...] = ()  # points, for a table
    row_heights: tuple[float, ...] = ()  # points, for a table: each row's text and padding
    title_size: float | None = None  # points, when the layout's own size would not fit



def placeholder_box(layout, index: int, bullets: bool = True) -> tuple[Box, object]:
    placeholder = next(p for p in layout.placeholders if p.placeholder_format.idx == index)
    indent = BULLET_INDENT_EMU if bullets else 0
    return Box.from_emu(placeholder.width, placeholder.height, indent), placeholder



class Planner:
    """Turns the trainer's view of the document into a list of PlannedSlides."""

    def __init__(self, view: View, strings: dict[str, str], layouts: dict,
                 family: str = DEFAULT_FAMILY, heading: str | None = None):
        self.view = view
        self.strings = strings
        self.layouts = layouts
        self.family = family  # the theme's body font, as the presenter's PC draws it
        self.heading = heading or family  # the theme's heading font, for slide titles
        self.body, self.body_placeholder = placeholder_box(layouts["content"], 1)
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
                               self.strings["objectives_notes"], words=None)  # a list to read
        for section in self.view.sections:
            slides += self.section_slides(section)
            if section.id == self.view.evidence_after:
                slides += self.evidence_slides()
        if training:
            slides += self.quiz_slides()
        slides += self.reference_slides()
        slides.append(self.closing_slide())
        for slide in slides:
            slide.title_size = self.title_size(slide)
        return slides

    def title_size(self, slide: PlannedSlide) -> float | None:
        """A smaller size for a title that would not fit its placeholder, else None."""
        from .template import title_size

        role = "title" if slide.kind in ("title", "closing") else \
            "two_content" if slide.second or slide.image else "content"
        layout = self.layouts[role]
        box, _ = placeholder_box(layout, 0, bullets=False)
        size = start = title_size(layout)
        while size > TITLE_FLOOR and not fits([slide.title], box, size, family=self.heading):
            size -= 2
        return None if size == start else size

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
            # A paragraph or a bulleted item may continue on the next slide; a safety
            # statement, a step, a subheading or a table cell is read as one piece.
            divisible = isinstance(item, Block) and item.kind in ("paragraph", "bullets")
            for unit in item.units:
                subheading = isinstance(item, Block) and item.kind == "subheading"
                paragraphs.append(Paragraph(self.runs(unit), bullet=not subheading,
                                            divisible=divisible))
        title = self.plain(section.title)
        if statements and len(statements) == len(section.content) and len(paragraphs) >= 4:
            return self.two_columns("safety", title, paragraphs, notes)
        if image:
            return self.two_columns("section", title, paragraphs, notes, image)
        return self.fit("section", title, paragraphs, notes)

    def fit(self, kind: str, title: str, paragraphs: list[Paragraph], notes: str,
            box: Box | None = None, size: float = BODY_SIZE,
            floor: float = BODY_FLOOR, limit: int = MAX_BULLETS,
            words: int | None = MAX_WORDS) -> list[PlannedSlide]:
        """Pack paragraphs onto as few slides as fit; continuation slides say (cont.).

        Paragraphs are packed whole first. A divisible one too long for a slide,
        alone on one, or next to a slide holding one bullet then goes in as its
        sentences, so it may be cut where a slide ends (`Packing.balanced` cuts as
        few as it can); a slide left with one bullet of several sentences shows
        them as two bullets. Every slide of the section carries the section's
        notes whole.
        """
        box = box or self.body
        whole = in_sentences(paragraphs, set())
        packing, chunks, size = self.packed(whole, box, size, floor, limit, words)
        long, cut = _worth_cutting(chunks, words)
        pieces = in_sentences(paragraphs, long | cut)
        if len(pieces) > len(whole):
            cut_plan = self.packed(pieces, box, size, floor, limit, words)
            if any(p.continues for p in pieces if p.source in long) or \
                    (len(cut_plan[1]), _lonely(cut_plan[1])) < (len(chunks), _lonely(chunks)):
                packing, chunks, size = cut_plan
        if len(chunks) > 1:
            chunks = [packing.unlonely(chunk, size) for chunk in chunks]
        slides = []
        for number, chunk in enumerate(chunks or [[]]):
            chunk_size = size
            while chunk_size > floor and not packing.fits(chunk, chunk_size):
                chunk_size -= 1
            suffix = f" {self.strings['continued']}" if number else ""
            slides.append(PlannedSlide(kind, title + suffix, bullets(chunk), size=chunk_size,
                                       notes=notes))
        return slides

    def packed(self, pieces: list[Paragraph], box: Box, size: float, floor: float,
               limit: int, words: int | None) -> tuple[Packing, list[list[Paragraph]], float]:
        """The pieces on as few slides as fit, and the packing and size that put them there.

        A slide holding a single bullet looks like an accident: when one would
        result, a slide may hold up to WORD_CEILING words, and the text is set
        smaller (never below `floor`), if that packs the section with fewer.
        """
        packing = Packing(box, limit, words, self.family)
        chunks = packing.packed(pieces, size)
        if words is not None and _lone(chunks):
            looser = Packing(box, limit, max(words, WORD_CEILING), self.family)
            stretched = looser.packed(pieces, size)
            if len(stretched) < len(chunks) or _lonely(stretched) < _lonely(chunks):
                packing, chunks = looser, stretched
        for smaller in range(int(size) - 1, int(floor) - 1, -1):
            if not _lone(chunks):
                break
            tighter = packing.packed(pieces, smaller)
            if len(tighter) < len(chunks) or not _lone(tighter):
                chunks, size = tighter, smaller
        return packing, chunks, size

    def two_columns(self, kind: str, title: str, paragraphs: list[Paragraph], notes: str,
                    image: tuple[Path, str] | None = None) -> list[PlannedSlide]:
        if image:
            slides = self.fit(kind, title, paragraphs, notes, box=self.column)
            slides[0].image = image
            return slides
        # The safety protocol stays on one slide, every safeguard in view, when each
        # column holds its three statements at 18 pt or more: no word limit here.
        half = (len(paragraphs) + 1) // 2
        left = self.fit(kind, title, paragraphs[:half], notes, box=self.column, limit=3,
                        words=None)
        right = self.fit(kind, title, paragraphs[half:], notes, box=self.column, limit=3,
                         words=None)
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
        placeholder = self.body_placeholder
        try:
            layout = layout_table(header, rows, placeholder.width / EMU_PER_POINT,
                                  placeholder.height / EMU_PER_POINT, self.family)
        except TableDoesNotFit as problem:
            raise ContentErrors([Problem(
                evidence.studies[0].location, str(problem), "shorten the longest words of "
                "the evidence table, or use a template with a wider 'content' layout")]) from None
        title = self.strings["evidence"]
        return [PlannedSlide("evidence", title + (f" {self.strings['continued']}" if i else ""),
                             table=[header] + [list(row) for row in page], size=layout.size,
                             notes="\n".join(notes), column_widths=layout.widths,
                             row_heights=tuple(layout.row_height(row, self.family)
                                               for row in (tuple(header), *page)))
                for i, page in enumerate(layout.pages)]

    def quiz_slides(self) -> list[PlannedSlide]:
        questions = self.view.topic.training.questions
        paragraphs = [Paragraph([Run(f"{i}. ")] + self.runs(q), bullet=False)
                      for i, (q, _) in enumerate(questions, start=1)]
        notes = "\n".join([self.strings["answers"]] + [f"{i}. {self.plain(a)}" for i, (_, a)
                                                         in enumerate(questions, start=1)])
        box, _ = placeholder_box(self.layouts["content"], 1, bullets=False)
        return self.fit("quiz", self.strings["quiz"], paragraphs, notes, box=box, words=None)

    def reference_slides(self) -> list[PlannedSlide]:
        """Every slide filled before the next starts, at the largest size with fewest slides."""
        references = format_references(self.view.references)
        paragraphs = [Paragraph([Run(slide_reference_label(r.number))] + reference_runs(r),
                                bullet=False)
                      for r in references]
        box, _ = placeholder_box(self.layouts["content"], 1, bullets=False)
        packing = Packing(box, len(paragraphs) or 1, None, self.family)
        plans = {size: packing.filled(paragraphs, size)
                 for size in range(REFERENCE_SIZE, REFERENCE_FLOOR - 1, -1)}
        size = min(plans, key=lambda s: (len(plans[s]), -s))
        title = self.strings["references"]
        return [PlannedSlide("references", title + (f" {self.strings['continued']}" if i else ""),
                             chunk, size=size, notes=self.strings["references_notes"])
                for i, chunk in enumerate(plans[size] or [[]])]


@dataclass(frozen=True)
class Packing:
    """How paragraphs go onto slides with this box: bullets, words and height limits."""

    box: Box
    limit: int
    words: int | None
    family: str = DEFAULT_FAMILY

    def fits(self, chunk: list[Paragraph], size: float) -> bool:
        return fits([p.text for p in bullets(chunk)], self.box, size, SPACE_BEFORE, self.family)

    def room(self, chunk: list[Paragraph], size: float) -> bool:
        """Can `chunk` share one slide? One sentence or undivided paragraph alone always may."""
        if len(chunk) > 1 and self.words is not None and _words(chunk) > self.words:
            return False
        return len(bullets(chunk)) <= self.limit and self.fits(chunk, size)

    def unlonely(self, chunk: list[Paragraph], size: float) -> list[Paragraph]:
        """A slide's single bullet of several sentences as two bullets, when they fit.

        Cut where the two halves are nearest in words.
        """
        if len(bullets(chunk)) != 1 or len(chunk) < 2:
            return chunk
        total = _words(chunk)
        at = min(range(1, len(chunk)), key=lambda i: abs(total - 2 * _words(chunk[:i])))
        cut = chunk[:at] + [replace(chunk[at], continues=False)] + chunk[at + 1:]
        return cut if self.room(cut, size) else chunk

    def filled(self, paragraphs: list[Paragraph], size: float) -> list[list[Paragraph]]:
        """Paragraphs packed greedily: each slide as full as it can be."""
        chunks: list[list[Paragraph]] = []
        for paragraph in paragraphs:
            if chunks and self.room(chunks[-1] + [paragraph], size):
                chunks[-1].append(paragraph)
            else:
                chunks.append([paragraph])
        return chunks

    def packed(self, paragraphs: list[Paragraph], size: float) -> list[list[Paragraph]]:
        """Paragraphs packed greedily onto slides at `size`, then spread evenly."""
        chunks = self.filled(paragraphs, size)
        return self.balanced(chunks, size) if len(chunks) > 1 else chunks

    def balanced(self, chunks: list[list[Paragraph]], size: float) -> list[list[Paragraph]]:
        """The same number of slides: fewest with one bullet, then fewest paragraphs cut,
        then the most even word counts that still fit."""
        paragraphs = [p for chunk in chunks for p in chunk]
        best, best_spread = chunks, _ranking(chunks)
        for split in islice(self._splits(paragraphs, len(chunks), size), MAX_PLANS):
            candidate = [paragraphs[a:b] for a, b in zip(split, split[1:])]
            spread = _ranking(candidate)
            if spread < best_spread:
                best, best_spread = candidate, spread
        return best

    def _splits(self, paragraphs: list[Paragraph], parts: int, size: float):
        """Every way to cut `paragraphs` into `parts` slides that each have room, as cut
        positions. A slide that has no room for a run of paragraphs has none for a longer
        one, so only slides that fit are ever extended."""
        room = cache(lambda start, end: self.room(paragraphs[start:end], size))
        total = len(paragraphs)

        def cuts(start: int, left: int):
            if left == 1:
                if room(start, total):
                    yield (total,)
                return
            for end in range(start + 1, total - left + 2):
                if not room(start, end):
                    return
                for rest in cuts(end, left - 1):
                    yield (end, *rest)

        for split in cuts(0, parts):
            yield (0, *split)


def _balanced(chunks: list[list[Paragraph]], box: Box, size: float,
              limit: int = MAX_BULLETS) -> list[list[Paragraph]]:
    """The same number of slides, as evenly filled as still fits."""
    return Packing(box, limit, MAX_WORDS).balanced(chunks, size)


def _lone(chunks: list[list[Paragraph]]) -> bool:
    """Would a slide of a section of several slides hold a single bullet?"""
    return _lonely(chunks) > 0


def _lonely(chunks: list[list[Paragraph]]) -> int:
    """Slides of a section of several that hold one sentence or undivided paragraph only.

    A slide holding several sentences of one paragraph is not counted: they can be
    shown as two bullets (`Packing.unlonely`).
    """
    return sum(len(c) == 1 for c in chunks) if len(chunks) > 1 else 0


def _worth_cutting(chunks: list[list[Paragraph]],
                   words: int | None) -> tuple[set[int], set[int]]:
    """Which paragraphs a slide may cut between sentences: those longer than `words`
    alone on a slide; and those alone on a slide of several, or next to one."""
    long = {c[0].source for c in chunks if len(c) == 1 and words is not None
            and _words(c) > words}
    cut = set()
    for number, chunk in enumerate(chunks if len(chunks) > 1 else []):
        if len(chunk) == 1:
            cut |= {chunk[0].source, chunks[max(number - 1, 0)][-1].source,
                    chunks[min(number + 1, len(chunks) - 1)][0].source}
    return long, cut


def _cuts(chunks: list[list[Paragraph]]) -> int:
    """Paragraphs cut by a slide break: a slide that starts with a continuing sentence."""
    return sum(bool(c) and c[0].continues for c in chunks[1:])


def _words(chunk: list[Paragraph]) -> int:
    return sum(len(p.text.split()) for p in chunk)


def _ranking(chunks: list[list[Paragraph]]) -> tuple:
    """How good a plan of a section's slides is, smaller better."""
    return (_lonely(chunks), _cuts(chunks), *_spread(chunks), tuple(-len(c) for c in chunks))


def _spread(chunks: list[list[Paragraph]]) -> tuple[int, int]:
    """How uneven slides are: the largest difference in bullets, then in words."""
    counts = [len(bullets(c)) for c in chunks]
    words = [_words(c) for c in chunks]
    return max(counts) - min(counts), max(words) - min(words)


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

