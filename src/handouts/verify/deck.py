"""Reading a deck back: its text (tables included), notes, citations, and whether text fits.

Fit is measured here with FreeType (Pillow) from the saved file, apart from
the planner's own arithmetic, so that a fitting bug in the builder cannot
pass its own check.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from ..model import View
from ..model.markers import (MAX_BULLETS, REFERENCE_LIST_SHAPE, SLIDE_CITATION,
                             SLIDE_REFERENCE_LINE)
from .pdf import reference_link_result
from .results import CheckResult, Verified, language_result, safety_results, unreadable


def verify_deck(data: bytes, view: View, source: View | None) -> Verified:
    """Read a saved deck back and run every check on it."""
    from lxml.etree import XMLSyntaxError
    from pptx.exc import PackageNotFoundError

    try:
        deck = read_pptx(data)
    except (zipfile.BadZipFile, PackageNotFoundError, XMLSyntaxError) as exc:
        return unreadable("python-pptx", exc)
    return Verified(deck.slides, check_pptx(deck, view, source))


@dataclass(frozen=True)
class DeckFacts:
    text: str
    slides: int
    layouts: tuple[str, ...]
    slides_without_notes: tuple[int, ...]  # 1-based numbers of content slides lacking notes
    overflows: tuple[str, ...]  # "slide 4: body needs 380 pt of 340 pt"
    crowded: tuple[int, ...]  # slides with more than MAX_BULLETS bullets in a box
    reference_numbers: tuple[str, ...]  # "1", "2"... as listed on the references slides
    table_numbers: tuple[int, ...]  # reference numbers in the evidence table's first column
    uris: tuple[str, ...]  # hyperlinks on the slides
    numbered_lines: tuple[tuple[int, str], ...] = ()  # every "3. ..." paragraph of a text box


def read_pptx(data: bytes) -> DeckFacts:
    """Read a deck back: its text (tables included), notes, and whether each box fits."""
    from pptx import Presentation

    from .deck_fit import deck_typography, heading_font

    deck = Presentation(io.BytesIO(data))
    family, master_indent = deck_typography(deck)
    fonts = (heading_font(deck), family)
    texts, missing_notes, overflows, crowded, layouts = [], [], [], [], []
    listed, table_numbers, uris, numbered = [], [], [], []
    title_layout = deck.slides[0].slide_layout if len(deck.slides) else None
    inherited: dict = {}  # (layout, placeholder idx) -> what its placeholders take from it
    for number, slide in enumerate(deck.slides, start=1):
        layouts.append(slide.slide_layout.name)
        for shape in slide.shapes:
            box = _box(shape, inherited)
            overflows += _off_slide(number, shape, box, deck)
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
                overflows += _overflow(number, shape, box, fonts, master_indent, inherited)
                if _bullets(shape) > MAX_BULLETS:
                    crowded.append(number)
                uris += [run.hyperlink.address for p in shape.text_frame.paragraphs
                         for run in p.runs if run.hyperlink.address]
                if shape.name == REFERENCE_LIST_SHAPE or any(
                        run.hyperlink.address for p in shape.text_frame.paragraphs
                        for run in p.runs):
                    listed += SLIDE_REFERENCE_LINE.findall(shape.text_frame.text)
                numbered += [(int(found.group(1)), p.text) for p in shape.text_frame.paragraphs
                             if (found := SLIDE_REFERENCE_LINE.match(p.text))]
            if shape.has_table:
                overflows += _table_overflow(number, shape, slide, deck, family)
                texts += [cell.text for row in shape.table.rows for cell in row.cells]
                table_numbers += [int(row.cells[0].text) for row in list(shape.table.rows)[1:]
                                  if row.cells[0].text.isdigit()]
        notes = slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip()
        if slide.slide_layout != title_layout and not notes:  # title and closing need none
            missing_notes.append(number)
    return DeckFacts("\n".join(texts), len(deck.slides), tuple(layouts), tuple(missing_notes),
                     tuple(overflows), tuple(crowded), tuple(listed), tuple(table_numbers),
                     tuple(uris), tuple(numbered))


def _bullets(shape) -> int:
    return sum(1 for p in shape.text_frame.paragraphs
               if p.text.strip() and p._p.find(".//{*}buNone") is None)


def _box(shape, inherited: dict) -> tuple:
    """(left, top, width, height) in EMU: the shape's own, and where a placeholder has none,
    its layout placeholder's, looked up once per layout placeholder (python-pptx looks
    through the layout's shapes again for each of the four)."""
    from pptx.shapes.base import BaseShape

    own = tuple(getattr(BaseShape, side).fget(shape)
                for side in ("left", "top", "width", "height"))
    if None not in own or not shape.is_placeholder:
        return own
    layout_box = _layout_placeholder(shape, inherited)[0]
    return tuple(mine if mine is not None else theirs for mine, theirs in zip(own, layout_box))


