"""The read-back checks, each run on hand-made facts: no PDF or deck is rendered here.

A check that passed on anything would make every output look safe, so each is
shown failing on the fault it exists for, and passing when the fault is gone.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.util import Inches, Pt

from conftest import BUNDLED
from handouts.errors import Location
from handouts.load.folder import load_document
from handouts.model import Block, SafetyStatement, Section, Unit, View
from handouts.model.markers import (MAX_BULLETS, doi_link, footnote_marker, reference_anchor,
                                    slide_citation)
from handouts.plan.selection import select
from handouts.verify.deck import DeckFacts, check_pptx, deck_citation_results
from handouts.verify.deck_fit import Word, paragraph_height, shape_overflow
from handouts.verify.pdf import check_pdf, citation_results, font_result, glyphless
from handouts.verify.pdf_reader import PdfFacts
from handouts.verify.results import (Verified, contains_in_order, language_result,
                                     safety_results, squeeze, unit_segments)

FAMILY = "Atkinson Hyperlegible"
WHERE = Location("topic/topic.md", 7)
PATIENT = frozenset({"patient"})

# One statement with a citation in the middle: the output prints a number there.
STATEMENTS = {
    "rails": "**Hold the rails** the whole time [@thomas2000] and walk slowly.",
    "stop": "Stop the treadmill if you feel unsteady.",
}
PRINTED = ("Hold the rails the whole time 3 and walk slowly. "  # 3: the citation's number
           "Stop the treadmill if you feel unsteady.")


@pytest.fixture(scope="module")
def document():
    return load_document(BUNDLED).document


def statement(safety_id: str, text: str) -> SafetyStatement:
    unit = Unit(f"safety.{safety_id}.p1", text, WHERE, PATIENT, safety_id)
    return SafetyStatement(safety_id, PATIENT, (Block("paragraph", (unit,), PATIENT, WHERE),),
                           WHERE)


@pytest.fixture(scope="module")
def view(document) -> View:
    """The patient view with one section holding STATEMENTS, and each of them required."""
    base = select(document, "patient")
    section = Section("safety", Unit("safety.title", "Safety", WHERE, PATIENT), PATIENT, (),
                      tuple(statement(i, text) for i, text in STATEMENTS.items()), (), WHERE)
    settings = replace(base.settings, required_safety={i: WHERE for i in STATEMENTS})
    return replace(base, sections=(section,), settings=settings)


def by_name(results) -> dict:
    return {result.name: result for result in results}


# -- text comparisons --------------------------------------------------------------

def test_squeeze_ignores_whitespace_hyphens_and_ligatures():
    assert squeeze("Hold  the\n rails") == "Holdtherails"
    assert squeeze("tread\u00admill") == "treadmill"
    assert squeeze("tread-\n  mill") == "treadmill"
    assert squeeze("\ufb01ve") == "five"  # NFKC: the fi ligature
    assert squeeze("Hold\u00a0the rails") == "Holdtherails"  # no-break space
    # A word's own hyphen and a line-end hyphen look alike once extracted ("low-" / "speed"):
    assert squeeze("low-speed") == squeeze("low-\nspeed") == squeeze("low\u2011speed") == \
        "lowspeed"
    assert squeeze("Faites-le.") == "Faitesle."
    assert squeeze("up-to\ufffedate") == "uptodate"  # PDFium's page text: a line-end hyphen
    assert squeeze("\u202bلا تمارسه\u202c") == "لاتمارسه"  # pdftotext's direction marks


def test_unit_segments_split_where_citations_sit():
    unit = Unit("u", STATEMENTS["rails"], WHERE)
    assert unit_segments(unit) == ["Holdtherailsthewholetime", "andwalkslowly."]


def test_contains_in_order():
    assert contains_in_order("abcdef", ["ab", "de"])
    assert contains_in_order("abcdef", [])
    assert not contains_in_order("abcdef", ["de", "ab"])  # out of order
    assert not contains_in_order("abcdef", ["ab", "bc"])  # overlapping is not in order
    assert not contains_in_order("abcdef", ["xy"])


# -- safety statements ---------------------------------------------------------------

def test_every_required_statement_found_across_a_citation_number(view):
    text = ("Safety\nHold the rails the whole time 3 and walk\nslowly.\n"
            "Stop the tread-\nmill if you feel unsteady.")
    results = safety_results(text, view)
    assert [(r.name, r.ok) for r in results] == [("safety:rails", True), ("safety:stop", True)]


def test_a_statement_missing_from_the_text_fails_with_its_source_line(view):
    results = by_name(safety_results("Hold the rails the whole time 3 and walk slowly.", view))
    assert results["safety:rails"].ok
    assert not results["safety:stop"].ok
    assert results["safety:stop"].detail == "topic/topic.md:7: the statement's text is not in " \
                                            "the output"


def test_half_a_statement_or_its_halves_swapped_is_not_found(view):
    stop = STATEMENTS["stop"]
    for text in ("Hold the rails the whole time 3", "and walk slowly. Hold the rails the whole "
                 "time"):
        assert not by_name(safety_results(f"{text} {stop}", view))["safety:rails"].ok


def test_a_required_statement_the_view_lacks_fails(view):
    settings = replace(view.settings, required_safety={**view.settings.required_safety,
                                                       "harness": WHERE})
    results = by_name(safety_results(PRINTED, replace(view, settings=settings)))
    assert not results["safety:harness"].ok
    assert results["safety:harness"].detail == "the statement's text is not in the output"


# -- language ------------------------------------------------------------------------

@dataclass(frozen=True)
class Catalog:
    language: str = "es"
    path: Path = Path("es.po")
    reviewer: str | None = "A Reviewer"

    def gettext(self, text: str) -> str:
        return text


def test_language_result_finds_source_sentences_left_untranslated(view):
    translated = replace(view, language="es", translation=Catalog())
    spanish = "Sujete las barandillas todo el tiempo 3 y camine despacio."
    assert language_result(spanish, translated, view).ok
    result = language_result(f"{spanish} Stop the treadmill if you feel unsteady.", translated,
                             view)
    assert not result.ok and result.detail == "still in en: safety.stop.p1"
    assert language_result(f"{spanish} Safety", translated, view).ok  # under four words


def test_language_result_passes_source_and_draft_outputs(view):
    assert language_result(PRINTED, view, view).ok
    draft = replace(view, language="es", translation=Catalog(), draft=True)
    assert language_result(PRINTED, draft, view).ok


# -- PDF: citations, DOIs, fonts, paper ------------------------------------------------

def pdf_facts(view: View, **changes) -> PdfFacts:
    """Facts of a good PDF of `view`: each reference listed, cited and its DOI linked."""
    count = len(view.references)
    anchors = tuple(reference_anchor(n) for n in range(1, count + 1))
    facts = PdfFacts(
        text="", pages=2, page_size=(612.0, 792.0), unembedded_fonts=(),
        fonts=("Atkinson-Hyperlegible", "Atkinson-Hyperlegible-Bold"),
        internal_links=anchors + anchors[:1] + ("safety",),
        destinations=("safety", "references") + anchors,
        uris=tuple(doi_link(ref.doi) for ref in view.references if ref.doi),
        text_by_font=(("Atkinson-Hyperlegible", "Walk backward."),))
    if "text" in changes and "poppler_text" not in changes:
        changes["poppler_text"] = changes["text"]  # both extractors read the same
    return replace(facts, **changes)


@pytest.fixture(scope="module")
def brief(document) -> View:
    view = select(document, "clinician")
    assert len(view.references) >= 3 and all(ref.doi for ref in view.references)
    return view


def test_citation_results_pass_when_links_anchors_and_dois_agree(brief):
    results = by_name(citation_results(pdf_facts(brief), brief))
    assert results["citations"].ok and results["dois"].ok


def test_a_citation_to_a_reference_not_listed_fails(brief):
    facts = pdf_facts(brief)
    facts = replace(facts, internal_links=facts.internal_links + ("ref-99",))
    result = by_name(citation_results(facts, brief))["citations"]
    assert not result.ok and result.detail == "citations to missing references ['ref-99']"


def test_a_listed_reference_never_cited_fails(brief):
    facts = pdf_facts(brief)
    facts = replace(facts, internal_links=tuple(l for l in facts.internal_links if l != "ref-2"))
    result = by_name(citation_results(facts, brief))["citations"]
    assert not result.ok and result.detail == "references never cited ['ref-2']"


def test_doi_links_must_match_the_listed_references(brief):
    facts = pdf_facts(brief)
    first = brief.references[0]
    missing = by_name(citation_results(replace(facts, uris=facts.uris[1:]), brief))["dois"]
    assert not missing.ok
    assert missing.detail == (f"reference '{first.key}' ({first.location}) has no link to its "
                              f"DOI {doi_link(first.doi)}")
    stranger = replace(facts, uris=facts.uris + (doi_link("10.9999/not.ours"),))
    unknown = by_name(citation_results(stranger, brief))["dois"]
    assert not unknown.ok
    assert unknown.detail == "a link to https://doi.org/10.9999/not.ours that no listed reference has"
    # A link neither a reference nor the text makes is a stranger too.
    other_link = replace(facts, uris=facts.uris + ("https://example.org/walk",))
    assert not by_name(citation_results(other_link, brief))["dois"].ok


def without_a_doi(view: View, key: str) -> View:
    """`view` with reference `key`'s DOI removed (the loader accepts entries without one)."""
    refs = tuple(replace(ref, csl={k: v for k, v in ref.csl.items() if k != "DOI"})
                 if ref.key == key else ref for ref in view.references)
    return replace(view, references=refs)


