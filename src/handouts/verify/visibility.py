"""Is the text a reader needs really visible on the printed page?

Finding a statement's characters in the PDF's text layer proves it was
written, not that a patient can read it: white text on a white box, type
too small, a glyph pushed off the page or painted over by a box all leave
the text layer intact. This reads what the page paints, in order (PDFium's
page objects), and for every character finds the fill colours painted
beneath it and above it:

- contrast: the character's colour against what lies behind it, blended as
  the PDF paints it, at least 4.5:1 (WCAG 2.2 AA for body text);
- size: a required safety statement's characters at no less than the
  audience's minimum (model/markers.py);
- inside: the character's box lies within the page;
- uncovered: no filled shape painted after the character lies over it;
- painted: the text render mode draws the glyph (not mode 3, invisible).

Only filled shapes count as backgrounds or covers; strokes are lines.
"""

from __future__ import annotations

import ctypes
import math
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from ..model import View
from ..model.markers import MINIMUM_SAFETY_POINTS
from .results import CheckResult, citation_labels, find_segment, squeeze_char, unit_segments

MINIMUM_CONTRAST = 4.5
WHITE = (1.0, 1.0, 1.0)
INVISIBLE_RENDER_MODE = 3
SHOWN = 5  # problems listed per check before "and N more"
GRID = 48.0  # points: fills are indexed by the cells of this grid their bounds reach


class Glyph(NamedTuple):
    """One character as the page draws it (a tuple: a page holds thousands)."""

    page: int
    char: str
    box: tuple[float, float, float, float]  # left, bottom, right, top in points
    size: float  # points
    colour: tuple[float, float, float, float]  # r, g, b, alpha in 0..1
    layer: int  # paint order of its text object on the page
    painted: bool  # the render mode draws it

    @property
    def centre(self) -> tuple[float, float]:
        left, bottom, right, top = self.box
        return (left + right) / 2, (bottom + top) / 2


@dataclass(frozen=True)
class Fill:
    """A filled shape, in paint order."""

    layer: int
    bounds: tuple[float, float, float, float]
    colour: tuple[float, float, float, float]
    subpaths: tuple[tuple[tuple[float, float], ...], ...]
    even_odd: bool

    def covers(self, x: float, y: float) -> bool:
        left, bottom, right, top = self.bounds
        if not (left <= x <= right and bottom <= y <= top):
            return False
        winding = 0
        for points in self.subpaths:
            winding += _winding(points, x, y)
        return winding % 2 == 1 if self.even_odd else winding != 0

    def over(self, area: tuple[float, float, float, float]) -> bool | None:
        """Does the fill cover every point of `area` (True), none (False), or some (None)?

        No edge touching the area means the area lies in one region of the
        outline, so one point tells for all of it: a box judged once, not once
        per character. Edges are tested by their bounding boxes (an edge near a
        corner sends the area back to be judged point by point).
        """
        left, bottom, right, top = self.bounds
        a_left, a_bottom, a_right, a_top = area
        if right < a_left or left > a_right or top < a_bottom or bottom > a_top:
            return False
        if not (left <= a_left and a_right <= right and bottom <= a_bottom and a_top <= top):
            return None
        for points in self.subpaths:
            for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1]):
                if (min(x1, x2) <= a_right and max(x1, x2) >= a_left
                        and min(y1, y2) <= a_top and max(y1, y2) >= a_bottom):
                    return None
        return self.covers(a_left, a_bottom)


