"""The patient handout, read back from the PDF files a clinic would print."""

from __future__ import annotations

import re
from collections import Counter

import pdfplumber
import pytest
import yaml
from pypdf import PdfReader

from conftest import BUNDLED
from readback import markdown_safety_texts, pdf_text, squeezed

VARIANTS = ["backwards-walking-patient.pdf", "backwards-walking-patient-a4.pdf",
            "backwards-walking-patient-large.pdf", "backwards-walking-patient-large-a4.pdf"]
TOPIC = yaml.safe_load((BUNDLED / "topic.yaml").read_text(encoding="utf-8"))
REQUIRED = TOPIC["audiences"]["patient"]["required_safety"]
SAFETY = markdown_safety_texts(BUNDLED / "backwards-walking.md")


@pytest.mark.parametrize("name", VARIANTS)
@pytest.mark.parametrize("safety_id", REQUIRED)
def test_every_required_patient_safety_statement_is_printed_in_full(built, name, safety_id):
    assert squeezed(SAFETY[safety_id]) in squeezed(pdf_text(built / name))


def test_safety_statements_of_other_audiences_are_not_in_the_handout(built):
    text = squeezed(pdf_text(built / VARIANTS[0]))
    others = [k for k in SAFETY if not k.startswith("patient-")]
    assert others
    for safety_id in others:
        assert squeezed(SAFETY[safety_id]) not in text, safety_id


@pytest.mark.parametrize("name", VARIANTS)
def test_review_date_version_disclaimer_and_page_numbers(built, name):
    text = pdf_text(built / name)
    pages = len(PdfReader(built / name).pages)
    assert "Content reviewed November 25, 2026" in text
    assert "Version 1.0" in text
    assert "Clinical Education Team" in text
    assert squeezed("It does not replace the advice of your care team.") in squeezed(text)
    for page in range(1, pages + 1):
        assert f"Page {page} of {pages}" in text


def test_sources_list_has_the_cited_references_with_dois(built):
    text = pdf_text(built / VARIANTS[0])
    sources = text[text.index("Where this information comes from"):]
    dois = ["10.1016/j.gaitpost.2018.06.168", "10.1080/09593985.2025.2550532",
            "10.1016/j.gaitpost.2025.110048", "10.1097/00002060-200009000-00011"]
    for doi in dois:
        assert f"doi:{doi}" in squeezed(sources)
    numbered = re.findall(r"^(\d+)\. ", sources, re.MULTILINE)
    assert numbered == [str(n) for n in range(1, len(dois) + 1)]
    assert len(numbered) <= 6


def test_fill_in_plan_has_labels_and_support_boxes(built):
    text = pdf_text(built / VARIANTS[0])
    for label in ("Your plan", "Start date:", "How often:", "Minutes each time:",
                  "Treadmill speed:", "Support you need:",
                  "A spotter (a person beside you)", "Safety bars", "Suspension harness"):
        assert label in text
    # Holding the rails is not a choice: it is a safety statement, never a tick box.
    assert "Hold the treadmill rails" not in text


def test_sections_patients_expect_in_reading_order(built):
    text = pdf_text(built / VARIANTS[0])
    # The key points (main message and safety) open the handout.
    headings = ["Walking Backward as Exercise", "Key points", "What is backward walking?",
                "Why your therapist may suggest it", "How to do it safely",
                "When to stop and ask for help", "STOP NOW", "CALL YOUR THERAPIST",
                "Your plan", "Where this information comes from"]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)


@pytest.mark.parametrize("name,width,height", [
    (VARIANTS[0], 612, 792), (VARIANTS[1], 595.28, 841.89),
    (VARIANTS[2], 612, 792), (VARIANTS[3], 595.28, 841.89)])
def test_paper_size_as_asked(built, name, width, height):
    for page in PdfReader(built / name).pages:
        assert float(page.mediabox.width) == pytest.approx(width, abs=0.5)
        assert float(page.mediabox.height) == pytest.approx(height, abs=0.5)


def test_standard_handout_fits_two_letter_pages(built):
    assert len(PdfReader(built / VARIANTS[0]).pages) == 2


@pytest.mark.parametrize("name", VARIANTS)
def test_fonts_are_the_bundled_ones_and_embedded(built, name):
    reader = PdfReader(built / name)
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor
            names.add(str(font["/BaseFont"]).split("+")[-1])
    assert names and all(n.startswith("Atkinson-Hyperlegible") for n in names), names


@pytest.mark.parametrize("name", VARIANTS)
def test_tagged_pdf_with_document_language(built, name):
    root = PdfReader(built / name).trailer["/Root"]
    assert root["/Lang"] == "en"
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]


def _body_size_and_line_pitch(path):
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        words = page.extract_words(extra_attrs=["size"])
    size = Counter(round(w["size"], 1) for w in words).most_common(1)[0][0]
    tops = sorted({round(w["bottom"], 1) for w in words if round(w["size"], 1) == size})
    pitch = min(b - a for a, b in zip(tops, tops[1:]) if b - a > size * 0.5)
    return size, pitch


def test_large_print_is_at_least_16pt_with_1_5_line_spacing(built):
    size, pitch = _body_size_and_line_pitch(built / "backwards-walking-patient-large.pdf")
    assert size >= 16
    assert pitch / size >= 1.5 - 0.01


def test_standard_print_body_is_at_least_12pt(built):
    size, _ = _body_size_and_line_pitch(built / VARIANTS[0])
    assert size >= 12


def test_safety_box_is_marked_by_words_not_colour_alone(built):
    text = pdf_text(built / VARIANTS[0])
    assert "SAFETY" in text  # the signal word printed above the statements
    for signal in ("STOP NOW", "CALL YOUR THERAPIST"):
        assert signal in text