def test_a_reference_without_a_doi_passes_the_pdf_check(brief):
    view = without_a_doi(brief, brief.references[0].key)
    facts = pdf_facts(view)
    assert len(facts.uris) == len(view.references) - 1
    assert by_name(citation_results(facts, view))["dois"].ok


def test_font_result_allows_only_the_bundled_families():
    assert font_result(("Atkinson-Hyperlegible", "Atkinson-Hyperlegible-BoldItalic"), "en").ok
    result = font_result(("Atkinson-Hyperlegible", "DejaVuSans"), "en")
    assert not result.ok and result.detail == "unexpected fonts: DejaVuSans"
    assert font_result(("NotoSansArabic-Bold", "Atkinson-Hyperlegible"), "ar").ok
    assert not font_result(("NotoSansArabic-Regular",), "en").ok


def test_glyphless_names_characters_the_font_cannot_draw():
    facts = PdfFacts("", 1, (612.0, 792.0), (), ("Atkinson-Hyperlegible",), (), (), (),
                     (("Atkinson-Hyperlegible", "Walk \u4e2d"), ("Stranger-Font", "\u4e2d")))
    assert glyphless(facts, "en") == ["'\u4e2d' in Atkinson-Hyperlegible"]
    assert glyphless(facts, "ar") == ["'\u4e2d' in Atkinson-Hyperlegible"]  # every script