@dataclass
class PageInk:
    """What one page paints: its characters and its filled shapes."""

    number: int
    size: tuple[float, float]
    glyphs: list[Glyph] = field(default_factory=list)
    fills: list[Fill] = field(default_factory=list)
    _grid: dict | None = field(default=None, repr=False, compare=False)

    def background(self, glyph: Glyph) -> tuple[float, float, float]:
        """The colour behind a glyph's centre: every fill below it, blended in paint order."""
        x, y = glyph.centre
        colour = WHITE
        for fill in self._near(x, y):
            if fill.layer > glyph.layer:
                break
            if fill.covers(x, y):
                colour = _over(fill.colour, colour)
        return colour

    def cover(self, glyph: Glyph) -> Fill | None:
        x, y = glyph.centre
        return next((f for f in self._near(x, y) if f.layer > glyph.layer and f.colour[3] > 0
                     and f.covers(x, y)), None)

    def shared_view(self, glyphs: list[Glyph]) -> tuple | None:
        """(colour behind, cover) shared by glyphs of one text object, when every fill
        near them covers all of them or none; None when some fill's edge runs among them."""
        centres = [g.centre for g in glyphs]
        area = (min(x for x, _ in centres), min(y for _, y in centres),
                max(x for x, _ in centres), max(y for _, y in centres))
        layer, colour, cover = glyphs[0].layer, WHITE, None
        for fill in self._near_area(area):
            over = fill.over(area)
            if over is None:
                return None
            if over and fill.layer <= layer:
                colour = _over(fill.colour, colour)
            elif over and fill.layer > layer and fill.colour[3] > 0 and cover is None:
                cover = fill
        return colour, cover

    def _near(self, x: float, y: float) -> list[Fill]:
        """The fills whose bounds reach the grid cell of (x, y), in paint order."""
        return self._cells().get((int(x // GRID), int(y // GRID)), [])

    def _near_area(self, area: tuple[float, float, float, float]) -> list[Fill]:
        """The fills whose bounds reach the grid cells of an area, in paint order."""
        left, bottom, right, top = area
        cells = self._cells()
        found = {id(fill): fill
                 for cx in range(int(left // GRID), int(right // GRID) + 1)
                 for cy in range(int(bottom // GRID), int(top // GRID) + 1)
                 for fill in cells.get((cx, cy), ())}
        return sorted(found.values(), key=lambda fill: fill.layer)

    def _cells(self) -> dict:
        if self._grid is None:
            self._grid = {}
            for fill in self.fills:
                left, bottom, right, top = fill.bounds
                for cx in range(int(left // GRID), int(right // GRID) + 1):
                    for cy in range(int(bottom // GRID), int(top // GRID) + 1):
                        self._grid.setdefault((cx, cy), []).append(fill)
        return self._grid


def read_ink(pages, textpages) -> list[PageInk]:
    """Every page's glyphs and fills, from the pypdfium2 pages of an open document and
    their text pages (a text page belongs to the page object it was loaded from)."""
    return [_page_ink(number, page, textpage)
            for number, (page, textpage) in enumerate(zip(pages, textpages))]


def visibility_results(pages: list[PageInk], view: View, variant: str) -> list[CheckResult]:
    """All text readable; each required safety statement located, large enough and readable."""
    problems = {key: problem for page in pages for key, problem in _page_problems(page).items()}
    everything = [g for page in pages for g in page.glyphs]
    results = [_result("text-visible", _runs(everything, problems))]
    minimum = MINIMUM_SAFETY_POINTS.get((view.audience, variant), 0)
    statements = {s.id: s for s in view.safety_statements()}
    stream = GlyphStream(everything)
    for safety_id in view.settings.required_safety:
        statement = statements.get(safety_id)
        found = stream.locate(statement.units, citation_labels(statement.units, view)) \
            if statement else None
        if found is None:
            results.append(CheckResult(f"visible:{safety_id}", False,
                                       "the statement could not be located on the page"))
            continue
        letters = [g for g in found if g.char.isalpha()]  # not superscript citation numbers
        small = [g for g in letters if g.size + 0.05 < minimum]
        details = _runs(found, problems)
        if small:
            details.insert(0, f"page {small[0].page}: set at {min(g.size for g in small):.1f} "
                              f"pt, below the {minimum:g} pt minimum for this output")
        results.append(_result(f"visible:{safety_id}", details))
    return results


def _runs(glyphs: list[Glyph], problems: dict[int, str]) -> list[str]:
    """Problems of consecutive glyphs told once, with the text they spell."""
    runs: list[tuple[int, str, list[str]]] = []
    for glyph in glyphs:
        problem = problems.get(id(glyph))
        if problem is None:
            continue
        if runs and runs[-1][:2] == (glyph.page, problem):
            runs[-1][2].append(glyph.char)
        else:
            runs.append((glyph.page, problem, [glyph.char]))
    return [f"page {page}: {_quoted(chars)} {problem}" for page, problem, chars in runs]


def _quoted(chars: list[str]) -> str:
    text = "".join(chars)
    return repr(text if len(text) <= 40 else text[:39] + "…")


@lru_cache(maxsize=4096)  # a page has few colour pairs and thousands of glyphs
def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """WCAG contrast ratio of two sRGB colours (components 0..1)."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


# -- reading a page -------------------------------------------------------------

def _page_ink(number: int, page, textpage) -> PageInk:
    import pypdfium2.raw as pdfium

    width, height = page.get_size()
    ink = PageInk(number + 1, (width, height))
    layers = {}
    for index in range(pdfium.FPDFPage_CountObjects(page.raw)):
        item = pdfium.FPDFPage_GetObject(page.raw, index)
        kind = pdfium.FPDFPageObj_GetType(item)
        if kind == pdfium.FPDF_PAGEOBJ_TEXT:
            layers[ctypes.cast(item, ctypes.c_void_p).value] = (index, item)
        elif kind == pdfium.FPDF_PAGEOBJ_PATH:
            fill = _fill(index, item)
            if fill:
                ink.fills.append(fill)
    ink.glyphs = _glyphs(ink.number, textpage, layers)
    return ink


def _glyphs(page: int, textpage, layers: dict) -> list[Glyph]:
    """The page's characters, skipping the spaces and line ends extractors generate.

    The loop runs once per character of every output, so it calls PDFium through
    prototypes that take and give plain addresses (`_per_character`), with its
    ctypes arguments set up once, outside it.
    """
    import pypdfium2.raw as pdfium

    get_unicode, get_object, get_box = _per_character()
    raw = ctypes.cast(textpage.raw, ctypes.c_void_p).value
    category = unicodedata.category
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    box = tuple(map(ctypes.addressof, (left, right, bottom, top)))
    styles: dict[int, tuple] = {}  # text object -> (layer, size, colour, painted)
    glyphs = []
    for index in range(pdfium.FPDFText_CountChars(textpage.raw)):
        char = chr(get_unicode(raw, index))
        if char.isspace() or category(char)[0] == "C":
            continue
        handle = get_object(raw, index)
        if not handle:
            continue
        style = styles.get(handle)
        if style is None:  # size, colour and mode belong to the text object
            layer, item = layers.get(handle, (-1, None))
            style = styles[handle] = _style(textpage, index, item or pdfium.FPDFText_GetTextObject(
                textpage.raw, index), layer)
        get_box(raw, index, *box)
        layer, size, colour, painted = style
        glyphs.append(Glyph(page, char, (left.value, bottom.value, right.value, top.value),
                            size, colour, layer, painted))
    return glyphs


@lru_cache(maxsize=1)
def _per_character():
    """FPDFText_GetUnicode, _GetTextObject and _GetCharBox taking and giving addresses as
    ints: pypdfium2's own prototypes build a pointer object at every call."""
    import pypdfium2.raw as pdfium

    def prototype(function, restype, *argtypes):
        address = ctypes.cast(function, ctypes.c_void_p).value
        return ctypes.CFUNCTYPE(restype, *argtypes)(address)

    pointer, number = ctypes.c_void_p, ctypes.c_int
    return (prototype(pdfium.FPDFText_GetUnicode, ctypes.c_uint, pointer, number),
            prototype(pdfium.FPDFText_GetTextObject, pointer, pointer, number),
            prototype(pdfium.FPDFText_GetCharBox, ctypes.c_int, pointer, number,
                      pointer, pointer, pointer, pointer))


def _style(textpage, index: int, item, layer: int) -> tuple:
    """(layer, size in points, fill colour, painted) of the text object drawing char `index`."""
    import pypdfium2.raw as pdfium

    matrix = pdfium.FS_MATRIX()
    pdfium.FPDFText_GetMatrix(textpage.raw, index, ctypes.byref(matrix))
    scale = math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))
    size = pdfium.FPDFText_GetFontSize(textpage.raw, index) * scale
    rgba = [ctypes.c_uint() for _ in range(4)]
    pdfium.FPDFText_GetFillColor(textpage.raw, index, *map(ctypes.byref, rgba))
    painted = pdfium.FPDFTextObj_GetTextRenderMode(item) != INVISIBLE_RENDER_MODE
    return layer, size, tuple(c.value / 255 for c in rgba), painted


def _fill(layer: int, item) -> Fill | None:
    import pypdfium2.raw as pdfium

    mode, stroke = ctypes.c_int(), ctypes.c_int()
    pdfium.FPDFPath_GetDrawMode(item, ctypes.byref(mode), ctypes.byref(stroke))
    if mode.value == pdfium.FPDF_FILLMODE_NONE:
        return None
    rgba = [ctypes.c_uint() for _ in range(4)]
    if not pdfium.FPDFPageObj_GetFillColor(item, *map(ctypes.byref, rgba)):
        return None  # a pattern or shading: not a flat colour this check can judge
    bounds = [ctypes.c_float() for _ in range(4)]
    pdfium.FPDFPageObj_GetBounds(item, *map(ctypes.byref, bounds))
    left, bottom, right, top = (b.value for b in bounds)
    return Fill(layer, (left, bottom, right, top), tuple(c.value / 255 for c in rgba),
                _subpaths(item), mode.value == pdfium.FPDF_FILLMODE_ALTERNATE)


def _subpaths(item) -> tuple[tuple[tuple[float, float], ...], ...]:
    """The path's outlines in page space (curves by their control points: close enough)."""
    import pypdfium2.raw as pdfium

    matrix = pdfium.FS_MATRIX()
    pdfium.FPDFPageObj_GetMatrix(item, ctypes.byref(matrix))
    subpaths, current = [], []
    x, y = ctypes.c_float(), ctypes.c_float()
    for index in range(pdfium.FPDFPath_CountSegments(item)):
        segment = pdfium.FPDFPath_GetPathSegment(item, index)
        pdfium.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y))
        point = (matrix.a * x.value + matrix.c * y.value + matrix.e,
                 matrix.b * x.value + matrix.d * y.value + matrix.f)
        if pdfium.FPDFPathSegment_GetType(segment) == pdfium.FPDF_SEGMENT_MOVETO and current:
            subpaths.append(tuple(current))
            current = []
        current.append(point)
    if current:
        subpaths.append(tuple(current))
    return tuple(subpaths)


def _winding(points: tuple[tuple[float, float], ...], x: float, y: float) -> int:
    """Winding number of a closed polygon around (x, y)."""
    winding = 0
    for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1]):
        if y1 <= y < y2 and (x2 - x1) * (y - y1) - (x - x1) * (y2 - y1) > 0:
            winding += 1
        elif y2 <= y < y1 and (x2 - x1) * (y - y1) - (x - x1) * (y2 - y1) < 0:
            winding -= 1
    return winding


# -- judging ----------------------------------------------------------------

def _page_problems(page: PageInk) -> dict[int, str]:
    """What keeps a reader from seeing each glyph of the page (by id), where something does.

    Glyphs of one text object share colour and paint order, and mostly sit on one
    background: they are judged together where PageInk.shared_view can tell.
    """
    objects: dict[tuple, list[Glyph]] = {}
    for glyph in page.glyphs:
        objects.setdefault((glyph.layer, glyph.colour, glyph.painted), []).append(glyph)
    problems = {}
    for glyphs in objects.values():
        shared = page.shared_view(glyphs) if glyphs[0].layer >= 0 else None
        for glyph in glyphs:
            problem = _glyph_problem(page, glyph, shared)
            if problem:
                problems[id(glyph)] = problem
    return problems


def _glyph_problem(page: PageInk, glyph: Glyph, shared: tuple | None = None) -> str | None:
    """What keeps a reader from seeing this glyph, in words; None when nothing does
    (`shared`: the colour behind and the cover its text object's glyphs all have)."""
    if not glyph.painted:
        return "is drawn invisibly (text render mode 3)"
    left, bottom, right, top = glyph.box
    width, height = page.size
    if left < -0.5 or bottom < -0.5 or right > width + 0.5 or top > height + 0.5:
        return "lies outside the page"
    behind, cover = shared if shared else (None, page.cover(glyph))
    if cover is not None:
        return f"is painted over by a {_hex(cover.colour)} shape"
    if behind is None:
        behind = page.background(glyph)
    return _low_contrast(glyph.colour, behind)


@lru_cache(maxsize=4096)  # a page has few pairs of text colour and background
def _low_contrast(colour: tuple[float, float, float, float],
                  behind: tuple[float, float, float]) -> str | None:
    """Text of `colour` painted over `behind`, when it is too faint to read."""
    ink = _over(colour, behind)
    ratio = contrast(ink, behind)
    if ratio < MINIMUM_CONTRAST:
        return (f"is {_hex(ink)} on {_hex(behind)}: contrast {ratio:.1f}:1, "
                f"below {MINIMUM_CONTRAST}:1")
    return None


def _result(name: str, details: list[str]) -> CheckResult:
    shown = "; ".join(details[:SHOWN])
    if len(details) > SHOWN:
        shown += f"; and {len(details) - SHOWN} more"
    return CheckResult(name, not details, shown)


class GlyphStream:
    """The page glyphs as one string to search, with the glyph behind each character.

    PDFium gives a page's characters in reading order, right-to-left lines
    included, so a statement is found by its exact text in every script.
    """

    def __init__(self, glyphs: list[Glyph]):
        squeezed = [squeeze_char(glyph.char) for glyph in glyphs]
        self.text = "".join(squeezed)
        # a glyph owns as many characters of the text as it squeezes to (mostly one)
        self.owners = [glyph for glyph, chars in zip(glyphs, squeezed) for _ in chars]

    def locate(self, units, labels: tuple[str, ...] = ()) -> list[Glyph] | None:
        """The glyphs that print these units, in order; None when they cannot be found
        (`labels`: their citation numbers, which may sit anywhere, see find_segment)."""
        found, position = [], 0
        for unit in units:
            for segment in unit_segments(unit):
                start, position = find_segment(self.text, segment, position, labels)
                if start < 0:
                    return None
                found += self.owners[start:position]
        return list(dict.fromkeys(found)) or None


def _over(top: tuple[float, float, float, float],
          below: tuple[float, float, float]) -> tuple[float, float, float]:
    alpha = top[3]
    return tuple(alpha * t + (1 - alpha) * b for t, b in zip(top[:3], below))


def _luminance(colour: tuple[float, float, float]) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in colour[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _hex(colour) -> str:
    return "#" + "".join(f"{round(c * 255):02x}" for c in colour[:3])
