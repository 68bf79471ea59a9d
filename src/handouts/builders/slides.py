"""The in-service training deck (PPTX): planned as data first, then written with python-pptx.

Planning decides what goes on which slide and at what size, using the
bundled font's metrics (slidefit.py) so that no placeholder overflows: a
section too long for one slide continues on "(cont.)" slides, at most six
bullets each; only a single bullet too long for the box shrinks, never
below 18 pt.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import ContentErrors, Location, Problem
from ..markdown import Run, inline_runs, plain_text
from ..model import Block, SafetyStatement, Unit
from ..references import format_references
from ..select import View
from ..slidefit import BULLET_INDENT_EMU, EMU_PER_POINT, Box, fits, text_height
from . import OutputSpec, Rendered, source_date
from .clinician import reference_order

BODY_SIZE, BODY_FLOOR, MAX_BULLETS = 24, 18, 6
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


class SlideDeck:

    def render(self, view: View, spec: OutputSpec, templates: Path) -> Rendered:
        presentation, layouts = open_template(view, templates, spec.option("template"))
        planner = Planner(view, templates, presentation, layouts)
        slides = planner.plan()
        notices = [planner.strings[key] for key, show in
                   (("draft", view.draft), ("unreviewed", not view.reviewed)) if show]
        write_slides(presentation, layouts, slides, view.language, notices)
        set_core_properties(presentation, view)
        buffer = io.BytesIO()
        presentation.save(buffer)
        return Rendered(spec, fixed_zip(buffer.getvalue()))


def warm_up() -> None:
    """Import python-pptx once, before worker processes fork from us."""
    import pptx  # noqa: F401


# -- template ---------------------------------------------------------------

def open_template(view: View, templates: Path, override: str | None):
    """The brand template with its sample slides removed, and the three layouts we use."""
    from pptx import Presentation

    training = view.topic.training
    if override:
        path, where = Path(override), Location(str(override))
    elif training and training.template:
        path, where = view.topic.folder / training.template, training.template_location
    else:
        path, where = templates / "slides" / "default.pptx", Location(str(templates))
    try:
        presentation = Presentation(io.BytesIO(_as_presentation(path.read_bytes())))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ContentErrors([Problem(where, f"cannot open the slide template {path}: {exc}",
                                     "give a .pptx or .potx saved by PowerPoint or "
                                     "LibreOffice")]) from None
    _remove_slides(presentation)
    names = training.layouts if training else {"title": "Title Slide",
                                               "content": "Title and Content",
                                               "two_content": "Two Content"}
    available = {layout.name: layout for layout in presentation.slide_layouts}
    missing = [name for name in names.values() if name not in available]
    if missing:
        raise ContentErrors([Problem(where, f"the slide template {path.name} has no layout "
                                     + ", ".join(f"'{m}'" for m in missing)
                                     + "; it has: " + ", ".join(f"'{n}'" for n in available),
                                     "name the layouts to use under training.layouts in "
                                     "topic.yaml")])
    return presentation, {role: available[name] for role, name in names.items()}


def _as_presentation(data: bytes) -> bytes:
    """A .potx is a .pptx with another content type; python-pptx opens only the latter."""
    source = zipfile.ZipFile(io.BytesIO(data))
    types = source.read("[Content_Types].xml")
    template_type = b"presentationml.template.main+xml"
    if template_type not in types:
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                content = content.replace(template_type, b"presentationml.presentation.main+xml")
            target.writestr(info, content)
    return out.getvalue()


def _remove_slides(presentation) -> None:
    slide_ids = presentation.slides._sldIdLst
    for slide_id in list(slide_ids):
        presentation.part.drop_rel(slide_id.rId)
        slide_ids.remove(slide_id)


def _placeholder_box(layout, index: int, bullets: bool = True) -> tuple[Box, object]:
    placeholder = next(p for p in layout.placeholders if p.placeholder_format.idx == index)
    indent = BULLET_INDENT_EMU if bullets else 0
    return Box.from_emu(placeholder.width, placeholder.height, indent), placeholder


# -- planning ---------------------------------------------------------------

class Planner:
    """Turns the trainer's view of the document into a list of PlannedSlides."""

    def __init__(self, view: View, templates: Path, presentation, layouts: dict):
        self.view = view
        self.strings = deck_strings(view, templates)
        self.layouts = layouts
        self.presentation = presentation
        self.keys = deck_reference_order(view)
        self.numbers = {key: n for n, key in enumerate(self.keys, start=1)}
        self.body, _ = _placeholder_box(layouts["content"], 1)
        self.column, _ = _placeholder_box(layouts["two_content"], 1)

    def cite(self, keys: list[str]) -> str:
        return "[" + ", ".join(str(self.numbers[k]) for k in keys) + "]"

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
        if self.view.topic.evidence:
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
        lines.append(f"{presenter} · {format_day(date, self.view.language)}")
        return PlannedSlide("title", self.plain(self.view.settings.title),
                            subtitle="\n".join(lines))

    def closing_slide(self) -> PlannedSlide:
        topic = self.view.topic
        byline = self.strings["closing_byline"].format(
            owner=topic.owner, version=topic.version,
            date=format_day(topic.review_date, self.view.language))
        return PlannedSlide("closing", self.strings["closing"], subtitle=byline)

    def section_slides(self, section) -> list[PlannedSlide]:
        notes = "\n\n".join(self.plain(u) for block in section.notes for u in block.units)
        statements = [c for c in section.content if isinstance(c, SafetyStatement)]
        paragraphs, image = [], None
        for item in section.content:
            if isinstance(item, Block) and item.kind == "image":
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
        """Pack paragraphs onto as few slides as fit; continuation slides say (cont.)."""
        box = box or self.body
        chunks: list[list[Paragraph]] = []
        for paragraph in paragraphs:
            current = chunks[-1] if chunks else None
            if current is not None and len(current) < limit and \
                    fits([p.text for p in current + [paragraph]], box, size, SPACE_BEFORE):
                current.append(paragraph)
            else:
                chunks.append([paragraph])
        chunks = _balanced(chunks, box, size) if len(chunks) > 1 else chunks
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
        studies = sorted(evidence.studies, key=lambda s: self.numbers[s.reference])
        header = [self.strings["column_reference"]] + [
            self.strings[f"column_{c}"] for c in EVIDENCE_COLUMNS]
        rows = [[str(self.numbers[s.reference])] + [self.plain(getattr(s, c))
                                                    for c in EVIDENCE_COLUMNS] for s in studies]
        notes = [self.strings["evidence_notes"].format(scale=evidence.scale)]
        for study in studies:
            note = f"[{self.numbers[study.reference]}] {self.plain(study.limitation)}."
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
        box, _ = _placeholder_box(self.layouts["content"], 1, bullets=False)
        return self.fit("quiz", self.strings["quiz"], paragraphs, notes, box=box)

    def reference_slides(self) -> list[PlannedSlide]:
        references = format_references([self.view.document.references[k] for k in self.keys])
        paragraphs = [Paragraph([Run(f"{r.number}. ")] + reference_runs(r), bullet=False)
                      for r in references]
        box, _ = _placeholder_box(self.layouts["content"], 1, bullets=False)
        return self.fit("references", self.strings["references"], paragraphs,
                        self.strings["references_notes"], box=box, size=REFERENCE_SIZE,
                        floor=REFERENCE_FLOOR, limit=len(paragraphs) or 1)


