"""Reading a PDF back: safety statements, citations and DOIs, language, paper, fonts, glyphs."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from ..model import OutputSpec, View, is_right_to_left
from ..model.inline import inline_tokens
from ..model.markers import DOI_LINK, REFERENCE_ANCHOR, reference_link
from . import pdf_reader
from .pdf_reader import PdfFacts
from .poppler import right_to_left_lines
from .results import CheckResult, Verified, language_result, safety_results, unreadable
from .pages import page_break_results
from .visibility import visibility_results
from .organisation import phone_results

PAPER_POINTS = {"letter": (612.0, 792.0), "a4": (595.28, 841.89)}


def verify_pdf(data: bytes, spec: OutputSpec, view: View, source: View | None,
               thorough: bool = False) -> Verified:
    """Read a rendered PDF back and run every check on it (thorough: poppler reads it too)."""
    from pypdfium2 import PdfiumError

    try:
        facts = read_pdf(data, thorough)
    except PdfiumError as exc:
        return unreadable("PDFium", exc)
    return Verified(facts.pages, check_pdf(facts, view, spec.paper, source)
                    + visibility_results(list(facts.ink), view, spec.variant)
                    + page_break_results(list(facts.ink), view))


def read_pdf(data: bytes, poppler: bool = False) -> PdfFacts:
    """Read a rendered PDF back: its text with PDFium, and with poppler when asked."""
    return pdf_reader.read(data, poppler)


def extracted_texts(facts: PdfFacts, language: str) -> dict[str, str]:
    """The text as PDFium (and poppler, when it read it) read it, each line in reading order."""
    texts = facts.texts
    if is_right_to_left(language) and "poppler" in texts:
        texts["poppler"] = right_to_left_lines(texts["poppler"])
    return texts


def glyphless(facts: PdfFacts, language: str) -> list[str]:
    """Characters whose font (as the PDF names it) has no glyph for them."""
    from ..assets.fonts import glyph_sets

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


def check_pdf(facts: PdfFacts, view: View, paper: str | None,
              source: View | None = None) -> list[CheckResult]:
    """Safety statements in full, citations and DOIs, language, paper, fonts and glyphs."""
    results = safety_results(extracted_texts(facts, view.language), view)
    results += phone_results(facts.text, facts.pages, view)
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
    """In-text numbers link to listed references, every listed one is cited, links match.

    Every listed reference with a DOI or a web address has its link; a link that is
    neither a listed reference's nor one the text itself makes (a Markdown link)
    points at a reference that is not listed.
    """
    listed = {d for d in facts.destinations if REFERENCE_ANCHOR.fullmatch(d)}
    cited = {d for d in facts.internal_links if REFERENCE_ANCHOR.fullmatch(d)}
    dangling, uncited = sorted(cited - listed), sorted(listed - cited)
    return [
        CheckResult("citations", not dangling and not uncited,
                    "; ".join(filter(None, [
                        dangling and f"citations to missing references {dangling}",
                        uncited and f"references never cited {uncited}"]))),
        reference_link_result(facts.uris, view, content_links(view)),
    ]


def reference_link_result(uris: tuple[str, ...] | list[str], view: View,
                          allowed: set[str] | frozenset[str] = frozenset()) -> CheckResult:
    """Each listed reference's DOI or web address is a link, and no link is a stranger's.

    Links are compared as URIs: the PDF holds an address %-encoded where a URI may not
    hold the character (a space, a quotation mark, an accented letter).
    """
    linked = {as_uri(uri) for uri in uris}
    expected, problems = set(), []
    for ref in view.references:
        doi, url = ref.csl.get("DOI"), ref.csl.get("URL")
        link = reference_link(doi if isinstance(doi, str) else None,
                              url if isinstance(url, str) else None)
        if link is None:
            continue
        expected.add(as_uri(link))
        if as_uri(link) not in linked:
            what = "DOI" if link.startswith(DOI_LINK) else "web address"
            problems.append(f"reference '{ref.key}' ({ref.location}) has no link to its {what} "
                            f"{link}")
    known = expected | {as_uri(link) for link in allowed}
    strangers = sorted(uri for uri in linked - known)
    problems += [f"a link to {uri} that no listed reference has" for uri in strangers]
    return CheckResult("dois", not problems, "; ".join(problems))


def as_uri(address: str) -> str:
    """An address as a URI holds it (RFC 3986): characters a URI may not hold %-encoded."""
    return quote(address, safe="/:?#[]@!$&'()*+,;=~%")


def content_links(view: View) -> set[str]:
    """The addresses the output's own text links to (Markdown links, the topic's link)."""
    links = {view.topic.link.url} if view.topic.link else set()
    for unit in view.units():
        for token in inline_tokens(unit.text):
            if token.type == "link_open" and token.attrGet("href"):
                links.add(str(token.attrGet("href")))
    return links


def font_result(fonts: tuple[str, ...], language: str) -> CheckResult:
    """Only the bundled families for this language drew text (no silent system fallback)."""
    from ..assets.fonts import families_for

    allowed = [font_key(family) for family in families_for(language)]
    strangers = [f for f in fonts if not any(font_key(f).startswith(a) for a in allowed)]
    return CheckResult("fonts-bundled", not strangers, "unexpected fonts: " + ", ".join(strangers))


