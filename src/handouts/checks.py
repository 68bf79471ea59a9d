"""Read a rendered output back and verify what a reader will get.

The renderer could drop text (a template bug, an overflowing box, a font
without the glyphs); the only proof that a safety statement is printed is
finding it in the text extracted from the file itself.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass

from .markdown import walk_inline
from .model import Unit
from .select import View

PAPER_POINTS = {"letter": (612.0, 792.0), "a4": (595.28, 841.89)}


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str = ""


def squeeze(text: str) -> str:
    """Text compared without whitespace or line-end hyphenation, in NFKC form."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)
    return re.sub(r"\s+", "", text)


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


@dataclass(frozen=True)
class PdfFacts:
    text: str
    pages: int
    page_size: tuple[float, float]
    unembedded_fonts: tuple[str, ...]


def read_pdf(data: bytes) -> PdfFacts:
    """Text through PDFium (30x faster than pypdf's extractor), structure through pypdf."""
    import pypdfium2
    from pypdf import PdfReader

    document = pypdfium2.PdfDocument(data)
    try:
        text = "\n".join(page.get_textpage().get_text_bounded() for page in document)
    finally:
        document.close()
    reader = PdfReader(io.BytesIO(data))
    box = reader.pages[0].mediabox
    return PdfFacts(text, len(reader.pages), (float(box.width), float(box.height)),
                    tuple(sorted(_unembedded_fonts(reader))))


def _unembedded_fonts(reader) -> set[str]:
    missing = set()
    for page in reader.pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for font in fonts.values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                missing.add(str(font.get("/BaseFont", "?")))
    return missing


def check_pdf(facts: PdfFacts, view: View, paper: str | None) -> list[CheckResult]:
    """Every required safety statement in full, the right paper, fonts embedded."""
    results = []
    text = squeeze(facts.text)
    statements = {s.id: s for s in view.safety_statements()}
    for safety_id in view.settings.required_safety:
        statement = statements.get(safety_id)
        found = statement is not None and all(
            contains_in_order(text, unit_segments(u)) for u in statement.units)
        results.append(CheckResult(f"safety:{safety_id}", found,
                                   "" if found else "the statement's text is not in the output"))
    if paper:
        width, height = PAPER_POINTS[paper]
        actual = facts.page_size
        ok = abs(actual[0] - width) < 1 and abs(actual[1] - height) < 1
        results.append(CheckResult("paper", ok, "" if ok else
                                   f"page is {actual[0]:.0f}x{actual[1]:.0f} pt, not {paper}"))
    results.append(CheckResult("fonts-embedded", not facts.unembedded_fonts,
                               ", ".join(facts.unembedded_fonts)))
    return results