def test_check_pdf_checks_the_paper_size(view):
    facts = pdf_facts(view, text=PRINTED)
    assert by_name(check_pdf(facts, view, "letter"))["paper"].ok
    a4 = by_name(check_pdf(facts, view, "a4"))["paper"]
    assert not a4.ok and a4.detail == "page is 612x792 pt, not a4"
    assert by_name(check_pdf(replace(facts, page_size=(595.3, 841.9)), view, "a4"))["paper"].ok
    assert "paper" not in by_name(check_pdf(facts, view, None))


def test_check_pdf_passes_a_good_pdf_and_fails_each_fault(view):
    phone = " Clinic: 555-0142" * 2  # the profile's number, in the footer of both pages
    good = pdf_facts(view, text=PRINTED + phone)
    results = check_pdf(good, view, "letter")
    assert [r.name for r in results if not r.ok] == []
    assert {"safety:rails", "safety:stop", "citations", "dois", "paper", "fonts-embedded",
            "fonts-bundled", "glyphs"} <= set(by_name(results))
    faults = {
        "safety:stop": replace(good, text=PRINTED.split(" Stop")[0] + phone),
        "phone-numbers": replace(good, text=PRINTED),
        "fonts-embedded": replace(good, unembedded_fonts=("Helvetica",)),
        "fonts-bundled": replace(good, fonts=good.fonts + ("Helvetica",)),
        "glyphs": replace(good, text_by_font=(("Atkinson-Hyperlegible", "\u4e2d"),)),
    }
    for name, facts in faults.items():
        failed = [r.name for r in check_pdf(facts, view, "letter") if not r.ok]
        assert failed == [name]
        assert Verified(1, check_pdf(facts, view, "letter")).failed[0].name == name


# -- deck: citations, DOIs, notes, fit, bullets ------------------------------------------