def _balanced(chunks: list[list[Paragraph]], box: Box, size: float) -> list[list[Paragraph]]:
    """The same number of slides, filled evenly, when the even split still fits."""
    paragraphs = [p for chunk in chunks for p in chunk]
    count = len(chunks)
    per_slide = -(-len(paragraphs) // count)
    even = [paragraphs[i:i + per_slide] for i in range(0, len(paragraphs), per_slide)]
    if len(even) == count and all(
            len(c) <= MAX_BULLETS and fits([p.text for p in c], box, size, SPACE_BEFORE)
            for c in even):
        return even
    return chunks


def deck_strings(view: View, templates: Path) -> dict[str, str]:
    """The words the deck adds, from strings.yaml, in the view's language."""
    english = yaml.safe_load((templates / "slides" / "strings.yaml").read_text("utf-8"))
    return {key: view.gettext(str(value)) for key, value in english.items()}


def deck_reference_order(view: View) -> list[str]:
    """The clinician brief's numbering, so a reference has the same number in both."""
    from ..select import first_citation_order, select

    if "clinician" in view.topic.audiences:
        brief = reference_order(select(view.document, "clinician", view.language))
    else:
        brief = []
    return first_citation_order(view.units(), extra=reference_order(view), seed=brief)


def reference_runs(reference) -> list[Run]:
    """The AMA HTML (italic journal, DOI link) as slide runs."""
    runs = []
    for italic, chunk in _split_tag(str(reference.html), "i"):
        text = html.unescape(re.sub(r"<[^>]+>", "", chunk))
        if reference.doi and f"doi:{reference.doi}" in text:
            before, after = text.split(f"doi:{reference.doi}", 1)
            runs += [Run(before, italic=italic),
                     Run(f"doi:{reference.doi}", link=f"https://doi.org/{reference.doi}"),
                     Run(after, italic=italic)]
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


def format_day(day: dt.date, language: str) -> str:
    from babel.dates import format_date
    return format_date(day, format="long", locale=language.replace("-", "_"))


# -- writing ----------------------------------------------------------------

def write_slides(presentation, layouts: dict, slides: list[PlannedSlide], language: str,
                 notices: list[str]) -> None:
    for planned in slides:
        layout = layouts["title"] if planned.kind in ("title", "closing") else \
            layouts["two_content"] if planned.second or planned.image else layouts["content"]
        slide = presentation.slides.add_slide(layout)
        slide.shapes.title.text_frame.text = planned.title
        _language(slide.shapes.title.text_frame, language)
        placeholders = {p.placeholder_format.idx: p for p in slide.placeholders}
        if planned.kind in ("title", "closing"):
            _fill_plain(placeholders[1].text_frame, planned.subtitle, language)
        elif planned.table:
            _add_table(slide, placeholders[1], planned.table, language)
        else:
            _fill(placeholders[1].text_frame, planned.body, planned.size, language)
            if planned.second:
                _fill(placeholders[2].text_frame, planned.second, planned.size, language)
            elif planned.image:
                _add_picture(slide, placeholders[2], *planned.image)
        if planned.notes:
            slide.notes_slide.notes_text_frame.text = planned.notes
        if notices:
            _add_notice(slide, presentation, " · ".join(notices), language)


def _add_notice(slide, presentation, text: str, language: str) -> None:
    """DRAFT and not-yet-reviewed marks, in red along the bottom of every slide."""
    from pptx.dml.color import RGBColor
    from pptx.util import Inches, Pt

    box = slide.shapes.add_textbox(Inches(0.3), presentation.slide_height - Inches(0.55),
                                   presentation.slide_width - Inches(0.6), Inches(0.4))
    box.name = "Translation notice"
    paragraph = box.text_frame.paragraphs[0]
    run = paragraph.add_run()
    run.text = text
    run.font.size, run.font.bold = Pt(14), True
    run.font.color.rgb = RGBColor(0xB3, 0x14, 0x1C)
    _language(box.text_frame, language)


def _fill(frame, paragraphs: list[Paragraph], size: float, language: str) -> None:
    from pptx.util import Pt

    frame.word_wrap = True
    _no_autofit(frame)
    for i, paragraph in enumerate(paragraphs):
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        if i:
            p.space_before = Pt(SPACE_BEFORE)
        if not paragraph.bullet:
            p_pr = p._p.get_or_add_pPr()
            p_pr.set("marL", "0")
            p_pr.set("indent", "0")
            p_pr.insert(0, p_pr.makeelement(
                "{http://schemas.openxmlformats.org/drawingml/2006/main}buNone", {}))
        for run in paragraph.runs:
            r = p.add_run()
            r.text = run.text
            r.font.size = Pt(size)
            r.font.bold = run.bold or None
            r.font.italic = run.italic or None
            if run.link:
                r.hyperlink.address = run.link
    _language(frame, language)


def _fill_plain(frame, text: str, language: str) -> None:
    frame.text = text
    _language(frame, language)


def _no_autofit(frame) -> None:
    from pptx.enum.text import MSO_AUTO_SIZE
    frame.auto_size = MSO_AUTO_SIZE.NONE


def _language(frame, language: str) -> None:
    """Tag every run with the language, so viewers pick the right fonts and spelling."""
    for paragraph in frame.paragraphs:
        for run in paragraph.runs:
            run._r.get_or_add_rPr().set("lang", language)


def _add_table(slide, placeholder, rows: list[list[str]], language: str) -> None:
    from pptx.util import Emu, Inches, Pt

    left, top, width = placeholder.left, placeholder.top, placeholder.width
    placeholder._element.getparent().remove(placeholder._element)
    height = Emu(int(table_height(rows) * EMU_PER_POINT))
    shape = slide.shapes.add_table(len(rows), len(rows[0]), left, top, width, height)
    table = shape.table
    scale = width / Inches(sum(COLUMN_WIDTHS))
    for column, inches in zip(table.columns, COLUMN_WIDTHS):
        column.width = Emu(int(Inches(inches) * scale))
    for r, row in enumerate(rows):
        table.rows[r].height = Emu(int(table_height([row]) * EMU_PER_POINT))
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            cell.margin_left = cell.margin_right = Inches(CELL_MARGIN)
            cell.margin_top = cell.margin_bottom = Inches(0.05)
            cell.text = text
            for paragraph in cell.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(TABLE_SIZE)
                    run.font.bold = True if r == 0 or c == 0 else None
            _language(cell.text_frame, language)


def _add_picture(slide, placeholder, path: Path, alt: str) -> None:
    left, top, width, height = (placeholder.left, placeholder.top, placeholder.width,
                                placeholder.height)
    placeholder._element.getparent().remove(placeholder._element)
    picture = slide.shapes.add_picture(str(path), left, top)
    ratio = min(width / picture.width, height / picture.height)
    picture.width, picture.height = int(picture.width * ratio), int(picture.height * ratio)
    picture._element.nvPicPr.cNvPr.set("descr", alt)


def set_core_properties(presentation, view: View) -> None:
    """Fixed metadata from the topic (the template's own would leak otherwise)."""
    props = presentation.core_properties
    reviewed = source_date(view.topic.review_date)
    props.author = props.last_modified_by = view.topic.owner
    props.title = view.settings.title.text
    props.subject = view.settings.subtitle.text if view.settings.subtitle else ""
    props.keywords = props.comments = props.category = ""
    props.language = view.language
    props.revision = 1
    props.created = props.modified = reviewed
    props.last_printed = reviewed


def fixed_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed entry dates: same inputs, same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
