"""Does the text of a saved deck fit its boxes? Measured from the file, apart from the planner.

The planner fits text with its own arithmetic (render/pptx/fit.py: fontTools
advance widths, bold throughout, a fixed 1.2 line height). This check reads
what the file says instead: each run's own size and weight, the box's
insets, the paragraph's indent (or the master's), the spacing before each
paragraph, and the line height from the font's own ascent, descent and line
gap, and measures words with FreeType (Pillow) in the file that has the
metrics of the theme font the presenter will see (Carlito for Calibri).
Tables are measured cell by cell: every word fits its column, and the rows,
as tall as their text, stay inside the placeholder the table stands in and
the slide. A bug in the planner's arithmetic therefore cannot pass its own
check.
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
    italic: bool = False


@lru_cache(maxsize=64)
def _font(family: str, bold: bool, italic: bool, size: float):
    from PIL import ImageFont

    from ..assets.slide_fonts import metric_file

    return ImageFont.truetype(str(metric_file(family, bold, italic)), size=round(size * SCALE))


def _width(word: Word, family: str) -> float:
    return _font(family, word.bold, word.italic, word.size).getlength(word.text) / SCALE


@lru_cache(maxsize=8)
def _line_ems(family: str) -> float:
    """Baseline to baseline at single spacing, in ems: ascent + descent + line gap."""
    from fontTools.ttLib import TTFont

    from ..assets.slide_fonts import metric_file

    with TTFont(metric_file(family)) as font:
        hhea = font["hhea"]
        return (hhea.ascent - hhea.descent + hhea.lineGap) / font["head"].unitsPerEm


def _line_height(size: float, family: str) -> float:
    return _line_ems(family) * size


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


def _words(paragraph, inherited: float = DEFAULT_SIZE) -> list[Word]:
    words = []
    for run in paragraph.runs:
        size = run.font.size.pt if run.font.size is not None else inherited
        words += [Word(w, bool(run.font.bold), size, bool(run.font.italic))
                  for w in run.text.split()]
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


def shape_overflow(shape, family: str, master_indent: int, inherited: float = DEFAULT_SIZE,
                   size: tuple | None = None) -> tuple[float, float] | None:
    """(needed, available) points when the shape's text is taller than its box, else None.

    `size`: the box's (width, height) in EMU when the caller has read them (each looks
    through the layout and the master)."""
    paragraphs = [p for p in shape.text_frame.paragraphs if p.text.strip()]
    box_width, box_height = size or (shape.width, shape.height)
    if not paragraphs or box_width is None or box_height is None:
        return None
    width = (box_width - _inset(shape, "lIns") - _inset(shape, "rIns")) / EMU_PER_POINT
    height = (box_height - _inset(shape, "tIns") - _inset(shape, "bIns")) / EMU_PER_POINT
    needed = 0.0
    for index, paragraph in enumerate(paragraphs):
        if index and paragraph.space_before is not None:
            needed += paragraph.space_before.pt
        indent = _indent(paragraph, master_indent) / EMU_PER_POINT
        needed += paragraph_height(_words(paragraph, inherited), width - indent, family)
    return (needed, height) if needed > height + 0.5 else None


def _cell_margin(cell, name: str, default: int) -> int:
    value = cell._tc.tcPr.get(name) if cell._tc.tcPr is not None else None
    return int(value) if value is not None else default


def table_problems(shape, family: str, room: tuple[int, int]) -> list[str]:
    """What does not fit in a table: words wider than their column, rows below `room`.

    `room` is (top, bottom) in EMU of the area the table may fill: the placeholder
    it stands in, within the slide. Each row is as tall as its declared height
    or its text, whichever is more, as PowerPoint and LibreOffice grow rows.
    """
    problems, bottom = [], shape.top
    columns = [column.width for column in shape.table.columns]
    for r, row in enumerate(shape.table.rows):
        tallest = 0.0
        for c, cell in enumerate(row.cells):
            left = _cell_margin(cell, "marL", 91440)
            right = _cell_margin(cell, "marR", 91440)
            width = (columns[c] - left - right) / EMU_PER_POINT
            words = [w for p in cell.text_frame.paragraphs for w in _words(p)]
            too_wide = [w.text for w in words if _width(w, family) > width]
            if too_wide:
                problems.append(f"row {r + 1} column {c + 1}: '{too_wide[0]}' is wider than "
                                f"its column ({width:.0f} pt) and breaks apart")
            text = sum(paragraph_height(_words(p), width, family)
                       for p in cell.text_frame.paragraphs if p.text.strip())
            margins = _cell_margin(cell, "marT", 45720) + _cell_margin(cell, "marB", 45720)
            tallest = max(tallest, text + margins / EMU_PER_POINT)
        bottom += max(row.height, round(tallest * EMU_PER_POINT))
    top, limit = room
    if bottom > limit + EMU_PER_POINT:
        problems.append(f"the table needs {(bottom - shape.top) / EMU_PER_POINT:.0f} pt of "
                        f"{(limit - max(top, shape.top)) / EMU_PER_POINT:.0f} pt")
    return problems


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


def heading_font(deck) -> str:
    """The theme's heading font family: what slide titles are set in."""
    from lxml import etree

    master = deck.slide_master
    theme = next(rel.target_part for rel in master.part.rels.values()
                 if rel.reltype.endswith("/theme"))
    latin = etree.fromstring(theme.blob).find(".//{*}majorFont/{*}latin")
    return latin.get("typeface") if latin is not None else ""


def inherited_size(shape) -> float:
    """The size a placeholder's runs without their own take: from its layout, else the master."""
    if not shape.is_placeholder:
        return DEFAULT_SIZE
    idx = shape.placeholder_format.idx
    layout = shape.part.slide_layout
    for placeholder in layout.placeholders:
        if placeholder.placeholder_format.idx == idx:
            found = placeholder._element.find(".//{*}lstStyle/{*}lvl1pPr/{*}defRPr")
            if found is not None and found.get("sz"):
                return int(found.get("sz")) / 100
    style = "titleStyle" if idx == 0 else "bodyStyle"
    level = layout.slide_master._element.find(f"{{*}}txStyles/{{*}}{style}/{{*}}lvl1pPr/"
                                              "{*}defRPr")
    return int(level.get("sz")) / 100 if level is not None and level.get("sz") else DEFAULT_SIZE
