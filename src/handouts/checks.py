"""Read a rendered output back and verify what a reader will get.

The renderer could drop text (a template bug, an overflowing box, a font
without the glyphs); the only proof that a safety statement is printed is
finding it in the text extracted from the file itself.
"""

from __future__ import annotations

import difflib
import io
import re
import unicodedata
from dataclasses import dataclass

from . import pdfread
from .markdown import plain_text, walk_inline
from .model import Unit, is_right_to_left
from .pdfread import PdfFacts
from .select import View

PAPER_POINTS = {"letter": (612.0, 792.0), "a4": (595.28, 841.89)}


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str = ""
    fatal: bool = True  # a failed non-fatal check is reported, and the output still written


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


def read_pdf(data: bytes, language: str = "en") -> PdfFacts:
    """Read a rendered PDF back (right-to-left text through pypdf, in logical order)."""
    return pdfread.read(data, logical_text=is_right_to_left(language))


def glyphless(facts: PdfFacts, language: str) -> list[str]:
    """Characters whose font (as the PDF names it) has no glyph for them.

    Skipped for right-to-left scripts: their marks map to no character in
    WeasyPrint's ToUnicode table, so extraction invents some; there the
    render-time check for .notdef glyphs stands alone.
    """
    if is_right_to_left(language):
        return []
    from .fonts import glyph_sets

    fonts, missing = glyph_sets(language), set()
    for font, text in facts.text_by_font:
        codes = fonts.get(font_key(font))
        if codes is None:
            continue  # a stranger: font_result reports it
        missing |= {f"{ch!r} in {font}" for ch in text if ord(ch) not in codes
                    and not ch.isspace() and not unicodedata.category(ch).startswith("C")}
    return sorted(missing)


