"""Does the text of a saved deck fit its boxes? Measured from the file, apart from the planner.

The planner fits text with its own arithmetic (render/pptx/fit.py: fontTools
advance widths, bold throughout, a fixed 1.2 line height). This check reads
what the file says instead: each run's own size and weight, the box's
insets, the paragraph's indent (or the master's), the spacing before each
paragraph, and the line height from the font's own ascent and descent, and
measures words with FreeType (Pillow). A bug in the planner's arithmetic
therefore cannot pass its own check.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

EMU_PER_POINT = 12700
DEFAULT_INSETS = {"lIns": 91440, "rIns": 91440, "tIns": 45720, "bIns": 45720}  # ECMA-376
DEFAULT_SIZE = 18.0  # points, PowerPoint's body default when a run names no size
SCALE = 10  # measure at ten times the size for sub-point precision


@dataclass(frozen=True)
class Word:
    text: str
    bold: bool
    size: float


@lru_cache(maxsize=16)
def _font(family: str, bold: bool, size: float):
    from PIL import ImageFont

    from ..assets.fonts import FAMILY_PACKAGES, faces

    name = family if family in FAMILY_PACKAGES else next(iter(FAMILY_PACKAGES))
    weight = 700 if bold else 400
    face = next(f for f in faces(name) if f.style == "normal" and f.weight == weight)
    return ImageFont.truetype(str(face.path), size=round(size * SCALE))


def _width(word: Word, family: str) -> float:
    return _font(family, word.bold, word.size).getlength(word.text) / SCALE


def _line_height(size: float, family: str) -> float:
    ascent, descent = _font(family, False, size).getmetrics()
    return (ascent + descent) / SCALE


def paragraph_height(words: list[Word], width: float, family: str) -> float:
    """Points a paragraph needs when wrapped greedily at spaces within `width` points."""
    if not words:
        return 0.0
    lines, line_width, tallest, total = 1, 0.0, 0.0, 0.0
    for word in words:
        advance = _width(word, family)
        space = _width(Word(" ", word.bold, word.size), family) if line_width else 0.0
        if line_width and line_width + space + advance > width:
            total += tallest
            lines, line_width, tallest, space = lines + 1, 0.0, 0.0, 0.0
        line_width += space + advance
        while line_width > width:  # a word wider than the line breaks across lines
            total += _line_height(word.size, family)
            line_width -= width
        tallest = max(tallest, _line_height(word.size, family))
    return total + tallest


def _words(paragraph) -> list[Word]:
    words = []
    for run in paragraph.runs:
        size = run.font.size.pt if run.font.size is not None else DEFAULT_SIZE
        words += [Word(w, bool(run.font.bold), size) for w in run.text.split()]
    return words


def _inset(shape, name: str) -> int:
    body = shape.text_frame._txBody.find("{*}bodyPr")
    value = body.get(name) if body is not None else None
    return int(value) if value is not None else DEFAULT_INSETS[name]


def _indent(paragraph, master_indent: int) -> int:
    """The paragraph's left margin: its own marL, else the master's for bulleted body text."""
    properties = paragraph._p.pPr
    if properties is not None and properties.get("marL") is not None:
        return int(properties.get("marL"))
    bulleted = properties is None or properties.find("{*}buNone") is None
    return master_indent if bulleted else 0


def shape_overflow(shape, family: str, master_indent: int) -> tuple[float, float] | None:
    """(needed, available) points when the shape's text is taller than its box, else None."""
    paragraphs = [p for p in shape.text_frame.paragraphs if p.text.strip()]
    if not paragraphs or shape.width is None or shape.height is None:
        return None
    width = (shape.width - _inset(shape, "lIns") - _inset(shape, "rIns")) / EMU_PER_POINT
    height = (shape.height - _inset(shape, "tIns") - _inset(shape, "bIns")) / EMU_PER_POINT
    needed = 0.0
    for index, paragraph in enumerate(paragraphs):
        if index and paragraph.space_before is not None:
            needed += paragraph.space_before.pt
        indent = _indent(paragraph, master_indent) / EMU_PER_POINT
        needed += paragraph_height(_words(paragraph), width - indent, family)
    return (needed, height) if needed > height + 0.5 else None


def deck_typography(deck) -> tuple[str, int]:
    """The theme's body font family and the master's first-level indent (EMU)."""
    from lxml import etree

    master = deck.slide_master
    theme = next(rel.target_part for rel in master.part.rels.values()
                 if rel.reltype.endswith("/theme"))
    latin = etree.fromstring(theme.blob).find(".//{*}minorFont/{*}latin")
    level = master._element.find("{*}txStyles/{*}bodyStyle/{*}lvl1pPr")
    indent = int(level.get("marL", 0)) if level is not None else 0
    return (latin.get("typeface") if latin is not None else ""), indent
