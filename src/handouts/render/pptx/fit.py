"""Will this text fit this box? Word-wrapping with the bundled font's real glyph widths.

PowerPoint lays text out only when a deck is opened, so a builder must know
beforehand whether a bullet list fits its placeholder. We wrap each paragraph
greedily using advance widths from the font file (bold widths, the wider of
the two, so the estimate errs on the side of splitting) and add up the lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

EMU_PER_POINT = 12700
BULLET_INDENT_EMU = 342900  # the default template's first-level hanging indent
LINE_SPACING = 1.2  # PowerPoint's single spacing for this family, in font sizes
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


@lru_cache(maxsize=4)
def _widths(style: str) -> tuple[dict[int, int], int]:
    from fontTools.ttLib import TTFont

    from ...assets.fonts import faces

    face = next(f for f in faces("Atkinson Hyperlegible")
                if f.style == "normal" and f.weight == (700 if style == "bold" else 400))
    with TTFont(face.path) as font:
        cmap, metrics = font.getBestCmap(), font["hmtx"].metrics
        widths = {code: metrics[glyph][0] for code, glyph in cmap.items()}
        return widths, font["head"].unitsPerEm


def text_width(text: str, size: float, bold: bool = True) -> float:
    """Width in points of `text` set at `size` points."""
    widths, units = _widths("bold" if bold else "regular")
    fallback = widths.get(ord("M"), units)
    return sum(widths.get(ord(ch), fallback) for ch in text) * size / units


def line_count(text: str, width: float, size: float) -> int:
    """Lines needed for one paragraph when wrapped at word boundaries."""
    limit = width * WIDTH_MARGIN
    lines, current = 1, 0.0
    space = text_width(" ", size)
    for word in text.split():
        word_width = text_width(word, size)
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
                space_before: float = 0.0) -> float:
    """Height in points of the paragraphs, each set at `size` with `space_before`."""
    lines = sum(line_count(p, width, size) for p in paragraphs)
    return lines * size * LINE_SPACING + space_before * max(len(paragraphs) - 1, 0)


def fits(paragraphs: list[str], box: Box, size: float, space_before: float = 0.0) -> bool:
    return text_height(paragraphs, box.width, size, space_before) <= box.height