def font_key(name: str) -> str:
    """'Noto-Sans-CJK-SC-Bold' and 'Noto Sans CJK SC Bold' -> 'notosanscjkscbold'."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


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
    if not needle or needle in haystack:
        return True
    size, step = int(len(needle) * 1.25) + 4, max(len(needle) // 4, 1)
    for start in range(0, max(len(haystack) - len(needle) // 2, 1), step):
        window = haystack[start:start + size]
        matched = sum(b.size for b in difflib.SequenceMatcher(
            None, needle, window, autojunk=False).get_matching_blocks())
        if matched >= threshold * len(needle):
            return True
    return False


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
        where = f"{statement.location}: " if statement else ""
        results.append(CheckResult(f"safety:{safety_id}", found, "" if found else
                                   f"{where}the statement's text is not in the output"))
    return results


def check_pdf(facts: PdfFacts, view: View, paper: str | None,
              source: View | None = None) -> list[CheckResult]:
    """Safety statements in full, citations and DOIs, language, paper, fonts and glyphs."""
    results = safety_results(facts.text, view, is_right_to_left(view.language))
    results += citation_results(facts, view)
    if source is not None:
        results.append(language_result(facts.text, view, source))
    if paper:
        width, height = PAPER_POINTS[paper]
        actual = facts.page_size
        ok = abs(actual[0] - width) < 1 and abs(actual[1] - height) < 1
        results.append(CheckResult("paper", ok, "" if ok else
                                   f"page is {actual[0]:.0f}x{actual[1]:.0f} pt, not {paper}"))
    results.append(CheckResult("fonts-embedded", not facts.unembedded_fonts,
                               ", ".join(facts.unembedded_fonts)))
    results.append(font_result(facts.fonts, view.language))
    missing = glyphless(facts, view.language)
    results.append(CheckResult("glyphs", not missing, "no glyph for " + ", ".join(missing[:10])))
    return results


def citation_results(facts: PdfFacts, view: View) -> list[CheckResult]:
    """In-text numbers link to listed references, every listed one is cited, DOIs match."""
    listed = {d for d in facts.destinations if re.fullmatch(r"ref-\d+", d)}
    cited = {d for d in facts.internal_links if d.startswith("ref-")}
    dangling, uncited = sorted(cited - listed), sorted(listed - cited)
    known = {ref.doi for ref in view.document.references.values() if ref.doi}
    linked = {uri.removeprefix("https://doi.org/") for uri in facts.uris
              if uri.startswith("https://doi.org/")}
    unknown = sorted(linked - known)
    return [
        CheckResult("citations", not dangling and not uncited,
                    "; ".join(filter(None, [
                        dangling and f"citations to missing references {dangling}",
                        uncited and f"references never cited {uncited}"]))),
        CheckResult("dois", len(linked) == len(listed) and not unknown,
                    f"DOI links {sorted(linked)} do not match the {len(listed)} references"
                    + (f"; unknown: {unknown}" if unknown else "")),
    ]


def language_result(text: str, view: View, source: View) -> CheckResult:
    """A translated output shows no sentence left in the source language (unless DRAFT)."""
    if view.translation is None or view.draft:
        return CheckResult("language", True)
    flat = squeeze(text)
    left = [unit.id for unit in source.units() if len(plain_text(unit.text).split()) >= 4
            and squeeze(plain_text(unit.text)) in flat]
    return CheckResult("language", not left,
                       f"still in {source.language}: {', '.join(left[:5])}")


def font_result(fonts: tuple[str, ...], language: str) -> CheckResult:
    """Only the bundled families for this language drew text (no silent system fallback)."""
    from .fonts import families_for

    allowed = [font_key(family) for family in families_for(language)]
    strangers = [f for f in fonts if not any(font_key(f).startswith(a) for a in allowed)]
    return CheckResult("fonts-bundled", not strangers, "unexpected fonts: " + ", ".join(strangers))


@dataclass(frozen=True)
class DeckFacts:
    text: str
    slides: int
    layouts: tuple[str, ...]
    slides_without_notes: tuple[int, ...]  # 1-based numbers of content slides lacking notes
    overflows: tuple[str, ...]  # "slide 4: body needs 380 pt of 340 pt"
    crowded: tuple[int, ...]  # slides with more than six bullets in a box
    reference_numbers: tuple[str, ...]  # "1", "2"... as listed on the references slides
    table_numbers: tuple[int, ...]  # reference numbers in the evidence table's first column
    uris: tuple[str, ...]  # hyperlinks on the slides


def read_pptx(data: bytes) -> DeckFacts:
    """Read a deck back: its text (tables included), notes, and whether each box fits."""
    from pptx import Presentation

    deck = Presentation(io.BytesIO(data))
    texts, missing_notes, overflows, crowded, layouts = [], [], [], [], []
    listed, table_numbers, uris = [], [], []
    title_layout = deck.slides[0].slide_layout if len(deck.slides) else None
    for number, slide in enumerate(deck.slides, start=1):
        layouts.append(slide.slide_layout.name)
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
                overflows += _overflow(number, shape)
                if _bullets(shape) > 6:
                    crowded.append(number)
                uris += [run.hyperlink.address for p in shape.text_frame.paragraphs
                         for run in p.runs if run.hyperlink.address]
                if any(run.hyperlink.address for p in shape.text_frame.paragraphs
                       for run in p.runs):
                    listed += re.findall(r"^(\d+)\. ", shape.text_frame.text, re.MULTILINE)
            if shape.has_table:
                texts += [cell.text for row in shape.table.rows for cell in row.cells]
                table_numbers += [int(row.cells[0].text) for row in list(shape.table.rows)[1:]
                                  if row.cells[0].text.isdigit()]
        notes = slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip()
        if slide.slide_layout != title_layout and not notes:  # title and closing need none
            missing_notes.append(number)
    return DeckFacts("\n".join(texts), len(deck.slides), tuple(layouts), tuple(missing_notes),
                     tuple(overflows), tuple(crowded), tuple(listed), tuple(table_numbers),
                     tuple(uris))


def _bullets(shape) -> int:
    return sum(1 for p in shape.text_frame.paragraphs
               if p.text.strip() and p._p.find(".//{*}buNone") is None)


def _overflow(number: int, shape) -> list[str]:
    from .slidefit import BULLET_INDENT_EMU, Box, text_height

    frame = shape.text_frame
    paragraphs = [p for p in frame.paragraphs if p.text.strip()]
    if not paragraphs or shape.width is None:
        return []
    sizes = [r.font.size.pt for p in paragraphs for r in p.runs if r.font.size is not None]
    size = max(sizes) if sizes else 18.0
    bulleted = any(p._p.find(".//{*}buNone") is None for p in paragraphs)
    box = Box.from_emu(shape.width, shape.height, BULLET_INDENT_EMU if bulleted else 0)
    spacing = max((p.space_before.pt for p in paragraphs[1:] if p.space_before), default=0)
    needed = text_height([p.text for p in paragraphs], box.width, size, spacing)
    if needed <= box.height:
        return []
    return [f"slide {number}: '{shape.name}' needs {needed:.0f} pt of {box.height:.0f} pt"]


def verify(data: bytes, spec, view: View, source: View | None) -> tuple[int, list[CheckResult]]:
    """Read an output back and run every check on it: (pages or slides, results)."""
    if spec.relpath.endswith(".pptx"):
        deck = read_pptx(data)
        return deck.slides, check_pptx(deck, view, source)
    facts = read_pdf(data, view.language)
    return facts.pages, check_pdf(facts, view, spec.paper, source)


def deck_citation_results(facts: DeckFacts, view: View) -> list[CheckResult]:
    """[n] markers point at listed references; DOI links belong to the bibliography."""
    listed = {int(n) for n in facts.reference_numbers}
    cited = {int(n) for group in re.findall(r"\[(\d+(?:, \d+)*)\]", facts.text)
             for n in group.split(", ")} | set(facts.table_numbers)
    known = {ref.doi for ref in view.document.references.values() if ref.doi}
    linked = {uri.removeprefix("https://doi.org/") for uri in facts.uris}
    return [
        CheckResult("citations", cited <= listed and bool(listed) == bool(cited),
                    f"markers {sorted(cited - listed)} have no reference"),
        CheckResult("dois", linked <= known and len(linked) == len(listed),
                    f"DOI links {sorted(linked)} do not match the {len(listed)} references"),
    ]


def check_pptx(facts: DeckFacts, view: View, source: View | None = None) -> list[CheckResult]:
    """Safety statements present, notes on content slides, no box overflows or crowding."""
    language = [language_result(facts.text, view, source)] if source is not None else []
    return safety_results(facts.text, view) + deck_citation_results(facts, view) + language + [
        CheckResult("notes", not facts.slides_without_notes,
                    f"content slides without speaker notes: {facts.slides_without_notes}",
                    fatal=False),  # validation already warned about the sections lacking them
        CheckResult("text-fits", not facts.overflows, "; ".join(facts.overflows)),
        CheckResult("bullets", not facts.crowded,
                    f"slides with more than six bullets in one box: {facts.crowded}"),
    ]