@pytest.fixture(scope="module")
def deck_view(document) -> View:
    view = select(document, "trainer")
    assert all(ref.doi for ref in view.references)
    return view


def deck_facts(view: View, **changes) -> DeckFacts:
    """Facts of a good deck of `view`: its safety text, [n] markers and listed references."""
    count = len(view.references)
    safety = "\n".join(" [1] ".join(unit_segments(u)) for s in view.safety_statements()
                       for u in s.units)  # as printed: a number where each citation was
    facts = DeckFacts(
        text=f"Evidence {slide_citation([1])} and {slide_citation([2, 3])}.\n{safety}",
        slides=12, layouts=("Title Slide",) + ("Title and Content",) * 11,
        slides_without_notes=(), overflows=(), crowded=(),
        reference_numbers=tuple(str(n) for n in range(1, count + 1)),
        table_numbers=(count,),
        uris=tuple(doi_link(ref.doi) for ref in view.references if ref.doi))
    return replace(facts, **changes)


def test_deck_citations_pass_when_markers_and_dois_match(deck_view):
    results = by_name(deck_citation_results(deck_facts(deck_view), deck_view))
    assert results["citations"].ok and results["dois"].ok


def test_a_deck_marker_without_a_listed_reference_fails(deck_view):
    facts = deck_facts(deck_view)
    result = by_name(deck_citation_results(replace(facts, text=facts.text + " [99]"),
                                           deck_view))["citations"]
    assert not result.ok and result.detail == "markers [99] have no reference"
    table = by_name(deck_citation_results(replace(facts, table_numbers=(98,)), deck_view))
    assert not table["citations"].ok  # the evidence table's first column counts as citing


def test_a_deck_with_references_but_no_citations_fails(deck_view):
    facts = deck_facts(deck_view, text="No markers at all.", table_numbers=())
    assert not by_name(deck_citation_results(facts, deck_view))["citations"].ok


def test_deck_doi_links_must_be_the_bibliographys_and_one_per_reference(deck_view):
    facts = deck_facts(deck_view)
    assert not by_name(deck_citation_results(replace(facts, uris=facts.uris[1:]),
                                             deck_view))["dois"].ok
    stranger = replace(facts, uris=facts.uris[1:] + (doi_link("10.9999/not.ours"),))
    assert not by_name(deck_citation_results(stranger, deck_view))["dois"].ok


def test_a_reference_without_a_doi_passes_the_deck_check(deck_view):
    view = without_a_doi(deck_view, deck_view.references[0].key)
    facts = deck_facts(view)
    assert len(facts.uris) == len(view.references) - 1
    assert by_name(deck_citation_results(facts, view))["dois"].ok


def test_check_pptx_passes_a_good_deck_and_fails_each_fault(deck_view):
    good = deck_facts(deck_view)
    results = by_name(check_pptx(good, deck_view))
    assert [name for name, r in results.items() if not r.ok] == []
    assert {f"safety:{i}" for i in deck_view.settings.required_safety} <= set(results)
    overflow = check_pptx(replace(good, overflows=("slide 4: 'Body' needs 380 pt of 340 pt",)),
                          deck_view)
    assert [(r.name, r.detail) for r in overflow if not r.ok] == [
        ("text-fits", "slide 4: 'Body' needs 380 pt of 340 pt")]
    crowded = by_name(check_pptx(replace(good, crowded=(5,)), deck_view))["bullets"]
    assert not crowded.ok and crowded.detail == \
        f"slides with more than {MAX_BULLETS} bullets in one box: (5,)"
    lost = check_pptx(replace(good, text="Evidence [1]."), deck_view)
    assert {r.name for r in lost if not r.ok} == {
        f"safety:{i}" for i in deck_view.settings.required_safety}


def test_missing_speaker_notes_are_reported_but_not_fatal(deck_view):
    checks = check_pptx(deck_facts(deck_view, slides_without_notes=(3, 7)), deck_view)
    notes = by_name(checks)["notes"]
    assert not notes.ok and not notes.fatal and "(3, 7)" in notes.detail
    assert Verified(12, checks).failed == []


# -- deck fit, measured from a file -------------------------------------------------------

def words(text: str, size: float = 24, bold: bool = False) -> list[Word]:
    return [Word(w, bold, size) for w in text.split()]