def _layout_placeholder(shape, inherited: dict) -> tuple[tuple, float]:
    """The box and the text size a slide placeholder takes from its layout (once each)."""
    from .deck_fit import inherited_size

    key = (shape.part.slide_layout.part.partname, shape.placeholder_format.idx)
    if key not in inherited:
        base = shape.part.slide_layout.placeholders.get(idx=shape.placeholder_format.idx)
        box = (base.left, base.top, base.width, base.height) if base is not None \
            else (None,) * 4
        inherited[key] = (box, inherited_size(shape))
    return inherited[key]


def _overflow(number: int, shape, box: tuple, fonts: tuple[str, str], master_indent: int,
              inherited: dict) -> list[str]:
    """The text taller than its box, measured in the theme's heading or body font."""
    from ..assets.slide_fonts import UnmeasurableFont
    from .deck_fit import DEFAULT_SIZE, shape_overflow

    title = shape.is_placeholder and shape.placeholder_format.idx == 0
    size = _layout_placeholder(shape, inherited)[1] if shape.is_placeholder else DEFAULT_SIZE
    try:
        found = shape_overflow(shape, fonts[0] if title else fonts[1], master_indent, size,
                               box[2:])
    except UnmeasurableFont as problem:
        return [f"slide {number}: {problem.message} ({problem.hint})"]
    if found is None:
        return []
    needed, available = found
    return [f"slide {number}: '{shape.name}' needs {needed:.0f} pt of {available:.0f} pt"]


def _off_slide(number: int, shape, box: tuple, deck) -> list[str]:
    """A shape that reaches outside the slide is cut off when it is shown."""
    left, top, width, height = box
    if None in (left, top, width, height):
        return []
    if left < 0 or top < 0 or left + width > deck.slide_width \
            or top + height > deck.slide_height:
        return [f"slide {number}: '{shape.name}' reaches outside the slide"]
    return []


def _table_overflow(number: int, shape, slide, deck, family: str) -> list[str]:
    """A table's words wider than their columns, or rows below its placeholder or the slide."""
    from ..assets.slide_fonts import UnmeasurableFont
    from .deck_fit import table_problems

    body = [p for p in slide.slide_layout.placeholders if p.placeholder_format.idx == 1]
    top, bottom = shape.top, deck.slide_height
    if body and body[0].top is not None and body[0].height is not None:
        top, bottom = body[0].top, min(bottom, body[0].top + body[0].height)
    try:
        problems = table_problems(shape, family, (top, bottom))
    except UnmeasurableFont as problem:
        return [f"slide {number}: {problem.message} ({problem.hint})"]
    return [f"slide {number}: '{shape.name}' {problem}" for problem in problems]


def deck_citation_results(facts: DeckFacts, view: View) -> list[CheckResult]:
    """[n] markers point at listed references; each reference's DOI or web address is a link.

    A reference counts as listed when a numbered line of a text box, "n. ...", holds
    reference n's title (whether or not any reference has a link), or its box is the
    reference list (named so, or holding links).
    """
    listed = {int(n) for n in facts.reference_numbers} | listed_by_title(facts, view)
    cited = {int(n) for group in SLIDE_CITATION.findall(facts.text)
             for n in group.split(", ")} | set(facts.table_numbers)
    return [
        CheckResult("citations", cited <= listed and bool(listed) == bool(cited),
                    f"markers {sorted(cited - listed)} have no reference"),
        reference_link_result(facts.uris, view),
    ]


def listed_by_title(facts: DeckFacts, view: View) -> set[int]:
    """Numbers of the numbered lines that print the title of the reference with that number."""
    titles = {n: _letters(str(ref.csl.get("title", ""))) for n, ref in
              enumerate(view.references, start=1)}
    return {n for n, text in facts.numbered_lines
            if titles.get(n) and titles[n] in _letters(text)}


def _letters(text: str) -> str:
    """Letters and digits only, case folded: a title as the style prints it (Title Case)."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).casefold())


def check_pptx(facts: DeckFacts, view: View, source: View | None = None) -> list[CheckResult]:
    """Safety statements present, notes on content slides, no box overflows or crowding."""
    language = [language_result(facts.text, view, source)] if source is not None else []
    return safety_results(facts.text, view) + deck_citation_results(facts, view) + language + [
        CheckResult("notes", not facts.slides_without_notes,
                    f"content slides without speaker notes: {facts.slides_without_notes}",
                    fatal=False),  # validation already warned about the sections lacking them
        CheckResult("text-fits", not facts.overflows, "; ".join(facts.overflows)),
        CheckResult("bullets", not facts.crowded,
                    f"slides with more than {MAX_BULLETS} bullets in one box: {facts.crowded}"),
    ]
