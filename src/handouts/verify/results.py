"""The read-back's common ground: check results, and finding a unit's text in extracted text.

The renderer could drop text (a template bug, an overflowing box, a font
without the glyphs); the only proof that a safety statement is printed is
finding it in the text extracted from the file itself. Each format's reader
(pdf.py, deck.py) extracts the text; the comparisons here are the same for all.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from ..model import Unit, View
from ..model.inline import plain_text, walk_inline


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str = ""
    fatal: bool = True  # a failed non-fatal check is reported, and the output still written


@dataclass(frozen=True)
class Verified:
    """What reading one output back found: its length (pages or slides) and every check."""

    count: int
    checks: list[CheckResult]

    @property
    def failed(self) -> list[CheckResult]:
        return [c for c in self.checks if not c.ok and c.fatal]


HYPHENS = re.compile("[\u002d\u00ad\u2010\u2011\u0002]")  # hyphen-minus, soft, hyphen, no-break;
# U+0002: what PDFium reports for a hyphen at a line end


def squeeze(text: str) -> str:
    """Text as compared: NFKC (ligatures split), without whitespace or hyphens.

    A line may break at a word's own hyphen ("low-" / "speed") or at one the
    renderer adds; extractors give either as a hyphen and a line break, so
    hyphens cannot be told apart and are left out of the comparison on both
    sides. Letters, digits and punctuation all still count.
    """
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", HYPHENS.sub("", text))


def unit_segments(unit: Unit) -> list[str]:
    """The unit's text split where citations sit (the output prints numbers there)."""
    marker = "\x00"
    flat = walk_inline(unit.text, lambda s: s, lambda keys: marker, lambda token: "")
    return [squeeze(part) for part in flat.split(marker) if squeeze(part)]


def contains_in_order(haystack: str, segments: list[str]) -> bool:
    position = 0
    for segment in segments:
        position = haystack.find(segment, position)
        if position < 0:
            return False
        position += len(segment)
    return True


ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
                          "\u0621\u0623\u0625\u0622\u0671\u0624\u0626]")


def skeleton(text: str) -> str:
    """Arabic without vowel marks and hamza letters, which PDF text extraction garbles.

    WeasyPrint maps each glyph to one Unicode string, but Arabic fonts draw
    hamza and vowel marks with glyphs shared between letters, so these come
    back wrong from any extractor; the letters around them come back right.
    """
    return ARABIC_MARKS.sub("", squeeze(text)).replace("\u0649", "\u064a")


def nearly_contains(haystack: str, needle: str, threshold: float = 0.9) -> bool:
    """True when some stretch of `haystack` matches at least `threshold` of `needle`."""
    return not needle or needle in haystack or nearly_find(haystack, needle, 0, threshold)[0] >= 0


def nearly_find(haystack: str, needle: str, start: int = 0,
                threshold: float = 0.9) -> tuple[int, int]:
    """(start, end) of the first stretch of `haystack` from `start` that matches at least
    `threshold` of `needle`, else (-1, -1)."""
    size, step = int(len(needle) * 1.25) + 4, max(len(needle) // 4, 1)
    for begin in range(start, max(len(haystack) - len(needle) // 2, start + 1), step):
        window = haystack[begin:begin + size]
        blocks = [b for b in difflib.SequenceMatcher(None, needle, window,
                                                     autojunk=False).get_matching_blocks()
                  if b.size]
        if blocks and sum(b.size for b in blocks) >= threshold * len(needle):
            return begin + blocks[0].b, begin + blocks[-1].b + blocks[-1].size
    return -1, -1


def safety_results(text: str, view: View, right_to_left: bool = False) -> list[CheckResult]:
    """Each safety statement the audience requires, found in full in the output's text.

    Right-to-left text is compared as letter skeletons, at least 90% alike,
    because of the extraction limits described in `skeleton`.
    """
    results = []
    text = skeleton(text) if right_to_left else squeeze(text)
    statements = {s.id: s for s in view.safety_statements()}
    for safety_id in view.settings.required_safety:
        statement = statements.get(safety_id)
        if statement is None:
            found = False
        elif right_to_left:
            found = all(nearly_contains(text, skeleton("".join(unit_segments(u))))
                        for u in statement.units)
        else:
            found = all(contains_in_order(text, unit_segments(u)) for u in statement.units)
        # In a translation, the statement's first unit is located at its catalog entry.
        located = statement and (statement.units[0].location if view.translation and
                                 statement.units else statement.location)
        where = f"{located}: " if statement else ""
        results.append(CheckResult(f"safety:{safety_id}", found, "" if found else
                                   f"{where}the statement's text is not in the output"))
    return results


def language_result(text: str, view: View, source: View) -> CheckResult:
    """A translated output shows no sentence left in the source language (unless DRAFT)."""
    if view.translation is None or view.draft:
        return CheckResult("language", True)
    flat = squeeze(text)
    left = [unit.id for unit in source.units() if len(plain_text(unit.text).split()) >= 4
            and squeeze(plain_text(unit.text)) in flat]
    return CheckResult("language", not left,
                       f"still in {source.language}: {', '.join(left[:5])}")