def test_paragraph_height_counts_wrapped_lines():
    one_line = paragraph_height(words("Walk"), 500, FAMILY)
    assert one_line > 24  # a line is taller than the font size
    assert paragraph_height([], 500, FAMILY) == 0
    assert paragraph_height(words("Walk backward slowly"), 500, FAMILY) == one_line
    text = "Walk backward slowly on the treadmill and hold the rails " * 4
    narrow = paragraph_height(words(text), 200, FAMILY)
    assert narrow >= 5 * one_line and narrow == pytest.approx(round(narrow / one_line) * one_line)
    assert paragraph_height(words(text), 400, FAMILY) < narrow


def test_a_word_wider_than_the_line_breaks_across_lines():
    one_line = paragraph_height(words("W"), 50, FAMILY)
    assert paragraph_height(words("W" * 40), 50, FAMILY) >= 5 * one_line


def test_bigger_and_bolder_text_needs_more_room():
    text = "Walk backward slowly on the treadmill and hold the rails " * 3
    regular = paragraph_height(words(text, 18), 300, FAMILY)
    assert paragraph_height(words(text, 24), 300, FAMILY) > regular
    assert paragraph_height(words(text, 18, bold=True), 300, FAMILY) >= regular


def textbox(text: str, size: float = 24, height: float = 1.0, paragraphs: int = 1):
    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    box = slide.shapes.add_textbox(Inches(1), Inches(1), Inches(4), Inches(height))
    frame = box.text_frame
    frame.word_wrap, frame.auto_size = True, MSO_AUTO_SIZE.NONE
    for index in range(paragraphs):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text, run.font.size = text, Pt(size)
    return box


def test_shape_overflow_finds_text_taller_than_its_box():
    assert shape_overflow(textbox("Hold the rails."), FAMILY, 0) is None
    needed, available = shape_overflow(textbox("Hold the rails and walk slowly. " * 20),
                                       FAMILY, 0)
    assert needed > available
    assert available == pytest.approx((Inches(1) - 2 * 45720) / 12700)  # minus the insets
    assert shape_overflow(textbox("Hold the rails.", paragraphs=6), FAMILY, 0) is not None
    assert shape_overflow(textbox(""), FAMILY, 0) is None


def test_shape_overflow_counts_the_masters_indent_for_bullets():
    text = "Hold the rails and walk slowly on the treadmill."
    box = textbox(text, height=1.0)
    assert shape_overflow(box, FAMILY, 0) is None
    assert shape_overflow(box, FAMILY, int(Inches(3))) is not None  # 1 inch left to wrap in


# -- marks -------------------------------------------------------------------------------

def test_footnote_markers_run_a_to_z_then_aa():
    assert [footnote_marker(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "a", "b", "z", "aa", "ab", "az", "ba", "zz", "aaa"]


def test_a_statements_own_citation_number_may_sit_inside_it_and_nothing_else():
    from handouts.verify.results import find_segment
    arabic = squeeze("أصيبا إصابة بالغة بسبب السقوط")
    printed = squeeze("أصيبا إصابة بالغة بسبب\n4\nالسقوط")  # a raised "4" read as a line
    assert contains_in_order(printed, [arabic], ("4",))
    assert not contains_in_order(printed, [arabic], ("3",))  # another number is text
    assert not contains_in_order(printed, [arabic])
    assert find_segment("xx" + arabic, arabic, 0, ("4",)) == (2, 2 + len(arabic))
    dropped = squeeze("لا تمارسه وحدك")
    assert not contains_in_order(squeeze("4تمارسه وحدك"), [dropped], ("4",))


def test_pdftotext_lines_are_read_right_to_left_where_it_wrote_them_left_to_right():
    from handouts.verify.poppler import right_to_left_lines
    # a left-to-right page: the full stop painted at the left end comes first
    assert right_to_left_lines(".\u202bأوقف جهاز المشي\u202c") == "أوقف جهاز المشي."
    # a right-to-left page: the line is one embedding, already in reading order
    line = "\u202bقد يسبّب السقوط\u202a .\u202cيروي\u202c"
    assert right_to_left_lines(line) == "قد يسبّب السقوط\u202a .\u202cيروي"
    assert right_to_left_lines("Thomas KS. Gait Posture.") == "Thomas KS. Gait Posture."
