"""Will this text fit this box? Word-wrapping with the theme font's real glyph widths.

PowerPoint lays text out only when a deck is opened, so a builder must know
beforehand whether a bullet list fits its placeholder. We wrap each paragraph
greedily using advance widths from the file that has the presenter's font's
metrics (assets/slide_fonts.py: Calibri is measured with Carlito), bold
widths throughout (the wider of the two, so the estimate errs on the side of
splitting), and add up the lines at the font's own line height.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

EMU_PER_POINT = 12700
BULLET_INDENT_EMU = 342900  # the default template's first-level hanging indent
LINE_SPACING = 1.2  # PowerPoint's single spacing, in font sizes, at the least
DEFAULT_FAMILY = "Calibri"  # the default template's theme font
WIDTH_MARGIN = 0.95  # keep 5% slack for renderer differences


@dataclass(frozen=True)
class Box:
    """Usable text area in points, after insets and the bullet indent."""

    width: float
    height: float

    @classmethod
    def from_emu(cls, width: int, height: int, indent: int = 0,
                 insets: tuple[int, int, int, int] = (91440, 45720, 91440, 45720)) -> "Box":
        left, top, right, bottom = insets
        return cls((width - left - right - indent) / EMU_PER_POINT,
                   (height - top - bottom) / EMU_PER_POINT)


@lru_cache(maxsize=8)
def _metrics(family: str, bold: bool) -> tuple[dict[int, int], int, float]:
    """Advance widths by code point, units per em, and the line height in ems."""
    from fontTools.ttLib import TTFont

    from ...assets.slide_fonts import metric_file

    with TTFont(metric_file(family, bold)) as font:
        cmap, metrics = font.getBestCmap(), font["hmtx"].metrics
        widths = {code: metrics[glyph][0] for code, glyph in cmap.items()}
        units = font["head"].unitsPerEm
        os2 = font["OS/2"]
        return widths, units, max(LINE_SPACING, (os2.usWinAscent + os2.usWinDescent) / units)


def text_width(text: str, size: float, bold: bool = True, family: str = DEFAULT_FAMILY) -> float:
    """Width in points of `text` set at `size` points."""
    return _advance(text, bold, family) * size / _metrics(family, bold)[1]


@lru_cache(maxsize=65536)  # the planner measures the same words for every way to fill a slide
def _advance(text: str, bold: bool, family: str) -> int:
    """Width of `text` in font units."""
    widths, units, _ = _metrics(family, bold)
    fallback = widths.get(ord("M"), units)
    return sum(widths.get(ord(ch), fallback) for ch in text)


def line_height(size: float, family: str = DEFAULT_FAMILY) -> float:
    """Points from one baseline to the next at single spacing."""
    return _metrics(family, True)[2] * size


def longest_word(text: str, size: float, family: str = DEFAULT_FAMILY) -> float:
    """Width in points of the widest word: a narrower line would break a word apart."""
    return max((text_width(word, size, family=family) for word in text.split()), default=0.0)


@lru_cache(maxsize=16384)
def line_count(text: str, width: float, size: float, family: str = DEFAULT_FAMILY) -> int:
    """Lines needed for one paragraph when wrapped at word boundaries."""
    limit = width * WIDTH_MARGIN
    lines, current = 1, 0.0
    space = text_width(" ", size, family=family)
    for word in text.split():
        word_width = text_width(word, size, family=family)
        if current and current + space + word_width > limit:
            lines += 1
            current = 0.0
        if word_width > limit:  # a word longer than the line breaks across lines
            extra = int(word_width // limit)
            lines += extra
            current = word_width - extra * limit
        else:
            current += (space if current else 0) + word_width
    return lines


def text_height(paragraphs: list[str], width: float, size: float,
                space_before: float = 0.0, family: str = DEFAULT_FAMILY) -> float:
    """Height in points of the paragraphs, each set at `size` with `space_before`."""
    lines = sum(line_count(p, width, size, family) for p in paragraphs)
    return lines * line_height(size, family) + space_before * max(len(paragraphs) - 1, 0)


def fits(paragraphs: list[str], box: Box, size: float, space_before: float = 0.0,
         family: str = DEFAULT_FAMILY) -> bool:
    return text_height(paragraphs, box.width, size, space_before, family) <= box.height
